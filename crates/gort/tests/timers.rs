//! Timers live on the P where they are armed (`sched/timers.rs`): they still fire, never early, when
//! that P's M is blocked in a plain call or runs a goroutine that never yields; many sleepers on one P
//! wake in deadline order while its M keeps up, and the freshest first once it falls behind;
//! callback timers and tickers keep working from goroutines on every P; a runtime that ends with
//! timers pending ends cleanly.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{wait_until, Watchdog};
use gort::time::{after, sleep, Ticker};
use gort::Chan;

const LIMIT: Duration = Duration::from_secs(60);

/// Holds the calling thread, with no scheduling point, until `flag` is set (true) or 30 s pass (false):
/// spinning if `busy`, else blocked in plain sleeps.
fn hold_thread(busy: bool, flag: &AtomicBool) -> bool {
    if !busy {
        return wait_until(Duration::from_secs(30), || flag.load(Ordering::Acquire));
    }
    let end = Instant::now() + Duration::from_secs(30);
    while Instant::now() < end {
        if flag.load(Ordering::Acquire) {
            return true;
        }
        std::hint::spin_loop();
    }
    false
}

/// Main arms a timer (on its own P) and then holds its thread without a scheduling point, blocked in
/// a plain call or spinning: the timer fires anyway and a goroutine receives it.
#[test]
fn a_timer_fires_while_the_m_of_its_p_is_blocked_or_busy() {
    let _w = Watchdog::new("timer on a stuck P", LIMIT);
    for procs in [1, 2] {
        for busy in [false, true] {
            gort::Builder::new().max_procs(procs).run(move || {
                let armed = Instant::now();
                let t = after(Duration::from_millis(5));
                let got = Arc::new(AtomicBool::new(false));
                let g = got.clone();
                let h = gort::spawn(move || {
                    let fired = t.recv().unwrap();
                    assert!(fired >= armed + Duration::from_millis(5), "fired early");
                    g.store(true, Ordering::Release);
                });
                // No scheduling point until the goroutine has received the tick.
                let ok = hold_thread(busy, &got);
                assert!(ok, "procs {procs}, busy {busy}: the timer never fired");
                h.join().unwrap();
            });
        }
    }
}

/// The same for a sleeping goroutine: it sleeps on main's P (it runs there first, from `runnext`,
/// while main parks for a moment), then main blocks its thread.
#[test]
fn a_sleeper_wakes_while_the_m_of_its_p_is_blocked() {
    let _w = Watchdog::new("sleeper on a stuck P", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(move || {
            let woke = Arc::new(AtomicBool::new(false));
            let w = woke.clone();
            let started = Chan::new(1);
            let s = started.clone();
            let h = gort::spawn(move || {
                let t0 = Instant::now();
                s.send(()).unwrap();
                sleep(Duration::from_millis(5));
                assert!(t0.elapsed() >= Duration::from_millis(5), "woke early");
                w.store(true, Ordering::Release);
            });
            started.recv().unwrap();
            let ok = hold_thread(false, &woke);
            assert!(ok, "procs {procs}: the sleeper never woke");
            h.join().unwrap();
        });
    }
}

/// On one P, sleepers started in reverse order wake in the order of their deadlines, and none early.
#[test]
fn sleepers_on_one_p_wake_in_deadline_order() {
    let _w = Watchdog::new("sleepers in order", LIMIT);
    const N: u64 = 60;
    let spacing = Duration::from_millis(3);
    let (start, woke) = gort::Builder::new().max_procs(1).run(move || {
        let woke = Arc::new(Mutex::new(Vec::new()));
        let start = Instant::now();
        let hs: Vec<_> = (0..N)
            .rev()
            .map(|i| {
                let woke = woke.clone();
                gort::spawn(move || {
                    let deadline = start + Duration::from_millis(5) + spacing * i as u32;
                    gort::time::sleep_until(deadline);
                    let now = Instant::now();
                    assert!(now >= deadline, "sleeper {i} woke early");
                    woke.lock().unwrap().push((i, now));
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        let v = woke.lock().unwrap().clone();
        (start, v)
    });
    let deadline = |i: u64| start + Duration::from_millis(5) + spacing * i as u32;
    // In order, except where the thread fell behind (a host that took the CPU away for more than
    // the spacing): a sleeper runs after a later one only if that one's deadline had passed
    // before it ran ("Under overload, the freshest wake-up first" in `sched/timers/mod.rs`).
    for (k, &(j, _)) in woke.iter().enumerate() {
        for &(i, ran) in &woke[k + 1..] {
            assert!(
                i > j || ran >= deadline(j),
                "sleeper {i} ran after sleeper {j} though it was not late by then: {:?}",
                woke.iter().map(|w| w.0).collect::<Vec<_>>()
            );
        }
    }
    assert_eq!(woke.len(), N as usize);
}

/// A goroutine whose timer is due runs before the goroutines already queued on its P (as Go's
/// timers put it in `runnext`): a sleep's lateness is not the length of the run queue.
#[test]
fn a_woken_sleeper_runs_before_goroutines_queued_earlier() {
    let _w = Watchdog::new("woken sleeper first", LIMIT);
    const QUEUED: usize = 20;
    gort::Builder::new().max_procs(1).run(|| {
        let order = Arc::new(Mutex::new(Vec::new()));
        let gate = Chan::<()>::new(0);
        let mut hs = Vec::new();
        // The queued goroutines: parked on the gate, which main closes once the sleeper is due.
        for i in 0..QUEUED {
            let (order, gate) = (order.clone(), gate.clone());
            hs.push(gort::spawn(move || {
                assert_eq!(gate.recv(), None);
                order.lock().unwrap().push(i);
            }));
        }
        let o = order.clone();
        let nap = Duration::from_micros(300);
        hs.push(gort::spawn(move || {
            sleep(nap);
            o.lock().unwrap().push(usize::MAX);
        }));
        // Let them all park (the sleeper included), then hold the thread past the deadline,
        // with no scheduling point (well under sysmon's 1 ms grace for a stuck P's timers).
        gort::yield_now();
        let until = Instant::now() + 2 * nap;
        while Instant::now() < until {
            std::hint::spin_loop();
        }
        // All of them runnable at once: the gated ones queued by the close, the sleeper by its
        // timer when main blocks in the joins below and its M looks for work.
        gate.close();
        hs.into_iter().for_each(|h| h.join().unwrap());
        let order = order.lock().unwrap().clone();
        let at = order.iter().position(|&i| i == usize::MAX).unwrap();
        // One gated goroutine may sit in `runnext` (readied last by the close) and run first.
        assert!(
            at <= 1,
            "the sleeper ran after {at} queued goroutines: {order:?}"
        );
    });
}

/// Sleepers woken together as one batch, the first of which holds the thread (no scheduling point)
/// until a later sleeper's deadline has passed: returns the order in which they ran (the later
/// one is `batch`), or `None` if the round does not count. It counts if the thread switched
/// goroutines well within sysmon's 1 ms grace for a stuck P's timers (a host that takes the CPU
/// away longer lets sysmon fire them onto the global queue instead), every sleeper of the batch
/// went to sleep before the batch's deadline (on a loaded host, starting them all can take
/// longer), and the batch fired before the later deadline.
fn batch_then_one_more(batch: usize) -> Option<Vec<usize>> {
    const FRESH_AFTER: Duration = Duration::from_micros(300);
    const MARGIN: Duration = Duration::from_micros(50);
    const MAX_HOLD: Duration = Duration::from_micros(700);
    let order = Arc::new(Mutex::new(Vec::new()));
    let counts = Arc::new(AtomicBool::new(false));
    let slept_late = Arc::new(AtomicBool::new(false));
    let batch_at = Instant::now() + Duration::from_millis(2);
    let later_at = batch_at + FRESH_AFTER;
    let mut hs: Vec<_> = (0..batch)
        .map(|i| {
            let (order, counts, slept_late) = (order.clone(), counts.clone(), slept_late.clone());
            gort::spawn(move || {
                if Instant::now() + MARGIN > batch_at {
                    slept_late.store(true, Ordering::Relaxed);
                }
                // Deadlines a nanosecond apart: one batch (nothing wakes the thread that
                // precisely), in the sleepers' order.
                gort::time::sleep_until(batch_at + Duration::from_nanos(i as u64));
                let woke = Instant::now();
                let first = {
                    let mut o = order.lock().unwrap();
                    o.push(i);
                    o.len() == 1
                };
                if first {
                    while Instant::now() < later_at + MARGIN {
                        std::hint::spin_loop();
                    }
                    let ok = woke + MARGIN <= later_at && woke.elapsed() < MAX_HOLD;
                    counts.store(ok, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let o = order.clone();
    hs.push(gort::spawn(move || {
        gort::time::sleep_until(later_at);
        o.lock().unwrap().push(batch);
    }));
    hs.into_iter().for_each(|h| h.join().unwrap());
    let order = order.lock().unwrap().clone();
    (counts.load(Ordering::Relaxed) && !slept_late.load(Ordering::Relaxed)).then_some(order)
}

/// Runs `batch_then_one_more(batch)` on one P until `COUNTED` rounds count, and checks each.
fn check_batch_then_one_more(batch: usize, check: impl Fn(&[usize]) + Send) {
    const COUNTED: usize = 5;
    const MAX_ROUNDS: usize = 200;
    let (counted, tried) = gort::Builder::new().max_procs(1).run(move || {
        let (mut counted, mut tried) = (0, 0);
        while counted < COUNTED && tried < MAX_ROUNDS {
            tried += 1;
            if let Some(order) = batch_then_one_more(batch) {
                counted += 1;
                check(&order);
            }
        }
        (counted, tried)
    });
    assert_eq!(
        counted, COUNTED,
        "only {counted} of {tried} rounds ran without the host taking the thread away"
    );
}

/// A goroutine whose timer comes due while goroutines that earlier timers woke still wait on its P
/// runs ahead of them, as Go's `runnext` does ("Under overload, the freshest wake-up first" in
/// `sched/timers/mod.rs`), and those then run in their deadlines' order: of a batch of three, the
/// first runs, then the later sleeper (3), then the other two.
#[test]
fn a_just_woken_sleeper_runs_ahead_of_sleepers_woken_earlier_that_still_wait() {
    let _w = Watchdog::new("freshest wake-up first", LIMIT);
    check_batch_then_one_more(3, |order| {
        assert_eq!(
            order,
            [0, 3, 1, 2],
            "the just-woken sleeper (3) did not run right after the first of the batch, or the \
             batch lost its deadline order"
        );
    });
}

/// The same with more goroutines waiting than a local queue's bound (256): a firing takes every due
/// timer out of the heap at once, however many, so none is left there to come out before the later
/// sleeper (300), which runs right after the first of the batch; the rest follow in deadline order.
#[test]
fn a_just_woken_sleeper_runs_ahead_of_more_waiting_sleepers_than_a_local_queue_holds() {
    const BATCH: usize = 300;
    let _w = Watchdog::new("freshest wake-up first, large batch", LIMIT);
    check_batch_then_one_more(BATCH, |order| {
        let want: Vec<usize> = [0, BATCH].into_iter().chain(1..BATCH).collect();
        assert!(
            order == want,
            "the just-woken sleeper ({BATCH}) did not run right after the first of the batch, or \
             the batch lost its deadline order: {order:?}"
        );
    });
}

/// Many goroutines on every P sleep in a loop with short, varied sleeps: none wakes early, all finish.
#[test]
fn many_sleepers_on_every_p_never_wake_early() {
    let _w = Watchdog::new("many sleepers", LIMIT);
    for procs in [1, 2, 4] {
        let early = gort::Builder::new().max_procs(procs).run(|| {
            let early = Arc::new(AtomicUsize::new(0));
            let hs: Vec<_> = (0..2000u64)
                .map(|i| {
                    let early = early.clone();
                    gort::spawn(move || {
                        for k in 0..5 {
                            let d = Duration::from_micros((i * 37 + k * 101) % 2000);
                            let t0 = Instant::now();
                            sleep(d);
                            if t0.elapsed() < d {
                                early.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    })
                })
                .collect();
            hs.into_iter().for_each(|h| h.join().unwrap());
            early.load(Ordering::Relaxed)
        });
        assert_eq!(early, 0, "procs {procs}: sleeps ended early");
    }
}

/// Receives with a timeout that complete early (the timer is cancelled) do not disturb timers that
/// do fire, on any P.
#[test]
fn cancelled_timeouts_leave_other_timers_alone() {
    let _w = Watchdog::new("cancelled timeouts", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let ping: Chan<u32> = Chan::new(0);
        let pong: Chan<u32> = Chan::new(0);
        let (pi, po) = (ping.clone(), pong.clone());
        let echo = gort::spawn(move || {
            while let Some(v) = pi.recv() {
                po.send(v).unwrap();
            }
        });
        let start = Instant::now();
        let ticks = Ticker::new(Duration::from_millis(1));
        for i in 0..20_000 {
            ping.send(i).unwrap();
            assert_eq!(pong.recv_timeout(Duration::from_secs(3600)), Ok(i));
        }
        // The ticker, armed before all those cancelled timeouts, still ticks.
        let t = ticks.chan().recv().unwrap();
        assert!(t >= start + Duration::from_millis(1));
        ticks.stop();
        let slept = Instant::now();
        sleep(Duration::from_millis(2));
        assert!(slept.elapsed() >= Duration::from_millis(2));
        ping.close();
        echo.join().unwrap();
    });
}

/// A ticker started on a goroutine keeps ticking from whichever thread fires it (its P's M, sysmon,
/// an idle M), at increasing times, until stopped.
#[test]
fn tickers_on_several_ps_keep_ticking() {
    let _w = Watchdog::new("tickers", LIMIT);
    gort::Builder::new().max_procs(2).run(|| {
        let hs: Vec<_> = (0..8)
            .map(|_| {
                gort::spawn(|| {
                    let t = Ticker::new(Duration::from_micros(500));
                    let mut last = Instant::now();
                    for _ in 0..20 {
                        let at = t.chan().recv().unwrap();
                        assert!(at > last);
                        last = at;
                    }
                    t.stop();
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
    });
}

/// Main returns while goroutines sleep for an hour and timer channels are pending on every P: `run`
/// returns at once, and the runtime is freed (its timers do not keep it alive).
#[test]
fn ending_with_pending_timers_is_clean() {
    let _w = Watchdog::new("pending timers at the end", LIMIT);
    let weak = Arc::new(Mutex::new(None));
    let w = weak.clone();
    let start = Instant::now();
    gort::Builder::new().max_procs(2).run(move || {
        let marker = Arc::new(());
        *w.lock().unwrap() = Some(Arc::downgrade(&marker));
        for i in 0..200 {
            let m = marker.clone();
            drop(gort::spawn(move || {
                let _m = m;
                if i % 2 == 0 {
                    sleep(Duration::from_secs(3600));
                } else {
                    let _ = after(Duration::from_secs(3600)).recv();
                }
            }));
        }
        let _pending = after(Duration::from_secs(3600));
        sleep(Duration::from_millis(20));
    });
    assert!(start.elapsed() < Duration::from_secs(30));
    let weak = weak.lock().unwrap().take().unwrap();
    assert!(
        weak.upgrade().is_none(),
        "goroutines' captures outlived the runtime"
    );
}
