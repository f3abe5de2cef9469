//! `gort::io`: readiness on any pollable descriptor (pipes, eventfd...). Bad input gets a clear
//! error and never a hang: a regular file or a directory is refused with `InvalidInput` (pointing
//! to `gort::syscall`, its blocking mode untouched), a descriptor that is not open with `EBADF`.
//! `PollFd`'s calls park until the descriptor is ready, deadlines give `TimedOut`, and
//! `into_inner` gives the descriptor back in its blocking mode, out of the poller; pipes, eventfd,
//! timerfd and pidfd all wait the same way.

mod common;

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::net::{assert_timed_out, is_nonblocking, wait_in_io_wait};
use common::Watchdog;
use gort::io::{wait_readable, wait_writable, PollFd};

const LIMIT: Duration = Duration::from_secs(60);

/// A pipe as two files: (read end, write end), both blocking and close-on-exec.
fn pipe() -> (File, File) {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` has room for the two descriptors the kernel writes.
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    assert_eq!(rc, 0, "pipe2: {}", io::Error::last_os_error());
    // SAFETY: both descriptors are fresh and owned by nobody else.
    unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) }
}

fn far() -> Option<Instant> {
    Some(Instant::now() + Duration::from_secs(20))
}

/// A regular file and a directory are refused with `InvalidInput`, an error that names the
/// kind of file and points to `gort::syscall`; the file is left in blocking mode.
#[test]
fn regular_files_and_directories_are_refused_with_invalid_input() {
    let _w = Watchdog::new("regular file", LIMIT);
    let dir = std::env::temp_dir().join(format!("gort-pollfd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("regular");
    std::fs::write(&path, b"data").unwrap();
    let check = || {
        let f = File::open(&path).unwrap();
        let same = f.try_clone().unwrap(); // shares the open file description, and its flags
        let e = PollFd::new(f).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
        let msg = e.to_string();
        assert!(
            msg.contains("regular file") && msg.contains("gort::syscall"),
            "{msg}"
        );
        assert!(
            !is_nonblocking(same.as_raw_fd()),
            "the file was made non-blocking"
        );
        for r in [
            wait_readable(same.as_fd(), None),
            wait_writable(same.as_fd(), None),
        ] {
            let e = r.unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
        }
        let d = File::open(&dir).unwrap();
        let e = PollFd::new(d).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
        assert!(e.to_string().contains("directory"), "{e}");
    };
    gort::run(check);
    check();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A descriptor number that is not open is refused with `EBADF`, at once, by `PollFd::new` and
/// by the one-off waits.
#[test]
fn a_descriptor_that_is_not_open_is_refused_with_ebadf() {
    let _w = Watchdog::new("not open", LIMIT);
    // A number at the descriptor limit: the kernel can never hand it out, so it is closed for
    // the whole test, whatever other tests open meanwhile.
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid rlimit for the kernel to fill.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
    let n = lim.rlim_cur.min(i32::MAX as u64) as i32;
    let check = || {
        // SAFETY: no descriptor can have this number (see above); the calls below only pass the
        // number to the kernel, which answers EBADF: this is the bad input under test.
        let bad = unsafe { BorrowedFd::borrow_raw(n) };
        let e = PollFd::new(bad).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EBADF), "PollFd::new: {e}");
        let e = wait_readable(bad, far()).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EBADF), "wait_readable: {e}");
        let e = wait_writable(bad, far()).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EBADF), "wait_writable: {e}");
    };
    gort::run(check);
    check();
}

/// `read_with` on a pipe parks the goroutine ("IO wait") until another writes, then returns the
/// data; `readable` returns at once while data is there and times out when it is not.
#[test]
fn read_with_parks_until_the_pipe_has_data() {
    let _w = Watchdog::new("pipe read_with", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let (r, w) = pipe();
            let r = Arc::new(PollFd::new(r).unwrap());
            let r2 = r.clone();
            let reader = gort::spawn(move || {
                let mut buf = [0u8; 8];
                r2.read_with(|mut f| f.read(&mut buf))
                    .map(|n| buf[..n].to_vec())
            });
            wait_in_io_wait(&[reader.id()]);
            (&w).write_all(b"pipe").unwrap();
            assert_eq!(reader.join().unwrap().unwrap(), b"pipe");

            assert_timed_out(
                r.readable(Some(Instant::now() + Duration::from_millis(5))),
                "readable on an empty pipe",
            );
            (&w).write_all(b"x").unwrap();
            r.readable(Some(Instant::now())).unwrap();
            r.readable(None).unwrap();
            let mut b = [0u8; 1];
            assert_eq!(r.read_with(|mut f| f.read(&mut b)).unwrap(), 1);
        });
    }
}

/// `write_with` on a full pipe parks until a reader makes room; `writable` with a deadline
/// times out while the pipe stays full.
#[test]
fn write_with_parks_until_the_pipe_has_room() {
    let _w = Watchdog::new("pipe write_with", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let (r, w) = pipe();
        let w = Arc::new(PollFd::new(w).unwrap());
        // Fill it: non-blocking writes until WouldBlock.
        let chunk = [9u8; 4096];
        let mut filled = 0;
        loop {
            match w.get_ref().write(&chunk) {
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("fill: {e}"),
            }
        }
        assert_timed_out(
            w.writable(Some(Instant::now() + Duration::from_millis(5))),
            "writable on a full pipe",
        );
        let w2 = w.clone();
        let writer = gort::spawn(move || w2.write_with(|mut f| f.write(b"tail")));
        wait_in_io_wait(&[writer.id()]);
        let mut drained = vec![0u8; filled];
        (&r).read_exact(&mut drained).unwrap();
        assert_eq!(writer.join().unwrap().unwrap(), 4);
        let mut tail = [0u8; 4];
        (&r).read_exact(&mut tail).unwrap();
        assert_eq!(&tail, b"tail");
    });
}

/// `into_inner` gives the descriptor back blocking (as it was) and out of the poller: wrapped
/// again, it parks in the poller again ("IO wait"). A descriptor that was non-blocking before
/// stays so.
#[test]
fn into_inner_restores_the_blocking_mode_and_allows_wrapping_again() {
    let _w = Watchdog::new("into_inner", LIMIT);
    gort::run(|| {
        let (r, w) = pipe();
        let raw = r.as_raw_fd();
        let mut r = r;
        for round in 0..3 {
            let p = Arc::new(PollFd::new(r).unwrap());
            assert!(is_nonblocking(raw), "round {round}: wrapped");
            let p2 = p.clone();
            let reader = gort::spawn(move || {
                let mut b = [0u8; 1];
                p2.read_with(|mut f| f.read(&mut b))
            });
            wait_in_io_wait(&[reader.id()]);
            (&w).write_all(b"!").unwrap();
            assert_eq!(reader.join().unwrap().unwrap(), 1);
            r = Arc::try_unwrap(p).ok().unwrap().into_inner();
            assert!(!is_nonblocking(raw), "round {round}: unwrapped");
        }
        // SAFETY: sets O_NONBLOCK on a descriptor we own, with its own flags.
        unsafe {
            let fl = libc::fcntl(raw, libc::F_GETFL);
            libc::fcntl(raw, libc::F_SETFL, fl | libc::O_NONBLOCK);
        }
        let r = PollFd::new(r).unwrap().into_inner();
        assert!(
            is_nonblocking(r.as_raw_fd()),
            "non-blocking before, so after"
        );
    });
}

/// `wait_readable` on a borrowed descriptor parks until it is readable and leaves its blocking
/// mode alone, even while its owner's `PollFd` has it registered too.
#[test]
fn wait_readable_on_a_borrowed_descriptor_leaves_its_mode_alone() {
    let _w = Watchdog::new("wait_readable", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let (r, w) = pipe();
        let r = Arc::new(r);
        let r2 = r.clone();
        let waiter = gort::spawn(move || wait_readable(r2.as_fd(), far()));
        wait_in_io_wait(&[waiter.id()]);
        (&w).write_all(b"a").unwrap();
        waiter.join().unwrap().unwrap();
        assert!(
            !is_nonblocking(r.as_raw_fd()),
            "wait_readable changed the mode"
        );
        let mut b = [0u8; 1];
        (&*r).read_exact(&mut b).unwrap();

        let r = Arc::new(PollFd::new(Arc::try_unwrap(r).unwrap()).unwrap());
        let r2 = r.clone();
        // Both only wait for readiness: a reader would take the byte, and the other waiter
        // would rightly go back to waiting.
        let owner = gort::spawn(move || r2.readable(far()));
        let r3 = r.clone();
        let borrower = gort::spawn(move || wait_readable(r3.as_fd(), far()));
        wait_in_io_wait(&[owner.id(), borrower.id()]);
        (&w).write_all(b"b").unwrap();
        borrower.join().unwrap().unwrap();
        owner.join().unwrap().unwrap();
        assert_eq!(r.read_with(|mut f| f.read(&mut b)).unwrap(), 1);
    });
}

/// An eventfd in a `PollFd`: a goroutine reading its counter parks until another adds to it.
#[test]
fn an_eventfd_read_parks_until_it_is_signalled() {
    let _w = Watchdog::new("eventfd", LIMIT);
    gort::run(|| {
        // SAFETY: a fresh eventfd; the result is checked before it is owned.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC) };
        assert!(fd >= 0, "eventfd: {}", io::Error::last_os_error());
        // SAFETY: `fd` is fresh and owned by nobody else.
        let ev = Arc::new(PollFd::new(File::from(unsafe { OwnedFd::from_raw_fd(fd) })).unwrap());
        let ev2 = ev.clone();
        let reader = gort::spawn(move || {
            let mut b = [0u8; 8];
            ev2.read_with(|mut f| f.read(&mut b))
                .map(|_| u64::from_ne_bytes(b))
        });
        wait_in_io_wait(&[reader.id()]);
        ev.write_with(|mut f| f.write(&5u64.to_ne_bytes())).unwrap();
        assert_eq!(reader.join().unwrap().unwrap(), 5);
    });
}

/// On plain threads (no runtime: `poll(2)`): `read_with` waits for a writer thread, and a
/// deadline times out.
#[test]
fn pollfd_works_on_plain_threads() {
    let _w = Watchdog::new("pollfd plain threads", LIMIT);
    let (r, w) = pipe();
    let r = Arc::new(PollFd::new(r).unwrap());
    assert_timed_out(
        r.readable(Some(Instant::now() + Duration::from_millis(5))),
        "readable on a plain thread",
    );
    let r2 = r.clone();
    let t = std::thread::spawn(move || {
        let mut b = [0u8; 3];
        r2.read_with(|mut f| f.read(&mut b))
            .map(|n| b[..n].to_vec())
    });
    (&w).write_all(b"abc").unwrap();
    assert_eq!(t.join().unwrap().unwrap(), b"abc");
}

/// Other pollable descriptors work the same way: a timerfd's read parks until the timer fires,
/// and a pidfd turns readable when its process exits.
#[test]
fn timerfd_and_pidfd_wait_in_the_poller() {
    let _w = Watchdog::new("timerfd and pidfd", LIMIT);
    gort::run(|| {
        // SAFETY: a fresh timerfd; the result is checked before it is owned.
        let fd = unsafe { libc::timerfd_create(libc::CLOCK_MONOTONIC, libc::TFD_CLOEXEC) };
        assert!(fd >= 0, "timerfd_create: {}", io::Error::last_os_error());
        // SAFETY: `fd` is fresh and owned by nobody else.
        let t = Arc::new(PollFd::new(File::from(unsafe { OwnedFd::from_raw_fd(fd) })).unwrap());
        let t2 = t.clone();
        let reader = gort::spawn(move || {
            let mut b = [0u8; 8];
            t2.read_with(|mut f| f.read(&mut b))
                .map(|_| u64::from_ne_bytes(b))
        });
        wait_in_io_wait(&[reader.id()]);
        let spec = libc::itimerspec {
            it_interval: libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value: libc::timespec {
                tv_sec: 0,
                tv_nsec: 5_000_000,
            },
        };
        // SAFETY: arms our timerfd with a valid spec; the old value is not asked for.
        let rc = unsafe { libc::timerfd_settime(t.as_raw_fd(), 0, &spec, std::ptr::null_mut()) };
        assert_eq!(rc, 0, "timerfd_settime: {}", io::Error::last_os_error());
        assert_eq!(reader.join().unwrap().unwrap(), 1, "one expiry");

        let mut child = std::process::Command::new("true").spawn().unwrap();
        // SAFETY: pidfd_open takes a pid and flags; the result is checked before it is owned.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, child.id(), 0) } as i32;
        assert!(fd >= 0, "pidfd_open: {}", io::Error::last_os_error());
        // SAFETY: `fd` is fresh and owned by nobody else.
        let pidfd = unsafe { OwnedFd::from_raw_fd(fd) };
        wait_readable(pidfd.as_fd(), far()).expect("the child exits");
        assert!(
            child.try_wait().unwrap().is_some(),
            "readable before the exit"
        );
    });
}
