//! The wired M's side of waiting: a wired goroutine's M waits for it alone, and keeps its P a moment
//! while nothing else needs it (semantics 2.4).
//!
//! When its wired G parks, the M gives its P away and sleeps on its own signal (`wired_wait`;
//! through a sleep of the G's short enough, it spins instead, when a core is free for it),
//! unless nothing else waits to run: then it keeps the P and spins a few microseconds with `hold`
//! announced (`spin_holding_p`), and a readier that comes meanwhile only flips `hold` to `GOT`
//! (`MShared::hand_to_holder`) instead of handing a P over and waking a thread. Conversely, what
//! waits on the P cannot run on this M: where there is another P, `pass_on_runnext` sends the G
//! the wired G readied last to the head of the global queue (any M takes it at its next switch)
//! and the rest of the P's queue to another P, so that the P is free to keep.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use super::m::{MLocal, MShared, HOLD_SPIN_ROUNDS, NO_P};
use super::p::PState;
use super::Phase;

/// A wired goroutine's sleep this short is spun through by its M (`MLocal::wired_wait`).
const SPIN_THROUGH_SLEEP: Duration = Duration::from_micros(100);
/// How long past the deadline that spin goes on, for the M that fires the timer to hand the
/// goroutine over.
const SPIN_PAST_DUE: Duration = Duration::from_micros(50);

/// `spin_holding_p` looks at its P's timers every this many rounds (a look is one load, and a
/// clock read when the heap is not empty).
const TIMER_LOOK_EVERY: u32 = 16;

const NOT_HOLDING: u8 = 0;
const HOLDING: u8 = 1;
const GOT: u8 = 2;

/// `MShared::hold`: whether the M keeps its P spinning for its wired G. Its transitions:
///
/// | from | to | who | method |
/// |---|---|---|---|
/// | `NOT_HOLDING` | `HOLDING` | the M, before its CAS that parks the G (SeqCst) | [`HoldState::announce`] |
/// | `HOLDING` | `GOT` | a readier that finds it holding: the M runs the G on the P it kept | [`HoldState::hand_over`] |
/// | `GOT` | `NOT_HOLDING` | the M, seeing the hand-over | [`HoldState::take_hand_over`], [`HoldState::give_up`] |
/// | `HOLDING` | `NOT_HOLDING` | the M, after spinning in vain or when its G did not park after all | [`HoldState::give_up`], [`HoldState::withdraw`] |
///
/// The M stores `HOLDING` before its CAS that parks the G; the readier reads it after its CAS that
/// unparks the G, so it cannot miss it.
pub(crate) struct HoldState(AtomicU8);

/// What [`HoldState::give_up`] found.
#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum GiveUp {
    /// Nobody handed the G over: the P goes away as usual.
    Released,
    /// The hand-over came at the last moment: run the G.
    HandedOver,
}

impl HoldState {
    pub(crate) fn new() -> HoldState {
        HoldState(AtomicU8::new(NOT_HOLDING))
    }

    /// The M keeps its P for its wired G, which is about to park.
    pub(crate) fn announce(&self) {
        // SeqCst: ordered before the PARKED CAS, which the readier's CAS acquires.
        self.0.store(HOLDING, Ordering::SeqCst);
    }

    /// The G did not park after all: no longer holding.
    pub(crate) fn withdraw(&self) {
        self.0.store(NOT_HOLDING, Ordering::SeqCst);
    }

    /// A readier hands the G to the holding M. True if the M was holding.
    #[must_use]
    pub(crate) fn hand_over(&self) -> bool {
        // AcqRel: the readier's writes (the G's wake-up reason) happen-before the M resumes the G
        // (its Acquire load of `GOT` in `take_hand_over`).
        self.0
            .compare_exchange(HOLDING, GOT, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
    }

    /// The spinning M looks: true (and back to `NOT_HOLDING`) if the G was handed over.
    #[inline]
    #[must_use]
    pub(crate) fn take_hand_over(&self) -> bool {
        // Acquire: pairs with the readier's AcqRel CAS to GOT, which follows its writes.
        if self.0.load(Ordering::Acquire) == GOT {
            self.0.store(NOT_HOLDING, Ordering::Relaxed);
            return true;
        }
        false
    }

    /// The M stops holding, unless the hand-over came first.
    pub(crate) fn give_up(&self) -> GiveUp {
        match self
            .0
            .compare_exchange(HOLDING, NOT_HOLDING, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => GiveUp::Released,
            Err(_) => {
                self.0.store(NOT_HOLDING, Ordering::Relaxed);
                GiveUp::HandedOver
            }
        }
    }
}

impl MShared {
    /// If this M keeps its P spinning for its wired G, tells it the G is ready and returns true:
    /// the M runs it on that P, no P changes hands.
    pub(crate) fn hand_to_holder(&self) -> bool {
        self.hold.hand_over()
    }
}

impl MLocal {
    /// A wired M waits for its G to be readied and a P to be handed over. Returns false on stop.
    ///
    /// `due`: when the G's park timer fires, if it armed one. A wait that short (a sleep of up to
    /// [`SPIN_THROUGH_SLEEP`]) is spun through, to [`SPIN_PAST_DUE`] after the deadline, before the
    /// M sleeps in the kernel, if a core is free for it (not when the threads running goroutines
    /// take them all: the spin would slow the very M that fires the timer): a wake-up from the
    /// kernel costs the sleep tens of microseconds more (on a VM, 30–40 µs for a halted virtual
    /// CPU to run the woken thread), which would double a 20 µs sleep. The firing M hands the G and a P over at its next look, within microseconds of
    /// the deadline when it runs goroutines (an idle one wakes for the deadline itself).
    pub(super) fn wired_wait(&self, due: Option<Instant>) -> bool {
        let rt = &self.rt;
        let report = {
            let mut s = rt.sched();
            if self.shared.handoff.load(Ordering::Relaxed) == NO_P {
                self.shared.wired_waiting.store(true, Ordering::Relaxed);
                s.count_wired_idle(true);
                rt.check_dead(&s)
            } else {
                None
            }
        };
        if let Some(report) = report {
            rt.begin_shutdown(Some(report));
        }
        let mut spin_until = due
            .filter(|&d| d.saturating_duration_since(Instant::now()) <= SPIN_THROUGH_SLEEP)
            .map(|d| d + SPIN_PAST_DUE);
        loop {
            if let Some((p, _)) = self.shared.take_handoff() {
                self.adopt_p(p, PState::Sched);
                return true;
            }
            if rt.phase() == Phase::Stopping {
                let mut s = rt.sched();
                if self.shared.wired_waiting.swap(false, Ordering::Relaxed) {
                    s.count_wired_idle(false);
                }
                return false;
            }
            if let Some(until) = spin_until.take() {
                // The Ps held by Ms (which run goroutines) each take a core (Relaxed: a hint).
                let busy = rt.ps.len() - rt.npidle.load(Ordering::Relaxed).min(rt.ps.len());
                if self.shared.wake.spin_until(until, busy as u32) {
                    continue;
                }
            }
            self.shared.wake.wait(None);
        }
    }

    /// A G that stays on this M (wired) parks: what waits on our P goes where another M runs it,
    /// and our P stays free for our G's next turn (`may_hold_p`).
    ///
    /// - The G it readied last, in `runnext` (most likely what it waits for: the other side of a
    ///   round trip), goes to the head of the global queue, with the goroutines woken from
    ///   outside the runtime's Ms, which every M takes at its next switch, before its own
    ///   `runnext` (`Runtime::has_global_woken`). Left in `runnext`, it went with our P to
    ///   whichever M took the P over; at max_procs 2 the M spinning for work stole it from there,
    ///   each time behind a `membarrier` (`runnext.rs`): IPIs to every CPU at every turn of a
    ///   wired ping-pong.
    /// - The rest of our P's queue goes to the tail of another P's (the shortest). Left here, it
    ///   kept our P from being held: each park handed the P, queue and all, to a third thread,
    ///   and each wake-up handed it back, two futex wake-ups a round trip, and the kernel often
    ///   put the two threads on one CPU. Not to the global queue: a busy M looks there only
    ///   every 61st switch, and our G's own `yield_now` waits behind whatever is there.
    ///
    /// At max_procs 1 our P, queue and all, goes to the M that runs the rest, which is the quicker
    /// way; but when other goroutines wait on it, the G in `runnext` still goes to the global
    /// queue's head: that M takes goroutines woken by timers ahead of `runnext`, and the partner
    /// such a goroutine readies would push ours out of `runnext` to the queue's tail, behind all
    /// the others (the tracer benchmark's round trip took 1.5 ms that way, in most runs).
    pub(super) fn pass_on_runnext(&self) {
        let Some(pi) = self.p.get() else {
            return;
        };
        let rt = &self.rt;
        if rt.phase() != Phase::Running {
            return;
        }
        let p = &rt.ps[pi];
        let alone = rt.ps.len() == 1;
        if alone && p.fifo_len() == 0 {
            return;
        }
        if let Some(next) = p.runnext.owner_take(&p.state, self.owner()) {
            rt.push_global_woken(next);
            // (At max_procs 1 our P is held, and this returns at once.)
            rt.wakep();
        }
        if !alone && p.fifo_len() != 0 {
            let to = (0..rt.ps.len())
                .filter(|&i| i != pi)
                .min_by_key(|&i| rt.ps[i].len())
                .expect("another P");
            let rest = rt.ps[to].push_batch(p.take_all());
            if !rest.is_empty() {
                rt.push_global(rest);
            }
            rt.wakep();
        }
    }

    /// Whether a wired G that parks may keep this M's P while the M spins for it: the M holds a P,
    /// nothing else waits to run here, and nothing in the global queue either, unless another M
    /// will take it: one spinning for work (`spin_for_work`; a G readied by this M's wired G goes
    /// there, see `Runtime::ready_from`), or one holding another P, which looks at the global
    /// queue as it switches (`pass_on_runnext` has just put work there).
    pub(super) fn may_hold_p(&self) -> bool {
        let rt = &self.rt;
        self.p.get().is_some_and(|pi| {
            rt.ps[pi].len() == 0
                && (rt.global_len() == 0
                    || rt.nmspinning.load(Ordering::SeqCst) > 0
                    || rt.npidle.load(Ordering::SeqCst) + 1 < rt.ps.len())
        }) && rt.phase() == Phase::Running
    }

    /// The G running on this M is wired to it (so this M runs no other G).
    pub(crate) fn runs_wired_g(&self) -> bool {
        let g = self.running_ptr.get();
        // SAFETY: `running_ptr` is null or the G that `execute` holds an `Arc` of while it runs.
        unsafe { g.as_ref() }.is_some_and(|g| g.wired_m().is_some())
    }

    /// Spins (with the hold announced) for our wired G to be readied. True if it was: run it now,
    /// on the P we kept. False if the wait was too long, or a timer of our P came due (an M that
    /// takes the P over fires it; a wired G handed over at every turn would keep the P, and its
    /// timers, here for good): the hold is given up and the caller gives the P away as usual.
    pub(super) fn spin_holding_p(&self) -> bool {
        let pi = self.p.get();
        for k in 0..HOLD_SPIN_ROUNDS {
            if self.shared.hold.take_hand_over() {
                return true;
            }
            if k % TIMER_LOOK_EVERY == 0 && pi.is_some_and(|pi| self.rt.timers.has_due(pi)) {
                break;
            }
            std::hint::spin_loop();
        }
        self.shared.hold.give_up() == GiveUp::HandedOver
    }

    /// Polls, for a few microseconds, for work queued to this M (our P's queue, a timer) or to anyone (the
    /// global queue). True as soon as some shows up. Other Ps' queues are left alone: their Gs
    /// will most likely run there in a moment, and a steal would split a producer from its
    /// consumer (a buffered channel ran 1.9x slower at max_procs 2 when this looked there too).
    /// Not while a wired M waits for its G: that M may need our P any moment, and it can only have
    /// it once we give it up.
    pub(super) fn spin_for_work(&self, pi: usize) -> bool {
        let rt = &self.rt;
        for _ in 0..HOLD_SPIN_ROUNDS {
            if rt.wired_idle.load(Ordering::Relaxed) > 0 {
                return false;
            }
            if rt.global_len() > 0
                || rt.ps[pi].len() > 0
                || rt.timers.has_due(pi)
                || rt.phase() == Phase::Stopping
            {
                return true;
            }
            std::hint::spin_loop();
        }
        false
    }
}
