//! `RwLock`: Go's `sync.RWMutex` with Rust guards.
//!
//! ## Design
//!
//! Writer-preferring, as Go: once a writer waits, new readers queue behind it, so a stream of readers
//! cannot starve writers. When the last reader leaves, the first queued writer gets the lock handed over;
//! when a writer leaves, every queued reader is admitted at once (so writers cannot starve readers
//! either), or else the next writer. Ownership always passes with the wake-up, so a woken waiter never
//! competes again. State lives behind a short internal std mutex.

use super::waiter::{self, Node};
use crate::wait_reason::WaitReason;
use std::cell::UnsafeCell;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

struct State {
    readers: usize,
    writer: bool,
    readq: VecDeque<Arc<Node>>,
    writeq: VecDeque<Arc<Node>>,
}

impl State {
    /// After a release: hands the lock to whoever is next; returns whom to wake.
    fn grant(&mut self) -> Vec<Arc<Node>> {
        if self.writer {
            return Vec::new();
        }
        if self.readers == 0 {
            if let Some(w) = self.writeq.pop_front() {
                self.writer = true;
                return vec![w];
            }
        }
        if self.writeq.is_empty() && !self.readq.is_empty() {
            self.readers += self.readq.len();
            return self.readq.drain(..).collect();
        }
        Vec::new()
    }
}

/// A reader-writer lock protecting a `T`; waiting parks the goroutine. No poisoning.
///
/// ```
/// let lock = gort::sync::RwLock::new(5);
/// {
///     let r1 = lock.read();
///     let r2 = lock.read();
///     assert_eq!(*r1 + *r2, 10);
/// }
/// *lock.write() += 1;
/// assert_eq!(*lock.read(), 6);
/// ```
pub struct RwLock<T: ?Sized> {
    state: std::sync::Mutex<State>,
    data: UnsafeCell<T>,
}

// SAFETY: the lock hands out `&mut T` to one writer at a time, possibly on another thread: `T: Send`.
unsafe impl<T: ?Sized + Send> Send for RwLock<T> {}
// SAFETY: readers on several threads share `&T` (`T: Sync`); writers get `&mut T` (`T: Send`).
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}

/// Shared access to an [`RwLock`]'s value; releases when dropped.
///
/// ```
/// let l = gort::sync::RwLock::new(1);
/// let r = l.read();
/// assert_eq!(*r, 1);
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    _marker: PhantomData<*const ()>,
}

/// Exclusive access to an [`RwLock`]'s value; releases when dropped.
///
/// ```
/// let l = gort::sync::RwLock::new(1);
/// *l.write() = 2;
/// assert_eq!(*l.read(), 2);
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    _marker: PhantomData<*const ()>,
}

// SAFETY: a read guard gives `&T`; moving or sharing it shares `&T` across threads: `T: Sync`.
unsafe impl<T: ?Sized + Sync> Send for RwLockReadGuard<'_, T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Sync> Sync for RwLockReadGuard<'_, T> {}
// SAFETY: moving a write guard moves `&mut T` access (`T: Send`); the lock may be released from any thread.
unsafe impl<T: ?Sized + Send> Send for RwLockWriteGuard<'_, T> {}
// SAFETY: sharing a write guard shares `&T`: `T: Sync`.
unsafe impl<T: ?Sized + Sync> Sync for RwLockWriteGuard<'_, T> {}

const READ: usize = 1;
const WRITE: usize = 2;

impl<T> RwLock<T> {
    /// A new unlocked lock.
    ///
    /// ```
    /// static L: gort::sync::RwLock<i32> = gort::sync::RwLock::new(0);
    /// assert_eq!(*L.read(), 0);
    /// ```
    pub const fn new(value: T) -> RwLock<T> {
        RwLock {
            state: std::sync::Mutex::new(State {
                readers: 0,
                writer: false,
                readq: VecDeque::new(),
                writeq: VecDeque::new(),
            }),
            data: UnsafeCell::new(value),
        }
    }

    /// Consumes the lock, returning the value.
    ///
    /// ```
    /// assert_eq!(gort::sync::RwLock::new(3).into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> RwLock<T> {
    /// Locks for reading, parking while a writer holds the lock or waits for it.
    ///
    /// ```
    /// let l = gort::sync::RwLock::new("x");
    /// assert_eq!(*l.read(), "x");
    /// ```
    #[track_caller]
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        let mut st = waiter::lock(&self.state);
        if !st.writer && st.writeq.is_empty() {
            st.readers += 1;
        } else {
            let node = Node::new();
            st.readq.push_back(node.clone());
            drop(st);
            self.wait(&node, WaitReason::RwMutexRLock, READ);
        }
        RwLockReadGuard {
            lock: self,
            _marker: PhantomData,
        }
    }

    /// Locks for writing, parking while anyone holds the lock.
    ///
    /// ```
    /// let l = gort::sync::RwLock::new(vec![]);
    /// l.write().push(1);
    /// assert_eq!(l.read().len(), 1);
    /// ```
    #[track_caller]
    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        let mut st = waiter::lock(&self.state);
        if !st.writer && st.readers == 0 && st.writeq.is_empty() {
            st.writer = true;
        } else {
            let node = Node::new();
            st.writeq.push_back(node.clone());
            drop(st);
            self.wait(&node, WaitReason::RwMutexLock, WRITE);
        }
        RwLockWriteGuard {
            lock: self,
            _marker: PhantomData,
        }
    }

    /// Locks for reading if that is possible without waiting.
    ///
    /// ```
    /// let l = gort::sync::RwLock::new(0);
    /// let w = l.write();
    /// assert!(l.try_read().is_none());
    /// drop(w);
    /// assert!(l.try_read().is_some());
    /// ```
    pub fn try_read(&self) -> Option<RwLockReadGuard<'_, T>> {
        let mut st = waiter::lock(&self.state);
        if !st.writer && st.writeq.is_empty() {
            st.readers += 1;
            Some(RwLockReadGuard {
                lock: self,
                _marker: PhantomData,
            })
        } else {
            None
        }
    }

    /// Locks for writing if that is possible without waiting.
    ///
    /// ```
    /// let l = gort::sync::RwLock::new(0);
    /// let r = l.read();
    /// assert!(l.try_write().is_none());
    /// drop(r);
    /// assert!(l.try_write().is_some());
    /// ```
    pub fn try_write(&self) -> Option<RwLockWriteGuard<'_, T>> {
        let mut st = waiter::lock(&self.state);
        if !st.writer && st.readers == 0 && st.writeq.is_empty() {
            st.writer = true;
            Some(RwLockWriteGuard {
                lock: self,
                _marker: PhantomData,
            })
        } else {
            None
        }
    }

    /// Mutable access without locking.
    ///
    /// ```
    /// let mut l = gort::sync::RwLock::new(1);
    /// *l.get_mut() += 1;
    /// assert_eq!(*l.read(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// Parks until `node` is granted; a cancelled waiter withdraws or gives back what it was granted.
    #[track_caller]
    fn wait(&self, node: &Arc<Node>, reason: WaitReason, kind: usize) {
        struct Cancel<'a, T: ?Sized> {
            lock: &'a RwLock<T>,
            node: &'a Arc<Node>,
            kind: usize,
            armed: bool,
        }
        impl<T: ?Sized> Drop for Cancel<'_, T> {
            fn drop(&mut self) {
                if !self.armed {
                    return;
                }
                let mut st = waiter::lock(&self.lock.state);
                let removed = if self.kind == READ {
                    waiter::remove(&mut st.readq, self.node)
                } else {
                    waiter::remove(&mut st.writeq, self.node)
                };
                if !removed {
                    // Granted already: give it back.
                    if self.kind == READ {
                        st.readers -= 1;
                    } else {
                        st.writer = false;
                    }
                }
                let wake = st.grant();
                drop(st);
                for n in wake {
                    n.signal(1);
                }
            }
        }
        let mut cancel = Cancel {
            lock: self,
            node,
            kind,
            armed: true,
        };
        node.wait(reason);
        cancel.armed = false;
    }

    fn read_unlock(&self) {
        let mut st = waiter::lock(&self.state);
        st.readers -= 1;
        let wake = st.grant();
        drop(st);
        for n in wake {
            n.signal(1);
        }
    }

    fn write_unlock(&self) {
        let mut st = waiter::lock(&self.state);
        st.writer = false;
        // Readers first: they were queued behind this writer; then the next writer.
        let wake = if st.readq.is_empty() {
            st.grant()
        } else {
            st.readers += st.readq.len();
            st.readq.drain(..).collect()
        };
        drop(st);
        for n in wake {
            n.signal(1);
        }
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a read guard exists only while `readers > 0`, which excludes any writer.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.read_unlock();
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a write guard exists only while `writer` is set, which excludes everyone else.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and `&mut self` makes this the only use of the guard.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.write_unlock();
    }
}

impl<T: Default> Default for RwLock<T> {
    fn default() -> Self {
        RwLock::new(T::default())
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("RwLock");
        match self.try_read() {
            Some(g) => d.field("data", &&*g),
            None => d.field("data", &format_args!("<locked>")),
        };
        d.finish_non_exhaustive()
    }
}
