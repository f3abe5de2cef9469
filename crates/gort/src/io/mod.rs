//! Waiting for readiness on any pollable descriptor: pipes, sockets, eventfd, signalfd, timerfd,
//! inotify, pidfd... (Go's `RawConn` and `internal/poll`).
//!
//! A goroutine waits in its runtime's network poller and frees its thread meanwhile; a plain
//! thread (or a goroutine after its runtime stopped) waits in `poll(2)`. [`PollFd`] wraps a
//! descriptor you own and retries your non-blocking calls until they stop saying `WouldBlock`;
//! [`wait_readable`] and [`wait_writable`] wait once on a descriptor you only borrow.
//!
//! **`O_NONBLOCK` is shared.** [`PollFd::new`] puts the descriptor in non-blocking mode, and that
//! flag belongs to the *open file description*, which every duplicate of the descriptor shares,
//! in this process and in others (a shell's terminal, a parent's pipe). Never wrap an inherited
//! standard input or a descriptor some other code reads in blocking mode: it will start getting
//! `EAGAIN`. [`wait_readable`]/[`wait_writable`] leave the mode alone.
//!
//! **Regular files and directories** cannot be polled (epoll refuses them: they are always
//! "ready", and a read of a slow disk blocks anyway). Wrapping one is an error; do blocking file
//! I/O inside [`gort::syscall`](crate::syscall), which lets other goroutines run meanwhile.

pub(crate) mod fd;

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::time::Instant;

use fd::{Dir, PolledFd};

/// A descriptor owned by `T`, put in non-blocking mode, whose calls wait for readiness through
/// the poller.
///
/// ```
/// use gort::io::PollFd;
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
///
/// gort::run(|| {
///     let (a, b) = UnixStream::pair().unwrap();
///     let a = PollFd::new(a).unwrap();
///     let writer = gort::spawn(move || {
///         gort::time::sleep(std::time::Duration::from_millis(10));
///         (&b).write_all(b"ping").unwrap();
///     });
///     let mut buf = [0u8; 4];
///     // Parks this goroutine (not its thread) until the data comes.
///     let n = a.read_with(|s| (&*s).read(&mut buf)).unwrap();
///     assert_eq!(&buf[..n], b"ping");
///     writer.join().unwrap();
/// });
/// ```
pub struct PollFd<T: AsFd> {
    fd: PolledFd<T>,
}

impl<T: AsFd> PollFd<T> {
    /// Wraps `t`, putting its descriptor in non-blocking mode (read the module's note on
    /// `O_NONBLOCK`). Fails with `InvalidInput` for a regular file or a directory, and with the
    /// system's error for a descriptor that is not open.
    ///
    /// ```
    /// let f = std::fs::File::open("/etc/hostname").or_else(|_| std::fs::File::open("/proc/self/stat")).unwrap();
    /// let err = gort::io::PollFd::new(f).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    /// ```
    pub fn new(t: T) -> io::Result<PollFd<T>> {
        check_pollable(t.as_fd())?;
        Ok(PollFd {
            fd: PolledFd::new(t, "file")?,
        })
    }

    /// Waits until the descriptor is readable (data, end of file, hang-up or error), or
    /// `deadline` passes (`ErrorKind::TimedOut`). Returns at once if it is readable now.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// gort::run(|| {
    ///     let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
    ///     let a = gort::io::PollFd::new(a).unwrap();
    ///     let e = a.readable(Some(Instant::now() + Duration::from_millis(5))).unwrap_err();
    ///     assert_eq!(e.kind(), std::io::ErrorKind::TimedOut);
    /// });
    /// ```
    #[track_caller]
    pub fn readable(&self, deadline: Option<Instant>) -> io::Result<()> {
        self.fd.ready(Dir::Read, deadline)
    }

    /// Waits until the descriptor is writable, or `deadline` passes (`ErrorKind::TimedOut`).
    ///
    /// ```
    /// gort::run(|| {
    ///     let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
    ///     let a = gort::io::PollFd::new(a).unwrap();
    ///     a.writable(None).unwrap(); // an empty socket buffer has room
    /// });
    /// ```
    #[track_caller]
    pub fn writable(&self, deadline: Option<Instant>) -> io::Result<()> {
        self.fd.ready(Dir::Write, deadline)
    }

    /// Runs `f`, a non-blocking read-side call, until it returns anything but `WouldBlock`,
    /// waiting for readability in between (Go's `RawConn.Read`). One reader at a time.
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// gort::run(|| {
    ///     let (a, mut b) = std::os::unix::net::UnixStream::pair().unwrap();
    ///     b.write_all(b"x").unwrap();
    ///     let a = gort::io::PollFd::new(a).unwrap();
    ///     let mut buf = [0u8; 1];
    ///     assert_eq!(a.read_with(|s| (&*s).read(&mut buf)).unwrap(), 1);
    /// });
    /// ```
    #[track_caller]
    pub fn read_with<R>(&self, f: impl FnMut(&T) -> io::Result<R>) -> io::Result<R> {
        self.fd.io(Dir::Read, f)
    }

    /// Runs `f`, a non-blocking write-side call, until it returns anything but `WouldBlock`,
    /// waiting for writability in between (Go's `RawConn.Write`). One writer at a time.
    ///
    /// ```
    /// use std::io::Write;
    /// gort::run(|| {
    ///     let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
    ///     let a = gort::io::PollFd::new(a).unwrap();
    ///     assert_eq!(a.write_with(|s| (&*s).write(b"hi")).unwrap(), 2);
    /// });
    /// ```
    #[track_caller]
    pub fn write_with<R>(&self, f: impl FnMut(&T) -> io::Result<R>) -> io::Result<R> {
        self.fd.io(Dir::Write, f)
    }

    /// The wrapped value.
    ///
    /// ```
    /// use std::os::fd::AsRawFd;
    /// let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
    /// let raw = a.as_raw_fd();
    /// let p = gort::io::PollFd::new(a).unwrap();
    /// assert_eq!(p.get_ref().as_raw_fd(), raw);
    /// ```
    pub fn get_ref(&self) -> &T {
        self.fd.value()
    }

    /// Unwraps: deregistered from the poller, its blocking mode put back as it was. The
    /// descriptor can be wrapped again.
    ///
    /// ```
    /// let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
    /// let p = gort::io::PollFd::new(a).unwrap();
    /// let a = p.into_inner();
    /// let _again = gort::io::PollFd::new(a).unwrap();
    /// ```
    pub fn into_inner(self) -> T {
        self.fd
            .into_inner()
            .expect("a PollFd is never closed, so it can always be unwrapped")
    }
}

impl<T: AsFd> AsFd for PollFd<T> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.get_ref().as_fd()
    }
}

impl<T: AsFd> AsRawFd for PollFd<T> {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.fd.raw()
    }
}

impl<T: AsFd + std::fmt::Debug> std::fmt::Debug for PollFd<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollFd")
            .field("inner", self.get_ref())
            .finish()
    }
}

/// Waits once until `fd` is readable, or `deadline` passes (`ErrorKind::TimedOut`), leaving its
/// blocking mode alone. Returns at once if it is readable now.
///
/// ```
/// use std::io::Write;
/// use std::os::fd::AsFd;
/// gort::run(|| {
///     let (a, mut b) = std::os::unix::net::UnixStream::pair().unwrap();
///     gort::go(move || b.write_all(b"!").unwrap());
///     gort::io::wait_readable(a.as_fd(), None).unwrap();
/// });
/// ```
#[track_caller]
pub fn wait_readable(fd: BorrowedFd<'_>, deadline: Option<Instant>) -> io::Result<()> {
    wait_once(fd, Dir::Read, deadline)
}

/// Waits once until `fd` is writable, or `deadline` passes (`ErrorKind::TimedOut`).
///
/// ```
/// use std::os::fd::AsFd;
/// gort::run(|| {
///     let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
///     gort::io::wait_writable(a.as_fd(), None).unwrap();
/// });
/// ```
#[track_caller]
pub fn wait_writable(fd: BorrowedFd<'_>, deadline: Option<Instant>) -> io::Result<()> {
    wait_once(fd, Dir::Write, deadline)
}

#[track_caller]
fn wait_once(fd: BorrowedFd<'_>, dir: Dir, deadline: Option<Instant>) -> io::Result<()> {
    check_pollable(fd)?;
    // A duplicate of our own is registered (and deregistered): the caller's descriptor may be
    // registered already by its owner, and its blocking mode is left alone.
    let dup = fd.try_clone_to_owned()?;
    let polled = PolledFd::for_readiness(dup, "file");
    polled.ready(dir, deadline)
}

/// Refuses descriptors that epoll cannot wait on, with an error that says what to do instead.
fn check_pollable(fd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: `st` is a plain struct the kernel fills; `fd` is borrowed, so open.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    if unsafe { libc::fstat(fd.as_raw_fd(), &mut st) } < 0 {
        return Err(io::Error::last_os_error());
    }
    let kind = match st.st_mode & libc::S_IFMT {
        libc::S_IFREG => "a regular file",
        libc::S_IFDIR => "a directory",
        _ => return Ok(()),
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "gort::io: descriptor {} is {kind}, which cannot be polled (it is always ready); \
             do blocking file I/O inside gort::syscall instead",
            fd.as_raw_fd()
        ),
    ))
}
