//! Waiters: the record a blocked channel operation leaves in a channel's queue.
//!
//! A parker that cannot complete its operation at once builds a [`WaitCell`] on its own stack, puts an
//! [`Entry`] pointing at the cell (and at the value slot of the operation) into the queue of every channel
//! it waits on, and parks until the cell is *done*. A plain `send`/`recv` enqueues one entry; a `select!`
//! enqueues one entry per case, all pointing at the same cell.
//!
//! ## The claim protocol
//!
//! Exactly one party may complete a cell (`claim.rs`). The cell's `state` starts at `WAITING`; a completer (a sender
//! that hands over a value, a receiver that takes one, `close`) moves it with one compare-and-swap to
//! "claimed for case k". Only the winner of that CAS touches the slot. The owner withdraws (timeout,
//! cancellation) by the same CAS to `CANCELLED`. Since the completer of a select holds the lock of only the
//! one channel it works on, this CAS is what keeps two channels from both completing one select.
//!
//! A completer does, all while holding the lock of the entry's channel: claim, move the value into or out of
//! the slot, wake the owner (set its park token, or take the parked goroutine over to queue it), and
//! only then set `done`. After `done` is set it must not touch the cell or the slot again: the owner may
//! have returned and its stack frame be gone. It queues the goroutine (or unparks the thread) after
//! releasing the lock.
//!
//! The owner, conversely, keeps its cell and slots alive until either it has seen `done`, or it has
//! taken the lock of every channel it waits on and removed its entries: any completer that claimed it
//! did all its work under one of those locks, so it has finished. An owner woken while its cell is
//! claimed but not yet done (its completer set the token an instant before `done`) waits the few
//! instructions until `done` rather than parking again, which would sleep past the token.
//!
//! Entries hold raw pointers into the owner's stack for this reason: no allocation per blocking operation,
//! and the protocol above bounds the pointers' lifetime. A goroutine owner is recorded as a plain pointer
//! to its G, not a counted reference: the G cannot leave its wait, let alone exit, before `done`, and
//! the completer is done with the pointer before it sets `done`. A parked G owns a reference to itself,
//! which the completer takes over (`G::take_park_ref`), so a hand-over costs no reference counting.

use super::claim::Claim;
use crate::park::{self, Wakeup};
use crate::sched::current;
use crate::sched::g::G;
use crate::spinlock::HeldLock;
use crate::wait_reason::WaitReason;
use std::cell::UnsafeCell;
use std::panic::Location;
use std::ptr::NonNull;
use std::time::Instant;

/// Who waits on a cell.
enum Owner {
    /// A goroutine (a plain pointer: see the module comment).
    Goroutine(NonNull<G>),
    /// A plain OS thread. The completer takes the handle out to unpark the thread after the lock.
    Thread(UnsafeCell<Option<std::thread::Thread>>),
}

/// The shared part of one blocked operation (or one blocked `select!`), on the owner's stack.
pub struct WaitCell {
    owner: Owner,
    /// Who completes it, and when they are done (`claim.rs`, model-checked).
    claim: Claim,
}

impl WaitCell {
    /// A fresh cell for the calling parker, for one operation on one channel.
    #[inline]
    pub(crate) fn new() -> WaitCell {
        WaitCell::with_sharing(false)
    }

    /// A fresh cell for the calling parker's `select!`, whose entries go into several queues.
    pub(crate) fn for_select() -> WaitCell {
        WaitCell::with_sharing(true)
    }

    #[inline]
    fn with_sharing(shared: bool) -> WaitCell {
        let g = current::current_g_ptr();
        let owner = match NonNull::new(g.cast_mut()) {
            Some(g) => Owner::Goroutine(g),
            None => Owner::Thread(UnsafeCell::new(Some(std::thread::current()))),
        };
        WaitCell {
            owner,
            claim: Claim::new(shared),
        }
    }

    /// Tries to claim the cell for `case`; `true` if this caller may now complete it. The caller holds
    /// the lock of the channel whose queue held the entry.
    #[inline]
    pub(crate) fn try_claim(&self, case: usize) -> bool {
        self.claim.try_claim(case)
    }

    /// The owner withdraws; `true` if no completer claimed the cell first (none ever will now). The
    /// caller holds the locks of the cell's channels.
    pub(crate) fn cancel(&self) -> bool {
        self.claim.cancel()
    }

    /// The case the cell was claimed for, if it was claimed.
    pub(crate) fn claimed_case(&self) -> Option<usize> {
        self.claim.claimed_case()
    }

    /// Wakes the owner of a claimed cell and marks the cell done. Returns what to do once the
    /// channel lock is released. The caller must not touch the cell after this.
    pub(crate) fn complete(&self) -> Option<Wakeup> {
        let wakeup = match &self.owner {
            Owner::Goroutine(g) => {
                // SAFETY: the owner cannot leave its wait before `done`, which we set below: its G
                // is alive (module comment).
                let g = unsafe { g.as_ref() };
                park::claim_wakeup(g)
            }
            // SAFETY: the caller won the claim, so it alone touches the handle until `done` is
            // set; the owner reads it only after seeing `done` (Acquire) or after its own `cancel`
            // succeeded, which no completer can then have claimed.
            Owner::Thread(t) => unsafe { (*t.get()).take() }.map(Wakeup::Thread),
        };
        self.claim.finish();
        wakeup
    }

    /// Whether a completer has finished with this cell.
    pub(crate) fn is_done(&self) -> bool {
        self.claim.is_done()
    }

    /// Parks until the cell is done, having just queued its one entry under the channel lock
    /// `held`, which is released once the owner is parked (a goroutine: see `sched/park.rs`) or at
    /// once (a thread). Returns `true` (done).
    #[track_caller]
    pub(crate) fn wait_unlocking(&self, reason: WaitReason, held: HeldLock) -> bool {
        match &self.owner {
            // SAFETY: the owner is the goroutine running this code, alive while it runs.
            Owner::Goroutine(g) => park::park_goroutine_unlocking(
                unsafe { g.as_ref() },
                reason,
                Location::caller(),
                held,
            ),
            // SAFETY: the caller holds the lock and gives it up here, once.
            Owner::Thread(_) => unsafe { held.release() },
        }
        self.wait(reason, None)
    }

    /// Parks until the cell is done or `deadline` passes (never, if `None`). Returns `true` if done.
    #[track_caller]
    pub(crate) fn wait(&self, reason: WaitReason, deadline: Option<Instant>) -> bool {
        loop {
            if self.is_done() {
                return true;
            }
            if self.claimed_case().is_some() {
                // A completer is between its claim and `done`, under a channel lock (module
                // comment): a matter of instructions, unless the OS preempted it.
                let backoff = crossbeam_utils::Backoff::new();
                while !self.is_done() {
                    backoff.snooze();
                }
                return true;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return self.is_done();
            }
            let at = Location::caller();
            match &self.owner {
                Owner::Goroutine(g) => {
                    // SAFETY: the owner is the goroutine running this code, alive while it runs.
                    let g = unsafe { g.as_ref() };
                    park::park_goroutine(g, reason, deadline, at)
                }
                Owner::Thread(_) => park::park_thread(deadline),
            }
        }
    }
}

/// A queue entry: which cell, which value slot, and which case of the owner's select it stands for.
pub(crate) struct Entry<T> {
    cell: NonNull<WaitCell>,
    slot: NonNull<UnsafeCell<Option<T>>>,
    case: usize,
}

impl<T> Entry<T> {
    /// An entry for `cell`, moving values through `slot`.
    ///
    /// The caller (the owner) must keep `cell` and `slot` alive and in place until the protocol in the
    /// module comment says the entry is gone.
    pub(crate) fn new(cell: &WaitCell, slot: &UnsafeCell<Option<T>>, case: usize) -> Entry<T> {
        Entry {
            cell: NonNull::from(cell),
            slot: NonNull::from(slot),
            case,
        }
    }

    /// Whether this entry belongs to `cell`.
    pub(crate) fn is_of(&self, cell: &WaitCell) -> bool {
        std::ptr::eq(self.cell.as_ptr(), cell)
    }

    /// Claims the entry's cell for its case; on success returns a handle through which to complete it.
    pub(crate) fn claim(self) -> Option<Claimed<T>> {
        // SAFETY: an entry is in a queue (we were given it by value from one, under the channel lock) only
        // while its owner keeps the cell alive: the owner removes its entries under that lock before its
        // frame ends, or the entry was removed by a completer and then never used again.
        let cell = unsafe { self.cell.as_ref() };
        if cell.try_claim(self.case) {
            Some(Claimed { entry: self })
        } else {
            None
        }
    }
}

/// An entry whose cell this thread has claimed: it may use the slot, then must call [`Claimed::complete`].
pub(crate) struct Claimed<T> {
    entry: Entry<T>,
}

impl<T> Claimed<T> {
    /// Puts `v` into the owner's slot (a receiver's).
    pub(crate) fn put(&mut self, v: T) {
        // SAFETY: we won the claim, so no one else touches the slot until `done`; the owner keeps it alive
        // until `done` or until it has taken the channel lock we hold (module comment).
        unsafe { *self.entry.slot.as_ref().get() = Some(v) }
    }

    /// Takes the value out of the owner's slot (a sender's).
    pub(crate) fn take(&mut self) -> Option<T> {
        // SAFETY: as in `put`.
        unsafe { (*self.entry.slot.as_ref().get()).take() }
    }

    /// Wakes the owner and marks the cell done; returns what to do once the channel lock is released.
    pub(crate) fn complete(self) -> Option<Wakeup> {
        // SAFETY: as in `put`; after this call we hold no pointer into the owner's frame.
        unsafe { self.entry.cell.as_ref() }.complete()
    }
}
