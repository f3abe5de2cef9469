//! may_minihttp: the crate's own hello world (an `HttpService` answering
//! every request with the body), on `procs` may workers. Its responses add
//! `Server` and `Date` headers, which the crate always writes.

use super::HTTP_BODY;
use may_minihttp::{HttpServer, HttpService, Request, Response};
use std::io;

#[derive(Clone)]
struct Hello;

impl HttpService for Hello {
    fn call(&mut self, _req: Request, rsp: &mut Response) -> io::Result<()> {
        rsp.body(HTTP_BODY);
        Ok(())
    }
}

/// Serves hello world over HTTP/1.1 on `addr`.
pub fn serve(addr: &str, procs: usize) -> io::Result<()> {
    may::config().set_workers(procs);
    HttpServer(Hello)
        .start(addr)?
        .join()
        .map_err(|_| io::Error::other("may_minihttp server panicked"))
}
