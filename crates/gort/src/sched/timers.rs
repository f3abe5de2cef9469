//! Timers: callbacks that fire at a deadline, on a thread that holds no P.
//!
//! Every runtime owns one [`TimerQueue`], driven by its monitor thread (sysmon): the monitor sleeps until
//! the earliest deadline or its next tick, whichever is first, and fires what is due. Code outside any
//! runtime (a plain OS thread calling `gort::time::after`) uses a process-wide queue with a thread of its
//! own, started on first use.
//!
//! A callback runs on the timer thread with no lock held, so it must be short and must not block: it
//! unparks a goroutine or does a `try_send` on a buffered channel, as Go's timers do.
//!
//! The queue counts timers that are armed (neither fired nor cancelled); the deadlock detector reads that
//! count, since a goroutine waiting for a timer will wake (semantics 4.3).
//!
//! Most timers only wake a parked goroutine (a sleep, a timeout). Those carry the goroutine itself
//! instead of a boxed closure, and the driver fires everything due in one batch: one heap lock to take
//! them out, one scheduler lock to queue all the goroutines they wake. With 100,000 goroutines sleeping
//! in a loop, per-timer locking would make the single timer thread the bottleneck.

use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::g::G;

type Callback = Box<dyn FnOnce() + Send>;

/// What a timer does when it fires.
enum Action {
    /// Unpark this goroutine, if its park timer is still timer `seq` (fired in batches). A G has at most
    /// one park timer at a time; `G::timer_seq` names it, and cancelling clears it, so this kind needs
    /// no allocation of its own.
    Unpark { g: Arc<G>, seq: u64 },
    /// Run the callback in this slot, unless cancelled.
    Call(Arc<Slot>),
}

/// A callback timer's state, shared between the heap entry and the [`TimerKey`] that may cancel it.
/// Whoever takes the callback out of the slot (firing or cancelling) decides the timer's fate.
struct Slot {
    callback: Mutex<Option<Callback>>,
}

struct Entry {
    /// Deadline in nanoseconds since the queue's epoch, above a sequence number: ordering by this one
    /// integer orders by deadline, then by start order.
    key: u128,
    action: Action,
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
}

/// A deadline-ordered set of timers.
pub(crate) struct TimerQueue {
    heap: Mutex<Heap>,
    /// Signalled when a timer with an earlier deadline than the current earliest is added, or on shutdown.
    changed: Condvar,
    /// Timers armed and not yet fired or cancelled. Read by the deadlock detector; it is a count, not a
    /// synchronisation point, so Relaxed would do, but SeqCst keeps the detector's reasoning simple: it
    /// reads this after the scheduler lock, and a timer is counted before its owner parks.
    armed: AtomicUsize,
    epoch: Instant,
    /// The earliest deadline in the heap (nanoseconds since `epoch`; `u64::MAX` if empty), so that Ms
    /// can see without the lock whether a timer is due. Written under the heap lock; Relaxed reads are
    /// hints (the lock re-checks).
    earliest: AtomicU64,
}

/// The handle of an armed callback timer: cancels it.
pub(crate) struct TimerKey {
    slot: Arc<Slot>,
    queue: Arc<TimerQueue>,
}

impl TimerKey {
    /// Cancels the timer. Returns `true` if this stopped it from firing, `false` if it had already fired
    /// (or is firing now) or was cancelled before.
    pub(crate) fn cancel(&self) -> bool {
        let taken = self.slot.callback.lock().unwrap().take();
        if taken.is_some() {
            self.queue.armed.fetch_sub(1, Ordering::SeqCst);
            true
        } else {
            false
        }
    }
}

impl TimerQueue {
    pub(crate) fn new() -> Arc<TimerQueue> {
        Arc::new(TimerQueue {
            heap: Mutex::new(Heap {
                entries: BinaryHeap::new(),
                next_seq: 1,
                shutdown: false,
            }),
            changed: Condvar::new(),
            armed: AtomicUsize::new(0),
            epoch: Instant::now(),
            earliest: AtomicU64::new(u64::MAX),
        })
    }

    /// The process-wide queue for timers started outside any runtime; its thread starts on first use.
    pub(crate) fn global() -> &'static Arc<TimerQueue> {
        static GLOBAL: OnceLock<Arc<TimerQueue>> = OnceLock::new();
        GLOBAL.get_or_init(|| {
            let q = TimerQueue::new();
            let driver = q.clone();
            std::thread::Builder::new()
                .name("gort-timers".into())
                .spawn(move || while driver.drive(None) {})
                .expect("gort: cannot start the timer thread");
            q
        })
    }

    /// Number of timers armed (not fired, not cancelled).
    pub(crate) fn armed(&self) -> usize {
        self.armed.load(Ordering::SeqCst)
    }

    fn nanos(&self, t: Instant) -> u64 {
        t.saturating_duration_since(self.epoch)
            .as_nanos()
            .min(u64::MAX as u128) as u64
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
        self.push(deadline, |_| Action::Call(slot.clone()));
        TimerKey {
            slot,
            queue: self.clone(),
        }
    }

    /// Arms `g`'s park timer: unpark it at `deadline`. Returns the timer's number, for
    /// [`cancel_unpark`](Self::cancel_unpark).
    pub(crate) fn start_unpark(&self, deadline: Instant, g: Arc<G>) -> u64 {
        let gref = g.clone();
        let mut seq_out = 0;
        self.push(deadline, |seq| {
            // Release: pairs with the Acquire CAS of whoever fires or cancels it.
            gref.timer_seq.store(seq, Ordering::Release);
            seq_out = seq;
            Action::Unpark { g, seq }
        });
        seq_out
    }

    /// Cancels `g`'s park timer number `seq`. True if this stopped it from firing.
    pub(crate) fn cancel_unpark(&self, g: &G, seq: u64) -> bool {
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

    fn push(&self, deadline: Instant, action: impl FnOnce(u64) -> Action) {
        self.armed.fetch_add(1, Ordering::SeqCst);
        let at = self.nanos(deadline);
        let mut heap = self.heap.lock().unwrap();
        let seq = heap.next_seq;
        heap.next_seq += 1;
        let earlier = heap
            .entries
            .peek()
            .is_none_or(|e| at < (e.key >> 64) as u64);
        let key = ((at as u128) << 64) | seq as u128;
        heap.entries.push(Entry {
            key,
            action: action(seq),
        });
        if earlier {
            self.earliest.store(at, Ordering::Relaxed);
        }
        drop(heap);
        if earlier {
            self.changed.notify_all();
        }
    }

    /// Fires every due timer, then sleeps until the next deadline, `tick` (if given) or a change.
    /// Returns `false` once the queue is shut down.
    pub(crate) fn drive(&self, tick: Option<Duration>) -> bool {
        let mut due = Vec::new();
        loop {
            let mut heap = self.heap.lock().unwrap();
            if heap.shutdown {
                return false;
            }
            let now = Instant::now();
            let now_ns = self.nanos(now);
            Self::pop_due(&mut heap, now_ns, &mut due);
            self.publish_earliest(&heap);
            if due.is_empty() {
                let next = heap
                    .entries
                    .peek()
                    .map(|e| Duration::from_nanos((e.key >> 64) as u64));
                let mut wait = next.map(|d| (self.epoch + d).saturating_duration_since(now));
                if let Some(t) = tick {
                    wait = Some(wait.map_or(t, |w| w.min(t)));
                }
                let _woken = match wait {
                    Some(w) => self.changed.wait_timeout(heap, w).unwrap().0,
                    None => self.changed.wait(heap).unwrap(),
                };
                return true;
            }
            drop(heap);
            self.fire(&mut due);
        }
    }

    fn pop_due(heap: &mut Heap, now_ns: u64, due: &mut Vec<Entry>) {
        while let Some(e) = heap.entries.peek() {
            if (e.key >> 64) as u64 > now_ns {
                break;
            }
            due.push(heap.entries.pop().expect("peeked"));
        }
    }

    fn publish_earliest(&self, heap: &Heap) {
        let at = heap
            .entries
            .peek()
            .map_or(u64::MAX, |e| (e.key >> 64) as u64);
        self.earliest.store(at, Ordering::Relaxed);
    }

    /// Called by Ms as they look for work (Go's Ps run their own timers): fires what is due, if
    /// anything is and nobody else is at it. `now_hint` is a cheap, slightly old clock reading.
    pub(crate) fn fire_due_from_m(&self, now_hint: u64) {
        if self.earliest.load(Ordering::Relaxed) > now_hint {
            return;
        }
        let Ok(mut heap) = self.heap.try_lock() else {
            return;
        };
        if heap.shutdown {
            return;
        }
        let mut due = Vec::new();
        Self::pop_due(&mut heap, self.nanos(Instant::now()), &mut due);
        self.publish_earliest(&heap);
        drop(heap);
        if !due.is_empty() {
            self.fire(&mut due);
        }
    }

    /// Fires `due` (in deadline order): callbacks one by one, unparks as one batch.
    fn fire(&self, due: &mut Vec<Entry>) {
        let mut wake: Vec<Arc<G>> = Vec::new();
        let mut fired = 0;
        for e in due.drain(..) {
            match e.action {
                Action::Call(slot) => {
                    let cb = slot.callback.lock().unwrap().take();
                    if let Some(cb) = cb {
                        cb();
                        fired += 1;
                    }
                }
                Action::Unpark { g, seq } => {
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

    /// Stops the driver; armed timers never fire (their owners are being cancelled).
    pub(crate) fn shutdown(&self) {
        self.heap.lock().unwrap().shutdown = true;
        self.changed.notify_all();
    }
}

/// Arms a timer on the current runtime's queue (the process-wide one outside any runtime).
pub(crate) fn start_timer(deadline: Instant, f: impl FnOnce() + Send + 'static) -> TimerKey {
    match super::current::with_m(|m| m.rt().timers.clone()) {
        Some(q) => q.start(deadline, f),
        None => TimerQueue::global().start(deadline, f),
    }
}
