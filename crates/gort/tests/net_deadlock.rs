//! Deadlock detection with the network poller (Go's TestNetpollDeadlock): a program that used the
//! network and then blocks forever on a channel is still reported as a deadlock (the poller's
//! count of waiters goes back to zero however a wait ends: data, deadline or close), while a
//! goroutine waiting on a socket, wired or not, keeps `run` from reporting one. In a binary of its
//! own, as `deadlock.rs`: an OS thread parked on a gort primitive anywhere in the process would
//! hold off every runtime's report.

mod common;

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::net::{tcp_listener, tcp_pair, wait_in_io_wait, wait_poller_blocked};
use common::{panic_message, Watchdog};
use gort::net::TcpStream;
use gort::Chan;

const LIMIT: Duration = Duration::from_secs(60);
const DEADLOCK: &str = "fatal error: all goroutines are asleep - deadlock!";

/// Runs `f` as main at `procs` and returns the message of the panic it must end with.
fn deadlock_report(procs: usize, f: impl FnOnce() + Send) -> String {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        gort::Builder::new().max_procs(procs).run(f)
    }));
    panic_message(&*r.expect_err("run must panic on a deadlock"))
}

/// Uses the network: an echo over TCP whose waits ended by data, a read woken by its deadline,
/// and one woken by `close`; leaves an idle listener and connection open (registered, nobody
/// waiting).
fn use_the_network() -> (gort::net::TcpListener, TcpStream, TcpStream) {
    let l = tcp_listener();
    let addr = l.local_addr().unwrap();
    let server = gort::spawn(move || {
        let (s, _) = l.accept().unwrap();
        let mut b = [0u8; 5];
        (&s).read_exact(&mut b).unwrap();
        (&s).write_all(&b).unwrap();
        (l, s)
    });
    let c = TcpStream::connect(addr).unwrap();
    (&c).write_all(b"hello").unwrap();
    let mut b = [0u8; 5];
    (&c).read_exact(&mut b).unwrap();
    let (l, s) = server.join().unwrap();

    c.set_read_deadline(Some(Instant::now() + Duration::from_millis(5)))
        .unwrap();
    assert!((&c).read(&mut b).is_err(), "the deadline must end the read");
    c.set_read_deadline(None).unwrap();

    let (x, _y) = tcp_pair();
    let x = Arc::new(x);
    let x2 = x.clone();
    let reader = gort::spawn(move || (&*x2).read(&mut [0u8; 1]));
    wait_in_io_wait(&[reader.id()]);
    x.close().unwrap();
    assert!(reader.join().unwrap().is_err(), "close must end the read");
    (l, c, s)
}

/// Go's TestNetpollDeadlock: after using the network, main blocks forever on a channel nobody
/// else holds: `run` reports the deadlock, at max_procs 1 and 2.
#[test]
fn a_program_that_used_the_network_then_deadlocks_is_reported() {
    let _w = Watchdog::new("netpoll deadlock", LIMIT);
    for procs in [1, 2] {
        let msg = deadlock_report(procs, || {
            let _open = use_the_network();
            let never: Chan<()> = Chan::new(0);
            never.recv();
        });
        assert!(msg.starts_with(DEADLOCK), "{procs} procs: {msg}");
        assert!(msg.contains("[chan receive]"), "{msg}");
    }
}

/// Not a deadlock: main blocks on a channel while a goroutine waits on a socket (wired or not),
/// which a plain thread writes to later; the read completes and wakes main.
#[test]
fn a_goroutine_waiting_on_a_socket_is_not_a_deadlock() {
    let _w = Watchdog::new("io wait is not a deadlock", LIMIT);
    for wired in [false, true] {
        for procs in [1, 2] {
            let got = gort::Builder::new().max_procs(procs).run(|| {
                let (c, s) = tcp_pair();
                let done: Chan<u8> = Chan::new(0);
                let d = done.clone();
                let reader = gort::spawn(move || {
                    if wired {
                        gort::lock_os_thread();
                    }
                    let mut b = [0u8; 1];
                    (&s).read_exact(&mut b).unwrap();
                    d.send(b[0]).unwrap();
                });
                wait_in_io_wait(&[reader.id()]);
                let writer = std::thread::spawn(move || {
                    // Once an M sleeps in the poller, every goroutine is asleep but the reader
                    // (main on the channel): the moment a wrong deadlock report would come.
                    wait_poller_blocked();
                    (&c).write_all(b"w").unwrap();
                    c
                });
                let v = done.recv().unwrap();
                reader.join().unwrap();
                drop(writer.join().unwrap());
                v
            });
            assert_eq!(got, b'w', "wired {wired}, {procs} procs");
        }
    }
}
