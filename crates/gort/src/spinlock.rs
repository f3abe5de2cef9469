//! A test-and-test-and-set spin lock whose unlock is one plain store, for the runtime's shortest
//! critical sections: a channel's state, a P's run queue.
//!
//! Those sections are a few dozen instructions: move a value, pop or push a waiter entry or a G,
//! flip a flag. No user code runs under the lock and nothing waits for I/O. One park holds such a
//! lock, and only for the goroutine's switch, not its wait: a channel `send` or `recv` (the rule is
//! on `sched::park::park_goroutine_unlocking`; [`HeldLock`] carries the lock across). For sections
//! that short the cost of the lock is its atomic instructions, not waiting, and an unbuffered
//! ping-pong round trip takes four channel operations, each one critical section.
//! `std::sync::Mutex` spends two locked instructions per critical section (a compare-and-swap to
//! lock, a swap to unlock, since the unlock must learn whether a sleeper needs a futex wake-up);
//! this lock spends one, because nobody ever sleeps on it and its unlock is a Release store.
//!
//! Under contention a waiter spins with `pause` for a short while, then gives its core away with
//! `sched_yield` between looks, so that a holder that the OS preempted gets to run and finish (on a
//! busy machine, the waiter may be what keeps it off the core). The `spin` crate's lock offers
//! either pure spinning or yielding on every look; neither fits, hence these few lines.

use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};

/// Looks with `pause` before a waiter starts yielding its core (a couple of microseconds in all).
const SPIN_LIMIT: u32 = 64;

/// A spin lock guarding a `T` (a channel uses `SpinLock<()>` and keeps its state apart, so that
/// `select!` can hold the locks of channels of different element types side by side).
pub(crate) struct SpinLock<T> {
    locked: AtomicBool,
    data: UnsafeCell<T>,
}

// SAFETY: the lock hands out access to `data` to one thread at a time (the guard), and `T` moves
// between threads with it, hence `T: Send`.
unsafe impl<T: Send> Sync for SpinLock<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for SpinLock<T> {}

/// Proof that the lock is held; unlocks on drop. (Public only because `select!`'s hidden case trait
/// names it.)
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
}

impl<T> SpinLock<T> {
    pub(crate) const fn new(data: T) -> SpinLock<T> {
        SpinLock {
            locked: AtomicBool::new(false),
            data: UnsafeCell::new(data),
        }
    }

    /// Takes the lock, spinning (then yielding) until it is free.
    #[inline]
    pub(crate) fn lock(&self) -> SpinGuard<'_, T> {
        // Acquire: everything the previous holder wrote under the lock (its Release store in
        // `SpinGuard::drop`) is visible to us once we hold it.
        if self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        SpinGuard { lock: self }
    }

    #[cold]
    fn lock_contended(&self) {
        let mut looks = 0u32;
        loop {
            // Test before test-and-set: wait with plain loads, which keep the line shared, and try
            // the locked instruction only when the lock looks free.
            while self.locked.load(Ordering::Relaxed) {
                if looks < SPIN_LIMIT {
                    looks += 1;
                    std::hint::spin_loop();
                } else {
                    std::thread::yield_now();
                }
            }
            // Acquire: as in `lock`.
            if self
                .locked
                .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }
}

impl<'a, T> SpinGuard<'a, T> {
    /// Gives up the guard without unlocking: the lock stays held until [`HeldLock::release`].
    pub(crate) fn into_held(self) -> HeldLock {
        let held = HeldLock(NonNull::from(&self.lock.locked));
        std::mem::forget(self);
        held
    }
}

/// A held lock whose guard was given up, for another frame to release: a goroutine that parks
/// on a channel keeps the channel's lock until its context is saved (the rule is on
/// `sched::park::park_goroutine_unlocking`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeldLock(NonNull<AtomicBool>);

impl HeldLock {
    /// Unlocks.
    ///
    /// # Safety
    /// The lock is still held (this is its one release) and still alive.
    #[inline]
    pub(crate) unsafe fn release(self) {
        // SAFETY: the lock is alive (contract).
        let locked = unsafe { self.0.as_ref() };
        // Release: as in `SpinGuard::drop`.
        locked.store(false, Ordering::Release);
    }
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves we hold the lock, so no other reference to the data exists.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and `&mut self` makes this the only reference through the guard.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // Release: publishes our writes under the lock to the next holder's Acquire.
        self.lock.locked.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn lock_excludes_other_threads() {
        let c = Arc::new(SpinLock::new(0u64));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let c = c.clone();
                std::thread::spawn(move || {
                    for _ in 0..100_000 {
                        *c.lock() += 1;
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(*c.lock(), 400_000);
    }
}
