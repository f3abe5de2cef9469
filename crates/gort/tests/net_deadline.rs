//! Go's deadlines and std's timeouts: TestAcceptTimeout, TestReadTimeout, TestWriteTimeout,
//! TestVariousDeadlines (max_procs 1 and 4), TestConcurrentSetDeadline,
//! TestReadWriteDeadlineRace and TestReadTimeoutUnblocksRead. A deadline applies to the call in
//! progress and to later ones; once it has passed a call fails with `TimedOut` even if it could
//! have made progress; std's zero timeouts are refused with `InvalidInput`; `connect_timeout`
//! times out against a listener that never answers; deadlines centuries ahead do not overflow;
//! a deadline set from another thread ends a read on a plain thread.

mod common;

use std::io::{self, Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::net::{assert_timed_out, tcp_listener, tcp_pair, wait_in_io_wait};
use common::Watchdog;
use gort::net::{TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixStream};

const LIMIT: Duration = Duration::from_secs(120);

fn past() -> Option<Instant> {
    Instant::now().checked_sub(Duration::from_secs(5))
}

/// Go's TestAcceptTimeout, first case: a deadline in the past makes `accept` fail with `TimedOut`
/// even though a connection is waiting to be accepted (and again on the next call).
#[test]
fn accept_past_its_deadline_times_out_even_with_a_connection_queued() {
    let _w = Watchdog::new("accept past deadline", LIMIT);
    gort::run(|| {
        let l = tcp_listener();
        let _c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        l.set_deadline(past()).unwrap();
        assert_timed_out(l.accept().map(|_| ()), "accept #1");
        assert_timed_out(l.accept().map(|_| ()), "accept #2");
        // Clearing the deadline hands out the queued connection.
        l.set_deadline(None).unwrap();
        l.accept().expect("accept without a deadline");
    });
}

/// Go's TestAcceptTimeout, second case: before its deadline `accept` hands out the connections
/// that are there; once there are none, it fails with `TimedOut` when the deadline passes.
#[test]
fn accept_succeeds_until_its_deadline_then_times_out() {
    let _w = Watchdog::new("accept until deadline", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let l = tcp_listener();
        let addr = l.local_addr().unwrap();
        let _queued: Vec<_> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
        l.set_deadline(Some(Instant::now() + Duration::from_millis(50)))
            .unwrap();
        let mut accepted = 0;
        let e = loop {
            match l.accept() {
                Ok(_) => accepted += 1,
                Err(e) => break e,
            }
        };
        assert_eq!(e.kind(), io::ErrorKind::TimedOut, "{e}");
        assert_eq!(accepted, 3);
    });
}

/// Go's TestReadTimeout: a read past its deadline fails with `TimedOut` even though data is
/// there to read; with a deadline ahead, reads return the data, then fail once it passes.
#[test]
fn read_past_its_deadline_times_out_even_with_data_ready() {
    let _w = Watchdog::new("read timeout", LIMIT);
    gort::run(|| {
        let (c, s) = tcp_pair();
        (&s).write_all(b"READ TIMEOUT TEST").unwrap();
        c.set_read_deadline(past()).unwrap();
        assert_timed_out((&c).read(&mut [0u8; 1]), "read #1");
        assert_timed_out((&c).read(&mut [0u8; 1]), "read #2");

        // Far enough ahead that the 17 one-byte reads come first even on a loaded machine.
        c.set_read_deadline(Some(Instant::now() + Duration::from_millis(500)))
            .unwrap();
        let mut got = Vec::new();
        let mut b = [0u8; 1];
        let e = loop {
            match (&c).read(&mut b) {
                Ok(n) => {
                    assert_eq!(n, 1);
                    got.push(b[0]);
                }
                Err(e) => break e,
            }
        };
        assert_eq!(e.kind(), io::ErrorKind::TimedOut, "{e}");
        assert_eq!(got, b"READ TIMEOUT TEST");
    });
}

/// Go's TestWriteTimeout: a write past its deadline fails with `TimedOut` though the send buffer
/// has room; with a deadline ahead, writes go through until the buffers fill (the peer never
/// reads), then fail with `TimedOut` when the deadline passes.
#[test]
fn write_past_its_deadline_times_out_even_with_room_to_write() {
    let _w = Watchdog::new("write timeout", LIMIT);
    gort::run(|| {
        let l = tcp_listener();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        c.set_write_deadline(past()).unwrap();
        assert_timed_out((&c).write(b"WRITE TIMEOUT TEST"), "write #1");
        assert_timed_out((&c).write(b"WRITE TIMEOUT TEST"), "write #2");

        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        c.set_write_deadline(Some(Instant::now() + Duration::from_millis(10)))
            .unwrap();
        let e = loop {
            if let Err(e) = (&c).write(b"WRITE TIMEOUT TEST") {
                break e;
            }
        };
        assert_eq!(e.kind(), io::ErrorKind::TimedOut, "{e}");
    });
}

/// Go's TestVariousDeadlines: a connection whose peer never writes, copied to a sink with a
/// deadline from 1 ns to 1 s ahead, always ends in `TimedOut` (never in end of file, another
/// error or a hang), at the given max_procs.
fn various_deadlines(procs: usize) {
    gort::Builder::new().max_procs(procs).run(|| {
        let l = Arc::new(tcp_listener());
        let addr = l.local_addr().unwrap();
        let l2 = l.clone();
        // Go's handler: accept, wait for the client to close, close.
        let server = gort::spawn(move || {
            while let Ok((s, _)) = l2.accept() {
                let _ = (&s).read(&mut [0u8; 1]);
            }
        });
        let ns = Duration::from_nanos;
        let us = Duration::from_micros;
        let ms = Duration::from_millis;
        let timeouts = [
            ns(1),
            ns(2),
            ns(5),
            ns(50),
            ns(100),
            ns(200),
            ns(500),
            ns(750),
            us(1),
            us(5),
            us(25),
            us(250),
            us(500),
            ms(1),
            ms(5),
            ms(100),
            ms(250),
            ms(500),
            ms(1000),
        ];
        for timeout in timeouts {
            // Go runs each 3 times; the long ones once here, to keep the test short.
            let runs = if timeout <= ms(5) { 3 } else { 1 };
            for run in 0..runs {
                let c = TcpStream::connect(addr).unwrap();
                c.set_deadline(Some(Instant::now() + timeout)).unwrap();
                let r = io::copy(&mut &c, &mut io::sink());
                match r {
                    Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
                    other => panic!("{timeout:?} run {run}, {procs} procs: copy = {other:?}"),
                }
                drop(c);
            }
        }
        l.close().unwrap();
        server.join().unwrap();
    });
}

#[test]
fn various_deadlines_all_time_out_at_1_proc() {
    let _w = Watchdog::new("various deadlines, 1 proc", LIMIT);
    various_deadlines(1);
}

#[test]
fn various_deadlines_all_time_out_at_4_procs() {
    let _w = Watchdog::new("various deadlines, 4 procs", LIMIT);
    various_deadlines(4);
}

/// Go's TestConcurrentSetDeadline: 8 goroutines setting read and write deadlines (ever earlier)
/// on 10 connections at once neither crash, deadlock nor corrupt them: afterwards a deadline
/// still works on each.
#[test]
fn concurrent_set_deadline_leaves_every_connection_working() {
    let _w = Watchdog::new("concurrent set deadline", LIMIT);
    gort::Builder::new().max_procs(4).run(|| {
        let l = tcp_listener();
        let addr = l.local_addr().unwrap();
        let conns: Arc<Vec<TcpStream>> =
            Arc::new((0..10).map(|_| TcpStream::connect(addr).unwrap()).collect());
        let now = Instant::now();
        let hs: Vec<_> = (0..8u64)
            .map(|i| {
                let conns = conns.clone();
                gort::spawn(move || {
                    for j in (1..=100u64).rev() {
                        for (k, c) in conns.iter().enumerate() {
                            let extra = Duration::from_secs(i * j * k as u64);
                            c.set_read_deadline(Some(now + Duration::from_secs(7200) + extra))
                                .unwrap();
                            c.set_write_deadline(Some(now + Duration::from_secs(3600) + extra))
                                .unwrap();
                        }
                    }
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        for c in conns.iter() {
            c.set_read_deadline(Some(Instant::now() + Duration::from_millis(1)))
                .unwrap();
            assert_timed_out((&*c).read(&mut [0u8; 1]), "read after the storm");
        }
    });
}

/// Go's TestReadWriteDeadlineRace: one goroutine resets both deadlines to 2 µs ahead every 2 µs
/// while another reads and a third writes, 1000 times each: nothing hangs, and the only error
/// either sees is `TimedOut`.
#[test]
fn read_write_deadline_race_ends_with_only_timeouts() {
    let _w = Watchdog::new("read/write deadline race", LIMIT);
    gort::Builder::new().max_procs(4).run(|| {
        const N: usize = 1000;
        let (c, _peer) = tcp_pair();
        let c = Arc::new(c);
        let setter = {
            let c = c.clone();
            gort::spawn(move || {
                for _ in 0..N {
                    let dl = Some(Instant::now() + Duration::from_micros(2));
                    c.set_read_deadline(dl).unwrap();
                    c.set_write_deadline(dl).unwrap();
                    gort::time::sleep(Duration::from_micros(2));
                }
            })
        };
        let only_timeouts = |r: io::Result<usize>, what: &str| {
            if let Err(e) = r {
                assert_eq!(e.kind(), io::ErrorKind::TimedOut, "{what}: {e}");
            }
        };
        let reader = {
            let c = c.clone();
            gort::spawn(move || {
                for _ in 0..N {
                    only_timeouts((&*c).read(&mut [0u8; 1]), "read");
                }
            })
        };
        let writer = {
            let c = c.clone();
            gort::spawn(move || {
                for _ in 0..N {
                    only_timeouts((&*c).write(&[0u8; 1]), "write");
                }
            })
        };
        setter.join().unwrap();
        // The setter's last deadline has passed: whatever call is still blocked times out.
        reader.join().unwrap();
        writer.join().unwrap();
    });
}

/// Go's TestReadTimeoutUnblocksRead: a read blocked with no deadline wakes with `TimedOut` when
/// another goroutine sets its deadline in the past; with the deadline cleared, the next read
/// waits again and gets the data.
#[test]
fn setting_a_past_deadline_wakes_a_blocked_read() {
    let _w = Watchdog::new("deadline wakes read", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let (c, s) = tcp_pair();
            let s = Arc::new(s);
            let s2 = s.clone();
            let reader = gort::spawn(move || (&*s2).read(&mut [0u8; 1]));
            wait_in_io_wait(&[reader.id()]);
            s.set_read_deadline(past()).unwrap();
            assert_timed_out(reader.join().unwrap(), "read woken by its deadline");

            s.set_read_deadline(None).unwrap();
            let s2 = s.clone();
            let reader = gort::spawn(move || {
                let mut b = [0u8; 1];
                (&*s2).read(&mut b).map(|n| (n, b[0]))
            });
            wait_in_io_wait(&[reader.id()]);
            (&c).write_all(b"z").unwrap();
            assert_eq!(reader.join().unwrap().unwrap(), (1, b'z'));
        });
    }
}

/// A deadline set while a call waits applies to that call: a read blocked with a deadline an
/// hour ahead, and a write blocked on a full buffer, both fail with `TimedOut` when the deadline
/// is brought forward to just ahead.
#[test]
fn a_deadline_brought_forward_applies_to_the_call_in_progress() {
    let _w = Watchdog::new("deadline brought forward", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let (c, _peer) = tcp_pair();
        c.set_deadline(Some(Instant::now() + Duration::from_secs(3600)))
            .unwrap();
        let c = Arc::new(c);
        let (r, w) = (c.clone(), c.clone());
        let reader = gort::spawn(move || (&*r).read(&mut [0u8; 1]));
        let writer = gort::spawn(move || (&*w).write_all(&vec![1u8; 64 << 20]));
        wait_in_io_wait(&[reader.id(), writer.id()]);
        c.set_deadline(Some(Instant::now() + Duration::from_millis(5)))
            .unwrap();
        assert_timed_out(reader.join().unwrap(), "blocked read");
        assert_timed_out(writer.join().unwrap(), "blocked write");
    });
}

/// std's timeouts: each call that waits longer fails with `TimedOut` (TCP read and write, UDP,
/// Unix streams and datagrams); the values read back; a zero timeout is refused with
/// `InvalidInput`, as is `connect_timeout` with zero.
#[test]
fn std_timeouts_time_out_and_zero_is_invalid_input() {
    let _w = Watchdog::new("std timeouts", LIMIT);
    gort::run(|| {
        let t = Some(Duration::from_millis(5));
        let (c, _peer) = tcp_pair();
        c.set_read_timeout(t).unwrap();
        c.set_write_timeout(t).unwrap();
        assert_eq!(c.read_timeout().unwrap(), t);
        assert_eq!(c.write_timeout().unwrap(), t);
        assert_timed_out((&c).read(&mut [0u8; 1]), "tcp read");
        assert_timed_out((&c).write_all(&vec![0u8; 64 << 20]), "tcp write");
        for r in [
            c.set_read_timeout(Some(Duration::ZERO)),
            c.set_write_timeout(Some(Duration::ZERO)),
        ] {
            assert_eq!(r.unwrap_err().kind(), io::ErrorKind::InvalidInput);
        }
        c.set_read_timeout(None).unwrap();
        assert_eq!(c.read_timeout().unwrap(), None);

        let u = UdpSocket::bind("127.0.0.1:0").unwrap();
        u.set_read_timeout(t).unwrap();
        assert_timed_out(u.recv_from(&mut [0u8; 8]), "udp recv_from");
        assert_eq!(
            u.set_read_timeout(Some(Duration::ZERO)).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );

        let (a, _b) = UnixStream::pair().unwrap();
        a.set_read_timeout(t).unwrap();
        assert_timed_out((&a).read(&mut [0u8; 1]), "unix read");
        let (a, _b) = UnixDatagram::pair().unwrap();
        a.set_read_timeout(t).unwrap();
        assert_timed_out(a.recv(&mut [0u8; 1]), "unix datagram recv");

        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let e = TcpStream::connect_timeout(&addr, Duration::ZERO).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
    });
}

/// `connect_timeout` to a listener that never answers (its accept queue is full, so the kernel
/// drops the handshake) parks in the poller and fails with `TimedOut`; on a plain thread too.
#[test]
fn connect_timeout_times_out_when_nobody_answers() {
    let _w = Watchdog::new("connect timeout", LIMIT);
    let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    s.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    s.listen(0).unwrap(); // one queued connection fills it
    let addr = s.local_addr().unwrap().as_socket().unwrap();
    let _first = std::net::TcpStream::connect(addr).unwrap();
    gort::run(|| {
        let c = gort::spawn(move || {
            TcpStream::connect_timeout(&addr, Duration::from_millis(300)).map(|_| ())
        });
        wait_in_io_wait(&[c.id()]);
        assert_timed_out(c.join().unwrap(), "connect_timeout on a goroutine");
    });
    assert_timed_out(
        TcpStream::connect_timeout(&addr, Duration::from_millis(20)).map(|_| ()),
        "connect_timeout on a plain thread",
    );
}

/// A deadline centuries ahead is not confused with one in the past (no overflow): the read
/// waits, and gets the data.
#[test]
fn a_far_future_deadline_does_not_expire() {
    let _w = Watchdog::new("far deadline", LIMIT);
    gort::run(|| {
        let (c, s) = tcp_pair();
        let centuries = Instant::now().checked_add(Duration::from_secs(10_000_000_000));
        assert!(
            centuries.is_some(),
            "the platform's Instant reaches that far"
        );
        s.set_read_deadline(centuries).unwrap();
        let s = Arc::new(s);
        let s2 = s.clone();
        let r = gort::spawn(move || (&*s2).read(&mut [0u8; 1]));
        wait_in_io_wait(&[r.id()]);
        (&c).write_all(b"f").unwrap();
        assert_eq!(r.join().unwrap().unwrap(), 1);
    });
}

/// On plain threads (waiting in `poll(2)`), a deadline set from another thread applies to the
/// read in progress.
#[test]
fn a_deadline_set_from_another_thread_ends_a_plain_thread_read() {
    let _w = Watchdog::new("plain-thread deadline", LIMIT);
    let (_c, s) = tcp_pair();
    let s = Arc::new(s);
    let s2 = s.clone();
    let reader = std::thread::spawn(move || (&*s2).read(&mut [0u8; 1]));
    s.set_read_deadline(past()).unwrap();
    assert_timed_out(reader.join().unwrap(), "plain-thread read");
}

/// Go's TestAcceptTimeoutMustNotReturn and TestReadTimeoutMustNotReturn: a deadline set in the
/// past and then cleared leaves calls waiting (they do not time out), and a deadline pushed
/// further away while a call waits lets it go on waiting until the data comes.
#[test]
fn a_cleared_or_extended_deadline_lets_calls_keep_waiting() {
    let _w = Watchdog::new("cleared deadline", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let l = Arc::new(tcp_listener());
        l.set_deadline(past()).unwrap();
        l.set_deadline(None).unwrap();
        let l2 = l.clone();
        let a = gort::spawn(move || l2.accept().map(|(s, _)| s));
        wait_in_io_wait(&[a.id()]);
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let s = a
            .join()
            .unwrap()
            .expect("accept after the deadline was cleared");

        s.set_read_deadline(Some(Instant::now() + Duration::from_secs(3600)))
            .unwrap();
        let s = Arc::new(s);
        let s2 = s.clone();
        let r = gort::spawn(move || (&*s2).read(&mut [0u8; 1]));
        wait_in_io_wait(&[r.id()]);
        for hours in 2..10 {
            // Each change wakes the reader to look again; it must wait on, not fail.
            s.set_read_deadline(Some(Instant::now() + Duration::from_secs(3600 * hours)))
                .unwrap();
        }
        s.set_read_deadline(None).unwrap();
        wait_in_io_wait(&[r.id()]);
        (&c).write_all(b"d").unwrap();
        assert_eq!(r.join().unwrap().unwrap(), 1);
    });
}
