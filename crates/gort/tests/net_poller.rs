//! The poller's side of the scheduler (Go's TestNetpollBreak): an M blocked in the poller is
//! woken when a goroutine is readied from outside (a plain thread sending on a channel), when an
//! earlier timer is set than the one it sleeps until, and when `run` ends; timers keep firing in
//! deadline order while goroutines wait on sockets; `run`'s end unwinds every goroutine blocked
//! in a socket call and closes its sockets.

mod common;

use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::net::{
    fd_target, tcp_listener, tcp_pair, wait_in_io_wait, wait_in_state, wait_poller_blocked,
};
use common::Watchdog;
use gort::net::{TcpStream, UdpSocket};
use gort::Chan;

const LIMIT: Duration = Duration::from_secs(60);

/// Go's TestNetpollBreak, in gort's terms: with one goroutine waiting on a socket and another
/// sleeping an hour, the idle M blocks in the poller until that hour; a plain thread's send on a
/// channel must break that wait to run main, and main's short sleep after it must not wait for
/// the hour either. Then `run` returns at once though both goroutines still wait. Any missed
/// break hangs (the watchdog makes it a failure).
#[test]
fn a_blocked_poller_is_woken_by_outside_wakeups_new_timers_and_run_ending() {
    let _w = Watchdog::new("netpoll break", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let (_c, s) = tcp_pair();
            let reader = gort::spawn(move || (&s).read(&mut [0u8; 1]).map(|_| ()));
            let sleeper = gort::spawn(|| gort::time::sleep(Duration::from_secs(3600)));
            wait_in_io_wait(&[reader.id()]);
            wait_in_state(&[sleeper.id()], "sleep");

            let wake: Chan<u32> = Chan::new(1);
            let w = wake.clone();
            let outside = std::thread::spawn(move || {
                wait_poller_blocked();
                w.send(7).unwrap(); // buffered: the plain thread never parks
            });
            assert_eq!(wake.recv(), Some(7));
            outside.join().unwrap();
            // A timer far earlier than the hour the poller would otherwise sleep until.
            gort::time::sleep(Duration::from_millis(10));
            // `run` ends with `reader` in IO wait and `sleeper` asleep for an hour.
        });
    }
}

/// Timers fire in deadline order while a goroutine waits on a socket (the poller's blocking
/// wait ends at the earliest timer), at max_procs 1 and 2.
#[test]
fn timers_fire_in_order_while_a_goroutine_waits_on_a_socket() {
    let _w = Watchdog::new("timers beside io wait", LIMIT);
    for procs in [1, 2] {
        let order = gort::Builder::new().max_procs(procs).run(|| {
            let (c, s) = tcp_pair();
            let reader = gort::spawn(move || {
                let mut b = [0u8; 1];
                (&s).read_exact(&mut b).map(|_| b[0])
            });
            wait_in_io_wait(&[reader.id()]);
            let order = Arc::new(Mutex::new(Vec::new()));
            // Deadlines fixed up front and 50 ms apart: the order cannot depend on when each
            // goroutine gets to run.
            let start = Instant::now();
            let sleepers: Vec<_> = [150u64, 50, 100]
                .into_iter()
                .map(|ms| {
                    let order = order.clone();
                    gort::spawn(move || {
                        gort::time::sleep_until(start + Duration::from_millis(ms));
                        order.lock().unwrap().push(ms);
                    })
                })
                .collect();
            sleepers.into_iter().for_each(|h| h.join().unwrap());
            (&c).write_all(b"r").unwrap();
            assert_eq!(reader.join().unwrap().unwrap(), b'r');
            Arc::try_unwrap(order).unwrap().into_inner().unwrap()
        });
        assert_eq!(order, [50, 100, 150], "{procs} procs");
    }
}

/// Sets a flag when dropped: shows that a goroutine was unwound.
struct Unwound(Arc<AtomicUsize>);

impl Drop for Unwound {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// `run` returns while goroutines are blocked in accept, read, write and recv_from: each is
/// unwound (its destructors run) and its socket closed, so the peers kept by the caller see end
/// of file, and the listener's descriptor is gone.
#[test]
fn run_ending_unwinds_goroutines_blocked_on_sockets_and_closes_them() {
    let _w = Watchdog::new("run end with io waiters", LIMIT);
    for procs in [1, 4] {
        let unwound = Arc::new(AtomicUsize::new(0));
        let u = unwound.clone();
        let (peers, listener_fd) = gort::Builder::new().max_procs(procs).run(move || {
            let l = tcp_listener();
            let listener_fd = std::os::fd::AsRawFd::as_raw_fd(&l);
            let before = fd_target(listener_fd).unwrap();
            let (rc, rs) = tcp_pair();
            let (wc, ws) = tcp_pair();
            let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
            let guard = |u: &Arc<AtomicUsize>| Unwound(u.clone());
            let g = guard(&u);
            let a = gort::spawn(move || {
                let _g = g;
                l.accept().map(|_| ())
            });
            let g = guard(&u);
            let r = gort::spawn(move || {
                let _g = g;
                (&rs).read(&mut [0u8; 1]).map(|_| ())
            });
            let g = guard(&u);
            let w = gort::spawn(move || {
                let _g = g;
                (&ws).write_all(&vec![0u8; 64 << 20])
            });
            let g = guard(&u);
            let d = gort::spawn(move || {
                let _g = g;
                udp.recv_from(&mut [0u8; 8]).map(|_| ())
            });
            wait_in_io_wait(&[a.id(), r.id(), w.id(), d.id()]);
            ((rc, wc), (listener_fd, before))
        });
        assert_eq!(unwound.load(Ordering::SeqCst), 4, "{procs} procs");
        let (rc, wc): (TcpStream, TcpStream) = peers;
        // On a plain thread now: the readers see the goroutines' sockets closed.
        assert_eq!((&rc).read(&mut [0u8; 1]).unwrap(), 0, "read peer");
        let mut sink = vec![0u8; 1 << 20];
        while (&wc).read(&mut sink).unwrap() > 0 {}
        let (fd, before) = listener_fd;
        assert_ne!(fd_target(fd), Some(before), "the listener is still open");
    }
}

/// The block of `goroutine_id` in `dump`.
fn block_of(dump: &str, id: u64) -> &str {
    let head = format!("goroutine {id} [");
    let start = dump.find(&head).expect("the goroutine is in the dump");
    let end = dump[start + 1..]
        .find("\ngoroutine ")
        .map_or(dump.len(), |e| start + 1 + e);
    &dump[start..end]
}

/// A goroutine blocked in a socket call is dumped at the call's place in the caller's code (as
/// for gort's other blocking calls), not somewhere inside gort: read, write, accept, recv_from,
/// `PollFd::read_with` and `wait_readable`.
#[test]
fn a_goroutine_blocked_on_a_socket_is_dumped_at_its_call_site() {
    let _w = Watchdog::new("dump location", LIMIT);
    gort::run(|| {
        let (_c, s) = tcp_pair();
        let (_c2, w) = tcp_pair();
        let l = tcp_listener();
        let u = UdpSocket::bind("127.0.0.1:0").unwrap();
        let (p, _q) = std::os::unix::net::UnixStream::pair().unwrap();
        let (b, _b2) = std::os::unix::net::UnixStream::pair().unwrap();
        let p = gort::io::PollFd::new(p).unwrap();
        let hs = [
            gort::spawn(move || drop((&s).read(&mut [0u8; 1]))),
            gort::spawn(move || drop((&w).write(&vec![0u8; 64 << 20]))),
            gort::spawn(move || drop(l.accept())),
            gort::spawn(move || drop(u.recv_from(&mut [0u8; 1]))),
            gort::spawn(move || drop(p.read_with(|mut f| f.read(&mut [0u8; 1])))),
            gort::spawn(move || drop(gort::io::wait_readable(std::os::fd::AsFd::as_fd(&b), None))),
        ];
        let ids: Vec<u64> = hs.iter().map(|h| h.id()).collect();
        wait_in_io_wait(&ids);
        let d = gort::dump();
        for id in ids {
            let block = block_of(&d, id);
            let blocked_at = block
                .split("gort: blocked at\n\t")
                .nth(1)
                .and_then(|r| r.lines().next())
                .unwrap_or("");
            assert!(
                blocked_at.contains("net_poller.rs"),
                "goroutine {id} is dumped as blocked at {blocked_at:?}, not at its call:\n{block}"
            );
        }
    });
}
