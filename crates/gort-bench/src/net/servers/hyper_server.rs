//! tokio + hyper: hyper 1's HTTP/1.1 connection driver on a task per
//! connection, multi-thread runtime with `procs` workers, answering every
//! request with the hello-world body. hyper's automatic `date` header is off,
//! so that its response carries what the raw servers' does.

use super::HTTP_BODY;
use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::io;
use tokio::net::TcpListener;

/// Serves hello world over HTTP/1.1 on `addr`.
pub fn serve(addr: &str, procs: usize) -> io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(procs)
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = TcpListener::bind(addr).await?;
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            tokio::spawn(async move {
                // A connection's error (the client going away) ends only it.
                let _ = http1::Builder::new()
                    .auto_date_header(false)
                    .serve_connection(TokioIo::new(stream), service_fn(hello))
                    .await;
            });
        }
    })
}

async fn hello(_: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(Bytes::from_static(
        HTTP_BODY.as_bytes(),
    ))))
}
