//! The OS-thread peer: every goroutine is a `std::thread`, channels are
//! `crossbeam-channel` (capacity 0 is a true rendezvous, like Go's unbuffered
//! channels), and `procs` is enforced by restricting the process to that many
//! CPUs (`sched_setaffinity`). Workloads that would need hundreds of
//! thousands of threads are skipped with the reason.

use crate::common::*;
use crossbeam_channel::{bounded, select, Receiver, Sender};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// Stack size for the many short threads of spawn.
const SMALL_STACK: usize = 64 * 1024;

/// Runs one case on OS threads.
pub fn run(case: &str, cfg: &Cfg) -> Outcome {
    restrict_cpus(cfg.procs);
    let sz = Sizes::of(cfg);
    match case {
        "spawn" => spawn(sz.spawn / 50),
        "skynet" => Outcome::Skip(format!(
            "needs {} live OS threads",
            sz.skynet + sz.skynet / 9
        )),
        "pingpong" | "locked_pingpong_one" | "locked_pingpong_both" => {
            // Every thread is wired to itself: the locked variants are the
            // plain thread ping-pong.
            let n = if case == "pingpong" {
                sz.pingpong / 20
            } else {
                sz.locked_pingpong
            };
            Outcome::one(case, pingpong(n), "ns/op")
        }
        "yield" => Outcome::one("yield", yields(sz.yields), "ns/op"),
        "chan_buffered" => Outcome::one("chan_buffered", chan_buffered(sz.chan_buffered), "ns/op"),
        "select4" => Outcome::one("select4", select4(sz.select4 / 20), "ns/op"),
        "parked_mem_100k" | "parked_mem_1m" => {
            let n = if case == "parked_mem_100k" {
                sz.parked_small
            } else {
                sz.parked_large
            };
            let pid_max = proc_sys("kernel/pid_max").unwrap_or(32768);
            let threads_max = proc_sys("kernel/threads-max").unwrap_or(u64::MAX);
            if n as u64 + 64 > pid_max.min(threads_max) {
                return Outcome::Skip(format!(
                    "{n} OS threads exceed pid_max {pid_max} / threads-max {threads_max}"
                ));
            }
            parked_mem(case, n)
        }
        "sleepers" => {
            let pid_max = proc_sys("kernel/pid_max").unwrap_or(32768);
            if sz.sleepers as u64 + 64 > pid_max {
                return Outcome::Skip(format!(
                    "{} OS threads exceed pid_max {pid_max}",
                    sz.sleepers
                ));
            }
            sleepers(&sz)
        }
        "syscall_handoff_wrapped" => {
            Outcome::Skip("threads need no syscall wrapper (see _plain)".into())
        }
        "syscall_handoff_plain" => syscall_handoff(case, &sz),
        "scale" => Outcome::one("scale", scale(&sz), "s"),
        c if c.ends_with("_under_load") => {
            Outcome::Skip("the under-load workloads compare gort with Go and tokio only".into())
        }
        other => Outcome::Skip(format!("unknown case {other}")),
    }
}

/// A thread with a small stack.
fn small_thread<F: FnOnce() + Send + 'static>(f: F) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(f)
        .expect("spawn thread")
}

/// Minimal wait group: a counter and a channel the last one closes.
struct Wg {
    left: AtomicU64,
    tx: std::sync::Mutex<Option<Sender<()>>>,
}

impl Wg {
    /// A wait group for `n` threads, leaked: they borrow it as Go's closures capture a pointer,
    /// with no reference count per spawn.
    fn new(n: usize) -> (&'static Wg, Receiver<()>) {
        let (tx, rx) = bounded(0);
        (
            Box::leak(Box::new(Wg {
                left: AtomicU64::new(n as u64),
                tx: std::sync::Mutex::new(Some(tx)),
            })),
            rx,
        )
    }
    fn done(&self) {
        if self.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.tx.lock().unwrap().take();
        }
    }
}

fn spawn(n: usize) -> Outcome {
    let start = Instant::now();
    let (wg, rx) = Wg::new(n);
    for _ in 0..n {
        // Detached, like a goroutine: only the wait group joins them.
        drop(small_thread(move || wg.done()));
    }
    let _ = rx.recv();
    Outcome::one("spawn", ns_per(start.elapsed(), n), "ns/op")
}

fn pingpong(n: usize) -> f64 {
    let (atx, arx) = bounded::<u64>(0);
    let (btx, brx) = bounded::<u64>(0);
    let echo = thread::spawn(move || {
        while let Ok(v) = arx.recv() {
            if btx.send(v).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    for i in 0..n as u64 {
        atx.send(i).unwrap();
        brx.recv().unwrap();
    }
    let d = start.elapsed();
    drop(atx);
    echo.join().unwrap();
    ns_per(d, n)
}

fn yields(n: usize) -> f64 {
    let start = Instant::now();
    let hs: Vec<_> = (0..2)
        .map(|_| {
            thread::spawn(move || {
                for _ in 0..n {
                    thread::yield_now();
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
    let (tx, rx) = bounded::<u64>(CHAN_CAP);
    let start = Instant::now();
    let p = thread::spawn(move || {
        for i in 0..n as u64 {
            tx.send(i).unwrap();
        }
    });
    let mut sum = 0u64;
    while let Ok(v) = rx.recv() {
        sum = sum.wrapping_add(v);
    }
    p.join().unwrap();
    std::hint::black_box(sum);
    ns_per(start.elapsed(), n)
}

fn select4(n: usize) -> f64 {
    let per = n / 4;
    let chans: Vec<(Sender<u64>, Receiver<u64>)> = (0..4).map(|_| bounded(0)).collect();
    let start = Instant::now();
    let producers: Vec<_> = chans
        .iter()
        .map(|(tx, _)| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..per as u64 {
                    tx.send(i).unwrap();
                }
            })
        })
        .collect();
    let (r0, r1, r2, r3) = (&chans[0].1, &chans[1].1, &chans[2].1, &chans[3].1);
    let mut sum = 0u64;
    for _ in 0..per * 4 {
        let v = select! {
            recv(r0) -> v => v,
            recv(r1) -> v => v,
            recv(r2) -> v => v,
            recv(r3) -> v => v,
        };
        sum = sum.wrapping_add(v.unwrap());
    }
    let d = start.elapsed();
    for p in producers {
        p.join().unwrap();
    }
    std::hint::black_box(sum);
    ns_per(d, per * 4)
}

fn parked_mem(case: &str, n: usize) -> Outcome {
    let (tx, rx) = bounded::<()>(0);
    let started = Arc::new(AtomicU64::new(0));
    let before = rss_bytes();
    let mut hs = Vec::with_capacity(n);
    for _ in 0..n {
        let rx = rx.clone();
        let started = started.clone();
        hs.push(small_thread(move || {
            started.fetch_add(1, Ordering::Release);
            let _ = rx.recv();
        }));
    }
    wait_count(&started, n as u64);
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
    let hs: Vec<_> = (0..sz.sleepers)
        .map(|_| {
            let (hist, finished) = (hist.clone(), finished.clone());
            small_thread(move || {
                for _ in 0..iters {
                    let t = Instant::now();
                    thread::sleep(SLEEP_PERIOD);
                    hist.record(t.elapsed().saturating_sub(SLEEP_PERIOD));
                }
                finished.fetch_add(1, Ordering::Release);
            })
        })
        .collect();
    let mut peak = thread_count();
    while finished.load(Ordering::Acquire) < sz.sleepers as u64 {
        peak = peak.max(thread_count());
        thread::sleep(SAMPLE_EVERY);
    }
    for h in hs {
        h.join().unwrap();
    }
    sleepers_metrics(peak, &hist)
}

/// Counts kernel units until `run` has passed.
fn count_for(run: Duration) -> u64 {
    let end = Instant::now() + run;
    let mut units = 0;
    let mut x = 1;
    while Instant::now() < end {
        units += count_slice(end, &mut x);
        thread::yield_now();
    }
    units
}

fn syscall_handoff(case: &str, sz: &Sizes) -> Outcome {
    restrict_cpus(1);
    // Warm up, then count alone before and after the blockers and take
    // the mean, so a slow start or a noisy neighbour does not skew it.
    count_for(HANDOFF_WARMUP);
    let alone_before = count_for(sz.handoff_run);
    let stop = Arc::new(AtomicBool::new(false));
    let blockers: Vec<_> = (0..HANDOFF_BLOCKERS)
        .map(|_| {
            let stop = stop.clone();
            small_thread(move || {
                while !stop.load(Ordering::Relaxed) {
                    nanosleep(HANDOFF_SYSCALL);
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
        .map(|i| thread::spawn(move || spin(iters, i)))
        .collect();
    let mut acc = 0;
    for h in hs {
        acc ^= h.join().unwrap();
    }
    std::hint::black_box(acc);
    start.elapsed().as_secs_f64()
}
