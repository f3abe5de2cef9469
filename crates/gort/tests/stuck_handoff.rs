//! Semantics 1.7: sysmon takes the P of a goroutine that runs 10 ms without a scheduling point, so
//! the work queued behind it moves on. Where other Ps already take that work (they steal from the
//! queue as fast as it fills), the hand-off would only add a thread to share the CPUs with, and
//! sysmon leaves the P alone. In a binary of its own: it wants the CPUs to itself.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::Watchdog;

const LIMIT: Duration = Duration::from_secs(120);

/// One trial: the main goroutine spawns goroutines that do next to nothing, for `spin` without
/// ever reaching a scheduling point, then waits for them. Returns how many Ps sysmon took from a
/// goroutine stuck 10 ms meanwhile, and how many goroutines were spawned.
fn trial(procs: usize, spin: Duration) -> (u64, u64) {
    gort::Builder::new().max_procs(procs).run(move || {
        // Counted with an atomic, not a WaitGroup: a spawner that slept on a lock shared with its
        // children would lose its P to the blocked-thread probe instead.
        static RAN: AtomicU64 = AtomicU64::new(0);
        RAN.store(0, Ordering::SeqCst);
        let before = gort::__sysmon::stuck_handoffs();
        let start = Instant::now();
        let mut spawned = 0u64;
        while start.elapsed() < spin {
            for _ in 0..64 {
                gort::go(|| {
                    RAN.fetch_add(1, Ordering::Relaxed);
                });
            }
            spawned += 64;
        }
        let handoffs = gort::__sysmon::stuck_handoffs() - before;
        while RAN.load(Ordering::Relaxed) < spawned {
            gort::yield_now();
        }
        (handoffs, spawned)
    })
}

#[test]
fn a_spinning_spawner_loses_its_proc_when_nobody_takes_its_queue() {
    let _w = Watchdog::new("stuck handoff, one proc", LIMIT);
    // At max_procs 1 nothing but a hand-off runs the queued goroutines.
    let (handoffs, _) = trial(1, Duration::from_millis(100));
    assert!(
        handoffs >= 1,
        "the stuck spawner kept its only P for 100 ms"
    );
}

#[test]
fn a_spinning_spawner_keeps_its_proc_while_another_proc_drains_its_queue() {
    let _w = Watchdog::new("stuck handoff, two procs", LIMIT);
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        eprintln!("skipped: needs two CPUs");
        return;
    }
    // Before the rule looked at the queue, the spawner lost its P after 10 ms and spawned on
    // without one, each new G going to the global queue. The other P's M must take work at least
    // once every 10 ms for the rule to hold; the OS may keep that thread off a CPU for longer now
    // and then, so a trial with a hand-off is repeated.
    let mut seen = Vec::new();
    for _ in 0..5 {
        let (handoffs, spawned) = trial(2, Duration::from_millis(200));
        assert!(spawned > 0);
        if handoffs == 0 {
            return;
        }
        seen.push(handoffs);
    }
    panic!("the spawner lost its P in each of five 200 ms trials: {seen:?} times");
}
