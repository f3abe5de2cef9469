//! Bad input gets a clear message, never a hang or a crash.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};

use common::panic_message;

#[test]
fn bad_configurations_are_errors_from_try_run() {
    let ran = AtomicBool::new(false);
    let cases: [(gort::Builder, gort::BuildError, &str); 4] = [
        (
            gort::Builder::new().max_procs(0),
            gort::BuildError::ZeroProcs,
            "max_procs must be at least 1",
        ),
        (
            gort::Builder::new().stack_size(gort::MIN_STACK_SIZE - 1),
            gort::BuildError::StackTooSmall {
                requested: gort::MIN_STACK_SIZE - 1,
            },
            "too small",
        ),
        (
            gort::Builder::new().stack_size(gort::MAX_STACK_SIZE + 1),
            gort::BuildError::StackTooLarge {
                requested: gort::MAX_STACK_SIZE + 1,
            },
            "too large",
        ),
        (
            gort::Builder::new().max_threads(gort::MIN_THREADS - 1),
            gort::BuildError::TooFewThreads {
                requested: gort::MIN_THREADS - 1,
            },
            "too small",
        ),
    ];
    for (builder, want, words) in cases {
        let err = builder
            .try_run(|| ran.store(true, Ordering::SeqCst))
            .unwrap_err();
        assert_eq!(err, want);
        assert!(err.to_string().contains(words), "{err}");
        assert!(err.to_string().starts_with("gort: "), "{err}");
    }
    assert!(
        !ran.load(Ordering::SeqCst),
        "main ran under a bad configuration"
    );
}

#[test]
fn bad_configurations_panic_from_run_with_the_same_message() {
    let builders = [
        gort::Builder::new().max_procs(0),
        gort::Builder::new().stack_size(1024),
        gort::Builder::new().max_threads(0),
    ];
    for b in builders {
        let want = b.clone().try_run(|| ()).unwrap_err().to_string();
        let err = std::panic::catch_unwind(|| b.run(|| ())).unwrap_err();
        assert_eq!(panic_message(&*err), want);
    }
}

#[test]
fn limits_at_the_boundary_are_accepted() {
    let v = gort::Builder::new()
        .max_procs(1)
        .stack_size(gort::MIN_STACK_SIZE)
        .max_threads(gort::MIN_THREADS)
        .try_run(|| gort::spawn(|| 9).join().unwrap())
        .unwrap();
    assert_eq!(v, 9);
}

#[test]
fn spawn_outside_a_runtime_panics_with_a_clear_message() {
    let err = std::panic::catch_unwind(|| gort::spawn(|| ())).unwrap_err();
    let msg = panic_message(&*err);
    assert!(msg.contains("outside a gort runtime"), "{msg}");
    let err = std::panic::catch_unwind(|| gort::go(|| ())).unwrap_err();
    let msg = panic_message(&*err);
    assert!(
        msg.contains("gort::go called outside a gort runtime"),
        "{msg}"
    );
    let err = std::panic::catch_unwind(gort::Handle::current).unwrap_err();
    assert!(panic_message(&*err).contains("outside a gort runtime"));
    assert!(gort::Handle::try_current().is_none());
    // The rest of the API is harmless on a plain thread.
    assert_eq!(gort::goroutine_id(), 0);
    assert_eq!(gort::num_goroutine(), 0);
    assert_eq!(gort::dump(), "");
    gort::yield_now();
    assert_eq!(gort::syscall(|| 4), 4);
}

/// Several runtimes at once in one process, each on its own calling thread.
#[test]
fn several_runtimes_run_at_once() {
    let ts: Vec<_> = (0..4u64)
        .map(|k| {
            std::thread::spawn(move || {
                gort::Builder::new().max_procs(2).run(move || {
                    let hs: Vec<_> = (0..100u64).map(|i| gort::spawn(move || i * k)).collect();
                    hs.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
                })
            })
        })
        .collect();
    for (k, t) in ts.into_iter().enumerate() {
        assert_eq!(t.join().unwrap(), 4950 * k as u64);
    }
}

/// `run` may borrow from its caller, like `std::thread::scope`.
#[test]
fn run_borrows_from_the_caller() {
    let mut data = vec![1, 2, 3];
    let sum = gort::run(|| {
        data.push(4);
        data.iter().sum::<i32>()
    });
    assert_eq!(sum, 10);
    assert_eq!(data.len(), 4);
}
