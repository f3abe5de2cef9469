//! Idle Ps and Ms: waking an M to look for work (Go's `wakep`), starting one on a P (`startm`),
//! handing a P on when its M blocks (`handoff_p`), and the idle-P list's one owner
//! (`pidle_put`/`pidle_get`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::p::{pack, PState};
use super::{template, Phase, Runtime, Sched};

impl Runtime {
    /// If a P is idle and nobody is looking for work, wake (or create) an M to look (Go's wakep).
    /// Inlined: the usual answer (no P idle, or someone looking) is two loads.
    #[inline]
    pub(crate) fn wakep(self: &Arc<Self>) {
        if self.npidle.load(Ordering::SeqCst) == 0
            || self.nmspinning.load(Ordering::SeqCst) != 0
            || self.phase() == Phase::Stopping
        {
            return;
        }
        self.wakep_slow();
    }

    #[cold]
    pub(super) fn wakep_slow(self: &Arc<Self>) {
        // Claim the single "looking" slot; the M we start releases it when it finds work.
        if self
            .nmspinning
            .compare_exchange(0, 1, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            return;
        }
        let p = {
            let mut s = self.sched();
            self.pidle_get(&mut s)
        };
        match p {
            Some(p) => self.startm(p, true),
            None => {
                self.nmspinning.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// Runs P `p` on an idle M, or on a new one (Go's startm). The P is in transit (owner 0).
    pub(crate) fn startm(self: &Arc<Self>, p: usize, spinning: bool) {
        self.ps[p]
            .state
            .store(pack(0, PState::Idle), Ordering::SeqCst);
        let idle = {
            let mut s = self.sched();
            match s.idle_ms.pop() {
                Some(m) => {
                    m.give_p(&mut s, p, spinning);
                    Some(m)
                }
                None => {
                    s.mcount += 1;
                    None
                }
            }
        };
        match idle {
            Some(m) => m.wake.notify(),
            None => template::request_m(self, p, spinning),
        }
    }

    /// Gives up P `p` (Go's handoffp): to an M if work is waiting, else to the idle list.
    pub(crate) fn handoff_p(self: &Arc<Self>, p: usize) {
        // The next G is wired: its M is the one to run the P (no detour through an idle M).
        if let Some(g) = self.ps[p].pop_if_wired() {
            if let Some(target) = g.wired_m() {
                let target = target.arc();
                self.ps[p]
                    .state
                    .store(pack(0, PState::Idle), Ordering::SeqCst);
                {
                    let mut s = self.sched();
                    target.give_p(&mut s, p, false);
                }
                target.wake.notify();
                return;
            }
        }
        if self.ps[p].len() > 0 || self.global_len() > 0 {
            self.startm(p, false);
            return;
        }
        // The last busy P, while goroutines wait on I/O and no M blocks in the poller: start an
        // M, which finds nothing else to do and becomes that poller (Go's handoffp does the same).
        if self.npidle.load(Ordering::SeqCst) + 1 == self.ps.len()
            && self.netpoll_waiting().is_some_and(|n| !n.is_blocking())
        {
            self.startm(p, false);
            return;
        }
        if self.nmspinning.load(Ordering::SeqCst) + self.npidle.load(Ordering::SeqCst) == 0
            && self
                .nmspinning
                .compare_exchange(0, 1, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        {
            self.startm(p, true);
            return;
        }
        self.release_p(p);
    }

    /// Puts P `p` on the idle list, then re-checks its queue: a `ready` that pushed into it before it
    /// was published as idle saw `npidle` too early to wake anyone, so we must catch its G here.
    pub(crate) fn release_p(self: &Arc<Self>, p: usize) {
        {
            let mut s = self.sched();
            self.pidle_put(&mut s, p);
        }
        if self.ps[p].len() > 0 || self.global_len() > 0 {
            self.wakep();
        }
        self.timers.p_went_idle(p);
    }

    /// Takes an idle P, if any.
    pub(crate) fn take_idle_p(&self) -> Option<usize> {
        if self.npidle.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let mut s = self.sched();
        self.pidle_get(&mut s)
    }

    /// Puts P `p` on the idle list (Go's pidleput), under the scheduler lock `s`: its state word
    /// `Idle`, then the list, then `npidle` (SeqCst: the lost-wake-up argument, see `release_p`).
    /// The one place that adds to the list.
    pub(crate) fn pidle_put(&self, s: &mut Sched, p: usize) {
        self.ps[p]
            .state
            .store(pack(0, PState::Idle), Ordering::SeqCst);
        s.idle_ps.push(p);
        self.npidle.fetch_add(1, Ordering::SeqCst);
    }

    /// Takes a P off the idle list (Go's pidleget), under the scheduler lock `s`. The one place
    /// that takes from the list.
    pub(crate) fn pidle_get(&self, s: &mut Sched) -> Option<usize> {
        let p = s.idle_ps.pop()?;
        self.npidle.fetch_sub(1, Ordering::SeqCst);
        Some(p)
    }
}
