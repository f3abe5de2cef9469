//! Sockets whose calls park the calling goroutine, not its thread (Go's `net`, with std's API).
//!
//! [`TcpListener`], [`TcpStream`], [`UdpSocket`], [`UnixListener`], [`UnixStream`] and
//! [`UnixDatagram`] have the methods, signatures and error kinds of their `std::net` and
//! `std::os::unix::net` namesakes, and add Go's:
//! - **deadlines**: `set_deadline`, `set_read_deadline`, `set_write_deadline` take an
//!   `Option<Instant>` and apply to the call in progress as well as to later ones; expiry gives
//!   `ErrorKind::TimedOut` (so do std's per-call timeouts, `set_read_timeout`...);
//! - **`close(&self)`**, callable from another goroutine while calls are in progress: they and
//!   every later call fail with `ErrorKind::NotConnected` ("use of closed network connection"),
//!   an accept loop ends, and the descriptor itself is closed once the last call has left, so a
//!   descriptor number the kernel reuses is never touched. Dropping closes as std does;
//! - **whole writes**: `write` writes all of its buffer (waiting as needed) before another write
//!   on the same socket starts, so two goroutines writing messages never interleave them.
//!
//! `Read` and `Write` are implemented for `&T` too, so one goroutine can read while another
//! writes. Every socket is close-on-exec and never raises `SIGPIPE` (a write to a closed peer
//! gives `ErrorKind::BrokenPipe`). A goroutine waits in its runtime's poller; the same calls work
//! on plain threads and after the runtime has stopped, waiting in `poll(2)`.
//! `set_nonblocking(true)` makes calls return `WouldBlock` instead of waiting (the kernel
//! descriptor is non-blocking all along: see `crate::io`).
//!
//! Conversions: `TryFrom` a std socket (it is put in non-blocking mode) and back (the mode is
//! restored; fails once closed), and the `AsFd`/`AsRawFd`/`FromRawFd`/`IntoRawFd` traits.
//!
//! ```
//! use gort::net::{TcpListener, TcpStream};
//! use std::io::{Read, Write};
//!
//! gort::run(|| {
//!     let listener = TcpListener::bind("127.0.0.1:0").unwrap();
//!     let addr = listener.local_addr().unwrap();
//!     gort::go(move || {
//!         let (mut conn, _) = listener.accept().unwrap();
//!         let mut buf = [0u8; 5];
//!         conn.read_exact(&mut buf).unwrap();
//!         conn.write_all(&buf).unwrap(); // echo
//!     });
//!     let mut c = TcpStream::connect(addr).unwrap();
//!     c.write_all(b"hello").unwrap();
//!     let mut back = [0u8; 5];
//!     c.read_exact(&mut back).unwrap();
//!     assert_eq!(&back, b"hello");
//! });
//! ```

mod connect;
mod tcp;
mod udp;
mod unix;

pub use tcp::{Incoming, TcpListener, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixDatagram, UnixIncoming, UnixListener, UnixStream};

/// The methods and trait implementations every socket type shares: `$t` wraps
/// `PolledFd<$std>` in a field `fd`.
macro_rules! socket_common {
    ($t:ident, $std:ty) => {
        impl $t {
            fn wrap(s: $std) -> std::io::Result<$t> {
                Ok($t {
                    fd: crate::io::fd::PolledFd::new(s, "network connection")?,
                })
            }

            /// Go's `SetDeadline`: both directions' deadlines, for the calls in progress and later
            /// ones (`None`: no deadline). Past the deadline, calls fail with
            /// `ErrorKind::TimedOut`.
            pub fn set_deadline(
                &self,
                deadline: Option<std::time::Instant>,
            ) -> std::io::Result<()> {
                use crate::io::fd::Dir;
                self.fd.set_deadline(&[Dir::Read, Dir::Write], deadline)
            }

            /// Go's `SetReadDeadline`: the read side's deadline (an accept's, on a listener).
            pub fn set_read_deadline(
                &self,
                deadline: Option<std::time::Instant>,
            ) -> std::io::Result<()> {
                self.fd.set_deadline(&[crate::io::fd::Dir::Read], deadline)
            }

            /// Go's `SetWriteDeadline`: the write side's deadline.
            pub fn set_write_deadline(
                &self,
                deadline: Option<std::time::Instant>,
            ) -> std::io::Result<()> {
                self.fd.set_deadline(&[crate::io::fd::Dir::Write], deadline)
            }

            /// Go's `Close`: wakes every goroutine waiting on the socket; their calls and every
            /// later one fail with `ErrorKind::NotConnected`. The descriptor is closed once no
            /// call uses it. A second close fails the same way.
            pub fn close(&self) -> std::io::Result<()> {
                self.fd.close()
            }

            /// `true`: calls return `WouldBlock` instead of waiting for readiness.
            pub fn set_nonblocking(&self, nonblocking: bool) -> std::io::Result<()> {
                self.fd.set_nonblocking(nonblocking)
            }

            /// The socket's pending error (`SO_ERROR`), cleared by reading it.
            pub fn take_error(&self) -> std::io::Result<Option<std::io::Error>> {
                self.fd.get()?.take_error()
            }

            /// A new handle to the same socket (a duplicated descriptor): each handle has its own
            /// deadlines and closes only itself. Converted back into a std socket while another
            /// handle lives, a handle leaves the socket in non-blocking mode, which the others
            /// need (the mode belongs to the socket, not to a descriptor).
            pub fn try_clone(&self) -> std::io::Result<$t> {
                let dup = self.fd.get()?.try_clone()?;
                Ok($t {
                    fd: crate::io::fd::PolledFd::new_duplicate(dup, &self.fd, "network connection"),
                })
            }
        }

        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self.fd.get() {
                    Ok(s) => std::fmt::Debug::fmt(&*s, f),
                    Err(_) => f
                        .debug_struct(stringify!($t))
                        .field("closed", &true)
                        .finish(),
                }
            }
        }

        impl TryFrom<$std> for $t {
            type Error = std::io::Error;
            /// Wraps a std socket, putting it in non-blocking mode.
            fn try_from(s: $std) -> std::io::Result<$t> {
                $t::wrap(s)
            }
        }

        impl TryFrom<$t> for $std {
            type Error = std::io::Error;
            /// Unwraps: deregistered, its blocking mode restored (unless a `try_clone` of it lives
            /// on). Fails once closed.
            fn try_from(s: $t) -> std::io::Result<$std> {
                s.fd.into_inner()
            }
        }

        impl std::os::fd::AsFd for $t {
            /// The descriptor (its number stays valid while the socket is not closed).
            fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
                // SAFETY: the descriptor stays open until `close` (then the borrow may dangle
                // as a number, which is what `AsFd` on a closed Go-style socket can only mean)
                // or until `self` is dropped, which the borrow prevents.
                unsafe { std::os::fd::BorrowedFd::borrow_raw(self.fd.raw()) }
            }
        }

        impl std::os::fd::AsRawFd for $t {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                self.fd.raw()
            }
        }

        impl std::os::fd::FromRawFd for $t {
            /// # Panics
            /// If `fd` cannot be put in non-blocking mode (it is not an open descriptor).
            unsafe fn from_raw_fd(fd: std::os::fd::RawFd) -> $t {
                // SAFETY: the caller hands over an open socket descriptor it owns.
                let s = unsafe { <$std>::from_raw_fd(fd) };
                $t::wrap(s).expect("gort::net: from_raw_fd: not an open descriptor")
            }
        }

        impl std::os::fd::IntoRawFd for $t {
            /// # Panics
            /// If the socket was closed with `close`.
            fn into_raw_fd(self) -> std::os::fd::RawFd {
                let s: $std = self
                    .fd
                    .into_inner()
                    .expect("gort::net: into_raw_fd of a closed socket");
                s.into_raw_fd()
            }
        }

        impl From<$t> for std::os::fd::OwnedFd {
            /// # Panics
            /// If the socket was closed with `close`.
            fn from(s: $t) -> std::os::fd::OwnedFd {
                use std::os::fd::{FromRawFd, IntoRawFd};
                // SAFETY: `into_raw_fd` hands over ownership of an open descriptor.
                unsafe { std::os::fd::OwnedFd::from_raw_fd(s.into_raw_fd()) }
            }
        }
    };
}

/// std's per-call timeouts, for sockets that have them.
macro_rules! socket_timeouts {
    ($t:ident) => {
        impl $t {
            /// std's read timeout: each read fails with `ErrorKind::TimedOut` after waiting this
            /// long (`None`: no timeout; `Some(0)` is refused with `InvalidInput`).
            pub fn set_read_timeout(&self, t: Option<std::time::Duration>) -> std::io::Result<()> {
                self.fd.set_timeout(crate::io::fd::Dir::Read, t)
            }

            /// std's write timeout, as [`set_read_timeout`](Self::set_read_timeout).
            pub fn set_write_timeout(&self, t: Option<std::time::Duration>) -> std::io::Result<()> {
                self.fd.set_timeout(crate::io::fd::Dir::Write, t)
            }

            /// The read timeout.
            pub fn read_timeout(&self) -> std::io::Result<Option<std::time::Duration>> {
                self.fd.timeout(crate::io::fd::Dir::Read)
            }

            /// The write timeout.
            pub fn write_timeout(&self) -> std::io::Result<Option<std::time::Duration>> {
                self.fd.timeout(crate::io::fd::Dir::Write)
            }
        }
    };
}

/// `Read` and `Write` for a stream type and for a reference to it.
macro_rules! stream_io {
    ($t:ident) => {
        impl std::io::Read for &$t {
            /// Reads what is there, parking until something is. A read into an empty buffer
            /// returns 0 at once (the kernel would wait for data first), as Go's does; it still
            /// fails on a closed socket or past the read deadline.
            #[track_caller]
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.fd.io(crate::io::fd::Dir::Read, |s| {
                    if buf.is_empty() {
                        return Ok(0);
                    }
                    let mut s = s;
                    std::io::Read::read(&mut s, buf)
                })
            }

            #[track_caller]
            fn read_vectored(
                &mut self,
                bufs: &mut [std::io::IoSliceMut<'_>],
            ) -> std::io::Result<usize> {
                self.fd.io(crate::io::fd::Dir::Read, |s| {
                    if bufs.iter().all(|b| b.is_empty()) {
                        return Ok(0);
                    }
                    let mut s = s;
                    std::io::Read::read_vectored(&mut s, bufs)
                })
            }
        }

        impl std::io::Write for &$t {
            /// Writes all of `buf` (see the module comment: writes are whole).
            #[track_caller]
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.fd
                    .write_whole(buf, |s, b| crate::net::connect::send(s, b))
            }

            /// Writes all of `bufs`, whole, as one write.
            #[track_caller]
            fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
                let mut nonempty = bufs.iter().filter(|b| !b.is_empty());
                match (nonempty.next(), nonempty.next()) {
                    (None, _) => self.write(&[]),
                    (Some(one), None) => self.write(one),
                    _ => self.write(
                        &bufs
                            .iter()
                            .flat_map(|b| b.iter().copied())
                            .collect::<Vec<u8>>(),
                    ),
                }
            }

            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }

        impl std::io::Read for $t {
            #[track_caller]
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                (&*self).read(buf)
            }

            #[track_caller]
            fn read_vectored(
                &mut self,
                bufs: &mut [std::io::IoSliceMut<'_>],
            ) -> std::io::Result<usize> {
                (&*self).read_vectored(bufs)
            }
        }

        impl std::io::Write for $t {
            #[track_caller]
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                (&*self).write(buf)
            }

            #[track_caller]
            fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
                (&*self).write_vectored(bufs)
            }

            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
    };
}

pub(crate) use socket_common;
pub(crate) use socket_timeouts;
pub(crate) use stream_io;
