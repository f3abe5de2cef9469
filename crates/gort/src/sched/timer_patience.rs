//! How long a goroutine that a timer woke may be passed over by those that later timers woke.
//!
//! Under more timer wake-ups than a P's thread serves, the first goroutine of each firing runs
//! ahead of the timer-woken goroutines still waiting, so that most sleeps end on time ("Under
//! overload, the freshest wake-up first" in `timers/mod.rs`). Those passed over wait until a lull,
//! or until the longest-waiting of them has waited the *patience*; then new firings queue behind
//! them until it has run. The patience is a trade-off:
//!
//! - **Too long, and the tail grows by it.** A burst of due timers enters the queue as one batch
//!   and runs out of its patience as one; it then drains in deadline order, as strict deadline
//!   order would have drained it, but later by about the patience. In the `sleepers` benchmark the
//!   p99 is strict order's plus about the patience.
//! - **Too short, and most wake-ups are passed over** (and the median is late): each goroutine
//!   passed over waits about the patience, so the mean wait of the P's timer-woken goroutines is
//!   about the share passed over times the patience.
//!
//! So the patience is set from that mean wait, measured over the last [`WINDOW`] wake-ups:
//! [`PATIENCE_PER_LATENESS`] times it, within [`MIN_PATIENCE_NS`] and [`MAX_PATIENCE_NS`]. By the
//! relation above, this shrinks the patience window by window toward its minimum while fewer than
//! a third of the wake-ups are passed over, and grows it toward its maximum while more are: short
//! while the backlog is light enough for the median to stay on time, long when it is not. The
//! mean wait comes from Little's law: the time integral of how many wait (sampled at each
//! firing, the one moment the P reads the clock for its timers) over how many were woken. (In
//! the `sleepers` benchmark a fixed 3 ms left the mean lateness at max_procs 1 a fifth above
//! strict order's and the p99 1.5 times it; with this rule the mean is level with it and the p99
//! 1.2-1.3 times, the median still on time: `bench/HISTORY.md`.)
//!
//! The state lives in the P's FIFO, under its lock; only the M holding the P updates it.

/// The patience, in multiples of the measured mean wait: the share of wake-ups passed over at
/// which it neither shrinks nor grows is a third.
pub(crate) const PATIENCE_PER_LATENESS: u64 = 3;

/// The shortest patience (nanoseconds): with hardly a backlog, strict deadline order costs little,
/// and a patience of a few microseconds would flip the order at every firing.
pub(crate) const MIN_PATIENCE_NS: u64 = 300_000;

/// The longest patience (nanoseconds), and the one a P starts with: well inside a time slice
/// (10 ms), which doubled the `sleepers` tail for no gain in the median.
pub(crate) const MAX_PATIENCE_NS: u64 = 3_000_000;

/// How many wake-ups one measurement of the mean wait spans (about 16 ms of a saturated P).
pub(crate) const WINDOW: u64 = 16_384;

/// The running measurement and the patience it set.
#[derive(Debug)]
pub(crate) struct Patience {
    /// The patience in force (nanoseconds).
    bound: u64,
    /// The previous firing's clock reading (runtime nanoseconds; 0 before the first).
    last_at: u64,
    /// How many timer-woken goroutines waited just after the previous firing queued its batch.
    last_waiting: u64,
    /// Nanoseconds times goroutines waiting, since the window began.
    waited: u128,
    /// Goroutines timers woke since the window began, those that ran at once included.
    woken: u64,
}

impl Default for Patience {
    fn default() -> Self {
        Patience {
            bound: MAX_PATIENCE_NS,
            last_at: 0,
            last_waiting: 0,
            waited: 0,
            woken: 0,
        }
    }
}

impl Patience {
    /// The patience in force (nanoseconds).
    pub(crate) fn bound(&self) -> u64 {
        self.bound
    }

    /// A firing at `now` woke `woken` goroutines; `waiting` timer-woken goroutines wait, before
    /// its batch is queued. Ends the window, and sets the patience, once it spans [`WINDOW`].
    pub(crate) fn note_firing(&mut self, now: u64, woken: u64, waiting: u64) {
        if self.last_at != 0 && now > self.last_at {
            // The count fell from `last_waiting` to `waiting` as goroutines ran: the trapezoid.
            let mean_waiting = (self.last_waiting + waiting) as u128;
            self.waited += mean_waiting * u128::from(now - self.last_at) / 2;
        }
        self.last_at = now;
        self.woken += woken;
        if self.woken >= WINDOW {
            let mean_wait = (self.waited / u128::from(self.woken)).min(u128::from(u64::MAX));
            self.bound = (mean_wait as u64)
                .saturating_mul(PATIENCE_PER_LATENESS)
                .clamp(MIN_PATIENCE_NS, MAX_PATIENCE_NS);
            self.waited = 0;
            self.woken = 0;
        }
    }

    /// After the firing's batch was queued, `waiting` timer-woken goroutines wait.
    pub(crate) fn note_queued(&mut self, waiting: u64) {
        self.last_waiting = waiting;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `windows` windows of firings every `gap` ns, one wake-up each, with `waiting`
    /// goroutines waiting throughout: a mean wait of `waiting * gap`.
    fn steady(p: &mut Patience, start: u64, gap: u64, waiting: u64, windows: u64) -> u64 {
        let mut now = start;
        p.note_firing(now, 0, waiting);
        p.note_queued(waiting);
        for _ in 0..WINDOW * windows {
            now += gap;
            p.note_firing(now, 1, waiting);
            p.note_queued(waiting);
        }
        now
    }

    #[test]
    fn the_patience_starts_at_its_longest() {
        assert_eq!(Patience::default().bound(), MAX_PATIENCE_NS);
    }

    /// Fifty waiting while one is woken every 10 µs: each waits 500 µs (Little's law), and the
    /// patience is three times that.
    #[test]
    fn the_patience_is_three_times_the_mean_wait_of_the_last_window() {
        let mut p = Patience::default();
        steady(&mut p, 1_000, 10_000, 50, 1);
        assert_eq!(p.bound(), 3 * 500_000);
    }

    #[test]
    fn the_patience_stays_within_its_bounds() {
        let mut p = Patience::default();
        let now = steady(&mut p, 1_000, 10_000, 0, 1);
        assert_eq!(p.bound(), MIN_PATIENCE_NS, "no backlog");
        steady(&mut p, now, 10_000, 1_000, 1);
        assert_eq!(p.bound(), MAX_PATIENCE_NS, "a 10 ms backlog");
    }

    /// Each window stands on its own: the load of a window past does not linger.
    #[test]
    fn the_patience_follows_the_load_from_window_to_window() {
        let mut p = Patience::default();
        let now = steady(&mut p, 1_000, 10_000, 20, 1);
        assert_eq!(p.bound(), 3 * 200_000);
        steady(&mut p, now, 10_000, 60, 1);
        assert_eq!(p.bound(), 3 * 600_000);
    }

    /// Nothing counts until a window is full, and a firing that reads an earlier clock than the
    /// previous one (two Ms' readings) adds no time.
    #[test]
    fn a_partial_window_or_a_clock_reading_out_of_order_changes_nothing() {
        let mut p = Patience::default();
        p.note_firing(1_000_000, WINDOW - 1, 100);
        p.note_queued(100);
        p.note_firing(500_000, 0, 100);
        assert_eq!(p.bound(), MAX_PATIENCE_NS);
        assert_eq!(p.waited, 0);
    }
}
