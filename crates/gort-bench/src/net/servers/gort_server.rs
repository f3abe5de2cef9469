//! The gort servers: `gort::net`'s std-like sockets and a goroutine per
//! connection (`gort::go`) under `Builder::max_procs(procs)`, written as one
//! writes it in Go. The deadline variant calls `set_read_deadline` before
//! every read, as Go's `SetReadDeadline`. gort's HTTP server is its example,
//! `crates/gort/examples/http.rs`, which the driver starts itself.

use super::{Kind, BUF_LEN, READ_DEADLINE};
use gort::net::{TcpListener, TcpStream};
use std::io::{self, Read, Write};
use std::time::Instant;

/// Serves `kind` (echo or echo_deadline) on `addr`.
pub fn serve(kind: Kind, addr: &str, procs: usize) -> io::Result<()> {
    let addr = addr.to_string();
    gort::Builder::new().max_procs(procs).run(move || {
        let listener = TcpListener::bind(addr.as_str())?;
        loop {
            let (stream, _) = listener.accept()?;
            stream.set_nodelay(true)?;
            let deadline = kind == Kind::EchoDeadline;
            gort::go(move || {
                // A connection's error (the client going away) ends only it.
                let _ = echo(stream, deadline);
            });
        }
    })
}

fn echo(mut s: TcpStream, deadline: bool) -> io::Result<()> {
    let mut buf = [0u8; BUF_LEN];
    loop {
        if deadline {
            s.set_read_deadline(Some(Instant::now() + READ_DEADLINE))?;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        s.write_all(&buf[..n])?;
    }
}
