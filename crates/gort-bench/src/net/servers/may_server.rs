//! The may servers: a coroutine per connection on `procs` may workers, with
//! `may::net`'s blocking-style sockets. The deadline variant sets the read
//! timeout before every read, may's (and std's) way of bounding one read.

use super::{HttpConn, Kind, BUF_LEN, READ_DEADLINE};
use may::coroutine;
use may::net::{TcpListener, TcpStream};
use std::io::{self, Read, Write};

/// Serves `kind` on `addr`.
pub fn serve(kind: Kind, addr: &str, procs: usize) -> io::Result<()> {
    may::config().set_workers(procs);
    let addr = addr.to_string();
    // The accept loop is a coroutine too, as every peer's is a goroutine.
    go(move || -> io::Result<()> {
        let listener = TcpListener::bind(&addr)?;
        for stream in listener.incoming() {
            let stream = stream?;
            stream.set_nodelay(true)?;
            go(move || {
                // A connection's error (the client going away) ends only it.
                let _ = match kind {
                    Kind::Echo => echo(stream, false),
                    Kind::EchoDeadline => echo(stream, true),
                    Kind::Http => http(stream),
                };
            });
        }
        Ok(())
    })
    .join()
    .map_err(|_| io::Error::other("may accept coroutine panicked"))?
}

/// Spawns a coroutine.
fn go<F, T>(f: F) -> coroutine::JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // SAFETY: may's spawn is unsafe because a coroutine that holds on to
    // thread-local state across a yield may see another worker's. These
    // closures keep no thread-local state; only may's own socket and
    // scheduler code runs across a yield.
    unsafe { coroutine::spawn(f) }
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
