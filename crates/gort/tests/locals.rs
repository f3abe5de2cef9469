//! Goroutine-local storage moves with the goroutine across threads (semantics 5).

mod common;

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Watchdog;

gort::goroutine_local! {
    static MINE: Cell<u64> = Cell::new(0);
    static DROPS: Mutex<Option<DropProbe>> = Mutex::new(None);
}

struct DropProbe {
    owner: u64,
    log: Arc<Mutex<Vec<(u64, u64)>>>,
}

impl Drop for DropProbe {
    fn drop(&mut self) {
        self.log
            .lock()
            .unwrap()
            .push((self.owner, gort::goroutine_id()));
    }
}

#[test]
fn goroutine_local_moves_with_its_goroutine() {
    let _w = Watchdog::new("locals", Duration::from_secs(60));
    let migrations = Arc::new(AtomicUsize::new(0));
    let m = migrations.clone();
    gort::Builder::new().max_procs(4).run(move || {
        let stop = Arc::new(AtomicBool::new(false));
        let hs: Vec<_> = (0..40u64)
            .map(|k| {
                let (m, stop) = (m.clone(), stop.clone());
                gort::spawn(move || {
                    let me = gort::goroutine_id();
                    assert_eq!(
                        MINE.with(Cell::get),
                        0,
                        "a new goroutine starts with the initial value"
                    );
                    MINE.with(|c| c.set(me));
                    let mut tid = gort::thread_id();
                    for i in 0..200 {
                        match (i + k) % 3 {
                            0 => gort::yield_now(),
                            1 => gort::spawn(|| MINE.with(Cell::get))
                                .join()
                                .map(|v| assert_eq!(v, 0))
                                .unwrap(),
                            _ => gort::syscall(|| std::thread::sleep(Duration::from_micros(10))),
                        }
                        assert_eq!(
                            MINE.with(Cell::get),
                            me,
                            "goroutine {me} saw another goroutine's value"
                        );
                        if gort::thread_id() != tid {
                            tid = gort::thread_id();
                            m.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    while !stop.load(Ordering::Relaxed) {
                        gort::yield_now();
                    }
                })
            })
            .collect();
        gort::syscall(|| std::thread::sleep(Duration::from_millis(10)));
        stop.store(true, Ordering::Relaxed);
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(MINE.with(Cell::get), 0, "main's own value is untouched");
    });
    // Not a rule, but the test means little if nothing moved.
    eprintln!(
        "goroutine_local_moves_with_its_goroutine: {} migrations",
        migrations.load(Ordering::Relaxed)
    );
}

#[test]
fn goroutine_local_values_drop_on_their_goroutine_at_exit() {
    let _w = Watchdog::new("locals drop", Duration::from_secs(60));
    let log = Arc::new(Mutex::new(Vec::new()));
    let l = log.clone();
    gort::Builder::new().max_procs(2).run(move || {
        let hs: Vec<_> = (0..10)
            .map(|_| {
                let l = l.clone();
                gort::spawn(move || {
                    let owner = gort::goroutine_id();
                    DROPS.with(|d| *d.lock().unwrap() = Some(DropProbe { owner, log: l }));
                    gort::yield_now();
                    owner
                })
            })
            .collect();
        let mut owners: Vec<u64> = hs.into_iter().map(|h| h.join().unwrap()).collect();
        owners.sort();
        // The values are dropped as the goroutines exit (join may return just before).
        let mut n = 0;
        while l.lock().unwrap().len() < 10 && n < 1000 {
            gort::yield_now();
            n += 1;
        }
        let mut seen = l.lock().unwrap().clone();
        seen.sort();
        assert_eq!(seen.iter().map(|&(o, _)| o).collect::<Vec<_>>(), owners);
        for (owner, dropped_on) in seen {
            assert_eq!(
                owner, dropped_on,
                "goroutine {owner}'s local was dropped elsewhere"
            );
        }
    });
}

#[test]
fn goroutine_local_falls_back_to_the_thread_outside_a_runtime() {
    MINE.with(|c| c.set(77));
    assert_eq!(MINE.with(Cell::get), 77);
    let other = std::thread::spawn(|| MINE.with(Cell::get)).join().unwrap();
    assert_eq!(other, 0);
}
