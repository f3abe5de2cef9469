//! Helpers for the network tests: connected pairs, unique Unix socket paths, descriptor flags, and
//! waiting until a goroutine is parked on a descriptor (its "IO wait" state in `gort::dump()`), so
//! that a test acts on a blocked call without guessing with a sleep.

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use gort::net::{TcpListener, TcpStream, UnixListener, UnixStream};

/// A listener on an ephemeral loopback port.
pub fn tcp_listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0")
}

/// A connected TCP pair: (the connecting side, the accepted side). Works on a goroutine and on a
/// plain thread: the kernel completes a loopback connect into the backlog before `accept`.
pub fn tcp_pair() -> (TcpStream, TcpStream) {
    let l = tcp_listener();
    let c = TcpStream::connect(l.local_addr().unwrap()).expect("connect");
    let (s, _) = l.accept().expect("accept");
    (c, s)
}

/// A path for a Unix socket, unique in this process and across processes; the file is removed
/// when it is dropped.
pub struct SockPath(PathBuf);

impl SockPath {
    pub fn new(what: &str) -> SockPath {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let p =
            std::env::temp_dir().join(format!("gort-test-{}-{what}-{n}.sock", std::process::id()));
        let _ = std::fs::remove_file(&p);
        SockPath(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for SockPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A Unix listener at a fresh path, and a connected pair through it: (listener, path, connecting
/// side, accepted side).
pub fn unix_pair_via_listener() -> (UnixListener, SockPath, UnixStream, UnixStream) {
    let path = SockPath::new("listener");
    let l = UnixListener::bind(path.path()).expect("bind unix");
    let c = UnixStream::connect(path.path()).expect("connect unix");
    let (s, _) = l.accept().expect("accept unix");
    (l, path, c, s)
}

/// The state word of goroutine `id` in `dump` ("IO wait", "running"...), if it is listed.
pub fn state_of(dump: &str, id: u64) -> Option<String> {
    let head = format!("goroutine {id} [");
    let start = dump.find(&head)? + head.len();
    let end = dump[start..].find(']')? + start;
    Some(dump[start..end].to_string())
}

/// From a goroutine of the same runtime: waits until every goroutine of `ids` is parked on a
/// descriptor ("IO wait" in the dump).
pub fn wait_in_io_wait(ids: &[u64]) {
    wait_in_state(ids, "IO wait");
}

/// As [`wait_in_io_wait`], for any wait reason (`"chan receive"`, `"sleep"`...).
pub fn wait_in_state(ids: &[u64], state: &str) {
    assert!(
        gort::Handle::try_current().is_some(),
        "wait_in_state needs a goroutine: gort::dump() is empty on a plain thread"
    );
    for &id in ids {
        super::wait_goroutine_waiting(id, state);
    }
}

/// `fcntl(fd, F_GETFD)` has `FD_CLOEXEC`.
pub fn is_cloexec(fd: &impl AsRawFd) -> bool {
    // SAFETY: F_GETFD takes no argument; the descriptor is borrowed, so open.
    let flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFD) };
    assert!(flags >= 0, "F_GETFD: {}", io::Error::last_os_error());
    flags & libc::FD_CLOEXEC != 0
}

/// `fcntl(fd, F_GETFL)` has `O_NONBLOCK`.
pub fn is_nonblocking(fd: RawFd) -> bool {
    // SAFETY: F_GETFL takes no argument; the kernel validates `fd`.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    assert!(flags >= 0, "F_GETFL: {}", io::Error::last_os_error());
    flags & libc::O_NONBLOCK != 0
}

/// What descriptor number `fd` names now (`socket:[inode]`, a path...), if it is open: a closed
/// descriptor, or one reused for another file, reads differently.
pub fn fd_target(fd: RawFd) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/self/fd/{fd}")).ok()
}

/// Asserts that `r` failed because the socket was closed (`NotConnected`, "use of closed ...").
#[track_caller]
pub fn assert_closed_error<T: std::fmt::Debug>(r: io::Result<T>, call: &str) {
    match r {
        Err(e) => {
            assert_eq!(e.kind(), io::ErrorKind::NotConnected, "{call}: {e}");
            assert!(
                e.to_string().contains("use of closed"),
                "{call}: the error must say the socket was closed: {e}"
            );
        }
        Ok(v) => panic!("{call} on a closed socket succeeded: {v:?}"),
    }
}

/// Asserts that `r` failed with `ErrorKind::TimedOut`.
#[track_caller]
pub fn assert_timed_out<T: std::fmt::Debug>(r: io::Result<T>, call: &str) {
    match r {
        Err(e) => assert_eq!(e.kind(), io::ErrorKind::TimedOut, "{call}: {e}"),
        Ok(v) => panic!("{call} past its deadline succeeded: {v:?}"),
    }
}

/// From a plain thread: waits until some thread of this process sleeps in `epoll_pwait2` (or
/// `epoll_wait`), that is, a runtime's M blocked in its poller. In a binary whose other tests run
/// runtimes at the same time it may be one of theirs; the wait then only ends sooner.
pub fn wait_poller_blocked() {
    super::wait_for("an M blocked in the poller", || {
        super::tasks()
            .into_iter()
            .any(|tid| {
                std::fs::read_to_string(format!("/proc/self/task/{tid}/syscall"))
                    .ok()
                    .and_then(|s| s.split_whitespace().next()?.parse::<i64>().ok())
                    .is_some_and(|nr| nr == libc::SYS_epoll_pwait2 || nr == libc::SYS_epoll_wait)
            })
            .then_some(())
    });
}
