//! The claim word of a channel waiter: which one party completes a blocked operation (or a
//! blocked `select!`), or whether its owner withdrew first. See `waiter.rs` for the protocol
//! around it; this is the part that is model-checked.
//!
//! `state` is `WAITING`, `k + 1` once claimed for case `k`, or `CANCELLED` once the owner
//! withdrew. It only ever leaves `WAITING`, always under the lock of one of the cell's channels:
//! by compare-and-swap when the cell is `shared` (completers holding different channels' locks
//! race for a `select!`), by a plain store when one lock covers every change. `done` is set
//! (Release) by the completer once it has finished with the owner's slot and the owner; the owner
//! reads it with Acquire, which makes the slot hand-over visible to it.

use crate::loom::atomic::{AtomicBool, AtomicUsize, Ordering};

const WAITING: usize = 0;
const CANCELLED: usize = usize::MAX;

pub(crate) struct Claim {
    state: AtomicUsize,
    done: AtomicBool,
    /// The cell has entries in several queues (a `select!`).
    shared: bool,
}

impl Claim {
    pub(crate) fn new(shared: bool) -> Claim {
        Claim {
            state: AtomicUsize::new(WAITING),
            done: AtomicBool::new(false),
            shared,
        }
    }

    /// A completer claims the cell for `case`; `true` if it may now complete it. The caller holds
    /// the lock of the channel whose queue held the entry.
    #[inline]
    #[must_use]
    pub(crate) fn try_claim(&self, case: usize) -> bool {
        if !self.shared {
            // One channel's lock, which we hold, covers every claim and the owner's `cancel`: no
            // locked instruction needed. (Relaxed: the owner learns of the hand-over from `done`.)
            if self.state.load(Ordering::Relaxed) != WAITING {
                return false;
            }
            self.state.store(case + 1, Ordering::Relaxed);
            return true;
        }
        // AcqRel: the claim orders nothing by itself (the slot hand-over is ordered by the
        // channel lock and by `done`), but it keeps the protocol easy to audit.
        self.state
            .compare_exchange(WAITING, case + 1, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// The owner withdraws; `true` if no completer claimed the cell first (none ever will now).
    /// The caller holds the locks of the cell's channels.
    #[must_use]
    #[inline]
    pub(crate) fn cancel(&self) -> bool {
        self.state
            .compare_exchange(WAITING, CANCELLED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// The case the cell was claimed for, if it was claimed.
    #[inline]
    pub(crate) fn claimed_case(&self) -> Option<usize> {
        match self.state.load(Ordering::Acquire) {
            WAITING | CANCELLED => None,
            k => Some(k - 1),
        }
    }

    /// The completer is done with the cell: it must not touch it again.
    #[inline]
    pub(crate) fn finish(&self) {
        // Release: publishes the slot hand-over to the owner's Acquire load in `is_done`.
        self.done.store(true, Ordering::Release);
    }

    /// Whether a completer has finished with the cell.
    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        // Acquire: pairs with the Release store in `finish`.
        self.done.load(Ordering::Acquire)
    }
}

#[cfg(all(test, loom))]
mod model {
    use super::*;
    use loom::cell::UnsafeCell;
    use loom::sync::Arc;
    use loom::thread;

    /// A `select!` over two channels: two completers (each under its own channel's lock, so
    /// racing) try to claim the cell while its owner times out and withdraws. At most one party
    /// wins; a winning completer's value is what the owner reads once it sees `done`, and an owner
    /// whose withdrawal lost waits for `done` (never reads a half-written slot).
    #[test]
    fn one_party_completes_a_select_and_the_owner_sees_its_value() {
        loom::model(|| {
            let claim = Arc::new(Claim::new(true));
            let slot = Arc::new(UnsafeCell::new(0usize));
            let completers: Vec<_> = (0..2)
                .map(|k| {
                    let (claim, slot) = (claim.clone(), slot.clone());
                    thread::spawn(move || {
                        if claim.try_claim(k) {
                            // SAFETY: the winner of the claim alone touches the slot until `done`.
                            slot.with_mut(|v| unsafe { *v = 100 + k });
                            claim.finish();
                            true
                        } else {
                            false
                        }
                    })
                })
                .collect();
            let withdrew = claim.cancel();
            if !withdrew {
                while !claim.is_done() {
                    thread::yield_now();
                }
                let k = claim.claimed_case().expect("claimed by a completer");
                // SAFETY: `done` was seen (Acquire): the completer is finished with the slot.
                let v = slot.with(|v| unsafe { *v });
                assert_eq!(v, 100 + k);
            }
            let won = completers
                .into_iter()
                .map(|h| h.join().unwrap())
                .filter(|&w| w)
                .count();
            assert_eq!(won + usize::from(withdrew), 1, "exactly one party wins");
        });
    }
}
