//! P: a processor, the right to run goroutine code. There are `max_procs` of them.
//!
//! Each P has a local run queue: a `runnext` slot plus a FIFO bounded at [`LOCAL_CAP`] (Go: 256).
//! `runnext` holds the G readied or spawned most recently by the G running on this P: it runs next and
//! inherits the current time slice (semantics 1.1, 1.5). When the FIFO is full, half of it moves to the
//! global queue (1.3). Idle Ms steal half of another P's FIFO (1.4).
//!
//! The queue sits behind a mutex: with a handful of Ps, an uncontended lock costs about as much as the
//! atomics of a lock-free ring, and it lets anyone push into any P's queue safely, which matters when a
//! P changes hands under a running G (sysmon's hand-off, semantics 1.7).
//!
//! Ownership of a P is one atomic word, `state` = owner M id × 4 + [`PState`]. Every transfer is a CAS on
//! the whole word, so an M that lost its P (sysmon took it while the M sat in a syscall or a long call)
//! finds out at its next scheduling point even if the P has since been given to another M (no ABA: M ids
//! are never reused).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::g::G;

/// Bound of a P's FIFO (Go's 256).
pub(crate) const LOCAL_CAP: usize = 256;

/// The low bits of `P::state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub(crate) enum PState {
    /// On the idle list (owner 0), or in transit between Ms.
    Idle = 0,
    /// Its M is in the scheduler loop (between goroutines).
    Sched = 1,
    /// Its M runs goroutine code. Sysmon may take it (1.7).
    Running = 2,
    /// Its M is inside `gort::syscall`. Sysmon may take it (1.7, 3).
    Syscall = 3,
}

pub(crate) fn pack(owner: u64, s: PState) -> u64 {
    owner * 4 + s as u64
}

#[derive(Default)]
pub(crate) struct LocalQueue {
    pub(crate) runnext: Option<Arc<G>>,
    pub(crate) fifo: VecDeque<Arc<G>>,
}

pub(crate) struct P {
    /// Owner and state (see the module comment). Every change is a SeqCst CAS or store: sysmon, the
    /// owner and idle-list code all reason about it together with `npidle` and the queue lengths.
    pub(crate) state: AtomicU64,
    queue: Mutex<LocalQueue>,
    /// `runnext` + FIFO length, kept under the queue lock; read without it as a hint (Relaxed), and
    /// SeqCst where the lost-wake-up argument of `Runtime::release_p` needs it.
    len: AtomicUsize,
    /// Whether `runnext` is occupied (a hint, like `len`).
    has_next: AtomicBool,
    /// Bumped each time a G starts running on this P (Go's schedtick). Sysmon reads it to see a G that
    /// has run for 10 ms without a scheduling point.
    pub(crate) schedtick: AtomicU64,
    /// Bumped when a G starts a fresh time slice (not when it inherits one through `runnext`).
    pub(crate) slice: AtomicU64,
    /// Set by sysmon when the current slice is older than 10 ms: readied Gs then go to the FIFO tail.
    pub(crate) slice_expired: AtomicBool,
    /// When the owner entered `gort::syscall` (runtime nanoseconds).
    pub(crate) syscall_since: AtomicU64,
}

impl P {
    pub(crate) fn new() -> P {
        P {
            state: AtomicU64::new(pack(0, PState::Idle)),
            queue: Mutex::new(LocalQueue::default()),
            len: AtomicUsize::new(0),
            has_next: AtomicBool::new(false),
            schedtick: AtomicU64::new(0),
            slice: AtomicU64::new(0),
            slice_expired: AtomicBool::new(false),
            syscall_since: AtomicU64::new(0),
        }
    }

    /// Updates the lock-free length hints; called under the queue lock after every change.
    fn publish_len(&self, q: &LocalQueue) {
        // `has_next` first: `fifo_len` reads it after `len`, so it never sees a runnext that is not
        // counted yet (it may briefly undercount the FIFO, which is fine for a hint).
        self.has_next.store(q.runnext.is_some(), Ordering::Relaxed);
        self.len.store(
            q.fifo.len() + q.runnext.is_some() as usize,
            Ordering::SeqCst,
        );
    }

    fn lock(&self) -> MutexGuard<'_, LocalQueue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Length of the FIFO alone (without `runnext`), as a hint.
    pub(crate) fn fifo_len(&self) -> usize {
        let n = self.len.load(Ordering::SeqCst);
        n.saturating_sub(self.has_next.load(Ordering::Relaxed) as usize)
    }

    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::SeqCst)
    }

    /// Queues `g`. With `next`, it goes to `runnext` and the previous occupant to the FIFO tail.
    /// Returns the Gs that overflowed (half the FIFO), for the caller to move to the global queue.
    pub(crate) fn push(&self, g: Arc<G>, next: bool) -> Option<Vec<Arc<G>>> {
        let mut q = self.lock();
        let tail = if next { q.runnext.replace(g) } else { Some(g) };
        let mut overflow = None;
        if let Some(t) = tail {
            if q.fifo.len() >= LOCAL_CAP {
                let half = q.fifo.len() / 2;
                let mut moved: Vec<Arc<G>> = q.fifo.drain(..half).collect();
                moved.push(t);
                overflow = Some(moved);
            } else {
                q.fifo.push_back(t);
            }
        }
        self.publish_len(&q);
        overflow
    }

    /// Appends a batch taken from elsewhere (global queue, a steal) to the FIFO tail.
    /// Returns what did not fit.
    pub(crate) fn push_batch(&self, batch: impl IntoIterator<Item = Arc<G>>) -> Vec<Arc<G>> {
        let mut q = self.lock();
        let mut rest = Vec::new();
        for g in batch {
            if q.fifo.len() < LOCAL_CAP {
                q.fifo.push_back(g);
            } else {
                rest.push(g);
            }
        }
        self.publish_len(&q);
        rest
    }

    /// Moves up to `n` Gs from the front of `from` to the FIFO tail, as many as fit.
    pub(crate) fn take_from(&self, from: &mut VecDeque<Arc<G>>, n: usize) {
        let mut q = self.lock();
        let n = n
            .min(LOCAL_CAP - q.fifo.len().min(LOCAL_CAP))
            .min(from.len());
        q.fifo.extend(from.drain(..n));
        self.publish_len(&q);
    }

    /// Takes the next G: `runnext` first (returned with `true`: it inherits the slice), then the FIFO.
    pub(crate) fn pop(&self) -> Option<(Arc<G>, bool)> {
        if self.len.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let mut q = self.lock();
        let r = if let Some(g) = q.runnext.take() {
            Some((g, true))
        } else {
            q.fifo.pop_front().map(|g| (g, false))
        };
        self.publish_len(&q);
        r
    }

    /// Takes the G that would run next, if it is wired to an M (whose P this must become).
    pub(crate) fn pop_if_wired(&self) -> Option<Arc<G>> {
        if self.len.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let mut q = self.lock();
        let wired = match &q.runnext {
            Some(g) => g.wired_m().is_some(),
            None => q.fifo.front().is_some_and(|g| g.wired_m().is_some()),
        };
        if !wired {
            return None;
        }
        let g = q.runnext.take().or_else(|| q.fifo.pop_front());
        self.publish_len(&q);
        g
    }

    /// Steals half of the FIFO (at least one). `runnext` is taken only if `with_runnext` (the victim is
    /// not running a G that will likely run it in a moment).
    pub(crate) fn steal(&self, with_runnext: bool) -> Vec<Arc<G>> {
        if self.len.load(Ordering::Relaxed) == 0 {
            return Vec::new();
        }
        let mut q = self.lock();
        let n = q.fifo.len().div_ceil(2);
        let mut got: Vec<Arc<G>> = q.fifo.drain(..n).collect();
        if got.is_empty() && with_runnext {
            got.extend(q.runnext.take());
        }
        self.publish_len(&q);
        got
    }

    /// Empties the queue (only at the end of `run`).
    pub(crate) fn drain(&self) -> Vec<Arc<G>> {
        let mut q = self.lock();
        let mut all: Vec<Arc<G>> = q.runnext.take().into_iter().collect();
        all.extend(q.fifo.drain(..));
        self.publish_len(&q);
        all
    }
}
