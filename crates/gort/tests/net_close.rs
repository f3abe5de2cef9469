//! Closing sockets: Go's TestCloseUnblocksRead, TestListenerClose, TestConnClose, TestCloseRead,
//! TestCloseWrite and TestZeroByteRead, and `close(&self)` from another goroutine (or thread)
//! while calls are blocked in it (or queued behind one): every waiter wakes with a clear error,
//! the descriptor is closed once the last call has left, a closed socket never makes a call hang,
//! and a descriptor number reused at once works. Also: clones close independently, and several
//! acceptors share a listener.

mod common;

use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::net::{
    assert_closed_error, fd_target, tcp_listener, tcp_pair, unix_pair_via_listener,
    wait_in_io_wait, SockPath,
};
use common::Watchdog;
use gort::net::{TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream};

const LIMIT: Duration = Duration::from_secs(60);

/// A deadline far enough away that only a hang reaches it: the call then fails instead of
/// hanging the binary.
fn far() -> Option<Instant> {
    Some(Instant::now() + Duration::from_secs(20))
}

/// Go's TestCloseUnblocksRead: a goroutine blocked reading wakes with end of file when the peer
/// closes, at max_procs 1 and 2, over TCP and Unix sockets.
#[test]
fn peer_close_wakes_a_blocked_read_with_end_of_file() {
    let _w = Watchdog::new("peer close wakes read", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let (c, s) = tcp_pair();
            s.set_read_deadline(far()).unwrap();
            let reader = gort::spawn(move || (&s).read(&mut [0u8; 1]));
            wait_in_io_wait(&[reader.id()]);
            c.close().unwrap();
            assert_eq!(reader.join().unwrap().unwrap(), 0, "tcp, {procs} procs");

            let (_l, _p, c, s) = unix_pair_via_listener();
            s.set_read_deadline(far()).unwrap();
            let reader = gort::spawn(move || (&s).read(&mut [0u8; 1]));
            wait_in_io_wait(&[reader.id()]);
            drop(c);
            assert_eq!(reader.join().unwrap().unwrap(), 0, "unix, {procs} procs");
        });
    }
}

/// Go's TestListenerClose: `accept` on a closed listener fails (and does not wait).
#[test]
fn accept_on_a_closed_listener_fails() {
    let _w = Watchdog::new("listener close", LIMIT);
    gort::run(|| {
        let l = tcp_listener();
        let addr = l.local_addr().unwrap();
        // A connection is even queued: a closed listener still must not hand it out.
        let _c = TcpStream::connect(addr).unwrap();
        l.close().unwrap();
        assert_closed_error(l.accept(), "tcp accept after close");

        let p = SockPath::new("listener-close");
        let l = UnixListener::bind(p.path()).unwrap();
        l.close().unwrap();
        assert_closed_error(l.accept(), "unix accept after close");
    });
}

/// Go's TestConnClose: a read on a connection closed by its own side fails (not end of file).
#[test]
fn read_on_a_closed_connection_fails() {
    let _w = Watchdog::new("conn close", LIMIT);
    gort::run(|| {
        let (c, _s) = tcp_pair();
        c.close().unwrap();
        assert_closed_error((&c).read(&mut [0u8; 1]), "tcp read after close");

        let (_l, _p, c, _s) = unix_pair_via_listener();
        c.close().unwrap();
        assert_closed_error((&c).read(&mut [0u8; 1]), "unix read after close");
    });
}

/// `close` from another goroutine wakes one blocked in `accept` with the closed error, and an
/// accept loop over `incoming` ends; the descriptor is closed once the accept has left.
#[test]
fn close_wakes_a_blocked_accept_and_ends_an_accept_loop() {
    let _w = Watchdog::new("close wakes accept", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let l = Arc::new(tcp_listener());
            let addr = l.local_addr().unwrap();
            let raw = std::os::fd::AsRawFd::as_raw_fd(&*l);
            let before = fd_target(raw).expect("the listener's descriptor is open");
            let l2 = l.clone();
            let acceptor = gort::spawn(move || {
                let mut accepted = 0;
                for c in l2.incoming() {
                    match c {
                        Ok(_) => accepted += 1,
                        Err(e) => return (accepted, e),
                    }
                }
                unreachable!("incoming never ends by itself")
            });
            // One connection goes through, then the loop blocks again.
            let _c = TcpStream::connect(addr).unwrap();
            wait_in_io_wait(&[acceptor.id()]);
            l.close().unwrap();
            let (accepted, e) = acceptor.join().unwrap();
            assert_eq!(accepted, 1);
            assert_closed_error::<()>(Err(e), "accept interrupted by close");
            assert_ne!(
                fd_target(raw),
                Some(before),
                "the listener's descriptor must be closed once no call uses it"
            );

            let p = SockPath::new("close-wakes-accept");
            let l = Arc::new(UnixListener::bind(p.path()).unwrap());
            let l2 = l.clone();
            let acceptor = gort::spawn(move || l2.accept().map(|_| ()));
            wait_in_io_wait(&[acceptor.id()]);
            l.close().unwrap();
            assert_closed_error(acceptor.join().unwrap(), "unix accept interrupted by close");
        });
    }
}

/// `close` wakes a goroutine blocked reading and one blocked writing (its peer reads nothing, so
/// the send buffer fills): both fail with the closed error. The closer is a goroutine, then a
/// plain thread.
#[test]
fn close_wakes_blocked_reads_and_writes() {
    let _w = Watchdog::new("close wakes read and write", LIMIT);
    for closer_is_thread in [false, true] {
        gort::Builder::new().max_procs(2).run(|| {
            let (c, _peer) = tcp_pair();
            c.set_deadline(far()).unwrap();
            let c = Arc::new(c);
            let (r, w) = (c.clone(), c.clone());
            let reader = gort::spawn(move || (&*r).read(&mut [0u8; 16]));
            let writer = gort::spawn(move || (&*w).write_all(&vec![7u8; 64 << 20]));
            wait_in_io_wait(&[reader.id(), writer.id()]);
            if closer_is_thread {
                let c = c.clone();
                std::thread::spawn(move || c.close().unwrap())
                    .join()
                    .unwrap();
            } else {
                c.close().unwrap();
            }
            assert_closed_error(reader.join().unwrap(), "read interrupted by close");
            assert_closed_error(writer.join().unwrap(), "write interrupted by close");
        });
    }
}

/// `close` wakes a goroutine blocked receiving datagrams (UDP, Unix datagrams).
#[test]
fn close_wakes_a_blocked_datagram_receive() {
    let _w = Watchdog::new("close wakes recv_from", LIMIT);
    gort::run(|| {
        let u = Arc::new(UdpSocket::bind("127.0.0.1:0").unwrap());
        u.set_read_deadline(far()).unwrap();
        let u2 = u.clone();
        let r = gort::spawn(move || u2.recv_from(&mut [0u8; 64]).map(|(n, _)| n));
        wait_in_io_wait(&[r.id()]);
        u.close().unwrap();
        assert_closed_error(r.join().unwrap(), "udp recv_from interrupted by close");

        let (a, _b) = UnixDatagram::pair().unwrap();
        a.set_read_deadline(far()).unwrap();
        let a = Arc::new(a);
        let a2 = a.clone();
        let r = gort::spawn(move || a2.recv(&mut [0u8; 64]));
        wait_in_io_wait(&[r.id()]);
        a.close().unwrap();
        assert_closed_error(r.join().unwrap(), "unix datagram recv interrupted by close");
    });
}

/// The descriptor stays open while a call is still in it: at max_procs 1 the woken reader cannot
/// run before the closer parks, so right after `close` the number still names the socket (a
/// reused number is never touched by the leaving call); once the call has left, it is closed.
/// With no call in progress, `close` closes it at once.
#[test]
fn close_keeps_the_descriptor_until_the_last_call_leaves() {
    let _w = Watchdog::new("close defers the kernel close", LIMIT);
    gort::Builder::new().max_procs(1).run(|| {
        let (c, _peer) = tcp_pair();
        let raw = std::os::fd::AsRawFd::as_raw_fd(&c);
        let before = fd_target(raw).expect("open");
        let c = Arc::new(c);
        let r = c.clone();
        let reader = gort::spawn(move || (&*r).read(&mut [0u8; 1]));
        wait_in_io_wait(&[reader.id()]);
        c.close().unwrap();
        assert_eq!(
            fd_target(raw).as_ref(),
            Some(&before),
            "closed while a read was still in it"
        );
        assert_closed_error(reader.join().unwrap(), "read interrupted by close");
        assert_ne!(
            fd_target(raw),
            Some(before),
            "still open after the last call left"
        );

        let (c, _peer) = tcp_pair();
        let raw = std::os::fd::AsRawFd::as_raw_fd(&c);
        let before = fd_target(raw).expect("open");
        c.close().unwrap();
        assert_ne!(
            fd_target(raw),
            Some(before),
            "no call in progress: closed at once"
        );
    });
}

/// Go's TestCloseRead: after shutting down its read side, a socket's reads return end of file.
#[test]
fn close_read_makes_reads_return_end_of_file() {
    let _w = Watchdog::new("close read", LIMIT);
    gort::run(|| {
        let (c, _s) = tcp_pair();
        c.shutdown(Shutdown::Read).unwrap();
        c.set_read_deadline(far()).unwrap();
        assert_eq!((&c).read(&mut [0u8; 1]).unwrap(), 0, "tcp");

        let (_l, _p, c, _s) = unix_pair_via_listener();
        c.shutdown(Shutdown::Read).unwrap();
        c.set_read_deadline(far()).unwrap();
        assert_eq!((&c).read(&mut [0u8; 1]).unwrap(), 0, "unix");
    });
}

/// Go's TestCloseWrite: a side that shuts down writing sends end of file to its peer, and its own
/// later writes fail (`BrokenPipe`); both sides in turn, each on its own goroutine.
#[test]
fn close_write_sends_end_of_file_and_makes_writes_fail() {
    let _w = Watchdog::new("close write", LIMIT);
    fn both_sides<S>(client: S, server: S)
    where
        for<'a> &'a S: Read + Write,
        S: HalfClose + Send + Sync + 'static,
    {
        let server = gort::spawn(move || {
            let mut b = [0u8; 1];
            assert_eq!((&server).read(&mut b).unwrap(), 0, "server: end of file");
            server.close_write().unwrap();
            let e = (&server).write(&b).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::BrokenPipe, "server write: {e}");
        });
        client.close_write().unwrap();
        let mut b = [0u8; 1];
        assert_eq!((&client).read(&mut b).unwrap(), 0, "client: end of file");
        let e = (&client).write(&b).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe, "client write: {e}");
        server.join().unwrap();
    }
    gort::Builder::new().max_procs(2).run(|| {
        let (c, s) = tcp_pair();
        c.set_deadline(far()).unwrap();
        s.set_deadline(far()).unwrap();
        both_sides(c, s);

        let (_l, _p, c, s) = unix_pair_via_listener();
        c.set_deadline(far()).unwrap();
        s.set_deadline(far()).unwrap();
        both_sides(c, s);
    });
}

/// Shutting down the write side, for `close_write_sends_end_of_file_and_makes_writes_fail`.
trait HalfClose {
    fn close_write(&self) -> io::Result<()>;
}

impl HalfClose for TcpStream {
    fn close_write(&self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

impl HalfClose for UnixStream {
    fn close_write(&self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

/// Go's TestZeroByteRead: a read into an empty buffer returns 0 at once, on both sides, though no
/// data is there (it must not wait for readability).
#[test]
fn a_zero_byte_read_returns_at_once() {
    let _w = Watchdog::new("zero byte read", LIMIT);
    gort::run(|| {
        let (c, s) = tcp_pair();
        for (side, x) in [("tcp client", &c), ("tcp server", &s)] {
            x.set_read_deadline(far()).unwrap();
            assert_eq!((&*x).read(&mut []).unwrap(), 0, "{side}");
        }
        let (_l, _p, c, s) = unix_pair_via_listener();
        for (side, x) in [("unix client", &c), ("unix server", &s)] {
            x.set_read_deadline(far()).unwrap();
            assert_eq!((&*x).read(&mut []).unwrap(), 0, "{side}");
        }
    });
}

/// Every call on a closed socket fails at once with `NotConnected` ("use of closed network
/// connection"), a second `close` too, and unwrapping into the std type fails: on a goroutine
/// and on a plain thread.
#[test]
fn every_call_on_a_closed_socket_fails_with_a_clear_error() {
    let _w = Watchdog::new("use after close", LIMIT);
    fn check_all() {
        let l = tcp_listener();
        let (c, _s) = tcp_pair();
        let u = UdpSocket::bind("127.0.0.1:0").unwrap();
        let (ua, _ub) = UnixStream::pair().unwrap();
        let (da, _db) = UnixDatagram::pair().unwrap();
        for r in [l.close(), c.close(), u.close(), ua.close(), da.close()] {
            r.unwrap();
        }
        let dl = Some(Instant::now());
        assert_closed_error(l.accept(), "accept");
        assert_closed_error(l.local_addr(), "listener local_addr");
        assert_closed_error(l.set_deadline(dl), "listener set_deadline");
        assert_closed_error(l.try_clone(), "listener try_clone");
        assert_closed_error(l.close(), "second listener close");
        assert_closed_error((&c).read(&mut [0u8; 4]), "read");
        assert_closed_error((&c).read(&mut []), "zero-byte read");
        assert_closed_error((&c).write(b"x"), "write");
        assert_closed_error(c.peek(&mut [0u8; 4]), "peek");
        assert_closed_error(c.shutdown(Shutdown::Both), "shutdown");
        assert_closed_error(c.peer_addr(), "peer_addr");
        assert_closed_error(c.set_nodelay(true), "set_nodelay");
        assert_closed_error(c.set_read_timeout(None), "set_read_timeout");
        assert_closed_error(c.set_read_deadline(dl), "set_read_deadline");
        assert_closed_error(c.set_nonblocking(true), "set_nonblocking");
        assert_closed_error(c.take_error(), "take_error");
        assert_closed_error(c.close(), "second close");
        assert_closed_error(std::net::TcpStream::try_from(c), "into std");
        assert_closed_error(u.recv_from(&mut [0u8; 4]), "recv_from");
        assert_closed_error(u.send_to(b"x", "127.0.0.1:9"), "send_to");
        assert_closed_error((&ua).read(&mut [0u8; 4]), "unix read");
        assert_closed_error((&ua).write(b"x"), "unix write");
        assert_closed_error(da.recv(&mut [0u8; 4]), "unix datagram recv");
        assert_closed_error(da.send(b"x"), "unix datagram send");
    }
    gort::run(check_all);
    std::thread::spawn(check_all).join().unwrap();
}

/// `close` also ends a call still waiting for its turn behind another on the same direction:
/// one reader is parked on the socket, the other on the direction's lock; both fail with the
/// closed error.
#[test]
fn close_wakes_a_call_waiting_for_its_turn() {
    let _w = Watchdog::new("close wakes queued reader", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let (c, _peer) = tcp_pair();
        c.set_read_deadline(far()).unwrap();
        let c = Arc::new(c);
        let (r1, r2) = (c.clone(), c.clone());
        let first = gort::spawn(move || (&*r1).read(&mut [0u8; 1]));
        wait_in_io_wait(&[first.id()]);
        let second = gort::spawn(move || (&*r2).read(&mut [0u8; 1]));
        common::net::wait_in_state(&[second.id()], "sync.Mutex.Lock");
        c.close().unwrap();
        assert_closed_error(first.join().unwrap(), "the parked reader");
        assert_closed_error(second.join().unwrap(), "the reader waiting for its turn");
    });
}

/// A descriptor number freed by `close` and reused at once by a new socket: the new socket's
/// waits work (the old registration was removed, and its stale events, if any, are dropped),
/// many times over.
#[test]
fn a_reused_descriptor_number_waits_correctly() {
    let _w = Watchdog::new("fd reuse", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let mut reused = 0;
        for i in 0..200u32 {
            let (c, s) = tcp_pair();
            let raw = std::os::fd::AsRawFd::as_raw_fd(&s);
            let s = Arc::new(s);
            let s2 = s.clone();
            let r = gort::spawn(move || {
                let mut b = [0u8; 4];
                (&*s2).read_exact(&mut b).map(|_| u32::from_le_bytes(b))
            });
            wait_in_io_wait(&[r.id()]);
            (&c).write_all(&i.to_le_bytes()).unwrap();
            assert_eq!(r.join().unwrap().unwrap(), i);
            // Leave an edge pending (data nobody reads), then close.
            (&c).write_all(b"late").unwrap();
            s.close().unwrap();
            let (c2, s2) = tcp_pair();
            reused += [&c2, &s2]
                .iter()
                .filter(|x| std::os::fd::AsRawFd::as_raw_fd(**x) == raw)
                .count();
            s2.set_read_deadline(far()).unwrap();
            let s2 = Arc::new(s2);
            let s3 = s2.clone();
            let r = gort::spawn(move || (&*s3).read(&mut [0u8; 1]));
            wait_in_io_wait(&[r.id()]);
            (&c2).write_all(b"n").unwrap();
            assert_eq!(r.join().unwrap().unwrap(), 1, "round {i}");
        }
        assert!(
            reused > 0,
            "no descriptor number was reused: the test proved nothing"
        );
    });
}

/// `try_clone` makes an independent handle: closing one leaves the other working, and each has
/// its own deadlines.
#[test]
fn a_clone_is_closed_and_timed_independently() {
    let _w = Watchdog::new("clone independence", LIMIT);
    gort::run(|| {
        let (c, s) = tcp_pair();
        let s2 = s.try_clone().unwrap();
        s2.set_read_deadline(Some(Instant::now())).unwrap();
        assert!(matches!(
            (&s2).read(&mut [0u8; 1]),
            Err(e) if e.kind() == io::ErrorKind::TimedOut
        ));
        s.close().unwrap();
        s2.set_read_deadline(far()).unwrap();
        (&c).write_all(b"ab").unwrap();
        let mut b = [0u8; 2];
        (&s2).read_exact(&mut b).unwrap();
        assert_eq!(&b, b"ab");
        let s3 = s2.try_clone().unwrap();
        s2.close().unwrap();
        (&s3).write_all(b"cd").unwrap();
        let mut b = [0u8; 2];
        c.set_read_deadline(far()).unwrap();
        (&c).read_exact(&mut b).unwrap();
        assert_eq!(&b, b"cd");
    });
}

/// Several goroutines accepting on one listener (their calls take turns) hand out every
/// connection exactly once, and `close` ends all of their accept loops.
#[test]
fn several_acceptors_get_every_connection_once() {
    let _w = Watchdog::new("several acceptors", LIMIT);
    gort::Builder::new().max_procs(4).run(|| {
        const N: u8 = 64;
        let l = Arc::new(tcp_listener());
        l.set_deadline(far()).unwrap();
        let addr = l.local_addr().unwrap();
        let got: gort::Chan<u8> = gort::Chan::new(N as usize);
        let acceptors: Vec<_> = (0..4)
            .map(|_| {
                let (l, got) = (l.clone(), got.clone());
                gort::spawn(move || loop {
                    match l.accept() {
                        Ok((s, _)) => {
                            let mut b = [0u8; 1];
                            (&s).read_exact(&mut b).unwrap();
                            got.send(b[0]).unwrap();
                        }
                        Err(e) => return e,
                    }
                })
            })
            .collect();
        let conns: Vec<_> = (0..N)
            .map(|i| {
                let c = TcpStream::connect(addr).unwrap();
                (&c).write_all(&[i]).unwrap();
                c
            })
            .collect();
        let mut all: Vec<u8> = (0..N).map(|_| got.recv().unwrap()).collect();
        l.close().unwrap();
        for h in acceptors {
            assert_closed_error::<()>(Err(h.join().unwrap()), "an acceptor after close");
        }
        all.sort_unstable();
        assert_eq!(all, (0..N).collect::<Vec<_>>());
        assert!(got.try_recv().is_err(), "a connection was handed out twice");
        drop(conns);
    });
}

/// Shutting a direction down wakes the call blocked in it (the kernel's state change reaches the
/// edge-triggered poller, or `shutdown` wakes it): a read blocked on a socket whose read side
/// is shut down, or whose peer shuts down writing, returns end of file; a write blocked on full
/// buffers whose own write side is shut down fails with `BrokenPipe` (TCP and Unix streams).
#[test]
fn shutdown_wakes_the_call_blocked_in_that_direction() {
    let _w = Watchdog::new("shutdown wakes", LIMIT);
    fn blocked_read_returns_eof<S: Send + Sync + 'static>(s: Arc<S>, shut: impl FnOnce())
    where
        for<'a> &'a S: Read,
    {
        let r = gort::spawn(move || (&*s).read(&mut [0u8; 1]));
        wait_in_io_wait(&[r.id()]);
        shut();
        assert_eq!(r.join().unwrap().unwrap(), 0);
    }
    gort::Builder::new().max_procs(2).run(|| {
        let (c, s) = tcp_pair();
        s.set_read_deadline(far()).unwrap();
        let s = Arc::new(s);
        let s2 = s.clone();
        blocked_read_returns_eof(s.clone(), move || s2.shutdown(Shutdown::Read).unwrap());
        c.set_read_deadline(far()).unwrap();
        let c = Arc::new(c);
        blocked_read_returns_eof(c.clone(), move || s.shutdown(Shutdown::Write).unwrap());

        let (a, b) = UnixStream::pair().unwrap();
        a.set_read_deadline(far()).unwrap();
        b.set_read_deadline(far()).unwrap();
        let (a, b) = (Arc::new(a), Arc::new(b));
        let a2 = a.clone();
        blocked_read_returns_eof(a.clone(), move || a2.shutdown(Shutdown::Read).unwrap());
        blocked_read_returns_eof(b.clone(), move || a.shutdown(Shutdown::Write).unwrap());

        let (w, _peer) = tcp_pair();
        w.set_write_deadline(far()).unwrap();
        let w = Arc::new(w);
        let w2 = w.clone();
        let writer = gort::spawn(move || (&*w2).write_all(&vec![0u8; 64 << 20]));
        wait_in_io_wait(&[writer.id()]);
        w.shutdown(Shutdown::Write).unwrap();
        let e = writer.join().unwrap().unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe, "{e}");
        drop(c);

        // The same for a Unix stream, whose poll reports nothing when only its write side is
        // shut down while its buffer is full (a blocking write would see EPIPE at once).
        let (w, _peer) = UnixStream::pair().unwrap();
        w.set_write_deadline(far()).unwrap();
        let w = Arc::new(w);
        let w2 = w.clone();
        let writer = gort::spawn(move || (&*w2).write_all(&vec![0u8; 64 << 20]));
        wait_in_io_wait(&[writer.id()]);
        w.shutdown(Shutdown::Write).unwrap();
        let e = writer.join().unwrap().unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe, "unix: {e}");
    });
}
