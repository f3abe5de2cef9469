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
//! The P's state word reads `Running` while a G runs. When the G parks, yields or exits and the M
//! goes straight on to the next G, the word stays `Running` (`MLocal::p_running`) and the next
//! `execute` checks it with a plain load; every other path first moves it back to `Sched` with a
//! CAS (`settle_p`). See `fence.rs` for why the plain load is enough.

use crossbeam_utils::CachePadded;
use std::cell::{Cell, RefCell};
use std::sync::atomic::{compiler_fence, AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use super::current;
use super::g::{Exec, Status, Suspend, G, IDLE, NOTIFIED, PARKED};
use super::gfree::LocalFree;
use super::p::{is_state, pack, PState, LOCAL_CAP};
use super::switch::{goroutine_main, Pending};
use super::sysmon::ThreadProbe;
use super::wake::WakeSignal;
use super::{Runtime, Sched, PHASE_RUNNING, PHASE_STOPPING};
use crate::context;
use crate::stack::{self, GoroutineStack};

/// Values of `MShared::hold`.
const NOT_HOLDING: u8 = 0;
const HOLDING: u8 = 1;
const GOT: u8 = 2;
/// How long an M keeps its P spinning for its wired G: `pause` rounds, about 5 µs (as long as the
/// first phase of `WakeSignal::wait`).
const HOLD_SPIN_ROUNDS: u32 = 200;

/// No P in the hand-off slot.
const NO_P: usize = usize::MAX;
/// Flag bit in the hand-off slot: the M is to start out spinning.
const SPIN_BIT: usize = 1 << (usize::BITS - 1);

pub(crate) struct MShared {
    pub(crate) id: u64,
    pub(crate) wake: WakeSignal,
    /// A P handed to this M (index, plus SPIN_BIT), or NO_P. Written by the giver under the scheduler
    /// lock before `wake.notify()` (whose Release publishes it); taken by the M with a swap.
    handoff: AtomicUsize,
    /// The M is a wired M asleep waiting for its G; counted in `Sched::nm_wired_idle`. Only read and
    /// written under the scheduler lock (the atomic is for `Sync`, not for ordering).
    wired_waiting: AtomicBool,
    /// The M is inside `gort::syscall`: `run` does not join it (4.1).
    pub(crate) in_syscall: AtomicBool,
    /// `HOLDING` while this M, whose wired G has just parked, keeps its P and spins for the G to be
    /// readied (nothing else was waiting to run); `GOT` once a readier took that path instead of
    /// handing over a P: two wired goroutines taking turns on two Ps then trade cache lines, not
    /// futex wake-ups. `NOT_HOLDING` otherwise. The M stores HOLDING (SeqCst) before its CAS that
    /// parks the G; the readier reads it after its CAS that unparks the G, so it cannot miss it.
    pub(crate) hold: AtomicU8,
    /// Lets sysmon see whether this M's thread sleeps in the kernel (a plain blocking call).
    pub(crate) probe: ThreadProbe,
    /// Goroutines that exited on this M (see `Runtime::live`). Written only by this M, with a
    /// plain Release store where the heavy fence is at hand (`MLocal::count_exit`); its own cache
    /// line, which only readers of the count (`num_goroutine`, the stop and deadlock checks) share.
    pub(crate) exits: CachePadded<AtomicUsize>,
    this: Weak<MShared>,
}

impl MShared {
    pub(crate) fn new(id: u64) -> Arc<MShared> {
        Arc::new_cyclic(|this| MShared {
            id,
            wake: WakeSignal::new(),
            handoff: AtomicUsize::new(NO_P),
            wired_waiting: AtomicBool::new(false),
            in_syscall: AtomicBool::new(false),
            hold: AtomicU8::new(NOT_HOLDING),
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

    /// If this M keeps its P spinning for its wired G (`hold` is `HOLDING`), tells it the G is
    /// ready (`GOT`) and returns true: the M runs it on that P, no P changes hands.
    pub(crate) fn hand_to_holder(&self) -> bool {
        // AcqRel: the readier's writes (the G's wake-up reason) happen-before the M resumes the G
        // (its Acquire load of `GOT` in `spin_holding_p`).
        self.hold
            .compare_exchange(HOLDING, GOT, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
    }

    fn take_handoff(&self) -> Option<(usize, bool)> {
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
    id: u64,
    rt: Arc<Runtime>,
    p: Cell<Option<usize>>,
    /// Our P's state word reads `Running` (ours) as we last wrote it: while a G runs, and, on the
    /// switch fast path, between one G and the next (see `execute`). `false`: it reads `Sched`, or
    /// we hold no P.
    p_running: Cell<bool>,
    /// The switch fast path is on: `fence::enabled()`, read once.
    pub(super) fast_switch: bool,
    /// The running G, holding one strong count of it (`Arc::into_raw`), or null in the scheduler.
    running_ptr: Cell<*const G>,
    /// The scheduler's context, saved here while a G runs (see `crate::context`).
    sched_sp: Cell<usize>,
    /// Why the G that last switched back to the scheduler did so.
    pub(super) why: Cell<Suspend>,
    /// What the G this M switches to next must finish for the G that switched to it directly.
    pub(super) pending: Cell<Pending>,
    /// A G that a direct switch took off our P but may not run here (wired elsewhere, or kept off
    /// the main thread), and whether it inherits the slice: `execute` deals with it.
    pub(super) stashed: Cell<Option<(Arc<G>, bool)>>,
    spinning: Cell<bool>,
    /// The thread must end after the current G (it exited wired, 2.5).
    exit_thread: Cell<bool>,
    rng: Cell<u32>,
    /// This M is the thread that called `run`.
    is_main: Cell<bool>,
    /// Stacks of goroutines that exited here, for the next ones to start here: no lock, and no
    /// contention with other Ms on the runtime's pool (Go keeps such a cache per P).
    stack_cache: RefCell<Vec<GoroutineStack>>,
    /// Gs whose goroutines exited here, for the next spawns here (see `gfree.rs`).
    pub(crate) free_gs: LocalFree,
    /// Gs that exited here and are still registered: unregistered [`DEAD_BATCH`] at a time (see
    /// `registry.rs`), then freed.
    dead: RefCell<Vec<Arc<G>>>,
    /// Goroutine ids reserved for spawns on this M: `[next, end)`.
    ids: Cell<(u64, u64)>,
}

/// Goroutine ids an M reserves at a time (Go's `_GoidCacheBatch` is 16).
const ID_BATCH: u64 = 64;

/// Exited Gs an M collects before it unregisters them.
const DEAD_BATCH: usize = 32;

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

    /// Takes ownership of P `p` in state `st`.
    pub(crate) fn adopt_p(&self, p: usize, st: PState) {
        self.rt.ps[p]
            .state
            .store(pack(self.id(), st), Ordering::SeqCst);
        self.p.set(Some(p));
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
    fn settle_p(&self) {
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

    fn next_rand(&self) -> u32 {
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

    fn find_runnable(&self) -> Option<Arc<G>> {
        let rt = &self.rt;
        loop {
            if rt.phase() == PHASE_STOPPING {
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
                if p.schedtick.load(Ordering::Relaxed) % 61 != 0
                    && !rt.timers.has_due(pi)
                    && !rt.has_global_woken()
                {
                    if let Some((g, inherit)) = p.pop(self.id()) {
                        if let Some(g) = self.found(pi, g, inherit) {
                            return Some(g);
                        }
                        continue;
                    }
                }
                self.settle_p();
                continue;
            }
            rt.timers.run_due(rt, pi);
            // 1.3: every 61st schedule, the global queue first, so it never starves. The G taken
            // that way runs on the current time slice rather than a fresh one: a fresh slice each
            // time would keep a pair taking turns through `runnext` from ever spending its slice
            // (1.5), and the FIFO behind them would starve (a goroutine yielding in a loop while a
            // ping-pong pair ran kept 13 others from ever starting at max_procs 1).
            // Gs woken from outside the runtime's Ms wait at the global queue's head: they too go
            // before our `runnext`, on the current slice (see "Wake-ups and `runnext` chains" in
            // `mod.rs`).
            let fresh = if p.schedtick.load(Ordering::Relaxed) % 61 == 0 || rt.has_global_woken() {
                rt.take_global(p, 1).map(|g| (g, true))
            } else {
                None
            };
            let found = fresh
                .or_else(|| p.pop(self.id()))
                .or_else(|| rt.take_global(p, LOCAL_CAP / 2).map(|g| (g, false)))
                .or_else(|| self.steal(pi).map(|g| (g, false)));
            if let Some((g, inherit)) = found {
                if let Some(g) = self.found(pi, g, inherit) {
                    return Some(g);
                }
                continue;
            }
            // While goroutines are wired, a spinning M keeps its P a moment longer, in case work
            // turns up: a G readied by a wired G's M (which cannot run it) then runs here at
            // once, with no P handed over (one-side-wired ping-pong at max_procs 2: 0.9 µs a
            // round trip instead of 2.1). Without wired goroutines this only costs: Gs that take
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
                p.state.store(pack(0, PState::Idle), Ordering::SeqCst);
                s.idle_ps.push(pi);
                rt.npidle.fetch_add(1, Ordering::SeqCst);
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

    /// Bookkeeping for a G found for P `pi`. Returns it, unless it is wired to another M, in which case
    /// our P goes to that M (Go's startlockedm) and we come back with no P. Inlined: it runs at every
    /// switch, and its usual case is three loads.
    #[inline(always)]
    fn found(&self, pi: usize, g: Arc<G>, inherit: bool) -> Option<Arc<G>> {
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

    /// Queues `g`, which this M took from a P it turned out to have lost, for another M to run.
    #[cold]
    pub(super) fn queue_for_others(&self, g: Arc<G>) {
        self.rt.push_global([g]);
        self.rt.wakep();
    }

    /// A spinning M found work: it stops spinning and, if it was the last spinning M, lets another
    /// look, in case there is more (Go's resetspinning).
    #[cold]
    fn stop_spinning(&self) {
        self.spinning.set(false);
        if self.rt.nmspinning.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.rt.wakep();
        }
    }

    /// `found`'s unusual cases: `g` is wired to another M, which gets our P (and we go idle), or
    /// `g` must keep off the main thread's M (queued, and our P lent out).
    #[cold]
    fn hand_p_to_others(&self, pi: usize, g: Arc<G>) {
        let rt = &self.rt;
        self.settle_p();
        if self.p.get().is_none() {
            // Sysmon took the P as we switched: whoever runs it now, or another M, runs `g`.
            self.queue_for_others(g);
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

    /// Polls, for about 5 µs, for work queued to this M (our P's queue, a timer) or to anyone (the
    /// global queue). True as soon as some shows up. Other Ps' queues are left alone: their Gs
    /// will most likely run there in a moment, and a steal would split a producer from its
    /// consumer (a buffered channel ran 1.9x slower at max_procs 2 when this looked there too).
    /// Not while a wired M waits for its G: that M may need our P any moment, and it can only have
    /// it once we give it up.
    fn spin_for_work(&self, pi: usize) -> bool {
        let rt = &self.rt;
        for _ in 0..HOLD_SPIN_ROUNDS {
            if rt.wired_idle.load(Ordering::Relaxed) > 0 {
                return false;
            }
            if rt.global_len() > 0
                || rt.ps[pi].len() > 0
                || rt.timers.has_due(pi)
                || rt.phase() == PHASE_STOPPING
            {
                return true;
            }
            std::hint::spin_loop();
        }
        false
    }

    /// Steals from another P. Only a spinning M steals, and at most half as many Ms spin as Ps are busy
    /// (1.4).
    fn steal(&self, pi: usize) -> Option<Arc<G>> {
        let rt = &self.rt;
        let n = rt.ps.len();
        if n == 1 {
            return None;
        }
        if !self.spinning.get() {
            let busy = n - rt.npidle.load(Ordering::SeqCst);
            if 2 * rt.nmspinning.load(Ordering::SeqCst) >= busy {
                return None;
            }
            self.spinning.set(true);
            rt.nmspinning.fetch_add(1, Ordering::SeqCst);
        }
        for round in 0..4 {
            let start = self.next_rand() as usize % n;
            for k in 0..n {
                let vi = (start + k) % n;
                if vi == pi {
                    continue;
                }
                let victim = &rt.ps[vi];
                let st = victim.state.load(Ordering::Relaxed);
                let busy = is_state(st, PState::Running) || is_state(st, PState::Sched);
                // While goroutines are wired, a queued G may wait on a P whose M holds it for its
                // wired G and will not run it (`spin_holding_p`): take short queues at once then.
                let short = if rt.wired_gs.load(Ordering::Relaxed) > 0 {
                    0
                } else {
                    SHORT_QUEUE
                };
                let with_next = match steal_rule(
                    busy,
                    short,
                    victim.fifo_len(),
                    victim.has_next(Ordering::Relaxed),
                    round == 3,
                    || watch(victim),
                ) {
                    Take::Nothing => continue,
                    Take::Fifo => false,
                    Take::FifoOrNext => true,
                };
                let mut batch = victim.steal(with_next);
                if batch.is_empty() {
                    continue;
                }
                let first = batch.remove(0);
                let rest = rt.ps[pi].push_batch(batch);
                if !rest.is_empty() {
                    rt.push_global(rest);
                }
                return Some(first);
            }
        }
        None
    }

    /// Idles this M until a P is handed to it. Returns false when the runtime stops.
    fn stop_m(&self) -> bool {
        let rt = &self.rt;
        // Nothing to do for now: unlist what exited here rather than keep it waiting.
        self.release_dead();
        let report = {
            let mut s = rt.sched();
            if rt.phase() == PHASE_STOPPING {
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
    fn idle_wait(&self) -> bool {
        let rt = &self.rt;
        loop {
            if let Some((p, spinning)) = self.shared.take_handoff() {
                self.adopt_p(p, PState::Sched);
                self.spinning.set(spinning);
                return true;
            }
            if rt.phase() == PHASE_STOPPING {
                let mut s = rt.sched();
                s.idle_ms.retain(|m| m.id != self.id());
                return false;
            }
            // Sleeps until the earliest timer deadline if no other idle M does (see `timers.rs`).
            rt.timers.idle_wait(rt, &self.shared.wake);
        }
    }

    /// Gives up whatever P this M holds as the runtime stops.
    fn release_for_stop(&self) {
        if let Some(pi) = self.p.take() {
            let mut s = self.rt.sched();
            self.rt.ps[pi]
                .state
                .store(pack(0, PState::Idle), Ordering::SeqCst);
            s.idle_ps.push(pi);
            self.rt.npidle.fetch_add(1, Ordering::SeqCst);
        }
        if self.spinning.replace(false) {
            self.rt.nmspinning.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// A wired M waits for its G to be readied and a P to be handed over. Returns false on stop.
    fn wired_wait(&self) -> bool {
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
        loop {
            if let Some((p, _)) = self.shared.take_handoff() {
                self.adopt_p(p, PState::Sched);
                return true;
            }
            if rt.phase() == PHASE_STOPPING {
                let mut s = rt.sched();
                if self.shared.wired_waiting.swap(false, Ordering::Relaxed) {
                    s.count_wired_idle(false);
                }
                return false;
            }
            self.shared.wake.wait(None);
        }
    }

    /// A G that stays on this M (wired) parks, and the one G queued on our P is the one it readied
    /// last, in `runnext`: that G goes to the global queue, for an M spinning for work (woken if
    /// none is), and our P stays free for our G's next turn (`may_hold_p`). Left in `runnext`, it
    /// kept the P from being held, and the P went to another M with it; at max_procs 2 the M
    /// spinning for work stole it from there on the way, each time behind a `membarrier`
    /// (`runnext.rs`): IPIs to every CPU at every turn of a wired ping-pong.
    fn pass_on_runnext(&self) {
        let Some(pi) = self.p.get() else {
            return;
        };
        let rt = &self.rt;
        let p = &rt.ps[pi];
        // Only where there is another P, whose M can run it without ours (at max_procs 1, handing
        // our P over with the G in it is the one way, and the quicker).
        if rt.ps.len() == 1 || p.fifo_len() != 0 || rt.phase() != PHASE_RUNNING {
            return;
        }
        if let Some(next) = p.runnext.owner_take(&p.state, self.id()) {
            rt.push_global([next]);
            rt.wakep();
        }
    }

    /// Whether a wired G that parks may keep this M's P while the M spins for it: the M holds a P,
    /// nothing else waits to run here, and nothing in the global queue either, unless an M is
    /// spinning for work, which will take it (`spin_for_work`; a G readied by this M's wired G
    /// goes there, see `Runtime::ready_from`).
    fn may_hold_p(&self) -> bool {
        let rt = &self.rt;
        self.p.get().is_some_and(|pi| {
            rt.ps[pi].len() == 0
                && (rt.global_len() == 0 || rt.nmspinning.load(Ordering::SeqCst) > 0)
        }) && rt.phase() == PHASE_RUNNING
    }

    /// The G running on this M is wired to it (so this M runs no other G).
    pub(crate) fn runs_wired_g(&self) -> bool {
        let g = self.running_ptr.get();
        // SAFETY: `running_ptr` is null or the G that `execute` holds an `Arc` of while it runs.
        unsafe { g.as_ref() }.is_some_and(|g| g.wired_m().is_some())
    }

    /// Spins (with `HOLDING` announced) for our wired G to be readied. True if it was: run it now,
    /// on the P we kept. False if the wait was too long: `hold` is back to `NOT_HOLDING` and the
    /// caller gives the P away as usual.
    fn spin_holding_p(&self) -> bool {
        for _ in 0..HOLD_SPIN_ROUNDS {
            // Acquire: pairs with the readier's AcqRel CAS to GOT, which follows its writes.
            if self.shared.hold.load(Ordering::Acquire) == GOT {
                self.shared.hold.store(NOT_HOLDING, Ordering::Relaxed);
                return true;
            }
            std::hint::spin_loop();
        }
        match self.shared.hold.compare_exchange(
            HOLDING,
            NOT_HOLDING,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => false,
            Err(_) => {
                // GOT arrived at the last moment.
                self.shared.hold.store(NOT_HOLDING, Ordering::Relaxed);
                true
            }
        }
    }

    // ---- running a goroutine ------------------------------------------------------------------

    /// Runs `g` until a G (`g`, or one it switched to directly) switches back to the scheduler.
    /// Returns a G to run next on this M without looking (the same G, when its park raced with an
    /// unpark or it is wired and got its P back).
    fn execute(&self, g: Arc<G>) -> Option<Arc<G>> {
        let rt = &self.rt;
        let pi = self.p.get().expect("gort: execute without a P");
        if !self.count_schedule(pi) {
            // `g` did not run here. (Never a G wired to us: we only run other Gs while ours
            // is not wired.)
            debug_assert!(g.wired_m().is_none());
            self.queue_for_others(g);
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
                self.wired_wait().then_some(g)
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
                    // SeqCst: ordered before the PARKED CAS below, which the readier's CAS acquires.
                    self.shared.hold.store(HOLDING, Ordering::SeqCst);
                }
                // The park reference (see `g.rs`): a new count, since we keep the G.
                let park_ref = Arc::into_raw(g.clone());
                // Release: the G's saved context happens-before whoever readies it (Acquire there).
                if g.park_state
                    .compare_exchange(IDLE, PARKED, Ordering::AcqRel, Ordering::Acquire)
                    .is_err()
                {
                    // SAFETY: the count made just above, not handed to anyone: the G never parked.
                    drop(unsafe { Arc::from_raw(park_ref) });
                    // An unpark arrived while it was suspending: consume it and go on running it.
                    let _ = g.park_state.compare_exchange(
                        NOTIFIED,
                        IDLE,
                        Ordering::AcqRel,
                        Ordering::Relaxed,
                    );
                    g.set_status(Status::Runnable);
                    if hold {
                        self.shared.hold.store(NOT_HOLDING, Ordering::SeqCst);
                    }
                    return self.run_again(g, true);
                }
                if hold && self.spin_holding_p() {
                    return Some(g);
                }
                if let Some(pi) = self.p.take() {
                    rt.handoff_p(pi);
                }
                self.wired_wait().then_some(g)
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
    fn take_stashed(&self) -> Option<Arc<G>> {
        let (next, inherit) = self.stashed.take()?;
        match self.p.get() {
            Some(pi) => self.found(pi, next, inherit),
            None => {
                self.queue_for_others(next);
                None
            }
        }
    }

    /// `g` is runnable and was running here: run it again now if we hold a P, else queue it (a wired G
    /// is queued too, and its M waits for whoever dequeues it to hand over a P).
    fn run_again(&self, g: Arc<G>, stay: bool) -> Option<Arc<G>> {
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
            return if self.wired_wait() { Some(g) } else { None };
        }
        rt.push_global([g]);
        rt.wakep();
        None
    }

    /// Gives a G that has not run yet (`exec` is its body) a stack, from this M's cache or the pool,
    /// with its body at the top and a context that starts `goroutine_main` on it.
    #[cold]
    fn start_stack(&self, exec: &mut Exec, goroutine_id: u64) {
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

    fn put_stack(&self, s: GoroutineStack) {
        let mut cache = self.stack_cache.borrow_mut();
        if cache.len() < M_STACK_CACHE {
            cache.push(s);
        } else {
            drop(cache);
            self.rt.stacks.put(s);
        }
    }

    fn g_exit(&self, g: Arc<G>) {
        let rt = &self.rt;
        // SAFETY: as in `enter`; the goroutine has switched away for good, so nothing runs on its
        // stack.
        let exec = unsafe { g.exec() };
        if let Exec::Running { stack, .. } = std::mem::replace(exec, Exec::Done) {
            self.put_stack(stack);
        }
        let wired = g.is_wired();
        g.wired_m.store(std::ptr::null_mut(), Ordering::Release);
        if wired {
            rt.wired_gs.fetch_sub(1, Ordering::Relaxed);
            self.settle_p();
            // 2.5: the thread dies with its wired G. Its P goes on first.
            if let Some(pi) = self.p.take() {
                rt.handoff_p(pi);
            }
            self.exit_thread.set(true);
        }
        g.set_status(Status::Dead);
        self.count_exit(g.id() == 1);
        let full = {
            let mut dead = self.dead.borrow_mut();
            dead.push(g);
            dead.len() >= DEAD_BATCH
        };
        if full || wired {
            self.release_dead();
        }
    }

    /// Counts the exit of a goroutine here (`main`: goroutine 1), and stops the runtime if it was
    /// the last one that matters.
    ///
    /// Only this M writes its counter, so a plain load and store do, with no locked instruction
    /// (which cost a fan-out at max_procs 2 5-13%: the M running the children is the slower side).
    /// What must not be missed is the last exit after main returned: the exiting M sees the phase
    /// is no longer `RUNNING` and checks, or whoever ended `RUNNING` sees the count. Here, the
    /// store, then the phase load; on main's exit, the phase CAS and the heavy fence in
    /// `begin_shutdown`, then the count loads of the `maybe_stop` after it: the fence makes one of
    /// the two sides see the other (`fence.rs`). (A shutdown begun otherwise, on a deadlock,
    /// leaves main to exit later, and its exit checks again.) Without the heavy fence the count
    /// takes a locked add, which is a full fence of its own, as the phase CAS is.
    fn count_exit(&self, main: bool) {
        let rt = &self.rt;
        let exits = &self.shared.exits;
        if self.fast_switch {
            // Release: a reader that sees the count (Acquire) sees what the goroutine did.
            exits.store(exits.load(Ordering::Relaxed) + 1, Ordering::Release);
        } else {
            exits.fetch_add(1, Ordering::SeqCst);
        }
        if main {
            rt.begin_shutdown(None);
        }
        if rt.phase() != PHASE_RUNNING {
            // After `RUNNING`: exits on several Ms at once each store, fence, then add up the
            // counts, so the last of them sees them all.
            std::sync::atomic::fence(Ordering::SeqCst);
            rt.maybe_stop();
        }
    }

    /// Unlists the Gs that exited here or keeps them for the next spawns (see
    /// `Runtime::release_exited`).
    fn release_dead(&self) {
        let mut dead = std::mem::take(&mut *self.dead.borrow_mut());
        if dead.is_empty() {
            return;
        }
        self.free_gs.put_all(
            |list| self.rt.release_exited(&mut dead, list),
            &self.rt.free_gs,
        );
        // Give the (empty) buffer back, so that the next batch needs no allocation.
        *self.dead.borrow_mut() = dead;
    }
}

/// A running P's FIFO this short is left to its own M by thieves until the P stalls (`steal_rule`).
const SHORT_QUEUE: usize = 2;

/// What a spinning M may take from a P it looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Take {
    Nothing,
    /// Half its FIFO.
    Fifo,
    /// Half its FIFO, or its `runnext` if the FIFO is empty.
    FifoOrNext,
}

/// The stealing rule for one look at a victim P: `busy` if its M runs a G (or is between two),
/// `short` the longest FIFO that counts as short (below), `fifo` and `has_next` what it has
/// queued, `last_round` on the last of the thief's four rounds, and `watch` a look at what the P
/// does during a short pause (asked only on the last round, since it costs that pause).
///
/// - A P that is not busy (idle, in a syscall, taken by sysmon) gives everything.
/// - A busy P's FIFO beyond `short` Gs ([`SHORT_QUEUE`]) is a backlog (a fan-out): half of it goes
///   at once. While goroutines are wired `short` is 0 and every look takes from the FIFO, as Go
///   does: a wired G's M holds its P for it and runs nothing else, and with short queues left to
///   it the one-side-wired ping-pong at max_procs 2 took 0.52 µs a round trip instead of 0.47.
/// - A busy P will most likely run its `runnext` in a moment (its running G readied it): that is
///   taken only if the P starts no goroutine during the pause, as Go does.
/// - A busy P's FIFO of one or two Gs (up to `short`) is taken only if the P takes nothing from it
///   during the pause. Such Gs are, as a rule, goroutines the running G readied a moment ago (a
///   consumer that took values from several parked senders readies each, and each pushes the
///   previous one out of `runnext`); they run on this P as soon as the running G blocks. Stolen,
///   each exchange with them crosses cores: four producers feeding one `select!` consumer at
///   max_procs 2 had 548,000 steals per million values and ran at 222-244 ns a value; with this
///   rule, 149 ns (and 529-596 instead of 943-1,088 ns on a 16-core Xeon whose cores are 120-190 ns
///   apart). The FIFO is what is watched, not the P's switches: a first version that watched
///   switches kept a goroutine queued behind a pair taking turns through `runnext` from an idle P
///   for up to a whole time slice (p90 1-5 ms; now 6-33 µs, against 10-21 µs with no rule).
fn steal_rule(
    busy: bool,
    short: usize,
    fifo: usize,
    has_next: bool,
    last_round: bool,
    watch: impl FnOnce() -> Watched,
) -> Take {
    if !busy {
        return Take::FifoOrNext;
    }
    if short == 0 {
        // No short queues: every look takes from the FIFO, as Go does, and `runnext` too on the
        // last round once the P starts nothing.
        if last_round && (fifo > 0 || has_next) && watch().started_nothing {
            return Take::FifoOrNext;
        }
        return Take::Fifo;
    }
    if fifo > short {
        return Take::Fifo;
    }
    if (fifo == 0 && !has_next) || !last_round {
        return Take::Nothing;
    }
    let seen = watch();
    let take = if fifo > 0 {
        seen.fifo_untouched
    } else {
        seen.started_nothing
    };
    if take {
        Take::FifoOrNext
    } else {
        Take::Nothing
    }
}

/// What a thief saw a busy P do during a short pause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Watched {
    /// No G started running on it.
    started_nothing: bool,
    /// No G left its FIFO.
    fifo_untouched: bool,
}

/// Watches `p` for a short pause (120 `pause` instructions, about 3 µs here).
fn watch(p: &super::p::P) -> Watched {
    let tick = p.schedtick.load(Ordering::Relaxed);
    let taken = p.fifo_taken.load(Ordering::Relaxed);
    for _ in 0..120 {
        std::hint::spin_loop();
    }
    Watched {
        started_nothing: p.schedtick.load(Ordering::Relaxed) == tick,
        fifo_untouched: p.fifo_taken.load(Ordering::Relaxed) == taken,
    }
}

#[cfg(test)]
mod tests {
    use super::{steal_rule, Take, Watched, SHORT_QUEUE};

    /// A look that must not be taken (it costs a pause).
    fn never_watched() -> Watched {
        panic!("the victim was watched before the last round, or for nothing")
    }

    /// The rule for a P whose M runs a G, with the usual short-queue bound.
    fn busy(
        fifo: usize,
        has_next: bool,
        last_round: bool,
        watch: impl FnOnce() -> Watched,
    ) -> Take {
        steal_rule(true, SHORT_QUEUE, fifo, has_next, last_round, watch)
    }

    fn saw(started_nothing: bool, fifo_untouched: bool) -> impl FnOnce() -> Watched {
        move || Watched {
            started_nothing,
            fifo_untouched,
        }
    }

    #[test]
    fn a_p_that_runs_nothing_gives_everything() {
        for last_round in [false, true] {
            assert_eq!(
                steal_rule(false, SHORT_QUEUE, 0, true, last_round, never_watched),
                Take::FifoOrNext
            );
            assert_eq!(
                steal_rule(false, SHORT_QUEUE, 1, false, last_round, never_watched),
                Take::FifoOrNext
            );
        }
    }

    #[test]
    fn a_running_ps_backlog_goes_at_once() {
        for last_round in [false, true] {
            assert_eq!(
                busy(SHORT_QUEUE + 1, true, last_round, never_watched),
                Take::Fifo
            );
            assert_eq!(busy(200, false, last_round, never_watched), Take::Fifo);
        }
    }

    #[test]
    fn a_running_ps_few_readied_goroutines_stay_while_it_drains_them() {
        for fifo in 1..=SHORT_QUEUE {
            assert_eq!(busy(fifo, true, false, never_watched), Take::Nothing);
            assert_eq!(busy(fifo, false, true, saw(true, false)), Take::Nothing);
            assert_eq!(busy(fifo, false, true, saw(false, false)), Take::Nothing);
        }
    }

    #[test]
    fn a_goroutine_queued_behind_a_pair_taking_turns_is_taken() {
        // The pair switches all the time (something started), but nothing leaves the FIFO.
        for fifo in 1..=SHORT_QUEUE {
            assert_eq!(busy(fifo, true, true, saw(false, true)), Take::FifoOrNext);
            assert_eq!(busy(fifo, false, true, saw(true, true)), Take::FifoOrNext);
        }
    }

    #[test]
    fn a_running_ps_runnext_goes_only_once_it_starts_nothing() {
        assert_eq!(busy(0, true, false, never_watched), Take::Nothing);
        assert_eq!(busy(0, true, true, saw(false, true)), Take::Nothing);
        assert_eq!(busy(0, true, true, saw(true, true)), Take::FifoOrNext);
    }

    #[test]
    fn while_goroutines_are_wired_any_queue_of_a_running_p_goes_at_once() {
        for fifo in 1..=SHORT_QUEUE {
            assert_eq!(
                steal_rule(true, 0, fifo, true, false, never_watched),
                Take::Fifo
            );
        }
        assert_eq!(
            steal_rule(true, 0, 0, true, true, saw(false, true)),
            Take::Fifo
        );
        assert_eq!(
            steal_rule(true, 0, 0, true, true, saw(true, true)),
            Take::FifoOrNext
        );
    }

    #[test]
    fn a_running_p_with_nothing_queued_is_not_watched() {
        assert_eq!(busy(0, false, true, never_watched), Take::Nothing);
    }
}
