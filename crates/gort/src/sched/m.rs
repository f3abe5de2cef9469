//! M: an OS thread running the scheduler loop.
//!
//! [`MShared`] is the part other threads touch (its wake signal and the slot where a P is handed to
//! it); [`MLocal`] lives on the M's own stack and holds what only the M and the goroutines it runs use:
//! its P, the running G, whether it is spinning.
//!
//! The loop (`run_loop`) alternates `find_runnable` and `execute`. `execute` switches to the G and,
//! when a G switches back, does what it asked: park it (or, for a wired G, give the P away and wait
//! for the G to be readied), requeue it (yield), or find it a P (back from a syscall). The park token is
//! settled here, on the M, after the G's registers are saved: only then may another thread resume it.
//! A G that parks while its P has a next G ready switches straight to that G instead, which settles
//! the park for it (`switch.rs`): the G that comes back to `execute` may then be another one than
//! the G it switched to.
//!
//! What an M does beside its loop lives in files of its own, each an `impl MLocal`: stealing
//! (`steal.rs`), going idle and blocking in the poller (`idle.rs`), the wired M's wait and hold
//! (`hold.rs`), and a goroutine's exit (`exit.rs`).
//!
//! The P's state word reads `Running` while a G runs. When the G parks, yields or exits and the M
//! goes straight on to the next G, the word stays `Running` (`MLocal::p_running`) and the next
//! `execute` checks it with a plain load; every other path first moves it back to `Sched` with a
//! CAS (`settle_p`). See `fence.rs` for why the plain load is enough.

use crossbeam_utils::CachePadded;
use std::cell::{Cell, RefCell};
use std::sync::atomic::{compiler_fence, AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use super::current;
use super::g::{Exec, Status, Suspend, G};
use super::gfree::LocalFree;
use super::hold::HoldState;
use super::p::{pack, PState, GLOBAL_FIRST_EVERY, LOCAL_CAP};
use super::park_token::Settle;
use super::runnext::{Owner, Window};
use super::switch::{goroutine_main, Pending};
use super::sysmon::ThreadProbe;
use super::wake::WakeSignal;
use super::{Phase, Runtime, Sched};
use crate::context;
use crate::stack::{self, GoroutineStack};

/// How long an M keeps its P spinning for its wired G: `pause` rounds, a few microseconds (as long
/// as the first phase of `WakeSignal::wait`).
pub(super) const HOLD_SPIN_ROUNDS: u32 = 200;

/// No P in the hand-off slot.
pub(super) const NO_P: usize = usize::MAX;
/// Flag bit in the hand-off slot: the M is to start out spinning.
pub(super) const SPIN_BIT: usize = 1 << (usize::BITS - 1);

pub(crate) struct MShared {
    pub(crate) id: u64,
    pub(crate) wake: WakeSignal,
    /// A P handed to this M (index, plus SPIN_BIT), or NO_P. Written by the giver under the scheduler
    /// lock before `wake.notify()` (whose Release publishes it); taken by the M with a swap.
    pub(super) handoff: AtomicUsize,
    /// The M is a wired M asleep waiting for its G; counted in `Sched::nm_wired_idle`. Only read and
    /// written under the scheduler lock (the atomic is for `Sync`, not for ordering).
    pub(super) wired_waiting: AtomicBool,
    /// The M is inside `gort::syscall`: `run` does not join it (4.1).
    pub(crate) in_syscall: AtomicBool,
    /// Holding while this M, whose wired G has just parked, keeps its P and spins for the G to be
    /// readied (nothing else was waiting to run); handed over once a readier took that path
    /// instead of handing over a P: two wired goroutines taking turns on two Ps then trade cache
    /// lines, not futex wake-ups (`hold.rs`).
    pub(crate) hold: HoldState,
    /// Open while this M is inside an owner's access of its P's `runnext` (see `runnext.rs`);
    /// written only by this M.
    pub(crate) window: Window,
    /// Lets sysmon see whether this M's thread sleeps in the kernel (a plain blocking call).
    pub(crate) probe: ThreadProbe,
    /// Goroutines that exited on this M (see `Runtime::live`). Written only by this M, with a
    /// plain Release store where the heavy fence is at hand (`MLocal::count_exit`); its own cache
    /// line, which only readers of the count (`num_goroutine`, the stop and deadlock checks) share.
    pub(crate) exits: CachePadded<AtomicUsize>,
    pub(super) this: Weak<MShared>,
}

impl MShared {
    pub(crate) fn new(id: u64) -> Arc<MShared> {
        Arc::new_cyclic(|this| MShared {
            id,
            wake: WakeSignal::new(),
            handoff: AtomicUsize::new(NO_P),
            wired_waiting: AtomicBool::new(false),
            in_syscall: AtomicBool::new(false),
            hold: HoldState::new(),
            window: Window::new(),
            probe: ThreadProbe::default(),
            exits: CachePadded::new(AtomicUsize::new(0)),
            this: this.clone(),
        })
    }

    pub(crate) fn arc(&self) -> Arc<MShared> {
        self.this.upgrade().expect("an M is alive while referenced")
    }

    /// Hands P `p` to this M (caller holds the scheduler lock, then calls `wake.notify()`).
    pub(crate) fn give_p(&self, s: &mut Sched, p: usize, spinning: bool) {
        if self.wired_waiting.swap(false, Ordering::Relaxed) {
            s.count_wired_idle(false);
        }
        let v = if spinning { p | SPIN_BIT } else { p };
        self.handoff.store(v, Ordering::Relaxed);
    }

    pub(super) fn take_handoff(&self) -> Option<(usize, bool)> {
        // Acquire: pairs with the Release of the giver's `wake.notify()` (and the lock it held).
        match self.handoff.swap(NO_P, Ordering::Acquire) {
            NO_P => None,
            v => Some((v & !SPIN_BIT, v & SPIN_BIT != 0)),
        }
    }
}

pub(crate) struct MLocal {
    pub(crate) shared: Arc<MShared>,
    /// `shared.id`, kept here: the switch path reads it at every switch, and `MShared` is a
    /// different allocation whose other lines other threads write.
    pub(super) id: u64,
    pub(super) rt: Arc<Runtime>,
    pub(super) p: Cell<Option<usize>>,
    /// Our P's state word reads `Running` (ours) as we last wrote it: while a G runs, and, on the
    /// switch fast path, between one G and the next (see `execute`). `false`: it reads `Sched`, or
    /// we hold no P.
    pub(super) p_running: Cell<bool>,
    /// The switch fast path is on: `fence::enabled()`, read once.
    pub(super) fast_switch: bool,
    /// The running G, holding one strong count of it (`Arc::into_raw`), or null in the scheduler.
    pub(super) running_ptr: Cell<*const G>,
    /// The scheduler's context, saved here while a G runs (see `crate::context`).
    pub(super) sched_sp: Cell<usize>,
    /// Why the G that last switched back to the scheduler did so.
    pub(super) why: Cell<Suspend>,
    /// What the G this M switches to next must finish for the G that switched to it directly.
    pub(super) pending: Cell<Pending>,
    /// A G that a direct switch took off our P but may not run here (wired elsewhere, or kept off
    /// the main thread), and whether it inherits the slice: `execute` deals with it.
    pub(super) stashed: Cell<Option<(Arc<G>, bool)>>,
    /// A P (index) whose timer was found due, and when (runtime nanoseconds), by a look that
    /// left the firing to the scheduler (`note_due_timer`).
    pub(super) due_seen: Cell<Option<(usize, u64)>>,
    /// When the park timer of the wired G that is parking fires, if it armed one: set by the G
    /// (`park.rs`), taken by the M for `wired_wait`.
    pub(crate) wired_due: Cell<Option<std::time::Instant>>,
    pub(super) spinning: Cell<bool>,
    /// The thread must end after the current G (it exited wired, 2.5).
    pub(super) exit_thread: Cell<bool>,
    pub(super) rng: Cell<u32>,
    /// This M is the thread that called `run`.
    pub(super) is_main: Cell<bool>,
    /// Stacks of goroutines that exited here, for the next ones to start here: no lock, and no
    /// contention with other Ms on the runtime's pool (Go keeps such a cache per P).
    pub(super) stack_cache: RefCell<Vec<GoroutineStack>>,
    /// Gs whose goroutines exited here, for the next spawns here (see `gfree.rs`).
    pub(crate) free_gs: LocalFree,
    /// Gs that exited here and are still registered: unregistered [`DEAD_BATCH`] at a time (see
    /// `registry.rs`), then freed.
    pub(super) dead: RefCell<Vec<Arc<G>>>,
    /// Goroutine ids reserved for spawns on this M: `[next, end)`.
    pub(super) ids: Cell<(u64, u64)>,
}

/// Goroutine ids an M reserves at a time (Go's `_GoidCacheBatch` is 16).
const ID_BATCH: u64 = 64;

/// Exited Gs an M collects before it unregisters them.
pub(super) const DEAD_BATCH: usize = 32;

/// Most stacks an M keeps for itself.
const M_STACK_CACHE: usize = 16;

impl Drop for MLocal {
    fn drop(&mut self) {
        self.release_dead();
        for s in self.stack_cache.get_mut().drain(..) {
            self.rt.stacks.put(s);
        }
    }
}

impl MLocal {
    /// Called on the M's own thread, as it starts.
    pub(crate) fn new(rt: Arc<Runtime>, shared: Arc<MShared>) -> MLocal {
        shared.probe.record_current_thread();
        let seed = (shared.id as u32).wrapping_mul(0x9E37_79B9) | 1;
        MLocal {
            id: shared.id,
            shared,
            rt,
            p: Cell::new(None),
            p_running: Cell::new(false),
            fast_switch: super::fence::enabled(),
            running_ptr: Cell::new(std::ptr::null()),
            sched_sp: Cell::new(0),
            why: Cell::new(Suspend::Exit),
            pending: Cell::new(Pending::None),
            stashed: Cell::new(None),
            wired_due: Cell::new(None),
            due_seen: Cell::new(None),
            spinning: Cell::new(false),
            exit_thread: Cell::new(false),
            rng: Cell::new(seed),
            is_main: Cell::new(false),
            stack_cache: RefCell::new(Vec::with_capacity(M_STACK_CACHE)),
            free_gs: LocalFree::default(),
            dead: RefCell::new(Vec::with_capacity(DEAD_BATCH)),
            ids: Cell::new((0, 0)),
        }
    }

    /// A goroutine id for a spawn on this M, from its reserved batch (one shared atomic add per
    /// [`ID_BATCH`] spawns instead of one per spawn).
    pub(crate) fn next_goroutine_id(&self, next_gid: &AtomicU64) -> u64 {
        let (mut next, mut end) = self.ids.get();
        if next == end {
            // Relaxed: ids only need to be unique, which the atomic add guarantees.
            next = next_gid.fetch_add(ID_BATCH, Ordering::Relaxed);
            end = next + ID_BATCH;
        }
        self.ids.set((next + 1, end));
        next
    }

    pub(crate) fn set_main(&self) {
        self.is_main.set(true);
    }

    pub(crate) fn is_main(&self) -> bool {
        self.is_main.get()
    }

    pub(crate) fn rt(&self) -> &Arc<Runtime> {
        &self.rt
    }

    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    pub(crate) fn p(&self) -> Option<usize> {
        self.p.get()
    }

    /// Whether our P's word reads `Running`, as we last wrote it (see `p_running`).
    pub(super) fn p_running(&self) -> bool {
        self.p_running.get()
    }

    pub(crate) fn current_g(&self) -> *const G {
        self.running_ptr.get()
    }

    pub(crate) fn current_g_arc(&self) -> Option<Arc<G>> {
        let g = self.running_ptr.get();
        if g.is_null() {
            return None;
        }
        // SAFETY: a non-null `running_ptr` holds a strong count of the running G, which keeps it
        // alive; we add a count of our own before making a second `Arc` from the pointer.
        unsafe {
            Arc::increment_strong_count(g);
            Some(Arc::from_raw(g))
        }
    }

    /// This M as the owner of its P, for `runnext`'s owner methods.
    #[inline(always)]
    pub(crate) fn owner(&self) -> Owner<'_> {
        Owner {
            id: self.id,
            window: &self.shared.window,
        }
    }

    /// Takes ownership of P `p` in state `st`.
    pub(crate) fn adopt_p(&self, p: usize, st: PState) {
        self.rt.ps[p]
            .state
            .store(pack(self.id(), st), Ordering::SeqCst);
        self.p.set(Some(p));
        // A due timer seen on a P we held before is stale.
        self.due_seen.set(None);
        self.p_running.set(st == PState::Running);
    }

    /// Whether P `pi` is still ours, its state word due to read `expected`. If sysmon is midway
    /// through taking it (`Stolen`), gives it up (`Released`), unless sysmon gives it back first.
    pub(crate) fn still_owns(&self, pi: usize, expected: u64) -> bool {
        let state = &self.rt.ps[pi].state;
        let stolen = pack(self.id(), PState::Stolen);
        loop {
            let st = state.load(Ordering::SeqCst);
            if st == expected {
                return true;
            }
            if st != stolen {
                return false;
            }
            // SeqCst, as every change of the word: this CAS and sysmon's (giving the P back, or
            // taking it for good) decide together who has it.
            if state
                .compare_exchange(
                    stolen,
                    pack(self.id(), PState::Released),
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
            {
                return false;
            }
        }
    }

    /// Moves our P from `Running` (left so by a G or by the switch fast path) to `Sched`, where
    /// sysmon leaves it alone while we schedule; drops it if sysmon took it meanwhile.
    pub(super) fn settle_p(&self) {
        if !self.p_running.replace(false) {
            return;
        }
        let Some(pi) = self.p.get() else {
            return;
        };
        let running = pack(self.id(), PState::Running);
        loop {
            if self.rt.ps[pi]
                .state
                .compare_exchange(
                    running,
                    pack(self.id(), PState::Sched),
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
            {
                return;
            }
            if !self.still_owns(pi, running) {
                self.drop_p();
                return;
            }
        }
    }

    pub(crate) fn drop_p(&self) {
        self.p_running.set(false);
        self.p.set(None);
    }

    /// Starts the M with P `p` (and spinning, if asked) — for Ms made by the template thread.
    pub(crate) fn start_with(&self, p: usize, spinning: bool) {
        self.adopt_p(p, PState::Sched);
        self.spinning.set(spinning);
    }

    pub(super) fn next_rand(&self) -> u32 {
        let mut x = self.rng.get();
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.rng.set(x);
        x
    }

    /// The scheduler loop. Returns when the runtime stops or the thread must exit (its wired G exited).
    pub(crate) fn run_loop(&self, first: Option<Arc<G>>) {
        current::set_current(self);
        let mut next = first;
        loop {
            let g = match next.take() {
                Some(g) => g,
                None => match self.find_runnable() {
                    Some(g) => g,
                    None => break,
                },
            };
            next = self.execute(g);
            if self.exit_thread.get() {
                break;
            }
        }
        current::set_current(std::ptr::null());
    }

    /// True if the thread left its loop because its wired G exited.
    pub(crate) fn exited_wired(&self) -> bool {
        self.exit_thread.get()
    }

    // ---- finding work -------------------------------------------------------------------------

    pub(super) fn find_runnable(&self) -> Option<Arc<G>> {
        let rt = &self.rt;
        loop {
            if rt.phase() == Phase::Stopping {
                self.settle_p();
                self.release_for_stop();
                return None;
            }
            let Some(pi) = self.p.get() else {
                if !self.stop_m() {
                    return None;
                }
                continue;
            };
            let p = &rt.ps[pi];
            if self.p_running.get() {
                // The switch fast path (see `execute`): sysmon may have taken the P without our
                // knowing yet, so take only from its own queue here, which moves no G into it
                // (a G moved into a P we lost could sit there unseen). Anything more is done with
                // the P settled, and so known to be ours.
                if p.schedtick.load(Ordering::Relaxed) % GLOBAL_FIRST_EVERY != 0
                    && !self.note_due_timer(pi)
                    && !rt.has_global_woken()
                {
                    if let Some((g, inherit)) = p.pop(self.owner()) {
                        if let Some(g) = self.found(pi, g, inherit) {
                            return Some(g);
                        }
                        continue;
                    }
                }
                self.settle_p();
                continue;
            }
            let global_first = p.schedtick.load(Ordering::Relaxed) % GLOBAL_FIRST_EVERY == 0
                || rt.has_global_woken();
            // A goroutine woken by a due timer runs before `runnext` (see `P::pop`): the first,
            // straight from the timer unless the global queue goes first (below).
            let seen_due = self
                .due_seen
                .take()
                .filter(|&(at, _)| at == pi)
                .map(|(_, now)| now);
            let timer_woken = rt.timers.run_due(rt, pi, !global_first, seen_due);
            // 1.3: every 61st schedule, the global queue first, so it never starves. The G taken
            // that way runs on the current time slice rather than a fresh one: a fresh slice each
            // time would keep a pair taking turns through `runnext` from ever spending its slice
            // (1.5), and the FIFO behind them would starve (a goroutine yielding in a loop while a
            // ping-pong pair ran kept 13 others from ever starting at max_procs 1).
            // Gs woken from outside the runtime's Ms wait at the global queue's head: they too go
            // before our `runnext`, on the current slice (see "Wake-ups and `runnext` chains" in
            // `mod.rs`).
            let fresh = if let Some(g) = timer_woken {
                Some((g, true))
            } else if global_first {
                rt.take_global(p, 1).map(|g| (g, true))
            } else {
                None
            };
            let found = fresh
                .or_else(|| p.pop(self.owner()))
                .or_else(|| rt.take_global(p, LOCAL_CAP / 2).map(|g| (g, false)))
                .or_else(|| self.poll_network().map(|g| (g, false)))
                .or_else(|| self.steal(pi).map(|g| (g, false)));
            if let Some((g, inherit)) = found {
                if let Some(g) = self.found(pi, g, inherit) {
                    return Some(g);
                }
                continue;
            }
            // While goroutines are wired, a spinning M keeps its P a moment longer, in case work
            // turns up: a G readied by a wired G's M (which cannot run it) then runs here at
            // once, with no P handed over (which more than halved the one-side-wired ping-pong's
            // round trip: commit 4a80e4f). Without wired goroutines this only costs: Gs that take
            // turns on one P get split across two.
            if self.spinning.get()
                && rt.wired_gs.load(Ordering::Relaxed) > 0
                && self.spin_for_work(pi)
            {
                continue;
            }
            // Nothing anywhere: give the P back. Work queued from here on is caught by the look
            // once the P is published as idle, below.
            {
                let mut s = rt.sched();
                rt.pidle_put(&mut s, pi);
            }
            self.p.set(None);
            let was_spinning = self.spinning.replace(false);
            if was_spinning {
                rt.nmspinning.fetch_sub(1, Ordering::SeqCst);
            }
            // The P is published as idle; a `ready` from now on wakes someone. One from before did
            // not, so look once more (see `Runtime::release_p`).
            if rt.any_work() {
                if let Some(np) = rt.take_idle_p() {
                    self.adopt_p(np, PState::Sched);
                    if was_spinning {
                        self.spinning.set(true);
                        rt.nmspinning.fetch_add(1, Ordering::SeqCst);
                    }
                    continue;
                }
            }
            if !self.stop_m() {
                return None;
            }
        }
    }

    /// Whether a timer of P `pi` (ours) is due, remembering when it was seen due for the
    /// scheduler's `run_due`, which follows (no second clock reading).
    #[inline(always)]
    pub(super) fn note_due_timer(&self, pi: usize) -> bool {
        if self.due_seen.get().is_some_and(|(at, _)| at == pi) {
            return true;
        }
        let due = self.rt.timers.due_now(pi);
        if let Some(now) = due {
            self.due_seen.set(Some((pi, now)));
        }
        due.is_some()
    }

    /// Bookkeeping for a G found for P `pi`. Returns it, unless it is wired to another M, in which case
    /// our P goes to that M (Go's startlockedm) and we come back with no P. Inlined: it runs at every
    /// switch, and its usual case is three loads.
    #[inline(always)]
    pub(super) fn found(&self, pi: usize, g: Arc<G>, inherit: bool) -> Option<Arc<G>> {
        if self.spinning.get() {
            self.stop_spinning();
        }
        if g.wired_m().is_some_and(|target| target.id != self.id())
            || (self.is_main() && g.avoids_main())
        {
            self.hand_p_to_others(pi, g);
            return None;
        }
        self.begin_slice(pi, inherit);
        Some(g)
    }

    /// A G found for P `pi` starts a new time slice, unless it inherits the current one.
    #[inline(always)]
    pub(super) fn begin_slice(&self, pi: usize, inherit: bool) {
        if !inherit {
            let p = &self.rt.ps[pi];
            // Only the P's owner writes these (Relaxed: sysmon reads them as hints).
            p.slice
                .store(p.slice.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
            p.slice_expired.store(false, Ordering::Relaxed);
        }
    }

    /// A spinning M found work: it stops spinning and, if it was the last spinning M, lets another
    /// look, in case there is more (Go's resetspinning).
    #[cold]
    pub(super) fn stop_spinning(&self) {
        self.spinning.set(false);
        if self.rt.nmspinning.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.rt.wakep();
        }
    }

    /// `found`'s unusual cases: `g` is wired to another M, which gets our P (and we go idle), or
    /// `g` must keep off the main thread's M (queued, and our P lent out).
    #[cold]
    pub(super) fn hand_p_to_others(&self, pi: usize, g: Arc<G>) {
        let rt = &self.rt;
        self.settle_p();
        if self.p.get().is_none() {
            // Sysmon took the P as we switched: whoever runs it now, or another M, runs `g`.
            self.rt.queue_lost(Some(g));
            return;
        }
        if let Some(target) = g.wired_m() {
            let target = target.arc();
            drop(g);
            self.p.set(None);
            rt.ps[pi]
                .state
                .store(pack(0, PState::Idle), Ordering::SeqCst);
            {
                // We go idle in the same critical section, so that when the wired G parks again
                // in a moment and its M looks for an M to take the P, it finds us (spinning)
                // rather than a sleeping M or none.
                let mut s = rt.sched();
                target.give_p(&mut s, pi, false);
                s.idle_ms.push(self.shared.clone());
            }
            target.wake.notify();
            self.idle_wait();
            return;
        }
        // It is on its way into a syscall and must run elsewhere: queue it and lend our P.
        rt.push_global([g]);
        self.p.set(None);
        rt.handoff_p(pi);
    }

    // ---- running a goroutine ------------------------------------------------------------------

    /// Runs `g` until a G (`g`, or one it switched to directly) switches back to the scheduler.
    /// Returns a G to run next on this M without looking (the same G, when its park raced with an
    /// unpark or it is wired and got its P back).
    pub(super) fn execute(&self, g: Arc<G>) -> Option<Arc<G>> {
        let rt = &self.rt;
        let pi = self.p.get().expect("gort: execute without a P");
        if !self.count_schedule(pi) {
            // `g` did not run here. (Never a G wired to us: we only run other Gs while ours
            // is not wired.)
            debug_assert!(g.wired_m().is_none());
            self.rt.queue_lost(Some(g));
            return None;
        }
        let to = self.enter(g);
        // SAFETY: `sched_sp` is ours for as long as the M lives, and `to` is the saved context of the
        // G that `enter` just made ours to run. This is the M's own stack, so the switch returns on
        // this thread.
        unsafe { context::switch(self.sched_sp.as_ptr(), to) };
        // SAFETY: null is always allowed.
        unsafe { stack::set_running(std::ptr::null()) };
        // SAFETY: the G that switched back left its count in `running_ptr`, which we take over.
        let g = unsafe { Arc::from_raw(self.running_ptr.replace(std::ptr::null())) };
        let why = self.why.get();

        // Did sysmon take our P while the G ran? (The G may also have changed it, in a syscall.)
        // Where the M goes straight on to another G (a park, a yield, an exit of an unwired G),
        // `execute` finds out when it starts that G, without a locked instruction; anywhere else
        // the word goes back to `Sched` now.
        let fast = self.fast_switch
            && match why {
                Suspend::Exit => !g.is_wired(),
                Suspend::Park { stay, .. } => !stay,
                Suspend::Yield => g.wired_m().is_none(),
                _ => false,
            };
        if !fast {
            self.settle_p();
        }

        match why {
            Suspend::Exit => {
                self.g_exit(g);
                None
            }
            Suspend::Yield => {
                g.set_status(Status::Runnable);
                let stay = g.wired_m().is_some();
                if !stay {
                    if let Some(pi) = self.p.get() {
                        if rt.ps[pi].len() == 0 && rt.global_len() == 0 {
                            // Nothing waits anywhere for this P: going to the global tail would
                            // only bring us straight back.
                            return Some(g);
                        }
                        if rt.ps[pi].len() == 0 {
                            // Nothing local to run: to the global tail and take its head in one
                            // critical section (the common case of goroutines taking turns).
                            // (`None`: the runtime has stopped and discarded `g`.)
                            return rt
                                .swap_global(g)
                                .and_then(|next| self.found(pi, next, false));
                        }
                    }
                    rt.push_global([g]);
                    if self.p.get().is_none() {
                        rt.wakep();
                    }
                    return None;
                }
                // A wired G waits in the queue like any other; its M lends its P out meanwhile.
                rt.push_global([g.clone()]);
                if let Some(pi) = self.p.take() {
                    rt.handoff_p(pi);
                } else {
                    // Sysmon took the P while the G ran: have someone come for the G.
                    rt.wakep();
                }
                self.wired_wait(None).then_some(g)
            }
            Suspend::Park {
                stay: false,
                unlock,
            } => {
                // What the next G settles after a direct switch (`switch.rs`), settled here.
                self.finish_park(g, unlock);
                self.take_stashed()
            }
            Suspend::Park { stay: true, unlock } => {
                let due = self.wired_due.take();
                if let Some(held) = unlock {
                    // (Never so: a G that stays on its M parks without holding a lock. Were it so,
                    // releasing the lock first is the general protocol, which the CAS below keeps.)
                    // SAFETY: the G parked holding this lock; this is its one release.
                    unsafe { held.release() };
                }
                g.set_status(Status::Waiting);
                self.pass_on_runnext();
                // A wired G whose P has nothing else to run: keep the P and spin a moment for the
                // G to be readied (see `MShared::hold`). Announced before the G is marked parked,
                // so that whoever readies it sees the announcement.
                let hold = self.may_hold_p();
                if hold {
                    self.shared.hold.announce();
                }
                // The park reference (see `g.rs`): a new count, since we keep the G.
                let park_ref = Arc::into_raw(g.clone());
                if g.park.settle_park() == Settle::Raced {
                    // SAFETY: the count made just above, not handed to anyone: the G never parked.
                    drop(unsafe { Arc::from_raw(park_ref) });
                    // An unpark arrived while it was suspending (consumed): go on running it.
                    g.set_status(Status::Runnable);
                    if hold {
                        self.shared.hold.withdraw();
                    }
                    return self.run_again(g, true);
                }
                if hold && self.spin_holding_p() {
                    return Some(g);
                }
                if let Some(pi) = self.p.take() {
                    rt.handoff_p(pi);
                }
                self.wired_wait(due).then_some(g)
            }
            Suspend::NeedP { stay } => self.run_again(g, stay),
            Suspend::LeaveMain => {
                g.set_status(Status::Runnable);
                rt.push_global([g]);
                if let Some(pi) = self.p.take() {
                    rt.handoff_p(pi);
                } else {
                    // Sysmon took the P while the G ran: have someone come for the G.
                    rt.wakep();
                }
                None
            }
        }
    }

    /// Counts one more schedule on P `pi` (ours) and marks it `Running`. False if sysmon took the
    /// P meanwhile: then we hold none, and must not run a G.
    #[inline(always)]
    pub(super) fn count_schedule(&self, pi: usize) -> bool {
        let rt = &self.rt;
        let p = &rt.ps[pi];
        // Only the P's owner writes `schedtick` (Relaxed: sysmon reads it as a hint). The state store
        // needs no fence: sysmon and we only ever CAS the word, whose modification order is total.
        p.schedtick
            .store(p.schedtick.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        p.run_since.store(rt.coarse_nanos(), Ordering::Relaxed);
        if self.p_running.get() {
            // The switch fast path: the word still reads `Running` from the last G, unless sysmon
            // took the P meanwhile. Our store of `schedtick` above, then this load; sysmon's CAS,
            // then a `membarrier`, then its load of `schedtick`: either it sees that we switched
            // (and gives the P back), or we see its CAS (`fence.rs`). The compiler fence keeps the
            // two in this order; the CPU's store buffer is sysmon's `membarrier`'s business.
            compiler_fence(Ordering::SeqCst);
            let expected = pack(self.id(), PState::Running);
            if p.state.load(Ordering::SeqCst) != expected && !self.still_owns(pi, expected) {
                self.drop_p();
                return false;
            }
        } else {
            // From `Sched`, which only we change: a plain store.
            p.state
                .store(pack(self.id(), PState::Running), Ordering::Release);
            self.p_running.set(true);
        }
        true
    }

    /// Makes `g` this M's running G (taking over the count) and returns its saved context, which
    /// the caller switches to next. A G that has not run yet gets its stack here.
    #[inline(always)]
    pub(super) fn enter(&self, g: Arc<G>) -> usize {
        g.set_status(Status::Running);
        // SAFETY: this M took `g` off a queue (or was handed it as its wired G), so it alone owns the
        // G's execution state until the G is queued or parked again.
        let exec = unsafe { g.exec() };
        if let Exec::New(_) = exec {
            self.start_stack(exec, g.id());
        }
        let Exec::Running { sp, info, .. } = exec else {
            unreachable!("gort: a queued goroutine has finished");
        };
        // SAFETY: `info` lives in the G, unchanged until the goroutine exits, and the M records
        // another (or none) before it lets go of the G.
        unsafe { stack::set_running(info) };
        let to = *sp;
        self.running_ptr.set(Arc::into_raw(g));
        to
    }

    /// The scheduler's saved context, for a G that switches back to it.
    pub(super) fn sched_context(&self) -> usize {
        self.sched_sp.get()
    }

    /// A G stashed by a direct switch (see `stashed`), dealt with now that the G that took it off
    /// the P has parked.
    pub(super) fn take_stashed(&self) -> Option<Arc<G>> {
        let (next, inherit) = self.stashed.take()?;
        match self.p.get() {
            Some(pi) => self.found(pi, next, inherit),
            None => {
                self.rt.queue_lost(Some(next));
                None
            }
        }
    }

    /// `g` is runnable and was running here: run it again now if we hold a P, else queue it (a wired G
    /// is queued too, and its M waits for whoever dequeues it to hand over a P).
    pub(super) fn run_again(&self, g: Arc<G>, stay: bool) -> Option<Arc<G>> {
        if self.p.get().is_some() {
            return Some(g);
        }
        let rt = &self.rt;
        if stay {
            if let Some(p) = rt.take_idle_p() {
                self.adopt_p(p, PState::Sched);
                return Some(g);
            }
            rt.push_global([g.clone()]);
            rt.wakep();
            return if self.wired_wait(None) { Some(g) } else { None };
        }
        rt.push_global([g]);
        rt.wakep();
        None
    }

    /// Gives a G that has not run yet (`exec` is its body) a stack, from this M's cache or the pool,
    /// with its body at the top and a context that starts `goroutine_main` on it.
    #[cold]
    pub(super) fn start_stack(&self, exec: &mut Exec, goroutine_id: u64) {
        let cached = self.stack_cache.borrow_mut().pop();
        let stack = cached
            .map_or_else(|| self.rt.stacks.get(), Ok)
            .unwrap_or_else(|e| {
                super::fatal(
                    &self.rt,
                    &format!("runtime: cannot allocate a goroutine stack: {e}"),
                    "out of memory",
                )
            });
        debug_assert_eq!(stack.size(), self.rt.stacks.stack_size());
        let Exec::New(body) = std::mem::replace(exec, Exec::Done) else {
            unreachable!("gort: a goroutine started twice");
        };
        // The body moves to the top of the stack, where `goroutine_main` takes it from: 16-aligned
        // below it, the context `prepare` writes.
        let body_at = (stack.top() - std::mem::size_of::<super::body::Body>()) & !15;
        // SAFETY: the stack is ours, unused, and at least a page long: the body (under 100 bytes)
        // and the prepared context (128 bytes below `body_at`) fit in its top page.
        let sp = unsafe {
            (body_at as *mut super::body::Body).write(body);
            context::prepare(body_at, goroutine_main, body_at)
        };
        let (guard_lo, guard_hi) = stack.guard_range();
        let info = stack::RunningStack {
            goroutine_id,
            guard_lo,
            guard_hi,
            size: stack.size(),
        };
        *exec = Exec::Running { sp, stack, info };
    }

    pub(super) fn put_stack(&self, s: GoroutineStack) {
        let mut cache = self.stack_cache.borrow_mut();
        if cache.len() < M_STACK_CACHE {
            cache.push(s);
        } else {
            drop(cache);
            self.rt.stacks.put(s);
        }
    }
}
