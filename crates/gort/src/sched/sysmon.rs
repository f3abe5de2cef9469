//! Sysmon: the monitor thread (semantics 1.7). It runs without a P and never runs goroutine code.
//!
//! Each tick it
//! - drives the runtime's outside timer queue (timers armed with no P at hand; this thread's sleep ends
//!   at its next deadline) and is the fallback for the per-P timer heaps: it fires the due timers of a P
//!   whose M has not switched goroutines for 1 ms (blocked in a plain call, or running a goroutine that
//!   does not yield) and of idle Ps, and sleeps no later than an idle P's earliest deadline while no
//!   idle M sleeps for it (`Timers::sysmon_drive`; see `timers.rs`);
//! - takes the P of a G that has been in `gort::syscall` for more than 20 µs while work waits (or for
//!   more than 10 ms in any case) and hands it to another M;
//! - takes the P of a G that is blocked in the kernel in a *plain* call (see below) while work waits;
//! - takes the P of a G that has run 10 ms without a scheduling point while work waits: the G keeps its
//!   thread, the P and its queue move on (gort never interrupts a running G). Work that other Ms keep
//!   taking (they stole from the P's FIFO, or ran what it overflowed into the global queue, within
//!   the last 10 ms) does not wait: then the P stays, since a hand-off would only add a thread to
//!   share the CPUs with, and leave the G running on without a P;
//! - marks a P's time slice expired after 10 ms, so a ping-pong pair sharing one slice through
//!   `runnext` goes to the queue tail and cannot starve others (1.5);
//! - gives back, once a second, the goroutine stacks that sat unused in the stack pool's hot tier
//!   beyond its fixed part (`StackPool::release_idle`);
//! - runs the deadlock check when every P is idle (an M going idle runs it too, but a thread outside the
//!   runtime may have held it off then).
//!
//! The tick starts at 20 µs and doubles after 1 ms without anything to do, up to 5 ms, like Go's.
//! Sysmon's timer slack is set to 1 µs: Linux's default of 50 µs would stretch every short tick
//! several times over (measured in commit 8e640b6).
//!
//! # Plain blocking calls
//!
//! Go wraps every system call, so its sysmon knows when a thread blocks. Rust code does not: a
//! goroutine calling `std::thread::sleep`, a blocking `read` or a C library without going through
//! `gort::syscall` looks to the runtime like one that runs on. Sysmon goes beyond Go here and asks
//! the kernel. When a P is `Running` and its G has run for more than [`BLOCKED_PROBE_NS`] while
//! work waits (its queue or the global queue is not empty), sysmon reads the state of the owning M's thread from
//! `/proc/self/task/<tid>/stat` (one `pread` of a file it opened the first time it probed that M;
//! the M records its tid when it starts). If the thread sleeps in the kernel interruptibly (`S`: a
//! sleep, a read or poll that waits, a futex), sysmon
//! takes the P exactly as it does for a G stuck 10 ms: the G keeps its thread (a wired G included),
//! the P and its queue move to another M, and the G finds out at its next scheduling point that it
//! has no P and gets one the usual way. A thread in any other state (`R`: running or waiting for a
//! CPU; `D`; stopped; traced) keeps its P. `D` (uninterruptible) is mostly a short wait inside a
//! CPU-bound stretch, a page fault or `mmap` waiting for the address-space lock: taking the P there
//! made a goroutine spawning many others lose its P over and over, and the runtime grow threads
//! (commit 8409eb1). Disk waits are `D` too; they fall to the 10 ms rule. Such a thread is probed
//! again once its G has run another quarter of the time it has run so far (20 µs to 1 ms later), so
//! a long CPU-bound G costs a few dozen reads per 10 ms. Nothing is read while no work waits behind a P, so a runtime without such a P pays
//! nothing. Without `/proc` the probe answers "unknown" and only the 10 ms rule applies.
//!
//! How long a G has run: its M stamps `P::run_since` with sysmon's coarse clock (the time of the last
//! tick) as it starts the G, so sysmon can probe at the first tick that sees the G, not the second.
//! The stamp errs early by up to one tick, so a G may be probed after less than `BLOCKED_PROBE_NS`;
//! that only matters if it is asleep in the kernel at that moment, and then handing its P on is right.
//! Probing at the first tick rather than the second shortens the time a blocked G keeps its P
//! (the `syscall_handoff_plain` workload's figures are in commit 8409eb1).
//!
//! Limits: the probe sees the thread, not why it sleeps. A G that waits a moment on a contended
//! `std::sync::Mutex` also sleeps in the kernel and may lose its P early; that costs it a trip through
//! the run queue, nothing more. Between the read and the CAS that takes the P, the G may wake, reach
//! a scheduling point and start another G on the same M (the state word and `schedtick` are checked
//! again, but not atomically with the read): then that G loses its P as a G stuck for 10 ms does.
//! And as with the 10 ms rule, a G whose P was taken runs on without one from the moment its call
//! returns until its next scheduling point, so for that while more than `max_procs` Gs run code.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::fence;
use super::m::MShared;
use super::p::{is_state, owner_of, pack, PState, P};
use super::{Phase, Runtime};
use crate::stack::IDLE_RELEASE_NS;

const SYSCALL_RETAKE_NS: u64 = 20_000;
const SLICE_NS: u64 = 10_000_000;
/// Work queued behind a G that has run this long without a scheduling point gets an M to steal it.
const STUCK_NS: u64 = 1_000_000;
/// A P whose G has run this long without a scheduling point while work waits has its M's thread
/// probed: if the thread sleeps in the kernel, the P moves on.
const BLOCKED_PROBE_NS: u64 = 20_000;
/// After a probe finds the thread not blocked, the same G is probed again once it has run another
/// 1/[`PROBE_BACKOFF_DIV`] of the time it has run so far, within these bounds.
const PROBE_BACKOFF_DIV: u64 = 4;
const PROBE_BACKOFF_MIN_NS: u64 = 20_000;
const PROBE_BACKOFF_MAX_NS: u64 = 1_000_000;
/// Sysmon polls the network when nobody has for this long (Go: 10 ms).
const NETPOLL_STALE_NS: u64 = 10_000_000;
const MIN_TICK: Duration = Duration::from_micros(20);
const MAX_TICK: Duration = Duration::from_millis(5);

/// What sysmon remembers of one P between ticks.
#[derive(Clone, Default)]
struct Seen {
    schedtick: u64,
    tick_at: u64,
    slice: u64,
    slice_at: u64,
    /// `P::fifo_taken`: while other Ms keep taking work from a P's FIFO (or it overflows to the
    /// global queue), that work is not stuck behind the G.
    fifo: Movement,
    /// No probe of the P's thread before this time (runtime nanoseconds); 0 for a fresh G.
    probe_at: u64,
    /// The M found owning this P at the last probe (an M usually keeps its P, so this saves a
    /// search of `Sched::all_ms` under the scheduler lock).
    m: Option<Arc<MShared>>,
}

/// A counter of Gs taken from a queue (`P::fifo_taken`, `Runtime::global_taken`) as sysmon last
/// read it, and when it last saw it change.
#[derive(Clone, Default)]
struct Movement {
    taken: u64,
    moved_at: u64,
}

impl Movement {
    /// Records the counter's value `taken`, read at `now`.
    fn see(&mut self, taken: u64, now: u64) {
        if taken != self.taken {
            self.taken = taken;
            self.moved_at = now;
        }
    }

    /// Whether the counter changed within the last `SLICE_NS` before `now`.
    fn lately(&self, now: u64) -> bool {
        now.saturating_sub(self.moved_at) <= SLICE_NS
    }
}

/// Counters of the blocked-thread hand-off, for gort's own tests (`gort::__sysmon`).
#[derive(Default)]
pub(crate) struct Stats {
    /// Reads of an M's thread state. Relaxed: a statistic, it orders nothing.
    pub(crate) probes: AtomicU64,
    /// Ps taken because their M's thread slept in the kernel. Relaxed, as `probes`.
    pub(crate) blocked_handoffs: AtomicU64,
    /// Ps taken from a G that ran 10 ms without a scheduling point (and was not found asleep).
    /// Relaxed, as `probes`.
    pub(crate) stuck_handoffs: AtomicU64,
}

/// What sysmon needs to tell whether an M's thread sleeps in the kernel. Part of [`MShared`].
#[derive(Default)]
pub(crate) struct ThreadProbe {
    /// The thread's kernel id, recorded by the thread itself when its M starts; 0 before. Relaxed: it
    /// is written once, and a reader that still sees 0 only skips the probe.
    tid: AtomicI32,
    /// `/proc/self/task/<tid>/stat`, opened by sysmon the first time it probes this M (`None` if it
    /// could not be opened). Only sysmon touches it.
    stat: OnceLock<Option<File>>,
}

impl ThreadProbe {
    /// Records the calling thread as the one to probe; called on the M's own thread as it starts.
    pub(crate) fn record_current_thread(&self) {
        // SAFETY: gettid has no preconditions and cannot fail.
        let tid = unsafe { libc::gettid() };
        self.tid.store(tid, Ordering::Relaxed);
    }

    /// True if the thread sleeps in the kernel interruptibly (state `S`), false if it is in any other
    /// state (`D` included: see the module comment);
    /// `None` if that cannot be told (no tid yet, no `/proc`, the thread is gone).
    fn blocked_in_kernel(&self, stats: &Stats) -> Option<bool> {
        let tid = self.tid.load(Ordering::Relaxed);
        if tid == 0 {
            return None;
        }
        let file = self
            .stat
            .get_or_init(|| File::open(format!("/proc/self/task/{tid}/stat")).ok())
            .as_ref()?;
        // The state follows the name, which is at most 15 bytes: 128 bytes always reach it.
        let mut buf = [0u8; 128];
        let n = file.read_at(&mut buf, 0).ok()?;
        stats.probes.fetch_add(1, Ordering::Relaxed);
        parse_state(&buf[..n]).map(|s| s == b'S')
    }
}

/// The state letter of a `/proc/<pid>/stat` line: `pid (comm) S ...`. The name may contain spaces
/// and parentheses, but no field after it contains `)`, so the state follows the last `)`.
fn parse_state(line: &[u8]) -> Option<u8> {
    let close = line.iter().rposition(|&b| b == b')')?;
    line[close + 1..]
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace())
}

pub(crate) fn start(rt: &Arc<Runtime>) {
    let rt2 = rt.clone();
    let h = std::thread::Builder::new()
        .name("gort-sysmon".into())
        .spawn(move || run(&rt2))
        .unwrap_or_else(|e| {
            super::fatal(
                rt,
                &format!("runtime: failed to create new OS thread: {e}"),
                "newosproc",
            )
        });
    rt.sched().threads.push((None, h));
}

fn run(rt: &Arc<Runtime>) {
    // Timer slack in nanoseconds: without it, each 20 µs sleep overshoots by tens of µs. Failure
    // (not Linux) only leaves the ticks coarser.
    // SAFETY: PR_SET_TIMERSLACK takes a plain integer and changes only this thread's timer slack.
    unsafe { libc::prctl(libc::PR_SET_TIMERSLACK, 1_000 as libc::c_ulong) };
    let mut seen = vec![Seen::default(); rt.ps.len()];
    let mut global = Movement::default();
    let mut tick = MIN_TICK;
    let mut quiet_rounds = 0u32;
    let mut next_stack_release = IDLE_RELEASE_NS;
    while rt.timers.sysmon_drive(rt, tick) {
        if rt.phase() == Phase::Stopping {
            break;
        }
        poll_network(rt);
        let retook = retake(rt, &mut seen, &mut global);
        // `retake` has just set the coarse clock.
        if rt.coarse_nanos() >= next_stack_release {
            rt.stacks.release_idle();
            next_stack_release = rt.coarse_nanos() + IDLE_RELEASE_NS;
        }
        if retook {
            tick = MIN_TICK;
            quiet_rounds = 0;
        } else {
            quiet_rounds += 1;
            if quiet_rounds > 50 {
                tick = (tick * 2).min(MAX_TICK);
            }
        }
        if rt.phase() == Phase::Running && rt.npidle.load(Ordering::SeqCst) == rt.ps.len() {
            let report = rt.check_dead(&rt.sched());
            if let Some(report) = report {
                rt.begin_shutdown(Some(report));
            }
        }
    }
}

/// Nobody has polled the network for [`NETPOLL_STALE_NS`] while goroutines wait on it (every M
/// busy with goroutines that do not yield, and none idle to block in the poller): look here, and
/// queue what is ready on the global queue.
fn poll_network(rt: &Arc<Runtime>) {
    let Some(poller) = rt.netpoll_waiting() else {
        return;
    };
    let now = rt.nanos_since_start();
    if poller.is_blocking() || now.saturating_sub(poller.last_poll()) < NETPOLL_STALE_NS {
        return;
    }
    let mut woken = Vec::new();
    poller.poll(Some(Duration::ZERO), now, &mut woken);
    if !woken.is_empty() {
        rt.ready_batch_from_outside(woken.iter().map(|g| &**g));
    }
}

fn retake(rt: &Arc<Runtime>, seen: &mut [Seen], global: &mut Movement) -> bool {
    let now = rt.nanos_since_start();
    rt.coarse_now.store(now, Ordering::Relaxed);
    global.see(rt.global_taken(), now);
    // The global queue's work is not stuck while it is empty or someone took from it lately.
    let global_moved = global.lately(now) || rt.global_len() == 0;
    let mut retook = false;
    let mut stuck_work = false;
    for (i, p) in rt.ps.iter().enumerate() {
        let st = p.state.load(Ordering::SeqCst);
        let s = &mut seen[i];
        let schedtick = p.schedtick.load(Ordering::Relaxed);
        if schedtick != s.schedtick {
            s.schedtick = schedtick;
            // When that G started, as its M stamped it with our own last tick (so at most one
            // tick early; `now` if the stamp is of an older G than the tick we read).
            let since = p.run_since.load(Ordering::Relaxed);
            s.tick_at = if since <= now { since } else { now };
            s.probe_at = 0;
        }
        // Relaxed: a hint, like the thieves' own reads of it.
        s.fifo.see(p.fifo_taken.load(Ordering::Relaxed), now);
        let slice = p.slice.load(Ordering::Relaxed);
        if slice != s.slice {
            s.slice = slice;
            s.slice_at = now;
        }
        let work_waits = p.len() > 0 || rt.global_len() > 0;
        if p.len() > 0 && now.saturating_sub(s.tick_at) > STUCK_NS {
            stuck_work = true;
        }
        let mut blocked = false;
        let running = is_state(st, PState::Running);
        let take = if is_state(st, PState::Syscall) {
            let since = now.saturating_sub(p.syscall_since.load(Ordering::Relaxed));
            since > SYSCALL_RETAKE_NS && (work_waits || since > SLICE_NS)
        } else if running {
            if now.saturating_sub(s.slice_at) > SLICE_NS {
                p.slice_expired.store(true, Ordering::Relaxed);
            }
            let ran = now.saturating_sub(s.tick_at);
            // Stuck: the G has run 10 ms, and for 10 ms nothing has left its P's FIFO, or nothing
            // has left the global queue while it holds work. While other Ms keep taking the work
            // (stealing from the FIFO, running what it overflowed into the global queue), it moves
            // on without a hand-off, which would only add a thread to share the CPUs with: a G
            // spawning a million others lost its P every 10 ms, went on without one, queueing
            // each new G globally, and the whole run slowed (commit 0af2d98).
            let long = ran > SLICE_NS && (!s.fifo.lately(now) || !global_moved);
            // A G stuck 10 ms is probed too, whatever the backoff, so that the count of
            // blocked-thread hand-offs is exact.
            if work_waits && (long || (ran > BLOCKED_PROBE_NS && now >= s.probe_at)) {
                blocked = probe(rt, owner_of(st), s)
                    && p.schedtick.load(Ordering::Relaxed) == s.schedtick;
                if !blocked {
                    // Probe again after a quarter of the time it has run so far: a G that
                    // blocks after running a while loses its P at most 25% later than it
                    // could, and a long CPU-bound G costs a few dozen reads per 10 ms.
                    let gap =
                        (ran / PROBE_BACKOFF_DIV).clamp(PROBE_BACKOFF_MIN_NS, PROBE_BACKOFF_MAX_NS);
                    s.probe_at = now + gap;
                }
            }
            work_waits && (blocked || long)
        } else {
            false
        };
        // The CAS loses if the owner moved on meanwhile (left the syscall, reached a scheduling
        // point): then it keeps its P, as it should. An M switches from one G to the next without
        // a CAS (`MLocal::execute`), so a running G's P takes the longer way (`steal_running`).
        let took = take
            && if running && fence::enabled() {
                let seen = s.schedtick;
                // A thread the kernel reports asleep has made all its stores visible (it passed
                // a full barrier, `set_current_state`, on its way to sleep): one more look at it
                // spares the `membarrier`, whose interrupt costs the threads that do run (a few
                // µs each on this VM, thousands of times a second with eight blocked goroutines).
                steal_running(
                    p,
                    st,
                    seen,
                    || blocked && probe(rt, owner_of(st), s),
                    || rt.wait_out_window(owner_of(st)),
                )
            } else {
                p.state
                    .compare_exchange(
                        st,
                        pack(0, PState::Idle),
                        Ordering::SeqCst,
                        Ordering::SeqCst,
                    )
                    .is_ok()
            };
        if took {
            if blocked {
                rt.sysmon_stats
                    .blocked_handoffs
                    .fetch_add(1, Ordering::Relaxed);
            } else if running {
                rt.sysmon_stats
                    .stuck_handoffs
                    .fetch_add(1, Ordering::Relaxed);
            }
            rt.handoff_p(i);
            retook = true;
        }
    }
    // `ready` does not wake an M for a G it leaves alone in `runnext` (see there). If such a G has
    // waited 1 ms behind a G that runs on, while a P idles and nobody looks for work, wake someone to
    // steal it. (Waking on any queued work would wake an M per tick on a busy runtime, and the steals
    // would break up producer/consumer pairs: skynet ran 1.8x slower at max_procs 2 that way.)
    if stuck_work
        && rt.npidle.load(Ordering::SeqCst) > 0
        && rt.nmspinning.load(Ordering::SeqCst) == 0
    {
        rt.wakep();
    }
    retook
}

/// Takes P `p`, whose state word read `st` (`Running`, owned by an M whose G has not switched since
/// sysmon saw `schedtick` `seen`), for a hand-off; false if its M keeps it. `wait_out` waits until
/// that M's `runnext` window is closed.
///
/// The M switches from one G to the next with a store of `schedtick` and a load of the state word,
/// no locked instruction (`MLocal::execute`). So: mark the word `Stolen`, make every thread pass
/// a full barrier (`fence::heavy`; not needed if `asleep` finds the M's thread asleep in the
/// kernel now), then read `schedtick`. Unchanged: the M has not passed a
/// switch since the barrier, and at its next one it will see `Stolen`; the P is ours. Changed: the
/// M switched, and may have seen the word before or after our mark, so give it back with a CAS,
/// which fails only if the M saw the mark and gave the P up (`Released`) first; then it is ours.
fn steal_running(
    p: &P,
    st: u64,
    seen: u64,
    asleep: impl FnOnce() -> bool,
    wait_out: impl FnOnce(),
) -> bool {
    let owner = owner_of(st);
    let stolen = pack(owner, PState::Stolen);
    let released = pack(owner, PState::Released);
    // SeqCst throughout: every change of the word is ordered with every other.
    if p.state
        .compare_exchange(st, stolen, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return false;
    }
    // Either the M's thread is asleep now (so whatever it stored is visible to us), or every
    // thread passes a barrier before `heavy` returns.
    let fenced = asleep() || fence::heavy();
    let switched = p.schedtick.load(Ordering::SeqCst) != seen;
    if (switched || !fenced)
        && p.state
            .compare_exchange(stolen, st, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    {
        return false;
    }
    // The P is ours, marked `Stolen` (by us) or `Released` (by its M): only we change it now. An
    // M that checked it still owned the P just before our mark may be inside a `runnext` window:
    // past the barrier (or with its thread asleep in the kernel), waiting it out is enough.
    wait_out();
    let idle = pack(0, PState::Idle);
    if p.state
        .compare_exchange(stolen, idle, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        debug_assert_eq!(p.state.load(Ordering::SeqCst), released);
        p.state.store(idle, Ordering::SeqCst);
    }
    true
}

/// True if M `owner`'s thread sleeps in the kernel; false if it runs or cannot be told.
fn probe(rt: &Runtime, owner: u64, s: &mut Seen) -> bool {
    if s.m.as_ref().is_none_or(|m| m.id != owner) {
        s.m = rt.sched().all_ms.iter().find(|m| m.id == owner).cloned();
    }
    s.m.as_ref()
        .and_then(|m| m.probe.blocked_in_kernel(&rt.sysmon_stats))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::parse_state;

    #[test]
    fn parse_state_finds_the_letter_after_the_last_paren() {
        assert_eq!(parse_state(b"123 (gort-m1) S 1 2 3"), Some(b'S'));
        assert_eq!(parse_state(b"7 (a) b) (c) R 0 0"), Some(b'R'));
        assert_eq!(parse_state(b"9 (sp ace)  D 1"), Some(b'D'));
        assert_eq!(parse_state(b"9 (no end"), None);
        assert_eq!(parse_state(b"9 (x)"), None);
    }
}
