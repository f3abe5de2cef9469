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

use std::cmp::{Ordering as CmpOrdering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

type Callback = Box<dyn FnOnce() + Send>;

/// A timer's callback, shared between the heap entry and the [`TimerKey`] that may cancel it.
/// Whoever takes the callback out of the slot (firing or cancelling) decides the timer's fate.
struct Slot {
    callback: Mutex<Option<Callback>>,
}

struct Entry {
    deadline: Instant,
    /// Tie-breaker: timers with equal deadlines fire in the order they were started.
    seq: u64,
    slot: Arc<Slot>,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == CmpOrdering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> CmpOrdering {
        (self.deadline, self.seq).cmp(&(other.deadline, other.seq))
    }
}

struct Heap {
    entries: BinaryHeap<Reverse<Entry>>,
    next_seq: u64,
    shutdown: bool,
}

/// A deadline-ordered set of callbacks.
pub(crate) struct TimerQueue {
    heap: Mutex<Heap>,
    /// Signalled when a timer with an earlier deadline than the current earliest is added, or on shutdown.
    changed: Condvar,
    /// Timers armed and not yet fired or cancelled. Read by the deadlock detector; it is a count, not a
    /// synchronisation point, so Relaxed would do, but SeqCst keeps the detector's reasoning simple: it
    /// reads this after the scheduler lock, and a timer is counted before its owner parks.
    armed: AtomicUsize,
}

/// The handle of an armed timer: cancels it.
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
                next_seq: 0,
                shutdown: false,
            }),
            changed: Condvar::new(),
            armed: AtomicUsize::new(0),
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

    /// Arms a timer that calls `f` at `deadline` (at once if it has passed).
    pub(crate) fn start(
        self: &Arc<Self>,
        deadline: Instant,
        f: impl FnOnce() + Send + 'static,
    ) -> TimerKey {
        let slot = Arc::new(Slot {
            callback: Mutex::new(Some(Box::new(f))),
        });
        self.armed.fetch_add(1, Ordering::SeqCst);
        let mut heap = self.heap.lock().unwrap();
        let seq = heap.next_seq;
        heap.next_seq += 1;
        let earliest = heap.entries.peek().map(|Reverse(e)| e.deadline);
        heap.entries.push(Reverse(Entry {
            deadline,
            seq,
            slot: slot.clone(),
        }));
        drop(heap);
        if earliest.is_none_or(|e| deadline < e) {
            self.changed.notify_all();
        }
        TimerKey {
            slot,
            queue: self.clone(),
        }
    }

    /// Fires every due timer, then sleeps until the next deadline, `tick` (if given) or a change.
    /// Returns `false` once the queue is shut down.
    pub(crate) fn drive(&self, tick: Option<Duration>) -> bool {
        let mut heap = self.heap.lock().unwrap();
        loop {
            if heap.shutdown {
                return false;
            }
            let now = Instant::now();
            match heap.entries.peek() {
                Some(Reverse(e)) if e.deadline <= now => {
                    let Reverse(e) = heap.entries.pop().unwrap();
                    drop(heap);
                    let cb = e.slot.callback.lock().unwrap().take();
                    if let Some(cb) = cb {
                        cb();
                        // Only now: until the callback has made its goroutine runnable (queued it),
                        // the deadlock detector must still see a timer pending.
                        self.armed.fetch_sub(1, Ordering::SeqCst);
                    }
                    heap = self.heap.lock().unwrap();
                }
                next => {
                    let mut wait = next.map(|Reverse(e)| e.deadline - now);
                    if let Some(t) = tick {
                        wait = Some(wait.map_or(t, |w| w.min(t)));
                    }
                    let _woken = match wait {
                        Some(w) => self.changed.wait_timeout(heap, w).unwrap().0,
                        None => self.changed.wait(heap).unwrap(),
                    };
                    return true;
                }
            }
        }
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
