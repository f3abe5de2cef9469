//! The servers of the network workloads, one file per peer, each started by
//! the driver as its own process (`gort-bench serve PEER KIND ADDR PROCS`)
//! and serving until it is killed.
//!
//! Every peer runs the same algorithm with its own runtime's sockets and its
//! own way of giving each connection a goroutine (a task, a coroutine, a
//! thread), so that the runtimes are what differs:
//!
//! - `echo`: read into a 4 KiB buffer, write back what was read, until EOF;
//! - `echo_deadline`: the same, with a read deadline pushed
//!   [`READ_DEADLINE`] ahead before every read (Go's `SetReadDeadline`, gort's
//!   `set_read_deadline`, tokio's `timeout`, `set_read_timeout` on may and
//!   std), so that what is measured is the cost of re-arming it per message;
//! - `http`: read until a blank line ends each request's headers and answer
//!   every complete request with [`HTTP_RESPONSE`] (keep-alive), see
//!   [`HttpConn`].
//!
//! Accepted sockets get `TCP_NODELAY`, which Go sets by default. The Go
//! servers (`bench/go/serve.go`) and gort's HTTP example
//! (`crates/gort/examples/http.rs`) are separate programs with the same
//! algorithms; the library peers (tokio + hyper, may_minihttp) run their
//! library's own hello world.

#[cfg(feature = "gort")]
mod gort_server;
mod hyper_server;
mod may_server;
mod minihttp_server;
mod threads_server;
mod tokio_server;

use std::io;
use std::time::Duration;

/// What a server does with each connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Echo every byte back.
    Echo,
    /// Echo, re-arming a read deadline before every read.
    EchoDeadline,
    /// The keep-alive hello-world HTTP/1.1 server.
    Http,
}

impl Kind {
    /// The kind named on the command line (and in bench/go's `--serve`).
    pub fn parse(name: &str) -> Option<Kind> {
        match name {
            "echo" => Some(Kind::Echo),
            "echo_deadline" => Some(Kind::EchoDeadline),
            "http" => Some(Kind::Http),
            _ => None,
        }
    }

    /// Its command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Echo => "echo",
            Kind::EchoDeadline => "echo_deadline",
            Kind::Http => "http",
        }
    }
}

/// Size of every connection's read buffer.
pub const BUF_LEN: usize = 4096;

/// How far ahead `echo_deadline` pushes the read deadline before every read;
/// it never expires while the client is running.
pub const READ_DEADLINE: Duration = Duration::from_secs(10);

/// The one answer of every raw HTTP server.
pub const HTTP_RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!";

/// The body of [`HTTP_RESPONSE`], for the library servers.
pub const HTTP_BODY: &str = "Hello, World!";

/// Runs the server `kind` of `peer` on `addr` with `procs` scheduler threads.
/// Returns only on an error (bind, accept) or for a peer or kind that has no
/// such server.
pub fn serve(peer: &str, kind: Kind, addr: &str, procs: usize) -> io::Result<()> {
    let procs = procs.max(1);
    let library_http = matches!(peer, "tokio-hyper" | "may-minihttp");
    if library_http && kind != Kind::Http {
        return Err(unsupported(format!("{peer} only serves http")));
    }
    match peer {
        #[cfg(feature = "gort")]
        "gort" if kind != Kind::Http => gort_server::serve(kind, addr, procs),
        "gort" if kind == Kind::Http => Err(unsupported(
            "gort's http server is crates/gort/examples/http.rs, started by the driver".into(),
        )),
        "tokio-mt" => tokio_server::serve(kind, addr, Some(procs)),
        "tokio-ct" => tokio_server::serve(kind, addr, None),
        "tokio-hyper" => hyper_server::serve(addr, procs),
        "may" => may_server::serve(kind, addr, procs),
        "may-minihttp" => minihttp_server::serve(addr, procs),
        "threads" => threads_server::serve(kind, addr),
        other => Err(unsupported(format!(
            "no {} server for peer {other}",
            kind.name()
        ))),
    }
}

fn unsupported(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, msg)
}

/// The raw HTTP servers' per-connection state, without I/O: the caller reads
/// into [`HttpConn::unfilled`], reports how much with [`HttpConn::filled`],
/// and writes [`HttpConn::output`] out when it is not empty.
pub struct HttpConn {
    buf: Box<[u8; BUF_LEN]>,
    len: usize,
    out: Vec<u8>,
}

impl Default for HttpConn {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpConn {
    /// A connection with nothing read yet.
    pub fn new() -> HttpConn {
        HttpConn {
            buf: Box::new([0; BUF_LEN]),
            len: 0,
            out: Vec::with_capacity(BUF_LEN),
        }
    }

    /// Where the next read goes.
    pub fn unfilled(&mut self) -> &mut [u8] {
        &mut self.buf[self.len..]
    }

    /// Takes in `n` freshly read bytes: answers every request whose headers
    /// are now complete. Fails when one request's headers fill the whole
    /// buffer, which no client of the benchmark sends.
    pub fn filled(&mut self, n: usize) -> io::Result<()> {
        self.len += n;
        let mut start = 0;
        while let Some(end) = header_end(&self.buf[start..self.len]) {
            start += end;
            self.out.extend_from_slice(HTTP_RESPONSE);
        }
        if start == 0 && self.len == BUF_LEN {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("request headers longer than {BUF_LEN} bytes"),
            ));
        }
        self.buf.copy_within(start..self.len, 0);
        self.len -= start;
        Ok(())
    }

    /// The responses to write; call [`HttpConn::written`] once they are.
    pub fn output(&self) -> &[u8] {
        &self.out
    }

    /// Forgets the responses written.
    pub fn written(&mut self) {
        self.out.clear();
    }
}

/// The index just past the first `\r\n\r\n` in `buf`, if any.
fn header_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(c: &mut HttpConn, bytes: &[u8]) -> io::Result<usize> {
        c.unfilled()[..bytes.len()].copy_from_slice(bytes);
        c.filled(bytes.len())?;
        let n = c.output().len() / HTTP_RESPONSE.len();
        c.written();
        Ok(n)
    }

    #[test]
    fn http_conn_answers_each_complete_request_once() {
        let mut c = HttpConn::new();
        let req = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        assert_eq!(feed(&mut c, &req[..10]).unwrap(), 0);
        assert_eq!(feed(&mut c, &req[10..]).unwrap(), 1);
        let two: Vec<u8> = [&req[..], &req[..], &req[..5]].concat();
        assert_eq!(feed(&mut c, &two).unwrap(), 2);
        assert_eq!(feed(&mut c, &req[5..]).unwrap(), 1);
    }

    #[test]
    fn http_conn_rejects_headers_longer_than_its_buffer() {
        let mut c = HttpConn::new();
        let junk = vec![b'a'; BUF_LEN];
        let e = feed(&mut c, &junk).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn kinds_round_trip_their_names() {
        for k in [Kind::Echo, Kind::EchoDeadline, Kind::Http] {
            assert_eq!(Kind::parse(k.name()), Some(k));
        }
        assert_eq!(Kind::parse("nope"), None);
    }
}
