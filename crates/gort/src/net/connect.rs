//! Connecting without blocking the thread, and sending without `SIGPIPE`.

use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

use socket2::{Domain, SockAddr, SockRef, Socket, Type};

use crate::io::fd::{timed_out, Dir, PolledFd};
use crate::park::WaitReason;

/// How long a Unix connect to a full backlog first waits before trying again; it doubles up to
/// [`FULL_BACKLOG_LAST_WAIT`].
const FULL_BACKLOG_FIRST_WAIT: Duration = Duration::from_micros(50);
const FULL_BACKLOG_LAST_WAIT: Duration = Duration::from_millis(10);

/// Makes a stream socket for `addr` and connects it, waiting (in the poller, on a goroutine)
/// until the connection is made, refused, or `deadline` passes (`ErrorKind::TimedOut`).
#[track_caller]
pub(crate) fn connect_stream<S>(
    addr: &SockAddr,
    deadline: Option<Instant>,
) -> io::Result<PolledFd<S>>
where
    S: From<Socket> + AsFd,
{
    let domain = if addr.is_unix() {
        Domain::UNIX
    } else {
        Domain::from(addr.family() as i32)
    };
    // socket2 makes it close-on-exec.
    let sock = Socket::new(domain, Type::STREAM, None)?;
    let fd = PolledFd::new(S::from(sock), "network connection")?;
    let mut backoff = FULL_BACKLOG_FIRST_WAIT;
    loop {
        let r = SockRef::from(&*fd.get()?).connect(addr);
        match r {
            Ok(()) => return Ok(fd),
            Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {
                wait_connected(&fd, deadline)?;
                return Ok(fd);
            }
            // A Unix socket whose listener's backlog is full. Nothing can be polled for room: a
            // socket not connected yet always polls writable (waiting for that retried in a
            // busy loop), and the kernel's own wait for room is on the listener's side. So
            // park a while and try again, backing off, never past the deadline.
            Err(e) if e.raw_os_error() == Some(libc::EAGAIN) && addr.is_unix() => {
                let now = Instant::now();
                if deadline.is_some_and(|d| d <= now) {
                    return Err(timed_out());
                }
                let until = now + backoff;
                let until = deadline.map_or(until, |d| d.min(until));
                crate::park::park_until(WaitReason::IoWait, until);
                backoff = (backoff * 2).min(FULL_BACKLOG_LAST_WAIT);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Waits for a connect in progress to end; its outcome is the socket's pending error.
#[track_caller]
fn wait_connected<S: AsFd>(fd: &PolledFd<S>, deadline: Option<Instant>) -> io::Result<()> {
    fd.ready(Dir::Write, deadline)?;
    match SockRef::from(&*fd.get()?).take_error()? {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// `send(2)` with `MSG_NOSIGNAL`: a write to a closed peer is `BrokenPipe`, never `SIGPIPE`.
pub(crate) fn send<S: AsFd>(s: &S, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for `buf.len()` bytes; the descriptor is open while `s` is borrowed.
    let n = unsafe {
        libc::send(
            s.as_fd().as_raw_fd(),
            buf.as_ptr().cast(),
            buf.len(),
            libc::MSG_NOSIGNAL,
        )
    };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n as usize)
}
