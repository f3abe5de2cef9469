//! P: a processor, the right to run goroutine code. There are `max_procs` of them.
//!
//! Each P has a local run queue: a `runnext` slot plus a FIFO bounded at [`LOCAL_CAP`] (Go: 256).
//! `runnext` holds the G readied or spawned most recently by the G running on this P: it runs next and
//! inherits the current time slice (semantics 1.1, 1.5). When the FIFO is full, half of it moves to the
//! global queue (1.3). Idle Ms steal half of another P's FIFO (1.4).
//!
//! The goroutines that due timers woke wait at the FIFO's head (see `sched/timers/mod.rs`) and do
//! not count against the bound: a P's M takes every due timer out of its heap at once, however
//! many, so that the freshest wake-up can run first; they would otherwise have to stay in the heap,
//! where the oldest comes out first, or overflow to the global queue's tail, behind everything.
//!
//! `runnext` is one pointer that the P's owner fills and empties with plain loads and stores
//! (`runnext.rs`), so the hand-off at the heart of a ping-pong (ready into `runnext`, then run it)
//! costs no locked instruction. The FIFO sits
//! behind a spin lock (`spinlock.rs`; its sections are a few instructions, bar a steal or an overflow
//! moving half the queue): with a handful of Ps, an uncontended lock costs about as much as the
//! atomics of a lock-free ring, and it lets anyone push into any P's queue safely, which matters when
//! a P changes hands under a running G (sysmon's hand-off, semantics 1.7).
//!
//! Ownership of a P is one atomic word, `state` = owner M id × 8 + [`PState`]. Every transfer is a CAS on
//! the whole word, so an M that lost its P (sysmon took it while the M sat in a syscall or a long call)
//! finds out at its next scheduling point even if the P has since been given to another M (no ABA: M ids
//! are never reused). The one exception is the M's own switch from one G to the next, which only
//! loads the word (see `MLocal::execute` and `fence.rs`).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::spinlock::{SpinGuard, SpinLock};

use super::g::G;
use super::runnext::{Owner, RunNext};

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
    /// Sysmon is taking it from its M, which ran one G too long (1.7), and has not decided yet:
    /// the M may have switched to another G meanwhile (see `sysmon::steal_running`).
    Stolen = 4,
    /// The M saw `Stolen` and gave the P up: sysmon hands it on.
    Released = 5,
}

/// The bits of `P::state` that hold the [`PState`].
const STATE_BITS: u64 = 8;

/// Every this many schedules on a P, its M takes from the global queue before its own (semantics
/// 1.3), so that the global queue never starves behind a busy P. Go's number: prime, so that it
/// falls in step with no periodic pattern of the goroutines.
pub(crate) const GLOBAL_FIRST_EVERY: u64 = 61;

/// How long a goroutine that a timer woke may be passed over by goroutines that later timers woke.
/// A trade-off, under more timer wake-ups than the P's thread serves: the goroutines passed over
/// wait about this long, so it bounds the tail of a sleep's lateness; and the share of wake-ups
/// that run late is about the mean lateness over this bound, so too short a bound makes most
/// sleeps late (in steady overload the mean does not depend on the order: the thread serves as
/// many either way). Shorter than a time slice (10 ms), which doubled the tail of the `sleepers`
/// benchmark against a third of it for no gain in the median.
pub(crate) const TIMER_WOKEN_PATIENCE_NS: u64 = 2_000_000;

pub(crate) fn pack(owner: u64, s: PState) -> u64 {
    owner * STATE_BITS + s as u64
}

/// The M that owns a P with state word `st` (0: none).
pub(crate) fn owner_of(st: u64) -> u64 {
    st / STATE_BITS
}

/// Whether state word `st` is in state `s`, whoever the owner.
pub(crate) fn is_state(st: u64, s: PState) -> bool {
    st % STATE_BITS == s as u64
}

pub(crate) struct P {
    /// Owner and state (see the module comment). Every change is a SeqCst CAS or store: sysmon, the
    /// owner and idle-list code all reason about it together with `npidle` and the queue lengths.
    pub(crate) state: crate::loom::atomic::AtomicU64,
    /// The G to run next (see `runnext.rs` for who may touch it, and how).
    pub(crate) runnext: RunNext,
    /// The FIFO: the timer-woken Gs at its head, then at most [`LOCAL_CAP`] others (one more may sit
    /// there briefly, see `pop_if_wired`).
    fifo: SpinLock<Fifo>,
    /// The FIFO's length, stored under its lock after every change; read without it as a hint
    /// (Relaxed), and SeqCst where the lost-wake-up argument of `Runtime::release_p` needs it.
    fifo_len: AtomicUsize,
    /// Bumped under the FIFO's lock whenever Gs leave the FIFO (taken by the owner or stolen).
    /// Thieves read it (Relaxed: a hint) to tell a FIFO its owner is draining from one it is not
    /// (`steal_rule` in `m.rs`).
    pub(crate) fifo_taken: AtomicU64,
    /// How many Gs at the FIFO's head due timers woke (`Fifo::timer_front`), stored under the
    /// FIFO's lock after every change. The owner reads it (Relaxed) at every `pop`: non-zero, and
    /// those Gs go before `runnext`. A stale zero only means one more turn of the `runnext` chain
    /// before the next look; the owner's own timer firing stores it on the owner's thread.
    timer_front: AtomicUsize,
    /// Bumped each time a G starts running on this P (Go's schedtick); every
    /// [`GLOBAL_FIRST_EVERY`]th schedule looks at the global queue first. Sysmon reads it to see a G that
    /// has run for 10 ms without a scheduling point.
    pub(crate) schedtick: AtomicU64,
    /// Bumped when a G starts a fresh time slice (not when it inherits one through `runnext`).
    pub(crate) slice: AtomicU64,
    /// Set by sysmon when the current slice is older than 10 ms: readied Gs then go to the FIFO tail.
    pub(crate) slice_expired: AtomicBool,
    /// When the owner entered `gort::syscall` (runtime nanoseconds).
    pub(crate) syscall_since: AtomicU64,
    /// When the current G started running, by sysmon's coarse clock (`Runtime::coarse_nanos`, so
    /// up to one sysmon tick early). Written by the owner at each switch, read by sysmon (Relaxed:
    /// a hint) so that it can probe a blocked thread at its first look rather than its second.
    pub(crate) run_since: AtomicU64,
}

impl P {
    pub(crate) fn new() -> P {
        P {
            state: crate::loom::atomic::AtomicU64::new(pack(0, PState::Idle)),
            runnext: RunNext::new(),
            fifo: SpinLock::new(Fifo::default()),
            fifo_len: AtomicUsize::new(0),
            fifo_taken: AtomicU64::new(0),
            timer_front: AtomicUsize::new(0),
            schedtick: AtomicU64::new(0),
            slice: AtomicU64::new(0),
            slice_expired: AtomicBool::new(false),
            syscall_since: AtomicU64::new(0),
            run_since: AtomicU64::new(0),
        }
    }

    pub(crate) fn has_next(&self, order: Ordering) -> bool {
        self.runnext.is_set(order)
    }

    fn lock(&self) -> SpinGuard<'_, Fifo> {
        self.fifo.lock()
    }

    /// Updates the lock-free length hint after the FIFO grew (called under its lock). SeqCst: the
    /// lost-wake-up argument of `Runtime::release_p` orders this store before the pusher's read of
    /// `npidle`.
    fn publish_len(&self, fifo: &Fifo) {
        self.fifo_len.store(fifo.len(), Ordering::SeqCst);
        self.publish_timer_front(fifo);
    }

    /// Mirrors `Fifo::timer_front` for the owner's lock-free look in `pop` (called under the lock).
    #[inline(always)]
    fn publish_timer_front(&self, fifo: &Fifo) {
        // Relaxed: a hint for the owner, who takes the lock before it acts on it.
        if self.timer_front.load(Ordering::Relaxed) != fifo.timer_front() {
            self.timer_front
                .store(fifo.timer_front(), Ordering::Relaxed);
        }
    }

    /// The same after the FIFO shrank. Relaxed: a reader that sees the old, larger length at worst
    /// looks for work in vain or wakes an M for nothing; the argument above is about new work only.
    fn publish_shrunk_len(&self, fifo: &Fifo) {
        self.fifo_len.store(fifo.len(), Ordering::Relaxed);
        self.publish_timer_front(fifo);
        // Only lock holders write it: no read-modify-write needed.
        let taken = self.fifo_taken.load(Ordering::Relaxed);
        self.fifo_taken
            .store(taken.wrapping_add(1), Ordering::Relaxed);
    }

    /// Length of the FIFO alone (without `runnext`), as a hint.
    pub(crate) fn fifo_len(&self) -> usize {
        self.fifo_len.load(Ordering::SeqCst)
    }

    /// `runnext` + FIFO, as a hint.
    pub(crate) fn len(&self) -> usize {
        self.fifo_len() + self.has_next(Ordering::SeqCst) as usize
    }

    /// Queues `t` at the FIFO tail. Returns the Gs that overflowed (half the FIFO), for the caller to
    /// move to the global queue.
    #[inline]
    pub(crate) fn push(&self, t: Arc<G>) -> Option<Vec<Arc<G>>> {
        let mut q = self.lock();
        if q.bounded_len() >= LOCAL_CAP {
            return Some(self.overflow(q, t));
        }
        q.push_back(t);
        self.publish_len(&q);
        None
    }

    /// `push` found the FIFO full: half of it, and `t`, go to the caller for the global queue. The
    /// half is the oldest of the bounded part: timer-woken Gs stay at the head.
    #[cold]
    fn overflow(&self, mut q: SpinGuard<'_, Fifo>, t: Arc<G>) -> Vec<Arc<G>> {
        let half = q.bounded_len() / 2;
        let mut moved: Vec<Arc<G>> = q.take_behind_timer_woken(half);
        moved.push(t);
        self.publish_shrunk_len(&q);
        moved
    }

    /// Appends a batch taken from elsewhere (global queue, a steal) to the FIFO tail.
    /// Returns what did not fit.
    pub(crate) fn push_batch(&self, batch: impl IntoIterator<Item = Arc<G>>) -> Vec<Arc<G>> {
        let mut q = self.lock();
        let mut rest = Vec::new();
        for g in batch {
            if q.bounded_len() < LOCAL_CAP {
                q.push_back(g);
            } else {
                rest.push(g);
            }
        }
        self.publish_len(&q);
        rest
    }

    /// Queues goroutines woken by due timers at `now`, in deadline order, ahead of everything else
    /// queued but behind those that earlier timers woke and that have not run yet
    /// (`Fifo::timer_front`): they run before what was queued already, `runnext` included (see
    /// `pop`). However many, they all fit: the FIFO's bound does not count them. With
    /// `take_first`, the first of the batch (the earliest deadline) is returned instead, to run at
    /// once, if it may pass those earlier ones (`Fifo::may_pass_timer_woken`).
    pub(crate) fn push_timer_batch(
        &self,
        batch: &mut Vec<Arc<G>>,
        now: u64,
        take_first: bool,
    ) -> Option<Arc<G>> {
        let mut q = self.lock();
        let first = (take_first && q.may_pass_timer_woken(now)).then(|| batch.remove(0));
        if batch.is_empty() {
            return first;
        }
        q.insert_timer_batch(batch, now);
        self.publish_len(&q);
        first
    }

    /// Moves up to `n` Gs from the front of `from` to the FIFO tail, as many as fit.
    pub(crate) fn take_from(&self, from: &mut VecDeque<Arc<G>>, n: usize) {
        let mut q = self.lock();
        let n = n
            .min(LOCAL_CAP - q.bounded_len().min(LOCAL_CAP))
            .min(from.len());
        q.extend(from.drain(..n));
        self.publish_len(&q);
    }

    /// Takes the next G for M `owner`, which holds this P (or did until sysmon took it): the Gs due timers woke first, then
    /// `runnext`, both returned with `true` (they inherit the slice), then the FIFO.
    ///
    /// Timer-woken Gs go before `runnext` because `runnext` may hold a chain: two goroutines
    /// taking turns (a ping-pong) refill it at every switch, and whatever waits behind it waits
    /// for the chain's whole time slice. A Go timer's goroutine goes to `runnext` itself, ahead of
    /// the chain; here the chain's G stays in `runnext` and runs right after them. They inherit
    /// the slice, as they would from `runnext`, so that timers firing often do not renew the
    /// chain's slice and starve the rest of the FIFO (1.5).
    #[inline(always)]
    pub(crate) fn pop(&self, owner: Owner<'_>) -> Option<(Arc<G>, bool)> {
        if self.timer_front.load(Ordering::Relaxed) != 0 {
            if let Some(g) = self.pop_timer_front() {
                return Some((g, true));
            }
        }
        if let Some(g) = self.runnext.owner_take(&self.state, owner) {
            return Some((g, true));
        }
        self.pop_fifo().map(|g| (g, false))
    }

    /// Whether goroutines woken by due timers wait at the FIFO's head. Exact for the P's owner:
    /// only Ms holding the P queue timer batches here, and others only take Gs away.
    #[inline]
    pub(crate) fn timer_woken_waiting(&self) -> bool {
        // Relaxed: see `timer_front`.
        self.timer_front.load(Ordering::Relaxed) != 0
    }

    /// Takes the FIFO's head if a due timer put it there.
    #[cold]
    fn pop_timer_front(&self) -> Option<Arc<G>> {
        let mut q = self.lock();
        if q.timer_front() == 0 {
            return None;
        }
        let g = q.pop_front();
        // The G after the next one (the previous pop asked for the next): a timer-woken G has
        // slept, its lines are cold, and under overload these pops come one after another. And
        // the next one's stack, now that its G's lines have had a pop's time to arrive.
        if let Some(after_next) = q.get(1) {
            crate::sched::prefetch::g_soon(after_next);
        }
        if let Some(next) = q.front() {
            // SAFETY: we hold the FIFO's lock, and `next` waits in the FIFO.
            unsafe { crate::sched::prefetch::stack_soon(next) };
        }
        self.publish_shrunk_len(&q);
        g
    }

    /// Takes the FIFO's head.
    fn pop_fifo(&self) -> Option<Arc<G>> {
        if self.fifo_len.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let mut q = self.lock();
        let g = q.pop_front();
        // The G four places behind: the ones before it were asked for by the previous pops, and
        // a cross-core transfer takes longer than running one short goroutine. (Four was the
        // best distance in a fan-out of a million spawns: commit 38b0a95 has the figures.)
        if let Some(next) = q.get(3) {
            crate::sched::prefetch::g_soon(next);
        }
        self.publish_shrunk_len(&q);
        g
    }

    /// Takes the G that would run next, if it is wired to an M (whose P this must become). For
    /// whoever holds the P with no owner running on it (`Runtime::handoff_p`).
    pub(crate) fn pop_if_wired(&self) -> Option<Arc<G>> {
        if self.timer_front.load(Ordering::Relaxed) != 0 {
            // Timer-woken Gs run before `runnext` (see `pop`).
            let mut q = self.lock();
            if q.timer_front() != 0 {
                if q.front().is_none_or(|g| g.wired_m().is_none()) {
                    return None;
                }
                let g = q.pop_front();
                self.publish_shrunk_len(&q);
                return g;
            }
        }
        if self.has_next(Ordering::Relaxed) {
            // Only a G we hold may be looked at (a thief may run and free one we merely peek at):
            // take it, and put it back if it is not wired.
            let g = self.runnext.swap(None)?;
            if g.wired_m().is_some() {
                return Some(g);
            }
            if let Some(other) = self.runnext.swap(Some(g)) {
                // Another G was readied into `runnext` meanwhile. It goes to the FIFO tail, as
                // `push` would have put it there, even if that makes the FIFO one over its bound.
                let mut q = self.lock();
                q.push_back(other);
                self.publish_len(&q);
            }
            return None;
        }
        let mut q = self.lock();
        if q.front().is_none_or(|g| g.wired_m().is_none()) {
            return None;
        }
        let g = q.pop_front();
        self.publish_shrunk_len(&q);
        g
    }

    /// Steals half of the FIFO (at least one, at most [`LOCAL_CAP`], what the thief's empty FIFO
    /// holds: the timer-woken Gs at the head may be more). `runnext` is taken only if `with_runnext` (the victim is
    /// not running a G that will likely run it in a moment); `wait_out(m)` waits until M `m`'s
    /// `runnext` window is closed (see `runnext.rs`).
    pub(crate) fn steal(&self, with_runnext: bool, wait_out: impl FnOnce(u64)) -> Vec<Arc<G>> {
        if self.len() == 0 {
            return Vec::new();
        }
        let mut got: Vec<Arc<G>> = {
            let mut q = self.lock();
            let n = q.len().div_ceil(2).min(LOCAL_CAP);
            let got = q.take_front(n);
            self.publish_shrunk_len(&q);
            got
        };
        if got.is_empty() && with_runnext {
            got.extend(self.runnext.steal(&self.state, wait_out));
        }
        got
    }

    /// Takes the whole FIFO (not `runnext`), for its owner to move elsewhere.
    pub(crate) fn take_all(&self) -> Vec<Arc<G>> {
        let mut q = self.lock();
        let n = q.len();
        let all = q.take_front(n);
        self.publish_shrunk_len(&q);
        all
    }

    /// Empties the queue (only at the end of `run`); `wait_out` as for `steal`.
    pub(crate) fn drain(&self, wait_out: impl FnOnce(u64)) -> Vec<Arc<G>> {
        // Ms may still be leaving their loops: take `runnext` as a thief would.
        let next = self
            .runnext
            .steal(&self.state, wait_out)
            .or_else(|| self.runnext.swap(None));
        let mut all: Vec<Arc<G>> = next.into_iter().collect();
        let mut q = self.lock();
        let n = q.len();
        all.extend(q.take_front(n));
        self.publish_shrunk_len(&q);
        all
    }
}

/// A P's FIFO: the queue, and which Gs at its head were put there by due timers and have not been
/// taken yet, and since when. A new timer batch goes behind those, so that the goroutines woken by
/// timers that wait run in deadline order even when one batch is queued before the previous one
/// has run (the first of a batch may skip them all: `P::push_timer_batch`).
pub(crate) struct Fifo<T = Arc<G>> {
    q: VecDeque<T>,
    /// When each of the Gs at the head that timers woke was queued (runtime nanoseconds, the
    /// firing's clock reading), oldest first: its length is how many there are.
    timer_woken_at: VecDeque<u64>,
}

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo {
            q: VecDeque::new(),
            timer_woken_at: VecDeque::new(),
        }
    }
}

impl<T> std::ops::Deref for Fifo<T> {
    type Target = VecDeque<T>;
    fn deref(&self) -> &VecDeque<T> {
        &self.q
    }
}

impl<T> Fifo<T> {
    fn push_back(&mut self, g: T) {
        self.q.push_back(g);
    }

    fn extend(&mut self, gs: impl IntoIterator<Item = T>) {
        self.q.extend(gs);
    }

    /// How many Gs at the head timers woke.
    fn timer_front(&self) -> usize {
        self.timer_woken_at.len()
    }

    /// How many Gs are behind those: the part [`LOCAL_CAP`] bounds.
    fn bounded_len(&self) -> usize {
        self.q.len() - self.timer_front()
    }

    /// Whether a G that a timer woke at `now` may run ahead of those that earlier timers woke:
    /// yes unless the longest-waiting of them was queued [`TIMER_WOKEN_PATIENCE_NS`] ago or more.
    fn may_pass_timer_woken(&self, now: u64) -> bool {
        self.timer_woken_at
            .front()
            .is_none_or(|&oldest| now.saturating_sub(oldest) < TIMER_WOKEN_PATIENCE_NS)
    }

    fn pop_front(&mut self) -> Option<T> {
        let g = self.q.pop_front();
        if g.is_some() {
            self.timer_woken_at.pop_front();
        }
        g
    }

    /// Takes the first `n` Gs.
    fn take_front(&mut self, n: usize) -> Vec<T> {
        let n = n.min(self.q.len());
        let timer_woken = n.min(self.timer_front());
        self.timer_woken_at.drain(..timer_woken);
        self.q.drain(..n).collect()
    }

    /// Takes the first `n` Gs behind the timer-woken ones.
    fn take_behind_timer_woken(&mut self, n: usize) -> Vec<T> {
        let from = self.timer_front();
        let n = n.min(self.q.len() - from);
        self.q.drain(from..from + n).collect()
    }

    /// Inserts `batch` (emptied), woken by timers at `now`, right behind the Gs earlier timers put
    /// at the head.
    fn insert_timer_batch(&mut self, batch: &mut Vec<T>, now: u64) {
        let at = self.timer_front();
        let behind = self.q.len() - at;
        self.timer_woken_at
            .extend(std::iter::repeat_n(now, batch.len()));
        if behind == 0 {
            self.q.extend(batch.drain(..));
        } else if batch.len() <= 8 {
            // Each insert shifts the shorter side: at most the few Gs behind.
            for (k, g) in batch.drain(..).enumerate() {
                self.q.insert(at + k, g);
            }
        } else {
            // A large batch (a time slice's worth of due timers) in front of a queue: one move of
            // the Gs behind rather than one per G of the batch.
            let behind = self.q.split_off(at);
            self.q.extend(batch.drain(..));
            self.q.extend(behind);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Fifo, TIMER_WOKEN_PATIENCE_NS};

    fn fifo(items: &[u32]) -> Fifo<u32> {
        let mut f = Fifo::default();
        f.extend(items.iter().copied());
        f
    }

    fn items(f: &Fifo<u32>) -> Vec<u32> {
        f.iter().copied().collect()
    }

    /// Goroutines woken by timers go ahead of what was queued, in order, and a later batch goes
    /// behind an earlier one that has not run yet.
    #[test]
    fn timer_batches_go_to_the_head_behind_earlier_batches() {
        let mut f = fifo(&[100, 101]);
        f.insert_timer_batch(&mut vec![1, 2], 0);
        assert_eq!(items(&f), [1, 2, 100, 101]);
        f.insert_timer_batch(&mut vec![3], 0);
        assert_eq!(items(&f), [1, 2, 3, 100, 101]);
        // Once taken, the earlier ones no longer hold a place.
        assert_eq!(f.pop_front(), Some(1));
        assert_eq!(f.take_front(2), [2, 3]);
        f.insert_timer_batch(&mut vec![4], 0);
        assert_eq!(items(&f), [4, 100, 101]);
        f.push_back(102);
        f.insert_timer_batch(&mut vec![5], 0);
        assert_eq!(items(&f), [4, 5, 100, 101, 102]);
    }

    /// Timer-woken Gs do not count against the bound, whose overflow takes the oldest of the rest
    /// and leaves them at the head; a batch larger than a few Gs keeps its place and order.
    #[test]
    fn the_bound_counts_only_what_waits_behind_the_timer_woken_goroutines() {
        let mut f = fifo(&[100, 101, 102]);
        let batch: Vec<u32> = (0..20).collect();
        f.insert_timer_batch(&mut batch.clone(), 0);
        assert_eq!(f.timer_front(), 20);
        assert_eq!(f.bounded_len(), 3);
        assert_eq!(items(&f)[..20], batch[..]);
        assert_eq!(items(&f)[20..], [100, 101, 102]);
        assert_eq!(f.take_behind_timer_woken(2), [100, 101]);
        assert_eq!(f.timer_front(), 20);
        assert_eq!(items(&f)[20..], [102]);
        // Asking for more than there is takes what is there.
        assert_eq!(f.take_behind_timer_woken(5), [102]);
        assert_eq!(f.bounded_len(), 0);
        assert_eq!(f.len(), 20);
    }

    /// A goroutine a timer just woke runs ahead of those earlier timers woke, unless the
    /// longest-waiting of them has waited a time slice.
    #[test]
    fn a_just_woken_goroutine_passes_the_timer_woken_ones_waiting_for_at_most_a_time_slice() {
        const PATIENCE: u64 = TIMER_WOKEN_PATIENCE_NS;
        let mut f = fifo(&[100]);
        assert!(f.may_pass_timer_woken(0), "none waits");
        f.insert_timer_batch(&mut vec![1, 2], 1_000);
        f.insert_timer_batch(&mut vec![3], 2_000);
        assert_eq!(items(&f), [1, 2, 3, 100]);
        assert!(f.may_pass_timer_woken(1_000 + PATIENCE - 1));
        assert!(!f.may_pass_timer_woken(1_000 + PATIENCE));
        // The longest-waiting ones ran: the clock starts from the next one's queueing.
        assert_eq!(f.pop_front(), Some(1));
        assert!(!f.may_pass_timer_woken(1_000 + PATIENCE));
        assert_eq!(f.pop_front(), Some(2));
        assert!(f.may_pass_timer_woken(1_000 + PATIENCE));
        assert!(!f.may_pass_timer_woken(2_000 + PATIENCE));
        // Stolen, they no longer wait here.
        assert_eq!(f.take_front(1), [3]);
        assert!(f.may_pass_timer_woken(u64::MAX));
        f.insert_timer_batch(&mut vec![4, 5], 5_000);
        assert_eq!(f.take_front(3), [4, 5, 100]);
        assert!(f.may_pass_timer_woken(u64::MAX));
    }
}
