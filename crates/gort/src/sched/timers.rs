//! Timers: wake-ups and callbacks that fire at a deadline, never before it.
//!
//! # Design
//!
//! The ideas are Go 1.14's (`runtime/time.go`): a timer lives on the P where it was armed, and the M that
//! runs that P fires it as part of looking for work.
//!
//! **Per-P heaps.** [`Timers`] holds one 4-ary min-heap per P, keyed by deadline (nanoseconds since the
//! runtime's timer epoch) and then by arming order, behind a lock of its own. Only the P's M takes that
//! lock on the hot path; sysmon and idle Ms take it when they fire the timers of a P nobody else looks
//! at, and then with `try_lock` (whoever holds the lock is firing them already). Next to the lock sit the
//! heap's earliest deadline (`earliest`, readable without the lock) and its armed count.
//!
//! **Arming.** `sleep`, a timeout, `time::after` or a ticker on a goroutine arm their timer on the P of
//! the M they run on. A sleep (a G's park timer) costs no allocation: the heap entry holds the G, and
//! `G::timer_seq` names the entry; cancelling (a `recv_timeout` that completed early) only clears
//! `timer_seq` with a CAS and leaves the entry in the heap, where it is dropped when it comes due, or
//! earlier when cancelled entries make up half the heap (the heap is then rebuilt without them). A
//! timer number encodes the heap it sits on, so a cancel from any thread finds the right counters.
//!
//! **Firing.** The M holding a P calls [`Timers::run_due`] each time it looks for work: one atomic load
//! when nothing is due (and no clock read when the heap is empty), else one clock read, one heap lock to
//! take every due timer out, and one P-queue lock to put every goroutine they wake at the *head* of that
//! P's local run queue, in deadline order, behind only those that earlier timers woke and that have not
//! run yet (`p::Fifo`), so that they run in deadline order too (no scheduler lock). Callback timers
//! run right there, on the M, with no lock held; they must be short and never block (a `try_send`,
//! an unpark), as in Go.
//!
//! **Woken goroutines run first**, before what was queued and before the P's `runnext` too (`P::pop`;
//! see "Wake-ups and `runnext` chains" in `mod.rs`): a pair taking turns through `runnext` would
//! otherwise keep a woken sleeper waiting for its whole time slice. Go puts a timer's goroutine in
//! `runnext`; gort puts the whole batch at the FIFO's head, so that a batch keeps its deadline order,
//! and leaves the chain's goroutine in `runnext`, to run right after them. A wired goroutine joins
//! the batch unless its M can take it at once (it holds a P for it, or one is idle). Either way a
//! sleep's lateness does not grow with the run queue: woken goroutines put at the tail would wait
//! behind a full queue's worth of others. (The `sleepers` benchmark measures it, many goroutines
//! sleeping in a loop with more work than the cores can do: commits 665e640 and bd28d93 have the
//! figures, tail against head and gort against Go, whose `runnext` gives a lower median and a far
//! longer tail.)
//! What waits instead is what was queued: under more timer work than the cores can do, new goroutines
//! start late, in Go as here.
//!
//! **Idle Ms.** An M with nothing to run sleeps on its wake signal until the earliest deadline on an idle
//! P ([`Timers::idle_wait`]). One idle M at a time sleeps with a deadline: `sleeper_until` holds the
//! deadline it sleeps for, and another idle M only takes the role if it has an earlier one. The M that
//! wakes at the deadline takes an idle P, fires what is due on the idle Ps onto that P's local queue and
//! hands the P to an M (usually itself). It leaves alone the timers of Ps that Ms hold: firing those onto the global queue
//! would put them behind whatever waits there instead of on their P's local queue. A timer armed later
//! on a busy P needs no wake-up: its M either finds it due in its loop or, going idle, computes the new
//! earliest deadline itself.
//!
//! **Sysmon** is the fallback ([`Timers::sysmon_drive`]). Each tick it fires the due timers of a P that
//! has not switched goroutines for [`STUCK_GRACE_NS`] (its M is blocked in a plain call or runs a
//! goroutine that does not yield) and those of idle Ps. It leaves alone a P whose M keeps scheduling,
//! however late its timers are: they wait behind runnable goroutines there, and moving them to the
//! global queue would only put them further back; and while no idle M sleeps for the earliest deadline
//! of an idle P (none holds the sleeper role, as the one that did was handed work first, or the P went
//! idle after the sleeper took the role for a later deadline), sysmon sleeps no later than that
//! deadline. A P put on the idle list by an M that will not look for its timers (a wired M parking,
//! `Runtime::release_p`) kicks sysmon out of its sleep so that it recomputes it ([`Timers::p_went_idle`]):
//! without that, a wired goroutine's sleep ended up to one sysmon tick (5 ms) late.
//! Sysmon also drives the runtime's *outside* queue ([`TimerQueue`]): timers armed where there is no P
//! of this runtime at hand (a callback fired by sysmon re-arming a ticker, an M that has lost its P).
//!
//! **Outside any runtime** (a plain OS thread calling `gort::time::after`), timers go to a process-wide
//! [`TimerQueue`] with a thread of its own, started on first use.
//!
//! **Deadlock detection** (semantics 4.3) reads [`Timers::armed`]: the timers armed and neither fired nor
//! cancelled, summed over the heaps. A timer is counted before its goroutine parks, and uncounted only
//! after the goroutine it wakes is queued, so the detector never sees a goroutine that is neither queued
//! nor waiting for a counted timer. Fired timers run from an M holding a P (never idle, so the detector
//! does not run) or from sysmon and idle Ms through `ready_batch_from_outside`, which queues under the
//! scheduler lock that the detector holds.
//!
//! **Shutdown** empties the heaps (dropping the goroutines and callbacks they hold) and refuses new
//! timers: armed timers never fire once the runtime has stopped (their owners are gone).

use std::cell::Cell;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use crossbeam_utils::CachePadded;

use super::g::{Status, G};
use super::p::{PState, LOCAL_CAP};
use super::wake::WakeSignal;
use super::{current, Runtime};

type Callback = Box<dyn FnOnce() + Send>;

/// No deadline (an empty heap, no sleeper).
const NONE: u64 = u64::MAX;

/// Sysmon fires the due timers of a P that has not switched goroutines for this long: its M is blocked
/// in a plain call or runs a goroutine that does not yield (sysmon's own threshold for a stuck goroutine).
pub(crate) const STUCK_GRACE_NS: u64 = 1_000_000;

/// A scratch vector keeps at most this many slots between firings.
const SCRATCH_KEEP: usize = 4096;

/// What a timer does when it fires.
enum Job {
    /// Unpark this goroutine, if its park timer is still this timer (`G::timer_seq`). A G has at most one
    /// park timer at a time, and cancelling clears `timer_seq`, so this kind needs no allocation.
    Unpark(Arc<G>),
    /// Run the callback in this slot, unless cancelled.
    Call(Arc<Slot>),
}

impl Job {
    /// Not cancelled (for the rebuild of a heap with many cancelled entries).
    fn live(&self, seq: u64) -> bool {
        match self {
            Job::Unpark(g) => g.timer_seq.load(Ordering::Relaxed) == seq,
            Job::Call(slot) => slot.lock().is_some(),
        }
    }
}

/// A callback timer's state, shared between the heap entry and the [`TimerKey`] that may cancel it.
/// Whoever takes the callback out of the slot (firing or cancelling) decides the timer's fate.
struct Slot {
    callback: Mutex<Option<Callback>>,
}

impl Slot {
    fn lock(&self) -> MutexGuard<'_, Option<Callback>> {
        self.callback.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Where a callback timer is counted, for [`TimerKey::cancel`].
enum Home {
    Queue(Arc<TimerQueue>),
    Heap(Arc<Timers>, usize),
}

/// The handle of an armed callback timer: cancels it.
pub(crate) struct TimerKey {
    slot: Arc<Slot>,
    home: Home,
}

impl TimerKey {
    /// Cancels the timer. Returns `true` if this stopped it from firing, `false` if it had already fired
    /// (or is firing now) or was cancelled before.
    pub(crate) fn cancel(&self) -> bool {
        let taken = self.slot.lock().take();
        if taken.is_none() {
            return false;
        }
        match &self.home {
            Home::Queue(q) => {
                q.armed.fetch_sub(1, Ordering::SeqCst);
            }
            Home::Heap(t, i) => t.ps[*i].cancelled(),
        }
        true
    }
}

// ---- the outside queue ---------------------------------------------------------------------------

struct Entry {
    /// Deadline in nanoseconds since the queue's epoch, above the timer's number: ordering by this one
    /// integer orders by deadline, then by arming order.
    key: u128,
    job: Job,
}

impl Entry {
    fn seq(&self) -> u64 {
        self.key as u64
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    // Reversed: `BinaryHeap` is a max-heap and we want the earliest first.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.key.cmp(&self.key)
    }
}

struct Heap {
    entries: BinaryHeap<Entry>,
    next_seq: u64,
    shutdown: bool,
    /// The driver is to return before it sleeps again ([`TimerQueue::kick`]).
    kicked: bool,
}

/// A deadline-ordered set of timers driven by one thread's sleep: the process-wide queue (its own thread)
/// and each runtime's outside queue (sysmon).
pub(crate) struct TimerQueue {
    heap: Mutex<Heap>,
    /// Signalled when a timer with an earlier deadline than the current earliest is added, or on
    /// shutdown.
    changed: Condvar,
    /// Timers armed and not yet fired or cancelled (see `Timers::armed`). SeqCst, like every count the
    /// deadlock detector reads.
    armed: AtomicUsize,
    /// Timer numbers advance by this step (see `Timers`: the number names the heap).
    seq_step: u64,
    epoch: Instant,
}

impl TimerQueue {
    /// A queue whose timer numbers are `first`, `first + step`, ...
    fn new(first: u64, step: u64) -> Arc<TimerQueue> {
        Arc::new(TimerQueue {
            heap: Mutex::new(Heap {
                entries: BinaryHeap::new(),
                next_seq: first,
                shutdown: false,
                kicked: false,
            }),
            changed: Condvar::new(),
            armed: AtomicUsize::new(0),
            seq_step: step,
            epoch: Instant::now(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Heap> {
        self.heap.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The process-wide queue for timers started outside any runtime; its thread starts on first use.
    pub(crate) fn global() -> &'static Arc<TimerQueue> {
        static GLOBAL: OnceLock<Arc<TimerQueue>> = OnceLock::new();
        GLOBAL.get_or_init(|| {
            let q = TimerQueue::new(1, 1);
            let driver = q.clone();
            std::thread::Builder::new()
                .name("gort-timers".into())
                .spawn(move || while driver.drive(None) {})
                .expect("gort: cannot start the timer thread");
            q
        })
    }

    fn nanos(&self, t: Instant) -> u64 {
        nanos_since(self.epoch, t)
    }

    /// Arms a timer that calls `f` at `deadline` (at once if it has passed).
    pub(crate) fn start(
        self: &Arc<Self>,
        deadline: Instant,
        f: impl FnOnce() + Send + 'static,
    ) -> TimerKey {
        let slot = Arc::new(Slot {
            callback: Mutex::new(Some(Box::new(f))),
        });
        self.push(deadline, |_| Job::Call(slot.clone()));
        TimerKey {
            slot,
            home: Home::Queue(self.clone()),
        }
    }

    /// Arms `g`'s park timer: unpark it at `deadline`. Returns the timer's number.
    fn start_unpark(&self, deadline: Instant, g: Arc<G>) -> u64 {
        let mut seq_out = 0;
        self.push(deadline, |seq| {
            // Release: pairs with the Acquire CAS of whoever fires or cancels it.
            g.timer_seq.store(seq, Ordering::Release);
            seq_out = seq;
            Job::Unpark(g)
        });
        seq_out
    }

    /// Cancels `g`'s park timer number `seq`. True if this stopped it from firing.
    fn cancel_unpark(&self, g: &G, seq: u64) -> bool {
        // AcqRel: exactly one of this and the firing CAS succeeds.
        if g.timer_seq
            .compare_exchange(seq, 0, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            self.armed.fetch_sub(1, Ordering::SeqCst);
            true
        } else {
            false
        }
    }

    fn push(&self, deadline: Instant, job: impl FnOnce(u64) -> Job) {
        let at = self.nanos(deadline);
        let mut heap = self.lock();
        if heap.shutdown {
            // The runtime has stopped: nobody is left to wake, and the entry would keep the goroutine
            // (and through it the runtime) alive.
            return;
        }
        self.armed.fetch_add(1, Ordering::SeqCst);
        let seq = heap.next_seq;
        heap.next_seq += self.seq_step;
        let earlier = heap
            .entries
            .peek()
            .is_none_or(|e| at < (e.key >> 64) as u64);
        heap.entries.push(Entry {
            key: ((at as u128) << 64) | seq as u128,
            job: job(seq),
        });
        drop(heap);
        if earlier {
            self.changed.notify_all();
        }
    }

    /// Makes the driver return from its sleep (or not start the next one), so that its caller
    /// looks again at what else it waits for (sysmon: the timers of idle Ps).
    fn kick(&self) {
        self.lock().kicked = true;
        self.changed.notify_all();
    }

    /// Fires every due timer, then sleeps until the next deadline, `tick` (if given) or a change.
    /// Returns `false` once the queue is shut down.
    pub(crate) fn drive(&self, tick: Option<Duration>) -> bool {
        let mut due = Vec::new();
        loop {
            let mut heap = self.lock();
            if heap.shutdown {
                return false;
            }
            let now = Instant::now();
            let now_ns = self.nanos(now);
            while let Some(e) = heap.entries.peek() {
                if (e.key >> 64) as u64 > now_ns {
                    break;
                }
                due.push(heap.entries.pop().expect("peeked"));
            }
            if due.is_empty() {
                if std::mem::take(&mut heap.kicked) {
                    // Kicked since the caller computed its `tick`: let it compute it again.
                    return true;
                }
                let next = heap
                    .entries
                    .peek()
                    .map(|e| Duration::from_nanos((e.key >> 64) as u64));
                let mut wait = next.map(|d| (self.epoch + d).saturating_duration_since(now));
                if let Some(t) = tick {
                    wait = Some(wait.map_or(t, |w| w.min(t)));
                }
                let _woken = match wait {
                    Some(w) => {
                        self.changed
                            .wait_timeout(heap, w)
                            .unwrap_or_else(|e| e.into_inner())
                            .0
                    }
                    None => self.changed.wait(heap).unwrap_or_else(|e| e.into_inner()),
                };
                return true;
            }
            drop(heap);
            self.fire(&mut due);
        }
    }

    /// Fires `due` (in deadline order): callbacks one by one, unparks as one batch.
    fn fire(&self, due: &mut Vec<Entry>) {
        let mut wake: Vec<Arc<G>> = Vec::new();
        let mut fired = 0;
        for e in due.drain(..) {
            let seq = e.seq();
            match e.job {
                Job::Call(slot) => {
                    let cb = slot.lock().take();
                    if let Some(cb) = cb {
                        cb();
                        fired += 1;
                    }
                }
                Job::Unpark(g) => {
                    // AcqRel: wins against a concurrent `cancel_unpark` (exactly one of us succeeds).
                    if g.timer_seq
                        .compare_exchange(seq, 0, Ordering::AcqRel, Ordering::Relaxed)
                        .is_ok()
                    {
                        wake.push(g);
                        fired += 1;
                    }
                }
            }
        }
        super::park::unpark_batch(wake);
        // Only now: until the goroutines are queued, the deadlock detector must still see their timers
        // pending.
        self.armed.fetch_sub(fired, Ordering::SeqCst);
    }

    /// Stops the driver and drops every armed timer (their owners are being cancelled).
    fn shutdown(&self) {
        let entries = {
            let mut heap = self.lock();
            heap.shutdown = true;
            std::mem::take(&mut heap.entries)
        };
        self.changed.notify_all();
        drop(entries);
    }
}

// ---- the per-P heaps -----------------------------------------------------------------------------

struct PEntry {
    /// Deadline, nanoseconds since `Timers::epoch`.
    when: u64,
    /// The timer's number (see `Timers`).
    seq: u64,
    job: Job,
}

impl PEntry {
    fn before(&self, other: &PEntry) -> bool {
        (self.when, self.seq) < (other.when, other.seq)
    }
}

/// A 4-ary min-heap (Go's choice too: shallower than a binary heap, and the four children of a node
/// share a cache line or two).
#[derive(Default)]
struct Heap4 {
    v: Vec<PEntry>,
}

impl Heap4 {
    fn earliest(&self) -> u64 {
        self.v.first().map_or(NONE, |e| e.when)
    }

    fn push(&mut self, e: PEntry) {
        self.v.push(e);
        let mut i = self.v.len() - 1;
        while i > 0 {
            let parent = (i - 1) / 4;
            if !self.v[i].before(&self.v[parent]) {
                break;
            }
            self.v.swap(i, parent);
            i = parent;
        }
    }

    fn pop(&mut self) -> Option<PEntry> {
        let last = self.v.pop()?;
        if self.v.is_empty() {
            return Some(last);
        }
        let top = std::mem::replace(&mut self.v[0], last);
        self.sift_down(0);
        Some(top)
    }

    fn sift_down(&mut self, mut i: usize) {
        let n = self.v.len();
        loop {
            let first = 4 * i + 1;
            if first >= n {
                return;
            }
            let mut best = first;
            for c in first + 1..(first + 4).min(n) {
                if self.v[c].before(&self.v[best]) {
                    best = c;
                }
            }
            if !self.v[best].before(&self.v[i]) {
                return;
            }
            self.v.swap(i, best);
            i = best;
        }
    }

    /// Drops the cancelled entries and restores the heap order. Returns how many were dropped.
    fn purge(&mut self) -> usize {
        let before = self.v.len();
        self.v.retain(|e| e.job.live(e.seq));
        if self.v.len() > 1 {
            for i in (0..=(self.v.len() - 2) / 4).rev() {
                self.sift_down(i);
            }
        }
        before - self.v.len()
    }
}

struct PHeapState {
    heap: Heap4,
    /// Arming count on this heap; the timer number is `count * stride + index`.
    count: u64,
    shutdown: bool,
}

/// One P's timers.
struct PTimers {
    state: Mutex<PHeapState>,
    /// The earliest deadline in the heap (`NONE` if empty). Written under the lock; read without it as a
    /// hint (Relaxed): whoever acts on it re-checks under the lock, and an M that misses an update made
    /// by another thread is covered by that thread (see the module comment).
    earliest: AtomicU64,
    /// Timers armed here, not fired nor cancelled. SeqCst, as every count the deadlock detector reads.
    armed: AtomicI64,
    /// Cancelled entries still in the heap (a hint for the rebuild; Relaxed, it orders nothing; it may
    /// briefly go negative when a rebuild drops an entry before its cancel has counted it).
    dead: AtomicI64,
}

impl PTimers {
    fn lock(&self) -> MutexGuard<'_, PHeapState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A timer of this heap was cancelled.
    fn cancelled(&self) {
        self.armed.fetch_sub(1, Ordering::SeqCst);
        self.dead.fetch_add(1, Ordering::Relaxed);
    }
}

/// Goroutines to wake and callbacks to run, gathered under a heap lock and acted on after it.
type Firing = (Vec<Arc<G>>, Vec<Arc<Slot>>);

thread_local! {
    /// Reused buffers for firing (goroutines to wake, callbacks to run), so that firing allocates
    /// nothing in the steady state. Taken out of the cell while in use, so a callback that fires timers
    /// itself (it cannot, but nothing depends on that) would only find an empty vector.
    static SCRATCH: Cell<Firing> = const { Cell::new((Vec::new(), Vec::new())) };
}

/// A runtime's timers: one heap per P, plus the outside queue (see the module comment).
pub(crate) struct Timers {
    ps: Box<[CachePadded<PTimers>]>,
    /// Timers armed without a P of this runtime at hand; driven by sysmon.
    outside: Arc<TimerQueue>,
    /// Timer numbers: `count * stride + heap`, where heap `ps.len()` is the outside queue.
    stride: u64,
    epoch: Instant,
    /// The deadline the idle M with the sleeper role sleeps until, `NONE` if no idle M sleeps with a
    /// deadline. SeqCst: an M takes the role with `fetch_min` and gives it back with a CAS, and sysmon
    /// reads it to decide whether it must watch idle Ps' timers itself; all three reason together.
    sleeper_until: AtomicU64,
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

    fn now(&self) -> u64 {
        nanos_since(self.epoch, Instant::now())
    }

    fn instant(&self, at: u64) -> Option<Instant> {
        self.epoch.checked_add(Duration::from_nanos(at))
    }

    /// The P of this runtime held by the current thread's M, if any.
    fn current_p(&self) -> Option<usize> {
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

    fn push(&self, i: usize, deadline: Instant, job: impl FnOnce(u64) -> Job) {
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

    /// Called by the M holding P `pi` each time it looks for work: fires the P's due timers, queueing the
    /// goroutines they wake on the P's local run queue.
    #[inline]
    /// Whether P `pi` has a timer due (one that `run_due` would fire now).
    pub(crate) fn has_due(&self, pi: usize) -> bool {
        let next = self.ps[pi].earliest.load(Ordering::Relaxed);
        next != NONE && next <= self.now()
    }

    pub(crate) fn run_due(&self, rt: &Arc<Runtime>, pi: usize) {
        let next = self.ps[pi].earliest.load(Ordering::Relaxed);
        if next == NONE {
            return;
        }
        let now = self.now();
        if next <= now {
            self.fire(rt, pi, now, Some(pi));
        }
    }

    /// Fires heap `i`'s timers due at `now`. Woken goroutines go to P `into`'s local queue (the caller's
    /// own P, or one it took off the idle list), or with `None` (sysmon) to the global queue.
    fn fire(&self, rt: &Arc<Runtime>, i: usize, now: u64, into: Option<usize>) {
        let t = &self.ps[i];
        // Someone else holding the lock is arming here or firing these very timers.
        let Ok(mut st) = t.state.try_lock() else {
            return;
        };
        if st.shutdown {
            return;
        }
        let (mut gs, mut calls) = SCRATCH.take();
        let mut stale = 0;
        // Onto a local queue, no more goroutines than it has room for: the rest stay due in the heap
        // and fire as the queue drains, rather than overflow to the tail of the global queue, behind
        // everything else runnable.
        let room = match into {
            Some(pi) => LOCAL_CAP.saturating_sub(rt.ps[pi].fifo_len()),
            None => usize::MAX,
        };
        while st.heap.earliest() <= now && gs.len() < room {
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
        match into {
            Some(pi) => self.queue_local(rt, pi, &mut gs),
            None => rt.ready_batch_from_outside(gs.iter().map(|g| &**g)),
        }
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
    }

    /// Makes the goroutines of `gs` runnable on P `pi`, held by the calling M: one P-queue lock for the
    /// lot, in order. Empties `gs`.
    fn queue_local(&self, rt: &Arc<Runtime>, pi: usize, gs: &mut Vec<Arc<G>>) {
        // The park token: a G not parked yet (its M is still switching away from it) gets the token and
        // runs on at once; it is not ours to queue. One that was parked is queued by its park
        // reference; the timer's own goes.
        gs.retain_mut(|g| {
            let parked = super::park::set_token(g);
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
            return;
        }
        let p = &rt.ps[pi];
        let rest = p.push_timer_batch(gs);
        if !rest.is_empty() {
            rt.push_global(rest);
        }
        // More than this M can start at once: let an idle P help (as `ready` does).
        if p.fifo_len() > 0 {
            rt.wakep();
        }
    }

    /// The earliest deadline on an idle P (`NONE` if none), as a hint. A P held by an M is that M's to
    /// fire (or sysmon's, if the M is stuck).
    fn earliest_idle(&self, rt: &Runtime) -> u64 {
        (0..self.ps.len())
            .filter(|&i| is_idle(rt, i))
            .map(|i| self.ps[i].earliest.load(Ordering::Relaxed))
            .min()
            .unwrap_or(NONE)
    }

    /// Fires, onto the global queue, every P's timers due at `now` whose P satisfies `pick`.
    fn fire_ps(&self, rt: &Arc<Runtime>, now: u64, pick: impl Fn(usize, u64) -> bool) {
        for (i, t) in self.ps.iter().enumerate() {
            let next = t.earliest.load(Ordering::Relaxed);
            if next <= now && pick(i, next) {
                self.fire(rt, i, now, None);
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
    fn fire_idle_ps(&self, rt: &Arc<Runtime>, now: u64) {
        let Some(p) = rt.take_idle_p() else {
            return;
        };
        for (i, t) in self.ps.iter().enumerate() {
            if t.earliest.load(Ordering::Relaxed) <= now && (i == p || is_idle(rt, i)) {
                self.fire(rt, i, now, Some(p));
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
fn is_idle(rt: &Runtime, i: usize) -> bool {
    super::p::is_state(rt.ps[i].state.load(Ordering::Relaxed), PState::Idle)
}

fn nanos_since(epoch: Instant, t: Instant) -> u64 {
    t.saturating_duration_since(epoch)
        .as_nanos()
        .min(u64::MAX as u128 - 1) as u64
}

/// Where a timer is armed: a runtime's timers, or the process-wide queue outside any runtime.
#[derive(Clone)]
pub(crate) enum TimerHome {
    Runtime(Arc<Timers>),
    Process,
}

impl TimerHome {
    /// The current runtime's timers (this thread is one of its Ms), else the process-wide queue.
    pub(crate) fn current() -> TimerHome {
        match current::with_m(|m| m.rt().timers.clone()) {
            Some(t) => TimerHome::Runtime(t),
            None => TimerHome::Process,
        }
    }

    /// Arms a timer that calls `f` at `deadline`.
    pub(crate) fn start(&self, deadline: Instant, f: impl FnOnce() + Send + 'static) -> TimerKey {
        match self {
            TimerHome::Runtime(t) => t.start(deadline, f),
            TimerHome::Process => TimerQueue::global().start(deadline, f),
        }
    }
}

/// Arms a timer on the current runtime (the process-wide queue outside any runtime).
pub(crate) fn start_timer(deadline: Instant, f: impl FnOnce() + Send + 'static) -> TimerKey {
    TimerHome::current().start(deadline, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(when: u64, seq: u64) -> PEntry {
        let slot = Arc::new(Slot {
            callback: Mutex::new(Some(Box::new(|| {}))),
        });
        PEntry {
            when,
            seq,
            job: Job::Call(slot),
        }
    }

    #[test]
    fn heap4_pops_in_deadline_then_arming_order() {
        let mut h = Heap4::default();
        let mut x = 12345u64;
        let mut want = Vec::new();
        for seq in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let when = (x >> 33) % 500; // many equal deadlines
            h.push(entry(when, seq));
            want.push((when, seq));
        }
        want.sort();
        let mut got = Vec::new();
        while let Some(e) = h.pop() {
            got.push((e.when, e.seq));
        }
        assert_eq!(got, want);
        assert_eq!(h.earliest(), NONE);
    }

    #[test]
    fn purge_drops_cancelled_entries_and_keeps_the_order() {
        let mut h = Heap4::default();
        let mut slots = Vec::new();
        for seq in 0..300u64 {
            let e = entry((seq * 7919) % 1000, seq);
            if let Job::Call(s) = &e.job {
                slots.push(s.clone());
            }
            h.push(e);
        }
        for s in slots.iter().step_by(3) {
            s.lock().take();
        }
        assert_eq!(h.purge(), 100);
        let mut last = (0, 0);
        let mut n = 0;
        while let Some(e) = h.pop() {
            assert!(e.job.live(e.seq));
            assert!((e.when, e.seq) >= last);
            last = (e.when, e.seq);
            n += 1;
        }
        assert_eq!(n, 200);
    }
}
