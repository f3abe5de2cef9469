//! A goroutine that exits wired takes its thread down (semantics 2.5): Go's TestLockOSThreadExit and
//! TestLockOSThreadAvoidsStatePropagation. In a binary of its own: it reads process-wide thread state.

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{task_alive, tasks, wait_until, Watchdog};

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn wired_goroutine_exit_kills_its_thread() {
    let _w = Watchdog::new("wired exit", LIMIT);
    for procs in [1, 2] {
        gort::Builder::new().max_procs(procs).run(|| {
            // Main wires first, so the others cannot run on the calling thread (which is never exited,
            // see `wired_exit_on_the_calling_thread_retires_it`).
            gort::lock_os_thread();
            let main_tid = gort::thread_id();
            let mut dead = Vec::new();
            for _ in 0..5 {
                let tid = gort::spawn(|| {
                    gort::lock_os_thread();
                    gort::yield_now();
                    gort::thread_id()
                })
                .join()
                .unwrap();
                assert_ne!(tid, main_tid);
                let gone =
                    gort::syscall(|| wait_until(Duration::from_secs(10), || !task_alive(tid)));
                assert!(gone, "thread {tid} outlived its wired goroutine");
                dead.push(tid);
            }
            // The runtime goes on without those threads, and never runs a goroutine on them.
            let stop = Arc::new(AtomicBool::new(false));
            let hs: Vec<_> = (0..20)
                .map(|_| {
                    let stop = stop.clone();
                    gort::spawn(move || {
                        let mut tids = Vec::new();
                        while !stop.load(Ordering::Relaxed) {
                            tids.push(gort::thread_id());
                            gort::yield_now();
                        }
                        tids
                    })
                })
                .collect();
            gort::syscall(|| std::thread::sleep(Duration::from_millis(20)));
            stop.store(true, Ordering::Relaxed);
            for h in hs {
                for t in h.join().unwrap() {
                    assert!(!dead.contains(&t), "a goroutine ran on exited thread {t}");
                }
            }
        });
    }
}

#[test]
fn wired_goroutine_exit_does_not_leak_unshared_cwd() {
    let _w = Watchdog::new("state propagation", LIMIT);
    let orig = std::env::current_dir().unwrap();
    let tmp: PathBuf = std::env::temp_dir().join(format!("gort-wired-cwd-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let tmp = tmp.canonicalize().unwrap();
    let tmp2 = tmp.clone();
    gort::Builder::new().max_procs(2).run(move || {
        gort::lock_os_thread(); // keep the others off the calling thread (see above)
        let t = tmp2.clone();
        let (tid, cwd_inside) = gort::spawn(move || {
            gort::lock_os_thread();
            // SAFETY: unshare(CLONE_FS) only gives the calling thread its own copy of the fs info.
            let rc = unsafe { libc::unshare(libc::CLONE_FS) };
            // Checked before the chdir: without the unshare, chdir would move the whole process.
            assert_eq!(
                rc,
                0,
                "unshare(CLONE_FS): {}",
                std::io::Error::last_os_error()
            );
            std::env::set_current_dir(&t).unwrap();
            gort::yield_now();
            (gort::thread_id(), std::env::current_dir().unwrap())
            // exits wired: the thread must go with it
        })
        .join()
        .unwrap();
        assert_eq!(cwd_inside, tmp2);
        let gone = gort::syscall(|| wait_until(Duration::from_secs(10), || !task_alive(tid)));
        assert!(
            gone,
            "thread {tid} with the unshared cwd outlived its wired goroutine"
        );

        // No goroutine, wherever it runs, sees the other directory...
        let hs: Vec<_> = (0..50)
            .map(|_| {
                gort::spawn(|| {
                    let mut cwds = Vec::new();
                    for _ in 0..5 {
                        cwds.push(std::env::current_dir().unwrap());
                        gort::yield_now();
                    }
                    cwds
                })
            })
            .collect();
        for h in hs {
            for c in h.join().unwrap() {
                assert_eq!(
                    c, orig,
                    "the wired goroutine's cwd leaked to another goroutine"
                );
            }
        }
        // ...and no thread of the process has it.
        for t in tasks() {
            if let Ok(c) = std::fs::read_link(format!("/proc/self/task/{t}/cwd")) {
                assert_ne!(c, tmp2, "thread {t} has the wired goroutine's cwd");
            }
        }
    });
    let _ = std::fs::remove_dir(&tmp);
}

/// Semantics 2.5's exception: a goroutine that exits wired on the thread that called `run` does not
/// take that thread down, but the thread runs no goroutine again until `run` returns on it.
#[test]
fn wired_exit_on_the_calling_thread_retires_it() {
    let _w = Watchdog::new("wired exit on main thread", LIMIT);
    let caller = gort::thread_id();
    let n = gort::Builder::new().max_procs(1).run(|| {
        // With one P, the spawned goroutine runs on this thread when main blocks.
        let tid = gort::spawn(|| {
            gort::lock_os_thread();
            gort::thread_id()
        })
        .join()
        .unwrap();
        assert_eq!(
            tid, caller,
            "with max_procs 1 the goroutine runs on the calling thread"
        );
        assert_ne!(
            gort::thread_id(),
            caller,
            "main goroutine ran on the retired calling thread"
        );
        let hs: Vec<_> = (0..20)
            .map(|_| {
                gort::spawn(|| {
                    let mut tids = Vec::new();
                    for _ in 0..10 {
                        tids.push(gort::thread_id());
                        gort::yield_now();
                    }
                    tids
                })
            })
            .collect();
        let mut n = 0;
        for h in hs {
            for t in h.join().unwrap() {
                assert_ne!(t, caller, "a goroutine ran on the retired calling thread");
                n += 1;
            }
        }
        assert_ne!(gort::thread_id(), caller);
        n
    });
    assert_eq!(n, 200);
    assert_eq!(gort::thread_id(), caller);
}
