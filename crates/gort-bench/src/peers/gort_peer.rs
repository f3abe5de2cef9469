//! The gort peer: the workloads written as one would write them in Go, on
//! gort's goroutines (`gort::spawn`), channels (`gort::Chan`, capacity 0 is
//! a rendezvous like Go's unbuffered channel), `gort::select!`,
//! `gort::sync::WaitGroup`, `gort::time::sleep`, `gort::yield_now`,
//! `gort::lock_os_thread` and `gort::syscall`, under
//! `gort::Builder::new().max_procs(procs)`.

use crate::common::*;
use gort::sync::WaitGroup;
use gort::Chan;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs one case on gort.
pub fn run(case: &str, cfg: &Cfg) -> Outcome {
    let sz = Sizes::of(cfg);
    let procs = if case.starts_with("syscall_handoff") {
        1
    } else {
        cfg.procs
    };
    let case = case.to_string();
    gort::Builder::new().max_procs(procs.max(1)).run(move || {
        let c = case.as_str();
        match c {
            "spawn" => Outcome::one(c, spawn(sz.spawn), "ns/op"),
            "skynet" => Outcome::one(c, skynet_run(sz.skynet as u64), "s"),
            "pingpong" => Outcome::one(c, pingpong(sz.pingpong, 0), "ns/op"),
            "locked_pingpong_one" => Outcome::one(c, pingpong(sz.locked_pingpong, 1), "ns/op"),
            "locked_pingpong_both" => Outcome::one(c, pingpong(sz.locked_pingpong, 2), "ns/op"),
            "yield" => Outcome::one(c, yields(sz.yields), "ns/op"),
            "chan_buffered" => Outcome::one(c, chan_buffered(sz.chan_buffered), "ns/op"),
            "select4" => Outcome::one(c, select4(sz.select4), "ns/op"),
            "parked_mem_100k" => parked_mem(c, sz.parked_small),
            "parked_mem_1m" => parked_mem(c, sz.parked_large),
            "sleepers" => sleepers(&sz),
            "syscall_handoff_wrapped" => syscall_handoff(c, &sz, true),
            "syscall_handoff_plain" => syscall_handoff(c, &sz, false),
            "scale" => Outcome::one(c, scale(&sz), "s"),
            "sleep_under_load" => latency_metrics(c, sleep_under_load(&sz, false)),
            "wired_sleep_under_load" => latency_metrics(c, sleep_under_load(&sz, true)),
            "wired_roundtrip_under_load" => latency_metrics(c, wired_roundtrip_under_load(&sz)),
            "mutex_under_load" => latency_metrics(c, mutex_under_load(&sz)),
            "wake_from_thread_under_load" => latency_metrics(c, wake_from_thread_under_load(&sz)),
            "tracer_under_load" => tracer_metrics(c, tracer_under_load(&sz)),
            other => Outcome::Skip(format!("unknown case {other}")),
        }
    })
}

fn spawn(n: usize) -> f64 {
    let start = Instant::now();
    // Leaked, so that goroutines borrow it as Go's closures capture a pointer: no reference
    // count per spawn (every Rust peer does the same).
    let wg: &'static WaitGroup = Box::leak(Box::new(WaitGroup::new()));
    wg.add(n as isize);
    for _ in 0..n {
        gort::go(move || wg.done());
    }
    wg.wait();
    ns_per(start.elapsed(), n)
}

fn skynet(c: Chan<u64>, num: u64, size: u64, div: u64) {
    if size == 1 {
        let _ = c.send(num);
        return;
    }
    let rc = Chan::new(0);
    let sub = size / div;
    for i in 0..div {
        let rc = rc.clone();
        gort::go(move || skynet(rc, num + i * sub, sub, div));
    }
    let mut sum = 0;
    for _ in 0..div {
        sum += rc.recv().expect("skynet child");
    }
    let _ = c.send(sum);
}

fn skynet_run(leaves: u64) -> f64 {
    let start = Instant::now();
    let c = Chan::new(0);
    let cc = c.clone();
    gort::go(move || skynet(cc, 0, leaves, 10));
    let sum = c.recv().expect("skynet root");
    assert_eq!(sum, leaves * (leaves - 1) / 2);
    start.elapsed().as_secs_f64()
}

/// Ping-pong over two unbuffered channels with `wired` sides locked to
/// their OS thread.
fn pingpong(n: usize, wired: usize) -> f64 {
    let a = Chan::<u64>::new(0);
    let b = Chan::<u64>::new(0);
    let (ea, eb) = (a.clone(), b.clone());
    let echo = gort::spawn(move || {
        if wired >= 1 {
            gort::lock_os_thread();
        }
        while let Some(v) = ea.recv() {
            if eb.send(v).is_err() {
                break;
            }
        }
    });
    let driver = gort::spawn(move || {
        if wired >= 2 {
            gort::lock_os_thread();
        }
        let start = Instant::now();
        for i in 0..n as u64 {
            a.send(i).unwrap();
            b.recv().unwrap();
        }
        let d = start.elapsed();
        a.close();
        d
    });
    let d = driver.join().unwrap();
    echo.join().unwrap();
    ns_per(d, n)
}

fn yields(n: usize) -> f64 {
    let start = Instant::now();
    let hs: Vec<_> = (0..2)
        .map(|_| {
            gort::spawn(move || {
                for _ in 0..n {
                    gort::yield_now();
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
    let c = Chan::<u64>::new(CHAN_CAP);
    let start = Instant::now();
    let tx = c.clone();
    gort::go(move || {
        for i in 0..n as u64 {
            tx.send(i).unwrap();
        }
        tx.close();
    });
    let consumer = gort::spawn(move || {
        let mut sum = 0u64;
        while let Some(v) = c.recv() {
            sum = sum.wrapping_add(v);
        }
        sum
    });
    std::hint::black_box(consumer.join().unwrap());
    ns_per(start.elapsed(), n)
}

fn select4(n: usize) -> f64 {
    let per = n / 4;
    let cs: Vec<Chan<u64>> = (0..4).map(|_| Chan::new(0)).collect();
    let start = Instant::now();
    for c in &cs {
        let c = c.clone();
        gort::go(move || {
            for i in 0..per as u64 {
                c.send(i).unwrap();
            }
        });
    }
    let consumer = gort::spawn(move || {
        let (c0, c1, c2, c3) = (&cs[0], &cs[1], &cs[2], &cs[3]);
        let mut sum = 0u64;
        for _ in 0..per * 4 {
            let v = gort::select! {
                recv(c0) -> v => v,
                recv(c1) -> v => v,
                recv(c2) -> v => v,
                recv(c3) -> v => v,
            };
            sum = sum.wrapping_add(v.expect("select4 value"));
        }
        sum
    });
    std::hint::black_box(consumer.join().unwrap());
    ns_per(start.elapsed(), per * 4)
}

fn parked_mem(case: &str, n: usize) -> Outcome {
    let c = Chan::<()>::new(0);
    let started = Arc::new(AtomicU64::new(0));
    let wg = Arc::new(WaitGroup::new());
    wg.add(n as isize);
    let before = rss_bytes();
    for _ in 0..n {
        let c = c.clone();
        let started = started.clone();
        let wg = wg.clone();
        gort::go(move || {
            started.fetch_add(1, Ordering::Release);
            let _ = c.recv();
            wg.done();
        });
    }
    while started.load(Ordering::Acquire) < n as u64 {
        gort::time::sleep(Duration::from_millis(1));
    }
    gort::time::sleep(Duration::from_millis(50));
    let after = rss_bytes();
    c.close();
    wg.wait();
    parked_metric(case, before, after, n)
}

fn sleepers(sz: &Sizes) -> Outcome {
    let hist = Arc::new(Histogram::new());
    let finished = Arc::new(AtomicU64::new(0));
    let iters = sz.sleeper_iters;
    for _ in 0..sz.sleepers {
        let (hist, finished) = (hist.clone(), finished.clone());
        gort::go(move || {
            for _ in 0..iters {
                let t = Instant::now();
                gort::time::sleep(SLEEP_PERIOD);
                hist.record(t.elapsed().saturating_sub(SLEEP_PERIOD));
            }
            finished.fetch_add(1, Ordering::Release);
        });
    }
    let mut peak = thread_count();
    while finished.load(Ordering::Acquire) < sz.sleepers as u64 {
        peak = peak.max(thread_count());
        gort::time::sleep(SAMPLE_EVERY);
    }
    sleepers_metrics(peak, &hist)
}

fn count_for(run: Duration) -> u64 {
    gort::spawn(move || {
        let end = Instant::now() + run;
        let mut units = 0;
        let mut x = 1;
        while Instant::now() < end {
            units += count_slice(end, &mut x);
            gort::yield_now();
        }
        units
    })
    .join()
    .unwrap()
}

fn syscall_handoff(case: &str, sz: &Sizes, wrapped: bool) -> Outcome {
    // Warm up, then count alone before and after the blockers and take
    // the mean, so a slow start or a noisy neighbour does not skew it.
    count_for(HANDOFF_WARMUP);
    let alone_before = count_for(sz.handoff_run);
    let stop = Arc::new(AtomicBool::new(false));
    let blockers: Vec<_> = (0..HANDOFF_BLOCKERS)
        .map(|_| {
            let stop = stop.clone();
            gort::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if wrapped {
                        gort::syscall(|| nanosleep(HANDOFF_SYSCALL));
                    } else {
                        nanosleep(HANDOFF_SYSCALL);
                    }
                    gort::yield_now();
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
        .map(|i| gort::spawn(move || spin(iters, i)))
        .collect();
    let mut acc = 0;
    for h in hs {
        acc ^= h.join().unwrap();
    }
    std::hint::black_box(acc);
    start.elapsed().as_secs_f64()
}

/// Starts the churn of the `*_under_load` workloads: `CHURN_PAIRS` pairs of goroutines taking
/// turns over two unbuffered channels, for as long as the runtime runs (they are cancelled when
/// the case's main returns). With `lock`, the first goroutine of the first pair holds it while it
/// hands its partner the ball (lock, send, unlock, receive).
fn churn(lock: Option<Arc<gort::sync::Mutex<u64>>>) {
    for k in 0..CHURN_PAIRS {
        let a = Chan::<u64>::new(0);
        let b = Chan::<u64>::new(0);
        let (ra, sb) = (a.clone(), b.clone());
        let lock = if k == 0 { lock.clone() } else { None };
        gort::go(move || {
            for i in 0.. {
                let guard = lock.as_ref().map(|m| m.lock());
                if a.send(i).is_err() {
                    return;
                }
                drop(guard);
                if b.recv().is_none() {
                    return;
                }
            }
        });
        gort::go(move || {
            while let Some(v) = ra.recv() {
                if sb.send(v).is_err() {
                    return;
                }
            }
        });
    }
}

/// A goroutine (wired to its thread if `wired`) sleeps `UNDER_LOAD_SLEEP` again and again under
/// the churn: how long each sleep took.
fn sleep_under_load(sz: &Sizes, wired: bool) -> Vec<Duration> {
    churn(None);
    let n = sz.under_load_ops + UNDER_LOAD_WARMUP;
    gort::spawn(move || {
        if wired {
            gort::lock_os_thread();
        }
        (0..n)
            .map(|_| {
                let t = Instant::now();
                gort::time::sleep(UNDER_LOAD_SLEEP);
                t.elapsed()
            })
            .collect()
    })
    .join()
    .unwrap()
}

/// A wired goroutine's round trip with an echo goroutine over two unbuffered channels, under the
/// churn.
fn wired_roundtrip_under_load(sz: &Sizes) -> Vec<Duration> {
    churn(None);
    let n = sz.under_load_ops + UNDER_LOAD_WARMUP;
    let a = Chan::<u64>::new(0);
    let b = Chan::<u64>::new(0);
    let (ra, sb) = (a.clone(), b.clone());
    gort::go(move || {
        while let Some(v) = ra.recv() {
            if sb.send(v).is_err() {
                return;
            }
        }
    });
    gort::spawn(move || {
        gort::lock_os_thread();
        (0..n as u64)
            .map(|i| {
                let t = Instant::now();
                a.send(i).unwrap();
                b.recv().unwrap();
                t.elapsed()
            })
            .collect()
    })
    .join()
    .unwrap()
}

/// A goroutine takes a `Mutex` that a churning goroutine holds across each of its sends, pausing
/// `UNDER_LOAD_SLEEP` between takes: how long each `lock` took.
fn mutex_under_load(sz: &Sizes) -> Vec<Duration> {
    let m = Arc::new(gort::sync::Mutex::new(0u64));
    churn(Some(m.clone()));
    let n = sz.under_load_ops + UNDER_LOAD_WARMUP;
    gort::spawn(move || {
        (0..n)
            .map(|_| {
                gort::time::sleep(UNDER_LOAD_SLEEP);
                let t = Instant::now();
                let mut g = m.lock();
                let d = t.elapsed();
                *g += 1;
                d
            })
            .collect()
    })
    .join()
    .unwrap()
}

/// A plain OS thread sends on an unbuffered channel that a goroutine waits on, pausing
/// `UNDER_LOAD_SLEEP` between sends: from just before each send to the goroutine's receipt.
fn wake_from_thread_under_load(sz: &Sizes) -> Vec<Duration> {
    churn(None);
    let n = sz.under_load_ops + UNDER_LOAD_WARMUP;
    let c = Chan::<Instant>::new(0);
    let tx = c.clone();
    // Not joined: it ends with its last send, which the goroutine below receives.
    std::thread::spawn(move || {
        for _ in 0..n {
            std::thread::sleep(UNDER_LOAD_SLEEP);
            if tx.send(Instant::now()).is_err() {
                return;
            }
        }
    });
    gort::spawn(move || (0..n).map(|_| c.recv().unwrap().elapsed()).collect())
        .join()
        .unwrap()
}

/// The churn of `tracer_under_load`: `CHURN_PAIRS` pairs taking turns through two-way `select!`s
/// (each side also watches a channel nobody sends on, as a tracer's helpers watch for a quit), the
/// first of each pair pausing `TRACER_CHURN_PAUSE` every `TRACER_CHURN_PAUSE_EVERY` messages. The
/// first goroutine holds `lock` across each of its sends.
fn select_churn(lock: Arc<gort::sync::Mutex<u64>>) {
    let quit = Chan::<()>::new(0);
    for k in 0..CHURN_PAIRS {
        let a = Chan::<u64>::new(0);
        let b = Chan::<u64>::new(0);
        let (ra, sb) = (a.clone(), b.clone());
        let (q1, q2) = (quit.clone(), quit.clone());
        let lock = (k == 0).then(|| lock.clone());
        gort::go(move || {
            for i in 0.. {
                let guard = lock.as_ref().map(|m| m.lock());
                let sent = gort::select! {
                    send(a, i) -> r => r.is_ok(),
                    recv(q1) -> _ => false,
                };
                drop(guard);
                if !sent || b.recv().is_none() {
                    return;
                }
                if i % TRACER_CHURN_PAUSE_EVERY == TRACER_CHURN_PAUSE_EVERY - 1 {
                    gort::time::sleep(TRACER_CHURN_PAUSE);
                }
            }
        });
        gort::go(move || loop {
            let v = gort::select! {
                recv(ra) -> v => v,
                recv(q2) -> _ => None,
            };
            match v {
                Some(v) if sb.send(v).is_ok() => {}
                _ => return,
            }
        });
    }
}

/// A wired goroutine serves requests as a ptrace tracer's does, under `select_churn`. A request is
/// a system call through `gort::syscall` (`getppid`, standing in for the ptrace request), a round
/// trip with an echo goroutine, a `yield_now`, a `UNDER_LOAD_SLEEP` sleep, a round trip answered
/// on one of two channels and taken with a two-way `select!`, and the `Mutex` that a churning
/// goroutine holds across its sends: how long each request and its round trip and yield took,
/// until `sz.under_load_ops` are done or `sz.tracer_budget` has passed.
fn tracer_under_load(sz: &Sizes) -> RequestTimes {
    let m = Arc::new(gort::sync::Mutex::new(0u64));
    select_churn(m.clone());
    let (req, rep) = (Chan::<u64>::new(0), Chan::<u64>::new(0));
    let (ask, even, odd) = (
        Chan::<u64>::new(0),
        Chan::<u64>::new(0),
        Chan::<u64>::new(0),
    );
    let (req_in, rep_out) = (req.clone(), rep.clone());
    gort::go(move || {
        while let Some(v) = req_in.recv() {
            if rep_out.send(v).is_err() {
                return;
            }
        }
    });
    let (ask_in, even_out, odd_out) = (ask.clone(), even.clone(), odd.clone());
    gort::go(move || {
        while let Some(v) = ask_in.recv() {
            let out = if v % 2 == 0 { &even_out } else { &odd_out };
            if out.send(v).is_err() {
                return;
            }
        }
    });
    let n = sz.under_load_ops + TRACER_WARMUP;
    let budget = sz.tracer_budget;
    gort::spawn(move || {
        gort::lock_os_thread();
        timed_requests(n, budget, |i, laps| {
            // SAFETY: getppid has no preconditions.
            std::hint::black_box(gort::syscall(|| unsafe { libc::getppid() }));
            laps.time(Step::RoundTrip, || {
                req.send(i).unwrap();
                assert_eq!(rep.recv(), Some(i));
            });
            laps.time(Step::Yield, gort::yield_now);
            gort::time::sleep(UNDER_LOAD_SLEEP);
            ask.send(i).unwrap();
            let got = gort::select! {
                recv(even) -> v => v,
                recv(odd) -> v => v,
            };
            assert_eq!(got, Some(i));
            *m.lock() += 1;
        })
    })
    .join()
    .unwrap()
}
