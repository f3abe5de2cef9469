//! Many live parked goroutines: 100,000 in CI, 1,000,000 on demand (`--ignored`; needs several GiB).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{Gate, Watchdog};

fn parked_goroutines(n: usize) {
    let _w = Watchdog::new("many parked goroutines", Duration::from_secs(600));
    gort::Builder::new().max_procs(2).run(move || {
        let gate = Gate::new();
        let parked = Arc::new(AtomicUsize::new(0));
        let done = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..n)
            .map(|_| {
                let (gate, parked, done) = (gate.clone(), parked.clone(), done.clone());
                gort::spawn(move || {
                    parked.fetch_add(1, Ordering::SeqCst);
                    gate.wait(); // a real park: no thread, no P while it waits
                    done.fetch_add(1, Ordering::SeqCst);
                })
            })
            .collect();
        while parked.load(Ordering::SeqCst) < n {
            gort::yield_now();
        }
        // Every one of them is alive and parked at once.
        assert_eq!(gort::num_goroutine(), n + 1);
        assert_eq!(gate.waiting(), n);
        assert_eq!(done.load(Ordering::SeqCst), 0);
        gate.open();
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(done.load(Ordering::SeqCst), n);
    });
}

#[test]
fn hundred_thousand_parked_goroutines() {
    parked_goroutines(100_000);
}

#[test]
#[ignore = "1,000,000 live goroutines: several GiB of memory; run with --ignored"]
fn million_parked_goroutines() {
    parked_goroutines(1_000_000);
}
