//! Spawning from plain OS threads through a `Handle`, and joining from them.

mod common;

use std::time::Duration;

use common::Watchdog;

#[test]
fn handle_spawns_from_a_plain_thread_which_joins() {
    let _w = Watchdog::new("handle", Duration::from_secs(60));
    for procs in [1, 2] {
        let sum = gort::Builder::new().max_procs(procs).run(|| {
            let handle = gort::Handle::current();
            let t = std::thread::spawn(move || {
                assert_eq!(gort::goroutine_id(), 0);
                let hs: Vec<_> = (0..200u64)
                    .map(|i| {
                        handle.spawn(move || {
                            assert_ne!(gort::goroutine_id(), 0);
                            gort::yield_now();
                            i
                        })
                    })
                    .collect();
                // The plain thread parks on the goroutines' completion.
                hs.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
            });
            gort::syscall(|| t.join().unwrap())
        });
        assert_eq!(sum, 199 * 200 / 2);
    }
}

#[test]
fn handle_spawn_after_the_runtime_ended_is_cancelled_not_hung() {
    let _w = Watchdog::new("handle after end", Duration::from_secs(60));
    let handle = gort::run(gort::Handle::current);
    let h = handle.spawn(|| 1);
    let err = h
        .join()
        .expect_err("a goroutine spawned on an ended runtime must not run");
    assert!(!common::panic_message(&*err).is_empty());
}

#[test]
fn goroutine_joins_a_goroutine_spawned_from_a_plain_thread() {
    let _w = Watchdog::new("cross join", Duration::from_secs(60));
    let v = gort::Builder::new().max_procs(2).run(|| {
        let handle = gort::Handle::current();
        let h = gort::syscall(|| {
            std::thread::spawn(move || handle.spawn(|| 11))
                .join()
                .unwrap()
        });
        h.join().unwrap()
    });
    assert_eq!(v, 11);
}

/// Spawns racing the end of the runtime: every handle still resolves (value or cancellation).
#[test]
fn handle_spawns_racing_the_end_all_resolve() {
    let _w = Watchdog::new("handle race", Duration::from_secs(60));
    for _ in 0..20 {
        let (tx, rx) = std::sync::mpsc::channel();
        let spammer = std::thread::spawn(move || {
            let handle: gort::Handle = rx.recv().unwrap();
            (0..2000)
                .map(|i| handle.spawn(move || i))
                .collect::<Vec<_>>()
        });
        gort::Builder::new().max_procs(2).run(move || {
            tx.send(gort::Handle::current()).unwrap();
            for _ in 0..20 {
                gort::yield_now();
            }
        });
        for h in spammer.join().unwrap() {
            let _ = h.join(); // must not hang
        }
    }
}

/// Joins any handle, with no bound on `T`: the `'static` bound is on `spawn`, as std has it, not on
/// `JoinHandle`'s methods.
fn join_any<T>(h: gort::JoinHandle<T>) -> std::thread::Result<T> {
    h.join()
}

/// Describes any handle, again with no bound on `T`.
fn describe_any<T>(h: &gort::JoinHandle<T>) -> String {
    format!("{h:?} {} {}", h.id(), h.is_finished())
}

#[test]
fn join_handle_methods_need_no_static_bound_as_in_std() {
    let _w = Watchdog::new("join_any", Duration::from_secs(60));
    let (value, described) = gort::run(|| {
        let h = gort::spawn(|| String::from("joined"));
        let described = describe_any(&h);
        (join_any(h).unwrap(), described)
    });
    assert_eq!(value, "joined");
    assert!(described.starts_with("JoinHandle"), "{described}");
}
