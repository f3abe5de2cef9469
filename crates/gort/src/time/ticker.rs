//! Tickers: a channel that receives the time at every multiple of a period.
//!
//! A ticker is a chain of one-shot timers: each callback sends the time (dropping it if the channel's
//! one-value buffer is still full, as Go does for slow receivers), computes the next deadline and arms the
//! next timer. Deadlines advance by whole periods from the first one, so ticks do not drift; after a stall
//! (the timer thread was late) the missed ticks are skipped rather than delivered in a burst.
//!
//! Every timer of a ticker goes to the runtime the ticker started on (or to the process-wide queue if it
//! started outside any runtime). Within a runtime, each re-arm lands on the P of the M that fired the
//! previous tick, or on the runtime's outside queue if the tick was fired by a thread holding no P
//! (sysmon, an idle M). Re-arming with `start_timer` from the callback would not do: on sysmon it would
//! pick the process-wide queue, whose timers the runtime's deadlock detector does not count.
//!
//! `stop` and the callback meet on the ticker's small std mutex: the callback re-arms only if the ticker is
//! not stopped, and stores the new key under the lock, so `stop` always cancels the latest timer.

use crate::chan::WeakChan;
use crate::sched::timers::{TimerHome, TimerKey};
use crate::Chan;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Shared {
    period: Duration,
    home: TimerHome,
    chan: WeakChan<Instant>,
    /// `None` once stopped; otherwise the key of the armed timer (if any).
    timer: Mutex<Option<Option<TimerKey>>>,
}

/// Delivers the time on a channel every `period` (Go's `time.Ticker`).
///
/// ```
/// use gort::time::Ticker;
/// use std::time::Duration;
/// let ticker = Ticker::new(Duration::from_millis(1));
/// let first = ticker.chan().recv().unwrap();
/// let second = ticker.chan().recv().unwrap();
/// assert!(second > first);
/// ticker.stop();
/// ```
pub struct Ticker {
    chan: Chan<Instant>,
    shared: Arc<Shared>,
}

impl Ticker {
    /// A ticker whose first tick comes one `period` from now.
    ///
    /// # Panics
    /// If `period` is zero: `non-positive interval for NewTicker`, as Go.
    ///
    /// ```
    /// let t = gort::time::Ticker::new(std::time::Duration::from_secs(1));
    /// t.stop();
    /// ```
    pub fn new(period: Duration) -> Ticker {
        if period.is_zero() {
            panic!("non-positive interval for NewTicker");
        }
        let chan = Chan::new(1);
        let shared = Arc::new(Shared {
            period,
            home: TimerHome::current(),
            chan: chan.downgrade(),
            timer: Mutex::new(Some(None)),
        });
        if let Some(first) = Instant::now().checked_add(period) {
            arm(&shared, first);
        }
        Ticker { chan, shared }
    }

    /// The channel on which ticks arrive (another handle to it; it stays open after `stop`, as in Go).
    ///
    /// ```
    /// let t = gort::time::Ticker::new(std::time::Duration::from_millis(1));
    /// assert!(t.chan().recv().is_some());
    /// ```
    pub fn chan(&self) -> Chan<Instant> {
        self.chan.clone()
    }

    /// Stops the ticker: no tick is sent after `stop` returns. Does not close the channel. Idempotent.
    ///
    /// ```
    /// use std::time::Duration;
    /// let t = gort::time::Ticker::new(Duration::from_millis(1));
    /// t.stop();
    /// let _ = t.chan().try_recv(); // at most one tick was buffered before the stop
    /// assert!(t.chan().recv_timeout(Duration::from_millis(5)).is_err());
    /// ```
    pub fn stop(&self) {
        let mut timer = self.shared.timer.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(Some(key)) = timer.take() {
            key.cancel();
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop();
    }
}

impl std::fmt::Debug for Ticker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ticker")
            .field("period", &self.shared.period)
            .finish()
    }
}

fn arm(shared: &Arc<Shared>, deadline: Instant) {
    let mut timer = shared.timer.lock().unwrap_or_else(|e| e.into_inner());
    arm_locked(shared, &mut timer, deadline);
}

/// Arms the timer for `deadline` unless the ticker is stopped; `timer` is the locked key slot.
fn arm_locked(shared: &Arc<Shared>, timer: &mut Option<Option<TimerKey>>, deadline: Instant) {
    let Some(slot) = timer.as_mut() else { return }; // stopped
    let s = shared.clone();
    *slot = Some(shared.home.start(deadline, move || fire(&s, deadline)));
}

fn fire(shared: &Arc<Shared>, deadline: Instant) {
    // Held across the send, so that no tick is sent once `stop` has returned.
    let mut timer = shared.timer.lock().unwrap_or_else(|e| e.into_inner());
    if timer.is_none() {
        return; // stopped while this callback was starting
    }
    let now = Instant::now();
    let _ = shared.chan.try_send(now);
    // The next multiple of the period after `now`, counted from `deadline`.
    let behind = now.saturating_duration_since(deadline);
    let skip = u32::try_from(behind.as_nanos() / shared.period.as_nanos()).unwrap_or(u32::MAX);
    let next = shared
        .period
        .checked_mul(skip.saturating_add(1))
        .and_then(|d| deadline.checked_add(d));
    match next {
        Some(next) => arm_locked(shared, &mut timer, next),
        None => *timer = Some(None),
    }
}
