//! The operating system's side of the poller, behind one small seam: an edge-triggered epoll
//! instance and an eventfd that breaks a blocking wait. Nothing above this file names an epoll
//! call, so a kqueue port would replace this file alone.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;

/// Readiness as the poller sees it: the kernel's bits folded into the two directions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Readiness {
    /// Reading (or accepting) may make progress: data, end of stream, hang-up or an error.
    pub(crate) read: bool,
    /// Writing (or connecting) may make progress: room, hang-up or an error.
    pub(crate) write: bool,
}

/// One readiness event: the token given at registration, and what became ready.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Event {
    pub(crate) token: u64,
    pub(crate) ready: Readiness,
}

/// An epoll instance with an eventfd registered in it under [`Epoll::WAKE_TOKEN`].
pub(crate) struct Epoll {
    epfd: OwnedFd,
    eventfd: OwnedFd,
    /// Whether `epoll_pwait2` (nanosecond timeouts, Linux 5.11) is there; if not, `epoll_wait`
    /// with the timeout rounded up to whole milliseconds, so a timer never fires early.
    pwait2: std::sync::atomic::AtomicBool,
}

impl Epoll {
    /// The token of the eventfd's events. Descriptor tokens never take it (see `Poller::token`).
    pub(crate) const WAKE_TOKEN: u64 = u64::MAX;

    pub(crate) fn new() -> io::Result<Epoll> {
        // SAFETY: plain system calls with constant flags; each result is checked before use, and a
        // valid descriptor is owned by the `OwnedFd` made from it at once.
        let epfd = unsafe { owned(libc::epoll_create1(libc::EPOLL_CLOEXEC))? };
        // SAFETY: as above.
        let eventfd = unsafe { owned(libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK))? };
        let ep = Epoll {
            epfd,
            eventfd,
            pwait2: std::sync::atomic::AtomicBool::new(true),
        };
        // Level-triggered: a break stays visible until `drain_wake` reads the counter.
        ep.ctl(
            libc::EPOLL_CTL_ADD,
            ep.eventfd.as_raw_fd(),
            libc::EPOLLIN as u32,
            Self::WAKE_TOKEN,
        )?;
        Ok(ep)
    }

    /// Registers `fd` once, for both directions, edge-triggered.
    pub(crate) fn add(&self, fd: RawFd, token: u64) -> io::Result<()> {
        let events = libc::EPOLLIN | libc::EPOLLOUT | libc::EPOLLRDHUP | libc::EPOLLET;
        self.ctl(libc::EPOLL_CTL_ADD, fd, events as u32, token)
    }

    /// Takes `fd` out of the interest list (before it is closed: a duplicate of it would keep the
    /// registration, and its events, alive).
    pub(crate) fn delete(&self, fd: RawFd) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_DEL, fd, 0, 0)
    }

    fn ctl(&self, op: libc::c_int, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
        let mut ev = libc::epoll_event { events, u64: token };
        // SAFETY: `ev` is a valid epoll_event for the call's duration; the kernel validates `fd`.
        let r = unsafe { libc::epoll_ctl(self.epfd.as_raw_fd(), op, fd, &mut ev) };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Waits for events, at most `timeout` (`None`: until one comes; zero: just look), into `buf`,
    /// which it clears first. An interrupted wait returns no events.
    pub(crate) fn wait(&self, buf: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()> {
        const MAX: usize = 128;
        buf.clear();
        let mut raw = [libc::epoll_event { events: 0, u64: 0 }; MAX];
        let n = self.wait_raw(&mut raw, timeout)?;
        buf.extend(raw[..n].iter().map(|e| {
            let bits = e.events as libc::c_int;
            let hup = bits & (libc::EPOLLHUP | libc::EPOLLERR) != 0;
            Event {
                token: e.u64,
                ready: Readiness {
                    read: hup || bits & (libc::EPOLLIN | libc::EPOLLRDHUP | libc::EPOLLPRI) != 0,
                    write: hup || bits & libc::EPOLLOUT != 0,
                },
            }
        }));
        Ok(())
    }

    fn wait_raw(
        &self,
        raw: &mut [libc::epoll_event],
        timeout: Option<Duration>,
    ) -> io::Result<usize> {
        use std::sync::atomic::Ordering::Relaxed;
        let max = raw.len() as libc::c_int;
        let r = if self.pwait2.load(Relaxed) {
            let ts = timeout.map(timespec);
            let tsp = ts
                .as_ref()
                .map_or(std::ptr::null(), |t| t as *const libc::timespec);
            // SAFETY: `raw` has room for `max` events; `tsp` is null or points to `ts`, alive for
            // the call; a null sigmask leaves the thread's mask alone.
            unsafe {
                libc::syscall(
                    libc::SYS_epoll_pwait2,
                    self.epfd.as_raw_fd(),
                    raw.as_mut_ptr(),
                    max,
                    tsp,
                    std::ptr::null::<libc::sigset_t>(),
                    0usize,
                ) as libc::c_int
            }
        } else {
            let ms = timeout.map_or(-1, |d| {
                // Rounded up: waking early would make the caller's timer fire before its deadline.
                let ms = d.as_nanos().div_ceil(1_000_000);
                ms.min(i32::MAX as u128) as libc::c_int
            });
            // SAFETY: `raw` has room for `max` events.
            unsafe { libc::epoll_wait(self.epfd.as_raw_fd(), raw.as_mut_ptr(), max, ms) }
        };
        if r < 0 {
            let e = io::Error::last_os_error();
            return match e.raw_os_error() {
                Some(libc::EINTR) => Ok(0),
                Some(libc::ENOSYS) if self.pwait2.load(Relaxed) => {
                    self.pwait2.store(false, Relaxed);
                    self.wait_raw(raw, timeout)
                }
                _ => Err(e),
            };
        }
        Ok(r as usize)
    }

    /// Makes a blocking [`wait`](Self::wait) return (now, or at once when it next starts).
    pub(crate) fn wake(&self) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a live u64 to our eventfd. It fails only when the counter
        // would overflow, and then a wake-up is pending anyway.
        let _ = unsafe {
            libc::write(
                self.eventfd.as_raw_fd(),
                (&one as *const u64).cast(),
                std::mem::size_of::<u64>(),
            )
        };
    }

    /// Resets the eventfd after a wake-up was seen.
    pub(crate) fn drain_wake(&self) {
        let mut n: u64 = 0;
        // SAFETY: reads 8 bytes into a live u64; the eventfd is non-blocking, so an empty counter
        // gives EAGAIN, which is fine (someone drained it already).
        let _ = unsafe {
            libc::read(
                self.eventfd.as_raw_fd(),
                (&mut n as *mut u64).cast(),
                std::mem::size_of::<u64>(),
            )
        };
    }
}

/// A duration as the kernel takes it (saturating at the largest number of seconds).
fn timespec(d: Duration) -> libc::timespec {
    libc::timespec {
        tv_sec: d.as_secs().min(i64::MAX as u64) as libc::time_t,
        tv_nsec: d.subsec_nanos() as libc::c_long,
    }
}

/// Wraps a system call's descriptor result.
///
/// # Safety
/// `fd`, when not negative, must be a fresh descriptor that nothing else owns.
unsafe fn owned(fd: RawFd) -> io::Result<OwnedFd> {
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the caller's promise: a fresh descriptor, owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Waits in `poll(2)` until `fd` is ready for `write` (else reading) or `timeout` passes: how a
/// thread with no poller of its own waits. Returns false on timeout.
pub(crate) fn poll_one(fd: RawFd, write: bool, timeout: Option<Duration>) -> io::Result<bool> {
    let events = if write { libc::POLLOUT } else { libc::POLLIN };
    let mut pfd = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    let ts = timeout.map(timespec);
    let tsp = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: one live pollfd; `tsp` null or pointing to `ts`, alive for the call.
    let r = unsafe { libc::ppoll(&mut pfd, 1, tsp, std::ptr::null()) };
    if r < 0 {
        let e = io::Error::last_os_error();
        return if e.raw_os_error() == Some(libc::EINTR) {
            Ok(true)
        } else {
            Err(e)
        };
    }
    if r > 0 && pfd.revents & libc::POLLNVAL != 0 {
        return Err(io::Error::from_raw_os_error(libc::EBADF));
    }
    Ok(r > 0)
}
