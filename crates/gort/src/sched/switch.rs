//! How a goroutine gives up its thread: back to its M's scheduler, or straight to the next G.
//!
//! Go's goroutines switch through the scheduler's own stack (`mcall` to g0, `schedule`, `gogo`):
//! whatever a G asked for when it stopped (park it, requeue it) is done there, after its registers
//! are saved, because only then may another thread resume it. gort does the same for most
//! switches (`MLocal::execute`), with one shortcut for the commonest: a G that parks (on a channel,
//! a mutex, a join) while its own P has a G ready to run next, on an M with nothing else to check.
//! Then the parking G takes that next G off the P and switches to it directly, and the next G, as
//! the first thing it does once running, settles the park of the G that switched to it
//! ([`Pending`]), just as `execute` would have on the M's stack. Linux does the same with
//! `finish_task_switch`, run by the task switched to for the one switched from.
//!
//! The shortcut saves the detour through the M's stack: one switch instead of two, and two
//! goroutines parking in the same place (the two ends of a ping-pong) switch between identical
//! call chains, which the CPU predicts well (see `crate::context`). An unbuffered ping-pong is a
//! few per cent faster with it (commit e100b8a); most of the rest of its round trip is locked
//! instructions.
//!
//! The shortcut takes the next G exactly where `find_runnable`'s own first look would: our P's
//! `runnext`, then its FIFO, and only when that look would not first do something else (every 61st
//! schedule goes to the global queue, due timers run first, so do Gs woken from outside the Ms and
//! waiting at the global queue's head, a stopping runtime runs nothing, a P
//! whose word was moved off `Running` must be settled). A G it takes but may not run here (wired
//! to another M, or kept off the main thread) is left to `execute` (`MLocal::stashed`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::body::Body;
use super::current;
use super::g::{Exec, Status, Suspend, G};
use super::m::MLocal;
use super::p::GLOBAL_FIRST_EVERY;
use super::park_token::Settle;
use super::Phase;
use crate::context;
use crate::spinlock::HeldLock;

/// What the G switched to directly must finish for the G that switched to it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Pending {
    None,
    /// This G parked: settle its park token (and release the lock it parked holding, if any).
    /// Holds the G's strong count (the one its M ran it with), which becomes its park reference
    /// or goes back on a queue.
    Park(*const G, Option<HeldLock>),
}

/// Switches away from the running goroutine `g`, which stops for `why`; returns once it is resumed
/// (maybe on another thread, after the park is over, and so on).
///
/// # Safety
/// Must be called by the goroutine `g` itself, on its own stack.
pub(crate) unsafe fn suspend(g: &G, why: Suspend) {
    // SAFETY: a goroutine runs on an M, whose `MLocal` outlives everything up to the switch below;
    // nothing derived from it is used after the switch, which may return on another thread.
    let m = unsafe { &*current::current_ptr() };
    // SAFETY: we are the running G, so our M owns our execution state, and it is `Running`.
    let save = match unsafe { g.exec() } {
        Exec::Running { sp, .. } => sp as *mut usize,
        _ => unreachable!("gort: a goroutine suspends without a stack"),
    };
    let direct = match why {
        Suspend::Park {
            stay: false,
            unlock,
        } => m.direct_park(unlock),
        _ => None,
    };
    let to = direct.unwrap_or_else(|| {
        m.why.set(why);
        m.sched_context()
    });
    // SAFETY: `save` lies in our G, which stays alive while suspended (its count is parked, queued
    // or held by whoever resumes it). `to` is a live saved context: the scheduler's, suspended in
    // `execute` for as long as a G of its M runs, or the next G's, which `direct_park` made ours.
    unsafe { context::switch(save, to) };
    after_switch();
}

/// Runs on a G just switched to: finishes what the G that switched to it directly left pending.
/// It reads the thread's M afresh, through `current_ptr`, which is never inlined (see
/// `current.rs`).
#[inline(always)]
fn after_switch() {
    // SAFETY: we are a goroutine, so this thread is an M, whose `MLocal` outlives this call.
    let m = unsafe { &*current::current_ptr() };
    if let Pending::Park(prev, unlock) = m.pending.replace(Pending::None) {
        // SAFETY: `direct_park` left the parked G's count here for us, and we take it once.
        m.finish_park(unsafe { Arc::from_raw(prev) }, unlock);
    }
}

/// Where every goroutine starts: on its fresh stack, with the address of its body (`start_stack`
/// wrote it at the top of the stack). Never returns: the finished goroutine switches away for good.
pub(super) unsafe extern "C" fn goroutine_main(body_at: usize) -> ! {
    after_switch();
    // SAFETY: we are the running G, kept alive by the count our M holds for it.
    let g = unsafe { &*current::current_g_ptr() };
    // SAFETY: `start_stack` moved the body there and nobody else reads it; we take it once.
    let body = unsafe { (body_at as *mut Body).read() };
    // The body catches every panic (its JoinHandle reports it), so nothing unwinds out of here.
    body.run(g, g.is_cancelled());
    // Goroutine-local values are dropped here, on the goroutine, not wherever the last `Arc<G>`
    // happens to go. (A destructor that panics here aborts the process: there is nothing above
    // this frame to catch it.)
    // SAFETY: we are the goroutine itself.
    drop(std::mem::take(unsafe { g.locals() }));
    // SAFETY: we are `g`, on its stack.
    unsafe { g.suspend(Suspend::Exit) };
    // An exited goroutine is never resumed (`MLocal::g_exit` reuses its stack).
    std::process::abort()
}

impl MLocal {
    /// The direct switch's half on the parking G's stack: takes the next G off our P if
    /// `find_runnable` would run it without further ado, makes it the running G (the parking G's
    /// count goes to `pending`), and returns its context. `None`: switch to the scheduler instead.
    #[inline]
    fn direct_park(&self, unlock: Option<HeldLock>) -> Option<usize> {
        if !self.fast_switch || !self.p_running() {
            return None;
        }
        let pi = self.p()?;
        let rt = self.rt();
        let p = &rt.ps[pi];
        if p.schedtick.load(Ordering::Relaxed) % GLOBAL_FIRST_EVERY == 0
            || self.note_due_timer(pi)
            || rt.has_global_woken()
            || rt.phase() == Phase::Stopping
        {
            return None;
        }
        let (next, inherit) = p.pop(self.owner())?;
        if next.wired_m().is_some() || (self.is_main() && next.avoids_main()) {
            self.stashed.set(Some((next, inherit)));
            return None;
        }
        self.begin_slice(pi, inherit);
        if !self.count_schedule(pi) {
            // Sysmon took the P: `next` goes to whoever gets it; we go to the scheduler.
            self.rt().queue_lost(Some(next));
            return None;
        }
        self.pending.set(Pending::Park(self.current_g(), unlock));
        Some(self.enter(next))
    }

    /// Settles the park of `g`, a G that is not wired, once its context is saved: on the G it
    /// switched to directly, or in `execute` when it switched to the scheduler.
    pub(super) fn finish_park(&self, g: Arc<G>, unlock: Option<HeldLock>) {
        g.set_status(Status::Waiting);
        if let Some(held) = unlock {
            self.finish_park_unlocking(g, held);
            return;
        }
        if g.park.settle_park() == Settle::Parked {
            // Parked: its unparker takes over the count (`G::take_park_ref`).
            let _ = Arc::into_raw(g);
            return;
        }
        self.park_raced(g);
    }

    /// `finish_park` for a G that parked holding its channel's lock `held` (see `park.rs`): no
    /// unpark but a stale or a cancelling one can reach it before the lock is released.
    #[inline]
    fn finish_park_unlocking(&self, g: Arc<G>, held: HeldLock) {
        // Relaxed: the release of the lock below publishes this (and the G's saved context) to
        // the completer, which takes the lock before it looks.
        g.park.settle_park_under_lock();
        // Store, then load, in this order: `begin_shutdown`'s heavy fence does the CPU's part.
        std::sync::atomic::compiler_fence(Ordering::SeqCst);
        // Cancelled: a count of our own, since once the lock is released a completer may take the
        // park reference over, run the G to its end and drop it.
        let cancelled = g.cancelled_relaxed().then(|| g.clone());
        // The G's count becomes its park reference: its completer takes it over.
        let _ = Arc::into_raw(g);
        // SAFETY: the G parked holding this lock, and we release it once, here.
        unsafe { held.release() };
        if let Some(g) = cancelled {
            self.unpark_cancelled(&g);
        }
    }

    /// The runtime cancelled a G as it parked holding a lock: wake it (unless the shutdown's own
    /// unpark did), so it unwinds.
    #[cold]
    fn unpark_cancelled(&self, g: &G) {
        if super::park::set_token(g) {
            // SAFETY: `set_token` just won the G's PARKED -> IDLE.
            let g = unsafe { g.take_park_ref() };
            self.rt().ready_from(Some(self), g, false);
        }
    }

    /// An unpark reached `g` while it was switching away (`settle_park` consumed it): it is
    /// runnable again, and runs next on our P.
    #[cold]
    fn park_raced(&self, g: Arc<G>) {
        let rt = self.rt().clone();
        rt.ready_from(Some(self), g, true);
    }
}
