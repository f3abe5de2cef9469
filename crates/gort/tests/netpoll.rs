//! The network poller's rules, as the scheduler keeps them: goroutines waiting on sockets hold no
//! thread, readiness is never lost, someone always polls, and waiting on I/O is never a deadlock.

mod common;

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{tasks, wait_until, Watchdog};
use gort::net::{TcpListener, TcpStream, UnixStream};

/// The EAGAIN race: a reader goroutine reads one byte at a time, finding the socket empty and
/// parking over and over, while a plain thread writes byte after byte as fast as it can. An edge
/// that lands between the reader's EAGAIN and its park must not be lost (else the reader hangs
/// with the data unread).
#[test]
fn readiness_between_eagain_and_park_is_never_lost() {
    const N: usize = 1_000_000;
    let _w = Watchdog::new("eagain race", Duration::from_secs(120));
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
            let reader = UnixStream::try_from(a).unwrap();
            let writer = std::thread::spawn(move || {
                let mut b = b;
                for i in 0..N {
                    b.write_all(&[(i % 251) as u8]).unwrap();
                }
            });
            let mut got = 0usize;
            let mut buf = [0u8; 1];
            while got < N {
                let n = (&reader).read(&mut buf).unwrap();
                assert_eq!(n, 1, "end of stream after {got} bytes");
                assert_eq!(buf[0], (got % 251) as u8, "byte {got} out of order");
                got += 1;
            }
            writer.join().unwrap();
        });
    }
}

/// Raises the descriptor limit as far as it goes (root may raise the hard limit too) and returns
/// the soft limit now in force.
fn raise_nofile(want: u64) -> u64 {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain getrlimit/setrlimit on a local struct.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) };
    if r.rlim_cur < want {
        let up = libc::rlimit {
            rlim_cur: want,
            rlim_max: want.max(r.rlim_max),
        };
        // SAFETY: as above.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &up) } != 0 {
            let up = libc::rlimit {
                rlim_cur: r.rlim_max,
                rlim_max: r.rlim_max,
            };
            // SAFETY: as above.
            unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &up) };
        }
        // SAFETY: as above.
        unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) };
    }
    r.rlim_cur
}

/// 10,000 connections open at once, each with a server goroutine blocked in `read` and a client
/// goroutine blocked waiting for its echo, on a runtime of two Ps: the process stays at a handful
/// of threads (a thread per blocked read would be 10,000).
#[test]
fn ten_thousand_connections_wait_on_a_few_threads() {
    let _w = Watchdog::new("10k connections", Duration::from_secs(120));
    let limit = raise_nofile(24_000);
    // Two descriptors per connection (both ends live here), and some to spare.
    let conns = 10_000.min((limit as usize).saturating_sub(200) / 2);
    assert!(
        conns >= 1000,
        "RLIMIT_NOFILE {limit} leaves room for only {conns} connections"
    );
    if conns < 10_000 {
        eprintln!("RLIMIT_NOFILE is {limit}: testing {conns} connections, not 10,000");
    }
    let threads_before = tasks().len();
    let peak = gort::Builder::new().max_procs(2).run(move || {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let release = Arc::new(AtomicBool::new(false));
        let blocked = Arc::new(AtomicU64::new(0));
        gort::go(move || {
            for s in l.incoming() {
                let mut s = s.unwrap();
                gort::go(move || {
                    let mut buf = [0u8; 64];
                    loop {
                        match s.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => s.write_all(&buf[..n]).unwrap(),
                        }
                    }
                });
            }
        });
        let wg = Arc::new(gort::sync::WaitGroup::new());
        let mut clients = Vec::new();
        for _ in 0..conns {
            let c = TcpStream::connect(addr).unwrap();
            let (release, blocked, wg) = (release.clone(), blocked.clone(), wg.clone());
            wg.add(1);
            clients.push(gort::spawn(move || {
                let mut c = c;
                c.write_all(b"ping").unwrap();
                let mut buf = [0u8; 4];
                c.read_exact(&mut buf).unwrap();
                assert_eq!(&buf, b"ping");
                blocked.fetch_add(1, Ordering::SeqCst);
                wg.done();
                // Now park in a read until released: the server goroutine parks in its read too.
                while !release.load(Ordering::SeqCst) {
                    let _ = c.set_read_deadline(Some(Instant::now() + Duration::from_millis(200)));
                    let _ = c.read(&mut buf);
                }
            }));
        }
        wg.wait();
        assert_eq!(blocked.load(Ordering::SeqCst), conns as u64);
        let peak = tasks().len();
        release.store(true, Ordering::SeqCst);
        for c in clients {
            c.join().unwrap();
        }
        peak
    });
    // Ms for two Ps, a few more for hand-offs, sysmon and the template thread.
    assert!(
        peak - threads_before <= 12,
        "{} threads for {conns} blocked connections",
        peak - threads_before
    );
}

/// A wired goroutine reading a socket gives its P away while it waits, and is readied straight to
/// its own thread, while every other goroutine waits on I/O too.
#[test]
fn a_wired_goroutine_waits_on_a_socket_on_its_own_thread() {
    let _w = Watchdog::new("wired socket", Duration::from_secs(30));
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let (a, b) = UnixStream::pair().unwrap();
            let (c, d) = UnixStream::pair().unwrap();
            let wired = gort::spawn(move || {
                gort::lock_os_thread();
                let tid = gort::thread_id();
                let mut buf = [0u8; 1];
                for i in 0..200u32 {
                    (&a).read_exact(&mut buf).unwrap();
                    assert_eq!(
                        gort::thread_id(),
                        tid,
                        "round {i}: the wired goroutine moved"
                    );
                    (&a).write_all(&buf).unwrap();
                }
            });
            // An unwired echo on another socket, also waiting on I/O all the time.
            let other = gort::spawn(move || {
                let mut buf = [0u8; 1];
                while (&c).read(&mut buf).unwrap() == 1 {
                    (&c).write_all(&buf).unwrap();
                }
            });
            let mut buf = [0u8; 1];
            for i in 0..200u32 {
                (&b).write_all(&[i as u8]).unwrap();
                (&d).write_all(&[i as u8]).unwrap();
                (&b).read_exact(&mut buf).unwrap();
                assert_eq!(buf[0], i as u8);
                (&d).read_exact(&mut buf).unwrap();
                assert_eq!(buf[0], i as u8);
            }
            wired.join().unwrap();
            drop(d);
            other.join().unwrap();
        });
    }
}

/// Two goroutines per P spin on the CPU without a scheduling point, so no M ever looks for work
/// or goes idle: an echo over a socket must still make progress, through sysmon's poll (it polls
/// when nobody has for 10 ms) and the time-slice hand-offs.
#[test]
fn an_echo_progresses_while_every_p_runs_cpu_bound_goroutines() {
    let _w = Watchdog::new("echo under cpu load", Duration::from_secs(60));
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(move || {
            let stop = Arc::new(AtomicBool::new(false));
            let (a, b) = UnixStream::pair().unwrap();
            let echo = gort::spawn(move || {
                let mut buf = [0u8; 8];
                loop {
                    match (&a).read(&mut buf) {
                        Ok(0) => return,
                        Ok(n) => (&a).write_all(&buf[..n]).unwrap(),
                        Err(e) => panic!("{e}"),
                    }
                }
            });
            let mut spinners = Vec::new();
            for _ in 0..2 * procs {
                let stop = stop.clone();
                spinners.push(gort::spawn(move || {
                    let mut x = 1u64;
                    while !stop.load(Ordering::Relaxed) {
                        x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                        std::hint::black_box(x);
                    }
                }));
            }
            // The client is a plain thread: it needs no P, so only the echo side depends on
            // the poller.
            let client = std::thread::spawn(move || {
                let mut buf = [0u8; 8];
                for i in 0..20u64 {
                    (&b).write_all(&i.to_le_bytes()).unwrap();
                    (&b).read_exact(&mut buf).unwrap();
                    assert_eq!(u64::from_le_bytes(buf), i);
                }
            });
            client.join().unwrap();
            stop.store(true, Ordering::Relaxed);
            for s in spinners {
                s.join().unwrap();
            }
            drop(echo); // main returns: the echo, still in its read, is cancelled
        });
    }
}

/// A goroutine waiting on a socket is not a deadlock, even when it is the only goroutine and only
/// a thread outside the runtime can wake it.
#[test]
fn waiting_on_io_is_never_a_deadlock() {
    let _w = Watchdog::new("io is not a deadlock", Duration::from_secs(30));
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
            let a = UnixStream::try_from(a).unwrap();
            let t = std::thread::spawn(move || {
                // Long enough for several deadlock checks (each idle M and sysmon run one).
                std::thread::sleep(Duration::from_millis(200));
                (&b).write_all(b"!").unwrap();
            });
            let mut buf = [0u8; 1];
            (&a).read_exact(&mut buf).unwrap();
            assert_eq!(&buf, b"!");
            t.join().unwrap();
        });
    }
}

/// When `run` ends, goroutines blocked in `accept` and `read` are cancelled and unwind (their
/// sockets drop), and `run` returns.
#[test]
fn the_end_of_run_cancels_goroutines_waiting_on_io() {
    let _w = Watchdog::new("end cancels io waiters", Duration::from_secs(30));
    let dropped = Arc::new(AtomicU64::new(0));
    let d = dropped.clone();
    // The server ends of the connections outlive `run`, so that no reader sees an end of stream.
    let kept: Arc<std::sync::Mutex<Vec<TcpStream>>> = Arc::default();
    let k = kept.clone();
    gort::Builder::new().max_procs(2).run(move || {
        struct Count(Arc<AtomicU64>);
        impl Drop for Count {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let idle = TcpListener::bind("127.0.0.1:0").unwrap();
        let c = Count(d.clone());
        gort::go(move || {
            let _c = c;
            let r = idle.accept();
            unreachable!("nobody connects: {r:?}");
        });
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        for _ in 0..10 {
            let s = TcpStream::connect(addr).unwrap();
            k.lock().unwrap().push(l.accept().unwrap().0);
            let c = Count(d.clone());
            gort::go(move || {
                let _c = c;
                let mut buf = [0u8; 1];
                let r = (&s).read(&mut buf);
                unreachable!("nobody writes: {r:?}");
            });
        }
        assert!(wait_until(Duration::from_secs(10), || gort::dump()
            .matches("IO wait")
            .count()
            >= 11));
    });
    assert_eq!(dropped.load(Ordering::SeqCst), 11);
}

/// Starting a child process (fork and exec, as gort-trace does) while the poller runs: the child
/// inherits none of the poller's descriptors, and the parent's goroutines go on waiting and
/// waking.
#[test]
fn fork_and_exec_while_the_poller_runs() {
    let _w = Watchdog::new("fork with poller", Duration::from_secs(30));
    gort::Builder::new().max_procs(2).run(|| {
        let (a, b) = UnixStream::pair().unwrap();
        let echo = gort::spawn(move || {
            let mut buf = [0u8; 1];
            while (&a).read(&mut buf).unwrap() == 1 {
                (&a).write_all(&buf).unwrap();
            }
        });
        assert!(wait_until(Duration::from_secs(10), || gort::dump().contains("IO wait")));
        // The child lists its descriptors: only 0, 1, 2 and the one `ls` opens for the listing.
        let out = gort::syscall(|| {
            std::process::Command::new("ls")
                .arg("-l")
                .arg("/proc/self/fd")
                .output()
                .unwrap()
        });
        let listing = String::from_utf8_lossy(&out.stdout);
        assert!(
            !listing.contains("anon_inode:[eventpoll]")
                && !listing.contains("anon_inode:[eventfd]"),
            "the child inherited the poller's descriptors:\n{listing}"
        );
        let mut buf = [0u8; 1];
        (&b).write_all(b"x").unwrap();
        (&b).read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"x");
        drop(b);
        echo.join().unwrap();
    });
}
