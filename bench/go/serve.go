// The servers of the network workloads (issue 15). gort-bench's driver starts
// this program as the "go" and "go-nethttp" peers:
//
//	gort-bench-go --serve echo|echo_deadline|http|nethttp --addr 127.0.0.1:PORT --procs P
//
// and then loads it from its own client (echo) or from wrk (http). Every
// server gives each connection its own goroutine, as a Go program would, and
// serves until it is killed. The echo and raw http servers run the same
// algorithm as the Rust peers of crates/gort-bench/src/net/servers: echo reads
// into a 4 KiB buffer and writes back what it read; http reads until a blank
// line ends each request's headers and answers every complete request with
// one fixed keep-alive response.
package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// echoReadDeadline is how far ahead echo_deadline pushes the read deadline
// before every read; it never expires in the benchmark.
const echoReadDeadline = 10 * time.Second

// httpResponse is the one answer of every raw http server.
const httpResponse = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!"

var headerEnd = []byte("\r\n\r\n")

func serve(kind, addr string) error {
	if kind == "nethttp" {
		return serveNetHTTP(addr)
	}
	var handle func(net.Conn)
	switch kind {
	case "echo":
		handle = func(c net.Conn) { echoConn(c, false) }
	case "echo_deadline":
		handle = func(c net.Conn) { echoConn(c, true) }
	case "http":
		handle = httpConn
	default:
		return fmt.Errorf("unknown server %q (echo, echo_deadline, http, nethttp)", kind)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go handle(c)
	}
}

func echoConn(c net.Conn, deadline bool) {
	defer c.Close()
	buf := make([]byte, 4096)
	for {
		if deadline {
			if err := c.SetReadDeadline(time.Now().Add(echoReadDeadline)); err != nil {
				return
			}
		}
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func httpConn(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 4096)
	out := make([]byte, 0, 4096)
	filled := 0
	for {
		n, err := c.Read(buf[filled:])
		if n == 0 || err != nil {
			return
		}
		filled += n
		start := 0
		for {
			end := bytes.Index(buf[start:filled], headerEnd)
			if end < 0 {
				break
			}
			start += end + len(headerEnd)
			out = append(out, httpResponse...)
		}
		if start == 0 && filled == len(buf) {
			return // headers larger than the buffer: not a request this server answers
		}
		copy(buf, buf[start:filled])
		filled -= start
		if len(out) > 0 {
			if _, err := c.Write(out); err != nil {
				return
			}
			out = out[:0]
		}
	}
}

func serveNetHTTP(addr string) error {
	body := []byte("Hello, World!")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// nil suppresses the automatic headers, so that the response is the
		// raw servers' one: status line, Content-Length, body.
		w.Header()["Date"] = nil
		w.Header()["Content-Type"] = nil
		w.Write(body)
	})
	return http.ListenAndServe(addr, h)
}

// serveMain runs a server and exits with a message if it cannot.
func serveMain(kind, addr string) {
	if err := serve(kind, addr); err != nil {
		fmt.Fprintf(os.Stderr, "gort-bench-go --serve %s: %v\n", kind, err)
		os.Exit(1)
	}
}
