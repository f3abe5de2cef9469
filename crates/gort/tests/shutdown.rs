//! Ending a runtime (semantics 4.1, 4.2): `run` returns only after every other goroutine has been
//! unwound where it was parked, on its own thread if wired; panics travel out as they should.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{panic_message, park_forever, Gate, Watchdog};

const LIMIT: Duration = Duration::from_secs(60);

/// Counts its drops, and records where each ran (goroutine id, thread id).
struct Guard {
    drops: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<(u64, u64, u64)>>>,
    wired_tid: u64,
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.log
            .lock()
            .unwrap()
            .push((gort::goroutine_id(), gort::thread_id(), self.wired_tid));
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn run_unwinds_every_parked_goroutine_before_returning() {
    let _w = Watchdog::new("unwind at end", LIMIT);
    for procs in [1, 2, 4] {
        let drops = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (d, l) = (drops.clone(), log.clone());
        let handles = gort::Builder::new().max_procs(procs).run(move || {
            let started = Arc::new(AtomicUsize::new(0));
            let mut hs = Vec::new();
            for i in 0..60 {
                let (d, l, started) = (d.clone(), l.clone(), started.clone());
                hs.push(gort::spawn(move || {
                    let wired_tid = if i % 3 == 0 {
                        gort::lock_os_thread();
                        gort::thread_id()
                    } else {
                        0
                    };
                    let _g = Guard {
                        drops: d,
                        log: l,
                        wired_tid,
                    };
                    match i % 3 {
                        0 | 1 => {
                            started.fetch_add(1, Ordering::SeqCst);
                            park_forever()
                        }
                        // A parked join that never returns: on a goroutine parked forever.
                        _ => {
                            let inner = gort::spawn(|| park_forever());
                            // Counted once `inner` exists, for the num_goroutine check below.
                            started.fetch_add(1, Ordering::SeqCst);
                            let _ = inner.join();
                            unreachable!("joined a goroutine parked forever");
                        }
                    }
                }));
            }
            while started.load(Ordering::SeqCst) < 60 {
                gort::yield_now();
            }
            assert_eq!(gort::num_goroutine(), 1 + 60 + 20);
            hs
        });
        // Every guard ran before `run` returned, each on its goroutine, a wired one on its thread.
        assert_eq!(
            drops.load(Ordering::SeqCst),
            60,
            "max_procs {procs}: not every goroutine was unwound"
        );
        for &(gid, tid, wired_tid) in log.lock().unwrap().iter() {
            assert!(
                gid > 1,
                "a goroutine's destructor ran outside the goroutine (id {gid})"
            );
            if wired_tid != 0 {
                assert_eq!(
                    tid, wired_tid,
                    "a wired goroutine was unwound on another thread"
                );
            }
        }
        // Their handles report the cancellation without waiting.
        for h in handles {
            assert!(h.is_finished());
            let err = h.join().unwrap_err();
            assert!(!panic_message(&*err).is_empty());
        }
        assert_eq!(gort::num_goroutine(), 0);
    }
}

/// `run` ends while goroutines keep parking on channels (the park that holds the channel's lock
/// until the goroutine is off its stack, `sched/park.rs`): cancellation reaches every one,
/// whatever point of its park it is at, and each is unwound.
#[test]
fn run_ends_while_goroutines_ping_pong_on_channels() {
    let _w = Watchdog::new("cancel mid-park", LIMIT);
    const PAIRS: usize = 8;
    for round in 0..20 {
        let procs = 1 + round % 2;
        let drops = Arc::new(AtomicUsize::new(0));
        let d = drops.clone();
        gort::Builder::new().max_procs(procs).run(move || {
            let started = Arc::new(AtomicUsize::new(0));
            for _ in 0..PAIRS {
                let (a, b) = (gort::Chan::<u64>::new(0), gort::Chan::<u64>::new(0));
                for (inp, out, first) in [(a.clone(), b.clone(), true), (b, a, false)] {
                    let (d, started) = (d.clone(), started.clone());
                    gort::go(move || {
                        let _g = Guard {
                            drops: d,
                            log: Arc::new(Mutex::new(Vec::new())),
                            wired_tid: 0,
                        };
                        started.fetch_add(1, Ordering::SeqCst);
                        if first {
                            out.send(0).unwrap();
                        }
                        while let Some(v) = inp.recv() {
                            if out.send(v + 1).is_err() {
                                break;
                            }
                        }
                    });
                }
            }
            // Let them all start and run a moment, then end with every pair mid-exchange.
            while started.load(Ordering::SeqCst) < 2 * PAIRS {
                gort::yield_now();
            }
            let until = std::time::Instant::now() + Duration::from_micros(50 * round as u64);
            while std::time::Instant::now() < until {
                gort::yield_now();
            }
        });
        assert_eq!(
            drops.load(Ordering::SeqCst),
            2 * PAIRS,
            "round {round}: not every goroutine was unwound"
        );
    }
}

/// Goroutines spawned but never started when main returns are dropped, not run.
#[test]
fn goroutines_queued_when_main_returns_are_dropped_unrun() {
    let _w = Watchdog::new("queued at end", LIMIT);
    let ran = Arc::new(AtomicBool::new(false));
    let dropped = Arc::new(AtomicUsize::new(0));
    struct D(Arc<AtomicUsize>);
    impl Drop for D {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let (r, dr) = (ran.clone(), dropped.clone());
    let hs = gort::Builder::new().max_procs(1).run(move || {
        (0..10)
            .map(|_| {
                let (r, d) = (r.clone(), D(dr.clone()));
                gort::spawn(move || {
                    let _d = d;
                    r.store(true, Ordering::SeqCst);
                })
            })
            .collect::<Vec<_>>()
    });
    assert!(
        !ran.load(Ordering::SeqCst),
        "a goroutine spawned at main's return ran"
    );
    assert_eq!(dropped.load(Ordering::SeqCst), 10);
    for h in hs {
        assert!(h.join().is_err());
    }
}

/// Semantics 4.2: a panic in a goroutine comes back from `join` as `Err(payload)`; the runtime goes on.
#[test]
fn goroutine_panic_is_returned_by_join() {
    let _w = Watchdog::new("goroutine panic", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let n = gort::spawn(|| 42).join().unwrap();
        let e = gort::spawn(move || -> u32 { panic!("boom {n}") })
            .join()
            .unwrap_err();
        assert_eq!(panic_message(&*e), "boom 42");
        let e = gort::spawn(|| std::panic::panic_any(7u8))
            .join()
            .unwrap_err();
        assert_eq!(e.downcast_ref::<u8>(), Some(&7));
        let wired = gort::spawn(|| {
            gort::lock_os_thread();
            panic!("wired boom")
        });
        assert_eq!(panic_message(&*wired.join().unwrap_err()), "wired boom");
        assert_eq!(gort::spawn(|| 5).join().unwrap(), 5);
    });
}

/// Semantics 4.2: a panic in main unwinds the other goroutines first, then resumes out of `run`.
#[test]
fn main_panic_resumes_out_of_run_after_unwinding_the_rest() {
    let _w = Watchdog::new("main panic", LIMIT);
    let drops = Arc::new(AtomicUsize::new(0));
    let d = drops.clone();
    let r = std::panic::catch_unwind(move || {
        gort::Builder::new().max_procs(2).run(move || {
            let gate = Gate::new();
            for _ in 0..10 {
                let (d, gate) = (d.clone(), gate.clone());
                gort::spawn(move || {
                    struct D(Arc<AtomicUsize>);
                    impl Drop for D {
                        fn drop(&mut self) {
                            self.0.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    let _d = D(d);
                    gate.wait();
                });
            }
            gort::yield_now();
            panic!("main boom");
        })
    });
    let err = r.expect_err("run must resume main's panic");
    assert_eq!(panic_message(&*err), "main boom");
    assert_eq!(drops.load(Ordering::SeqCst), 10);
}

/// "A goroutine that is unwinding a panic stays on its thread until it finishes": std keeps the
/// panic count per thread, so a destructor that blocks during unwinding must resume where it began.
#[test]
fn unwinding_goroutine_stays_on_its_thread_while_its_destructors_block() {
    let _w = Watchdog::new("panic pinning", LIMIT);
    let moved = Arc::new(AtomicUsize::new(0));
    let m = moved.clone();
    gort::Builder::new().max_procs(4).run(move || {
        let stop = Arc::new(AtomicBool::new(false));
        let busy: Vec<_> = (0..8)
            .map(|_| {
                let stop = stop.clone();
                gort::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        gort::yield_now();
                    }
                })
            })
            .collect();
        let hs: Vec<_> = (0..20)
            .map(|_| {
                let m = m.clone();
                gort::spawn(move || {
                    struct Blocky(Arc<AtomicUsize>);
                    impl Drop for Blocky {
                        fn drop(&mut self) {
                            let tid = gort::thread_id();
                            for i in 0..10 {
                                gort::yield_now();
                                let _ = gort::spawn(move || i).join();
                                if gort::thread_id() != tid || !std::thread::panicking() {
                                    self.0.fetch_add(1, Ordering::SeqCst);
                                }
                            }
                        }
                    }
                    let _b = Blocky(m);
                    panic!("unwind with blocking destructors");
                })
            })
            .collect();
        for h in hs {
            assert!(h.join().is_err());
        }
        stop.store(true, Ordering::SeqCst);
        for h in busy {
            h.join().unwrap();
        }
    });
    assert_eq!(
        moved.load(Ordering::SeqCst),
        0,
        "an unwinding goroutine changed threads"
    );
}

/// Semantics 4.1: "a goroutine still inside `gort::syscall` is unwound when the call returns; `run`
/// does not wait for it" — here the goroutine is in its syscall on the very thread that called `run`
/// (with one P, that is where it ran first).
#[test]

fn run_does_not_wait_for_a_syscall_on_the_calling_thread() {
    static RELEASED: AtomicBool = AtomicBool::new(false);
    static TIMED_OUT: AtomicBool = AtomicBool::new(false);
    let _w = Watchdog::new("syscall on the calling thread", LIMIT);
    let caller = gort::thread_id();
    let ran_on = Arc::new(AtomicUsize::new(0));
    let (r2, r3) = (ran_on.clone(), ran_on.clone());
    gort::Builder::new().max_procs(1).run(move || {
        gort::spawn(move || {
            r2.store(gort::thread_id() as usize, Ordering::SeqCst);
            gort::syscall(|| {
                let t = std::time::Instant::now();
                while !RELEASED.load(Ordering::SeqCst) {
                    if t.elapsed() > Duration::from_secs(5) {
                        TIMED_OUT.store(true, Ordering::SeqCst);
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
            });
        });
        while r3.load(Ordering::SeqCst) == 0 {
            gort::yield_now();
        }
        // main returns, while the other goroutine blocks in its syscall
    });
    RELEASED.store(true, Ordering::SeqCst);
    assert_eq!(
        ran_on.load(Ordering::SeqCst) as u64,
        caller,
        "setup: the goroutine did not run on the calling thread"
    );
    assert!(
        !TIMED_OUT.load(Ordering::SeqCst),
        "run waited for a goroutine's syscall on the calling thread"
    );
}

fn timer_slack() -> i32 {
    // SAFETY: PR_GET_TIMERSLACK takes no pointer and reads only the calling thread's slack.
    unsafe { libc::prctl(libc::PR_GET_TIMERSLACK) }
}

/// Ms sleep for timers with a fine timer slack; the caller's thread, lent to `run` as the main M,
/// gets its own slack back when `run` returns.
#[test]
fn run_gives_the_callers_thread_its_timer_slack_back() {
    let _w = Watchdog::new("timer slack", LIMIT);
    let before = timer_slack();
    assert!(
        before > 1,
        "the test thread starts with Linux's default slack, not {before}"
    );
    let inside = gort::Builder::new().max_procs(1).run(timer_slack);
    assert_eq!(inside, 1, "the main M sleeps with a fine slack");
    let slacks = gort::Builder::new().max_procs(2).run(|| {
        let hs: Vec<_> = (0..8)
            .map(|_| {
                gort::spawn(|| {
                    gort::lock_os_thread();
                    (gort::thread_id(), timer_slack())
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    });
    for (tid, slack) in slacks {
        assert_eq!(slack, 1, "M thread {tid} sleeps with a fine slack");
    }
    assert_eq!(timer_slack(), before, "run restores the caller's slack");
}
