//! Core scheduler benchmarks (issue 2's speed targets): park/unpark ping-pong, unwired and wired,
//! and spawn+join. Prints `gort workload procs value unit`, one line per run; `--quick` for tiny sizes.
//!
//! Run: `cargo bench -p gort --bench core` (compare with Go through `bench/compare.sh`).

use std::time::Instant;

use gort::__park::Signal;

/// Round trips between two goroutines parked/unparked in turn; `wire` = how many sides are wired.
fn pingpong(procs: usize, n: u64, wire: usize) -> f64 {
    gort::Builder::new().max_procs(procs).run(|| {
        let a = Signal::new();
        let b = Signal::new();
        let (a2, b2) = (a.clone(), b.clone());
        a.register();
        let ready = Signal::new();
        ready.register();
        let ready2 = ready.clone();
        let pong = gort::spawn(move || {
            if wire >= 2 {
                gort::lock_os_thread();
            }
            b2.register();
            ready2.notify();
            for _ in 0..n {
                b2.wait();
                a2.notify();
            }
        });
        ready.wait();
        if wire >= 1 {
            gort::lock_os_thread();
        }
        let t = Instant::now();
        for _ in 0..n {
            b.notify();
            a.wait();
        }
        let ns = t.elapsed().as_nanos() as f64 / n as f64;
        pong.join().unwrap();
        ns
    })
}

fn spawn_join(procs: usize, n: usize) -> f64 {
    gort::Builder::new().max_procs(procs).run(|| {
        let t = Instant::now();
        let hs: Vec<_> = (0..n).map(|_| gort::spawn(|| ())).collect();
        for h in hs {
            h.join().unwrap();
        }
        t.elapsed().as_nanos() as f64 / n as f64
    })
}

fn yield_pair(procs: usize, n: u64) -> f64 {
    gort::Builder::new().max_procs(procs).run(|| {
        let t = Instant::now();
        let h = gort::spawn(move || {
            for _ in 0..n {
                gort::yield_now();
            }
        });
        for _ in 0..n {
            gort::yield_now();
        }
        h.join().unwrap();
        t.elapsed().as_nanos() as f64 / (2 * n) as f64
    })
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let quick = std::env::args().any(|a| a == "--quick");
    let want = |name: &str| args.is_empty() || args.iter().any(|a| name.contains(a.as_str()));
    // GORT_BENCH_SCALE divides the sizes (for instruction counting under callgrind).
    let scale = std::env::var("GORT_BENCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 100 } else { 1 });
    let procs_list: Vec<usize> = match std::env::var("GORT_BENCH_PROCS") {
        Ok(v) => v.split(',').filter_map(|p| p.trim().parse().ok()).collect(),
        Err(_) => vec![1, 2],
    };
    for procs in procs_list {
        if want("park_pingpong") {
            println!(
                "gort park_pingpong {procs} {:.0} ns/roundtrip",
                pingpong(procs, 1_000_000 / scale, 0)
            );
        }
        if want("locked_pingpong") {
            println!(
                "gort locked_pingpong {procs} {:.0} ns/roundtrip",
                pingpong(procs, 200_000 / scale, 1)
            );
        }
        if want("locked_pingpong_both") {
            println!(
                "gort locked_pingpong_both {procs} {:.0} ns/roundtrip",
                pingpong(procs, 200_000 / scale, 2)
            );
        }
        if want("spawn_join") {
            println!(
                "gort spawn_join {procs} {:.0} ns/goroutine",
                spawn_join(procs, 1_000_000 / scale as usize)
            );
        }
        if want("yield") {
            println!(
                "gort yield {procs} {:.0} ns/yield",
                yield_pair(procs, 1_000_000 / scale)
            );
        }
    }
}
