//! TCP: `TcpListener` and `TcpStream`.

use std::io;
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::io::fd::{Dir, PolledFd};

use super::connect::connect_stream;

/// A TCP listening socket whose `accept` parks the goroutine (std's `TcpListener`, plus Go's
/// deadlines and `close`).
///
/// ```
/// use gort::net::{TcpListener, TcpStream};
/// gort::run(|| {
///     let l = TcpListener::bind("127.0.0.1:0").unwrap();
///     let addr = l.local_addr().unwrap();
///     let c = gort::spawn(move || TcpStream::connect(addr).unwrap());
///     let (_conn, peer) = l.accept().unwrap();
///     assert_eq!(peer, c.join().unwrap().local_addr().unwrap());
/// });
/// ```
pub struct TcpListener {
    fd: PolledFd<std::net::TcpListener>,
}

super::socket_common!(TcpListener, std::net::TcpListener);

impl TcpListener {
    /// Binds to the first address of `addr` that works, and listens (as std's `bind`).
    ///
    /// ```
    /// gort::run(|| {
    ///     let l = gort::net::TcpListener::bind("127.0.0.1:0").unwrap();
    ///     assert!(l.local_addr().unwrap().port() != 0);
    /// });
    /// ```
    pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
        TcpListener::wrap(std::net::TcpListener::bind(addr)?)
    }

    /// Accepts a connection, parking until one comes (or the read deadline passes, or the
    /// listener is closed). The new stream is close-on-exec.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// gort::run(|| {
    ///     let l = gort::net::TcpListener::bind("127.0.0.1:0").unwrap();
    ///     l.set_deadline(Some(Instant::now() + Duration::from_millis(10))).unwrap();
    ///     assert_eq!(l.accept().unwrap_err().kind(), std::io::ErrorKind::TimedOut);
    /// });
    /// ```
    #[track_caller]
    pub fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (s, addr) = self.fd.io(Dir::Read, |l| l.accept())?;
        Ok((TcpStream::wrap(s)?, addr))
    }

    /// An endless iterator of accepted connections (`accept` in a loop).
    ///
    /// ```
    /// gort::run(|| {
    ///     let l = gort::net::TcpListener::bind("127.0.0.1:0").unwrap();
    ///     let addr = l.local_addr().unwrap();
    ///     gort::go(move || drop(std::net::TcpStream::connect(addr)));
    ///     let first = l.incoming().next().unwrap();
    ///     assert!(first.is_ok());
    /// });
    /// ```
    pub fn incoming(&self) -> Incoming<'_> {
        Incoming { listener: self }
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.fd.get()?.local_addr()
    }

    /// Sets `IP_TTL`.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.fd.get()?.set_ttl(ttl)
    }

    /// `IP_TTL`.
    pub fn ttl(&self) -> io::Result<u32> {
        self.fd.get()?.ttl()
    }
}

/// The iterator of [`TcpListener::incoming`].
#[derive(Debug)]
pub struct Incoming<'a> {
    listener: &'a TcpListener,
}

impl Iterator for Incoming<'_> {
    type Item = io::Result<TcpStream>;
    #[track_caller]
    fn next(&mut self) -> Option<io::Result<TcpStream>> {
        Some(self.listener.accept().map(|(s, _)| s))
    }
}

/// A TCP connection whose reads and writes park the goroutine (std's `TcpStream`, plus Go's
/// deadlines, `close` and whole writes).
///
/// ```
/// use gort::net::{TcpListener, TcpStream};
/// use std::io::{Read, Write};
/// gort::run(|| {
///     let l = TcpListener::bind("127.0.0.1:0").unwrap();
///     let addr = l.local_addr().unwrap();
///     gort::go(move || {
///         let (mut s, _) = l.accept().unwrap();
///         s.write_all(b"hi").unwrap();
///     });
///     let mut s = TcpStream::connect(addr).unwrap();
///     let mut buf = String::new();
///     s.read_to_string(&mut buf).unwrap();
///     assert_eq!(buf, "hi");
/// });
/// ```
pub struct TcpStream {
    fd: PolledFd<std::net::TcpStream>,
}

super::socket_common!(TcpStream, std::net::TcpStream);
super::socket_timeouts!(TcpStream);
super::stream_io!(TcpStream);

impl TcpStream {
    /// Connects to the first address of `addr` that accepts, parking while the connection is
    /// made. The error is the last address's.
    ///
    /// ```
    /// gort::run(|| {
    ///     let l = gort::net::TcpListener::bind("127.0.0.1:0").unwrap();
    ///     let s = gort::net::TcpStream::connect(l.local_addr().unwrap()).unwrap();
    ///     assert_eq!(s.peer_addr().unwrap(), l.local_addr().unwrap());
    /// });
    /// ```
    #[track_caller]
    pub fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
        let mut last = None;
        for a in addr.to_socket_addrs()? {
            match connect_stream(&a.into(), None) {
                Ok(fd) => return Ok(TcpStream { fd }),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "could not resolve to any addresses",
            )
        }))
    }

    /// Connects to `addr`, failing with `ErrorKind::TimedOut` after `timeout` (a zero timeout is
    /// refused with `InvalidInput`, as std does).
    ///
    /// ```
    /// use std::time::Duration;
    /// gort::run(|| {
    ///     let l = gort::net::TcpListener::bind("127.0.0.1:0").unwrap();
    ///     let addr = l.local_addr().unwrap();
    ///     assert!(gort::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok());
    /// });
    /// ```
    #[track_caller]
    pub fn connect_timeout(addr: &SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
        if timeout.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "cannot set a 0 duration timeout",
            ));
        }
        let deadline = Instant::now().checked_add(timeout);
        Ok(TcpStream {
            fd: connect_stream(&(*addr).into(), deadline)?,
        })
    }

    /// Reads without consuming (`MSG_PEEK`), parking until data comes.
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// gort::run(|| {
    ///     let l = gort::net::TcpListener::bind("127.0.0.1:0").unwrap();
    ///     let mut c = gort::net::TcpStream::connect(l.local_addr().unwrap()).unwrap();
    ///     let (mut s, _) = l.accept().unwrap();
    ///     c.write_all(b"x").unwrap();
    ///     let mut buf = [0u8; 1];
    ///     assert_eq!(s.peek(&mut buf).unwrap(), 1);
    ///     assert_eq!(s.read(&mut buf).unwrap(), 1); // still there
    /// });
    /// ```
    #[track_caller]
    pub fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.fd.io(Dir::Read, |s| s.peek(buf))
    }

    /// Shuts down the read side, the write side, or both (Go's `CloseRead`/`CloseWrite`).
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.fd.shutdown(how, |s| s.shutdown(how))
    }

    /// The remote address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.fd.get()?.peer_addr()
    }

    /// The local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.fd.get()?.local_addr()
    }

    /// Sets `TCP_NODELAY`.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.fd.get()?.set_nodelay(nodelay)
    }

    /// `TCP_NODELAY`.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.fd.get()?.nodelay()
    }

    /// Sets `IP_TTL`.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.fd.get()?.set_ttl(ttl)
    }

    /// `IP_TTL`.
    pub fn ttl(&self) -> io::Result<u32> {
        self.fd.get()?.ttl()
    }
}
