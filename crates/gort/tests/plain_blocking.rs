//! Semantics 1.7 for plain blocking calls (not wrapped in `gort::syscall`): sysmon sees that the
//! thread of a goroutine holding a P sleeps in the kernel while work waits, and hands the P to
//! another thread; a thread that runs keeps its P. The hidden counters of `gort::__sysmon` show
//! which path moved a P.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::pipe::{close, pipe, read_byte, write_byte};
use common::Watchdog;
use gort::__sysmon::{blocked_handoffs, thread_probes};

const LIMIT: Duration = Duration::from_secs(60);

/// With one P, a goroutine blocks in a plain `read` that only a goroutine queued behind it will
/// satisfy: the read completes only if its P moves on, and the blocked-thread path is what moved it.
#[test]
fn plain_blocking_read_hands_off_its_p() {
    let _w = Watchdog::new("plain read", LIMIT);
    gort::Builder::new().max_procs(1).run(|| {
        let fds = pipe();
        let before = blocked_handoffs();
        let writer = gort::spawn(move || write_byte(fds.1, 42));
        assert_eq!(read_byte(fds.0), 42);
        writer.join().unwrap();
        assert!(
            blocked_handoffs() > before,
            "the P moved on, but not through the blocked-thread hand-off"
        );
        close(fds);
    });
}

/// A wired goroutine blocked in a plain call loses its P like any other, and keeps its thread
/// (semantics 2.3): before, during and after the call, and after its next scheduling point.
#[test]
fn plain_blocking_read_in_a_wired_goroutine_keeps_its_thread() {
    let _w = Watchdog::new("wired plain read", LIMIT);
    gort::Builder::new().max_procs(1).run(|| {
        let fds = pipe();
        let before = blocked_handoffs();
        let reader = gort::spawn(move || {
            gort::lock_os_thread();
            let t0 = gort::thread_id();
            let b = read_byte(fds.0);
            let t1 = gort::thread_id();
            gort::yield_now();
            let t2 = gort::thread_id();
            gort::unlock_os_thread();
            (b, t0, t1, t2)
        });
        // Let the reader start and block (it holds the only P), then queue the writer behind it.
        gort::yield_now();
        let writer = gort::spawn(move || write_byte(fds.1, 7));
        let (b, t0, t1, t2) = reader.join().unwrap();
        writer.join().unwrap();
        assert_eq!(b, 7);
        assert_eq!((t0, t0), (t1, t2), "a wired goroutine changed threads");
        assert!(blocked_handoffs() > before);
        close(fds);
    });
}

/// A goroutine that runs (thread state R) with work queued behind it is probed but not handed off
/// by the blocked-thread path (the 10 ms rule for long runs may still move its P).
#[test]
fn running_goroutine_is_not_taken_for_a_blocked_one() {
    let _w = Watchdog::new("running keeps its P", LIMIT);
    gort::Builder::new().max_procs(1).run(|| {
        let before = blocked_handoffs();
        let probes = thread_probes();
        let ran = Arc::new(AtomicBool::new(false));
        let r2 = ran.clone();
        // Queued behind us on our P: work that waits.
        let waiting = gort::spawn(move || r2.store(true, Ordering::SeqCst));
        // Run, without a scheduling point and without blocking, until sysmon has looked at our thread.
        let start = Instant::now();
        while thread_probes() == probes {
            std::hint::spin_loop();
            assert!(
                start.elapsed() < LIMIT / 2,
                "sysmon never probed a P with work waiting"
            );
        }
        assert_eq!(
            blocked_handoffs(),
            before,
            "a running thread was handed off as a blocked one"
        );
        waiting.join().unwrap();
        assert!(ran.load(Ordering::SeqCst));
    });
}

/// A goroutine blocked in a plain call with nothing waiting for its P costs sysmon nothing: no
/// probe, no hand-off. (The byte comes from a plain thread, so no goroutine is queued.)
#[test]
fn plain_blocking_call_with_no_work_waiting_is_not_probed() {
    let _w = Watchdog::new("blocked alone", LIMIT);
    gort::Builder::new().max_procs(1).run(|| {
        let fds = pipe();
        let probes = thread_probes();
        let before = blocked_handoffs();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            write_byte(fds.1, 1);
        });
        assert_eq!(read_byte(fds.0), 1);
        writer.join().unwrap();
        assert_eq!(thread_probes(), probes);
        assert_eq!(blocked_handoffs(), before);
        close(fds);
    });
}
