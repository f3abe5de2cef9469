//! `Mutex`: Go's `sync.Mutex` with a Rust guard, and Go's two modes.
//!
//! ## Design
//!
//! One atomic word holds `LOCKED`, `WAITERS` (the queue may be non-empty: unlock must look at it) and
//! `STARVING`. The fast paths are one compare-and-swap each: lock `0 -> LOCKED`, unlock `LOCKED -> 0`.
//!
//! **Normal mode.** Unlock clears `LOCKED` and wakes the first queued waiter, which then competes for the
//! lock with goroutines just arriving (they may "barge" in, which keeps the lock hot and throughput high).
//! A woken waiter that loses goes back to the *front* of the queue.
//!
//! **Starvation mode** (Go's fix for the unfairness of barging). A waiter that has been waiting for more
//! than 1 ms sets `STARVING` when it requeues. From then on unlock hands the lock straight to the first
//! waiter (`LOCKED` stays set; ownership passes with the signal), and new arrivals queue at the tail
//! instead of barging. The mode ends when the queue empties.
//!
//! `WAITERS` and `STARVING` change only under the queue's std mutex, and a waiter sets `WAITERS` with a CAS
//! that also checks that the lock is held, so an unlock either sees `WAITERS` (and then finds the waiter in
//! the queue) or happened before the waiter's check (and then the waiter takes the lock itself).

use super::waiter::{self, Node};
use crate::loom::atomic::{AtomicU32, Ordering};
use crate::wait_reason::WaitReason;
use std::cell::UnsafeCell;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LOCKED: u32 = 1;
const WAITERS: u32 = 2;
const STARVING: u32 = 4;

/// Signal to a waiter: the lock was released, compete for it.
const WOKEN: usize = 1;
/// Signal to a waiter: the lock is yours (starvation-mode handoff).
const GRANTED: usize = 2;

/// How long a waiter waits before it switches the mutex to starvation mode (Go: 1 ms).
const STARVATION_THRESHOLD: Duration = Duration::from_millis(1);

/// A mutual exclusion lock protecting a `T`; waiting parks the goroutine. No poisoning.
///
/// ```
/// use gort::sync::Mutex;
/// use std::sync::Arc;
/// gort::run(|| {
///     let m = Arc::new(Mutex::new(0));
///     let hs: Vec<_> = (0..4)
///         .map(|_| {
///             let m = m.clone();
///             gort::spawn(move || {
///                 for _ in 0..100 {
///                     let mut g = m.lock();
///                     *g += 1;
///                     gort::yield_now(); // holding a gort mutex across a scheduling point is fine
///                 }
///             })
///         })
///         .collect();
///     for h in hs {
///         h.join().unwrap();
///     }
///     assert_eq!(*m.lock(), 400);
/// });
/// ```
pub struct Mutex<T: ?Sized> {
    /// `LOCKED | WAITERS | STARVING`. Acquire on taking the lock, Release on giving it up: orders the
    /// protected data between successive owners. Bits other than `LOCKED` are read and written under `queue`.
    state: AtomicU32,
    queue: std::sync::Mutex<VecDeque<Arc<Node>>>,
    data: UnsafeCell<T>,
}

// SAFETY: the mutex hands out `&mut T` to one owner at a time, possibly on another thread: needs `T: Send`.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
// SAFETY: as above; sharing the mutex shares no `&T` without exclusive ownership.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

/// Proof of holding a [`Mutex`]; unlocks when dropped. Derefs to the protected value.
///
/// ```
/// let m = gort::sync::Mutex::new(vec![1]);
/// let mut g = m.lock();
/// g.push(2);
/// drop(g);
/// assert_eq!(m.lock().len(), 2);
/// ```
#[must_use = "the mutex is unlocked as soon as the guard is dropped"]
pub struct MutexGuard<'a, T: ?Sized> {
    mutex: &'a Mutex<T>,
    /// Opts out of the auto traits; the impls below add back exactly what is sound.
    _marker: PhantomData<*const ()>,
}

// SAFETY: gort's mutex may be unlocked from any thread (a goroutine moves between threads), so sending the
// guard only moves `&mut T` access: needs `T: Send`.
unsafe impl<T: ?Sized + Send> Send for MutexGuard<'_, T> {}
// SAFETY: sharing the guard shares `&T`: needs `T: Sync`.
unsafe impl<T: ?Sized + Sync> Sync for MutexGuard<'_, T> {}

impl<T> Mutex<T> {
    /// A new unlocked mutex.
    ///
    /// ```
    /// static M: gort::sync::Mutex<u32> = gort::sync::Mutex::new(0);
    /// *M.lock() += 1;
    /// ```
    #[cfg(not(loom))]
    pub const fn new(value: T) -> Mutex<T> {
        Mutex {
            state: AtomicU32::new(0),
            queue: std::sync::Mutex::new(VecDeque::new()),
            data: UnsafeCell::new(value),
        }
    }

    /// A new unlocked mutex (loom build: loom's atomics have no `const fn new`).
    #[cfg(loom)]
    pub fn new(value: T) -> Mutex<T> {
        Mutex {
            state: AtomicU32::new(0),
            queue: std::sync::Mutex::new(VecDeque::new()),
            data: UnsafeCell::new(value),
        }
    }

    /// Consumes the mutex, returning the value.
    ///
    /// ```
    /// assert_eq!(gort::sync::Mutex::new(5).into_inner(), 5);
    /// ```
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Locks, parking while another holds the lock.
    ///
    /// ```
    /// let m = gort::sync::Mutex::new(1);
    /// *m.lock() += 1;
    /// assert_eq!(*m.lock(), 2);
    /// ```
    #[track_caller]
    pub fn lock(&self) -> MutexGuard<'_, T> {
        // Acquire: see the previous owner's writes to the data (its unlock was Release).
        if self
            .state
            .compare_exchange(0, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_slow();
        }
        MutexGuard {
            mutex: self,
            _marker: PhantomData,
        }
    }

    /// Locks if that is possible without waiting.
    ///
    /// ```
    /// let m = gort::sync::Mutex::new(());
    /// let g = m.lock();
    /// assert!(m.try_lock().is_none());
    /// drop(g);
    /// assert!(m.try_lock().is_some());
    /// ```
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        if self.try_acquire() {
            Some(MutexGuard {
                mutex: self,
                _marker: PhantomData,
            })
        } else {
            None
        }
    }

    /// Mutable access without locking: `&mut self` proves no one else holds it.
    ///
    /// ```
    /// let mut m = gort::sync::Mutex::new(1);
    /// *m.get_mut() = 2;
    /// assert_eq!(*m.lock(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// Takes the lock if it is free and the mutex is not in starvation mode.
    fn try_acquire(&self) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if s & (LOCKED | STARVING) != 0 {
                return false;
            }
            // Acquire: as in `lock`.
            match self.state.compare_exchange_weak(
                s,
                s | LOCKED,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(now) => s = now,
            }
        }
    }

    #[cold]
    #[track_caller]
    fn lock_slow(&self) {
        for _ in 0..32 {
            if self.try_acquire() {
                return;
            }
            std::hint::spin_loop();
        }
        let mut waiting_since: Option<Instant> = None;
        loop {
            let node = Node::new();
            {
                let mut q = waiter::lock(&self.queue);
                let starving = waiting_since.is_some_and(|t| t.elapsed() > STARVATION_THRESHOLD);
                let mut s = self.state.load(Ordering::Relaxed);
                loop {
                    if s & (LOCKED | STARVING) == 0 {
                        // Free: take it. Acquire: as in `lock`.
                        match self.state.compare_exchange_weak(
                            s,
                            s | LOCKED,
                            Ordering::Acquire,
                            Ordering::Relaxed,
                        ) {
                            Ok(_) => return,
                            Err(now) => {
                                s = now;
                                continue;
                            }
                        }
                    }
                    // Held: announce ourselves. The CAS fails if the holder released meanwhile.
                    // Relaxed: publishes nothing; the queue mutex orders the node with the unlocker.
                    let new = s | WAITERS | if starving { STARVING } else { 0 };
                    match self.state.compare_exchange_weak(
                        s,
                        new,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    ) {
                        Ok(_) => break,
                        Err(now) => s = now,
                    }
                }
                if waiting_since.is_some() {
                    q.push_front(node.clone());
                } else {
                    q.push_back(node.clone());
                    waiting_since = Some(Instant::now());
                }
            }
            let mut cancel = CancelWait {
                mutex: self,
                node: &node,
                armed: true,
            };
            let signal = node.wait(WaitReason::MutexLock);
            cancel.armed = false;
            if signal == GRANTED {
                // Acquire in `Node::get` pairs with the handing-over unlocker's Release.
                return;
            }
        }
    }

    /// Unlocks. Called by the guard's drop only.
    fn unlock(&self) {
        // Release: publishes our writes to the data to the next owner.
        if self
            .state
            .compare_exchange(LOCKED, 0, Ordering::Release, Ordering::Relaxed)
            .is_err()
        {
            self.unlock_slow();
        }
    }

    #[cold]
    fn unlock_slow(&self) {
        let mut q = waiter::lock(&self.queue);
        let s = self.state.load(Ordering::Relaxed);
        if s & STARVING != 0 {
            if let Some(n) = q.pop_front() {
                if q.is_empty() {
                    // Last waiter: leave starvation mode; `LOCKED` stays, the lock passes to `n`.
                    // Release: orders our data writes before the handoff (the signal is Release too).
                    self.state
                        .fetch_and(!(WAITERS | STARVING), Ordering::Release);
                }
                drop(q);
                n.signal(GRANTED);
                return;
            }
        }
        let next = q.pop_front();
        let clear = if q.is_empty() {
            LOCKED | WAITERS | STARVING
        } else {
            LOCKED
        };
        // Release: publishes our writes to the data to the next owner.
        self.state.fetch_and(!clear, Ordering::Release);
        drop(q);
        if let Some(n) = next {
            n.signal(WOKEN);
        }
    }
}

/// Removes a waiter unwound while parked; passes the lock on if it had just been handed to it.
struct CancelWait<'a, T: ?Sized> {
    mutex: &'a Mutex<T>,
    node: &'a Arc<Node>,
    armed: bool,
}

impl<T: ?Sized> Drop for CancelWait<'_, T> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let mut q = waiter::lock(&self.mutex.queue);
        if waiter::remove(&mut q, self.node) {
            return;
        }
        drop(q);
        match self.node.get() {
            GRANTED => self.mutex.unlock(),
            WOKEN => {
                // We were chosen to compete; wake someone else in our place so the wake-up is not lost.
                let mut q = waiter::lock(&self.mutex.queue);
                let next = q.pop_front();
                if q.is_empty() {
                    self.mutex
                        .state
                        .fetch_and(!(WAITERS | STARVING), Ordering::Relaxed);
                }
                drop(q);
                if let Some(n) = next {
                    n.signal(WOKEN);
                }
            }
            _ => {}
        }
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves we hold the lock: no `&mut T` exists elsewhere.
        unsafe { &*self.mutex.data.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard proves we hold the lock exclusively, and `&mut self` that this is the only use.
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        self.mutex.unlock();
    }
}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    pub(crate) fn mutex(&self) -> &'a Mutex<T> {
        self.mutex
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    fn from(v: T) -> Self {
        Mutex::new(v)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Mutex");
        match self.try_lock() {
            Some(g) => d.field("data", &&*g),
            None => d.field("data", &format_args!("<locked>")),
        };
        d.finish_non_exhaustive()
    }
}

#[cfg(all(test, loom))]
mod model {
    use super::*;
    use loom::sync::Arc as LoomArc;
    use loom::thread;

    /// Starvation mode's hand-off: the holder unlocks while the first queued waiter waits for its
    /// signal and a newcomer tries to barge in. The waiter is granted the lock exactly once, and
    /// the newcomer never gets it: `LOCKED` stays set through the hand-over.
    #[test]
    fn a_starving_unlock_hands_the_lock_to_the_first_waiter_and_nobody_barges_in() {
        loom::model(|| {
            let m = LoomArc::new(Mutex::new(0u32));
            let guard = m.lock();
            let node = Node::new();
            waiter::lock(&m.queue).push_back(node.clone());
            // A waiter queued for over a millisecond has switched the mutex to starvation mode.
            m.state.fetch_or(WAITERS | STARVING, Ordering::Relaxed);
            let waiter = {
                let node = node.clone();
                thread::spawn(move || {
                    // `Node::wait` without parking: the signal, once.
                    loop {
                        match node.get() {
                            0 => thread::yield_now(),
                            v => return v,
                        }
                    }
                })
            };
            let barger = {
                let m = m.clone();
                thread::spawn(move || m.try_lock().is_some())
            };
            drop(guard);
            assert_eq!(
                waiter.join().unwrap(),
                GRANTED,
                "the first waiter is granted the lock"
            );
            assert!(
                !barger.join().unwrap(),
                "a newcomer took a lock handed over"
            );
            assert_ne!(
                m.state.load(Ordering::Relaxed) & LOCKED,
                0,
                "the new owner holds it"
            );
        });
    }
}
