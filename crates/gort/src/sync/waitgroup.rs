//! `WaitGroup`: Go's `sync.WaitGroup`.
//!
//! ## Design
//!
//! One atomic word holds the counter (high 32 bits, as Go's `int32`) and the number of waiters
//! (low 32 bits), so that `add` and `done` cost one compare-and-swap and take no lock while nobody
//! waits: a fan-out of a million goroutines calling `done` does not meet on a mutex, and no thread
//! sleeps in the kernel on one (which sysmon's probe would take for a blocked call, `sched/sysmon.rs`).
//!
//! Waiters queue [`Node`]s behind an internal lock. A waiter registers under that lock: it adds
//! itself to the word's waiter count by compare-and-swap (only while the counter is not zero), and
//! pushes its node, so outside the lock the waiter count always equals the queue's length. An `add`
//! that brings the counter to zero while waiters are counted does that change under the lock too,
//! clearing the waiter count in the same compare-and-swap, and releases every queued node. A counter
//! that would go negative panics with Go's message and leaves the word as it was, so the group stays
//! usable for whoever catches the panic.

use super::waiter::{self, Node};
use crate::wait_reason::WaitReason;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The counter's place in the state word.
const COUNT_SHIFT: u32 = 32;
/// The waiter count's bits.
const WAITERS_MASK: u64 = u32::MAX as u64;

fn count_of(s: u64) -> i64 {
    // The counter is never negative (`add` refuses), so the high half reads as a plain number.
    (s >> COUNT_SHIFT) as i64
}

fn waiters_of(s: u64) -> u64 {
    s & WAITERS_MASK
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
    /// Counter and waiter count (module comment). A successful `add` is AcqRel: its Release half
    /// publishes what the caller did before `done` to whoever sees the counter at zero (a waiter's
    /// Acquire load, or the `add` that releases the queued waiters, which signals them with
    /// Release in turn).
    state: AtomicU64,
    /// The queued waiters, oldest first; changed only together with the waiter count, under this
    /// lock.
    waiters: std::sync::Mutex<Vec<Arc<Node>>>,
}

impl WaitGroup {
    /// A group with counter zero.
    ///
    /// ```
    /// gort::sync::WaitGroup::new().wait(); // zero: returns at once
    /// ```
    pub const fn new() -> WaitGroup {
        WaitGroup {
            state: AtomicU64::new(0),
            waiters: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Adds `delta` (which may be negative) to the counter; at zero every waiter is released.
    ///
    /// # Panics
    /// `sync: negative WaitGroup counter` if the counter would drop below zero, and
    /// `sync: WaitGroup counter overflow` if it would exceed `i32::MAX` (Go's counter is an `int32`
    /// too).
    ///
    /// ```
    /// let wg = gort::sync::WaitGroup::new();
    /// wg.add(2);
    /// wg.add(-2);
    /// wg.wait();
    /// ```
    pub fn add(&self, delta: isize) {
        // Taken (and the word read again) only when this `add` brings the counter to zero while
        // waiters are counted: then the waiter count and the queue change together.
        let mut q = None;
        let mut s = self.state.load(Ordering::Relaxed);
        let count = loop {
            let count = new_count(s, delta);
            if count == 0 && waiters_of(s) > 0 && q.is_none() {
                q = Some(waiter::lock(&self.waiters));
                s = self.state.load(Ordering::Relaxed);
                continue;
            }
            // At zero the waiter count goes too: every queued node is released below. (With the
            // lock held nobody registers meanwhile; an `add` elsewhere may still change the counter,
            // and the loop then looks again.)
            let next = if count == 0 {
                0
            } else {
                ((count as u64) << COUNT_SHIFT) | waiters_of(s)
            };
            match self
                .state
                .compare_exchange_weak(s, next, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => break count,
                Err(now) => s = now,
            }
        };
        let Some(mut q) = q else { return };
        if count != 0 {
            return;
        }
        debug_assert_eq!(q.len() as u64, waiters_of(s));
        let released = std::mem::take(&mut *q);
        drop(q);
        for n in released {
            n.signal(1);
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
        // Acquire: pairs with the AcqRel of the `add` that brought the counter to zero.
        if count_of(self.state.load(Ordering::Acquire)) == 0 {
            return;
        }
        let mut q = waiter::lock(&self.waiters);
        let mut s = self.state.load(Ordering::Acquire);
        loop {
            if count_of(s) == 0 {
                return;
            }
            assert!(
                waiters_of(s) < WAITERS_MASK,
                "sync: too many WaitGroup waiters"
            );
            match self
                .state
                .compare_exchange_weak(s, s + 1, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => break,
                Err(now) => s = now,
            }
        }
        let node = Node::new();
        q.push(node.clone());
        drop(q);
        /// Takes the node back if its wait ends unsignalled (the runtime cancels the goroutine).
        struct Cancel<'a>(&'a WaitGroup, &'a Arc<Node>);
        impl Drop for Cancel<'_> {
            fn drop(&mut self) {
                if self.1.get() != 0 {
                    return;
                }
                let mut q = waiter::lock(&self.0.waiters);
                // Not queued any more: the releasing `add` took it, and the waiter count with it.
                if let Some(i) = q.iter().position(|n| Arc::ptr_eq(n, self.1)) {
                    q.remove(i);
                    // Under the lock, with the node queued, the count is at least one.
                    self.0.state.fetch_sub(1, Ordering::Relaxed);
                }
            }
        }
        let _cancel = Cancel(self, &node);
        node.wait(WaitReason::WaitGroupWait);
    }
}

/// The counter after adding `delta` to that of state `s`; panics (leaving the state alone) if it
/// would leave `0..=i32::MAX`.
fn new_count(s: u64, delta: isize) -> i64 {
    let count = (delta as i64)
        .checked_add(count_of(s))
        .filter(|&c| c <= i32::MAX as i64)
        .expect("sync: WaitGroup counter overflow");
    if count < 0 {
        panic!("sync: negative WaitGroup counter");
    }
    count
}

impl Default for WaitGroup {
    fn default() -> Self {
        WaitGroup::new()
    }
}

impl fmt::Debug for WaitGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitGroup")
            .field("count", &count_of(self.state.load(Ordering::Relaxed)))
            .finish()
    }
}
