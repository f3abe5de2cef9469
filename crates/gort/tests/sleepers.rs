//! A sleeping goroutine holds no thread: 100,000 of them sleep at once on `max_procs` threads plus a
//! constant (its own test binary, so that no other test's threads are counted).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn a_hundred_thousand_sleeping_goroutines_hold_no_threads_and_wake_not_early() {
    const N: usize = 100_000;
    let before = threads();
    let procs = 2;
    let woke = Arc::new(AtomicUsize::new(0));
    let w = woke.clone();
    let (during, early) = gort::Builder::new()
        .max_procs(procs)
        .stack_size(64 * 1024)
        .run(move || {
            let early = Arc::new(AtomicUsize::new(0));
            let start = Instant::now();
            let hs: Vec<_> = (0..N)
                .map(|i| {
                    let (w, early) = (w.clone(), early.clone());
                    gort::spawn(move || {
                        let d = Duration::from_millis(200 + (i % 100) as u64);
                        let t0 = Instant::now();
                        gort::time::sleep(d);
                        if t0.elapsed() < d {
                            early.fetch_add(1, Ordering::Relaxed);
                        }
                        w.fetch_add(1, Ordering::Relaxed);
                    })
                })
                .collect();
            gort::time::sleep(Duration::from_millis(50));
            let during = threads();
            let spawned_in = start.elapsed();
            eprintln!("spawned {N} sleepers in {spawned_in:?}; {during} threads while they sleep");
            for h in hs {
                h.join().unwrap();
            }
            (during, early.load(Ordering::Relaxed))
        });
    assert_eq!(woke.load(Ordering::Relaxed), N);
    assert_eq!(early, 0, "sleeps ended early");
    // max_procs threads run goroutines; plus the monitor, the template thread, timers, and a few spares.
    assert!(
        during <= before + procs + 8,
        "{during} threads for {N} sleepers (before: {before})"
    );
}
