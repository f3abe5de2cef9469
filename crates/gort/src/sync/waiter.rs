//! The wait node shared by every `sync` primitive.
//!
//! A blocked caller allocates a [`Node`] (an `Arc`, so that whoever wakes it can still touch it after the
//! sleeper has returned), puts it in the primitive's queue under the primitive's internal lock, releases
//! the lock and parks until the node is *signalled* with a non-zero word. The word says what happened
//! (for instance "you own the mutex now" versus "try again"). Nodes are allocated only on the slow path.
//!
//! The internal locks are std mutexes held for a few instructions; no user code runs under them and nothing
//! parks while holding them, so poisoning cannot carry meaning and is ignored ([`lock`]).

use crate::loom::atomic::{AtomicUsize, Ordering};
use crate::park::{self, Unparker};
use crate::wait_reason::WaitReason;
use std::collections::VecDeque;
use std::sync::{Arc, MutexGuard};

/// One blocked caller.
pub(crate) struct Node {
    unparker: Unparker,
    /// 0 while waiting; the signal once signalled. Release on signal, Acquire on read: what the signaller
    /// did before (a handed-over lock's protected data, a granted permit) is visible to the woken caller.
    word: AtomicUsize,
}

impl Node {
    /// A node for the calling parker.
    pub(crate) fn new() -> Arc<Node> {
        Arc::new(Node {
            unparker: park::current(),
            word: AtomicUsize::new(0),
        })
    }

    /// Signals `v` (non-zero) and wakes the owner.
    pub(crate) fn signal(&self, v: usize) {
        debug_assert_ne!(v, 0);
        self.word.store(v, Ordering::Release);
        self.unparker.unpark();
    }

    /// The signal, or 0.
    pub(crate) fn get(&self) -> usize {
        self.word.load(Ordering::Acquire)
    }

    /// Parks until signalled; returns the signal.
    #[track_caller]
    pub(crate) fn wait(&self, reason: WaitReason) -> usize {
        loop {
            let v = self.get();
            if v != 0 {
                return v;
            }
            park::park(reason);
        }
    }
}

/// Removes `n` from `q`; `true` if it was there.
pub(crate) fn remove(q: &mut VecDeque<Arc<Node>>, n: &Arc<Node>) -> bool {
    match q.iter().position(|x| Arc::ptr_eq(x, n)) {
        Some(i) => {
            q.remove(i);
            true
        }
        None => false,
    }
}

/// Locks an internal std mutex, ignoring poison (module comment).
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
