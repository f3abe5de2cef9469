//! The tokio peers: the multi-thread runtime with `procs` worker threads
//! (`tokio-mt`) and the current-thread runtime (`tokio-ct`, always one
//! thread). Goroutines are tasks, unbuffered channels are
//! `tokio::sync::mpsc::channel(1)` (tokio has no rendezvous channel), a
//! receive that parks many tasks is a `watch` receiver, yield is
//! `tokio::task::yield_now`, a wrapped syscall is `spawn_blocking`, and a
//! "wired" goroutine is a plain OS thread using the channel's blocking calls.

use crate::common::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch, Notify};

/// Runs one case on tokio; `multi` selects the multi-thread runtime.
pub fn run(case: &str, cfg: &Cfg, multi: bool) -> Outcome {
    let sz = Sizes::of(cfg);
    let procs = if case == "syscall_handoff_wrapped" || case == "syscall_handoff_plain" {
        1
    } else {
        cfg.procs
    };
    let rt = if multi {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(procs.max(1))
            .enable_time()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
    }
    .expect("tokio runtime");
    let case = case.to_string();
    rt.block_on(async move {
        let c = case.as_str();
        match c {
            "spawn" => Outcome::one(c, spawn(sz.spawn).await, "ns/op"),
            "skynet" => Outcome::one(c, skynet_run(sz.skynet as u64).await, "s"),
            "pingpong" => Outcome::one(c, pingpong(sz.pingpong).await, "ns/op"),
            "locked_pingpong_one" => Outcome::one(c, locked_one(sz.locked_pingpong).await, "ns/op"),
            "locked_pingpong_both" => Outcome::one(c, locked_both(sz.locked_pingpong), "ns/op"),
            "yield" => Outcome::one(c, yields(sz.yields).await, "ns/op"),
            "chan_buffered" => Outcome::one(c, chan_buffered(sz.chan_buffered).await, "ns/op"),
            "select4" => Outcome::one(c, select4(sz.select4).await, "ns/op"),
            "parked_mem_100k" => parked_mem(c, sz.parked_small).await,
            "parked_mem_1m" => parked_mem(c, sz.parked_large).await,
            "sleepers" => sleepers(&sz).await,
            "syscall_handoff_wrapped" => syscall_handoff(c, &sz, true).await,
            "syscall_handoff_plain" => syscall_handoff(c, &sz, false).await,
            "scale" => Outcome::one(c, scale(&sz).await, "s"),
            "sleep_under_load" => latency_metrics(c, sleep_under_load(&sz).await),
            "wired_sleep_under_load" => latency_metrics(c, wired_sleep_under_load(&sz)),
            "wired_roundtrip_under_load" => {
                latency_metrics(c, wired_roundtrip_under_load(&sz).await)
            }
            "mutex_under_load" => latency_metrics(c, mutex_under_load(&sz).await),
            "wake_from_thread_under_load" => {
                latency_metrics(c, wake_from_thread_under_load(&sz).await)
            }
            "tracer_under_load" => tracer_metrics(c, tracer_under_load(&sz).await),
            other => Outcome::Skip(format!("unknown case {other}")),
        }
    })
}

/// Minimal wait group: a counter and a `Notify` the last one signals.
struct Wg {
    left: AtomicU64,
    notify: Notify,
}

impl Wg {
    /// A wait group for `n` tasks, leaked: tasks borrow it as Go's closures capture a pointer,
    /// with no reference count per spawn.
    fn new(n: usize) -> &'static Wg {
        Box::leak(Box::new(Wg {
            left: AtomicU64::new(n as u64),
            notify: Notify::new(),
        }))
    }
    fn done(&self) {
        if self.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.notify.notify_one();
        }
    }
    async fn wait(&self) {
        while self.left.load(Ordering::Acquire) != 0 {
            self.notify.notified().await;
        }
    }
}

async fn spawn(n: usize) -> f64 {
    let start = Instant::now();
    let wg = Wg::new(n);
    for _ in 0..n {
        tokio::spawn(async move { wg.done() });
    }
    wg.wait().await;
    ns_per(start.elapsed(), n)
}

type BoxFut = Pin<Box<dyn Future<Output = ()> + Send>>;

fn skynet(tx: mpsc::Sender<u64>, num: u64, size: u64, div: u64) -> BoxFut {
    Box::pin(async move {
        if size == 1 {
            let _ = tx.send(num).await;
            return;
        }
        let (ctx, mut crx) = mpsc::channel(1);
        for i in 0..div {
            let sub = size / div;
            tokio::spawn(skynet(ctx.clone(), num + i * sub, sub, div));
        }
        drop(ctx);
        let mut sum = 0;
        for _ in 0..div {
            sum += crx.recv().await.expect("skynet child");
        }
        let _ = tx.send(sum).await;
    })
}

async fn skynet_run(leaves: u64) -> f64 {
    let start = Instant::now();
    let (tx, mut rx) = mpsc::channel(1);
    tokio::spawn(skynet(tx, 0, leaves, 10));
    let sum = rx.recv().await.expect("skynet root");
    assert_eq!(sum, leaves * (leaves - 1) / 2);
    start.elapsed().as_secs_f64()
}

async fn pingpong(n: usize) -> f64 {
    let (atx, mut arx) = mpsc::channel::<u64>(1);
    let (btx, mut brx) = mpsc::channel::<u64>(1);
    let echo = tokio::spawn(async move {
        while let Some(v) = arx.recv().await {
            if btx.send(v).await.is_err() {
                break;
            }
        }
    });
    let driver = tokio::spawn(async move {
        let start = Instant::now();
        for i in 0..n as u64 {
            atx.send(i).await.unwrap();
            brx.recv().await.unwrap();
        }
        start.elapsed()
    });
    let d = driver.await.unwrap();
    echo.await.unwrap();
    ns_per(d, n)
}

async fn locked_one(n: usize) -> f64 {
    let (atx, mut arx) = mpsc::channel::<u64>(1);
    let (btx, mut brx) = mpsc::channel::<u64>(1);
    // The wired side: a dedicated OS thread.
    let echo = std::thread::spawn(move || {
        while let Some(v) = arx.blocking_recv() {
            if btx.blocking_send(v).is_err() {
                break;
            }
        }
    });
    let driver = tokio::spawn(async move {
        let start = Instant::now();
        for i in 0..n as u64 {
            atx.send(i).await.unwrap();
            brx.recv().await.unwrap();
        }
        start.elapsed()
    });
    let d = driver.await.unwrap();
    echo.join().unwrap();
    ns_per(d, n)
}

fn locked_both(n: usize) -> f64 {
    let (atx, mut arx) = mpsc::channel::<u64>(1);
    let (btx, mut brx) = mpsc::channel::<u64>(1);
    let echo = std::thread::spawn(move || {
        while let Some(v) = arx.blocking_recv() {
            if btx.blocking_send(v).is_err() {
                break;
            }
        }
    });
    let driver = std::thread::spawn(move || {
        let start = Instant::now();
        for i in 0..n as u64 {
            atx.blocking_send(i).unwrap();
            brx.blocking_recv().unwrap();
        }
        start.elapsed()
    });
    let d = driver.join().unwrap();
    echo.join().unwrap();
    ns_per(d, n)
}

async fn yields(n: usize) -> f64 {
    let start = Instant::now();
    let hs: Vec<_> = (0..2)
        .map(|_| {
            tokio::spawn(async move {
                for _ in 0..n {
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    for h in hs {
        h.await.unwrap();
    }
    ns_per(start.elapsed(), 2 * n)
}

async fn chan_buffered(n: usize) -> f64 {
    let (tx, mut rx) = mpsc::channel::<u64>(CHAN_CAP);
    let start = Instant::now();
    tokio::spawn(async move {
        for i in 0..n as u64 {
            tx.send(i).await.unwrap();
        }
    });
    let consumer = tokio::spawn(async move {
        let mut sum = 0u64;
        while let Some(v) = rx.recv().await {
            sum = sum.wrapping_add(v);
        }
        sum
    });
    std::hint::black_box(consumer.await.unwrap());
    ns_per(start.elapsed(), n)
}

async fn select4(n: usize) -> f64 {
    let per = n / 4;
    let mut rxs = Vec::new();
    let start = Instant::now();
    for _ in 0..4 {
        let (tx, rx) = mpsc::channel::<u64>(1);
        rxs.push(rx);
        tokio::spawn(async move {
            for i in 0..per as u64 {
                tx.send(i).await.unwrap();
            }
        });
    }
    let mut it = rxs.into_iter();
    let (mut r0, mut r1, mut r2, mut r3) = (
        it.next().unwrap(),
        it.next().unwrap(),
        it.next().unwrap(),
        it.next().unwrap(),
    );
    let consumer = tokio::spawn(async move {
        let mut sum = 0u64;
        for _ in 0..per * 4 {
            // A closed channel's `None` fails its pattern and disables that
            // branch; the count guarantees every value is received.
            let v = tokio::select! {
                Some(v) = r0.recv() => v,
                Some(v) = r1.recv() => v,
                Some(v) = r2.recv() => v,
                Some(v) = r3.recv() => v,
            };
            sum = sum.wrapping_add(v);
        }
        sum
    });
    std::hint::black_box(consumer.await.unwrap());
    ns_per(start.elapsed(), per * 4)
}

async fn wait_count_async(counter: &AtomicU64, n: u64) {
    while counter.load(Ordering::Acquire) < n {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
}

async fn parked_mem(case: &str, n: usize) -> Outcome {
    let (tx, rx) = watch::channel(0u64);
    let started = Arc::new(AtomicU64::new(0));
    let before = rss_bytes();
    let wg = Wg::new(n);
    for _ in 0..n {
        let mut rx = rx.clone();
        let started = started.clone();
        tokio::spawn(async move {
            started.fetch_add(1, Ordering::Release);
            let _ = rx.changed().await;
            wg.done();
        });
    }
    wait_count_async(&started, n as u64).await;
    let after = rss_bytes();
    drop(tx);
    wg.wait().await;
    parked_metric(case, before, after, n)
}

async fn sleepers(sz: &Sizes) -> Outcome {
    let hist = Arc::new(Histogram::new());
    let finished = Arc::new(AtomicU64::new(0));
    let iters = sz.sleeper_iters;
    for _ in 0..sz.sleepers {
        let (hist, finished) = (hist.clone(), finished.clone());
        tokio::spawn(async move {
            for _ in 0..iters {
                let t = Instant::now();
                tokio::time::sleep(SLEEP_PERIOD).await;
                hist.record(t.elapsed().saturating_sub(SLEEP_PERIOD));
            }
            finished.fetch_add(1, Ordering::Release);
        });
    }
    let mut peak = thread_count();
    while finished.load(Ordering::Acquire) < sz.sleepers as u64 {
        peak = peak.max(thread_count());
        tokio::time::sleep(SAMPLE_EVERY).await;
    }
    sleepers_metrics(peak, &hist)
}

async fn count_for(run: Duration) -> u64 {
    tokio::spawn(async move {
        let end = Instant::now() + run;
        let mut units = 0;
        let mut x = 1;
        while Instant::now() < end {
            units += count_slice(end, &mut x);
            tokio::task::yield_now().await;
        }
        units
    })
    .await
    .unwrap()
}

async fn syscall_handoff(case: &str, sz: &Sizes, wrapped: bool) -> Outcome {
    // Warm up, then count alone before and after the blockers and take
    // the mean, so a slow start or a noisy neighbour does not skew it.
    count_for(HANDOFF_WARMUP).await;
    let alone_before = count_for(sz.handoff_run).await;
    let stop = Arc::new(AtomicBool::new(false));
    let mut blockers = Vec::new();
    for _ in 0..HANDOFF_BLOCKERS {
        let stop = stop.clone();
        blockers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if wrapped {
                    tokio::task::spawn_blocking(|| nanosleep(HANDOFF_SYSCALL))
                        .await
                        .unwrap();
                } else {
                    nanosleep(HANDOFF_SYSCALL);
                }
                tokio::task::yield_now().await;
            }
        }));
    }
    let with = count_for(sz.handoff_run).await;
    stop.store(true, Ordering::Relaxed);
    for b in blockers {
        b.await.unwrap();
    }
    let alone_after = count_for(sz.handoff_run).await;
    progress_metric(case, (alone_before + alone_after) / 2, with)
}

async fn scale(sz: &Sizes) -> f64 {
    let start = Instant::now();
    let iters = sz.scale_iters;
    let hs: Vec<_> = (0..sz.scale_tasks as u64)
        .map(|i| tokio::spawn(async move { spin(iters, i) }))
        .collect();
    let mut acc = 0;
    for h in hs {
        acc ^= h.await.unwrap();
    }
    std::hint::black_box(acc);
    start.elapsed().as_secs_f64()
}

/// The churn of the `*_under_load` workloads (see the gort peer): `CHURN_PAIRS` pairs of tasks
/// taking turns over two `mpsc::channel(1)`s until the runtime is dropped. With `lock`, the first
/// task of the first pair holds it across each send.
fn churn(lock: Option<Arc<tokio::sync::Mutex<u64>>>) {
    for k in 0..CHURN_PAIRS {
        let (atx, mut arx) = mpsc::channel::<u64>(1);
        let (btx, mut brx) = mpsc::channel::<u64>(1);
        let lock = if k == 0 { lock.clone() } else { None };
        tokio::spawn(async move {
            for i in 0.. {
                let guard = match &lock {
                    Some(m) => Some(m.lock().await),
                    None => None,
                };
                if atx.send(i).await.is_err() {
                    return;
                }
                drop(guard);
                if brx.recv().await.is_none() {
                    return;
                }
            }
        });
        tokio::spawn(async move {
            while let Some(v) = arx.recv().await {
                if btx.send(v).await.is_err() {
                    return;
                }
            }
        });
    }
}

async fn sleep_under_load(sz: &Sizes) -> Vec<Duration> {
    churn(None);
    let n = sz.under_load_ops + UNDER_LOAD_WARMUP;
    tokio::spawn(async move {
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            tokio::time::sleep(UNDER_LOAD_SLEEP).await;
            v.push(t.elapsed());
        }
        v
    })
    .await
    .unwrap()
}

/// The "wired" sleeper is a plain OS thread (tokio has no wiring), next to the churn.
fn wired_sleep_under_load(sz: &Sizes) -> Vec<Duration> {
    churn(None);
    let n = sz.under_load_ops + UNDER_LOAD_WARMUP;
    std::thread::spawn(move || {
        (0..n)
            .map(|_| {
                let t = Instant::now();
                std::thread::sleep(UNDER_LOAD_SLEEP);
                t.elapsed()
            })
            .collect()
    })
    .join()
    .unwrap()
}

/// The wired side is a plain OS thread on the channels' blocking calls; the echo is a task.
async fn wired_roundtrip_under_load(sz: &Sizes) -> Vec<Duration> {
    churn(None);
    let n = sz.under_load_ops + UNDER_LOAD_WARMUP;
    let (atx, mut arx) = mpsc::channel::<u64>(1);
    let (btx, mut brx) = mpsc::channel::<u64>(1);
    tokio::spawn(async move {
        while let Some(v) = arx.recv().await {
            if btx.send(v).await.is_err() {
                return;
            }
        }
    });
    let driver = std::thread::spawn(move || {
        (0..n as u64)
            .map(|i| {
                let t = Instant::now();
                atx.blocking_send(i).unwrap();
                brx.blocking_recv().unwrap();
                t.elapsed()
            })
            .collect()
    });
    tokio::task::spawn_blocking(move || driver.join().unwrap())
        .await
        .unwrap()
}

async fn mutex_under_load(sz: &Sizes) -> Vec<Duration> {
    let m = Arc::new(tokio::sync::Mutex::new(0u64));
    churn(Some(m.clone()));
    let n = sz.under_load_ops + UNDER_LOAD_WARMUP;
    tokio::spawn(async move {
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            tokio::time::sleep(UNDER_LOAD_SLEEP).await;
            let t = Instant::now();
            let mut g = m.lock().await;
            v.push(t.elapsed());
            *g += 1;
        }
        v
    })
    .await
    .unwrap()
}

async fn wake_from_thread_under_load(sz: &Sizes) -> Vec<Duration> {
    churn(None);
    let n = sz.under_load_ops + UNDER_LOAD_WARMUP;
    let (tx, mut rx) = mpsc::channel::<Instant>(1);
    std::thread::spawn(move || {
        for _ in 0..n {
            std::thread::sleep(UNDER_LOAD_SLEEP);
            if tx.blocking_send(Instant::now()).is_err() {
                return;
            }
        }
    });
    tokio::spawn(async move {
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(rx.recv().await.unwrap().elapsed());
        }
        v
    })
    .await
    .unwrap()
}

/// The churn of `tracer_under_load` (see the gort peer's `select_churn`), with `tokio::select!`.
fn select_churn(lock: Arc<tokio::sync::Mutex<u64>>) {
    // Nobody sends on it; the runtime's end drops the tasks.
    let (quit_tx, quit_rx) = watch::channel(());
    std::mem::forget(quit_tx);
    for k in 0..CHURN_PAIRS {
        let (atx, mut arx) = mpsc::channel::<u64>(1);
        let (btx, mut brx) = mpsc::channel::<u64>(1);
        let lock = (k == 0).then(|| lock.clone());
        let (mut q1, mut q2) = (quit_rx.clone(), quit_rx.clone());
        tokio::spawn(async move {
            for i in 0.. {
                let guard = match &lock {
                    Some(m) => Some(m.lock().await),
                    None => None,
                };
                let sent = tokio::select! {
                    r = atx.send(i) => r.is_ok(),
                    _ = q1.changed() => false,
                };
                drop(guard);
                if !sent || brx.recv().await.is_none() {
                    return;
                }
                if i % TRACER_CHURN_PAUSE_EVERY == TRACER_CHURN_PAUSE_EVERY - 1 {
                    tokio::time::sleep(TRACER_CHURN_PAUSE).await;
                }
            }
        });
        tokio::spawn(async move {
            loop {
                let v = tokio::select! {
                    v = arx.recv() => v,
                    _ = q2.changed() => None,
                };
                match v {
                    Some(v) if btx.send(v).await.is_ok() => {}
                    _ => return,
                }
            }
        });
    }
}

/// The tracer is a plain OS thread (tokio has no wiring) on the blocking forms of the calls:
/// `std::thread::yield_now` and `sleep`, the channels' and the mutex's blocking calls, and the
/// two-way select through the runtime's handle.
async fn tracer_under_load(sz: &Sizes) -> RequestTimes {
    let m = Arc::new(tokio::sync::Mutex::new(0u64));
    select_churn(m.clone());
    let (req_tx, mut req_rx) = mpsc::channel::<u64>(1);
    let (rep_tx, mut rep_rx) = mpsc::channel::<u64>(1);
    let (ask_tx, mut ask_rx) = mpsc::channel::<u64>(1);
    let (even_tx, mut even_rx) = mpsc::channel::<u64>(1);
    let (odd_tx, mut odd_rx) = mpsc::channel::<u64>(1);
    tokio::spawn(async move {
        while let Some(v) = req_rx.recv().await {
            if rep_tx.send(v).await.is_err() {
                return;
            }
        }
    });
    tokio::spawn(async move {
        while let Some(v) = ask_rx.recv().await {
            let out = if v % 2 == 0 { &even_tx } else { &odd_tx };
            if out.send(v).await.is_err() {
                return;
            }
        }
    });
    let n = sz.under_load_ops + TRACER_WARMUP;
    let budget = sz.tracer_budget;
    let handle = tokio::runtime::Handle::current();
    let tracer = std::thread::spawn(move || {
        timed_requests(n, budget, |i, laps| {
            // SAFETY: getppid has no preconditions.
            std::hint::black_box(unsafe { libc::getppid() });
            laps.time(Step::RoundTrip, || {
                req_tx.blocking_send(i).unwrap();
                assert_eq!(rep_rx.blocking_recv(), Some(i));
            });
            laps.time(Step::Yield, std::thread::yield_now);
            std::thread::sleep(UNDER_LOAD_SLEEP);
            ask_tx.blocking_send(i).unwrap();
            let got = handle.block_on(async {
                tokio::select! {
                    v = even_rx.recv() => v,
                    v = odd_rx.recv() => v,
                }
            });
            assert_eq!(got, Some(i));
            *m.blocking_lock() += 1;
        })
    });
    tokio::task::spawn_blocking(move || tracer.join().unwrap())
        .await
        .unwrap()
}
