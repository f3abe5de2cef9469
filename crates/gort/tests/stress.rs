//! Randomized stress: many workers doing random sends, receives, selects, closes and timeouts on channels
//! of random capacities; every value sent is received exactly once.
//!
//! Seeded: the seed is printed (shown by the test harness on failure); rerun with `GORT_STRESS_SEED=<seed>`.
//! Thread interleavings still differ between runs, so a seed fixes the mix of operations, not the schedule.
//! Runs `GORT_STRESS_SECS` seconds (default 2); run it for minutes by hand:
//! `GORT_STRESS_SECS=300 cargo test -p gort --release --test stress`.

mod common;

use common::go;
use gort::{select, Chan};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const CHANS: usize = 12;
const WORKERS: usize = 8;

struct World {
    slots: Vec<Mutex<Chan<u64>>>,
}

impl World {
    fn get(&self, i: usize) -> Chan<u64> {
        self.slots[i].lock().unwrap().clone()
    }
}

#[derive(Default)]
struct Ledger {
    sent: Vec<u64>,
    received: Vec<u64>,
    ops: u64,
}

fn worker(world: Arc<World>, id: u64, seed: u64, until: Instant) -> Ledger {
    let mut rng = Rng(seed ^ (id + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut led = Ledger::default();
    let mut counter = 0u64;
    let mut fresh = || {
        counter += 1;
        (id << 40) | counter
    };
    while Instant::now() < until {
        led.ops += 1;
        let a = world.get(rng.below(CHANS as u64) as usize);
        let b = world.get(rng.below(CHANS as u64) as usize);
        let t = Duration::from_micros(rng.below(300));
        match rng.below(100) {
            0..=14 => {
                let v = fresh();
                if a.send_timeout(v, t).is_ok() {
                    led.sent.push(v);
                }
            }
            15..=24 => {
                let v = fresh();
                if a.try_send(v).is_ok() {
                    led.sent.push(v);
                }
            }
            25..=39 => {
                if let Ok(v) = a.recv_timeout(t) {
                    led.received.push(v);
                }
            }
            40..=49 => {
                if let Ok(v) = a.try_recv() {
                    led.received.push(v);
                }
            }
            50..=61 => {
                let v = fresh();
                select! {
                    recv(a) -> r => led.received.extend(r),
                    send(b, v) -> r => if r.is_ok() { led.sent.push(v) },
                    default(t) => {},
                }
            }
            62..=71 => {
                let (v, w) = (fresh(), fresh());
                select! {
                    send(a, v) -> r => if r.is_ok() { led.sent.push(v) },
                    send(b, w) -> r => if r.is_ok() { led.sent.push(w) },
                    default => {},
                }
            }
            72..=81 => {
                let c = world.get(rng.below(CHANS as u64) as usize);
                select! {
                    recv(a) -> r => led.received.extend(r),
                    recv(b) -> r => led.received.extend(r),
                    recv(c) -> r => led.received.extend(r),
                    default(t) => {},
                }
            }
            82..=91 => {
                // Both directions of one channel in one select (never matches itself).
                let v = fresh();
                select! {
                    send(a, v) -> r => if r.is_ok() { led.sent.push(v) },
                    recv(a) -> r => led.received.extend(r),
                    recv(a) -> r => led.received.extend(r),
                    default(t) => {},
                }
            }
            92..=97 => {
                // A blocking select with a timer case.
                let v = fresh();
                select! {
                    recv(a) -> r => led.received.extend(r),
                    send(b, v) -> r => if r.is_ok() { led.sent.push(v) },
                    recv(gort::time::after(t)) -> _ => {},
                }
            }
            _ => {
                // Replace a channel with a fresh one of random capacity; close and drain the old one.
                let i = rng.below(CHANS as u64) as usize;
                let cap = rng.below(5) as usize;
                let old = std::mem::replace(&mut *world.slots[i].lock().unwrap(), Chan::new(cap));
                old.close();
                led.received.extend(old.iter());
            }
        }
    }
    led
}

fn seed_and_secs() -> (u64, f64) {
    let seed: u64 = std::env::var("GORT_STRESS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            t.as_nanos() as u64 ^ (std::process::id() as u64).wrapping_mul(0x9e37_79b9)
        });
    let secs: f64 = std::env::var("GORT_STRESS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    (seed, secs)
}

/// Runs the workers with `spawn` and checks the ledgers.
fn stress<H>(
    seed: u64,
    secs: f64,
    spawn: impl Fn(Box<dyn FnOnce() -> Ledger + Send>) -> H,
    join: impl Fn(H) -> Ledger,
) {
    let mut rng = Rng(seed | 1);
    let world = Arc::new(World {
        slots: (0..CHANS)
            .map(|_| Mutex::new(Chan::new(rng.below(5) as usize)))
            .collect(),
    });
    let until = Instant::now() + Duration::from_secs_f64(secs);
    let hs: Vec<_> = (0..WORKERS as u64)
        .map(|id| {
            let w = world.clone();
            spawn(Box::new(move || worker(w, id, seed, until)))
        })
        .collect();
    let mut sent = Vec::new();
    let mut received = Vec::new();
    let mut ops = 0;
    for h in hs {
        let l = join(h);
        sent.extend(l.sent);
        received.extend(l.received);
        ops += l.ops;
    }
    for s in &world.slots {
        received.extend(s.lock().unwrap().try_iter());
    }
    sent.sort_unstable();
    received.sort_unstable();
    let dup = received.windows(2).find(|w| w[0] == w[1]);
    assert!(
        dup.is_none(),
        "value {:?} received twice (seed {seed})",
        dup
    );
    assert_eq!(
        sent.len(),
        received.len(),
        "sent {} values, received {} (seed {seed})",
        sent.len(),
        received.len()
    );
    assert!(
        sent == received,
        "sent and received values differ (seed {seed})"
    );
    eprintln!("{ops} operations, {} values moved", sent.len());
    assert!(!sent.is_empty());
}

#[test]
fn random_operations_account_for_every_value_exactly_once() {
    let (seed, secs) = seed_and_secs();
    eprintln!("stress seed = {seed} (GORT_STRESS_SEED to repeat), {secs} s, threads");
    stress(seed, secs, go, |h| {
        h.join()
            .unwrap_or_else(|_| panic!("worker panicked (seed {seed})"))
    });
}

#[test]
fn random_operations_by_goroutines_account_for_every_value_exactly_once() {
    let (seed, secs) = seed_and_secs();
    for procs in [1, 2] {
        eprintln!(
            "stress seed = {seed} (GORT_STRESS_SEED to repeat), {secs} s, goroutines on {procs} Ps"
        );
        gort::Builder::new().max_procs(procs).run(move || {
            stress(
                seed,
                secs / 2.0,
                |f| gort::spawn(f),
                |h| {
                    h.join()
                        .unwrap_or_else(|_| panic!("worker panicked (seed {seed})"))
                },
            );
        });
    }
}
