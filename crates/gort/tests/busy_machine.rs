//! Sysmon takes the Ps of goroutines that run on (semantics 1.7) while the machine is busy with other
//! threads. In a binary of its own: it loads both cores, which would upset tests that want the CPUs
//! to themselves (`max_procs.rs`).

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Watchdog;

const LIMIT: Duration = Duration::from_secs(120);

/// CPU-bound goroutines that run past sysmon's 10 ms, on a machine kept busy by other threads, so
/// that sysmon keeps taking Ps from Ms whose goroutines run on, and Ms keep finding out at their
/// next switch: every goroutine still finishes. (An M that went on using a P it had lost, moving
/// goroutines into its queue, once left them there with every M asleep.)
#[test]
fn cpu_bound_goroutines_finish_while_sysmon_takes_their_ps() {
    let _w = Watchdog::new("cpu bound under load", LIMIT);
    let stop = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            })
        })
        .collect();
    for _ in 0..10 {
        gort::Builder::new().max_procs(2).run(|| {
            let hs: Vec<_> = (0..64)
                .map(|_| {
                    gort::spawn(|| {
                        let t = Instant::now();
                        while t.elapsed() < Duration::from_millis(12) {
                            std::hint::spin_loop();
                        }
                    })
                })
                .collect();
            for h in hs {
                h.join().unwrap();
            }
        });
    }
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.join().unwrap();
    }
}
