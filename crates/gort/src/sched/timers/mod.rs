//! Timers: wake-ups and callbacks that fire at a deadline, never before it.
//!
//! # Design
//!
//! The ideas are Go 1.14's (`runtime/time.go`): a timer lives on the P where it was armed, and the M that
//! runs that P fires it as part of looking for work.
//!
//! **Per-P heaps.** [`Timers`] holds one 4-ary min-heap per P, keyed by deadline (nanoseconds since the
//! runtime's timer epoch) and then by arming order, behind a lock of its own. Only the P's M takes that
//! lock on the hot path; sysmon and idle Ms take it when they fire the timers of a P nobody else looks
//! at, and then with `try_lock` (whoever holds the lock is firing them already). Next to the lock sit the
//! heap's earliest deadline (`earliest`, readable without the lock) and its armed count.
//!
//! **Arming.** `sleep`, a timeout, `time::after` or a ticker on a goroutine arm their timer on the P of
//! the M they run on. A sleep (a G's park timer) costs no allocation: the heap entry holds the G, and
//! `G::timer_seq` names the entry; cancelling (a `recv_timeout` that completed early) only clears
//! `timer_seq` with a CAS and leaves the entry in the heap, where it is dropped when it comes due, or
//! earlier when cancelled entries make up half the heap (the heap is then rebuilt without them). A
//! timer number encodes the heap it sits on, so a cancel from any thread finds the right counters.
//!
//! **Firing.** The M holding a P calls [`Timers::run_due`] each time it looks for work: one atomic load
//! when nothing is due (and no clock read when the heap is empty), else one clock read, one heap lock to
//! take every due timer out, and one P-queue lock to put every goroutine they wake at the *head* of that
//! P's local run queue, in deadline order, behind only those that earlier timers woke and that have not
//! run yet (`p::Fifo`), so that they run in deadline order too (no scheduler lock); when none such
//! waits, the first (earliest deadline) skips the queue and runs at once, which is the same order
//! for two locks less (and when some wait it skips them anyway: below). The look at a goroutine
//! switch that finds a timer due passes its clock reading on to the firing
//! (`MLocal::note_due_timer`). Callback timers run right there, on the M, with no lock held; they
//! must be short and never block (a `try_send`, an unpark), as in Go.
//!
//! **Woken goroutines run first**, before what was queued and before the P's `runnext` too (`P::pop`;
//! see "Wake-ups and `runnext` chains" in `mod.rs`): a pair taking turns through `runnext` would
//! otherwise keep a woken sleeper waiting for its whole time slice. Go puts a timer's goroutine in
//! `runnext`; gort puts the whole batch at the FIFO's head, so that a batch keeps its deadline order,
//! and leaves the chain's goroutine in `runnext`, to run right after them. A wired goroutine joins
//! the batch unless its M can take it at once (it holds a P for it, or one is idle). Either way a
//! sleep's lateness does not grow with the run queue: woken goroutines put at the tail would wait
//! behind a full queue's worth of others. (The `sleepers` benchmark measures it, many goroutines
//! sleeping in a loop with more work than the cores can do: commits 665e640 and bd28d93 have the
//! figures, tail against head.)
//! What waits instead is what was queued: under more timer work than the cores can do, new goroutines
//! start late, in Go as here.
//!
//! **Under overload, the freshest wake-up first.** Deadline order costs a woken goroutine nothing
//! while its M keeps up with the P's timers. Once it falls behind, every wake-up would wait behind
//! all those still waiting from earlier ones, and every sleep would end late by the backlog's
//! length. So the first goroutine of a firing runs at once, ahead of the timer-woken goroutines
//! still waiting (the rest of its batch goes behind them, in deadline order), as Go's `runnext`
//! does for each timer's goroutine and as a server's adaptive LIFO queue does under overload: most
//! sleeps end on time, and the backlog drains when the M catches up. Those waiting keep their
//! deadline order among themselves, and are not passed over for good: once the longest-waiting
//! has waited [`TIMER_WOKEN_PATIENCE_NS`](super::p::TIMER_WOKEN_PATIENCE_NS) (2 ms), new
//! firings queue behind them until it has run (`Fifo::may_pass_timer_woken`). Go has no such
//! bound. For the freshest to come first, a firing takes *every* due timer out of the heap,
//! however many: were it to leave some there (to keep the local queue within its bound), each
//! later firing would take the oldest of those first, and the heap would be a FIFO of late
//! wake-ups. So the local queue's bound does not count the timer-woken goroutines at its head
//! (`p::LOCAL_CAP`). In the `sleepers` benchmark (100,000 goroutines sleeping 10 ms in a loop, more wake-ups
//! than two cores serve) this took the median lateness to Go's, at a lower mean and p99 (the
//! commit messages and `bench/HISTORY.md` have the figures). A firing that may not take its
//! first G (sysmon, an idle M, a schedule where the global queue goes first) queues the whole
//! batch in deadline order.
//!
//! **Idle Ms.** An M with nothing to run sleeps on its wake signal until the earliest deadline on an idle
//! P ([`Timers::idle_wait`]). One idle M at a time sleeps with a deadline: `sleeper_until` holds the
//! deadline it sleeps for, and another idle M only takes the role if it has an earlier one. The M that
//! wakes at the deadline takes an idle P, fires what is due on the idle Ps onto that P's local queue and
//! hands the P to an M (usually itself). It leaves alone the timers of Ps that Ms hold: firing those onto the global queue
//! would put them behind whatever waits there instead of on their P's local queue. A timer armed later
//! on a busy P needs no wake-up: its M either finds it due in its loop or, going idle, computes the new
//! earliest deadline itself.
//!
//! **Sysmon** is the fallback ([`Timers::sysmon_drive`]). Each tick it fires the due timers of a P that
//! has not switched goroutines for [`STUCK_GRACE_NS`] (its M is blocked in a plain call or runs a
//! goroutine that does not yield) and those of idle Ps. It leaves alone a P whose M keeps scheduling,
//! however late its timers are: they wait behind runnable goroutines there, and moving them to the
//! global queue would only put them further back; and while no idle M sleeps for the earliest deadline
//! of an idle P (none holds the sleeper role, as the one that did was handed work first, or the P went
//! idle after the sleeper took the role for a later deadline), sysmon sleeps no later than that
//! deadline. A P put on the idle list by an M that will not look for its timers (a wired M parking,
//! `Runtime::release_p`) kicks sysmon out of its sleep so that it recomputes it ([`Timers::p_went_idle`]):
//! without that, a wired goroutine's sleep could end as much as one sysmon tick late.
//! Sysmon also drives the runtime's *outside* queue ([`TimerQueue`]): timers armed where there is no P
//! of this runtime at hand (a callback fired by sysmon re-arming a ticker, an M that has lost its P).
//!
//! **Outside any runtime** (a plain OS thread calling `gort::time::after`), timers go to a process-wide
//! [`TimerQueue`] with a thread of its own, started on first use.
//!
//! **Deadlock detection** (semantics 4.3) reads [`Timers::armed`]: the timers armed and neither fired nor
//! cancelled, summed over the heaps. A timer is counted before its goroutine parks, and uncounted only
//! after the goroutine it wakes is queued, so the detector never sees a goroutine that is neither queued
//! nor waiting for a counted timer. Fired timers run from an M holding a P (never idle, so the detector
//! does not run) or from sysmon and idle Ms through `ready_batch_from_outside`, which queues under the
//! scheduler lock that the detector holds.
//!
//! **Shutdown** empties the heaps (dropping the goroutines and callbacks they hold) and refuses new
//! timers: armed timers never fire once the runtime has stopped (their owners are gone).

use std::cell::Cell;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use crossbeam_utils::CachePadded;

use super::g::{Status, G};
use super::p::PState;
use super::wake::WakeSignal;
use super::{current, Runtime};

pub(super) type Callback = Box<dyn FnOnce() + Send>;

/// No deadline (an empty heap, no sleeper).
pub(super) const NONE: u64 = u64::MAX;

/// Sysmon fires the due timers of a P that has not switched goroutines for this long: its M is blocked
/// in a plain call or runs a goroutine that does not yield (sysmon's own threshold for a stuck goroutine).
pub(crate) const STUCK_GRACE_NS: u64 = 1_000_000;

/// A scratch vector keeps at most this many slots between firings.
pub(super) const SCRATCH_KEEP: usize = 4096;

/// What a timer does when it fires.
pub(super) enum Job {
    /// Unpark this goroutine, if its park timer is still this timer (`G::timer_seq`). A G has at most one
    /// park timer at a time, and cancelling clears `timer_seq`, so this kind needs no allocation.
    Unpark(Arc<G>),
    /// Run the callback in this slot, unless cancelled.
    Call(Arc<Slot>),
}

impl Job {
    /// Not cancelled (for the rebuild of a heap with many cancelled entries).
    pub(super) fn live(&self, seq: u64) -> bool {
        match self {
            Job::Unpark(g) => g.timer_seq.load(Ordering::Relaxed) == seq,
            Job::Call(slot) => slot.lock().is_some(),
        }
    }
}

/// A callback timer's state, shared between the heap entry and the [`TimerKey`] that may cancel it.
/// Whoever takes the callback out of the slot (firing or cancelling) decides the timer's fate.
pub(super) struct Slot {
    pub(super) callback: Mutex<Option<Callback>>,
}

impl Slot {
    pub(super) fn lock(&self) -> MutexGuard<'_, Option<Callback>> {
        self.callback.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Where a callback timer is counted, for [`TimerKey::cancel`].
pub(super) enum Home {
    Queue(Arc<TimerQueue>),
    Heap(Arc<Timers>, usize),
}

/// The handle of an armed callback timer: cancels it.
pub(crate) struct TimerKey {
    pub(super) slot: Arc<Slot>,
    home: Home,
}

impl TimerKey {
    /// Cancels the timer. Returns `true` if this stopped it from firing, `false` if it had already fired
    /// (or is firing now) or was cancelled before.
    pub(crate) fn cancel(&self) -> bool {
        let taken = self.slot.lock().take();
        if taken.is_none() {
            return false;
        }
        match &self.home {
            Home::Queue(q) => {
                q.armed.fetch_sub(1, Ordering::SeqCst);
            }
            Home::Heap(t, i) => t.ps[*i].cancelled(),
        }
        true
    }
}

/// Where a timer is armed: a runtime's timers, or the process-wide queue outside any runtime.
#[derive(Clone)]
pub(crate) enum TimerHome {
    Runtime(Arc<Timers>),
    Process,
}

impl TimerHome {
    /// The current runtime's timers (this thread is one of its Ms), else the process-wide queue.
    pub(crate) fn current() -> TimerHome {
        match current::with_m(|m| m.rt().timers.clone()) {
            Some(t) => TimerHome::Runtime(t),
            None => TimerHome::Process,
        }
    }

    /// Arms a timer that calls `f` at `deadline`.
    pub(crate) fn start(&self, deadline: Instant, f: impl FnOnce() + Send + 'static) -> TimerKey {
        match self {
            TimerHome::Runtime(t) => t.start(deadline, f),
            TimerHome::Process => TimerQueue::global().start(deadline, f),
        }
    }
}

/// Arms a timer on the current runtime (the process-wide queue outside any runtime).
pub(crate) fn start_timer(deadline: Instant, f: impl FnOnce() + Send + 'static) -> TimerKey {
    TimerHome::current().start(deadline, f)
}

mod heap4;
mod outside;
mod per_p;

use heap4::*;

pub(crate) use outside::TimerQueue;
use per_p::nanos_since;
pub(crate) use per_p::Timers;
