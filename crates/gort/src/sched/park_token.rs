//! The park token: the one word that decides whether a goroutine is parked, and who readies it.
//!
//! It implements the protocol of `crate::park` for goroutines. Its states, and who may move it:
//!
//! | from | to | who | method |
//! |---|---|---|---|
//! | `IDLE` | `NOTIFIED` | an unparker that finds the G running (or suspending) | [`ParkToken::notify`] |
//! | `NOTIFIED` | `IDLE` | the G itself, at its next park, which then returns at once | [`ParkToken::take_notification`] |
//! | `IDLE` | `PARKED` | the M, once the G's context is saved (a CAS) | [`ParkToken::settle_park`] |
//! | `NOTIFIED` | `IDLE` | the M, whose CAS to `PARKED` lost to an unpark: the G runs again | [`ParkToken::settle_park`] |
//! | `IDLE` | `PARKED` | the M, for a G that parked holding its channel's lock (a plain store: only that channel's completer can end the wait, and it takes the lock first; `sched/park.rs`) | [`ParkToken::settle_park_under_lock`] |
//! | `PARKED` | `IDLE` | the one unparker that wins the CAS: it owns the G's park reference and queues it | [`ParkToken::notify`] |
//! | any | `IDLE` | a free G being reused (nobody else references it) | [`ParkToken::reset`] |
//!
//! The `PARKED -> IDLE` CAS is what makes "readied exactly once" hold however many threads unpark
//! at once. Orderings: the M's move to `PARKED` is Release (the G's saved context), the unparker's
//! move out of it Acquire, so the M that resumes the G sees the context; an unparker's move to
//! `NOTIFIED` is Release and the G's move back Acquire, so what the unparker wrote before is
//! visible to the G when its park returns.

use crate::loom::atomic::{AtomicU8, Ordering};

const IDLE: u8 = 0;
const NOTIFIED: u8 = 1;
const PARKED: u8 = 2;

/// What [`ParkToken::notify`] did.
#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Notify {
    /// The G was parked: the caller now owns its park reference and must queue it.
    Readied,
    /// The G was not parked: the token is set (or was already), and its next park returns at once.
    Noted,
}

/// What [`ParkToken::settle_park`] did.
#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Settle {
    /// The G is parked: its park reference now belongs to whoever readies it.
    Parked,
    /// An unpark came while the G was suspending: it was consumed, and the G must run again.
    Raced,
}

pub(crate) struct ParkToken(AtomicU8);

impl ParkToken {
    pub(crate) fn new() -> ParkToken {
        ParkToken(AtomicU8::new(IDLE))
    }

    /// Back to `IDLE`, for a free G being reused: nobody else references it.
    #[inline]
    pub(crate) fn reset(&self) {
        self.0.store(IDLE, Ordering::Relaxed);
    }

    /// An unparker sets the token: readies the G if it is parked, else leaves the token for its
    /// next park.
    #[inline]
    pub(crate) fn notify(&self) -> Notify {
        let mut s = self.0.load(Ordering::Acquire);
        loop {
            let to = match s {
                NOTIFIED => return Notify::Noted,
                IDLE => NOTIFIED,
                PARKED => IDLE,
                _ => unreachable!("bad park token {s}"),
            };
            // AcqRel: Release publishes the unparker's writes to the G (`IDLE -> NOTIFIED`);
            // Acquire sees the G's saved context (`PARKED -> IDLE`).
            match self
                .0
                .compare_exchange(s, to, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) if s == PARKED => return Notify::Readied,
                Ok(_) => return Notify::Noted,
                Err(x) => s = x,
            }
        }
    }

    /// The G, about to park, takes a token left by an earlier unpark. True if there was one: the
    /// park returns at once. The plain load first spares the usual case (no token) a locked
    /// instruction.
    #[inline]
    pub(crate) fn take_notification(&self) -> bool {
        self.0.load(Ordering::Relaxed) == NOTIFIED
            && self
                .0
                // Acquire: pairs with the unparker's Release in `notify`.
                .compare_exchange(NOTIFIED, IDLE, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
    }

    /// The M, once the G's context is saved, marks it parked, unless an unpark came meanwhile
    /// (which this consumes).
    #[inline]
    pub(crate) fn settle_park(&self) -> Settle {
        // Release: the G's saved context happens-before whoever readies it (Acquire there).
        match self
            .0
            .compare_exchange(IDLE, PARKED, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => Settle::Parked,
            Err(_) => {
                // Only an unpark moves the token off IDLE while the G is not parked.
                let _ =
                    self.0
                        .compare_exchange(NOTIFIED, IDLE, Ordering::AcqRel, Ordering::Relaxed);
                Settle::Raced
            }
        }
    }

    /// The M marks parked a G that parked holding its channel's lock: a plain store, published by
    /// the release of that lock (see `sched/park.rs`, `park_goroutine_unlocking`). A stale token
    /// is overwritten: it was spurious.
    #[inline]
    pub(crate) fn settle_park_under_lock(&self) {
        self.0.store(PARKED, Ordering::Relaxed);
    }

    /// Whether the G is parked now (Acquire: a thread outside the runtime that sees it parked and
    /// goes on to ready it sees its saved context).
    #[inline]
    pub(crate) fn is_parked(&self) -> bool {
        self.0.load(Ordering::Acquire) == PARKED
    }
}

#[cfg(all(test, loom))]
mod model {
    use super::*;
    use loom::sync::Arc;
    use loom::thread;

    /// A G parks while two unparkers race for it: it is readied exactly once if its park settled,
    /// never if the park raced with an unpark, and the token ends IDLE or NOTIFIED.
    #[test]
    fn a_parked_goroutine_is_readied_exactly_once_by_racing_unparkers() {
        loom::model(|| {
            let t = Arc::new(ParkToken::new());
            let unparkers: Vec<_> = (0..2)
                .map(|_| {
                    let t = t.clone();
                    thread::spawn(move || t.notify() == Notify::Readied)
                })
                .collect();
            let parked = t.settle_park() == Settle::Parked;
            let readied = unparkers
                .into_iter()
                .map(|h| h.join().unwrap())
                .filter(|&r| r)
                .count();
            assert_eq!(readied, usize::from(parked));
            assert_ne!(
                t.0.load(Ordering::Relaxed),
                PARKED,
                "parked with nobody to ready it"
            );
        });
    }

    /// A token set before the park makes the park return at once: the G is never left parked
    /// with the token consumed.
    #[test]
    fn an_unpark_before_the_park_is_never_lost() {
        loom::model(|| {
            let t = Arc::new(ParkToken::new());
            let t2 = t.clone();
            let unparker = thread::spawn(move || t2.notify());
            // The G's side: consume a token, else suspend and settle.
            let ran_on = t.take_notification() || t.settle_park() == Settle::Raced;
            let n = unparker.join().unwrap();
            // Either the G never parked, or the unparker readied it.
            assert!(ran_on || n == Notify::Readied);
        });
    }
}
