//! The `sleepers` workload (100,000 goroutines sleeping 10 ms ten times each), with each sleep's
//! lateness kept rather than folded into one histogram, so that one can see *when* sleeps end
//! late and which of its ten rounds a sleep was.
//!
//! ```text
//! cargo run --release -p gort-bench --example sleepers_timeline -- [max_procs]
//! ```
//!
//! It prints, on stderr: how long spawning took and the whole run; how many sleepers were between
//! their first sleep and their last, on average, while some had not started yet (the active
//! population: goroutines that have not started wait in the run queues, so it is the scheduler
//! that decides how many sleep at once); how often sysmon took a P from its thread (gort's hidden
//! `__sysmon` counters); lateness by round; lateness by 10 ms window of the deadline; and over all
//! sleeps. Each lateness line is mean / p50 / p99 / max in microseconds.
//! `bench/HISTORY.md` ("Latency under load, 2026-12-08") says what it showed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SLEEPERS: usize = 100_000;
const ROUNDS: u16 = 10;
const PERIOD: Duration = Duration::from_millis(10);
/// Shards of the record list, so that finishing sleepers rarely contend for one lock.
const SHARDS: usize = 64;
/// Width of the deadline windows, in microseconds.
const WINDOW_US: u32 = 10_000;

/// One sleep: its deadline (µs since the start), its lateness (µs) and its round.
#[derive(Clone, Copy)]
struct Sleep {
    due_us: u32,
    late_us: u32,
    round: u16,
}

fn main() {
    let procs: usize = match std::env::args().nth(1) {
        None => 1,
        Some(s) => match s.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("sleepers_timeline: max_procs must be a positive integer, not {s:?}");
                std::process::exit(2);
            }
        },
    };
    gort::Builder::new().max_procs(procs).run(run);
}

fn run() {
    let shards: Arc<Vec<Mutex<Vec<Sleep>>>> =
        Arc::new((0..SHARDS).map(|_| Mutex::new(Vec::new())).collect());
    // Sleepers that have begun (Relaxed: a count sampled for the active population, ordering
    // nothing) and that have ended (Release by each sleeper after it stored its records, Acquire
    // by the loop below, so that once all have ended every record is in its shard; the shards'
    // locks order them anyway).
    let started = Arc::new(AtomicU64::new(0));
    let finished = Arc::new(AtomicU64::new(0));
    let t0 = Instant::now();
    for i in 0..SLEEPERS {
        let (shards, started, finished) = (shards.clone(), started.clone(), finished.clone());
        gort::go(move || {
            started.fetch_add(1, Ordering::Relaxed);
            let mut mine = Vec::with_capacity(ROUNDS as usize);
            for round in 0..ROUNDS {
                let t = Instant::now();
                gort::time::sleep(PERIOD);
                mine.push(Sleep {
                    due_us: micros(t - t0 + PERIOD),
                    late_us: micros(t.elapsed().saturating_sub(PERIOD)),
                    round,
                });
            }
            shards[i % SHARDS].lock().unwrap().extend(mine);
            finished.fetch_add(1, Ordering::Release);
        });
    }
    let spawned = t0.elapsed();
    let (mut samples, mut active_sum) = (0u64, 0u64);
    while finished.load(Ordering::Acquire) < SLEEPERS as u64 {
        gort::time::sleep(Duration::from_millis(1));
        let done = finished.load(Ordering::Acquire);
        let begun = started.load(Ordering::Relaxed);
        if done > 0 && begun < SLEEPERS as u64 {
            samples += 1;
            active_sum += begun - done;
        }
    }
    let total = t0.elapsed();
    let all: Vec<Sleep> = shards
        .iter()
        .flat_map(|s| s.lock().unwrap().clone())
        .collect();
    eprintln!("spawned in {spawned:?}, all done in {total:?}");
    eprintln!(
        "active sleepers while some had not started: {} on average",
        active_sum / samples.max(1)
    );
    eprintln!(
        "sysmon: {} thread probes, {} Ps taken from threads asleep in the kernel, {} from \
         goroutines that ran 10 ms",
        gort::__sysmon::thread_probes(),
        gort::__sysmon::blocked_handoffs(),
        gort::__sysmon::stuck_handoffs()
    );
    for round in 0..ROUNDS {
        let late = all.iter().filter(|s| s.round == round).map(|s| s.late_us);
        eprintln!("round {round}: {}", summary(late.collect()));
    }
    let last = all.iter().map(|s| s.due_us).max().unwrap_or(0);
    for w in 0..=last / WINDOW_US {
        let late: Vec<u32> = all
            .iter()
            .filter(|s| s.due_us / WINDOW_US == w)
            .map(|s| s.late_us)
            .collect();
        if !late.is_empty() {
            let n = late.len();
            eprintln!(
                "due {:5} ms, {n:6} sleeps: {}",
                w * WINDOW_US / 1000,
                summary(late)
            );
        }
    }
    eprintln!("all: {}", summary(all.iter().map(|s| s.late_us).collect()));
}

fn micros(d: Duration) -> u32 {
    d.as_micros().min(u32::MAX as u128) as u32
}

/// "mean / p50 / p99 / max" of `v`, in microseconds.
fn summary(mut v: Vec<u32>) -> String {
    if v.is_empty() {
        return "none".to_string();
    }
    v.sort_unstable();
    let n = v.len();
    let mean = v.iter().map(|&x| x as u64).sum::<u64>() / n as u64;
    format!("{mean} / {} / {} / {}", v[n / 2], v[n * 99 / 100], v[n - 1])
}
