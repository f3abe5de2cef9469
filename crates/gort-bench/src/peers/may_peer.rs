//! The may peer: goroutines are may coroutines (`may::go!`, default stack,
//! `procs` worker threads), channels are may's (`may::sync::mpsc` and
//! `mpmc`, which are unbounded: may has no bounded or rendezvous channel),
//! yield is `may::coroutine::yield_now`, sleep is `may::coroutine::sleep`,
//! and a "wired" goroutine is a plain OS thread using may's channels, which
//! block the thread when called outside a coroutine. may has no channel
//! select and no syscall handoff; those cases are skipped with the reason.
//!
//! may stacks are separate mappings with a guard page, so `vm.max_map_count`
//! (65530 by default) caps it near 30,000 live coroutines: the large cases
//! fail, and the driver reports that failure from the subprocess.

use crate::common::*;
use may::coroutine;
use may::sync::{mpmc, mpsc};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs one case on may.
pub fn run(case: &str, cfg: &Cfg) -> Outcome {
    let sz = Sizes::of(cfg);
    let procs = if case.starts_with("syscall_handoff") {
        1
    } else {
        cfg.procs
    };
    may::config().set_workers(procs.max(1));
    let case = case.to_string();
    // The driver itself runs as a coroutine, so both ends of every exchange
    // are coroutines (except the deliberately wired OS threads).
    go(move || {
        let c = case.as_str();
        match c {
            "spawn" => Outcome::one(c, spawn(sz.spawn), "ns/op"),
            "skynet" => Outcome::one(c, skynet_run(sz.skynet as u64), "s"),
            "pingpong" => Outcome::one(c, pingpong(sz.pingpong, 0), "ns/op"),
            "locked_pingpong_one" => Outcome::one(c, pingpong(sz.locked_pingpong, 1), "ns/op"),
            "locked_pingpong_both" => Outcome::one(c, pingpong(sz.locked_pingpong, 2), "ns/op"),
            "yield" => Outcome::one(c, yields(sz.yields), "ns/op"),
            "chan_buffered" => Outcome::one(c, chan_buffered(sz.chan_buffered), "ns/op"),
            "select4" => Outcome::Skip("may has no select over channels".into()),
            "parked_mem_100k" => parked_mem(c, sz.parked_small),
            "parked_mem_1m" => parked_mem(c, sz.parked_large),
            "sleepers" => sleepers(&sz),
            "syscall_handoff_wrapped" => Outcome::Skip("may has no syscall handoff".into()),
            "syscall_handoff_plain" => syscall_handoff(c, &sz),
            "scale" => Outcome::one(c, scale(&sz), "s"),
            c if c.ends_with("_under_load") => {
                Outcome::Skip("the under-load workloads compare gort with Go and tokio only".into())
            }
            other => Outcome::Skip(format!("unknown case {other}")),
        }
    })
    .join()
    .expect("may driver coroutine")
}

/// Spawns a coroutine.
fn go<F, T>(f: F) -> coroutine::JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // SAFETY: may's spawn is unsafe because a coroutine that holds on to
    // thread-local state across a yield may see another worker's. The
    // closures of this module keep no thread-local state across a yield or
    // a blocking may call; only may's own channel and scheduler code does.
    unsafe { coroutine::spawn(f) }
}

/// Minimal wait group: a counter and a channel the last one signals.
struct Wg {
    left: AtomicU64,
    tx: mpsc::Sender<()>,
}

impl Wg {
    /// A wait group for `n` coroutines, leaked: they borrow it as Go's closures capture a
    /// pointer, with no reference count per spawn.
    fn new(n: usize) -> (&'static Wg, mpsc::Receiver<()>) {
        let (tx, rx) = mpsc::channel();
        (
            Box::leak(Box::new(Wg {
                left: AtomicU64::new(n as u64),
                tx,
            })),
            rx,
        )
    }
    fn done(&self) {
        if self.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            let _ = self.tx.send(());
        }
    }
}

fn spawn(n: usize) -> f64 {
    let start = Instant::now();
    let (wg, rx) = Wg::new(n);
    for _ in 0..n {
        go(move || wg.done());
    }
    rx.recv().unwrap();
    ns_per(start.elapsed(), n)
}

fn skynet(tx: mpsc::Sender<u64>, num: u64, size: u64, div: u64) {
    if size == 1 {
        let _ = tx.send(num);
        return;
    }
    let (ctx, crx) = mpsc::channel();
    for i in 0..div {
        let sub = size / div;
        let ctx = ctx.clone();
        go(move || skynet(ctx, num + i * sub, sub, div));
    }
    let mut sum = 0;
    for _ in 0..div {
        sum += crx.recv().expect("skynet child");
    }
    let _ = tx.send(sum);
}

fn skynet_run(leaves: u64) -> f64 {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel();
    go(move || skynet(tx, 0, leaves, 10));
    let sum = rx.recv().expect("skynet root");
    assert_eq!(sum, leaves * (leaves - 1) / 2);
    start.elapsed().as_secs_f64()
}

/// Ping-pong with `wired` of the two sides on plain OS threads.
fn pingpong(n: usize, wired: usize) -> f64 {
    let (atx, arx) = mpsc::channel::<u64>();
    let (btx, brx) = mpsc::channel::<u64>();
    let echo = move || {
        while let Ok(v) = arx.recv() {
            if btx.send(v).is_err() {
                break;
            }
        }
    };
    let driver = move || {
        let start = Instant::now();
        for i in 0..n as u64 {
            atx.send(i).unwrap();
            brx.recv().unwrap();
        }
        start.elapsed()
    };
    let d = match wired {
        0 => {
            let e = go(echo);
            let d = go(driver).join().unwrap();
            e.join().unwrap();
            d
        }
        1 => {
            let e = std::thread::spawn(echo);
            let d = go(driver).join().unwrap();
            e.join().unwrap();
            d
        }
        _ => {
            let e = std::thread::spawn(echo);
            let d = std::thread::spawn(driver).join().unwrap();
            e.join().unwrap();
            d
        }
    };
    ns_per(d, n)
}

fn yields(n: usize) -> f64 {
    let start = Instant::now();
    let hs: Vec<_> = (0..2)
        .map(|_| {
            go(move || {
                for _ in 0..n {
                    coroutine::yield_now();
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    ns_per(start.elapsed(), 2 * n)
}

fn chan_buffered(n: usize) -> f64 {
    let (tx, rx) = mpsc::channel::<u64>();
    let start = Instant::now();
    go(move || {
        for i in 0..n as u64 {
            tx.send(i).unwrap();
        }
    });
    let consumer = go(move || {
        let mut sum = 0u64;
        while let Ok(v) = rx.recv() {
            sum = sum.wrapping_add(v);
        }
        sum
    });
    std::hint::black_box(consumer.join().unwrap());
    ns_per(start.elapsed(), n)
}

fn parked_mem(case: &str, n: usize) -> Outcome {
    let (tx, rx) = mpmc::channel::<()>();
    let started = Arc::new(AtomicU64::new(0));
    let before = rss_bytes();
    let mut hs = Vec::with_capacity(n);
    for _ in 0..n {
        let rx = rx.clone();
        let started = started.clone();
        hs.push(go(move || {
            started.fetch_add(1, Ordering::Release);
            let _ = rx.recv();
        }));
    }
    while started.load(Ordering::Acquire) < n as u64 {
        coroutine::sleep(Duration::from_millis(1));
    }
    coroutine::sleep(Duration::from_millis(50));
    let after = rss_bytes();
    drop(tx);
    for h in hs {
        h.join().unwrap();
    }
    parked_metric(case, before, after, n)
}

fn sleepers(sz: &Sizes) -> Outcome {
    let hist = Arc::new(Histogram::new());
    let finished = Arc::new(AtomicU64::new(0));
    let iters = sz.sleeper_iters;
    for _ in 0..sz.sleepers {
        let (hist, finished) = (hist.clone(), finished.clone());
        go(move || {
            for _ in 0..iters {
                let t = Instant::now();
                coroutine::sleep(SLEEP_PERIOD);
                hist.record(t.elapsed().saturating_sub(SLEEP_PERIOD));
            }
            finished.fetch_add(1, Ordering::Release);
        });
    }
    let mut peak = thread_count();
    while finished.load(Ordering::Acquire) < sz.sleepers as u64 {
        peak = peak.max(thread_count());
        coroutine::sleep(SAMPLE_EVERY);
    }
    sleepers_metrics(peak, &hist)
}

fn count_for(run: Duration) -> u64 {
    go(move || {
        let end = Instant::now() + run;
        let mut units = 0;
        let mut x = 1;
        while Instant::now() < end {
            units += count_slice(end, &mut x);
            coroutine::yield_now();
        }
        units
    })
    .join()
    .unwrap()
}

fn syscall_handoff(case: &str, sz: &Sizes) -> Outcome {
    // Warm up, then count alone before and after the blockers and take
    // the mean, so a slow start or a noisy neighbour does not skew it.
    count_for(HANDOFF_WARMUP);
    let alone_before = count_for(sz.handoff_run);
    let stop = Arc::new(AtomicBool::new(false));
    let blockers: Vec<_> = (0..HANDOFF_BLOCKERS)
        .map(|_| {
            let stop = stop.clone();
            go(move || {
                while !stop.load(Ordering::Relaxed) {
                    nanosleep(HANDOFF_SYSCALL);
                    coroutine::yield_now();
                }
            })
        })
        .collect();
    let with = count_for(sz.handoff_run);
    stop.store(true, Ordering::Relaxed);
    for b in blockers {
        b.join().unwrap();
    }
    let alone_after = count_for(sz.handoff_run);
    progress_metric(case, (alone_before + alone_after) / 2, with)
}

fn scale(sz: &Sizes) -> f64 {
    let start = Instant::now();
    let iters = sz.scale_iters;
    let hs: Vec<_> = (0..sz.scale_tasks as u64)
        .map(|i| go(move || spin(iters, i)))
        .collect();
    let mut acc = 0;
    for h in hs {
        acc ^= h.join().unwrap();
    }
    std::hint::black_box(acc);
    start.elapsed().as_secs_f64()
}
