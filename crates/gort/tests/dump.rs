//! `gort::dump()` in Go's layout (semantics 4.5).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{Gate, Watchdog};
use gort::__private::WaitReason;

/// The block of goroutine `id` in `dump`.
fn block(dump: &str, id: u64) -> String {
    let head = format!("goroutine {id} [");
    let start = dump.find(&head).unwrap_or_else(|| panic!("no goroutine {id} in:\n{dump}"));
    let rest = &dump[start..];
    let end = rest.find("\n\n").map_or(rest.len(), |e| e + 1);
    rest[..end].to_string()
}

#[test]
fn dump_lists_every_goroutine_in_gos_layout() {
    let _w = Watchdog::new("dump", Duration::from_secs(60));
    gort::Builder::new().max_procs(2).run(|| {
        let gate = Gate::new();
        let parked = Arc::new(AtomicUsize::new(0));
        let spawn_parked = |reason: WaitReason, wired: bool| {
            let (gate, parked) = (gate.clone(), parked.clone());
            gort::spawn(move || {
                if wired {
                    gort::lock_os_thread();
                }
                parked.fetch_add(1, Ordering::SeqCst);
                gate.wait_as(reason);
            })
        };
        let recv = spawn_parked(WaitReason::ChanReceive, false);
        let wired = spawn_parked(WaitReason::MutexLock, true);
        let g2 = gate.clone();
        let p2 = parked.clone();
        let child_id = Arc::new(AtomicUsize::new(0));
        let c2 = child_id.clone();
        // A goroutine spawned by a goroutine, waiting on a join.
        let parent = gort::spawn(move || {
            let child = gort::spawn(move || {
                c2.store(gort::goroutine_id() as usize, Ordering::SeqCst);
                p2.fetch_add(1, Ordering::SeqCst);
                g2.wait_as(WaitReason::Sleep);
            });
            let id = child.id();
            (id, child.join())
        });
        let (g3, p3) = (gate.clone(), parked.clone());
        let in_syscall = gort::spawn(move || {
            gort::syscall(|| {
                p3.fetch_add(1, Ordering::SeqCst);
                // Bounded: if an assertion fails, main's panic must not wait on us for ever.
                let t = std::time::Instant::now();
                while !g3.is_open() && t.elapsed() < Duration::from_secs(10) {
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        });
        while parked.load(Ordering::SeqCst) < 4 {
            gort::yield_now();
        }
        gort::syscall(|| std::thread::sleep(Duration::from_millis(20)));
        let d = gort::dump();

        assert!(d.starts_with("goroutine 1 [running]:\n"), "{d}");
        let b = block(&d, recv.id());
        assert!(b.starts_with(&format!("goroutine {} [chan receive]:\n", recv.id())), "{b}");
        assert!(b.contains("gort: blocked at\n\t"), "{b}");
        assert!(b.contains(&format!("created by gort::spawn in goroutine 1\n\t{}", file!())), "{b}");
        let b = block(&d, wired.id());
        assert!(b.starts_with(&format!("goroutine {} [sync.Mutex.Lock, locked to thread]:\n", wired.id())), "{b}");
        let b = block(&d, parent.id());
        assert!(b.starts_with(&format!("goroutine {} [semacquire]:\n", parent.id())), "{b}");
        assert!(b.contains(&format!("gort: blocked at\n\t{}:", file!())), "join's location is the caller's: {b}");
        let child = child_id.load(Ordering::SeqCst) as u64;
        let b = block(&d, child);
        assert!(b.starts_with(&format!("goroutine {child} [sleep]:\n")), "{b}");
        assert!(b.contains(&format!("created by gort::spawn in goroutine {}\n", parent.id())), "{b}");
        let b = block(&d, in_syscall.id());
        assert!(b.starts_with(&format!("goroutine {} [syscall]:\n", in_syscall.id())), "{b}");
        assert!(!d.contains("minutes"), "no wait has lasted a minute: {d}");
        // Blocks are in id order, separated by one blank line.
        let ids: Vec<u64> = d
            .lines()
            .filter_map(|l| l.strip_prefix("goroutine ")?.split(' ').next()?.parse().ok())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert_eq!(ids.len(), 6);
        assert_eq!(d.matches("\n\ngoroutine ").count(), 5, "{d}");

        gate.open();
        recv.join().unwrap();
        wired.join().unwrap();
        let (_, r) = parent.join().unwrap();
        r.unwrap();
        in_syscall.join().unwrap();
    });
}

#[test]
fn dump_from_a_wired_main_says_locked_to_thread() {
    gort::run(|| {
        gort::lock_os_thread();
        assert!(gort::dump().starts_with("goroutine 1 [running, locked to thread]:\n"), "{}", gort::dump());
    });
}
