//! A one-shot wake-up signal for one OS thread: the object an idle or wired M sleeps on.
//!
//! Semantics 1.4 and 2.4 ask that every M sleep on a futex-backed object of its own, and that a wired M
//! "spins briefly before sleeping" so that handing it a goroutine costs a cache-line transfer, not a
//! `futex` round trip. [`WakeSignal`] is that object: a token in one `AtomicU32`.
//!
//! - `wait` spins for a short while watching the token, then announces it is going to sleep (`SLEEPING`)
//!   and blocks in `FUTEX_WAIT`.
//! - `notify` sets the token; only if the waiter had announced `SLEEPING` does it pay for `FUTEX_WAKE`.
//!   If the waiter spins on the notifier's own CPU, the notifier moves to another CPU before it
//!   next spins itself (`cpu.rs`): two threads handing work to each other must not share a CPU.
//!   And a waiter woken from the kernel that then waited long for its CPU moves off it
//!   (`cpu::LATE_WAKE`): `notify` stamps the time of the wake-up for it to tell.
//!
//! As with `std::thread::park`, a notify that comes before the wait makes the wait return at once, and the
//! waiter re-checks its own condition afterwards (the token says "look again", not what happened).

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::cpu;

const EMPTY: u32 = 0;
const NOTIFIED: u32 = 1;
const SLEEPING: u32 = 2;

/// How many times `wait` polls the token before it sleeps in the kernel: tens of microseconds in
/// all (a `pause` takes from a few to 140 cycles, depending on the CPU). It must outlast a futex
/// wake-up of the peer: if it did not, a peer woken from the kernel would find us asleep in turn,
/// and a ping-pong would settle into two futex round trips per exchange, dozens of times slower
/// than a spinning hand-off (commit f2d7e48).
const SPIN_ROUNDS: u32 = PAUSE_ROUNDS + YIELD_ROUNDS;
/// The first rounds poll with `pause` (a few microseconds)...
const PAUSE_ROUNDS: u32 = 200;
/// ...the rest with `sched_yield` in between (a system call each, when nothing else wants the core), so
/// that on a busy machine the thread we wait for gets the core instead of our spinning.
///
/// Unless a yield hands the core away for long: when the thread runnable beside us runs goroutines
/// without a break (not the thread we wait for), it keeps the core for its whole time slice
/// (milliseconds), and we stay runnable behind it, so Linux never moves us to a core that goes
/// idle meanwhile. A wired goroutine sleeping 20 µs beside goroutines taking turns on the other P
/// waited about 4 ms per sleep that way at max_procs 2. So a yield that took longer than
/// [`LONG_YIELD`] ends the spin (we sleep in the kernel, and the wake-up puts us on a free core),
/// and for [`NO_YIELD_FOR`] this thread spins only the `pause` rounds before it sleeps. (Spinning
/// with `pause` alone for as long instead kept two threads taking turns off each other's core at
/// max_procs 2: a wired ping-pong ran up to twice as slow.)
const YIELD_ROUNDS: u32 = 40;
/// A yield that took this long handed the core to a thread for a time slice.
const LONG_YIELD: Duration = Duration::from_micros(500);
/// How long a thread that saw a long yield spins without yielding. (It is the thread's, not the
/// signal's: the thread hogging the core is where the waiter runs.)
const NO_YIELD_FOR: Duration = Duration::from_millis(100);
/// A spinning waiter records its CPU afresh every this many polls (`cpu.rs`).
const CPU_CHECK_ROUNDS: u32 = 32;

/// Threads spinning in `wait` right now, process-wide. Spinning only pays while a core is free for it:
/// a spinner that takes the core of the thread it waits for delays the very hand-off it waits for. So
/// at most `cores - 1` threads spin at once; the rest go straight to the futex. Relaxed: a count used
/// as a hint, it orders nothing.
static SPINNERS: AtomicU32 = AtomicU32::new(0);

fn max_spinners() -> u32 {
    static MAX: AtomicU32 = AtomicU32::new(u32::MAX);
    let m = MAX.load(Ordering::Relaxed);
    if m != u32::MAX {
        return m;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    let m = cores;
    MAX.store(m, Ordering::Relaxed);
    m
}

pub(crate) struct WakeSignal {
    state: AtomicU32,
    /// When `notify` last woke the waiter from the kernel (nanoseconds since [`clock_epoch`]), so
    /// that the waiter can tell how long it then waited for a CPU (`cpu.rs`). Relaxed: a hint,
    /// written after the token; a waiter that reads a value from before its sleep ignores it.
    woken_at: AtomicU64,
    /// The CPU the waiter spins on, while it spins (`cpu::NONE` otherwise). Relaxed: a hint that
    /// `notify` compares with its own CPU (see `cpu.rs`); it orders nothing.
    spinning_on: AtomicU32,
}

impl WakeSignal {
    pub(crate) const fn new() -> WakeSignal {
        WakeSignal {
            state: AtomicU32::new(EMPTY),
            woken_at: AtomicU64::new(0),
            spinning_on: AtomicU32::new(cpu::NONE),
        }
    }

    /// Polls the token with `pause` until `until`, if a core is free for it: if the `busy`
    /// threads that run goroutines meanwhile take every core, it returns at once. (Other spinners
    /// do not count: they give their core up within tens of microseconds, and so does this one.)
    /// True if the token came (and is now consumed). For a waiter that knows its wake-up is due
    /// soon: a wake-up from the kernel costs tens of microseconds more, most of it on a VM waking
    /// a halted virtual CPU.
    pub(crate) fn spin_until(&self, until: Instant, busy: u32) -> bool {
        SPINNERS.fetch_add(1, Ordering::Relaxed);
        let got = busy < max_spinners() && {
            // Spinning on the CPU of a thread we hand work to would hold it off that CPU.
            let here = cpu::move_off_if_shared(cpu::current());
            self.spinning_on.store(here, Ordering::Relaxed);
            let mut i: u32 = 0;
            loop {
                if self.try_consume() {
                    break true;
                }
                i = i.wrapping_add(1);
                if i % CPU_CHECK_ROUNDS == 0 {
                    if Instant::now() >= until {
                        break false;
                    }
                    // Linux may have moved us meanwhile.
                    self.spinning_on.store(cpu::current(), Ordering::Relaxed);
                }
                std::hint::spin_loop();
            }
        };
        self.spinning_on.store(cpu::NONE, Ordering::Relaxed);
        SPINNERS.fetch_sub(1, Ordering::Relaxed);
        got
    }

    /// Takes the token if it is there.
    #[inline]
    fn try_consume(&self) -> bool {
        // Acquire: pairs with the Release swap in `notify`, so whatever the notifier wrote before
        // notifying (a P handed over, a goroutine queued) is visible once the token is seen.
        self.state.load(Ordering::Relaxed) == NOTIFIED
            && self
                .state
                .compare_exchange(NOTIFIED, EMPTY, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
    }

    /// Blocks until `notify` has been called since the last `wait` returned (or `deadline` passes).
    pub(crate) fn wait(&self, deadline: Option<Instant>) {
        let spin = SPINNERS.fetch_add(1, Ordering::Relaxed) < max_spinners();
        let got = match spin {
            false => false,
            true if yields_hand_the_core_away() => self.spin(PAUSE_ROUNDS),
            true => self.spin(SPIN_ROUNDS),
        };
        self.spinning_on.store(cpu::NONE, Ordering::Relaxed);
        SPINNERS.fetch_sub(1, Ordering::Relaxed);
        if got {
            return;
        }
        self.sleep(deadline);
    }

    /// Polls the token `rounds` times; true if it was there (and is now consumed).
    fn spin(&self, rounds: u32) -> bool {
        if rounds > 0 {
            // Spinning on the CPU of a thread we hand work to would hold it off that CPU.
            let here = cpu::move_off_if_shared(cpu::current());
            self.spinning_on.store(here, Ordering::Relaxed);
        }
        for i in 0..rounds {
            if self.try_consume() {
                return true;
            }
            if i % CPU_CHECK_ROUNDS == 0 && i > 0 {
                // Linux may have moved us meanwhile.
                self.spinning_on.store(cpu::current(), Ordering::Relaxed);
            }
            if i >= PAUSE_ROUNDS {
                // Past the pure spin: if the thread we wait for shares our core (a busy machine),
                // let it run rather than burn its time slice.
                let before = Instant::now();
                std::thread::yield_now();
                if before.elapsed() > LONG_YIELD {
                    note_long_yield();
                    return false;
                }
            } else {
                std::hint::spin_loop();
            }
        }
        false
    }

    fn sleep(&self, deadline: Option<Instant>) {
        // Before the announcement: a notify that finds it stamps a later time, a stale stamp
        // (from an earlier wake-up) is earlier.
        let slept_at = clock_nanos();
        // Announce sleep. If the token arrived meanwhile, consume it instead.
        if self
            .state
            .compare_exchange(EMPTY, SLEEPING, Ordering::Acquire, Ordering::Acquire)
            .is_err()
        {
            // The only other value is NOTIFIED (one waiter per signal): consume it.
            self.state.store(EMPTY, Ordering::Relaxed);
            return;
        }
        loop {
            let timeout = match deadline {
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        break;
                    }
                    Some(d - now)
                }
                None => None,
            };
            futex_wait(&self.state, SLEEPING, timeout);
            if self.state.load(Ordering::Acquire) == NOTIFIED {
                break;
            }
        }
        // Either notified or timed out: leave EMPTY. A notify racing with a timeout is consumed here,
        // which is fine: the caller re-checks its condition.
        if self.state.swap(EMPTY, Ordering::Acquire) == NOTIFIED {
            // Woken from the kernel, then kept off the CPU by another thread: move (`cpu.rs`).
            let woken_at = self.woken_at.load(Ordering::Relaxed);
            if woken_at >= slept_at
                && clock_nanos().saturating_sub(woken_at) > cpu::LATE_WAKE.as_nanos() as u64
            {
                cpu::move_off_after_late_wake();
            }
        }
    }

    /// Sets the token and wakes the waiter if it sleeps.
    pub(crate) fn notify(&self) {
        self.notify_at(clock_nanos);
    }

    /// `notify`, with `now` telling the time of a wake-up from the kernel (tests tell an earlier
    /// one, to stand for a waiter that then waited for its CPU).
    #[inline]
    fn notify_at(&self, now: impl FnOnce() -> u64) {
        // Release: publishes the notifier's writes to the waiter (see `wait`).
        match self.state.swap(NOTIFIED, Ordering::Release) {
            SLEEPING => {
                self.woken_at.store(now(), Ordering::Relaxed);
                futex_wake(&self.state);
            }
            EMPTY => {
                let on = self.spinning_on.load(Ordering::Relaxed);
                if on != cpu::NONE && on == cpu::current() {
                    cpu::note_shared();
                }
            }
            _ => {}
        }
    }
}

/// The process-wide origin of `WakeSignal::woken_at`.
fn clock_epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Nanoseconds since [`clock_epoch`].
fn clock_nanos() -> u64 {
    clock_epoch().elapsed().as_nanos() as u64
}

thread_local! {
    /// Until when this thread spins without yielding (see [`YIELD_ROUNDS`]).
    static NO_YIELD_UNTIL: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Whether this thread saw a yield hand its core away for long, less than [`NO_YIELD_FOR`] ago.
/// (Thread-locals are read through functions that are never inlined, as everywhere in the
/// runtime.)
#[inline(never)]
fn yields_hand_the_core_away() -> bool {
    NO_YIELD_UNTIL.with(|t| t.get().is_some_and(|t| Instant::now() < t))
}

/// Notes that a yield of this thread just handed its core away for long.
#[inline(never)]
fn note_long_yield() {
    NO_YIELD_UNTIL.with(|t| t.set(Some(Instant::now() + NO_YIELD_FOR)));
}

fn futex_wait(word: &AtomicU32, expected: u32, timeout: Option<std::time::Duration>) {
    let ts = timeout.map(|t| libc::timespec {
        tv_sec: t.as_secs().min(libc::time_t::MAX as u64) as libc::time_t,
        tv_nsec: t.subsec_nanos() as libc::c_long,
    });
    let ts_ptr = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `word` is a live, aligned u32 for the duration of the call; FUTEX_WAIT only reads it and
    // returns at once if it no longer holds `expected`. `ts_ptr` is null or points to `ts`, which lives
    // until the call returns. Errors (EAGAIN, EINTR, ETIMEDOUT) all mean "look again", which callers do.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            ts_ptr,
        );
    }
}

fn futex_wake(word: &AtomicU32) {
    // SAFETY: FUTEX_WAKE only uses the address as a key; `word` is live for the call.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            1,
        );
    }
}

/// An M's timer slack, the most Linux may delay the end of its timed sleeps (`wait` with a
/// deadline, which an idle M uses to wake for the next timer), set to 1 ns while the value lives and
/// then restored (the main M is the caller's thread, lent to `run`).
///
/// Linux's default slack is 50 µs: an idle M then woke up to 50 µs after the deadline it slept for,
/// and every sleeping goroutine it was to wake was late by as much (commit 665e640 measured the
/// lateness both ways). (Sysmon sets its own slack, see `sysmon.rs`.)
pub(crate) struct FineTimerSlack(libc::c_int);

impl FineTimerSlack {
    /// Sets the calling thread's slack; the returned value restores the old one when dropped.
    pub(crate) fn set() -> FineTimerSlack {
        // SAFETY: PR_GET_TIMERSLACK takes no pointer and reads only this thread's timer slack.
        let prev = unsafe { libc::prctl(libc::PR_GET_TIMERSLACK) };
        // SAFETY: PR_SET_TIMERSLACK takes a plain integer and changes only this thread's slack.
        unsafe { libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong) };
        FineTimerSlack(prev)
    }
}

impl Drop for FineTimerSlack {
    fn drop(&mut self) {
        // A failed PR_GET_TIMERSLACK (not Linux) returned -1: nothing was changed.
        if self.0 > 0 {
            // SAFETY: as in `set`.
            unsafe { libc::prctl(libc::PR_SET_TIMERSLACK, self.0 as libc::c_ulong) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn notify_before_wait_is_not_lost() {
        let s = WakeSignal::new();
        s.notify();
        s.wait(None);
    }

    #[test]
    fn wait_returns_after_notify_from_another_thread() {
        let s = Arc::new(WakeSignal::new());
        let s2 = s.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            s2.notify();
        });
        s.wait(None);
        t.join().unwrap();
    }

    /// A waiter whose yield handed its core to a thread that keeps it for a time slice (here a
    /// spinning thread pinned to the same CPU) ends its spin, and spins without yielding for a
    /// while after.
    #[test]
    fn a_waiter_whose_yield_lost_its_core_for_a_time_slice_stops_yielding() {
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: an all-zero `cpu_set_t` is a valid, empty set.
        let mut saved: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: `saved` is a live `cpu_set_t` of `size` bytes; pid 0 is this thread.
        assert_eq!(unsafe { libc::sched_getaffinity(0, size, &mut saved) }, 0);
        let here = cpu::current() as usize;
        let pin = move || {
            // SAFETY: as above; CPU_SET writes one bit of the set, and `here` is a CPU we run on.
            unsafe {
                let mut one: libc::cpu_set_t = std::mem::zeroed();
                libc::CPU_SET(here, &mut one);
                assert_eq!(libc::sched_setaffinity(0, size, &one), 0);
            }
        };
        pin();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let started = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let hog = {
            let (stop, started) = (stop.clone(), started.clone());
            std::thread::spawn(move || {
                pin();
                started.store(true, Ordering::SeqCst);
                while !stop.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            })
        };
        while !started.load(Ordering::SeqCst) {
            std::thread::yield_now();
        }
        assert!(!yields_hand_the_core_away());
        let s = WakeSignal::new();
        // Nobody notifies: the spin reaches its yields, and the first hands the core to the hog.
        let got = s.spin(SPIN_ROUNDS);
        let stopped_yielding = yields_hand_the_core_away();
        stop.store(true, Ordering::Relaxed);
        hog.join().unwrap();
        // SAFETY: `saved` is the mask read above.
        assert_eq!(unsafe { libc::sched_setaffinity(0, size, &saved) }, 0);
        assert!(!got);
        assert!(
            stopped_yielding,
            "a yield lost the core to a spinning thread, and the waiter still yields"
        );
    }

    /// Has a fresh thread sleep on a signal in the kernel; once it has slept for twice
    /// `LATE_WAKE`, notifies it with the wake-up stamped `stamp(seen)`, `seen` being a time at
    /// which it already slept. Returns whether the waiter moved off its CPU for a late wake-up;
    /// None if the thread may run on one CPU only.
    fn waiter_moved_after_wake_stamped(stamp: impl FnOnce(u64) -> u64) -> Option<bool> {
        let s = Arc::new(WakeSignal::new());
        let waiter = {
            let s = s.clone();
            std::thread::spawn(move || {
                if cpu::cpus_allowed() < 2 {
                    return None;
                }
                // Straight to the kernel, as a waiter that found no free core to spin on.
                s.sleep(None);
                Some(cpu::moved_within(Duration::from_secs(1)))
            })
        };
        while s.state.load(Ordering::SeqCst) != SLEEPING && !waiter.is_finished() {
            std::thread::yield_now();
        }
        let seen = clock_nanos();
        // The condition is the time itself: the waiter must have slept this long.
        while clock_nanos() - seen < 2 * cpu::LATE_WAKE.as_nanos() as u64 {
            std::thread::yield_now();
        }
        s.notify_at(|| stamp(seen));
        waiter.join().unwrap()
    }

    /// A waiter that ran long after the kernel woke it (another thread held its CPU) moves off
    /// that CPU.
    #[test]
    fn a_waiter_kept_off_its_cpu_after_its_wake_up_moves() {
        if let Some(moved) = waiter_moved_after_wake_stamped(|seen| seen) {
            assert!(moved, "a waiter woken long before it ran stayed on its CPU");
        }
    }

    /// A stamp older than the sleep (left by an earlier wake-up, when this one's was not seen)
    /// does not count as a late wake-up.
    #[test]
    fn a_wake_up_stamp_from_before_the_sleep_does_not_move_the_waiter() {
        let before_sleep = |seen: u64| seen.saturating_sub(1_000_000_000);
        if let Some(moved) = waiter_moved_after_wake_stamped(before_sleep) {
            assert!(!moved, "a stale stamp moved the waiter");
        }
    }

    #[test]
    fn wait_with_deadline_times_out() {
        let s = WakeSignal::new();
        let start = Instant::now();
        s.wait(Some(start + Duration::from_millis(5)));
        assert!(start.elapsed() >= Duration::from_millis(5));
    }
}
