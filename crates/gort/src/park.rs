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

use std::fmt;
use std::time::Instant;

pub(crate) use crate::sched::park::{
    claim_wakeup, current, park, park_goroutine, park_goroutine_unlocking, park_thread, park_until,
    Unparker, Wakeup,
};

/// Why a goroutine waits, in the words of Go's goroutine dumps (semantics 4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum WaitReason {
    /// Blocked in `Chan::recv` or ranging over a channel.
    ChanReceive,
    /// Blocked in `Chan::send`.
    ChanSend,
    /// Blocked in `select!` with at least one case.
    Select,
    /// Blocked in a `select!` with no cases: forever.
    SelectNoCases,
    /// Sleeping in `gort::time::sleep`.
    Sleep,
    /// Waiting for I/O readiness.
    IoWait,
    /// Waiting for `sync::Mutex::lock`.
    MutexLock,
    /// Waiting for `sync::RwLock::read`.
    RwMutexRLock,
    /// Waiting for `sync::RwLock::write`.
    RwMutexLock,
    /// Waiting in `sync::WaitGroup::wait`.
    WaitGroupWait,
    /// Waiting in `sync::Condvar::wait`.
    CondWait,
    /// Waiting for a semaphore, a `sync::Once` or a `JoinHandle`.
    Semacquire,
    /// Inside `gort::syscall`.
    Syscall,
    /// Waiting for another goroutine to finish (`JoinHandle::join`), reported as Go reports it.
    Join,
}

impl WaitReason {
    pub(crate) fn from_u8(v: u8) -> WaitReason {
        const ALL: [WaitReason; 14] = [
            WaitReason::ChanReceive,
            WaitReason::ChanSend,
            WaitReason::Select,
            WaitReason::SelectNoCases,
            WaitReason::Sleep,
            WaitReason::IoWait,
            WaitReason::MutexLock,
            WaitReason::RwMutexRLock,
            WaitReason::RwMutexLock,
            WaitReason::WaitGroupWait,
            WaitReason::CondWait,
            WaitReason::Semacquire,
            WaitReason::Syscall,
            WaitReason::Join,
        ];
        ALL.get(v as usize)
            .copied()
            .unwrap_or(WaitReason::Semacquire)
    }

    /// The words Go's runtime prints for this reason.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitReason::ChanReceive => "chan receive",
            WaitReason::ChanSend => "chan send",
            WaitReason::Select => "select",
            WaitReason::SelectNoCases => "select (no cases)",
            WaitReason::Sleep => "sleep",
            WaitReason::IoWait => "IO wait",
            WaitReason::MutexLock => "sync.Mutex.Lock",
            WaitReason::RwMutexRLock => "sync.RWMutex.RLock",
            WaitReason::RwMutexLock => "sync.RWMutex.Lock",
            WaitReason::WaitGroupWait => "sync.WaitGroup.Wait",
            WaitReason::CondWait => "sync.Cond.Wait",
            WaitReason::Semacquire | WaitReason::Join => "semacquire",
            WaitReason::Syscall => "syscall",
        }
    }
}

impl fmt::Display for WaitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parks until `deadline` or an unpark, whichever comes first; returns `true` if the deadline passed.
pub(crate) fn park_deadline(reason: WaitReason, deadline: Instant) -> bool {
    park_until(reason, deadline);
    Instant::now() >= deadline
}
