//! Go's `sync` package for goroutines: every wait parks the goroutine, never its thread.
//!
//! ## Design
//!
//! Each primitive keeps its waiters in a FIFO queue of `Node`s (`sync/waiter.rs`) behind a short internal
//! std mutex and parks them through `crate::park`, so all of them work the same in a goroutine and on a plain
//! OS thread, and show Go's wait reasons in dumps (`sync.Mutex.Lock`, `sync.RWMutex.RLock`, ...).
//! Wake-ups hand over ownership directly where that is what Go does (a permit, a read or write lock, a
//! starving mutex waiter), so a woken waiter never has to compete again for what it was given.
//! `WaitGroup` keeps its counter outside that mutex, in one atomic word with its waiter count, so that
//! `add` and `done` take no lock while nobody waits (as Go's does).
//!
//! Cancellation: a goroutine unwound while it waits (when `run` ends) removes its node in a drop guard; if
//! it had just been handed ownership, the guard passes it on, so nothing is leaked locked.
//!
//! None of these primitives poisons: a panic while a [`Mutex`] is held unlocks it (Go has no poisoning).

mod condvar;
mod mutex;
mod once;
mod rwlock;
mod semaphore;
mod waiter;
mod waitgroup;

pub use condvar::Condvar;
pub use mutex::{Mutex, MutexGuard};
pub use once::Once;
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use semaphore::Semaphore;
pub use waitgroup::WaitGroup;
