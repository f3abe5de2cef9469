//! `Condvar`: Go's `sync.Cond`, for guards of gort's [`Mutex`](super::Mutex).
//!
//! ## Design
//!
//! A FIFO queue of nodes. `wait` enqueues its node *before* it unlocks the mutex, so a notification sent
//! by anyone who takes the mutex after that point finds the node: no lost wake-ups. `notify_one` signals
//! the oldest waiter, `notify_all` every waiter queued at that moment. A woken waiter locks the mutex
//! again before `wait` returns. As with every condition variable, callers re-check their condition in a
//! loop ([`Condvar::wait_while`] does it for them); gort itself adds no spurious returns.

use super::mutex::MutexGuard;
use super::waiter::{self, Node};
use crate::wait_reason::WaitReason;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

/// A condition variable: park until notified, releasing a [`Mutex`](super::Mutex) meanwhile.
///
/// ```
/// use gort::sync::{Condvar, Mutex};
/// use std::sync::Arc;
/// let pair = Arc::new((Mutex::new(false), Condvar::new()));
/// let p = pair.clone();
/// let t = std::thread::spawn(move || {
///     *p.0.lock() = true;
///     p.1.notify_one();
/// });
/// let (m, cv) = &*pair;
/// let mut ready = m.lock();
/// while !*ready {
///     ready = cv.wait(ready);
/// }
/// t.join().unwrap();
/// ```
#[derive(Default)]
pub struct Condvar {
    queue: std::sync::Mutex<VecDeque<Arc<Node>>>,
}

impl Condvar {
    /// A condition variable with no waiters.
    ///
    /// ```
    /// let cv = gort::sync::Condvar::new();
    /// cv.notify_all(); // no one to wake: nothing happens
    /// ```
    pub const fn new() -> Condvar {
        Condvar {
            queue: std::sync::Mutex::new(VecDeque::new()),
        }
    }

    /// Unlocks the guard's mutex, parks until notified, locks it again.
    ///
    /// ```
    /// use gort::sync::{Condvar, Mutex};
    /// use std::sync::Arc;
    /// let s = Arc::new((Mutex::new(0), Condvar::new()));
    /// let s2 = s.clone();
    /// let t = std::thread::spawn(move || {
    ///     *s2.0.lock() = 1;
    ///     s2.1.notify_all();
    /// });
    /// let mut g = s.0.lock();
    /// while *g == 0 {
    ///     g = s.1.wait(g);
    /// }
    /// assert_eq!(*g, 1);
    /// drop(g);
    /// t.join().unwrap();
    /// ```
    #[track_caller]
    pub fn wait<'a, T: ?Sized>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        let mutex = guard.mutex();
        let node = Node::new();
        waiter::lock(&self.queue).push_back(node.clone());
        drop(guard);
        let cancel = Cancel {
            cv: self,
            node: &node,
        };
        node.wait(WaitReason::CondWait);
        drop(cancel);
        mutex.lock()
    }

    /// Waits while `condition` holds, re-checking after every wake-up.
    ///
    /// ```
    /// use gort::sync::{Condvar, Mutex};
    /// use std::sync::Arc;
    /// let s = Arc::new((Mutex::new(0), Condvar::new()));
    /// let s2 = s.clone();
    /// let t = std::thread::spawn(move || {
    ///     for _ in 0..3 {
    ///         *s2.0.lock() += 1;
    ///         s2.1.notify_one();
    ///     }
    /// });
    /// let g = s.1.wait_while(s.0.lock(), |n| *n < 3);
    /// assert_eq!(*g, 3);
    /// drop(g);
    /// t.join().unwrap();
    /// ```
    #[track_caller]
    pub fn wait_while<'a, T: ?Sized>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> MutexGuard<'a, T> {
        while condition(&mut *guard) {
            guard = self.wait(guard);
        }
        guard
    }

    /// Wakes the longest-waiting waiter, if any.
    ///
    /// ```
    /// gort::sync::Condvar::new().notify_one();
    /// ```
    pub fn notify_one(&self) {
        let n = waiter::lock(&self.queue).pop_front();
        if let Some(n) = n {
            n.signal(1);
        }
    }

    /// Wakes every waiter.
    ///
    /// ```
    /// gort::sync::Condvar::new().notify_all();
    /// ```
    pub fn notify_all(&self) {
        let all = std::mem::take(&mut *waiter::lock(&self.queue));
        for n in all {
            n.signal(1);
        }
    }
}

/// Removes the node of a waiter that stops waiting (normally it is gone already; after a cancellation
/// unwind it may not be). A notification consumed by a cancelled waiter is passed on.
struct Cancel<'a> {
    cv: &'a Condvar,
    node: &'a Arc<Node>,
}

impl Drop for Cancel<'_> {
    fn drop(&mut self) {
        if self.node.get() != 0 {
            if std::thread::panicking() {
                self.cv.notify_one();
            }
            return;
        }
        waiter::remove(&mut waiter::lock(&self.cv.queue), self.node);
    }
}

impl fmt::Debug for Condvar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condvar").finish_non_exhaustive()
    }
}
