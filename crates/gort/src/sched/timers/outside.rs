//! The outside queue: a deadline-ordered set of timers driven by one thread's sleep (the
//! process-wide queue on a thread of its own, and each runtime's queue for timers armed with no P at
//! hand, driven by sysmon).

use super::*;

pub(super) struct Entry {
    /// Deadline in nanoseconds since the queue's epoch, above the timer's number: ordering by this one
    /// integer orders by deadline, then by arming order.
    pub(super) key: u128,
    pub(super) job: Job,
}

impl Entry {
    pub(super) fn seq(&self) -> u64 {
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

pub(super) struct Heap {
    pub(super) entries: BinaryHeap<Entry>,
    next_seq: u64,
    shutdown: bool,
    /// The driver is to return before it sleeps again ([`TimerQueue::kick`]).
    pub(super) kicked: bool,
}

/// A deadline-ordered set of timers driven by one thread's sleep: the process-wide queue (its own thread)
/// and each runtime's outside queue (sysmon).
pub(crate) struct TimerQueue {
    pub(super) heap: Mutex<Heap>,
    /// Signalled when a timer with an earlier deadline than the current earliest is added, or on
    /// shutdown.
    changed: Condvar,
    /// Timers armed and not yet fired or cancelled (see `Timers::armed`). SeqCst, like every count the
    /// deadlock detector reads.
    pub(super) armed: AtomicUsize,
    /// Timer numbers advance by this step (see `Timers`: the number names the heap).
    pub(super) seq_step: u64,
    epoch: Instant,
}

impl TimerQueue {
    /// A queue whose timer numbers are `first`, `first + step`, ...
    pub(super) fn new(first: u64, step: u64) -> Arc<TimerQueue> {
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

    pub(super) fn lock(&self) -> MutexGuard<'_, Heap> {
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

    pub(super) fn nanos(&self, t: Instant) -> u64 {
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
    pub(super) fn start_unpark(&self, deadline: Instant, g: Arc<G>) -> u64 {
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
    pub(super) fn cancel_unpark(&self, g: &G, seq: u64) -> bool {
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

    pub(super) fn push(&self, deadline: Instant, job: impl FnOnce(u64) -> Job) {
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
    pub(super) fn kick(&self) {
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
    pub(super) fn fire(&self, due: &mut Vec<Entry>) {
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
        crate::sched::park::unpark_batch(wake);
        // Only now: until the goroutines are queued, the deadlock detector must still see their timers
        // pending.
        self.armed.fetch_sub(fired, Ordering::SeqCst);
    }

    /// Stops the driver and drops every armed timer (their owners are being cancelled).
    pub(super) fn shutdown(&self) {
        let entries = {
            let mut heap = self.lock();
            heap.shutdown = true;
            std::mem::take(&mut heap.entries)
        };
        self.changed.notify_all();
        drop(entries);
    }
}
