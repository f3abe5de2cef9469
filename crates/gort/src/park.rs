//! Parking: the one way anything in gort waits.
//!
//! Channels, timers, `sync` and `JoinHandle::join` all block through this module. A *parker* is whoever
//! waits: a goroutine (then parking switches away and frees its thread and P) or a plain OS thread outside
//! any runtime (then parking blocks the thread on a futex, via `std::thread::park`). The same code path works
//! for both, so gort's primitives interoperate with code that does not run on gort.
//!
//! The protocol is a *token*, like `std::thread::park`:
//! - [`Unparker::unpark`] sets the token; if the parker is parked, it is made runnable.
//! - [`park`] consumes the token if set and returns at once; otherwise it waits until it is set.
//! - Wake-ups may be spurious, so every caller parks in a loop that re-checks its own condition:
//!
//! ```text
//! let me = park::current();
//! register(me.clone());            // under the primitive's lock
//! while !condition() { park::park(WaitReason::ChanReceive); }
//! ```
//!
//! A parked goroutine may also be *cancelled* (semantics 4.1: `run` returning unwinds every remaining
//! goroutine at its park point): then `park` unwinds instead of returning. Callers therefore keep their
//! bookkeeping (wait-queue entries and the like) in values whose `Drop` undoes it.

pub use crate::wait_reason::WaitReason;

pub(crate) use crate::sched::park::{
    claim_wakeup, current, park, park_goroutine, park_goroutine_unlocking, park_thread, park_until,
    park_until_passed, Unparker, Wakeup,
};
