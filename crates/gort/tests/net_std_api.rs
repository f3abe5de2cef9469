//! `gort::net` keeps std's API: its error kinds (refused connections, broken pipes without
//! `SIGPIPE`), close-on-exec descriptors, conversions to and from the std types (which give the
//! descriptor back in its old blocking mode, out of the poller), `Read`/`Write` through `&T` from
//! two goroutines at once, whole writes, datagrams (UDP, Unix), `UnixStream::pair`, and calls
//! from plain threads, from another runtime and after `run` has returned (the `poll(2)` path).

mod common;

use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::net::{
    assert_timed_out, is_cloexec, is_nonblocking, tcp_listener, tcp_pair, unix_pair_via_listener,
    wait_in_io_wait, SockPath,
};
use common::{is_child, run_child, Watchdog};
use gort::net::{TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream};

const LIMIT: Duration = Duration::from_secs(60);

fn far() -> Option<Instant> {
    Some(Instant::now() + Duration::from_secs(20))
}

/// Connecting to a port nobody listens on fails with `ConnectionRefused` (TCP, and a Unix socket
/// file whose listener is gone), on a goroutine and on a plain thread.
#[test]
fn connecting_to_nobody_is_connection_refused() {
    let _w = Watchdog::new("connection refused", LIMIT);
    fn check() {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let e = TcpStream::connect(addr).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused, "connect: {e}");
        let e = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap_err();
        assert_eq!(
            e.kind(),
            io::ErrorKind::ConnectionRefused,
            "connect_timeout: {e}"
        );

        let p = SockPath::new("refused");
        drop(std::os::unix::net::UnixListener::bind(p.path()).unwrap());
        let e = UnixStream::connect(p.path()).unwrap_err();
        assert_eq!(
            e.kind(),
            io::ErrorKind::ConnectionRefused,
            "unix connect: {e}"
        );
    }
    gort::run(check);
    std::thread::spawn(check).join().unwrap();
}

/// Writing to a stream whose peer is gone, or whose own write side is shut down, fails with
/// `BrokenPipe` and never raises `SIGPIPE`. Run in a child process with `SIGPIPE`'s default
/// action (death) restored: Rust's test harness ignores it.
#[test]
fn writes_to_a_closed_peer_are_broken_pipe_without_sigpipe() {
    const NAME: &str = "writes_to_a_closed_peer_are_broken_pipe_without_sigpipe";
    const DONE: &str = "every write said BrokenPipe";
    if is_child(NAME) {
        // SAFETY: sets a signal's disposition to its default; no handler runs.
        unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
        gort::run(|| {
            let broken = |r: io::Result<()>, what: &str| {
                let e = r.expect_err(what);
                assert_eq!(e.kind(), io::ErrorKind::BrokenPipe, "{what}: {e}");
            };
            let (a, b) = UnixStream::pair().unwrap();
            drop(b);
            broken((&a).write_all(b"x"), "unix stream, peer dropped");

            let (c, _s) = tcp_pair();
            c.shutdown(Shutdown::Write).unwrap();
            broken((&c).write_all(b"x"), "tcp, own write side shut down");
            broken(
                (&c).write_vectored(&[io::IoSlice::new(b"a"), io::IoSlice::new(b"b")])
                    .map(|_| ()),
                "tcp vectored, own write side shut down",
            );

            // A TCP peer that closed: the first writes may go out (the peer answers with a
            // reset, which one write may report as ConnectionReset), then BrokenPipe.
            let (c, s) = tcp_pair();
            drop(s);
            loop {
                match (&c).write(&[0u8; 1024]) {
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {}
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => break,
                    Err(e) => panic!("tcp, peer closed: {e}"),
                }
            }

            let (a, b) = UnixDatagram::pair().unwrap();
            a.shutdown(Shutdown::Write).unwrap();
            let e = a.send(b"x").unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::BrokenPipe, "unix datagram: {e}");
            drop(b);
        });
        println!("{DONE}");
        return;
    }
    let _w = Watchdog::new("broken pipe", LIMIT);
    let out = run_child(NAME);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains(DONE),
        "child: {:?} (a signal 13 is SIGPIPE)\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
}

/// Every socket gort makes, accepts or clones is close-on-exec.
#[test]
fn every_socket_is_close_on_exec() {
    let _w = Watchdog::new("cloexec", LIMIT);
    gort::run(|| {
        let l = tcp_listener();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (s, _) = l.accept().unwrap();
        let c2 = c.try_clone().unwrap();
        let u = UdpSocket::bind("127.0.0.1:0").unwrap();
        let (ul, _p, uc, us) = unix_pair_via_listener();
        let (pa, pb) = UnixStream::pair().unwrap();
        let (da, db) = UnixDatagram::pair().unwrap();
        let dp = SockPath::new("cloexec-dgram");
        let dbound = UnixDatagram::bind(dp.path()).unwrap();
        let dun = UnixDatagram::unbound().unwrap();
        let fds: [(&str, &dyn AsRawFd); 14] = [
            ("tcp listener", &l),
            ("tcp connected", &c),
            ("tcp accepted", &s),
            ("tcp try_clone", &c2),
            ("udp", &u),
            ("unix listener", &ul),
            ("unix connected", &uc),
            ("unix accepted", &us),
            ("unix pair a", &pa),
            ("unix pair b", &pb),
            ("unix datagram pair a", &da),
            ("unix datagram pair b", &db),
            ("unix datagram bound", &dbound),
            ("unix datagram unbound", &dun),
        ];
        for (what, fd) in fds {
            let raw = fd.as_raw_fd();
            assert!(is_cloexec(&raw), "{what}: not close-on-exec");
        }
    });
}

/// `TryFrom` a std socket puts it in non-blocking mode; `TryFrom` back gives it its old mode
/// (blocking, or non-blocking if it was so), and the raw-descriptor conversions round-trip.
#[test]
fn std_conversions_both_ways_restore_the_blocking_mode() {
    let _w = Watchdog::new("conversions", LIMIT);
    gort::run(|| {
        let sl = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = sl.local_addr().unwrap();
        let sc = std::net::TcpStream::connect(addr).unwrap();
        let raw = sc.as_raw_fd();
        assert!(!is_nonblocking(raw));
        let c = TcpStream::try_from(sc).unwrap();
        assert!(is_nonblocking(raw), "wrapped: non-blocking underneath");
        assert_eq!(c.peer_addr().unwrap(), addr);
        let sc = std::net::TcpStream::try_from(c).unwrap();
        assert_eq!(sc.as_raw_fd(), raw);
        assert!(!is_nonblocking(raw), "unwrapped: blocking again");

        sc.set_nonblocking(true).unwrap();
        let sc = std::net::TcpStream::try_from(TcpStream::try_from(sc).unwrap()).unwrap();
        assert!(
            is_nonblocking(raw),
            "non-blocking before, non-blocking after"
        );

        let l = TcpListener::try_from(sl).unwrap();
        let sl = std::net::TcpListener::try_from(l).unwrap();
        assert!(!is_nonblocking(sl.as_raw_fd()));
        let u = UdpSocket::try_from(std::net::UdpSocket::bind("127.0.0.1:0").unwrap()).unwrap();
        let su = std::net::UdpSocket::try_from(u).unwrap();
        assert!(!is_nonblocking(su.as_raw_fd()));
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        let a = std::os::unix::net::UnixStream::try_from(UnixStream::try_from(a).unwrap()).unwrap();
        assert!(!is_nonblocking(a.as_raw_fd()));
        let (a, _b) = std::os::unix::net::UnixDatagram::pair().unwrap();
        let a =
            std::os::unix::net::UnixDatagram::try_from(UnixDatagram::try_from(a).unwrap()).unwrap();
        assert!(!is_nonblocking(a.as_raw_fd()));
        let p = SockPath::new("convert");
        let ul = UnixListener::try_from(std::os::unix::net::UnixListener::bind(p.path()).unwrap())
            .unwrap();
        let ul = std::os::unix::net::UnixListener::try_from(ul).unwrap();
        assert!(!is_nonblocking(ul.as_raw_fd()));

        // Raw descriptors: into_raw_fd hands it over (blocking again), from_raw_fd takes it.
        let c = TcpStream::try_from(sc).unwrap();
        c.set_nonblocking(false).unwrap();
        let raw_back = c.into_raw_fd();
        assert_eq!(raw_back, raw);
        // SAFETY: `raw_back` was just handed over by `into_raw_fd` and nothing else owns it.
        let c = unsafe { TcpStream::from_raw_fd(raw_back) };
        assert_eq!(c.peer_addr().unwrap(), addr);
        let owned = OwnedFd::from(c);
        assert_eq!(owned.as_raw_fd(), raw);
    });
}

/// A socket that waited in the poller, unwrapped into std and wrapped again, waits in the
/// poller again ("IO wait", not a blocking `poll` in a system call): `into_inner` took it out
/// of epoll.
#[test]
fn an_unwrapped_socket_can_be_wrapped_and_polled_again() {
    let _w = Watchdog::new("rewrap", LIMIT);
    gort::run(|| {
        let (c, s) = tcp_pair();
        let read_one = |s: Arc<TcpStream>, c: &TcpStream| {
            s.set_read_deadline(far()).unwrap();
            let s2 = s.clone();
            let r = gort::spawn(move || (&*s2).read(&mut [0u8; 1]));
            wait_in_io_wait(&[r.id()]);
            (&*c).write_all(b"!").unwrap();
            assert_eq!(r.join().unwrap().unwrap(), 1);
            Arc::try_unwrap(s).unwrap()
        };
        let s = read_one(Arc::new(s), &c);
        let raw = s.as_raw_fd();
        let std_s = std::net::TcpStream::try_from(s).unwrap();
        assert!(!is_nonblocking(raw));
        let s = TcpStream::try_from(std_s).unwrap();
        let s = read_one(Arc::new(s), &c);
        drop(s);
    });
}

/// `Read` and `Write` through `&T`: a goroutine blocked reading does not hold up another that
/// writes on the same socket (the peer echoes what is written, which is what the reader gets).
#[test]
fn one_goroutine_reads_while_another_writes_the_same_socket() {
    let _w = Watchdog::new("read and write at once", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let (c, s) = tcp_pair();
            c.set_deadline(far()).unwrap();
            s.set_deadline(far()).unwrap();
            let echo = gort::spawn(move || {
                let mut b = [0u8; 4];
                (&s).read_exact(&mut b).unwrap();
                (&s).write_all(&b).unwrap();
            });
            let c = Arc::new(c);
            let c2 = c.clone();
            let reader = gort::spawn(move || {
                let mut b = [0u8; 4];
                (&*c2).read_exact(&mut b).map(|_| b)
            });
            wait_in_io_wait(&[reader.id()]);
            (&*c).write_all(b"ping").unwrap();
            assert_eq!(&reader.join().unwrap().unwrap(), b"ping");
            echo.join().unwrap();
        });
    }
}

/// Two goroutines `write_all` 1 MiB messages to one socket at once (each needing many partial
/// sends, the reader being slower): the byte stream holds every message whole, never two
/// interleaved. TCP and Unix streams.
#[test]
fn write_all_from_two_goroutines_never_interleaves() {
    let _w = Watchdog::new("whole writes", LIMIT);
    const MSG: usize = 1 << 20;
    const PER_WRITER: usize = 8;
    fn check<S: Send + Sync + 'static>(w: S, r: S)
    where
        for<'a> &'a S: Read + Write,
    {
        let w = Arc::new(w);
        let writers: Vec<_> = (0..2u8)
            .map(|id| {
                let w = w.clone();
                gort::spawn(move || {
                    for k in 0..PER_WRITER as u8 {
                        (&*w).write_all(&vec![id * 16 + k; MSG]).unwrap();
                    }
                })
            })
            .collect();
        let mut stream = vec![0u8; 2 * PER_WRITER * MSG];
        let mut got = 0;
        while got < stream.len() {
            // Small reads, so that the writers fill the buffers and wait in between.
            let end = (got + 64 * 1024).min(stream.len());
            let n = (&r).read(&mut stream[got..end]).unwrap();
            assert!(n > 0, "end of file after {got} bytes");
            got += n;
        }
        writers.into_iter().for_each(|h| h.join().unwrap());
        let mut seen: Vec<u8> = stream
            .chunks(MSG)
            .enumerate()
            .map(|(i, m)| {
                assert!(
                    m.iter().all(|&b| b == m[0]),
                    "message {i} is not whole: two writes interleaved"
                );
                m[0]
            })
            .collect();
        seen.sort_unstable();
        let mut want: Vec<u8> = (0..2u8)
            .flat_map(|id| (0..PER_WRITER as u8).map(move |k| id * 16 + k))
            .collect();
        want.sort_unstable();
        assert_eq!(seen, want);
    }
    gort::Builder::new().max_procs(4).run(|| {
        let (c, s) = tcp_pair();
        c.set_deadline(far()).unwrap();
        s.set_deadline(far()).unwrap();
        check(c, s);
        let (a, b) = UnixStream::pair().unwrap();
        a.set_deadline(far()).unwrap();
        b.set_deadline(far()).unwrap();
        check(a, b);
    });
}

/// UDP: `send_to`/`recv_from` carry a datagram and its sender's address, `peek_from` leaves it
/// queued, a blocked `recv_from` wakes when one comes, connected `send`/`recv` work, and an
/// empty datagram arrives as one.
#[test]
fn udp_carries_datagrams_and_addresses() {
    let _w = Watchdog::new("udp", LIMIT);
    gort::run(|| {
        let a = UdpSocket::bind("127.0.0.1:0").unwrap();
        let b = Arc::new(UdpSocket::bind("127.0.0.1:0").unwrap());
        b.set_read_deadline(far()).unwrap();
        let (aa, ba) = (a.local_addr().unwrap(), b.local_addr().unwrap());
        assert_eq!(a.send_to(b"one", ba).unwrap(), 3);
        let mut buf = [0u8; 16];
        assert_eq!(b.peek_from(&mut buf).unwrap(), (3, aa));
        assert_eq!(b.recv_from(&mut buf).unwrap(), (3, aa));
        assert_eq!(&buf[..3], b"one");

        let b2 = b.clone();
        let r = gort::spawn(move || {
            let mut buf = [0u8; 16];
            b2.recv_from(&mut buf)
                .map(|(n, from)| (buf[..n].to_vec(), from))
        });
        wait_in_io_wait(&[r.id()]);
        a.send_to(b"two", ba).unwrap();
        assert_eq!(r.join().unwrap().unwrap(), (b"two".to_vec(), aa));

        a.connect(ba).unwrap();
        b.connect(aa).unwrap();
        assert_eq!(a.peer_addr().unwrap(), ba);
        a.send(b"three").unwrap();
        assert_eq!(b.recv(&mut buf).unwrap(), 5);
        assert_eq!(&buf[..5], b"three");
        // An empty datagram is a datagram: received as 0 bytes (no shortcut, unlike streams).
        a.send(b"").unwrap();
        b.set_read_deadline(far()).unwrap();
        assert_eq!(b.recv_from(&mut buf).unwrap(), (0, aa));
    });
}

/// Unix datagrams: bound sockets see each other's paths, an unbound one can send, a pair talks
/// both ways, and a blocked `recv` wakes when a datagram comes.
#[test]
fn unix_datagrams_carry_datagrams_and_paths() {
    let _w = Watchdog::new("unix datagram", LIMIT);
    gort::run(|| {
        let (pa, pb) = (SockPath::new("dgram-a"), SockPath::new("dgram-b"));
        let a = UnixDatagram::bind(pa.path()).unwrap();
        let b = UnixDatagram::bind(pb.path()).unwrap();
        b.set_read_deadline(far()).unwrap();
        assert_eq!(a.send_to(b"hello", pb.path()).unwrap(), 5);
        let mut buf = [0u8; 16];
        let (n, from) = b.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"hello");
        assert_eq!(from.as_pathname(), Some(pa.path()));

        let un = UnixDatagram::unbound().unwrap();
        un.send_to(b"anon", pb.path()).unwrap();
        let (n, from) = b.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"anon");
        assert!(from.is_unnamed());

        let (x, y) = UnixDatagram::pair().unwrap();
        let y = Arc::new(y);
        let y2 = y.clone();
        let r = gort::spawn(move || {
            let mut buf = [0u8; 16];
            y2.recv(&mut buf).map(|n| buf[..n].to_vec())
        });
        wait_in_io_wait(&[r.id()]);
        x.send(b"ping").unwrap();
        assert_eq!(r.join().unwrap().unwrap(), b"ping");
        y.send(b"pong").unwrap();
        assert_eq!(x.recv(&mut buf).unwrap(), 4);
        assert_eq!(&buf[..4], b"pong");
    });
}

/// `UnixStream::pair` gives two connected ends that talk both ways, each read parking until the
/// other side writes.
#[test]
fn unix_stream_pair_talks_both_ways() {
    let _w = Watchdog::new("unix pair", LIMIT);
    gort::run(|| {
        let (a, b) = UnixStream::pair().unwrap();
        a.set_deadline(far()).unwrap();
        b.set_deadline(far()).unwrap();
        let b = Arc::new(b);
        let b2 = b.clone();
        let r = gort::spawn(move || {
            let mut buf = [0u8; 4];
            (&*b2).read_exact(&mut buf).map(|_| buf)
        });
        wait_in_io_wait(&[r.id()]);
        (&a).write_all(b"ping").unwrap();
        assert_eq!(&r.join().unwrap().unwrap(), b"ping");
        (&*b).write_all(b"pong").unwrap();
        let mut buf = [0u8; 4];
        (&a).read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"pong");
        assert!(a.peer_addr().unwrap().is_unnamed());
    });
}

/// `set_nonblocking(true)` makes calls that would wait return `WouldBlock` (accept, read, write,
/// recv) without clearing the kernel's non-blocking flag; `false` makes them wait again.
#[test]
fn set_nonblocking_makes_calls_return_would_block() {
    let _w = Watchdog::new("set_nonblocking", LIMIT);
    gort::run(|| {
        let would_block = |r: io::Result<usize>, what: &str| {
            let e = r.expect_err(what);
            assert_eq!(e.kind(), io::ErrorKind::WouldBlock, "{what}: {e}");
        };
        let l = tcp_listener();
        l.set_nonblocking(true).unwrap();
        would_block(l.accept().map(|_| 0), "accept");
        let (c, s) = tcp_pair();
        c.set_nonblocking(true).unwrap();
        would_block((&c).read(&mut [0u8; 1]), "read");
        assert!(is_nonblocking(c.as_raw_fd()));
        // A write bigger than both buffers: part goes, then WouldBlock instead of waiting.
        let big = vec![0u8; 64 << 20];
        let n = (&c).write(&big).unwrap();
        assert!(n > 0 && n < big.len(), "wrote {n}");
        would_block((&c).write(&big), "write with full buffers");
        let u = UdpSocket::bind("127.0.0.1:0").unwrap();
        u.set_nonblocking(true).unwrap();
        would_block(u.recv_from(&mut [0u8; 1]).map(|(n, _)| n), "recv_from");

        c.set_nonblocking(false).unwrap();
        s.set_read_deadline(far()).unwrap();
        let mut sink = vec![0u8; 1 << 20];
        let mut left = n;
        while left > 0 {
            left -= (&s).read(&mut sink[..left.min(1 << 20)]).unwrap();
        }
        let s = Arc::new(s);
        let s2 = s.clone();
        let r = gort::spawn(move || (&*s2).read(&mut [0u8; 1]));
        wait_in_io_wait(&[r.id()]);
        (&c).write_all(b"x").unwrap();
        assert_eq!(r.join().unwrap().unwrap(), 1);
    });
}

/// Outside any runtime (plain threads, waiting in `poll(2)`): accept, connect, read and write
/// across threads; a read deadline times out; `close` from another thread wakes a blocked read.
#[test]
fn calls_from_plain_threads_work() {
    let _w = Watchdog::new("plain threads", LIMIT);
    let l = tcp_listener();
    let addr = l.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        let mut b = [0u8; 5];
        (&s).read_exact(&mut b).unwrap();
        (&s).write_all(&b).unwrap();
        s
    });
    let c = TcpStream::connect(addr).unwrap();
    (&c).write_all(b"hello").unwrap();
    let mut b = [0u8; 5];
    (&c).read_exact(&mut b).unwrap();
    assert_eq!(&b, b"hello");
    let _s = server.join().unwrap();

    c.set_read_deadline(Some(Instant::now() + Duration::from_millis(5)))
        .unwrap();
    assert_timed_out((&c).read(&mut b), "read on a plain thread");
    c.set_read_deadline(None).unwrap();

    let c = Arc::new(c);
    let c2 = c.clone();
    let reader = std::thread::spawn(move || (&*c2).read(&mut [0u8; 1]));
    // The reader may not have reached poll(2) yet; either way it must fail, not hang.
    c.close().unwrap();
    common::net::assert_closed_error(reader.join().unwrap(), "read closed from another thread");

    let (a, b) = UnixStream::pair().unwrap();
    let t = std::thread::spawn(move || {
        let mut buf = [0u8; 2];
        (&b).read_exact(&mut buf).map(|_| buf)
    });
    (&a).write_all(b"ok").unwrap();
    assert_eq!(&t.join().unwrap().unwrap(), b"ok");
}

/// Sockets that waited in a runtime's poller keep working after `run` has returned (they wait
/// in `poll(2)` then), and in a later runtime.
#[test]
fn sockets_work_after_run_returns_and_in_another_runtime() {
    let _w = Watchdog::new("after run", LIMIT);
    let (c, s) = gort::run(|| {
        let (c, s) = tcp_pair();
        let s = Arc::new(s);
        let s2 = s.clone();
        let r = gort::spawn(move || (&*s2).read(&mut [0u8; 1]));
        wait_in_io_wait(&[r.id()]);
        (&c).write_all(b"1").unwrap();
        assert_eq!(r.join().unwrap().unwrap(), 1);
        (c, Arc::try_unwrap(s).unwrap())
    });
    let s = Arc::new(s);
    let s2 = s.clone();
    let t = std::thread::spawn(move || {
        let mut b = [0u8; 1];
        (&*s2).read(&mut b).map(|_| b[0])
    });
    (&c).write_all(b"2").unwrap();
    assert_eq!(t.join().unwrap().unwrap(), b'2');
    s.set_read_deadline(Some(Instant::now() + Duration::from_millis(5)))
        .unwrap();
    assert_timed_out((&*s).read(&mut [0u8; 1]), "read after run");
    s.set_read_deadline(None).unwrap();

    gort::Builder::new().max_procs(2).run(|| {
        let s2 = s.clone();
        let r = gort::spawn(move || {
            let mut b = [0u8; 1];
            (&*s2).read(&mut b).map(|_| b[0])
        });
        gort::spawn(move || (&c).write_all(b"3").unwrap())
            .join()
            .unwrap();
        assert_eq!(r.join().unwrap().unwrap(), b'3');
    });
}

/// A Unix connect to a listener whose backlog is full parks ("IO wait") instead of spinning,
/// and completes once the listener accepts. (A socket that is not connected yet always polls
/// writable, so waiting for writability would retry `connect` in a busy loop.)
#[test]
fn unix_connect_to_a_full_backlog_parks_until_there_is_room() {
    let _w = Watchdog::new("unix connect, full backlog", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let p = SockPath::new("backlog");
            let s =
                socket2::Socket::new(socket2::Domain::UNIX, socket2::Type::STREAM, None).unwrap();
            s.bind(&socket2::SockAddr::unix(p.path()).unwrap()).unwrap();
            s.listen(0).unwrap(); // one queued connection fills it
            let l = UnixListener::try_from(std::os::unix::net::UnixListener::from(s)).unwrap();
            let _first = std::os::unix::net::UnixStream::connect(p.path()).unwrap();
            let path = p.path().to_path_buf();
            let second = gort::spawn(move || UnixStream::connect(path));
            wait_in_io_wait(&[second.id()]);
            l.accept().unwrap();
            l.accept().unwrap();
            second.join().unwrap().expect("connect once there is room");
        });
    }
}

/// `try_clone` shares the open file description, and with it `O_NONBLOCK`: unwrapping the
/// original into std must not leave the clone, still a gort socket, in blocking mode, where its
/// read would block its thread in the kernel past its deadline (and past `close`). The peer
/// writes once, late, only so that a read stuck in the kernel ends and the test fails instead of
/// hanging.
#[test]
fn a_clone_keeps_its_deadlines_after_the_original_goes_back_to_std() {
    let _w = Watchdog::new("clone after into std", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let (c, s) = tcp_pair();
        let clone = s.try_clone().unwrap();
        let std_s = std::net::TcpStream::try_from(s).unwrap();
        let unstick = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(500));
            let _ = (&c).write_all(b"x");
            c
        });
        clone
            .set_read_deadline(Some(Instant::now() + Duration::from_millis(20)))
            .unwrap();
        let r = (&clone).read(&mut [0u8; 1]);
        let blocking = !is_nonblocking(clone.as_raw_fd());
        drop(unstick.join().unwrap());
        drop(std_s);
        assert_timed_out(
            r,
            &format!("the clone's read (its descriptor now blocking: {blocking})"),
        );
    });
}
