//! `gort::dump()` in Go's layout (semantics 4.5).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{Gate, Watchdog};

/// The block of goroutine `id` in `dump`.
fn block(dump: &str, id: u64) -> String {
    let head = format!("goroutine {id} [");
    let start = dump
        .find(&head)
        .unwrap_or_else(|| panic!("no goroutine {id} in:\n{dump}"));
    let rest = &dump[start..];
    let end = rest.find("\n\n").map_or(rest.len(), |e| e + 1);
    rest[..end].to_string()
}

#[test]
fn dump_lists_every_goroutine_in_gos_layout() {
    let _w = Watchdog::new("dump", Duration::from_secs(60));
    gort::Builder::new().max_procs(2).run(|| {
        let ch: gort::Chan<()> = gort::Chan::new(0);
        let mutex = Arc::new(gort::sync::Mutex::new(()));
        let wg = Arc::new(gort::sync::WaitGroup::new());
        wg.add(1);
        let started = Arc::new(AtomicUsize::new(0));

        let (c2, s2) = (ch.clone(), started.clone());
        let recv = gort::spawn(move || {
            s2.fetch_add(1, Ordering::SeqCst);
            c2.recv()
        });
        let held = mutex.lock();
        let (m2, s2) = (mutex.clone(), started.clone());
        let wired = gort::spawn(move || {
            gort::lock_os_thread();
            s2.fetch_add(1, Ordering::SeqCst);
            drop(m2.lock());
        });
        // A goroutine spawned by a goroutine, waiting on a WaitGroup; its parent waits on a join.
        let child_id = Arc::new(AtomicUsize::new(0));
        let (w2, s2, c3) = (wg.clone(), started.clone(), child_id.clone());
        let parent = gort::spawn(move || {
            let child = gort::spawn(move || {
                c3.store(gort::goroutine_id() as usize, Ordering::SeqCst);
                s2.fetch_add(1, Ordering::SeqCst);
                w2.wait();
            });
            child.join()
        });
        let gate = Gate::new();
        let (g3, s3) = (gate.clone(), started.clone());
        let in_syscall = gort::spawn(move || {
            gort::syscall(|| {
                s3.fetch_add(1, Ordering::SeqCst);
                // Bounded: if an assertion fails, main's panic must not wait on us for ever.
                let t = std::time::Instant::now();
                while !g3.is_open() && t.elapsed() < Duration::from_secs(10) {
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        });
        while started.load(Ordering::SeqCst) < 4 {
            gort::yield_now();
        }
        // Let them reach their blocking points.
        let child = child_id.load(Ordering::SeqCst) as u64;
        common::wait_goroutine_waiting(recv.id(), "chan receive");
        common::wait_goroutine_waiting(wired.id(), "sync.Mutex.Lock");
        common::wait_goroutine_waiting(parent.id(), "semacquire");
        common::wait_goroutine_waiting(child, "sync.WaitGroup.Wait");
        common::wait_goroutine_waiting(in_syscall.id(), "syscall");
        let d = gort::dump();

        assert!(d.starts_with("goroutine 1 [running]:\n"), "{d}");
        let b = block(&d, recv.id());
        assert!(
            b.starts_with(&format!("goroutine {} [chan receive]:\n", recv.id())),
            "{b}"
        );
        assert!(
            b.contains(&format!("gort: blocked at\n\t{}:", file!())),
            "{b}"
        );
        assert!(
            b.contains(&format!(
                "created by gort::spawn in goroutine 1\n\t{}",
                file!()
            )),
            "{b}"
        );
        let b = block(&d, wired.id());
        assert!(
            b.starts_with(&format!(
                "goroutine {} [sync.Mutex.Lock, locked to thread]:\n",
                wired.id()
            )),
            "{b}"
        );
        let b = block(&d, parent.id());
        assert!(
            b.starts_with(&format!("goroutine {} [semacquire]:\n", parent.id())),
            "{b}"
        );
        assert!(
            b.contains(&format!("gort: blocked at\n\t{}:", file!())),
            "join's location is the caller's: {b}"
        );
        let b = block(&d, child);
        assert!(
            b.starts_with(&format!("goroutine {child} [sync.WaitGroup.Wait]:\n")),
            "{b}"
        );
        assert!(
            b.contains(&format!(
                "created by gort::spawn in goroutine {}\n",
                parent.id()
            )),
            "{b}"
        );
        let b = block(&d, in_syscall.id());
        assert!(
            b.starts_with(&format!("goroutine {} [syscall]:\n", in_syscall.id())),
            "{b}"
        );
        assert!(!d.contains("minutes"), "no wait has lasted a minute: {d}");
        // Blocks are in id order, separated by one blank line.
        let ids: Vec<u64> = d
            .lines()
            .filter_map(|l| {
                l.strip_prefix("goroutine ")?
                    .split(' ')
                    .next()?
                    .parse()
                    .ok()
            })
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert_eq!(ids.len(), 6);
        assert_eq!(d.matches("\n\ngoroutine ").count(), 5, "{d}");

        ch.send(()).unwrap();
        drop(held);
        wg.done();
        gate.open();
        recv.join().unwrap();
        wired.join().unwrap();
        parent.join().unwrap().unwrap();
        in_syscall.join().unwrap();
    });
}

#[test]
fn dump_from_a_wired_main_says_locked_to_thread() {
    gort::run(|| {
        gort::lock_os_thread();
        assert!(
            gort::dump().starts_with("goroutine 1 [running, locked to thread]:\n"),
            "{}",
            gort::dump()
        );
    });
}
