//! An echo server: one goroutine per connection, each reading and writing as if blocking, while
//! a few threads serve them all.
//!
//! ```sh
//! cargo run --release --example echo -- 127.0.0.1:7000 2   # address, max_procs
//! ```

use std::io::{Read, Write};

use gort::net::{TcpListener, TcpStream};

fn serve(mut conn: TcpStream) {
    let _ = conn.set_nodelay(true);
    let mut buf = [0u8; 4096];
    loop {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if conn.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:7000".into());
    let procs = args
        .next()
        .map(|p| p.parse().expect("max_procs must be a number"))
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    gort::Builder::new().max_procs(procs).run(move || {
        let listener = TcpListener::bind(&addr).unwrap_or_else(|e| {
            eprintln!("echo: cannot listen on {addr}: {e}");
            std::process::exit(1)
        });
        eprintln!("echo: listening on {}", listener.local_addr().unwrap());
        for conn in listener.incoming() {
            match conn {
                Ok(conn) => gort::go(move || serve(conn)),
                Err(e) => eprintln!("echo: accept: {e}"),
            }
        }
    });
}
