//! `gort::sync`: Go's sync package semantics.

mod common;

use common::{go, panic_message};
use gort::sync::{Condvar, Mutex, Once, RwLock, Semaphore, WaitGroup};
use gort::Chan;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[test]
fn mutex_excludes_and_counts_exactly() {
    let m = Arc::new(Mutex::new(0u64));
    let n = if cfg!(debug_assertions) {
        2_000
    } else {
        20_000
    };
    let hs: Vec<_> = (0..8)
        .map(|_| {
            let m = m.clone();
            go(move || {
                for _ in 0..n {
                    let mut g = m.lock();
                    let v = *g;
                    std::hint::black_box(&mut *g);
                    *g = v + 1;
                }
            })
        })
        .collect();
    hs.into_iter().for_each(|h| h.join().unwrap());
    assert_eq!(*m.lock(), 8 * n);
}

/// Go's TestMutexFairness: a goroutine that holds the lock almost always cannot starve another.
#[test]
fn mutex_waiter_is_not_starved_by_a_greedy_holder() {
    let mu = Arc::new(Mutex::new(()));
    let stop = Arc::new(AtomicBool::new(false));
    let (m1, s1) = (mu.clone(), stop.clone());
    let greedy = go(move || {
        while !s1.load(Ordering::Relaxed) {
            let g = m1.lock();
            std::thread::sleep(Duration::from_micros(100));
            drop(g);
        }
    });
    let done: Chan<()> = Chan::new(1);
    let (m2, d2) = (mu.clone(), done.clone());
    go(move || {
        for _ in 0..10 {
            std::thread::sleep(Duration::from_micros(100));
            drop(m2.lock());
        }
        d2.send(()).unwrap();
    });
    let r = done.recv_timeout(Duration::from_secs(10));
    stop.store(true, Ordering::Relaxed);
    greedy.join().unwrap();
    assert!(r.is_ok(), "can't acquire Mutex in 10 seconds");
}

/// Harsher than Go's test: the greedy holder re-locks immediately after unlocking, so without a handoff
/// the woken waiter (which needs a thread wake-up to run) would almost always find the lock taken again.
#[test]
fn mutex_waiter_is_not_starved_by_a_holder_that_relocks_at_once() {
    let mu = Arc::new(Mutex::new(()));
    let stop = Arc::new(AtomicBool::new(false));
    let (m1, s1) = (mu.clone(), stop.clone());
    let greedy_started = Arc::new(AtomicBool::new(false));
    let started = greedy_started.clone();
    let greedy = go(move || {
        let mut n = 0u64;
        while !s1.load(Ordering::Relaxed) {
            n += 1;
            let g = m1.lock();
            started.store(true, Ordering::Relaxed);
            let t = std::time::Instant::now();
            while t.elapsed() < Duration::from_micros(20) {
                std::hint::spin_loop();
            }
            drop(g);
        }
        n
    });
    common::wait_for("the greedy thread to take the lock", || {
        greedy_started.load(Ordering::Relaxed).then_some(())
    });
    let start = std::time::Instant::now();
    for _ in 0..20 {
        drop(mu.lock());
    }
    let took = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    let n = greedy.join().unwrap();
    eprintln!("20 contended locks took {took:?}; greedy locked {n} times");
    assert!(took < Duration::from_secs(10), "waiter starved: {took:?}");
}

#[test]
fn mutex_does_not_poison() {
    let m = Arc::new(Mutex::new(1));
    let m1 = m.clone();
    let r = go(move || {
        let _g = m1.lock();
        panic!("boom");
    })
    .join();
    assert!(r.is_err());
    assert_eq!(*m.lock(), 1);
}

#[test]
fn try_lock_fails_while_held() {
    let m = Mutex::new(());
    let g = m.lock();
    assert!(m.try_lock().is_none());
    drop(g);
    assert!(m.try_lock().is_some());
}

#[test]
fn rwlock_admits_readers_together_and_writers_alone() {
    let l = Arc::new(RwLock::new(0));
    let r1 = l.read();
    let r2 = l.read();
    assert!(l.try_write().is_none());
    let l1 = l.clone();
    let w = go(move || {
        *l1.write() += 1;
    });
    // Once the writer waits, new readers queue behind it (Go's writer preference). Wait for that
    // (a loaded machine may take a while to start the writer's thread), but not forever.
    common::wait_for("new readers to queue behind the waiting writer", || {
        l.try_read().is_none().then_some(())
    });
    drop(r1);
    drop(r2);
    w.join().unwrap();
    assert_eq!(*l.read(), 1);
}

#[test]
fn rwlock_counts_exactly_under_mixed_load() {
    let l = Arc::new(RwLock::new((0u64, 0u64)));
    let n = if cfg!(debug_assertions) { 500 } else { 5_000 };
    let mut hs = Vec::new();
    for i in 0..6 {
        let l = l.clone();
        hs.push(go(move || {
            for _ in 0..n {
                if i % 2 == 0 {
                    let mut g = l.write();
                    g.0 += 1;
                    g.1 += 1;
                } else {
                    let g = l.read();
                    assert_eq!(g.0, g.1, "a reader saw a half-done write");
                }
            }
        }));
    }
    hs.into_iter().for_each(|h| h.join().unwrap());
    assert_eq!(l.read().0, 3 * n);
}

#[test]
fn waitgroup_waits_for_every_done() {
    let wg = Arc::new(WaitGroup::new());
    let count = Arc::new(AtomicUsize::new(0));
    for _ in 0..10 {
        wg.add(1);
        let (wg, count) = (wg.clone(), count.clone());
        go(move || {
            std::thread::sleep(Duration::from_millis(1));
            count.fetch_add(1, Ordering::SeqCst);
            wg.done();
        });
    }
    wg.wait();
    assert_eq!(count.load(Ordering::SeqCst), 10);
}

#[test]
fn waitgroup_releases_every_waiter() {
    let wg = Arc::new(WaitGroup::new());
    wg.add(1);
    let hs: Vec<_> = (0..5)
        .map(|_| {
            let wg = wg.clone();
            go(move || wg.wait())
        })
        .collect();
    hs.iter().for_each(common::Task::wait_blocked);
    wg.done();
    hs.into_iter().for_each(|h| h.join().unwrap());
}

#[test]
#[should_panic(expected = "sync: negative WaitGroup counter")]
fn waitgroup_negative_counter_panics_with_gos_message() {
    let wg = WaitGroup::new();
    wg.add(1);
    wg.done();
    wg.done();
}

#[test]
fn waitgroup_reused_round_after_round_wakes_every_waiter() {
    // Waiters register while workers finish: a waiter that slipped between the counter reaching
    // zero and its own registration would sleep forever (the runtime reports the deadlock).
    let rounds = if cfg!(debug_assertions) { 300 } else { 3_000 };
    gort::Builder::new().max_procs(2).run(move || {
        let wg = Arc::new(WaitGroup::new());
        for round in 0..rounds {
            let workers = 1 + round % 8;
            wg.add(workers as isize);
            let done = Arc::new(AtomicUsize::new(0));
            for _ in 0..workers {
                let (wg, done) = (wg.clone(), done.clone());
                gort::go(move || {
                    done.fetch_add(1, Ordering::SeqCst);
                    wg.done();
                });
            }
            let waiters: Vec<_> = (0..3)
                .map(|_| {
                    let (wg, done) = (wg.clone(), done.clone());
                    gort::spawn(move || {
                        wg.wait();
                        done.load(Ordering::SeqCst)
                    })
                })
                .collect();
            wg.wait();
            for w in waiters {
                assert_eq!(
                    w.join().unwrap(),
                    workers,
                    "a waiter returned before every done"
                );
            }
        }
    });
}

#[test]
fn waitgroup_stays_usable_after_a_counter_panic() {
    let wg = WaitGroup::new();
    let negative = std::panic::catch_unwind(|| wg.done()).unwrap_err();
    assert_eq!(
        panic_message(&*negative),
        "sync: negative WaitGroup counter"
    );
    wg.add(i32::MAX as isize);
    let overflow = std::panic::catch_unwind(|| wg.add(1)).unwrap_err();
    assert_eq!(
        panic_message(&*overflow),
        "sync: WaitGroup counter overflow"
    );
    // Neither panic changed the counter.
    wg.add(-(i32::MAX as isize) + 1);
    let wg = Arc::new(wg);
    let w = wg.clone();
    let waiter = go(move || w.wait());
    waiter.wait_blocked();
    assert!(!waiter.is_finished(), "the counter is still one");
    wg.done();
    waiter.join().unwrap();
}

#[test]
fn once_runs_exactly_once_and_others_wait_for_it() {
    let once = Arc::new(Once::new());
    let runs = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..8)
        .map(|_| {
            let (once, runs) = (once.clone(), runs.clone());
            go(move || {
                once.call_once(|| {
                    std::thread::sleep(Duration::from_millis(2));
                    runs.fetch_add(1, Ordering::SeqCst);
                });
                // Whoever returns sees the effect.
                assert_eq!(runs.load(Ordering::SeqCst), 1);
            })
        })
        .collect();
    hs.into_iter().for_each(|h| h.join().unwrap());
    assert!(once.is_completed());
}

#[test]
fn once_whose_function_panicked_counts_as_done_like_go() {
    let once = Once::new();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        once.call_once(|| panic!("init failed"))
    }));
    assert!(r.is_err());
    let mut ran = false;
    once.call_once(|| ran = true);
    assert!(!ran);
}

#[test]
fn condvar_wakes_one_or_all() {
    let s = Arc::new((Mutex::new(0usize), Condvar::new()));
    let woke = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..4)
        .map(|_| {
            let (s, woke) = (s.clone(), woke.clone());
            go(move || {
                let g = s.1.wait_while(s.0.lock(), |gen| *gen == 0);
                drop(g);
                woke.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    hs.iter().for_each(common::Task::wait_blocked);
    *s.0.lock() = 1;
    s.1.notify_all();
    hs.into_iter().for_each(|h| h.join().unwrap());
    assert_eq!(woke.load(Ordering::SeqCst), 4);
}

#[test]
fn condvar_producer_consumer_loses_no_item() {
    let s = Arc::new((Mutex::new(Vec::<usize>::new()), Condvar::new()));
    let n = 10_000;
    let s1 = s.clone();
    let consumer = go(move || {
        let mut sum = 0;
        let mut got = 0;
        while got < n {
            let mut g = s1.1.wait_while(s1.0.lock(), |q| q.is_empty());
            for v in g.drain(..) {
                sum += v;
                got += 1;
            }
        }
        sum
    });
    for i in 0..n {
        s.0.lock().push(i);
        s.1.notify_one();
    }
    assert_eq!(consumer.join().unwrap(), n * (n - 1) / 2);
}

#[test]
fn semaphore_bounds_concurrency() {
    let sem = Arc::new(Semaphore::new(3));
    let inside = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..12)
        .map(|_| {
            let (sem, inside, max) = (sem.clone(), inside.clone(), max.clone());
            go(move || {
                for _ in 0..50 {
                    sem.acquire();
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    max.fetch_max(now, Ordering::SeqCst);
                    std::thread::yield_now();
                    inside.fetch_sub(1, Ordering::SeqCst);
                    sem.release();
                }
            })
        })
        .collect();
    hs.into_iter().for_each(|h| h.join().unwrap());
    assert!(max.load(Ordering::SeqCst) <= 3);
    assert_eq!(sem.available_permits(), 3);
}

#[test]
fn semaphore_serves_waiters_first_come_first_served() {
    let sem = Arc::new(Semaphore::new(0));
    let order: Chan<usize> = Chan::new(4);
    let mut hs = Vec::new();
    for i in 0..4 {
        let (sem2, order) = (sem.clone(), order.clone());
        hs.push(go(move || {
            sem2.acquire();
            order.send(i).unwrap();
            sem2.release();
        }));
        // Each waiter queues before the next one starts (however long its thread takes to start).
        common::wait_for(&format!("waiter {i} to queue"), || {
            (sem.waiters() > i).then_some(())
        });
    }
    sem.release();
    hs.into_iter().for_each(|h| h.join().unwrap());
    order.close();
    assert_eq!(order.iter().collect::<Vec<_>>(), [0, 1, 2, 3]);
}
