//! Shared helpers for the integration tests: `go` starts a concurrent task.
//!
//! Until the scheduler lands these are plain OS threads; gort's primitives park threads and goroutines
//! through the same interface, so the rules tested here hold for both.
#![allow(dead_code)]

use std::thread::JoinHandle;

/// Starts `f` concurrently (Go's `go` statement).
pub fn go<F: FnOnce() -> R + Send + 'static, R: Send + 'static>(f: F) -> JoinHandle<R> {
    std::thread::spawn(f)
}

/// Lets the other side reach its blocking point. Only ever used to make a test *more* demanding
/// (a check that something stays blocked), never to make one pass.
pub fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(1));
}

/// Reads a scale factor for long-running tests from `GORT_STRESS_SCALE` (default 1).
pub fn scale() -> usize {
    std::env::var("GORT_STRESS_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}
