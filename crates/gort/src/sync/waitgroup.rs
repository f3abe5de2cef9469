//! `WaitGroup`: Go's `sync.WaitGroup`.
//!
//! ## Design
//!
//! A counter and a list of waiters behind a short internal std mutex. `add` changes the counter; when it
//! reaches zero every waiter is released. A counter that would go negative panics with Go's message,
//! after restoring the counter, so the group stays usable for whoever catches the panic.

use super::waiter::{self, Node};
use crate::park::WaitReason;
use std::fmt;
use std::sync::Arc;

struct State {
    count: isize,
    waiters: Vec<Arc<Node>>,
}

/// Waits for a collection of goroutines to finish.
///
/// ```
/// use gort::sync::WaitGroup;
/// use std::sync::Arc;
/// gort::run(|| {
///     let wg = Arc::new(WaitGroup::new());
///     for _ in 0..100 {
///         wg.add(1);
///         let wg = wg.clone();
///         gort::spawn(move || wg.done());
///     }
///     wg.wait();
/// });
/// ```
pub struct WaitGroup {
    state: std::sync::Mutex<State>,
}

impl WaitGroup {
    /// A group with counter zero.
    ///
    /// ```
    /// gort::sync::WaitGroup::new().wait(); // zero: returns at once
    /// ```
    pub const fn new() -> WaitGroup {
        WaitGroup {
            state: std::sync::Mutex::new(State {
                count: 0,
                waiters: Vec::new(),
            }),
        }
    }

    /// Adds `delta` (which may be negative) to the counter; at zero every waiter is released.
    ///
    /// # Panics
    /// `sync: negative WaitGroup counter` if the counter would drop below zero.
    ///
    /// ```
    /// let wg = gort::sync::WaitGroup::new();
    /// wg.add(2);
    /// wg.add(-2);
    /// wg.wait();
    /// ```
    pub fn add(&self, delta: isize) {
        let mut st = waiter::lock(&self.state);
        let count = st
            .count
            .checked_add(delta)
            .expect("sync: WaitGroup counter overflow");
        if count < 0 {
            drop(st);
            panic!("sync: negative WaitGroup counter");
        }
        st.count = count;
        if count == 0 {
            let waiters = std::mem::take(&mut st.waiters);
            drop(st);
            for n in waiters {
                n.signal(1);
            }
        }
    }

    /// Decrements the counter by one.
    ///
    /// ```
    /// let wg = gort::sync::WaitGroup::new();
    /// wg.add(1);
    /// wg.done();
    /// wg.wait();
    /// ```
    pub fn done(&self) {
        self.add(-1);
    }

    /// Parks until the counter is zero.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let wg = Arc::new(gort::sync::WaitGroup::new());
    /// wg.add(1);
    /// let w = wg.clone();
    /// let t = std::thread::spawn(move || w.done());
    /// wg.wait();
    /// t.join().unwrap();
    /// ```
    #[track_caller]
    pub fn wait(&self) {
        let mut st = waiter::lock(&self.state);
        if st.count == 0 {
            return;
        }
        let node = Node::new();
        st.waiters.push(node.clone());
        drop(st);
        struct Cancel<'a>(&'a WaitGroup, &'a Arc<Node>);
        impl Drop for Cancel<'_> {
            fn drop(&mut self) {
                if self.1.get() == 0 {
                    waiter::lock(&self.0.state)
                        .waiters
                        .retain(|n| !Arc::ptr_eq(n, self.1));
                }
            }
        }
        let _cancel = Cancel(self, &node);
        node.wait(WaitReason::WaitGroupWait);
    }
}

impl Default for WaitGroup {
    fn default() -> Self {
        WaitGroup::new()
    }
}

impl fmt::Debug for WaitGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitGroup")
            .field("count", &waiter::lock(&self.state).count)
            .finish()
    }
}
