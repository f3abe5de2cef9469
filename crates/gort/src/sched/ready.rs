//! Making a goroutine runnable (Go's `ready`): into the readier's P's `runnext` or FIFO, to its own
//! M if it is wired, or to the global queue from outside the runtime's Ms; and the rule that keeps
//! woken goroutines from waiting behind a `runnext` chain (see "Wake-ups and `runnext` chains" in
//! `mod.rs`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::g::{Status, G};
use super::m::MLocal;
use super::p::{pack, PState, P};
use super::park;
use super::runnext::Owner;
use super::Runtime;

impl Runtime {
    /// Makes a G runnable (Go's `ready`); `m` is the calling thread's M (`None`: not an M). `next`:
    /// into the current P's `runnext` (the readier's slice is inherited).
    #[inline]
    pub(crate) fn ready_from(self: &Arc<Self>, m: Option<&MLocal>, g: Arc<G>, next: bool) {
        let waker_wired = m.is_some_and(|m| m.runs_wired_g());
        self.ready_by(m, waker_wired, g, next);
    }

    /// `ready_from`, told whether the G running on `m` is wired (`waker_wired`), which the caller
    /// has looked up already: the look reads the running G, and the G's status is stored between,
    /// so the compiler would read it again.
    #[inline(always)]
    fn ready_by(self: &Arc<Self>, m: Option<&MLocal>, waker_wired: bool, g: Arc<G>, next: bool) {
        g.set_status(Status::Runnable);
        if g.wired_m().is_some() {
            self.ready_wired(m, g, next);
            return;
        }
        // The usual case, kept short: into `runnext` of our own P, whose word reads `Running`
        // (one of our Gs runs) or `Sched` (we are in the scheduler).
        if let Some((p, owner, next)) = self.own_p(m, next) {
            if waker_wired && self.nmspinning.load(Ordering::SeqCst) > 0 {
                // Our G is wired: we will never run `g`, and when our G blocks our P would go to
                // another M with `g` in it. An M is spinning for work (`MLocal::spin_for_work`):
                // let it take `g` now, and keep our P free for our G's next turn
                // (`MLocal::may_hold_p`).
                self.push_global([g]);
                // If that M gave up meanwhile, it looked at the global queue after it stopped
                // spinning (SeqCst both sides), or we see it stopped here and wake another.
                if self.nmspinning.load(Ordering::SeqCst) == 0 {
                    self.wakep();
                }
                return;
            }
            self.push_local(p, owner, g, next);
            return;
        }
        self.push_global([g]);
        self.wakep();
    }

    /// `ready_from` for a G woken by the G running on `m` (a channel hand-off, a lock, a wait
    /// group): into our P's `runnext`, except at max_procs 1 when the waker is wired and other
    /// goroutines wait on the P. Then it goes to the global queue's head, behind what was woken
    /// there before it, which the M taking our P over runs first: in `runnext`, the next G our
    /// wired G woke pushed it to the FIFO's tail, behind everything waiting (a tracer answering
    /// one goroutine and then asking another: the first waited 1.5 ms for each round trip), as
    /// did the partner of a goroutine a timer woke (see `MLocal::pass_on_runnext`, which does this
    /// for `runnext` as the wired G parks). What a wired G spawns still goes to `runnext`.
    /// `m` is an M of this runtime (the caller readies through `m.rt()`).
    #[inline]
    pub(crate) fn ready_woken(self: &Arc<Self>, m: &MLocal, g: Arc<G>) {
        // Whether our own G is wired is known from the M (the G running on it is hot), so the
        // usual case, an unwired waker, decides on that alone.
        let waker_wired = m.runs_wired_g();
        if waker_wired && self.ps.len() == 1 {
            self.ready_woken_at_one_p(m, g);
        } else {
            self.ready_by(Some(m), waker_wired, g, true);
        }
    }

    #[cold]
    fn ready_woken_at_one_p(self: &Arc<Self>, m: &MLocal, g: Arc<G>) {
        if g.wired_m().is_none() && self.ps[0].fifo_len() != 0 {
            g.set_status(Status::Runnable);
            self.push_global_woken(g);
            // Our P is held (by us, or by whoever sysmon gave it to while our G ran on): this
            // returns at once. Were it idle, an M comes for `g`.
            self.wakep();
        } else {
            self.ready_from(Some(m), g, true);
        }
    }

    /// Queues `g` on our own P (see `own_p`; `owner` is us): in `runnext` if `next` (the previous
    /// occupant to the FIFO tail), else at the FIFO tail.
    #[inline(always)]
    pub(super) fn push_local(self: &Arc<Self>, p: &P, owner: Owner<'_>, g: Arc<G>, next: bool) {
        if !next {
            self.push_local_tail(p, g);
            return;
        }
        match p.runnext.owner_swap(&p.state, owner, Some(g)) {
            Ok(Some(old)) => self.push_local_tail(p, old),
            Ok(None) => {
                if p.fifo_len() > 0 {
                    self.wake_for_fifo();
                }
            }
            // Sysmon took the P since `own_p` looked.
            Err(g) => self.queue_lost(g),
        }
    }

    /// `push_local` put a G in `runnext`, and the FIFO holds work too. (A G alone in `runnext` will
    /// most likely run here as soon as the readier blocks, a ping-pong, a spawn-and-join: waking an
    /// M to look for it costs a wake-up per exchange and finds nothing it may steal. If the readier
    /// runs on instead, a spinning M or sysmon's tick takes the G.)
    #[cold]
    pub(super) fn wake_for_fifo(self: &Arc<Self>) {
        self.wakep();
    }

    /// Queues a G for another M to run, from an M that cannot put it on its P after all (sysmon
    /// took the P as the M queued to it, or switched from it).
    #[cold]
    pub(crate) fn queue_lost(self: &Arc<Self>, g: Option<Arc<G>>) {
        self.push_global(g);
        self.wakep();
    }

    /// The P the calling M holds and may queue to (its word reads `Running` or `Sched` under the
    /// M's id), the M as its owner, and whether a readied G may go to its `runnext` (`next`,
    /// unless the slice is spent).
    #[inline(always)]
    fn own_p<'a>(&'a self, m: Option<&'a MLocal>, next: bool) -> Option<(&'a P, Owner<'a>, bool)> {
        let m = m?;
        let pi = m.p()?;
        if !std::ptr::eq(Arc::as_ptr(m.rt()), self) {
            return None;
        }
        let p = &self.ps[pi];
        let st = p.state.load(Ordering::Relaxed);
        if st != pack(m.id(), PState::Running) && st != pack(m.id(), PState::Sched) {
            return None;
        }
        Some((
            p,
            m.owner(),
            next && !p.slice_expired.load(Ordering::Relaxed),
        ))
    }

    /// Puts `g` at the tail of our P's FIFO (overflow to the global queue) and wakes an M to take it.
    pub(super) fn push_local_tail(self: &Arc<Self>, p: &P, g: Arc<G>) {
        if let Some(overflow) = p.push(g) {
            self.push_global(overflow);
        }
        self.wakep();
    }

    /// `ready_from` for a G that may only run on its own M. That M may be spinning with its P for
    /// it (see `MShared::hold`): then it is enough to say so. Else it gets an idle P if there is
    /// one; failing that, the G is queued and whoever dequeues it passes its P on (`found`).
    ///
    /// Queued, it goes to `runnext` like any G readied by the running one, except at max_procs 1
    /// when other goroutines wait on the P and the readier is not wired itself: then to the global
    /// queue's head, which the M takes at its next switch, for the reason `pass_on_runnext` gives
    /// for the G readied the other way. (Between two wired goroutines the P goes straight from one
    /// M to the other through `runnext`, and no third M should come between them. At max_procs
    /// 2, sending it there too raised the wired round trip's median by a fifth.)
    #[cold]
    pub(super) fn ready_wired(self: &Arc<Self>, m: Option<&MLocal>, g: Arc<G>, next: bool) {
        let Some(g) = self.hand_to_wired_m(g) else {
            return;
        };
        match self.own_p(m, next) {
            Some((p, _, true))
                if self.ps.len() == 1
                    && p.fifo_len() != 0
                    && !m.is_some_and(|m| m.runs_wired_g()) =>
            {
                self.push_global_woken(g);
            }
            Some((p, owner, next)) => self.push_local(p, owner, g, next),
            None => {
                self.push_global([g]);
                self.wakep();
            }
        }
    }

    /// Lets the M of `g`, a wired G just made runnable, run it at once: by saying so if the M
    /// spins holding a P for it (`MShared::hold`), else by handing it an idle P. Gives `g` back
    /// when neither is possible, for the caller to queue (whoever dequeues it passes its P on).
    pub(crate) fn hand_to_wired_m(&self, g: Arc<G>) -> Option<Arc<G>> {
        let target = g.wired_m().expect("a wired G");
        if target.hand_to_holder() {
            return None;
        }
        if self.npidle.load(Ordering::SeqCst) == 0 {
            return Some(g);
        }
        let target = target.arc();
        let p = {
            let mut s = self.sched();
            let p = self.pidle_get(&mut s);
            if let Some(p) = p {
                target.give_p(&mut s, p, false);
            }
            p
        };
        if p.is_none() {
            return Some(g);
        }
        target.wake.notify();
        None
    }

    /// Unparks every G of `gs` (all of this runtime) from a thread that is not one of its Ms (a timer,
    /// a plain thread): each token CAS and the queueing
    /// of every G readied happen under one scheduler lock, so the deadlock check, which runs under it
    /// too, never sees a G neither parked nor queued.
    pub(crate) fn ready_batch_from_outside<'a>(
        self: &Arc<Self>,
        gs: impl IntoIterator<Item = &'a G>,
    ) {
        let mut s = self.sched();
        let mut wired = Vec::new();
        let mut queued = 0;
        for g in gs {
            debug_assert!(Arc::ptr_eq(&g.rt, self));
            if !park::set_token(g) {
                continue;
            }
            // SAFETY: `set_token` just won the G's PARKED -> IDLE.
            let g = unsafe { g.take_park_ref() };
            g.set_status(Status::Runnable);
            if let Some(target) = g.wired_m() {
                // Its M may be spinning with its P for it (see `MShared::hold`, and `ready`).
                if target.hand_to_holder() {
                    continue;
                }
                if let Some(p) = self.pidle_get(&mut s) {
                    let target = target.arc();
                    target.give_p(&mut s, p, false);
                    wired.push(target);
                    continue;
                }
            }
            let mut q = self.global.lock();
            if q.closed {
                drop(q);
                wired.clear();
                drop(s);
                self.discard(g);
                return;
            }
            q.push_woken(g);
            self.global_len.store(q.gs.len(), Ordering::SeqCst);
            self.publish_woken(&q);
            queued += 1;
        }
        drop(s);
        for m in wired {
            m.wake.notify();
        }
        if queued > 0 {
            self.wakep();
        }
    }

    /// Queues `g`, taken over from its park by a thread that is not one of our Ms (and not under
    /// the scheduler lock: the G was still being parked by an M, so the deadlock check cannot
    /// run), as `ready_batch_from_outside` does.
    pub(crate) fn ready_claimed_from_outside(self: &Arc<Self>, g: Arc<G>) {
        g.set_status(Status::Runnable);
        let g = if g.wired_m().is_some() {
            match self.hand_to_wired_m(g) {
                Some(g) => g,
                None => return,
            }
        } else {
            g
        };
        self.push_global_woken(g);
        self.wakep();
    }
}
