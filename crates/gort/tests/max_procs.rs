//! Semantics 1.2: at most `max_procs` goroutines execute user code at once. In a binary of its own:
//! it needs the CPUs to itself (see the comment in the test).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Watchdog;

const LIMIT: Duration = Duration::from_secs(60);

/// Semantics 1.2: at most `max_procs` goroutines run user code at once.
#[test]
fn at_most_max_procs_goroutines_run_at_once() {
    let _w = Watchdog::new("max procs", LIMIT);
    // A G whose thread the OS preempts for 10 ms looks stuck to sysmon, which moves its P on while the G
    // keeps its thread (1.7): then one more G than max_procs runs for a moment, by design. So only as
    // many Ps as CPUs, and this test in a binary of its own.
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    for procs in [1usize, 2].into_iter().filter(|&p| p <= cpus) {
        let peak = gort::Builder::new().max_procs(procs).run(|| {
            let running = Arc::new(AtomicUsize::new(0));
            let peak = Arc::new(AtomicUsize::new(0));
            let hs: Vec<_> = (0..16)
                .map(|_| {
                    let (running, peak) = (running.clone(), peak.clone());
                    gort::spawn(move || {
                        for _ in 0..20 {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            peak.fetch_max(now, Ordering::SeqCst);
                            let t = Instant::now();
                            while t.elapsed() < Duration::from_micros(200) {
                                std::hint::spin_loop();
                            }
                            running.fetch_sub(1, Ordering::SeqCst);
                            gort::yield_now();
                        }
                    })
                })
                .collect();
            for h in hs {
                h.join().unwrap();
            }
            peak.load(Ordering::SeqCst)
        });
        assert!(
            peak <= procs,
            "{peak} goroutines ran at once with max_procs {procs}"
        );
    }
}
