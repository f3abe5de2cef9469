//! `run` joins every thread it started and frees every stack: nothing outlives it. One test in a
//! binary of its own, since it counts the process's threads and address space.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{park_forever, tasks, Gate};

fn vm_size_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = s.lines().find(|l| l.starts_with("VmSize:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A busy runtime: many goroutines across Ps, wired ones exiting (their threads die) and wired ones
/// parked at the end (unwound on their threads), syscalls, goroutines parked forever.
fn busy_runtime(drops: &Arc<AtomicUsize>) {
    let drops = drops.clone();
    gort::Builder::new()
        .max_procs(4)
        .stack_size(1 << 20)
        .run(move || {
            struct D(Arc<AtomicUsize>);
            impl Drop for D {
                fn drop(&mut self) {
                    self.0.fetch_add(1, Ordering::SeqCst);
                }
            }
            let gate = Gate::new();
            let mut hs = Vec::new();
            for i in 0..300 {
                let (gate, d) = (gate.clone(), D(drops.clone()));
                hs.push(gort::spawn(move || {
                    let _d = d;
                    if i % 10 == 0 {
                        gort::lock_os_thread();
                    }
                    gort::yield_now();
                    gort::syscall(|| std::thread::sleep(Duration::from_micros(100)));
                    gate.wait();
                    if i % 20 == 0 {
                        park_forever(); // still parked (some wired) when main returns
                    }
                }));
            }
            for _ in 0..50 {
                gort::yield_now();
            }
            gate.open();
            for h in hs.into_iter().skip(1).step_by(2) {
                h.join().unwrap();
            }
        });
}

#[test]
fn run_leaves_no_thread_stack_or_goroutine_behind() {
    let drops = Arc::new(AtomicUsize::new(0));
    // Warm-up: lets the allocator set up its per-thread arenas, which outlive threads by design.
    busy_runtime(&drops);
    assert_eq!(
        drops.load(Ordering::SeqCst),
        300,
        "not every goroutine was unwound"
    );
    let before = tasks().len();
    let vm_before = vm_size_kib();
    for round in 0..3 {
        busy_runtime(&drops);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            300 * (round + 2),
            "not every goroutine was unwound"
        );
        let after = tasks();
        assert_eq!(
            after.len(),
            before,
            "round {round}: threads left behind by run: {after:?}"
        );
    }
    // 300 stacks of 1 MiB were mapped each round; what is left is allocator noise.
    let grown = vm_size_kib().saturating_sub(vm_before);
    assert!(
        grown < 100 * 1024,
        "address space grew by {grown} KiB: stacks outlived run"
    );
}
