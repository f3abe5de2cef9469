//! Shared pieces of every peer: the run configuration and workload sizes, the
//! result type, measurements read from `/proc/self`, a lock-free latency
//! histogram, the CPU-bound kernel and thread affinity for the OS-thread peer.
//!
//! Every peer implements the same workloads with the same sizes, taken from
//! [`Sizes`], so that the numbers printed are comparable line by line with the
//! Go program in `bench/go`, which uses the very same constants.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How a single case is run: the number of scheduler threads (`max_procs`,
/// `GOMAXPROCS`, tokio worker threads, may workers, CPUs for the thread peer)
/// and whether tiny sizes are used.
#[derive(Clone, Copy, Debug)]
pub struct Cfg {
    /// Number of scheduler threads (processors).
    pub procs: usize,
    /// Tiny sizes for smoke runs and CI.
    pub quick: bool,
}

/// Workload sizes. Full sizes are those of the issue; quick sizes keep the
/// whole quick run within a minute or two.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    /// spawn: goroutines spawned and joined.
    pub spawn: usize,
    /// skynet: leaves of the 10-ary tree.
    pub skynet: usize,
    /// pingpong: round trips.
    pub pingpong: usize,
    /// locked_pingpong: round trips.
    pub locked_pingpong: usize,
    /// yield: yields done by each of the two goroutines.
    pub yields: usize,
    /// chan_buffered: values sent through a channel of capacity 1024.
    pub chan_buffered: usize,
    /// select4: values received in total over the four channels.
    pub select4: usize,
    /// parked_mem: the smaller and the larger goroutine count.
    pub parked_small: usize,
    /// parked_mem: the larger goroutine count.
    pub parked_large: usize,
    /// sleepers: number of sleeping goroutines.
    pub sleepers: usize,
    /// sleepers: sleeps done by each sleeper.
    pub sleeper_iters: usize,
    /// syscall_handoff: how long each phase (alone, with sleepers) counts.
    pub handoff_run: Duration,
    /// scale: number of CPU-bound tasks.
    pub scale_tasks: usize,
    /// scale: kernel iterations per task.
    pub scale_iters: u64,
    /// *_under_load: operations measured.
    pub under_load_ops: usize,
    /// tracer_under_load: how long the requests may take in all; a runtime that cannot serve
    /// `under_load_ops` of them by then is measured on those it served.
    pub tracer_budget: Duration,
}

/// Capacity of the channel in `chan_buffered`.
pub const CHAN_CAP: usize = 1024;
/// Period each sleeper sleeps in `sleepers`.
pub const SLEEP_PERIOD: Duration = Duration::from_millis(10);
/// Number of goroutines blocked in syscalls in `syscall_handoff`.
pub const HANDOFF_BLOCKERS: usize = 8;
/// Length of each blocking syscall in `syscall_handoff`.
pub const HANDOFF_SYSCALL: Duration = Duration::from_millis(1);
/// Warm-up run of the `syscall_handoff` counter before it is measured.
pub const HANDOFF_WARMUP: Duration = Duration::from_millis(100);
/// Kernel iterations of one counted unit of `syscall_handoff` (~0.1 ms).
pub const HANDOFF_UNIT: u64 = 100_000;
/// Units the counter of `syscall_handoff` runs between two yields, about
/// 10 ms: Go's preemption quantum, so the counter behaves like a goroutine
/// that sysmon preempts, on runtimes without preemption too.
pub const HANDOFF_UNITS_PER_YIELD: u64 = 100;

impl Sizes {
    /// The sizes for a configuration.
    pub fn of(cfg: &Cfg) -> Sizes {
        if cfg.quick {
            Sizes {
                spawn: 10_000,
                skynet: 10_000,
                pingpong: 10_000,
                locked_pingpong: 2_000,
                yields: 20_000,
                chan_buffered: 100_000,
                select4: 20_000,
                parked_small: 1_000,
                parked_large: 10_000,
                sleepers: 1_000,
                sleeper_iters: 5,
                handoff_run: Duration::from_millis(200),
                scale_tasks: 16,
                scale_iters: 500_000,
                under_load_ops: 200,
                tracer_budget: Duration::from_secs(2),
            }
        } else {
            Sizes {
                spawn: 1_000_000,
                skynet: 1_000_000,
                pingpong: 1_000_000,
                locked_pingpong: 20_000,
                yields: 1_000_000,
                chan_buffered: 10_000_000,
                select4: 1_000_000,
                parked_small: 100_000,
                parked_large: 1_000_000,
                sleepers: 100_000,
                sleeper_iters: 10,
                handoff_run: Duration::from_millis(500),
                scale_tasks: 64,
                scale_iters: 8_000_000,
                under_load_ops: 2_000,
                tracer_budget: Duration::from_secs(10),
            }
        }
    }
}

/// One printed measurement: `peer name value unit`.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// Metric name, the workload or `workload_suffix`.
    pub name: String,
    /// The value.
    pub value: f64,
    /// Its unit (`ns/op`, `s`, `bytes/goroutine`, `%`, `threads`, `us`, `requests`).
    pub unit: &'static str,
}

impl Metric {
    /// A metric.
    pub fn new(name: &str, value: f64, unit: &'static str) -> Metric {
        Metric {
            name: name.to_string(),
            value,
            unit,
        }
    }
}

/// What running a case on a peer gives.
#[derive(Debug)]
pub enum Outcome {
    /// Measurements.
    Values(Vec<Metric>),
    /// The workload makes no sense on this peer; the reason.
    Skip(String),
}

impl Outcome {
    /// A single measurement.
    pub fn one(name: &str, value: f64, unit: &'static str) -> Outcome {
        Outcome::Values(vec![Metric::new(name, value, unit)])
    }
}

/// Nanoseconds per operation.
pub fn ns_per(d: Duration, ops: usize) -> f64 {
    d.as_nanos() as f64 / ops.max(1) as f64
}

/// Resident set size of this process in bytes, from `/proc/self/statm`.
pub fn rss_bytes() -> u64 {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = s
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    pages * page_size()
}

/// The page size.
pub fn page_size() -> u64 {
    // SAFETY: sysconf has no preconditions; it only reads a constant.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 {
        p as u64
    } else {
        4096
    }
}

/// Number of threads of this process, from `Threads:` in `/proc/self/status`.
pub fn thread_count() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// A kernel parameter from `/proc/sys`, e.g. `kernel/pid_max`.
pub fn proc_sys(name: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/sys/{name}"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

/// The CPU-bound kernel of `scale` and `syscall_handoff`: a serial xorshift
/// chain that no compiler can vectorise or shortcut (the Go program runs the
/// identical loop).
#[inline(never)]
pub fn spin(iters: u64, seed: u64) -> u64 {
    let mut x = seed | 1;
    for _ in 0..iters {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    std::hint::black_box(x)
}

/// One slice of the `syscall_handoff` counter: up to
/// [`HANDOFF_UNITS_PER_YIELD`] units of work, stopping early at `end`.
/// Returns the units done; the caller yields between slices and stops once
/// `Instant::now() >= end`.
pub fn count_slice(end: std::time::Instant, x: &mut u64) -> u64 {
    let mut units = 0;
    while units < HANDOFF_UNITS_PER_YIELD && std::time::Instant::now() < end {
        *x = spin(HANDOFF_UNIT, *x);
        units += 1;
    }
    units
}

/// Blocks the calling OS thread in `nanosleep` for `d` (a real blocking
/// syscall, not a runtime-aware sleep).
pub fn nanosleep(d: Duration) {
    let ts = libc::timespec {
        tv_sec: d.as_secs() as libc::time_t,
        tv_nsec: d.subsec_nanos() as libc::c_long,
    };
    // SAFETY: `ts` is a valid timespec that lives across the call; the
    // remainder pointer may be null.
    unsafe {
        libc::nanosleep(&ts, std::ptr::null_mut());
    }
}

/// Restricts the calling thread (and so every thread it creates later) to the
/// first `procs` CPUs, so that the OS-thread peer runs on as many cores as the
/// runtimes get scheduler threads. Does nothing when `procs` covers them all.
pub fn restrict_cpus(procs: usize) {
    let ncpu = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    if procs >= ncpu {
        return;
    }
    // SAFETY: cpu_set_t is plain data for which all-zero is the empty set;
    // CPU_SET writes inside it and sched_setaffinity reads it with its size.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for cpu in 0..procs.max(1) {
            libc::CPU_SET(cpu, &mut set);
        }
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

/// Resolution of [`Histogram`] in microseconds: fine enough to tell medians of a few
/// microseconds apart (with 10 µs buckets, every median under 10 µs read the same).
const HIST_RES_US: u64 = 1;
/// Number of buckets of [`Histogram`]: 1 µs each up to 2 s, then overflow.
const HIST_BUCKETS: usize = 2_000_000;

/// A lock-free histogram of durations with 1 µs buckets up to 2 s, shared by
/// all sleepers (the Go program uses the same layout).
pub struct Histogram {
    buckets: Vec<AtomicU64>,
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

impl Histogram {
    /// An empty histogram.
    pub fn new() -> Histogram {
        Histogram {
            buckets: (0..=HIST_BUCKETS).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Records one duration.
    pub fn record(&self, d: Duration) {
        let i = ((d.as_micros() as u64) / HIST_RES_US).min(HIST_BUCKETS as u64) as usize;
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
    }

    /// Number of recorded durations.
    pub fn count(&self) -> u64 {
        self.buckets.iter().map(|b| b.load(Ordering::Relaxed)).sum()
    }

    /// The mean in microseconds, counting each duration at its bucket's middle (the overflow bucket
    /// at its lower edge, so the mean errs low when durations overflow).
    pub fn mean_us(&self) -> f64 {
        let total = self.count();
        if total == 0 {
            return 0.0;
        }
        let sum: f64 = self
            .buckets
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let at = if i == HIST_BUCKETS {
                    (i as u64 * HIST_RES_US) as f64
                } else {
                    (i as f64 + 0.5) * HIST_RES_US as f64
                };
                at * b.load(Ordering::Relaxed) as f64
            })
            .sum();
        sum / total as f64
    }

    /// The `q` quantile (0..=1) in microseconds (upper edge of its bucket).
    pub fn quantile_us(&self, q: f64) -> f64 {
        let total = self.count();
        if total == 0 {
            return 0.0;
        }
        let rank = ((total as f64) * q).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            seen += b.load(Ordering::Relaxed);
            if seen >= rank {
                return ((i as u64 + 1) * HIST_RES_US) as f64;
            }
        }
        (HIST_BUCKETS as u64 * HIST_RES_US) as f64
    }
}

/// The three metrics of `sleepers`: peak threads, lateness p50 and p99.
pub fn sleepers_metrics(threads: u64, hist: &Histogram) -> Outcome {
    Outcome::Values(vec![
        Metric::new("sleepers_threads", threads as f64, "threads"),
        Metric::new("sleepers_mean", hist.mean_us(), "us"),
        Metric::new("sleepers_p50", hist.quantile_us(0.50), "us"),
        Metric::new("sleepers_p99", hist.quantile_us(0.99), "us"),
    ])
}

/// RSS growth per parked goroutine, as a metric named after the case.
pub fn parked_metric(case: &str, before: u64, after: u64, n: usize) -> Outcome {
    let per = after.saturating_sub(before) as f64 / n.max(1) as f64;
    Outcome::one(case, per, "bytes/goroutine")
}

/// Progress in percent of a counter that ran `with` chunks next to the
/// blockers against `alone` chunks alone.
pub fn progress_metric(case: &str, alone: u64, with: u64) -> Outcome {
    Outcome::one(case, 100.0 * with as f64 / alone.max(1) as f64, "%")
}

/// The `*_under_load` workloads: pairs of goroutines ping-ponging over unbuffered channels
/// (the churn) while one more goroutine does the operation measured.
pub const CHURN_PAIRS: usize = 50;
/// The sleep of `sleep_under_load` and `wired_sleep_under_load`, and the pause between two
/// operations of `mutex_under_load` and `wake_from_thread_under_load`.
pub const UNDER_LOAD_SLEEP: Duration = Duration::from_micros(20);

/// Operations each `*_under_load` case runs first and does not count: the first ones wait for
/// the churn's goroutines to start (an echo goroutine spawned before the churn's hundred is
/// queued behind them).
pub const UNDER_LOAD_WARMUP: usize = 20;

/// `tracer_under_load`'s churn: the first goroutine of each pair pauses this long every
/// `TRACER_CHURN_PAUSE_EVERY` messages.
pub const TRACER_CHURN_PAUSE: Duration = Duration::from_micros(10);
/// See `TRACER_CHURN_PAUSE`.
pub const TRACER_CHURN_PAUSE_EVERY: u64 = 100;
/// Requests `tracer_under_load` runs first and does not count (fewer than the other cases'
/// warm-up: a runtime may serve only a few requests within the budget).
pub const TRACER_WARMUP: usize = 2;

/// The three metrics of a `*_under_load` case: p50, p99 and max of the operation's latency, in µs
/// (exact quantiles of every sample, not a histogram: a round trip takes under a microsecond),
/// the first `UNDER_LOAD_WARMUP` samples left out.
pub fn latency_metrics(case: &str, samples: Vec<Duration>) -> Outcome {
    latency_metrics_after(case, samples, UNDER_LOAD_WARMUP)
}

/// The steps of a `tracer_under_load` request timed on their own as well: the two that issue 16
/// singled out as where a wired goroutine is far ahead under churn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The round trip with the echo goroutine (send the request, receive the reply).
    RoundTrip,
    /// The yield (`yield_now`, `Gosched`).
    Yield,
}

/// One request's timed steps, filled in by [`Laps::time`].
#[derive(Default)]
pub struct Laps {
    round_trip: Duration,
    yielded: Duration,
}

impl Laps {
    /// Runs `f` and records how long it took as `step`'s time in this request.
    pub fn time<R>(&mut self, step: Step, f: impl FnOnce() -> R) -> R {
        let t = Instant::now();
        let r = f();
        let took = t.elapsed();
        match step {
            Step::RoundTrip => self.round_trip = took,
            Step::Yield => self.yielded = took,
        }
        r
    }
}

/// What `timed_requests` measured, one entry per request in each.
#[derive(Default, Debug)]
pub struct RequestTimes {
    /// How long each whole request took.
    pub requests: Vec<Duration>,
    /// Its `Step::RoundTrip`.
    pub round_trips: Vec<Duration>,
    /// Its `Step::Yield`.
    pub yields: Vec<Duration>,
}

/// `tracer_under_load`'s loop: runs `request(i, laps)` for i = 0, 1, ... until `n` are done or
/// `budget` has passed, and returns how long each took, whole and its timed steps.
pub fn timed_requests(
    n: usize,
    budget: Duration,
    mut request: impl FnMut(u64, &mut Laps),
) -> RequestTimes {
    let end = Instant::now() + budget;
    let mut took = RequestTimes::default();
    for i in 0..n as u64 {
        let t = Instant::now();
        if t >= end {
            break;
        }
        let mut laps = Laps::default();
        request(i, &mut laps);
        took.requests.push(t.elapsed());
        took.round_trips.push(laps.round_trip);
        took.yields.push(laps.yielded);
    }
    took
}

/// `tracer_under_load`'s metrics: those of `latency_metrics` for the whole requests after
/// `TRACER_WARMUP` requests, how many requests were served after those within the budget
/// (`{case}_done`), and the same three for the timed steps (`{case}_roundtrip_p50`, ...,
/// `{case}_yield_max`).
pub fn tracer_metrics(case: &str, times: RequestTimes) -> Outcome {
    let done = times.requests.len().saturating_sub(TRACER_WARMUP);
    let mut all = match latency_metrics_after(case, times.requests, TRACER_WARMUP) {
        Outcome::Values(v) => v,
        other => return other,
    };
    all.push(Metric::new(
        &format!("{case}_done"),
        done as f64,
        "requests",
    ));
    // Each step has one sample per request, so none of these is short of samples.
    for (step, samples) in [("roundtrip", times.round_trips), ("yield", times.yields)] {
        if let Outcome::Values(v) =
            latency_metrics_after(&format!("{case}_{step}"), samples, TRACER_WARMUP)
        {
            all.extend(v);
        }
    }
    Outcome::Values(all)
}

/// `latency_metrics` with the first `warmup` samples left out.
fn latency_metrics_after(case: &str, mut samples: Vec<Duration>, warmup: usize) -> Outcome {
    samples.drain(..warmup.min(samples.len()));
    if samples.is_empty() {
        return Outcome::Skip(format!("{case}: no samples"));
    }
    samples.sort();
    let at = |q: f64| {
        let rank = ((samples.len() as f64) * q).ceil().max(1.0) as usize;
        samples[rank.min(samples.len()) - 1].as_nanos() as f64 / 1000.0
    };
    Outcome::Values(vec![
        Metric::new(&format!("{case}_p50"), at(0.50), "us"),
        Metric::new(&format!("{case}_p99"), at(0.99), "us"),
        Metric::new(&format!("{case}_max"), at(1.0), "us"),
    ])
}

/// How often the driver of `sleepers` samples the thread count.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(20);

/// Waits (on the calling OS thread) until `counter` reaches `n`, then lets
/// the last goroutines settle into their park; used by parked_mem on peers
/// whose driver is a plain thread.
pub fn wait_count(counter: &AtomicU64, n: u64) {
    while counter.load(Ordering::Acquire) < n {
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(Duration::from_millis(50));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quantile reads the upper edge of the bucket it falls in (1 µs buckets).
    #[test]
    fn histogram_quantiles() {
        let h = Histogram::new();
        for us in 1..=100u64 {
            h.record(Duration::from_micros(us * 10));
        }
        assert_eq!(h.count(), 100);
        assert_eq!(h.quantile_us(0.5), 501.0);
        assert_eq!(h.quantile_us(0.99), 991.0);
        let h = Histogram::new();
        h.record(Duration::from_nanos(2_999));
        assert_eq!(h.quantile_us(0.5), 3.0, "2.999 µs falls in [2, 3)");
    }

    /// The tracer's loop stops after `n` requests, or once its budget has passed, and keeps each
    /// request's timed steps beside its whole time.
    #[test]
    fn timed_requests_stop_at_the_count_or_the_budget() {
        let mut seen = Vec::new();
        let took = timed_requests(5, Duration::from_secs(3600), |i, laps| {
            seen.push(i);
            laps.time(Step::Yield, || {
                std::thread::sleep(Duration::from_millis(if i == 3 { 2 } else { 0 }))
            });
        });
        assert_eq!(seen, [0, 1, 2, 3, 4]);
        assert_eq!(took.requests.len(), 5);
        assert_eq!(took.round_trips, [Duration::ZERO; 5], "never timed");
        assert!(took.yields[3] >= Duration::from_millis(2));
        assert!(took.requests[3] >= took.yields[3]);
        let took = timed_requests(1_000_000, Duration::from_millis(20), |_, _| {
            std::thread::sleep(Duration::from_millis(1))
        });
        assert!(
            !took.requests.is_empty() && took.requests.len() < 1_000_000,
            "{} requests",
            took.requests.len()
        );
    }

    /// The tracer's metrics leave out its warm-up and count what was served after it, for the
    /// whole requests and for each timed step.
    #[test]
    fn tracer_metrics_count_the_requests_served_after_the_warm_up() {
        let us = |r: std::ops::RangeInclusive<u64>| r.map(Duration::from_micros).collect();
        let times = RequestTimes {
            requests: us(1..=12),
            round_trips: us(101..=112),
            yields: us(201..=212),
        };
        let Outcome::Values(v) = tracer_metrics("t", times) else {
            panic!("no values");
        };
        let get = |name: &str| v.iter().find(|m| m.name == name).map(|m| m.value);
        assert_eq!(get("t_done"), Some(10.0));
        assert_eq!(get("t_p50"), Some(7.0), "p50 of 3..=12 µs");
        assert_eq!(get("t_max"), Some(12.0));
        assert_eq!(get("t_roundtrip_p50"), Some(107.0));
        assert_eq!(get("t_yield_max"), Some(212.0));
        let few = vec![Duration::from_micros(1); TRACER_WARMUP];
        assert!(matches!(
            tracer_metrics(
                "t",
                RequestTimes {
                    requests: few.clone(),
                    round_trips: few.clone(),
                    yields: few,
                }
            ),
            Outcome::Skip(_)
        ));
    }

    #[test]
    fn proc_readings_are_sane() {
        assert!(rss_bytes() > 0);
        assert!(thread_count() >= 1);
        assert_eq!(spin(0, 2), 3);
    }
}
