//! Time: sleeping, one-shot timer channels and tickers, as Go's `time` package.
//!
//! ## Design
//!
//! Nothing here owns a thread. [`sleep`] parks the caller with a deadline (`park_until`), which in a
//! goroutine registers a scheduler timer and frees the thread; outside a runtime it parks the OS thread.
//! [`after`] and [`Ticker`] deliver on a channel of capacity 1 from a timer callback
//! (`crate::sched::timers`), which runs wherever the timer fires (the M whose P holds it, sysmon, or the
//! process-wide timer thread outside a runtime) and never blocks: it does a `try_send`, and a tick nobody
//! has room for is dropped, as in Go.
//!
//! Timer callbacks reach their channel through a weak reference: a timer never keeps a channel open or
//! alive, so dropping the returned channel (every handle of it) frees it and the timer fires into nothing.
//!
//! Deadlines are computed with `Instant::checked_add`; a duration too large to represent (up to
//! `Duration::MAX`) means "never". A zero duration means "now". Timers never fire early: the value a timer
//! channel delivers is the `Instant` at which it fired, never before its deadline.

mod ticker;

pub use ticker::Ticker;

use crate::park::{self};
use crate::sched::timers::start_timer;
use crate::wait_reason::WaitReason;
use crate::Chan;
use std::time::{Duration, Instant};

/// Pauses the calling goroutine (or thread) for at least `d`. A goroutine that sleeps holds no thread.
/// `Duration::ZERO` returns at once; `Duration::MAX` sleeps forever.
///
/// ```
/// use std::time::{Duration, Instant};
/// gort::Builder::new().max_procs(1).run(|| {
///     let start = Instant::now();
///     // Both sleep at once on the single P: sleeping frees it.
///     let h = gort::spawn(|| gort::time::sleep(Duration::from_millis(20)));
///     gort::time::sleep(Duration::from_millis(20));
///     h.join().unwrap();
///     assert!(start.elapsed() >= Duration::from_millis(20));
/// });
/// ```
#[track_caller]
pub fn sleep(d: Duration) {
    if d.is_zero() {
        return;
    }
    match Instant::now().checked_add(d) {
        Some(deadline) => sleep_rest(deadline),
        None => loop {
            park::park(WaitReason::Sleep);
        },
    }
}

/// Pauses the calling goroutine (or thread) until `deadline`.
///
/// ```
/// use std::time::{Duration, Instant};
/// let deadline = Instant::now() + Duration::from_millis(1);
/// gort::time::sleep_until(deadline);
/// assert!(Instant::now() >= deadline);
/// ```
#[track_caller]
pub fn sleep_until(deadline: Instant) {
    if Instant::now() < deadline {
        sleep_rest(deadline);
    }
}

/// Parks until `deadline`, which the caller has just found ahead on the clock. Spurious wake-ups (a
/// stale unpark token) just park again. (No clock reading of its own on the usual path, a park
/// that its timer ends: a sleep in a loop is a hot path.)
#[track_caller]
fn sleep_rest(deadline: Instant) {
    let mut fresh = true;
    while !park::park_until_passed(WaitReason::Sleep, deadline, fresh) {
        fresh = false;
    }
}

/// A channel that receives the current time once, after `d` (Go's `time.After`). The channel has capacity
/// 1, so the timer never blocks; nobody needs to receive from it.
///
/// A duration too large for `Instant` (such as `Duration::MAX`) never fires and arms no timer, so a
/// goroutine that waits on nothing else is reported as deadlocked rather than hanging forever (Go hangs).
/// The same holds for [`sleep`]`(Duration::MAX)`.
///
/// ```
/// use std::time::{Duration, Instant};
/// let start = Instant::now();
/// let fired = gort::time::after(Duration::from_millis(3)).recv().unwrap();
/// assert!(fired >= start + Duration::from_millis(3));
/// ```
pub fn after(d: Duration) -> Chan<Instant> {
    let ch = Chan::new(1);
    if let Some(deadline) = Instant::now().checked_add(d) {
        let weak = ch.downgrade();
        // The key is not kept: a one-shot timer is never cancelled; if the channel is gone when it fires,
        // the send goes nowhere.
        let _key = start_timer(deadline, move || {
            let _ = weak.try_send(Instant::now());
        });
    }
    ch
}

/// Like [`after`], with an absolute deadline.
///
/// ```
/// use std::time::{Duration, Instant};
/// let at = Instant::now() + Duration::from_millis(1);
/// assert!(gort::time::after_deadline(at).recv().unwrap() >= at);
/// ```
pub fn after_deadline(deadline: Instant) -> Chan<Instant> {
    let ch = Chan::new(1);
    let weak = ch.downgrade();
    let _key = start_timer(deadline, move || {
        let _ = weak.try_send(Instant::now());
    });
    ch
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A goroutine whose park token is already set (a wake-up left over from an earlier wait)
    /// sleeps its whole duration all the same: the sleep's first park returns at once, and that
    /// return is not taken for its deadline (only its timer firing, or the clock, says so).
    #[test]
    fn a_leftover_park_token_does_not_cut_a_sleep_short() {
        let slept_whole = crate::run(|| {
            crate::spawn(|| {
                park::current().unpark();
                let d = Duration::from_millis(20);
                let start = Instant::now();
                sleep(d);
                start.elapsed() >= d
            })
            .join()
            .unwrap()
        });
        assert!(slept_whole, "the sleep returned before its duration");
    }
}
