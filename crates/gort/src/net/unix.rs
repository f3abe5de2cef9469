//! Unix domain sockets: `UnixListener`, `UnixStream`, `UnixDatagram`.

use std::io;
use std::net::Shutdown;
use std::os::unix::net::{self as std_unix, SocketAddr};
use std::path::Path;

use socket2::SockAddr;

use crate::io::fd::{Dir, PolledFd};

use super::connect::connect_stream;

/// A Unix stream listening socket whose `accept` parks the goroutine.
///
/// ```
/// use gort::net::{UnixListener, UnixStream};
/// use std::io::{Read, Write};
/// gort::run(|| {
///     let dir = std::env::temp_dir().join(format!("gort-doc-{}", std::process::id()));
///     std::fs::create_dir_all(&dir).unwrap();
///     let path = dir.join("listener.sock");
///     let _ = std::fs::remove_file(&path);
///     let l = UnixListener::bind(&path).unwrap();
///     let p = path.clone();
///     gort::go(move || UnixStream::connect(p).unwrap().write_all(b"hi").unwrap());
///     let (mut s, _) = l.accept().unwrap();
///     let mut buf = String::new();
///     s.read_to_string(&mut buf).unwrap();
///     assert_eq!(buf, "hi");
///     std::fs::remove_file(&path).unwrap();
/// });
/// ```
pub struct UnixListener {
    fd: PolledFd<std_unix::UnixListener>,
}

super::socket_common!(UnixListener, std_unix::UnixListener);

impl UnixListener {
    /// Binds to `path` and listens.
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixListener> {
        UnixListener::wrap(std_unix::UnixListener::bind(path)?)
    }

    /// Accepts a connection, parking until one comes.
    #[track_caller]
    pub fn accept(&self) -> io::Result<(UnixStream, SocketAddr)> {
        let (s, addr) = self.fd.io(Dir::Read, |l| l.accept())?;
        Ok((UnixStream::wrap(s)?, addr))
    }

    /// An endless iterator of accepted connections.
    pub fn incoming(&self) -> UnixIncoming<'_> {
        UnixIncoming { listener: self }
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.fd.get()?.local_addr()
    }
}

/// The iterator of [`UnixListener::incoming`].
#[derive(Debug)]
pub struct UnixIncoming<'a> {
    listener: &'a UnixListener,
}

impl Iterator for UnixIncoming<'_> {
    type Item = io::Result<UnixStream>;
    #[track_caller]
    fn next(&mut self) -> Option<io::Result<UnixStream>> {
        Some(self.listener.accept().map(|(s, _)| s))
    }
}

/// A Unix stream socket whose reads and writes park the goroutine.
///
/// ```
/// use gort::net::UnixStream;
/// use std::io::{Read, Write};
/// gort::run(|| {
///     let (a, mut b) = UnixStream::pair().unwrap();
///     gort::go(move || (&a).write_all(b"ping").unwrap());
///     let mut buf = [0u8; 4];
///     b.read_exact(&mut buf).unwrap();
///     assert_eq!(&buf, b"ping");
/// });
/// ```
pub struct UnixStream {
    fd: PolledFd<std_unix::UnixStream>,
}

super::socket_common!(UnixStream, std_unix::UnixStream);
super::socket_timeouts!(UnixStream);
super::stream_io!(UnixStream);

impl UnixStream {
    /// Connects to the socket at `path`, parking while its listener's backlog is full.
    #[track_caller]
    pub fn connect<P: AsRef<Path>>(path: P) -> io::Result<UnixStream> {
        let addr = SockAddr::unix(path)?;
        Ok(UnixStream {
            fd: connect_stream(&addr, None)?,
        })
    }

    /// A connected pair.
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (a, b) = std_unix::UnixStream::pair()?;
        Ok((UnixStream::wrap(a)?, UnixStream::wrap(b)?))
    }

    /// Shuts down the read side, the write side, or both.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.fd.shutdown(how, |s| s.shutdown(how))
    }

    /// The local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.fd.get()?.local_addr()
    }

    /// The remote address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.fd.get()?.peer_addr()
    }
}

/// A Unix datagram socket whose sends and receives park the goroutine.
///
/// ```
/// use gort::net::UnixDatagram;
/// gort::run(|| {
///     let (a, b) = UnixDatagram::pair().unwrap();
///     gort::go(move || {
///         a.send(b"one").unwrap();
///     });
///     let mut buf = [0u8; 8];
///     let n = b.recv(&mut buf).unwrap();
///     assert_eq!(&buf[..n], b"one");
/// });
/// ```
pub struct UnixDatagram {
    fd: PolledFd<std_unix::UnixDatagram>,
}

super::socket_common!(UnixDatagram, std_unix::UnixDatagram);
super::socket_timeouts!(UnixDatagram);

impl UnixDatagram {
    /// Binds to `path`.
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixDatagram> {
        UnixDatagram::wrap(std_unix::UnixDatagram::bind(path)?)
    }

    /// A socket bound to no address.
    pub fn unbound() -> io::Result<UnixDatagram> {
        UnixDatagram::wrap(std_unix::UnixDatagram::unbound()?)
    }

    /// A connected pair.
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        let (a, b) = std_unix::UnixDatagram::pair()?;
        Ok((UnixDatagram::wrap(a)?, UnixDatagram::wrap(b)?))
    }

    /// Connects to the socket at `path`: `send` and `recv` then talk to it only.
    pub fn connect<P: AsRef<Path>>(&self, path: P) -> io::Result<()> {
        self.fd.get()?.connect(path)
    }

    /// Sends a datagram to the connected socket, parking while the buffer is full.
    #[track_caller]
    pub fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.fd.io(Dir::Write, |s| s.send(buf))
    }

    /// Sends a datagram to the socket at `path`.
    #[track_caller]
    pub fn send_to<P: AsRef<Path>>(&self, buf: &[u8], path: P) -> io::Result<usize> {
        let path = path.as_ref();
        self.fd.io(Dir::Write, |s| s.send_to(buf, path))
    }

    /// Receives a datagram, parking until one comes.
    #[track_caller]
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.fd.io(Dir::Read, |s| s.recv(buf))
    }

    /// Receives a datagram and its sender's address.
    #[track_caller]
    pub fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.fd.io(Dir::Read, |s| s.recv_from(buf))
    }

    /// Shuts down the read side, the write side, or both.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.fd.shutdown(how, |s| s.shutdown(how))
    }

    /// The local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.fd.get()?.local_addr()
    }

    /// The connected address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.fd.get()?.peer_addr()
    }
}
