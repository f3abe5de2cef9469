//! Deadlock detection (semantics 4.3, 2.10): Go's TestSimpleDeadlock and TestLockedDeadlock. In a
//! binary of its own: an OS thread parked on a gort primitive anywhere in the process holds off every
//! runtime's deadlock report, so no other test may share the process.

mod common;

use std::time::Duration;

use common::{panic_message, park_forever, Watchdog};

const LIMIT: Duration = Duration::from_secs(60);
const DEADLOCK: &str = "fatal error: all goroutines are asleep - deadlock!\n\n";

/// Runs `f` as main on a fresh runtime and returns the message of the panic it must end with.
fn deadlock_report(procs: usize, f: impl FnOnce() + Send) -> String {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        gort::Builder::new().max_procs(procs).run(f)
    }));
    panic_message(&*r.expect_err("run must panic on a deadlock"))
}

#[test]
#[should_panic(expected = "fatal error: all goroutines are asleep - deadlock!")]
fn main_blocked_forever_is_a_deadlock() {
    let _w = Watchdog::new("simple deadlock", LIMIT);
    gort::Builder::new().max_procs(2).run(|| park_forever());
}

#[test]
fn deadlock_report_has_the_dump_of_every_goroutine() {
    let _w = Watchdog::new("deadlock dump", LIMIT);
    for procs in [1, 2] {
        let msg = deadlock_report(procs, || {
            let h = gort::spawn(|| park_forever());
            let _ = h.join(); // main waits on a goroutine parked forever
        });
        assert!(msg.starts_with(DEADLOCK), "{msg}");
        let dump = &msg[DEADLOCK.len()..];
        assert!(dump.starts_with("goroutine 1 [semacquire]:\n"), "{dump}");
        assert!(
            dump.contains("\ngoroutine 2 [select (no cases)]:\n"),
            "{dump}"
        );
        assert!(
            dump.contains("created by gort::spawn in goroutine 1\n"),
            "{dump}"
        );
        assert!(
            dump.contains("deadlock.rs"),
            "blocking and spawning locations are missing:\n{dump}"
        );
    }
}

/// Go's LockedDeadlock: main wired to its thread, then blocked forever.
#[test]
fn wired_main_blocked_forever_is_a_deadlock() {
    let _w = Watchdog::new("locked deadlock", LIMIT);
    for procs in [1, 2] {
        let msg = deadlock_report(procs, || {
            gort::lock_os_thread();
            park_forever();
        });
        assert!(msg.starts_with(DEADLOCK), "{msg}");
        assert!(
            msg.contains("goroutine 1 [select (no cases), locked to thread]:"),
            "{msg}"
        );
    }
}

/// Go's LockedDeadlock2: a wired goroutine blocked forever counts as idle (2.10) while main blocks.
#[test]
fn wired_goroutine_blocked_forever_is_idle_for_deadlock_detection() {
    let _w = Watchdog::new("locked deadlock 2", LIMIT);
    for procs in [1, 2] {
        let msg = deadlock_report(procs, || {
            let h = gort::spawn(|| {
                gort::lock_os_thread();
                park_forever();
            });
            for _ in 0..5 {
                gort::yield_now();
            }
            let _ = h.join();
        });
        assert!(msg.starts_with(DEADLOCK), "{msg}");
        assert!(
            msg.contains("[select (no cases), locked to thread]:"),
            "{msg}"
        );
    }
}

/// Not a deadlock: a goroutine inside `gort::syscall` may still wake main.
#[test]
fn goroutine_in_syscall_is_not_a_deadlock() {
    let _w = Watchdog::new("syscall is not deadlock", LIMIT);
    let v = gort::Builder::new().max_procs(1).run(|| {
        gort::spawn(|| gort::syscall(|| std::thread::sleep(Duration::from_millis(200))))
            .join()
            .unwrap();
        1
    });
    assert_eq!(v, 1);
}

/// After a deadlock, the process can start runtimes again.
#[test]
fn runtime_works_after_a_deadlock() {
    let _w = Watchdog::new("after deadlock", LIMIT);
    let msg = deadlock_report(2, || park_forever());
    assert!(msg.starts_with(DEADLOCK));
    assert_eq!(
        gort::Builder::new()
            .max_procs(2)
            .run(|| gort::spawn(|| 3).join().unwrap()),
        3
    );
}

/// Semantics 4.3: while an OS thread outside the runtime is parked on a gort primitive, it may yet
/// release a goroutine, so blocked goroutines are not a deadlock.
#[test]
fn outside_thread_parked_on_a_gort_primitive_holds_off_the_deadlock() {
    let _w = Watchdog::new("outside parker", LIMIT);
    let v = gort::Builder::new().max_procs(2).run(|| {
        let main_gate = common::Gate::new();
        let outside_gate = common::Gate::new();
        let (m, o) = (main_gate.clone(), outside_gate.clone());
        // Parked on a gort primitive, outside the runtime, until a sleeper (not parked) opens it.
        let parker = std::thread::spawn(move || {
            o.wait();
            m.open();
        });
        let o2 = outside_gate.clone();
        let sleeper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            o2.open();
        });
        // The outside thread must be parked before main blocks (else this is a deadlock): wait until it
        // registered, plus a margin for the few instructions from there to its futex wait.
        gort::syscall(|| {
            common::wait_until(Duration::from_secs(10), || outside_gate.waiting() == 1);
            std::thread::sleep(Duration::from_millis(20));
        });
        main_gate.wait(); // everything in the runtime is blocked meanwhile
        gort::syscall(|| {
            parker.join().unwrap();
            sleeper.join().unwrap();
        });
        5
    });
    assert_eq!(v, 5);
}

/// Timeouts that completed early leave their (cancelled) timers in the P heaps for a while; they must
/// not count as pending timers (4.3): with every goroutine then blocked for good, it is a deadlock.
#[test]
fn cancelled_timeouts_do_not_hold_off_deadlock_detection() {
    let _w = Watchdog::new("deadlock after cancelled timeouts", LIMIT);
    for procs in [1, 2] {
        let msg = deadlock_report(procs, || {
            let ping: gort::Chan<u32> = gort::Chan::new(0);
            let pong: gort::Chan<u32> = gort::Chan::new(0);
            let (pi, po) = (ping.clone(), pong.clone());
            let _echo = gort::spawn(move || {
                while let Some(v) = pi.recv() {
                    po.send(v).unwrap();
                }
            });
            for i in 0..10_000 {
                ping.send(i).unwrap();
                assert_eq!(pong.recv_timeout(Duration::from_secs(3600)), Ok(i));
            }
            let never: gort::Chan<u32> = gort::Chan::new(0);
            let _ = never.recv();
        });
        assert!(msg.starts_with(DEADLOCK), "{msg}");
    }
}
