//! `Semaphore`: a counting semaphore (Go's runtime semaphore, as `golang.org/x/sync/semaphore` exposes it,
//! with weight 1).
//!
//! ## Design
//!
//! A permit count and a FIFO queue of waiters behind a short internal std mutex. `release` hands its permit
//! straight to the oldest waiter if there is one (so a waiter, once queued, is never overtaken), else adds
//! it to the count. `acquire` takes a free permit only if nobody is queued, for the same reason.

use super::waiter::{self, Node};
use crate::wait_reason::WaitReason;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

struct State {
    permits: usize,
    queue: VecDeque<Arc<Node>>,
}

/// A counting semaphore; `acquire` parks the goroutine while no permit is free.
///
/// ```
/// use gort::sync::Semaphore;
/// let sem = Semaphore::new(2);
/// sem.acquire();
/// sem.acquire();
/// assert!(!sem.try_acquire());
/// sem.release();
/// assert!(sem.try_acquire());
/// ```
pub struct Semaphore {
    state: std::sync::Mutex<State>,
}

impl Semaphore {
    /// A semaphore with `permits` free permits.
    ///
    /// ```
    /// assert_eq!(gort::sync::Semaphore::new(3).available_permits(), 3);
    /// ```
    pub const fn new(permits: usize) -> Semaphore {
        Semaphore {
            state: std::sync::Mutex::new(State {
                permits,
                queue: VecDeque::new(),
            }),
        }
    }

    /// Takes a permit, parking until one is free. Waiters are served first come, first served.
    ///
    /// ```
    /// let sem = gort::sync::Semaphore::new(1);
    /// sem.acquire();
    /// sem.release();
    /// ```
    #[track_caller]
    pub fn acquire(&self) {
        let mut st = waiter::lock(&self.state);
        if st.permits > 0 && st.queue.is_empty() {
            st.permits -= 1;
            return;
        }
        let node = Node::new();
        st.queue.push_back(node.clone());
        drop(st);
        struct Cancel<'a> {
            sem: &'a Semaphore,
            node: &'a Arc<Node>,
            armed: bool,
        }
        impl Drop for Cancel<'_> {
            fn drop(&mut self) {
                if !self.armed {
                    return;
                }
                let removed = waiter::remove(&mut waiter::lock(&self.sem.state).queue, self.node);
                if !removed {
                    self.sem.release(); // granted while unwinding: give the permit back
                }
            }
        }
        let mut cancel = Cancel {
            sem: self,
            node: &node,
            armed: true,
        };
        node.wait(WaitReason::Semacquire);
        cancel.armed = false;
    }

    /// Takes a permit if one is free and nobody is waiting.
    ///
    /// ```
    /// let sem = gort::sync::Semaphore::new(0);
    /// assert!(!sem.try_acquire());
    /// ```
    pub fn try_acquire(&self) -> bool {
        let mut st = waiter::lock(&self.state);
        if st.permits > 0 && st.queue.is_empty() {
            st.permits -= 1;
            true
        } else {
            false
        }
    }

    /// Returns a permit: wakes the oldest waiter with it, or adds it to the free count.
    ///
    /// ```
    /// let sem = gort::sync::Semaphore::new(0);
    /// sem.release();
    /// assert!(sem.try_acquire());
    /// ```
    pub fn release(&self) {
        let mut st = waiter::lock(&self.state);
        match st.queue.pop_front() {
            Some(n) => {
                drop(st);
                n.signal(1);
            }
            None => st.permits += 1,
        }
    }

    /// Free permits now.
    ///
    /// ```
    /// let sem = gort::sync::Semaphore::new(1);
    /// sem.acquire();
    /// assert_eq!(sem.available_permits(), 0);
    /// ```
    pub fn available_permits(&self) -> usize {
        waiter::lock(&self.state).permits
    }

    /// How many goroutines (or threads) wait in `acquire` right now.
    ///
    /// ```
    /// let sem = gort::sync::Semaphore::new(0);
    /// assert_eq!(sem.waiters(), 0);
    /// ```
    pub fn waiters(&self) -> usize {
        waiter::lock(&self.state).queue.len()
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("permits", &self.available_permits())
            .field("waiters", &self.waiters())
            .finish()
    }
}
