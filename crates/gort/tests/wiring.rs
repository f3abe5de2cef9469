//! Wiring a goroutine to its OS thread (semantics 2): Go's TestLockOSThreadNesting, TestYieldLocked,
//! TestYieldLockedProgress, TestBlockLocked, and the rules around them.

mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{panic_message, task_alive, Gate, Watchdog};
use gort::__park::{current, park, Unparker};

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn lock_os_thread_calls_nest() {
    let _w = Watchdog::new("lock_os_thread_calls_nest", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let body = || {
            assert!(!gort::is_locked_to_thread());
            gort::lock_os_thread();
            gort::lock_os_thread();
            assert!(gort::is_locked_to_thread());
            let tid = gort::thread_id();
            gort::unlock_os_thread();
            assert!(
                gort::is_locked_to_thread(),
                "one unlock of two locks must leave it wired"
            );
            for _ in 0..20 {
                gort::yield_now();
                assert_eq!(gort::thread_id(), tid, "still wired after one unlock");
            }
            gort::unlock_os_thread();
            assert!(!gort::is_locked_to_thread());
        };
        body();
        gort::spawn(body).join().unwrap();
    });
}

#[test]
fn unlock_without_lock_is_a_noop() {
    // On a plain thread: nothing to wire, nothing to undo.
    gort::unlock_os_thread();
    gort::lock_os_thread();
    assert!(!gort::is_locked_to_thread());
    gort::unlock_os_thread();
    gort::Builder::new().max_procs(2).run(|| {
        gort::spawn(|| {
            for _ in 0..5 {
                gort::unlock_os_thread();
            }
            assert!(!gort::is_locked_to_thread());
            // The extra unlocks did not bank "negative" locks: one lock wires, one unlock unwires.
            gort::lock_os_thread();
            assert!(gort::is_locked_to_thread());
            gort::unlock_os_thread();
            assert!(!gort::is_locked_to_thread());
        })
        .join()
        .unwrap();
    });
}

#[test]
fn lock_nesting_overflow_panics_with_a_clear_message() {
    gort::Builder::new().max_procs(1).run(|| {
        let r = gort::spawn(|| {
            for _ in 0..gort::MAX_LOCK_NESTING {
                gort::lock_os_thread();
            }
            assert!(gort::is_locked_to_thread());
            gort::lock_os_thread(); // one too many
        })
        .join();
        let err = r.expect_err("nesting beyond MAX_LOCK_NESTING must panic");
        assert!(
            panic_message(&*err).contains("lock_os_thread nesting overflow"),
            "{}",
            panic_message(&*err)
        );

        // The overflow left the count where it was: MAX unlocks unwire.
        let r = gort::spawn(|| {
            for _ in 0..gort::MAX_LOCK_NESTING {
                gort::lock_os_thread();
            }
            let e = std::panic::catch_unwind(gort::lock_os_thread);
            assert!(e.is_err());
            for _ in 0..gort::MAX_LOCK_NESTING {
                assert!(gort::is_locked_to_thread());
                gort::unlock_os_thread();
            }
            gort::is_locked_to_thread()
        })
        .join();
        assert!(!r.unwrap());
    });
}

/// Go's TestYieldLocked: a wired goroutine yields and sleeps, and always resumes on its thread.
#[test]
fn wired_goroutine_resumes_on_its_thread_after_yield_and_syscall() {
    let _w = Watchdog::new("wired yield", LIMIT);
    for procs in [1, 2, 4] {
        gort::Builder::new().max_procs(procs).run(|| {
            let stop = Arc::new(AtomicBool::new(false));
            // Competition, so that the wired goroutine's P really goes elsewhere meanwhile.
            let busy: Vec<_> = (0..4)
                .map(|_| {
                    let stop = stop.clone();
                    gort::spawn(move || {
                        while !stop.load(Ordering::Relaxed) {
                            gort::yield_now();
                        }
                    })
                })
                .collect();
            let wired = gort::spawn(|| {
                gort::lock_os_thread();
                let tid = gort::thread_id();
                for _ in 0..10 {
                    gort::yield_now();
                    assert_eq!(gort::thread_id(), tid, "wired goroutine moved after yield");
                    gort::syscall(|| std::thread::sleep(Duration::from_millis(1)));
                    assert_eq!(
                        gort::thread_id(),
                        tid,
                        "wired goroutine moved after syscall"
                    );
                }
                // Deliberately exits still wired (as in Go's test).
            });
            wired.join().unwrap();
            stop.store(true, Ordering::Relaxed);
            for h in busy {
                h.join().unwrap();
            }
        });
    }
}

/// Go's TestYieldProgress and TestYieldLockedProgress: a goroutine (wired or not) that yields in a loop
/// waiting for main does not keep main from running.
#[test]
fn yielding_goroutine_lets_main_progress_wired_or_not() {
    let _w = Watchdog::new("yield progress", LIMIT);
    for wired in [false, true] {
        for procs in [1, 2] {
            gort::Builder::new().max_procs(procs).run(|| {
                let go = Arc::new(AtomicBool::new(false));
                let spins = Arc::new(AtomicU64::new(0));
                let (g2, s2) = (go.clone(), spins.clone());
                let h = gort::spawn(move || {
                    if wired {
                        gort::lock_os_thread();
                    }
                    while !g2.load(Ordering::SeqCst) {
                        s2.fetch_add(1, Ordering::SeqCst);
                        gort::yield_now();
                    }
                });
                // Main, yielding too, must see the other goroutine spin many times, then stop it.
                while spins.load(Ordering::SeqCst) < 100 {
                    gort::yield_now();
                }
                go.store(true, Ordering::SeqCst);
                h.join().unwrap();
            });
        }
    }
}

/// Go's TestBlockLocked: a wired goroutine blocks again and again (join, park) and always wakes on
/// its own thread, its M woken directly.
#[test]
fn blocked_wired_goroutine_wakes_on_its_own_thread() {
    let _w = Watchdog::new("block locked", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let h = gort::spawn(|| {
                gort::lock_os_thread();
                let tid = gort::thread_id();
                for i in 0..10u64 {
                    let child = gort::spawn(move || {
                        for _ in 0..3 {
                            gort::yield_now();
                        }
                        i
                    });
                    assert_eq!(child.join().unwrap(), i);
                    assert_eq!(
                        gort::thread_id(),
                        tid,
                        "wired goroutine woke on another thread"
                    );
                }
                gort::unlock_os_thread();
            });
            h.join().unwrap();
        });
    }
}

/// A two-party ping-pong on park/unpark: `turn` says whose move it is.
struct PingPong {
    turn: AtomicUsize,
    parties: Mutex<[Option<Unparker>; 2]>,
}

impl PingPong {
    fn new() -> Arc<PingPong> {
        Arc::new(PingPong {
            turn: AtomicUsize::new(0),
            parties: Mutex::new([None, None]),
        })
    }

    fn join(&self, me: usize) {
        self.parties.lock().unwrap()[me] = Some(current());
    }

    /// Waits for my turn, then hands the turn over.
    fn play(&self, me: usize) {
        while self.turn.load(Ordering::SeqCst) != me {
            park();
        }
        self.turn.store(1 - me, Ordering::SeqCst);
        let other = self.parties.lock().unwrap()[1 - me].clone();
        if let Some(u) = other {
            u.unpark();
        }
    }
}

#[test]
fn wired_ping_pong_over_park_stays_on_its_thread() {
    let _w = Watchdog::new("wired ping-pong", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            const ROUNDS: usize = 2000;
            let pp = PingPong::new();
            pp.join(0);
            let pp2 = pp.clone();
            let wired = gort::spawn(move || {
                gort::lock_os_thread();
                pp2.join(1);
                let tid = gort::thread_id();
                let mut moved = 0;
                for _ in 0..ROUNDS {
                    pp2.play(1);
                    if gort::thread_id() != tid {
                        moved += 1;
                    }
                }
                moved
            });
            for _ in 0..ROUNDS {
                pp.play(0);
            }
            assert_eq!(
                wired.join().unwrap(),
                0,
                "wired goroutine ran on another thread"
            );
        });
    }
}

/// Semantics 2.4: goroutines queued on a wired goroutine's P run while it does round trips on
/// channels, however quickly its partner answers, with the other P busy: its M, which keeps its P
/// through a park when it can, does not keep them waiting with it.
#[test]
fn goroutines_queued_on_a_wired_goroutines_p_run_while_it_does_round_trips() {
    const QUEUED: usize = 10;
    let _w = Watchdog::new("queued beside a wired goroutine", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        // A pair taking turns keeps the other P busy.
        let (x, y) = (gort::Chan::<u64>::new(0), gort::Chan::<u64>::new(0));
        let (rx, sy) = (x.clone(), y.clone());
        gort::go(move || {
            for i in 0.. {
                if x.send(i).is_err() || y.recv().is_none() {
                    return;
                }
            }
        });
        gort::go(move || {
            while let Some(v) = rx.recv() {
                if sy.send(v).is_err() {
                    return;
                }
            }
        });
        let (a, b) = (gort::Chan::<u64>::new(0), gort::Chan::<u64>::new(0));
        let (ra, sb) = (a.clone(), b.clone());
        gort::go(move || {
            while let Some(v) = ra.recv() {
                if sb.send(v).is_err() {
                    return;
                }
            }
        });
        let ran = Arc::new(AtomicUsize::new(0));
        let r = ran.clone();
        let trips = gort::spawn(move || {
            gort::lock_os_thread();
            // Spawned here, they queue on this goroutine's P, and cannot run on its thread.
            for _ in 0..QUEUED {
                let r = r.clone();
                gort::go(move || {
                    r.fetch_add(1, Ordering::Relaxed);
                });
            }
            let mut trips = 0;
            while r.load(Ordering::Relaxed) < QUEUED {
                a.send(trips).unwrap();
                assert_eq!(b.recv(), Some(trips));
                trips += 1;
            }
            trips
        })
        .join()
        .unwrap();
        assert_eq!(
            ran.load(Ordering::Relaxed),
            QUEUED,
            "after {trips} round trips"
        );
    });
}

/// Semantics 2.4 at max_procs 1: with goroutines waiting on the P, the goroutine a wired one has
/// just readied (E) runs before a goroutine whose timer came due meanwhile (S), and so before the
/// partner S readies (T): S's readying would otherwise push E out of `runnext` to the queue's tail,
/// behind everything waiting (order S, T, the others, E).
#[test]
fn what_a_wired_goroutine_readied_runs_before_a_timer_woken_goroutines_partner() {
    const ROUNDS: usize = 20;
    let _w = Watchdog::new("readied across the wire", LIMIT);
    let mut counted = 0;
    for _ in 0..ROUNDS {
        let Some(order) = wired_readies_past_a_due_timer() else {
            continue;
        };
        counted += 1;
        let at = |name: &str| order.iter().position(|&x| x == name).unwrap();
        assert!(
            at("E") < at("S") && at("E") < at("T"),
            "the goroutine the wired one readied waited behind a timer-woken one: {order:?}"
        );
    }
    assert!(
        counted > 0,
        "the host kept the wired thread off its CPU in all {ROUNDS} rounds"
    );
}

/// One round of the test above: the order in which E, S, T and the F goroutines ran, or `None` if
/// the host kept the wired goroutine's thread off its CPU long enough to change the scene: woken
/// so late that S had run already (the idle P fired S's timer first), or holding its P without a
/// switch for so long that sysmon fired that P's timers itself (its 1 ms grace for a stuck P).
fn wired_readies_past_a_due_timer() -> Option<Vec<&'static str>> {
    gort::Builder::new().max_procs(1).run(|| {
        let order = Arc::new(Mutex::new(Vec::new()));
        let due = std::time::Instant::now() + Duration::from_millis(3);
        let (to_e, e_in) = (gort::Chan::<u32>::new(0), gort::Chan::<u32>::new(0));
        let (e_rx, e_tx) = (to_e.clone(), e_in.clone());
        let o = order.clone();
        let e = gort::spawn(move || {
            let v = e_rx.recv().unwrap();
            o.lock().unwrap().push("E");
            e_tx.send(v).unwrap();
        });
        let to_t = gort::Chan::<u32>::new(0);
        let t_rx = to_t.clone();
        let o = order.clone();
        let t = gort::spawn(move || {
            t_rx.recv().unwrap();
            o.lock().unwrap().push("T");
        });
        let o = order.clone();
        let s = gort::spawn(move || {
            gort::time::sleep_until(due);
            o.lock().unwrap().push("S");
            to_t.send(1).unwrap();
        });
        let o = order.clone();
        let w = gort::spawn(move || {
            gort::lock_os_thread();
            // Hold the thread past S's deadline (no scheduling point; well within sysmon's 1 ms
            // grace for a stuck P's timers), then queue others on the P and ready E.
            gort::time::sleep_until(due - Duration::from_micros(300));
            let woke = std::time::Instant::now();
            let first = o.lock().unwrap().is_empty();
            while std::time::Instant::now() < due + Duration::from_micros(100) {
                std::hint::spin_loop();
            }
            for _ in 0..3 {
                let o = o.clone();
                gort::go(move || o.lock().unwrap().push("F"));
            }
            to_e.send(7).unwrap();
            let held = woke.elapsed();
            assert_eq!(e_in.recv(), Some(7));
            first && held < Duration::from_micros(900)
        });
        let undisturbed = w.join().unwrap();
        for h in [e, s, t] {
            h.join().unwrap();
        }
        let order = order.lock().unwrap().clone();
        undisturbed.then_some(order)
    })
}

/// Semantics 2.4 at max_procs 1: with goroutines waiting on the P, the goroutines a wired one
/// readies one after another (A, then E) run before those waiting (F), in the order readied. Each
/// going to `runnext` in turn, E pushed A out to the queue's tail, behind the others (order E, F,
/// F, F, A): the tracer benchmark's echo goroutine waited there 1.5 ms at a time.
#[test]
fn goroutines_a_wired_goroutine_readies_in_a_row_run_before_those_waiting() {
    let _w = Watchdog::new("readied in a row across the wire", LIMIT);
    gort::Builder::new().max_procs(1).run(|| {
        let order = Arc::new(Mutex::new(Vec::new()));
        let waiting = Arc::new(AtomicUsize::new(0));
        let mut handles = Vec::new();
        let mut senders = Vec::new();
        for name in ["A", "E"] {
            let c = gort::Chan::<u32>::new(0);
            let (rx, o, w) = (c.clone(), order.clone(), waiting.clone());
            senders.push(c);
            handles.push(gort::spawn(move || {
                // At max_procs 1 nothing else runs between this and the park in `recv`.
                w.fetch_add(1, Ordering::SeqCst);
                rx.recv().unwrap();
                o.lock().unwrap().push(name);
            }));
        }
        let o = order.clone();
        gort::spawn(move || {
            gort::lock_os_thread();
            while waiting.load(Ordering::SeqCst) < 2 {
                gort::yield_now();
            }
            let fs: Vec<_> = (0..3)
                .map(|_| {
                    let o = o.clone();
                    gort::spawn(move || o.lock().unwrap().push("F"))
                })
                .collect();
            // Both receivers wait: each send readies one and returns at once. Then this goroutine
            // parks, as a tracer waiting for its answer does.
            for c in &senders {
                c.send(1).unwrap();
            }
            for h in handles.into_iter().chain(fs) {
                h.join().unwrap();
            }
        })
        .join()
        .unwrap();
        let order = order.lock().unwrap().clone();
        assert_eq!(
            order[..2],
            ["A", "E"],
            "what the wired goroutine readied waited behind the others: {order:?}"
        );
    });
}

/// Semantics 2.3 and 2.7: a wired goroutine's thread runs no other goroutine, and what it spawns is
/// not wired.
#[test]
fn wired_thread_runs_no_other_goroutine_and_children_are_unwired() {
    let _w = Watchdog::new("wired exclusive", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            let gate = Gate::new();
            let seen = Arc::new(Mutex::new(HashSet::new()));
            let (g2, seen2) = (gate.clone(), seen.clone());
            let wired = gort::spawn(move || {
                gort::lock_os_thread();
                let tid = gort::thread_id();
                let kids: Vec<_> = (0..50)
                    .map(|_| {
                        let (g3, seen3) = (g2.clone(), seen2.clone());
                        gort::spawn(move || {
                            assert!(
                                !gort::is_locked_to_thread(),
                                "a wired goroutine's child came out wired"
                            );
                            for _ in 0..20 {
                                seen3.lock().unwrap().insert(gort::thread_id());
                                gort::yield_now();
                            }
                            g3.wait();
                            seen3.lock().unwrap().insert(gort::thread_id());
                        })
                    })
                    .collect();
                for _ in 0..50 {
                    gort::yield_now();
                    assert_eq!(gort::thread_id(), tid);
                }
                g2.open();
                for k in kids {
                    k.join().unwrap();
                }
                assert_eq!(gort::thread_id(), tid);
                tid
            });
            let tid = wired.join().unwrap();
            let seen = seen.lock().unwrap();
            assert!(
                !seen.contains(&tid),
                "another goroutine ran on the wired thread {tid}"
            );
        });
    }
}

/// Semantics 2.8: the main goroutine starts on the calling thread, and once wired before blocking it
/// stays there however much it blocks.
#[test]
fn main_goroutine_wired_before_blocking_stays_on_the_calling_thread() {
    let _w = Watchdog::new("main wired", LIMIT);
    let caller = gort::thread_id();
    for procs in [1, 2, 4] {
        gort::Builder::new().max_procs(procs).run(|| {
            assert_eq!(
                gort::thread_id(),
                caller,
                "main goroutine did not start on the calling thread"
            );
            gort::lock_os_thread();
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
            for i in 0..50 {
                gort::yield_now();
                assert_eq!(gort::thread_id(), caller);
                assert_eq!(gort::spawn(move || i).join().unwrap(), i);
                assert_eq!(gort::thread_id(), caller);
                gort::syscall(|| std::thread::sleep(Duration::from_micros(200)));
                assert_eq!(gort::thread_id(), caller);
            }
            stop.store(true, Ordering::Relaxed);
            for h in busy {
                h.join().unwrap();
            }
            assert_eq!(gort::thread_id(), caller);
        });
    }
}

/// Semantics 2.5's exception: the main goroutine may return wired; `run` returns normally and the
/// calling thread lives on (and can run another runtime).
#[test]
fn main_goroutine_returning_wired_returns_from_run() {
    let _w = Watchdog::new("main exits wired", LIMIT);
    let caller = gort::thread_id();
    let v = gort::Builder::new().max_procs(2).run(|| {
        gort::lock_os_thread();
        gort::spawn(|| ()).join().unwrap();
        7
    });
    assert_eq!(v, 7);
    assert_eq!(gort::thread_id(), caller);
    assert!(task_alive(caller));
    assert_eq!(gort::run(|| 8), 8);
}

/// Semantics 2.2: a goroutine that unwires before it exits leaves its thread in the pool.
#[test]
fn goroutine_unwired_before_exit_leaves_its_thread_alive() {
    let _w = Watchdog::new("unwired exit", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let tid = gort::spawn(|| {
            gort::lock_os_thread();
            gort::yield_now();
            let tid = gort::thread_id();
            gort::unlock_os_thread();
            tid
        })
        .join()
        .unwrap();
        for _ in 0..10 {
            gort::spawn(gort::yield_now).join().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
        assert!(
            task_alive(tid),
            "thread {tid} exited although its goroutine unwired first"
        );
    });
}

/// A wired goroutine that serves unwired ones over channels: what it readies must go to other
/// threads (its own runs nothing else, 2.3), and while it waits its thread keeps the P for it
/// (`MLocal::may_hold_p`) as spinning threads take its clients. Every request gets exactly its
/// answer, the server never leaves its thread, and no client ever runs there.
#[test]
fn wired_server_answers_every_unwired_client_from_its_own_thread() {
    let _w = Watchdog::new("wired server", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            const CLIENTS: u64 = 8;
            const REQUESTS: u64 = 500;
            let requests = gort::Chan::<(u64, gort::Chan<u64>)>::new(0);
            let reqs = requests.clone();
            let server = gort::spawn(move || {
                gort::lock_os_thread();
                let tid = gort::thread_id();
                let mut served = 0u64;
                while let Some((x, reply)) = reqs.recv() {
                    assert_eq!(gort::thread_id(), tid, "the wired server left its thread");
                    reply.send(x * 2).unwrap();
                    served += 1;
                }
                (tid, served)
            });
            let seen = Arc::new(Mutex::new(HashSet::new()));
            let clients: Vec<_> = (0..CLIENTS)
                .map(|c| {
                    let (requests, seen) = (requests.clone(), seen.clone());
                    gort::spawn(move || {
                        let reply = gort::Chan::new(0);
                        for i in 0..REQUESTS {
                            let x = c * REQUESTS + i;
                            requests.send((x, reply.clone())).unwrap();
                            assert_eq!(reply.recv(), Some(x * 2), "a wrong or lost answer");
                            seen.lock().unwrap().insert(gort::thread_id());
                        }
                    })
                })
                .collect();
            for c in clients {
                c.join().unwrap();
            }
            requests.close();
            let (tid, served) = server.join().unwrap();
            assert_eq!(served, CLIENTS * REQUESTS);
            assert!(
                !seen.lock().unwrap().contains(&tid),
                "a client ran on the wired server's thread {tid}"
            );
        });
    }
}
