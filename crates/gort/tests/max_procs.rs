//! Semantics 1.2: at most `max_procs` goroutines execute user code at once. In a binary of its own:
//! it wants the CPUs to itself (see the comment in the test).

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Watchdog;

const LIMIT: Duration = Duration::from_secs(120);

/// One trial: 16 goroutines run 200 µs bursts between yields. Returns the most that ran at once, and
/// whether any burst took long enough (5 ms, against sysmon's 10 ms) for sysmon to take its P away.
fn trial(procs: usize) -> (usize, bool) {
    gort::Builder::new().max_procs(procs).run(|| {
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let stalled = Arc::new(AtomicBool::new(false));
        let hs: Vec<_> = (0..16)
            .map(|_| {
                let (running, peak, stalled) = (running.clone(), peak.clone(), stalled.clone());
                gort::spawn(move || {
                    for _ in 0..20 {
                        let burst = Instant::now();
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        while burst.elapsed() < Duration::from_micros(200) {
                            std::hint::spin_loop();
                        }
                        running.fetch_sub(1, Ordering::SeqCst);
                        if burst.elapsed() > Duration::from_millis(5) {
                            stalled.store(true, Ordering::SeqCst);
                        }
                        gort::yield_now();
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        (peak.load(Ordering::SeqCst), stalled.load(Ordering::SeqCst))
    })
}

#[test]
fn at_most_max_procs_goroutines_run_at_once() {
    let _w = Watchdog::new("max procs", LIMIT);
    // A G whose thread the OS preempts for 10 ms looks stuck to sysmon, which moves its P on while the
    // G keeps its thread (1.7): then one more G than max_procs runs for a moment, by design. So a trial
    // in which some burst was stalled that long proves nothing and is repeated; every other trial
    // must keep the rule.
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    for procs in [1usize, 2, 4].into_iter().filter(|&p| p <= cpus) {
        let mut checked = 0;
        for _ in 0..20 {
            let (peak, stalled) = trial(procs);
            if stalled {
                continue;
            }
            assert!(
                peak <= procs,
                "{peak} goroutines ran at once with max_procs {procs}"
            );
            checked += 1;
            if checked == 3 {
                break;
            }
        }
        if checked == 0 {
            eprintln!(
                "max_procs {procs}: every trial was stalled by the OS; the rule went unchecked"
            );
        }
    }
}
