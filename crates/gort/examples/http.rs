//! A small HTTP/1.1 server: one goroutine per connection, keep-alive, every request answered
//! with "Hello, World!". Requests are parsed with `httparse`; pipelined requests are answered in
//! order.
//!
//! ```sh
//! cargo run --release --example http -- 127.0.0.1:8080 2   # address, max_procs
//! curl http://127.0.0.1:8080/
//! ```

use std::io::{Read, Write};

use gort::net::{TcpListener, TcpStream};

const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!";
/// A request head larger than this is refused.
const MAX_HEAD: usize = 16 * 1024;

fn serve(mut conn: TcpStream) {
    let _ = conn.set_nodelay(true);
    let mut buf = vec![0u8; 4096];
    let mut filled = 0;
    let mut out = Vec::with_capacity(RESPONSE.len() * 4);
    loop {
        match conn.read(&mut buf[filled..]) {
            Ok(0) | Err(_) => return,
            Ok(n) => filled += n,
        }
        // Answer every complete request in the buffer.
        let mut start = 0;
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(&buf[start..filled]) {
                Ok(httparse::Status::Complete(len)) => {
                    start += len;
                    out.extend_from_slice(RESPONSE);
                }
                Ok(httparse::Status::Partial) => break,
                Err(_) => {
                    let _ =
                        conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                    return;
                }
            }
        }
        if !out.is_empty() {
            if conn.write_all(&out).is_err() {
                return;
            }
            out.clear();
        }
        buf.copy_within(start..filled, 0);
        filled -= start;
        if filled == buf.len() {
            if buf.len() >= MAX_HEAD {
                let _ = conn.write_all(b"HTTP/1.1 431 Request Header Fields Too Large\r\n\r\n");
                return;
            }
            buf.resize(buf.len() * 2, 0);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8080".into());
    let procs = args
        .next()
        .map(|p| p.parse().expect("max_procs must be a number"))
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    gort::Builder::new().max_procs(procs).run(move || {
        let listener = TcpListener::bind(&addr).unwrap_or_else(|e| {
            eprintln!("http: cannot listen on {addr}: {e}");
            std::process::exit(1)
        });
        eprintln!("http: listening on {}", listener.local_addr().unwrap());
        for conn in listener.incoming() {
            match conn {
                Ok(conn) => gort::go(move || serve(conn)),
                Err(e) => eprintln!("http: accept: {e}"),
            }
        }
    });
}
