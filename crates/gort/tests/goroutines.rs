//! Channels, select, timers and sync used by goroutines under `gort::run` (max_procs 1 and 2): they park
//! the goroutine, not the thread; the deadlock detector sees through them; cancellation at the end of
//! `run` leaves no waiter behind.

mod common;

use gort::sync::{Mutex, WaitGroup};
use gort::{select, spawn, Builder, Chan};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn on_procs(f: impl Fn() + Send + Sync + Clone + 'static) {
    for procs in [1, 2] {
        let f = f.clone();
        Builder::new().max_procs(procs).run(f);
    }
}

#[test]
fn goroutines_ping_pong_over_unbuffered_channels() {
    on_procs(|| {
        let (a, b): (Chan<u64>, Chan<u64>) = (Chan::new(0), Chan::new(0));
        let (a1, b1) = (a.clone(), b.clone());
        let h = spawn(move || {
            for v in &a1 {
                b1.send(v + 1).unwrap();
            }
        });
        let mut v = 0;
        for _ in 0..100_000 {
            a.send(v).unwrap();
            v = b.recv().unwrap();
        }
        assert_eq!(v, 100_000);
        a.close();
        h.join().unwrap();
    });
}

#[test]
fn goroutines_keep_go_chan_rules_for_small_capacities() {
    on_procs(|| {
        for cap in 0..20usize {
            // Receive from an empty channel blocks; close releases it.
            let c: Chan<usize> = Chan::new(cap);
            let got = Arc::new(AtomicBool::new(false));
            let (c1, g1) = (c.clone(), got.clone());
            let h = spawn(move || {
                let v = c1.recv();
                g1.store(true, Ordering::SeqCst);
                v
            });
            common::wait_goroutine_waiting(h.id(), "chan receive");
            assert!(
                !got.load(Ordering::SeqCst),
                "chan[{cap}]: receive from empty chan"
            );
            c.close();
            assert_eq!(h.join().unwrap(), None);

            // Send to a full channel blocks.
            let c: Chan<usize> = Chan::new(cap);
            (0..cap).for_each(|i| c.send(i).unwrap());
            let sent = Arc::new(AtomicBool::new(false));
            let (c1, s1) = (c.clone(), sent.clone());
            let h = spawn(move || {
                c1.send(cap).unwrap();
                s1.store(true, Ordering::SeqCst);
            });
            common::wait_goroutine_waiting(h.id(), "chan send");
            assert!(
                !sent.load(Ordering::SeqCst),
                "chan[{cap}]: send to full chan"
            );
            for i in 0..=cap {
                assert_eq!(c.recv(), Some(i));
            }
            h.join().unwrap();

            // 4 senders, 4 receivers, everything once.
            let c: Chan<usize> = Chan::new(cap);
            let total = Arc::new(AtomicUsize::new(0));
            let mut hs = Vec::new();
            for _ in 0..4 {
                let c1 = c.clone();
                hs.push(spawn(move || (1..=500).for_each(|i| c1.send(i).unwrap())));
                let (c2, t) = (c.clone(), total.clone());
                hs.push(spawn(move || {
                    for _ in 0..500 {
                        t.fetch_add(c2.recv().unwrap(), Ordering::SeqCst);
                    }
                }));
            }
            hs.into_iter().for_each(|h| h.join().unwrap());
            assert_eq!(total.load(Ordering::SeqCst), 4 * 500 * 501 / 2);
        }
    });
}

#[test]
fn goroutine_select_is_fair_among_ready_cases() {
    on_procs(|| {
        const TRIALS: usize = 10_000;
        let c1: Chan<u8> = Chan::new(TRIALS + 1);
        let c2: Chan<u8> = Chan::new(TRIALS + 1);
        for _ in 0..TRIALS + 1 {
            c1.send(1).unwrap();
            c2.send(2).unwrap();
        }
        let (c3, c4): (Chan<u8>, Chan<u8>) = (Chan::new(0), Chan::new(0));
        let out: Chan<u8> = Chan::new(0);
        let done: Chan<u8> = Chan::new(0);
        let (o, d) = (out.clone(), done.clone());
        let h = spawn(move || loop {
            let b = select! {
                recv(c3) -> b => b,
                recv(c4) -> b => b,
                recv(c1) -> b => b,
                recv(c2) -> b => b,
            };
            select! {
                send(o, b.unwrap()) -> _ => {},
                recv(d) -> _ => return,
            }
        });
        let mut cnt1 = 0;
        for _ in 0..TRIALS {
            if out.recv() == Some(1) {
                cnt1 += 1;
            }
        }
        let e = (cnt1 as f64 / TRIALS as f64 - 0.5).abs();
        assert!(
            e <= 4.891676 / (2.0 * (TRIALS as f64).sqrt()),
            "unfair select: {cnt1} of {TRIALS}"
        );
        done.close();
        h.join().unwrap();
    });
}

#[test]
fn goroutine_never_receives_its_own_send_in_select() {
    on_procs(|| {
        for cap in [0usize, 10] {
            let c: Chan<usize> = Chan::new(cap);
            let hs: Vec<_> = (0..2usize)
                .map(|p| {
                    let c = c.clone();
                    spawn(move || {
                        for i in 0..1000 {
                            let got = if p == 0 || i % 2 == 0 {
                                select! { send(c, p) -> _ => None, recv(c) -> v => v }
                            } else {
                                select! { recv(c) -> v => v, send(c, p) -> _ => None }
                            };
                            assert!(!(cap == 0 && got == Some(p)), "self receive");
                        }
                    })
                })
                .collect();
            hs.into_iter().for_each(|h| h.join().unwrap());
        }
    });
}

#[test]
fn goroutine_selects_and_plain_operations_interleave_without_deadlock() {
    on_procs(|| common::go_ports::select_stress(5000));
}

#[test]
fn goroutine_multi_consumer_every_value_arrives_once() {
    on_procs(|| common::go_ports::multi_consumer(50_000));
}

#[test]
fn goroutine_timer_case_fires_while_other_cases_stay_busy() {
    on_procs(|| {
        let done: Chan<bool> = Chan::new(0);
        let c: Chan<bool> = Chan::new(0);
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let (done, c) = (done.clone(), c.clone());
                spawn(move || loop {
                    select! {
                        send(c, true) -> _ => {},
                        recv(done) -> _ => return,
                    }
                })
            })
            .collect();
        let timer = gort::time::after(Duration::from_millis(20));
        loop {
            let fired = select! { recv(c) -> _ => false, recv(timer) -> _ => true };
            if fired {
                break;
            }
        }
        done.close();
        hs.into_iter().for_each(|h| h.join().unwrap());
    });
}

/// Go's TestBlockLocked: a wired goroutine blocks on channels like any other.
#[test]
fn wired_goroutine_uses_channels_like_any_other() {
    on_procs(|| {
        const N: usize = 100;
        let c: Chan<bool> = Chan::new(0);
        let c1 = c.clone();
        let h = spawn(move || {
            gort::lock_os_thread();
            let tid = gort::thread_id();
            for _ in 0..N {
                c1.send(true).unwrap();
                assert_eq!(gort::thread_id(), tid);
            }
            gort::unlock_os_thread();
        });
        for _ in 0..N {
            c.recv().unwrap();
        }
        h.join().unwrap();
        // And the other way round, with select and a timer.
        let c1 = c.clone();
        let h = spawn(move || {
            gort::lock_os_thread();
            let mut n = 0;
            while n < N {
                select! {
                    recv(c1) -> _ => n += 1,
                    recv(gort::time::after(Duration::from_micros(50))) -> _ => {},
                }
            }
            gort::unlock_os_thread();
        });
        for _ in 0..N {
            c.send(true).unwrap();
        }
        h.join().unwrap();
    });
}

#[test]
fn goroutine_sleep_and_timers_are_never_early() {
    on_procs(|| {
        let hs: Vec<_> = (0..100u64)
            .map(|i| {
                spawn(move || {
                    let d = Duration::from_micros(i * 53 % 3000);
                    let start = Instant::now();
                    if i % 2 == 0 {
                        gort::time::sleep(d);
                    } else {
                        assert!(gort::time::after(d).recv().unwrap() >= start + d);
                    }
                    assert!(start.elapsed() >= d);
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
    });
}

#[test]
fn goroutine_mutex_counts_exactly_and_waitgroup_waits() {
    on_procs(|| {
        let m = Arc::new(Mutex::new(0u64));
        let wg = Arc::new(WaitGroup::new());
        for _ in 0..50 {
            wg.add(1);
            let (m, wg) = (m.clone(), wg.clone());
            spawn(move || {
                for i in 0..1000 {
                    let mut g = m.lock();
                    *g += 1;
                    if i % 100 == 0 {
                        gort::yield_now(); // hold the lock across a scheduling point
                    }
                    drop(g);
                }
                wg.done();
            });
        }
        wg.wait();
        assert_eq!(*m.lock(), 50_000);
    });
}

#[test]
fn a_pending_timer_keeps_the_deadlock_detector_quiet() {
    on_procs(|| {
        let c: Chan<u8> = Chan::new(0);
        let c1 = c.clone();
        spawn(move || {
            gort::time::sleep(Duration::from_millis(30));
            c1.send(1).unwrap();
        });
        assert_eq!(c.recv(), Some(1));
        // Only a timer channel can wake main here.
        assert!(gort::time::after(Duration::from_millis(20))
            .recv()
            .is_some());
        let r = select! {
            recv(c) -> _ => false,
            default(Duration::from_millis(20)) => true,
        };
        assert!(r);
    });
}

fn deadlock_message(f: impl FnOnce() + Send + 'static) -> String {
    let r = catch_unwind(AssertUnwindSafe(|| Builder::new().max_procs(2).run(f)));
    let e = r.expect_err("run should report a deadlock");
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn goroutines_all_waiting_on_channels_report_a_deadlock_naming_the_waits() {
    let msg = deadlock_message(|| {
        let c: Chan<u8> = Chan::new(0);
        let c1 = c.clone();
        spawn(move || c1.send(1));
        let c2: Chan<u8> = Chan::new(0);
        let c3 = c2.clone();
        spawn(move || {
            select! {}
        });
        spawn(move || {
            select! { recv(c3) -> _ => {}, recv(c3) -> _ => {} }
        });
        let never: Chan<u8> = Chan::new(0);
        never.recv();
    });
    assert!(
        msg.contains("all goroutines are asleep - deadlock!"),
        "{msg}"
    );
    for reason in ["chan receive", "chan send", "select (no cases)", "[select"] {
        assert!(msg.contains(reason), "no {reason:?} in:\n{msg}");
    }
}

#[test]
fn goroutines_all_waiting_on_sync_report_a_deadlock_naming_the_waits() {
    let msg = deadlock_message(|| {
        let m = Arc::new(Mutex::new(()));
        let g = m.lock();
        let m1 = m.clone();
        let locker = spawn(move || drop(m1.lock()));
        let wg = Arc::new(WaitGroup::new());
        wg.add(1);
        let w1 = wg.clone();
        let group_waiter = spawn(move || w1.wait());
        let sem = Arc::new(gort::sync::Semaphore::new(0));
        let s1 = sem.clone();
        let acquirer = spawn(move || s1.acquire());
        let l = Arc::new(gort::sync::RwLock::new(()));
        let _w = l.write();
        let l1 = l.clone();
        let reader = spawn(move || drop(l1.read()));
        let cv = Arc::new(gort::sync::Condvar::new());
        let m2 = Arc::new(Mutex::new(()));
        let (cv1, m3) = (cv.clone(), m2.clone());
        let cond_waiter = spawn(move || drop(cv1.wait(m3.lock())));
        for (h, reason) in [
            (&locker, "sync.Mutex.Lock"),
            (&group_waiter, "sync.WaitGroup.Wait"),
            (&acquirer, "semacquire"),
            (&reader, "sync.RWMutex.RLock"),
            (&cond_waiter, "sync.Cond.Wait"),
        ] {
            common::wait_goroutine_waiting(h.id(), reason);
        }
        drop(l.write()); // main blocks on the write lock it holds: never
        drop(g);
    });
    assert!(
        msg.contains("all goroutines are asleep - deadlock!"),
        "{msg}"
    );
    for reason in [
        "sync.Mutex.Lock",
        "sync.WaitGroup.Wait",
        "semacquire",
        "sync.RWMutex.RLock",
        "sync.RWMutex.Lock",
        "sync.Cond.Wait",
    ] {
        assert!(msg.contains(reason), "no {reason:?} in:\n{msg}");
    }
}

#[test]
fn dump_names_channel_waits_in_gos_words() {
    Builder::new().max_procs(1).run(|| {
        let c: Chan<u8> = Chan::new(0);
        let c1 = c.clone();
        let receiver = spawn(move || c1.recv());
        let c2 = c.clone();
        let selector = spawn(move || {
            select! { recv(c2) -> _ => {}, default(Duration::from_secs(60)) => {} }
        });
        let sleeper = spawn(|| gort::time::sleep(Duration::from_secs(60)));
        common::wait_goroutine_waiting(receiver.id(), "chan receive");
        common::wait_goroutine_waiting(selector.id(), "select");
        common::wait_goroutine_waiting(sleeper.id(), "sleep");
        let d = gort::dump();
        for reason in ["[chan receive", "[select", "[sleep"] {
            assert!(d.contains(reason), "no {reason:?} in:\n{d}");
        }
        // Leaving `run` cancels the three; their waits are withdrawn (next test checks the channel).
    });
}

#[test]
fn cancelled_goroutines_leave_no_waiter_on_a_channel_that_outlives_run() {
    let c: Chan<String> = Chan::new(0);
    let m = Arc::new(Mutex::new(0));
    for procs in [1, 2] {
        let (c0, m0) = (c.clone(), m.clone());
        Builder::new().max_procs(procs).run(move || {
            for i in 0..10 {
                let c = c0.clone();
                spawn(move || c.recv());
                let c = c0.clone();
                spawn(move || c.send(format!("v{i}")));
                let c = c0.clone();
                spawn(move || {
                    select! { recv(c) -> _ => {}, send(c, "s".to_string()) -> _ => {}, }
                });
            }
            // Not all of them will pair up before main returns: whatever still waits is cancelled.
            let held = m0.lock();
            let m1 = m0.clone();
            let locker = spawn(move || drop(m1.lock()));
            common::wait_goroutine_waiting(locker.id(), "sync.Mutex.Lock");
            drop(held);
        });
    }
    // Every cancelled waiter withdrew: nobody is on the other side any more, and the mutex is free.
    assert!(c.try_send("x".into()).is_err());
    assert!(c.try_recv().is_err());
    assert!(m.try_lock().is_some());
    // And the channel still works normally.
    let c1 = c.clone();
    let t = std::thread::spawn(move || c1.recv());
    c.send("ok".into()).unwrap();
    assert_eq!(t.join().unwrap().as_deref(), Some("ok"));
}

/// A plain OS thread and goroutines on one channel, both directions. While the thread is *between* two
/// operations (running, not parked) it is invisible to the deadlock detector (semantics 4.3 counts only
/// blocked outside threads), so main keeps a timer pending while it waits instead of joining.
#[test]
fn goroutines_and_plain_threads_share_channels() {
    let c: Chan<u32> = Chan::new(0);
    let back: Chan<u32> = Chan::new(0);
    let (c1, b1) = (c.clone(), back.clone());
    let t = std::thread::spawn(move || {
        let sum = (0..1000).map(|_| c1.recv().unwrap()).sum::<u32>();
        for i in 0..1000 {
            b1.send(i).unwrap();
        }
        sum
    });
    Builder::new().max_procs(2).run(move || {
        let hs: Vec<_> = (0..10)
            .map(|k| {
                let (c, back) = (c.clone(), back.clone());
                spawn(move || {
                    (0..100).for_each(|i| c.send(i).unwrap());
                    if k == 0 {
                        assert_eq!(
                            (0..1000).map(|_| back.recv().unwrap()).sum::<u32>(),
                            999 * 500
                        );
                    }
                })
            })
            .collect();
        while !hs.iter().all(|h| h.is_finished()) {
            gort::time::sleep(Duration::from_millis(1));
        }
        hs.into_iter().for_each(|h| h.join().unwrap());
    });
    assert_eq!(t.join().unwrap(), 10 * 4950);
}

#[test]
fn a_goroutine_waiting_on_a_ticker_is_not_deadlocked() {
    on_procs(|| {
        let t = gort::time::Ticker::new(Duration::from_millis(3));
        let ch = t.chan();
        let mut last = Instant::now();
        for _ in 0..5 {
            let tick = ch.recv().unwrap();
            assert!(tick >= last);
            last = tick;
        }
        t.stop();
    });
}
