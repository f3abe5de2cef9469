//! The OS-thread servers: `std::net` and a thread per connection. The
//! deadline variant sets the socket's read timeout before every read. Where
//! the workload would need 10,000 threads the driver skips this peer.

use super::{HttpConn, Kind, BUF_LEN, READ_DEADLINE};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

/// Stack of each connection's thread: the buffer and a few frames.
const STACK: usize = 64 * 1024;

/// Serves `kind` on `addr`.
pub fn serve(kind: Kind, addr: &str) -> io::Result<()> {
    let listener = TcpListener::bind(addr)?;
    for stream in listener.incoming() {
        let stream = stream?;
        stream.set_nodelay(true)?;
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                // A connection's error (the client going away) ends only it.
                let _ = match kind {
                    Kind::Echo => echo(stream, false),
                    Kind::EchoDeadline => echo(stream, true),
                    Kind::Http => http(stream),
                };
            })?;
    }
    Ok(())
}

fn echo(mut s: TcpStream, deadline: bool) -> io::Result<()> {
    let mut buf = [0u8; BUF_LEN];
    loop {
        if deadline {
            s.set_read_timeout(Some(READ_DEADLINE))?;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        s.write_all(&buf[..n])?;
    }
}

fn http(mut s: TcpStream) -> io::Result<()> {
    let mut conn = HttpConn::new();
    loop {
        let n = s.read(conn.unfilled())?;
        if n == 0 {
            return Ok(());
        }
        conn.filled(n)?;
        if !conn.output().is_empty() {
            s.write_all(conn.output())?;
            conn.written();
        }
    }
}
