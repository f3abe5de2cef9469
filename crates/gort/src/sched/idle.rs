//! An M with nothing to run: it polls the network on its way (`poll_network`), then gives up its
//! P and idles (`stop_m`, `idle_wait`) until a P is handed to it, sleeping on its wake signal, or,
//! for one idle M at a time, in the network poller (`block_in_poller`; see `netpoll/`).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::g::{Status, G};
use super::m::{MLocal, NO_P};
use super::p::PState;
use super::park;
use super::Phase;

impl MLocal {
    /// Idles this M until a P is handed to it. Returns false when the runtime stops.
    pub(super) fn stop_m(&self) -> bool {
        let rt = &self.rt;
        // Nothing to do for now: unlist what exited here rather than keep it waiting.
        self.release_dead();
        let report = {
            let mut s = rt.sched();
            if rt.phase() == Phase::Stopping {
                return false;
            }
            s.idle_ms.push(self.shared.clone());
            rt.check_dead(&s)
        };
        if let Some(report) = report {
            rt.begin_shutdown(Some(report));
        }
        self.idle_wait()
    }

    /// Waits, on the idle list, until a P is handed over. Returns false when the runtime stops.
    pub(super) fn idle_wait(&self) -> bool {
        let rt = &self.rt;
        loop {
            if let Some((p, spinning)) = self.shared.take_handoff() {
                self.adopt_p(p, PState::Sched);
                self.spinning.set(spinning);
                return true;
            }
            if rt.phase() == Phase::Stopping {
                let mut s = rt.sched();
                s.idle_ms.retain(|m| m.id != self.id());
                return false;
            }
            if let Some(poller) = rt.netpoll_waiting() {
                if poller.try_block() {
                    if self.block_in_poller(poller) {
                        return true;
                    }
                    continue;
                }
            }
            // Sleeps until the earliest timer deadline if no other idle M does (see `timers.rs`).
            rt.timers.idle_wait(rt, &self.shared.wake);
        }
    }

    /// Looks, without blocking, for goroutines whose descriptors became ready, unless an M blocks
    /// in the poller (it will see them). The first to run is returned, the others queued here
    /// (or to their own M, if wired). We hold a P.
    pub(super) fn poll_network(&self) -> Option<Arc<G>> {
        let rt = &self.rt;
        let poller = rt.netpoll_waiting()?;
        // Someone blocks in the poller: it will see what is ready. And if ours is the last busy
        // P, we are about to become that M ourselves, and the blocking wait returns at once with
        // whatever is ready: a look now would be a system call for nothing.
        if poller.is_blocking() || rt.npidle.load(Ordering::SeqCst) + 1 >= rt.ps.len() {
            return None;
        }
        let mut woken = Vec::new();
        poller.poll(Some(Duration::ZERO), rt.nanos_since_start(), &mut woken);
        let mut first = None;
        for g in woken {
            if !park::set_token(&g) {
                continue; // it had not parked yet: the token makes its park return at once
            }
            // SAFETY: `set_token` just won the G's PARKED -> IDLE.
            let g = unsafe { g.take_park_ref() };
            if first.is_none() && g.wired_m().is_none() {
                g.set_status(Status::Runnable);
                first = Some(g);
            } else {
                rt.ready_from(Some(self), g, false);
            }
        }
        first
    }

    /// The network poller's blocking wait, on an idle M that holds no P and has claimed the role
    /// (`Poller::try_block`). Off the idle list meanwhile (see `Sched::nm_netpoll`); sleeps until
    /// an edge, a break, or the earliest timer deadline it takes on (as any idle M's sleep). True
    /// if it comes back with a P, holding the goroutines it found.
    pub(super) fn block_in_poller(&self, poller: &super::netpoll::Poller) -> bool {
        let rt = &self.rt;
        {
            let mut s = rt.sched();
            if self.shared.handoff.load(Ordering::Relaxed) != NO_P || rt.phase() == Phase::Stopping
            {
                // A P came first (or the end): take that instead.
                poller.end_block();
                return false;
            }
            s.idle_ms.retain(|m| m.id != self.id());
            s.nm_netpoll += 1;
        }
        let mut woken = Vec::new();
        rt.timers.idle_sleep(rt, |deadline| {
            let timeout = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            poller.poll(timeout, rt.nanos_since_start(), &mut woken);
        });
        poller.end_block();
        let mut runnable = Vec::with_capacity(woken.len());
        for g in woken {
            if !park::set_token(&g) {
                continue;
            }
            // SAFETY: `set_token` just won the G's PARKED -> IDLE.
            let g = unsafe { g.take_park_ref() };
            if g.wired_m().is_some() {
                rt.ready_from(Some(self), g, false); // straight to its own M
            } else {
                g.set_status(Status::Runnable);
                runnable.push(g);
            }
        }
        // Still counted as waiters (they are not running yet), so no deadlock check can miss them
        // while they are in neither a slot nor a queue.
        let p = if runnable.is_empty() {
            None
        } else {
            rt.take_idle_p()
        };
        {
            let mut s = rt.sched();
            s.nm_netpoll -= 1;
            if p.is_none() {
                s.idle_ms.push(self.shared.clone());
            }
        }
        let Some(pi) = p else {
            if !runnable.is_empty() {
                rt.push_global(runnable);
                rt.wakep();
            }
            return false;
        };
        self.adopt_p(pi, PState::Sched);
        let more = runnable.len() > 1;
        let overflow = rt.ps[pi].push_batch(runnable);
        if !overflow.is_empty() {
            rt.push_global(overflow);
        }
        // One goroutine: we run it, and the next M to find nothing to do blocks in the poller
        // (meanwhile Ms that look for work poll in passing, and sysmon after 10 ms). Waking
        // another M here, to take over the poller at once, cost a futex wake-up per message of
        // a single connection. More than one: let idle Ps help with the rest (Go does both).
        if more {
            rt.wakep();
        }
        true
    }

    /// Gives up whatever P this M holds as the runtime stops.
    pub(super) fn release_for_stop(&self) {
        if let Some(pi) = self.p.take() {
            let mut s = self.rt.sched();
            self.rt.pidle_put(&mut s, pi);
        }
        if self.spinning.replace(false) {
            self.rt.nmspinning.fetch_sub(1, Ordering::SeqCst);
        }
    }
}
