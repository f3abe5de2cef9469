//! The scheduler's rules (semantics 1 and 3): Go's TestGoroutineParallelism, TestPingPongHog,
//! TestNumGoroutine, TestPreemptionAfterSyscall, plus spawn order, one-P thread affinity and the
//! hand-off around a plain blocking call.

mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Gate, Watchdog};
use gort::__park::{current, park, Unparker};

const LIMIT: Duration = Duration::from_secs(60);

/// Semantics 1.1: `spawn` never runs the goroutine inline; the newest spawn runs next (`runnext`),
/// the ones it displaced follow in FIFO order.
#[test]
fn spawn_never_runs_inline_and_newest_spawn_runs_next() {
    let _w = Watchdog::new("spawn order", LIMIT);
    gort::Builder::new().max_procs(1).run(|| {
        let order = Arc::new(Mutex::new(Vec::new()));
        let hs: Vec<_> = (0..4)
            .map(|i| {
                let order = order.clone();
                gort::spawn(move || order.lock().unwrap().push(i))
            })
            .collect();
        assert!(
            hs.iter().all(|h| !h.is_finished()),
            "spawn ran a goroutine inline"
        );
        assert!(order.lock().unwrap().is_empty());
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), [3, 0, 1, 2]);
    });
}

/// With one P and no wiring or syscalls, every goroutine runs on the thread that called `run`.
#[test]
fn one_proc_runs_every_goroutine_on_the_calling_thread() {
    let _w = Watchdog::new("one proc", LIMIT);
    let caller = gort::thread_id();
    let tids = gort::Builder::new().max_procs(1).run(|| {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let gate = Gate::new();
        let hs: Vec<_> = (0..200)
            .map(|i| {
                let (seen, gate) = (seen.clone(), gate.clone());
                gort::spawn(move || {
                    seen.lock().unwrap().push(gort::thread_id());
                    gort::yield_now();
                    if i % 2 == 0 {
                        gate.wait();
                    } else {
                        gort::spawn(gort::thread_id)
                            .join()
                            .map(|t| seen.lock().unwrap().push(t))
                            .unwrap();
                    }
                    seen.lock().unwrap().push(gort::thread_id());
                })
            })
            .collect();
        for _ in 0..10 {
            gort::yield_now();
        }
        gate.open();
        for h in hs {
            h.join().unwrap();
        }
        seen.lock().unwrap().push(gort::thread_id());
        let v = seen.lock().unwrap().clone();
        v
    });
    assert_eq!(tids.len(), 200 * 2 + 100 + 1);
    assert!(
        tids.iter().all(|&t| t == caller),
        "a goroutine ran on another thread: {tids:?}"
    );
}

/// Go's TestGoroutineParallelism: with 2 Ps, two goroutines that busy-wait on each other (no
/// scheduling point) both make progress, so they run at the same time.
#[test]
fn goroutines_run_in_parallel_on_two_procs() {
    let _w = Watchdog::new("parallelism", LIMIT);
    const P: u32 = 2;
    for _try in 0..10 {
        gort::Builder::new().max_procs(P as usize).run(|| {
            let x = Arc::new(AtomicU64::new(0));
            let hs: Vec<_> = (0..P)
                .map(|p| {
                    let x = x.clone();
                    gort::spawn(move || {
                        for i in 0..3u64 {
                            let expected = P as u64 * i + p as u64;
                            while x.load(Ordering::SeqCst) != expected {
                                std::hint::spin_loop();
                            }
                            x.store(expected + 1, Ordering::SeqCst);
                        }
                    })
                })
                .collect();
            for h in hs {
                h.join().unwrap();
            }
            assert_eq!(x.load(Ordering::SeqCst), 3 * P as u64);
        });
    }
}

/// A ping-pong pair on park/unpark: each side works `limit` units when it has the ball, then passes it
/// (the unparked side goes to `runnext` and inherits the time slice, semantics 1.5).
struct Pair {
    ball: AtomicUsize,
    sides: Mutex<[Option<Unparker>; 2]>,
}

fn ping_pong_side(
    pair: Arc<Pair>,
    me: usize,
    limit: u64,
    count: Arc<AtomicU64>,
    done: Arc<AtomicBool>,
) {
    pair.sides.lock().unwrap()[me] = Some(current());
    loop {
        if done.load(Ordering::SeqCst) {
            return;
        }
        if pair.ball.load(Ordering::SeqCst) != me {
            park();
            continue;
        }
        let mut n = 0u64;
        for _ in 0..limit {
            n = black_box(n + 1);
        }
        count.fetch_add(n, Ordering::Relaxed);
        pair.ball.store(1 - me, Ordering::SeqCst);
        let other = pair.sides.lock().unwrap()[1 - me].clone();
        if let Some(u) = other {
            u.unpark();
        }
    }
}

/// Go's TestPingPongHog: a pair passing work back and forth with large chunks and a pair doing the
/// same with small chunks share one P; each pair gets its turn, so their totals stay within 20x.
#[test]
fn ping_pong_hog_pairs_share_one_proc() {
    let _w = Watchdog::new("ping-pong hog", LIMIT);
    let (hog, light) = gort::Builder::new().max_procs(1).run(|| {
        let done = Arc::new(AtomicBool::new(false));
        let hog = Arc::new(AtomicU64::new(0));
        let light = Arc::new(AtomicU64::new(0));
        let mut hs = Vec::new();
        let mut pairs = Vec::new();
        for (limit, count) in [(1_000_000u64, &hog), (1_000, &light)] {
            let pair = Arc::new(Pair {
                ball: AtomicUsize::new(0),
                sides: Mutex::new([None, None]),
            });
            for me in 0..2 {
                let (pair, count, done) = (pair.clone(), (*count).clone(), done.clone());
                hs.push(gort::spawn(move || {
                    ping_pong_side(pair, me, limit, count, done)
                }));
            }
            pairs.push(pair);
        }
        // Main gives up the only P for 100 ms.
        gort::syscall(|| std::thread::sleep(Duration::from_millis(100)));
        done.store(true, Ordering::SeqCst);
        for p in &pairs {
            for u in p.sides.lock().unwrap().iter().flatten() {
                u.unpark();
            }
        }
        for h in hs {
            h.join().unwrap();
        }
        (hog.load(Ordering::Relaxed), light.load(Ordering::Relaxed))
    });
    assert!(
        hog > 0 && light > 0,
        "a pair never ran: hog {hog}, light {light}"
    );
    assert!(
        hog / light <= 20 && light / hog <= 20,
        "pairs did not share the P: hog {hog}, light {light}"
    );
}

/// Semantics 1.3 and 1.5 together: a goroutine that yields in a loop (so it runs from the global
/// queue every 61st schedule) while a pair takes turns through `runnext` does not renew the pair's
/// time slice, so the slice runs out and the goroutines queued behind them all get to run.
#[test]
fn queued_goroutines_start_while_a_pair_takes_turns_and_another_yields() {
    let _w = Watchdog::new("yield beside a pair", LIMIT);
    gort::Builder::new().max_procs(1).run(|| {
        const PAIRS: usize = 8;
        let started = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let mut hs = Vec::new();
        for _ in 0..PAIRS {
            let (a, b) = (gort::Chan::<u64>::new(0), gort::Chan::<u64>::new(0));
            for (inp, out, first) in [(a.clone(), b.clone(), true), (b, a, false)] {
                let (started, stop) = (started.clone(), stop.clone());
                hs.push(gort::spawn(move || {
                    started.fetch_add(1, Ordering::SeqCst);
                    if first {
                        out.send(0).unwrap();
                    }
                    while let Some(v) = inp.recv() {
                        if stop.load(Ordering::SeqCst) {
                            out.close();
                            break;
                        }
                        if out.send(v + 1).is_err() {
                            break;
                        }
                    }
                }));
            }
        }
        while started.load(Ordering::SeqCst) < 2 * PAIRS {
            gort::yield_now();
        }
        stop.store(true, Ordering::SeqCst);
        hs.into_iter().for_each(|h| h.join().unwrap());
    });
}

/// Go's TestNumGoroutine: `num_goroutine` counts the live goroutines, as many as `dump` lists.
#[test]
fn num_goroutine_counts_live_goroutines() {
    let _w = Watchdog::new("num goroutine", LIMIT);
    assert_eq!(gort::num_goroutine(), 0);
    gort::Builder::new().max_procs(2).run(|| {
        let blocks = |d: &str| d.lines().filter(|l| l.starts_with("goroutine ")).count();
        assert_eq!(gort::num_goroutine(), 1);
        assert_eq!(blocks(&gort::dump()), 1);
        let gate = Gate::new();
        let parked = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..10)
            .map(|_| {
                let (gate, parked) = (gate.clone(), parked.clone());
                gort::spawn(move || {
                    parked.fetch_add(1, Ordering::SeqCst);
                    gate.wait();
                })
            })
            .collect();
        assert_eq!(
            gort::num_goroutine(),
            11,
            "spawned goroutines count before they run"
        );
        while parked.load(Ordering::SeqCst) < 10 {
            gort::yield_now();
        }
        assert_eq!(gort::num_goroutine(), 11);
        assert_eq!(blocks(&gort::dump()), 11);
        gate.open();
        for h in hs {
            h.join().unwrap();
        }
        // A goroutine is counted until its exit is complete; join may return a moment before.
        let t = Instant::now();
        while gort::num_goroutine() != 1 && t.elapsed() < Duration::from_secs(5) {
            gort::yield_now();
        }
        assert_eq!(gort::num_goroutine(), 1);
        assert_eq!(blocks(&gort::dump()), 1);
    });
}

/// Semantics 1.7: a plain blocking std call (no `gort::syscall`) in one goroutine does not stop
/// another goroutine on the same P: sysmon moves the P on.
#[test]
fn plain_sleep_does_not_stall_other_goroutines_on_the_proc() {
    let _w = Watchdog::new("plain sleep", LIMIT);
    let progressed = gort::Builder::new().max_procs(1).run(|| {
        let stop = Arc::new(AtomicBool::new(false));
        let count = Arc::new(AtomicU64::new(0));
        let (s2, c2) = (stop.clone(), count.clone());
        let counter = gort::spawn(move || {
            while !s2.load(Ordering::SeqCst) {
                c2.fetch_add(1, Ordering::SeqCst);
                gort::yield_now();
            }
        });
        let c3 = count.clone();
        let sleeper = gort::spawn(move || {
            let before = c3.load(Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(100));
            c3.load(Ordering::SeqCst) - before
        });
        let progressed = sleeper.join().unwrap();
        stop.store(true, Ordering::SeqCst);
        counter.join().unwrap();
        progressed
    });
    assert!(
        progressed >= 10,
        "the other goroutine made {progressed} steps while its P's G slept 100 ms"
    );
}

/// Go's TestPreemptionAfterSyscall, for a runtime that never interrupts a goroutine: after a
/// goroutine comes back from `gort::syscall` and then runs for long without a scheduling point, the
/// rest of its P's work still moves on (sysmon hands the P off), for short and long syscalls alike.
#[test]
fn long_run_after_syscall_does_not_starve_the_proc() {
    let _w = Watchdog::new("after syscall", LIMIT);
    for micros in [10u64, 100, 1000] {
        let rounds = gort::Builder::new().max_procs(1).run(|| {
            let stop = Arc::new(AtomicBool::new(false));
            let count = Arc::new(AtomicU64::new(0));
            let (s2, c2) = (stop.clone(), count.clone());
            let counter = gort::spawn(move || {
                while !s2.load(Ordering::SeqCst) {
                    c2.fetch_add(1, Ordering::SeqCst);
                    gort::yield_now();
                }
            });
            let c3 = count.clone();
            let spinner = gort::spawn(move || {
                let mut progressed = 0;
                for _ in 0..5 {
                    gort::syscall(|| std::thread::sleep(Duration::from_micros(micros)));
                    let before = c3.load(Ordering::SeqCst);
                    let t = Instant::now();
                    while t.elapsed() < Duration::from_millis(60) {
                        std::hint::spin_loop();
                    }
                    if c3.load(Ordering::SeqCst) > before {
                        progressed += 1;
                    }
                }
                progressed
            });
            let r = spinner.join().unwrap();
            stop.store(true, Ordering::SeqCst);
            counter.join().unwrap();
            r
        });
        assert!(
            rounds >= 3,
            "syscall {micros} us: the other goroutine progressed in only {rounds} of 5 long runs"
        );
    }
}

/// Semantics 3: while a goroutine is inside `gort::syscall`, the others run (here with one P), and
/// the call runs on the goroutine's own thread, which is what matters for a wired goroutine. (An
/// unwired goroutine on the thread that called `run` first moves to another thread: see
/// `run_does_not_wait_for_a_syscall_on_the_calling_thread`.)
#[test]
fn syscall_releases_the_proc_and_runs_on_the_callers_thread() {
    let _w = Watchdog::new("syscall", LIMIT);
    gort::Builder::new().max_procs(1).run(|| {
        let gate = Gate::new();
        let g2 = gate.clone();
        let blocked = gort::spawn(move || {
            gort::lock_os_thread();
            let before = gort::thread_id();
            // Blocks the thread until another goroutine, needing the only P, opens the gate.
            let inside = gort::syscall(|| {
                let t = gort::thread_id();
                while !g2.is_open() {
                    std::thread::sleep(Duration::from_millis(1));
                }
                t
            });
            (before, inside)
        });
        gort::yield_now();
        let g3 = gate.clone();
        gort::spawn(move || g3.open()).join().unwrap();
        let (before, inside) = blocked.join().unwrap();
        assert_eq!(before, inside);
    });
}

/// Each M counts the exits of its goroutines on its own (`MLocal::count_exit`), so the last exits,
/// on other threads just as main returns, are the ones `run` must not miss: it returns every time.
#[test]
fn run_returns_when_goroutines_exit_on_other_threads_as_main_returns() {
    let _w = Watchdog::new("exits as main returns", LIMIT);
    let spin = |micros: u64| {
        let until = Instant::now() + Duration::from_micros(micros);
        while Instant::now() < until {
            std::hint::spin_loop();
        }
    };
    for i in 0..300u64 {
        gort::Builder::new().max_procs(2).run(move || {
            for k in 0..3 {
                // No scheduling point: the shutdown's cancellation does not cut them short.
                gort::go(move || spin((i + k * 7) % 40));
            }
            spin(20);
        });
    }
}
