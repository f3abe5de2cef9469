//! The global run queue: where goroutines go that no P of their readier can take (readied from
//! outside the runtime, overflow of a full FIFO, yields), under a spin lock of its own.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::g::G;
use super::p::{self, P};
use super::Runtime;

/// The global run queue, under a lock of its own (a spin lock: every section is a push, a pop or a
/// batch move).
pub(crate) struct GlobalQueue {
    pub(super) gs: VecDeque<Arc<G>>,
    /// How many Gs at the head of `gs` were woken from outside the runtime's Ms
    /// (`ready_batch_from_outside`) and have not been taken yet: a new one goes behind them, ahead
    /// of the rest.
    pub(super) woken: usize,
    /// The runtime has stopped and its queues were drained: nothing will run a G queued now, so
    /// `push_global` cancels such a G on the spot instead.
    pub(super) closed: bool,
}

impl GlobalQueue {
    /// Takes the head.
    pub(super) fn pop_front(&mut self) -> Option<Arc<G>> {
        let g = self.gs.pop_front();
        if g.is_some() {
            self.woken = self.woken.saturating_sub(1);
        }
        g
    }

    /// Queues `g`, woken from outside the runtime's Ms, behind the Gs woken that way before it and
    /// ahead of everything else.
    pub(super) fn push_woken(&mut self, g: Arc<G>) {
        let at = self.woken.min(self.gs.len());
        self.gs.insert(at, g);
        self.woken = at + 1;
    }
}

impl Runtime {
    pub(crate) fn global_len(&self) -> usize {
        self.global_len.load(Ordering::SeqCst)
    }

    pub(crate) fn push_global(&self, gs: impl IntoIterator<Item = Arc<G>>) {
        let mut q = self.global.lock();
        if q.closed {
            // Spawned (from outside) after the runtime stopped: no M is left to run it.
            drop(q);
            for g in gs {
                self.discard(g);
            }
            return;
        }
        q.gs.extend(gs);
        self.global_len.store(q.gs.len(), Ordering::SeqCst);
    }

    /// Queues `g` at the head of the global queue, behind the Gs woken from outside the runtime's
    /// Ms and ahead of everything else: every M takes it at its next switch, before its own
    /// `runnext` (`has_global_woken`). For a G woken from outside the runtime's Ms
    /// (`ready_claimed_from_outside`), or readied by a wired G, which its own M will not run
    /// (`MLocal::pass_on_runnext`).
    pub(crate) fn push_global_woken(&self, g: Arc<G>) {
        let mut q = self.global.lock();
        if q.closed {
            drop(q);
            self.discard(g);
            return;
        }
        q.push_woken(g);
        self.global_len.store(q.gs.len(), Ordering::SeqCst);
        self.publish_woken(&q);
    }

    /// Appends `g` to the global queue and takes its head (maybe `g` itself), under one lock.
    /// `None` only once the runtime has stopped (then `g` was discarded).
    pub(crate) fn swap_global(&self, g: Arc<G>) -> Option<Arc<G>> {
        let mut q = self.global.lock();
        if q.closed {
            drop(q);
            self.discard(g);
            return None;
        }
        // One in, one out: the length (and so `global_len`) stays as it was.
        q.gs.push_back(g);
        self.note_global_taken();
        let head = q.gs.pop_front();
        if q.woken != 0 {
            // The head was one of the Gs woken from outside (they wait at the head). Usually none
            // waits (a yield at max_procs 1): then there is no count to keep.
            q.woken -= 1;
            self.publish_woken(&q);
        }
        head
    }

    /// Takes a batch from the global queue for P `p`: one to run, the rest into its FIFO.
    pub(crate) fn take_global(&self, p: &P, max: usize) -> Option<Arc<G>> {
        if self.global_len() == 0 {
            return None;
        }
        let mut q = self.global.lock();
        let n = q.gs.len();
        if n == 0 {
            return None;
        }
        let take = (n / self.ps.len() + 1)
            .min(max)
            .min(n)
            .min(p::LOCAL_CAP / 2);
        let first = q.pop_front();
        if take > 1 {
            // Straight from the global queue into the P's FIFO (the P lock is a leaf under ours).
            let before = q.gs.len();
            p.take_from(&mut q.gs, take - 1);
            q.woken = q.woken.saturating_sub(before - q.gs.len());
        }
        self.global_len.store(q.gs.len(), Ordering::SeqCst);
        self.publish_woken(&q);
        self.note_global_taken();
        first
    }

    /// Mirrors `GlobalQueue::woken` in `global_woken` (the caller holds the queue's lock).
    pub(super) fn publish_woken(&self, q: &GlobalQueue) {
        // Relaxed: a hint; whoever acts on it takes the lock (see `global_woken`).
        if self.global_woken.load(Ordering::Relaxed) != q.woken {
            self.global_woken.store(q.woken, Ordering::Relaxed);
        }
    }

    /// Whether Gs woken from outside the runtime's Ms wait at the global queue's head: an M takes
    /// one before its own `runnext` (see "Wake-ups and `runnext` chains" above).
    #[inline(always)]
    pub(crate) fn has_global_woken(&self) -> bool {
        self.global_woken.load(Ordering::Relaxed) != 0
    }

    /// Counts a take from the global queue; the caller holds its lock.
    pub(super) fn note_global_taken(&self) {
        // Only lock holders write it: no read-modify-write needed.
        let taken = self.global_taken.load(Ordering::Relaxed);
        self.global_taken
            .store(taken.wrapping_add(1), Ordering::Relaxed);
    }

    /// How many times Gs were taken from the global queue (wrapping), as a hint.
    pub(crate) fn global_taken(&self) -> u64 {
        self.global_taken.load(Ordering::Relaxed)
    }

    /// True if any queue holds a G.
    pub(crate) fn any_work(&self) -> bool {
        self.global_len() > 0 || self.ps.iter().any(|p| p.len() > 0)
    }
}
