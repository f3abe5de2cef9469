//! The tokio servers: a task per connection (`tokio::spawn`) on the
//! multi-thread runtime with `procs` workers (`tokio-mt`) or on the
//! current-thread runtime (`tokio-ct`). The deadline variant wraps every read
//! in `tokio::time::timeout`, tokio's way of bounding one read.

use super::{HttpConn, Kind, BUF_LEN, READ_DEADLINE};
use std::io;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Serves `kind` on `addr`; `workers` is the multi-thread runtime's worker
/// count, `None` for the current-thread runtime.
pub fn serve(kind: Kind, addr: &str, workers: Option<usize>) -> io::Result<()> {
    let rt = match workers {
        Some(n) => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .enable_all()
            .build()?,
        None => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
    };
    rt.block_on(async move {
        let listener = TcpListener::bind(addr).await?;
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            tokio::spawn(async move {
                // A connection's error (the client going away) ends only it.
                let _ = match kind {
                    Kind::Echo => echo(stream, false).await,
                    Kind::EchoDeadline => echo(stream, true).await,
                    Kind::Http => http(stream).await,
                };
            });
        }
    })
}

async fn echo(mut s: TcpStream, deadline: bool) -> io::Result<()> {
    let mut buf = vec![0u8; BUF_LEN];
    loop {
        let n = if deadline {
            tokio::time::timeout(READ_DEADLINE, s.read(&mut buf)).await??
        } else {
            s.read(&mut buf).await?
        };
        if n == 0 {
            return Ok(());
        }
        s.write_all(&buf[..n]).await?;
    }
}

async fn http(mut s: TcpStream) -> io::Result<()> {
    let mut conn = HttpConn::new();
    loop {
        let n = s.read(conn.unfilled()).await?;
        if n == 0 {
            return Ok(());
        }
        conn.filled(n)?;
        if !conn.output().is_empty() {
            s.write_all(conn.output()).await?;
            conn.written();
        }
    }
}
