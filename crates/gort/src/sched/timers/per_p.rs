//! A runtime's timers: one heap per P, fired by the M that runs the P, by idle Ms and by sysmon
//! (the module comment of `timers` tells who fires what when).

use super::*;

pub(super) struct PHeapState {
    pub(super) heap: Heap4,
    /// Arming count on this heap; the timer number is `count * stride + index`.
    pub(super) count: u64,
    shutdown: bool,
}

/// One P's timers.
pub(super) struct PTimers {
    pub(super) state: Mutex<PHeapState>,
    /// The earliest deadline in the heap (`NONE` if empty). Written under the lock; read without it as a
    /// hint (Relaxed): whoever acts on it re-checks under the lock, and an M that misses an update made
    /// by another thread is covered by that thread (see the module comment).
    pub(super) earliest: AtomicU64,
    /// Timers armed here, not fired nor cancelled. SeqCst, as every count the deadlock detector reads.
    armed: AtomicI64,
    /// Cancelled entries still in the heap (a hint for the rebuild; Relaxed, it orders nothing; it may
    /// briefly go negative when a rebuild drops an entry before its cancel has counted it).
    pub(super) dead: AtomicI64,
}

impl PTimers {
    pub(super) fn lock(&self) -> MutexGuard<'_, PHeapState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A timer of this heap was cancelled.
    pub(super) fn cancelled(&self) {
        self.armed.fetch_sub(1, Ordering::SeqCst);
        self.dead.fetch_add(1, Ordering::Relaxed);
    }
}

/// Goroutines to wake and callbacks to run, gathered under a heap lock and acted on after it.
pub(super) type Firing = (Vec<Arc<G>>, Vec<Arc<Slot>>);

thread_local! {
    /// Reused buffers for firing (goroutines to wake, callbacks to run), so that firing allocates
    /// nothing in the steady state. Taken out of the cell while in use, so a callback that fires timers
    /// itself (it cannot, but nothing depends on that) would only find an empty vector.
    static SCRATCH: Cell<Firing> = const { Cell::new((Vec::new(), Vec::new())) };
}

/// A runtime's timers: one heap per P, plus the outside queue (see the module comment).
pub(crate) struct Timers {
    pub(super) ps: Box<[CachePadded<PTimers>]>,
    /// Timers armed without a P of this runtime at hand; driven by sysmon.
    pub(super) outside: Arc<TimerQueue>,
    /// Timer numbers: `count * stride + heap`, where heap `ps.len()` is the outside queue.
    pub(super) stride: u64,
    epoch: Instant,
    /// The deadline the idle M with the sleeper role sleeps until, `NONE` if no idle M sleeps with a
    /// deadline. SeqCst: an M takes the role with `fetch_min` and gives it back with a CAS, and sysmon
    /// reads it to decide whether it must watch idle Ps' timers itself; all three reason together.
    pub(super) sleeper_until: AtomicU64,
    /// Sysmon's view of each P: its `schedtick` when last seen changed, and when (timer-epoch nanos).
    /// Only sysmon locks it.
    sysmon_seen: Mutex<Vec<(u64, u64)>>,
}

impl Timers {
    pub(crate) fn new(procs: usize) -> Arc<Timers> {
        let stride = procs as u64 + 1;
        Arc::new(Timers {
            ps: (0..procs)
                .map(|_| {
                    CachePadded::new(PTimers {
                        state: Mutex::new(PHeapState {
                            heap: Heap4::default(),
                            count: 1,
                            shutdown: false,
                        }),
                        earliest: AtomicU64::new(NONE),
                        armed: AtomicI64::new(0),
                        dead: AtomicI64::new(0),
                    })
                })
                .collect(),
            outside: TimerQueue::new(stride + procs as u64, stride),
            stride,
            epoch: Instant::now(),
            sleeper_until: AtomicU64::new(NONE),
            sysmon_seen: Mutex::new(vec![(0, 0); procs]),
        })
    }

    pub(super) fn now(&self) -> u64 {
        nanos_since(self.epoch, Instant::now())
    }

    pub(super) fn instant(&self, at: u64) -> Option<Instant> {
        self.epoch.checked_add(Duration::from_nanos(at))
    }

    /// The P of this runtime held by the current thread's M, if any.
    pub(super) fn current_p(&self) -> Option<usize> {
        current::with_m(|m| {
            if std::ptr::eq(Arc::as_ptr(&m.rt().timers), self) {
                m.p()
            } else {
                None
            }
        })
        .flatten()
    }

    /// Timers armed and neither fired nor cancelled.
    pub(crate) fn armed(&self) -> usize {
        let on_ps: i64 = self.ps.iter().map(|t| t.armed.load(Ordering::SeqCst)).sum();
        // A cancel may count on another heap than its arming did only transiently; the sum is exact.
        on_ps.max(0) as usize + self.outside.armed.load(Ordering::SeqCst)
    }

    /// Arms a timer that calls `f` at `deadline` (at once if it has passed), on the current P, or on the
    /// outside queue if this thread holds no P of this runtime.
    pub(crate) fn start(
        self: &Arc<Self>,
        deadline: Instant,
        f: impl FnOnce() + Send + 'static,
    ) -> TimerKey {
        let Some(i) = self.current_p() else {
            return self.outside.start(deadline, f);
        };
        let slot = Arc::new(Slot {
            callback: Mutex::new(Some(Box::new(f))),
        });
        self.push(i, deadline, |_| Job::Call(slot.clone()));
        TimerKey {
            slot,
            home: Home::Heap(self.clone(), i),
        }
    }

    /// Arms `g`'s park timer: unpark it at `deadline`. Returns the timer's number, for
    /// [`cancel_unpark`](Self::cancel_unpark).
    pub(crate) fn start_unpark(&self, deadline: Instant, g: Arc<G>) -> u64 {
        let Some(i) = self.current_p() else {
            return self.outside.start_unpark(deadline, g);
        };
        let mut seq_out = 0;
        self.push(i, deadline, |seq| {
            // Release: pairs with the AcqRel CAS of whoever fires or cancels it.
            g.timer_seq.store(seq, Ordering::Release);
            seq_out = seq;
            Job::Unpark(g)
        });
        seq_out
    }

    /// Cancels `g`'s park timer number `seq`. True if this stopped it from firing.
    pub(crate) fn cancel_unpark(&self, g: &G, seq: u64) -> bool {
        let heap = (seq % self.stride) as usize;
        let Some(t) = self.ps.get(heap) else {
            return self.outside.cancel_unpark(g, seq);
        };
        // AcqRel: exactly one of this and the firing CAS succeeds.
        if g.timer_seq
            .compare_exchange(seq, 0, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            t.cancelled();
            true
        } else {
            false
        }
    }

    pub(super) fn push(&self, i: usize, deadline: Instant, job: impl FnOnce(u64) -> Job) {
        let when = nanos_since(self.epoch, deadline);
        let t = &self.ps[i];
        let mut st = t.lock();
        if st.shutdown {
            return; // see `TimerQueue::push`
        }
        // Counted before the owner parks (the deadlock detector must see it).
        t.armed.fetch_add(1, Ordering::SeqCst);
        let seq = st.count * self.stride + i as u64;
        st.count += 1;
        let len = st.heap.v.len() as i64;
        if len >= 64 && 2 * t.dead.load(Ordering::Relaxed) > len {
            let purged = st.heap.purge();
            t.dead.fetch_sub(purged as i64, Ordering::Relaxed);
        }
        st.heap.push(PEntry {
            when,
            seq,
            job: job(seq),
        });
        t.earliest.store(st.heap.earliest(), Ordering::Relaxed);
    }

    /// Whether P `pi` has a timer due (one that `run_due` would fire now).
    #[inline]
    pub(crate) fn has_due(&self, pi: usize) -> bool {
        self.due_now(pi).is_some()
    }

    /// The time now (runtime nanoseconds) if P `pi` has a timer due then, for `run_due`: a
    /// clock reading is a good share of a timer wake-up's cost, and the look that finds the
    /// timer due is followed by the firing a moment later.
    #[inline]
    pub(crate) fn due_now(&self, pi: usize) -> Option<u64> {
        let next = self.ps[pi].earliest.load(Ordering::Relaxed);
        if next == NONE {
            return None;
        }
        let now = self.now();
        (next <= now).then_some(now)
    }

    /// Called by the M holding P `pi` each time it looks for work: fires the P's due timers, queueing the
    /// goroutines they wake on the P's local run queue. With `take_first`, the first of them (the
    /// earliest deadline) comes back instead, for the caller to run now, if it may pass the
    /// goroutines that earlier timers woke and that still wait at the queue's head (unless one of
    /// them has waited 2 ms: see "Under overload, the freshest wake-up first" in `mod.rs`).
    /// With none waiting it is the G that `P::pop` would take next anyway, and the trip through the
    /// queue's lock both ways is a good share of a timer wake-up's cost.
    /// `seen_due`: a time at which the caller found a timer of the P due (`due_now`), to fire
    /// as of then without reading the clock again.
    pub(crate) fn run_due(
        &self,
        rt: &Arc<Runtime>,
        pi: usize,
        take_first: bool,
        seen_due: Option<u64>,
    ) -> Option<Arc<G>> {
        let now = match seen_due {
            Some(now) => now,
            None => self.due_now(pi)?,
        };
        self.fire(rt, pi, now, Some(pi), take_first)
    }

    /// Fires heap `i`'s timers due at `now`. Woken goroutines go to P `into`'s local queue (the caller's
    /// own P, or one it took off the idle list), or with `None` (sysmon) to the global queue; with
    /// `take_first`, the first is returned instead if it may run at once (see `run_due`).
    pub(super) fn fire(
        &self,
        rt: &Arc<Runtime>,
        i: usize,
        now: u64,
        into: Option<usize>,
        take_first: bool,
    ) -> Option<Arc<G>> {
        let t = &self.ps[i];
        // Someone else holding the lock is arming here or firing these very timers.
        let Ok(mut st) = t.state.try_lock() else {
            return None;
        };
        if st.shutdown {
            return None;
        }
        let (mut gs, mut calls) = SCRATCH.take();
        let mut stale = 0;
        // Every due timer, however many: a local queue takes all the goroutines they wake at its
        // head, beyond its bound (`p::LOCAL_CAP`). Left in the heap, the oldest would come out
        // first at each later firing, ahead of the freshest ("Under overload, the freshest wake-up
        // first" in `mod.rs`).
        while st.heap.earliest() <= now {
            let e = st.heap.pop().expect("a due entry");
            match e.job {
                Job::Unpark(g) => {
                    // AcqRel: exactly one of this and a concurrent `cancel_unpark` succeeds.
                    if g.timer_seq
                        .compare_exchange(e.seq, 0, Ordering::AcqRel, Ordering::Relaxed)
                        .is_ok()
                    {
                        gs.push(g);
                    } else {
                        stale += 1;
                    }
                }
                Job::Call(slot) => calls.push(slot),
            }
        }
        t.earliest.store(st.heap.earliest(), Ordering::Relaxed);
        drop(st);
        if stale > 0 {
            t.dead.fetch_sub(stale, Ordering::Relaxed);
        }
        let mut fired = gs.len() as i64;
        for slot in calls.drain(..) {
            let cb = slot.lock().take();
            if let Some(cb) = cb {
                cb();
                fired += 1;
            } else {
                t.dead.fetch_sub(1, Ordering::Relaxed);
            }
        }
        let first = match into {
            Some(pi) => self.queue_local(rt, pi, &mut gs, now, take_first),
            None => {
                rt.ready_batch_from_outside(gs.iter().map(|g| &**g));
                None
            }
        };
        // Only now: until the goroutines are queued, the deadlock detector must still see their timers
        // pending.
        if fired > 0 {
            t.armed.fetch_sub(fired, Ordering::SeqCst);
        }
        gs.clear();
        calls.clear();
        if gs.capacity() > SCRATCH_KEEP {
            gs = Vec::new();
        }
        if calls.capacity() > SCRATCH_KEEP {
            calls = Vec::new();
        }
        SCRATCH.set((gs, calls));
        first
    }

    /// Makes the goroutines of `gs` runnable on P `pi`, held by the calling M: one P-queue lock for the
    /// lot, in order. Empties `gs`. With `take_first`, the first that may run here comes back
    /// instead of being queued, if it may pass the goroutines that earlier timers woke and that
    /// still wait at the queue's head (`P::push_timer_batch`). `now`: when the timers fired.
    pub(super) fn queue_local(
        &self,
        rt: &Arc<Runtime>,
        pi: usize,
        gs: &mut Vec<Arc<G>>,
        now: u64,
        take_first: bool,
    ) -> Option<Arc<G>> {
        // The park token: a G not parked yet (its M is still switching away from it) gets the token and
        // runs on at once; it is not ours to queue. One that was parked is queued by its park
        // reference; the timer's own goes.
        gs.retain_mut(|g| {
            let parked = crate::sched::park::set_token(g);
            if parked {
                // SAFETY: `set_token` just won the G's PARKED -> IDLE.
                *g = unsafe { g.take_park_ref() };
            }
            parked
        });
        let mut k = 0;
        while k < gs.len() {
            gs[k].set_status(Status::Runnable);
            if gs[k].wired_m().is_some() {
                // Wired: only its own M may run it. That M gets it at once if it holds a P for
                // it or a P is idle; else the G queues with the others, in its deadline's place,
                // and whoever dequeues it passes its P to that M.
                let g = gs.remove(k);
                if let Some(g) = rt.hand_to_wired_m(g) {
                    gs.insert(k, g);
                    k += 1;
                }
            } else {
                k += 1;
            }
        }
        if gs.is_empty() {
            return None;
        }
        let p = &rt.ps[pi];
        // The owner's view of `timer_woken_waiting` is exact: with none waiting, the first needs no
        // lock to skip the queue.
        let first = if take_first && !p.timer_woken_waiting() {
            let first = gs.remove(0);
            if gs.is_empty() {
                return Some(first);
            }
            p.push_timer_batch(gs, now, false);
            Some(first)
        } else {
            p.push_timer_batch(gs, now, take_first)
        };
        // More than this M can start at once: let an idle P help (as `ready` does).
        if p.fifo_len() > 0 {
            rt.wakep();
        }
        first
    }

    /// The earliest deadline on an idle P (`NONE` if none), as a hint. A P held by an M is that M's to
    /// fire (or sysmon's, if the M is stuck).
    pub(super) fn earliest_idle(&self, rt: &Runtime) -> u64 {
        (0..self.ps.len())
            .filter(|&i| is_idle(rt, i))
            .map(|i| self.ps[i].earliest.load(Ordering::Relaxed))
            .min()
            .unwrap_or(NONE)
    }

    /// Fires, onto the global queue, every P's timers due at `now` whose P satisfies `pick`.
    pub(super) fn fire_ps(&self, rt: &Arc<Runtime>, now: u64, pick: impl Fn(usize, u64) -> bool) {
        for (i, t) in self.ps.iter().enumerate() {
            let next = t.earliest.load(Ordering::Relaxed);
            if next <= now && pick(i, next) {
                self.fire(rt, i, now, None, false);
            }
        }
    }

    /// P `p` has just been put on the idle list by an M that will not look for its timers (a
    /// wired M now waits for its G, a hand-off from sysmon): unless an idle M already sleeps for
    /// an earlier deadline, sysmon is kicked to sleep until the P's earliest one instead of its
    /// tick (up to 5 ms). (Go's `handoffp` wakes its poller for the P's timers the same way.)
    pub(crate) fn p_went_idle(&self, p: usize) {
        let next = self.ps[p].earliest.load(Ordering::Relaxed);
        if next != NONE && next < self.sleeper_until.load(Ordering::SeqCst) {
            self.outside.kick();
        }
    }

    /// An idle M's wait for a P (it holds none): until notified, or until the earliest timer deadline if
    /// this M takes the sleeper role; then fires what is due. Spurious returns are possible; the caller
    /// re-checks its condition.
    pub(crate) fn idle_wait(&self, rt: &Arc<Runtime>, wake: &WakeSignal) {
        self.idle_sleep(rt, |deadline| wake.wait(deadline));
    }

    /// [`idle_wait`](Self::idle_wait) with the sleep itself given: `sleep(deadline)` blocks until
    /// something to look at comes, or `deadline` (the M blocked in the network poller sleeps in
    /// `epoll_pwait2` this way).
    pub(crate) fn idle_sleep(&self, rt: &Arc<Runtime>, sleep: impl FnOnce(Option<Instant>)) {
        let next = self.earliest_idle(rt);
        // Take the role unless an idle M already sleeps for this deadline or an earlier one.
        if next == NONE || self.sleeper_until.fetch_min(next, Ordering::SeqCst) <= next {
            sleep(None);
            return;
        }
        if next > self.now() {
            sleep(self.instant(next));
        }
        // Give the role back, unless an M with an earlier deadline has taken it meanwhile.
        let _ =
            self.sleeper_until
                .compare_exchange(next, NONE, Ordering::SeqCst, Ordering::Relaxed);
        let now = self.now();
        if next <= now {
            self.fire_idle_ps(rt, now);
        }
    }

    /// Fires the due timers of idle Ps from a thread holding no P. As Go's Ms steal timers: take an idle
    /// P, queue the goroutines on its local queue and hand it to an M (most likely the caller, as the idle
    /// list is LIFO). The global queue would put them behind whatever waits there. If no P is idle, the
    /// Ms that hold them now fire their timers.
    pub(super) fn fire_idle_ps(&self, rt: &Arc<Runtime>, now: u64) {
        let Some(p) = rt.take_idle_p() else {
            return;
        };
        for (i, t) in self.ps.iter().enumerate() {
            if t.earliest.load(Ordering::Relaxed) <= now && (i == p || is_idle(rt, i)) {
                self.fire(rt, i, now, Some(p), false);
            }
        }
        // The P is in transit (off the idle list, owned by nobody) until an M adopts it; `check_dead`
        // sees its queue meanwhile, and the timers were uncounted only after the queueing.
        rt.startm(p, false);
    }

    /// Sysmon's sleep and timer duties: drives the outside queue (sleeping until its next deadline or
    /// `tick`), then fires the P timers nobody else fires (see the module comment). Returns `false` once
    /// the runtime has stopped.
    pub(crate) fn sysmon_drive(&self, rt: &Arc<Runtime>, tick: Duration) -> bool {
        let mut wait = tick;
        // An idle P's deadline that no idle M sleeps for (none does, or the one that does sleeps
        // for a later one: the P went idle after it took the role, see `p_went_idle`) is watched
        // here.
        let next = self.earliest_idle(rt);
        if next != NONE && next < self.sleeper_until.load(Ordering::SeqCst) {
            wait = wait.min(Duration::from_nanos(next.saturating_sub(self.now())));
        }
        if !self.outside.drive(Some(wait)) {
            return false;
        }
        let now = self.now();
        let mut seen = self.sysmon_seen.lock().unwrap_or_else(|e| e.into_inner());
        for (i, s) in seen.iter_mut().enumerate() {
            let tick = rt.ps[i].schedtick.load(Ordering::Relaxed);
            if tick != s.0 {
                *s = (tick, now);
            }
        }
        // Idle Ps: onto the local queue of one of them, which then gets an M (`fire_idle_ps`), as an
        // idle M that wakes for a deadline does. Not the global queue: the M that later fires the same
        // P's next timers puts their goroutines on its local queue, which runs first, and goroutines
        // sleeping on one P would wake out of deadline order.
        if (0..self.ps.len())
            .any(|i| is_idle(rt, i) && self.ps[i].earliest.load(Ordering::Relaxed) <= now)
        {
            self.fire_idle_ps(rt, now);
        }
        // A busy P whose M keeps scheduling fires its own timers, however late they are (they wait
        // behind other runnable goroutines, and the global queue would only put them further back).
        // Only a P that has not switched goroutines for STUCK_GRACE_NS has its timers fired here.
        self.fire_ps(rt, now, |i, _| {
            !is_idle(rt, i) && seen[i].1.saturating_add(STUCK_GRACE_NS) <= now
        });
        true
    }

    /// Stops the outside queue's driver and drops every armed timer (their owners are being cancelled).
    pub(crate) fn shutdown(&self) {
        self.outside.shutdown();
        for t in self.ps.iter() {
            let heap = {
                let mut st = t.lock();
                st.shutdown = true;
                t.earliest.store(NONE, Ordering::Relaxed);
                std::mem::take(&mut st.heap)
            };
            // Dropped outside the lock: the entries hold goroutines and callbacks.
            drop(heap);
        }
    }
}

/// P `i` is on the idle list (no M runs it), as a hint.
pub(super) fn is_idle(rt: &Runtime, i: usize) -> bool {
    crate::sched::p::is_state(rt.ps[i].state.load(Ordering::Relaxed), PState::Idle)
}

pub(super) fn nanos_since(epoch: Instant, t: Instant) -> u64 {
    t.saturating_duration_since(epoch)
        .as_nanos()
        .min(u64::MAX as u128 - 1) as u64
}
