//! `Once`: Go's `sync.Once`.
//!
//! ## Design
//!
//! An atomic state (incomplete, running, complete) and a list of waiters. The first caller runs `f`; others
//! park until it finishes. As in Go, a panicking `f` still counts as done: later calls return at once and
//! do not run their `f` (std's `Once` would poison instead).

use super::waiter::{self, Node};
use crate::wait_reason::WaitReason;
use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

const INCOMPLETE: u8 = 0;
const RUNNING: u8 = 1;
const COMPLETE: u8 = 2;

/// Runs a function exactly once, however many goroutines call it; the others wait for it to finish.
///
/// ```
/// use gort::sync::Once;
/// static INIT: Once = Once::new();
/// let mut runs = 0;
/// INIT.call_once(|| runs += 1);
/// INIT.call_once(|| runs += 1);
/// assert_eq!(runs, 1);
/// ```
pub struct Once {
    /// Acquire on reading `COMPLETE` pairs with the Release store after `f`: whoever sees the `Once` done
    /// sees everything `f` did.
    state: AtomicU8,
    waiters: std::sync::Mutex<Vec<Arc<Node>>>,
}

impl Once {
    /// A `Once` that has not run.
    ///
    /// ```
    /// let once = gort::sync::Once::new();
    /// assert!(!once.is_completed());
    /// ```
    pub const fn new() -> Once {
        Once {
            state: AtomicU8::new(INCOMPLETE),
            waiters: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` if no call has run one yet; otherwise waits until the running one has finished.
    ///
    /// ```
    /// let once = gort::sync::Once::new();
    /// once.call_once(|| println!("once"));
    /// assert!(once.is_completed());
    /// ```
    #[track_caller]
    pub fn call_once<F: FnOnce()>(&self, f: F) {
        if self.state.load(Ordering::Acquire) == COMPLETE {
            return;
        }
        self.call_once_slow(f);
    }

    /// Whether a call has finished running its function.
    ///
    /// ```
    /// let once = gort::sync::Once::new();
    /// once.call_once(|| {});
    /// assert!(once.is_completed());
    /// ```
    pub fn is_completed(&self) -> bool {
        self.state.load(Ordering::Acquire) == COMPLETE
    }

    #[cold]
    #[track_caller]
    fn call_once_slow<F: FnOnce()>(&self, f: F) {
        // Acquire on failure: if it is complete, we must see `f`'s effects.
        match self
            .state
            .compare_exchange(INCOMPLETE, RUNNING, Ordering::Acquire, Ordering::Acquire)
        {
            Ok(_) => {
                struct Finish<'a>(&'a Once);
                impl Drop for Finish<'_> {
                    fn drop(&mut self) {
                        // Release: publishes `f`'s effects (runs on unwinding too: Go's semantics).
                        self.0.state.store(COMPLETE, Ordering::Release);
                        let waiters = std::mem::take(&mut *waiter::lock(&self.0.waiters));
                        for n in waiters {
                            n.signal(1);
                        }
                    }
                }
                let _finish = Finish(self);
                f();
            }
            Err(COMPLETE) => {}
            Err(_) => {
                let mut w = waiter::lock(&self.waiters);
                if self.state.load(Ordering::Acquire) == COMPLETE {
                    return;
                }
                let node = Node::new();
                w.push(node.clone());
                drop(w);
                struct Cancel<'a>(&'a Once, &'a Arc<Node>);
                impl Drop for Cancel<'_> {
                    fn drop(&mut self) {
                        if self.1.get() == 0 {
                            waiter::lock(&self.0.waiters).retain(|n| !Arc::ptr_eq(n, self.1));
                        }
                    }
                }
                let _cancel = Cancel(self, &node);
                node.wait(WaitReason::Semacquire);
            }
        }
    }
}

impl Default for Once {
    fn default() -> Self {
        Once::new()
    }
}

impl fmt::Debug for Once {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Once")
            .field("completed", &self.is_completed())
            .finish()
    }
}
