//! Fatal errors, each in a child process: Go's TestThreadExhaustion and TestStackOverflow.

mod common;

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use common::{is_child, park_forever, run_child, Watchdog};

/// Semantics 2.9: each wired goroutine holds a thread; past `max_threads` the program dies with Go's
/// message and exit status 2.
#[test]
fn wired_goroutines_beyond_max_threads_are_fatal() {
    const NAME: &str = "wired_goroutines_beyond_max_threads_are_fatal";
    if is_child(NAME) {
        gort::Builder::new().max_procs(2).max_threads(10).run(|| {
            let hs: Vec<_> = (0..30)
                .map(|_| {
                    gort::spawn(|| {
                        gort::lock_os_thread();
                        park_forever();
                    })
                })
                .collect();
            for h in hs {
                let _ = h.join();
            }
        });
        unreachable!("the thread limit was not enforced");
    }
    let _w = Watchdog::new(NAME, Duration::from_secs(60));
    let out = run_child(NAME);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("runtime: program exceeds 10-thread limit\n"),
        "{err}"
    );
    assert!(err.contains("fatal error: thread exhaustion"), "{err}");
    assert_eq!(out.status.code(), Some(2), "{err}");
}

/// Staying under the limit is fine, however many goroutines there are.
#[test]
fn unwired_goroutines_do_not_exhaust_threads() {
    let _w = Watchdog::new("threads under the limit", Duration::from_secs(60));
    let v = gort::Builder::new().max_procs(2).max_threads(8).run(|| {
        let hs: Vec<_> = (0..1000u64)
            .map(|i| {
                gort::spawn(move || {
                    gort::yield_now();
                    i
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
    });
    assert_eq!(v, 999 * 1000 / 2);
}

fn recurse(n: u64) -> u64 {
    let pad = std::hint::black_box([n; 64]);
    if n == u64::MAX {
        return 0;
    }
    recurse(n + 1).wrapping_add(pad[3])
}

/// Semantics 4.4: a goroutine overflowing its stack gets Go's report and the process aborts.
#[test]
fn goroutine_stack_overflow_is_reported_and_aborts() {
    const NAME: &str = "goroutine_stack_overflow_is_reported_and_aborts";
    if is_child(NAME) {
        gort::Builder::new()
            .max_procs(2)
            .stack_size(64 * 1024)
            .run(|| {
                let h = gort::spawn(|| recurse(0)); // goroutine 2
                let _ = h.join();
            });
        unreachable!("the overflow went unnoticed");
    }
    let _w = Watchdog::new(NAME, Duration::from_secs(60));
    let out = run_child(NAME);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("runtime: goroutine 2 stack exceeds 65536-byte limit\n"),
        "{err}"
    );
    assert!(err.contains("fatal error: stack overflow"), "{err}");
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGABRT),
        "{:?}: {err}",
        out.status
    );
}

/// The same for a wired goroutine, and for the main goroutine.
#[test]
fn wired_and_main_goroutine_stack_overflow_is_reported() {
    const NAME: &str = "wired_and_main_goroutine_stack_overflow_is_reported";
    if is_child(NAME) {
        let which = std::env::var("GORT_OVERFLOW_WHICH").unwrap();
        gort::Builder::new()
            .max_procs(2)
            .stack_size(64 * 1024)
            .run(move || {
                if which == "main" {
                    recurse(0);
                } else {
                    let h = gort::spawn(|| {
                        gort::lock_os_thread();
                        gort::yield_now();
                        recurse(0)
                    });
                    let _ = h.join();
                }
            });
        unreachable!("the overflow went unnoticed");
    }
    let _w = Watchdog::new(NAME, Duration::from_secs(60));
    for (which, id) in [("main", 1), ("wired", 2)] {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", NAME, "--nocapture", "--test-threads=1"])
            .env(common::CHILD_ENV, NAME)
            .env("GORT_OVERFLOW_WHICH", which)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "runtime: goroutine {id} stack exceeds 65536-byte limit\n"
            )),
            "{which}: {err}"
        );
        assert!(
            err.contains("fatal error: stack overflow"),
            "{which}: {err}"
        );
        assert_eq!(out.status.signal(), Some(libc::SIGABRT), "{which}: {err}");
    }
}
