//! One direction (read or write) of a polled descriptor: who waits for its next edge.
//!
//! The word holds one of three things (Go's `pollDesc.rg`/`wg`):
//! - `EMPTY`: nobody waits, and no edge is pending;
//! - `READY`: an edge came that nobody has consumed yet: the next goroutine to wait takes it and
//!   retries its call instead of parking;
//! - a waiting goroutine: `Arc::into_raw` of a counted reference to its G (never `0` or `1`: a G
//!   is aligned), which whoever takes the word out owns.
//!
//! The race this closes: a goroutine's `read` returns EAGAIN, then data arrives and the poller
//! sees the edge, then the goroutine parks. Edge-triggered epoll reports that edge once; the slot
//! keeps it as `READY` (no waiter yet) or hands it to the waiter (already installed), and the park
//! token (`crate::park`) covers an unpark that comes between installing and parking.
//!
//! Every transition is one method returning what happened.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::loom::atomic::{AtomicUsize, Ordering};
use crate::sched::g::G;

const EMPTY: usize = 0;
const READY: usize = 1;

/// Outcome of [`Slot::prepare`].
#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Prepared {
    /// An edge was pending: consumed; retry the call now.
    Ready,
    /// The goroutine is installed as the waiter: park (and [`Slot::finish`] after).
    Installed,
}

/// A slot whose waiter is an `Arc<T>`: a goroutine's G (the loom models use a stand-in).
pub(crate) struct Slot<T = G>(AtomicUsize, PhantomData<Arc<T>>);

impl<T> Slot<T> {
    pub(crate) fn new() -> Slot<T> {
        Slot(AtomicUsize::new(EMPTY), PhantomData)
    }

    /// Before parking: consumes a pending edge, or installs `g` as the waiter. One waiter per
    /// direction (the caller's per-direction lock makes sure of it).
    #[inline]
    pub(crate) fn prepare(&self, g: &Arc<T>) -> Prepared {
        // Acquire on READY: the poller's edge happened before our retry reads the descriptor.
        if self
            .0
            .compare_exchange(READY, EMPTY, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            return Prepared::Ready;
        }
        let me = Arc::into_raw(g.clone()) as usize;
        debug_assert!(me > READY);
        match self
            .0
            .compare_exchange(EMPTY, me, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => Prepared::Installed,
            Err(found) => {
                // SAFETY: `me` came from `Arc::into_raw` just above and was never published.
                drop(unsafe { Arc::from_raw(me as *const T) });
                debug_assert_eq!(found, READY, "two waiters on one direction");
                // The edge came between the two CASes: consume it (Acquire, as above).
                self.0.swap(EMPTY, Ordering::Acquire);
                Prepared::Ready
            }
        }
    }

    /// After the park returns (woken, timed out, or unwinding): takes the word back to `EMPTY`.
    /// True if an edge came while we waited (retry the call). If our registration is still there
    /// (a timeout, a spurious wake-up), it is withdrawn and its reference dropped.
    #[must_use]
    #[inline]
    pub(crate) fn finish(&self) -> bool {
        let old = self.0.swap(EMPTY, Ordering::AcqRel);
        if old > READY {
            // SAFETY: a waiter word is `Arc::into_raw` of a reference that the word owns; the swap
            // took it out, so we own it now.
            drop(unsafe { Arc::from_raw(old as *const T) });
        }
        old == READY
    }

    /// An edge came (`ready`), or the waiter must look again at its deadline or the descriptor's
    /// closing (`!ready`). Returns the waiting goroutine, if one was installed, for the caller to
    /// unpark; with `ready`, the slot is left `READY` so that the waiter (or the next one) retries.
    #[must_use]
    #[inline]
    pub(crate) fn unblock(&self, ready: bool) -> Option<Arc<T>> {
        let mut old = self.0.load(Ordering::Acquire);
        loop {
            if old == READY || (old == EMPTY && !ready) {
                return None;
            }
            let new = if ready { READY } else { EMPTY };
            // Release: what the edge's discoverer did before is visible to the waiter that
            // consumes READY; Acquire: the waiter's G is fully published to us.
            match self
                .0
                .compare_exchange(old, new, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) if old == EMPTY => return None,
                // SAFETY: as in `finish`: the CAS took the waiter word out, so we own it.
                Ok(_) => return Some(unsafe { Arc::from_raw(old as *const T) }),
                Err(x) => old = x,
            }
        }
    }

    /// Forgets a pending edge (a descriptor slot being reused). Never called with a waiter.
    #[inline]
    pub(crate) fn reset(&self) {
        let old = self.0.swap(EMPTY, Ordering::AcqRel);
        debug_assert!(old <= READY, "a reused descriptor still had a waiter");
    }
}

impl<T> Drop for Slot<T> {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

#[cfg(all(test, loom))]
mod model {
    use super::*;
    use loom::thread;

    /// A waiter that found the descriptor empty prepares, "parks" and finishes while the poller
    /// delivers an edge: the edge is never lost (the waiter consumed it in `prepare`, was handed
    /// it by `unblock`, finds it in `finish`, or it stays `READY` for the next wait), and the
    /// waiter's reference is dropped exactly once (the count is back to one at the end).
    #[test]
    fn an_edge_between_eagain_and_park_is_never_lost() {
        loom::model(|| {
            let slot: &'static Slot<u32> = Box::leak(Box::new(Slot::new()));
            let me = Arc::new(7u32);
            let poller = thread::spawn(move || slot.unblock(true).is_some());
            let consumed_early = slot.prepare(&me) == Prepared::Ready;
            let seen_late = !consumed_early && slot.finish();
            let handed = poller.join().unwrap();
            let pending = slot.0.load(Ordering::Relaxed) == READY;
            assert!(
                consumed_early || seen_late || handed || pending,
                "an edge was lost"
            );
            assert_eq!(
                Arc::strong_count(&me),
                1,
                "a waiter reference leaked or was freed twice"
            );
            // SAFETY: leaked above for the model's duration; nothing else holds it now.
            drop(unsafe { Box::from_raw(slot as *const Slot<u32> as *mut Slot<u32>) });
        });
    }

    /// A deadline change or a close (`unblock(false)`) while a goroutine waits takes it out of the
    /// slot exactly once, and leaves no edge behind.
    #[test]
    fn a_waiter_woken_without_an_edge_is_taken_out_once() {
        loom::model(|| {
            let slot: &'static Slot<u32> = Box::leak(Box::new(Slot::new()));
            let me = Arc::new(7u32);
            assert_eq!(slot.prepare(&me), Prepared::Installed);
            let closer = thread::spawn(move || slot.unblock(false).is_some());
            let edge = slot.finish();
            let woke = closer.join().unwrap();
            assert!(!edge, "no edge was delivered");
            let _ = woke;
            assert_eq!(Arc::strong_count(&me), 1);
            // SAFETY: as above.
            drop(unsafe { Box::from_raw(slot as *const Slot<u32> as *mut Slot<u32>) });
        });
    }
}
