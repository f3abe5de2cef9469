//! Goroutines that reuse an exited goroutine's G (free lists), unlist it lazily (the registry's batched
//! removal), or keep their wired thread's P while they wait: none of it shows. A reused G starts like a
//! new one, the dump and `num_goroutine` list exactly the live goroutines, results reach their joiners,
//! and wired goroutines that hand work back and forth stay on their threads.

mod common;

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Watchdog;
use gort::sync::WaitGroup;
use gort::Chan;

gort::goroutine_local! {
    static TOUCHED: Cell<u64> = Cell::new(0);
}

#[test]
fn a_goroutine_on_a_reused_g_starts_clean() {
    let _w = Watchdog::new("reused Gs", Duration::from_secs(60));
    for procs in [1, 2] {
        let dirty = Arc::new(AtomicUsize::new(0));
        let ids = Arc::new(Mutex::new(HashSet::new()));
        let (d, i) = (dirty.clone(), ids.clone());
        gort::Builder::new().max_procs(procs).run(move || {
            for round in 0..20 {
                let wg = Arc::new(WaitGroup::new());
                wg.add(500);
                for k in 0..500u64 {
                    let (d, i, wg) = (d.clone(), i.clone(), wg.clone());
                    // Detached: their Gs go back to the free lists as they exit.
                    drop(gort::spawn(move || {
                        let clean = TOUCHED.with(|t| t.get()) == 0
                            && !gort::is_locked_to_thread()
                            && gort::goroutine_id() > 1;
                        if !clean {
                            d.fetch_add(1, Ordering::SeqCst);
                        }
                        TOUCHED.with(|t| t.set(k + 1));
                        // Leave some of them wired, and some of them nested, at exit.
                        if k % 7 == 0 {
                            gort::lock_os_thread();
                        }
                        assert!(i.lock().unwrap().insert(gort::goroutine_id()), "id reused");
                        if round % 2 == 0 {
                            gort::yield_now();
                        }
                        wg.done();
                    }));
                }
                wg.wait();
            }
        });
        assert_eq!(
            dirty.load(Ordering::SeqCst),
            0,
            "procs {procs}: a goroutine saw state left over"
        );
        assert_eq!(ids.lock().unwrap().len(), 20 * 500);
    }
}

#[test]
fn dump_and_num_goroutine_list_only_live_goroutines_after_churn() {
    let _w = Watchdog::new("dump after churn", Duration::from_secs(60));
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            // Churn: exited goroutines wait in their M's batch before they are unlisted.
            let hs: Vec<_> = (0..100).map(|i| gort::spawn(move || i)).collect();
            for (i, h) in hs.into_iter().enumerate() {
                assert_eq!(h.join().unwrap(), i);
            }
            for _ in 0..10 {
                drop(gort::spawn(|| ()));
            }
            gort::yield_now();
            let block: Chan<()> = Chan::new(0);
            let parked: Vec<_> = (0..3)
                .map(|_| {
                    let b = block.clone();
                    gort::spawn(move || b.recv())
                })
                .collect();
            // Wait until the detached ones are gone and the three are parked.
            assert!(common::wait_until(Duration::from_secs(30), || {
                gort::yield_now();
                gort::num_goroutine() == 4 && gort::dump().matches("[chan receive").count() == 3
            }));
            let dump = gort::dump();
            let listed =
                dump.matches("\ngoroutine ").count() + dump.starts_with("goroutine ") as usize;
            assert_eq!(listed, 4, "main and the three parked ones only:\n{dump}");
            block.close();
            for p in parked {
                assert_eq!(p.join().unwrap(), None);
            }
        });
    }
}

#[test]
fn joined_results_survive_the_reuse_of_other_goroutines_gs() {
    let _w = Watchdog::new("results", Duration::from_secs(60));
    gort::Builder::new().max_procs(2).run(|| {
        let kept: Vec<_> = (0..2000u64).map(|i| gort::spawn(move || i * 3)).collect();
        // Churn through the free lists while the kept goroutines' results wait in their Gs.
        let wg = Arc::new(WaitGroup::new());
        wg.add(5000);
        for _ in 0..5000 {
            let wg = wg.clone();
            drop(gort::spawn(move || wg.done()));
        }
        wg.wait();
        for (i, h) in kept.into_iter().enumerate().rev() {
            assert_eq!(h.join().unwrap(), i as u64 * 3);
        }
    });
}

#[test]
fn wired_goroutines_taking_turns_stay_on_their_threads() {
    let _w = Watchdog::new("wired turns", Duration::from_secs(60));
    for procs in [1, 2, 3] {
        gort::Builder::new().max_procs(procs).run(|| {
            let (ping, pong): (Chan<u64>, Chan<u64>) = (Chan::new(0), Chan::new(0));
            let (ping2, pong2) = (ping.clone(), pong.clone());
            let other = gort::spawn(move || {
                gort::lock_os_thread();
                let tid = gort::thread_id();
                for v in &ping2 {
                    assert_eq!(gort::thread_id(), tid, "the wired goroutine moved");
                    pong2.send(v + 1).unwrap();
                }
            });
            gort::lock_os_thread();
            let tid = gort::thread_id();
            let mut v = 0;
            for _ in 0..20_000 {
                ping.send(v).unwrap();
                v = pong.recv().unwrap();
                assert_eq!(gort::thread_id(), tid, "the wired main goroutine moved");
            }
            assert_eq!(v, 20_000);
            ping.close();
            other.join().unwrap();
            gort::unlock_os_thread();
        });
    }
}

#[test]
fn goroutines_started_with_go_run_and_leave_nothing_behind() {
    let _w = Watchdog::new("go", Duration::from_secs(60));
    for procs in [1, 2] {
        let ran = Arc::new(AtomicUsize::new(0));
        let r = ran.clone();
        gort::Builder::new().max_procs(procs).run(move || {
            let wg = Arc::new(WaitGroup::new());
            wg.add(10_000);
            for i in 0..10_000usize {
                let (r, wg) = (r.clone(), wg.clone());
                gort::go(move || {
                    if i % 1000 == 0 {
                        // A panicking one is reported by the hook and takes nothing else down.
                        wg.done();
                        panic!("goroutine {i} panics on purpose");
                    }
                    r.fetch_add(1, Ordering::SeqCst);
                    wg.done();
                });
            }
            wg.wait();
            assert!(common::wait_until(Duration::from_secs(30), || {
                gort::yield_now();
                gort::num_goroutine() == 1
            }));
        });
        assert_eq!(ran.load(Ordering::SeqCst), 10_000 - 10);
    }
}
