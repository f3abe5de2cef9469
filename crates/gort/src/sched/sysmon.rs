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
//! - takes the P of a G that has run 10 ms without a scheduling point while work waits: the G keeps its
//!   thread, the P and its queue move on (gort never interrupts a running G);
//! - marks a P's time slice expired after 10 ms, so a ping-pong pair sharing one slice through
//!   `runnext` goes to the queue tail and cannot starve others (1.5);
//! - runs the deadlock check when every P is idle (an M going idle runs it too, but a thread outside the
//!   runtime may have held it off then).
//!
//! The tick starts at 20 µs and doubles after 1 ms without anything to do, up to 5 ms, like Go's.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use super::p::{pack, PState};
use super::{Runtime, PHASE_RUNNING, PHASE_STOPPING};

const SYSCALL_RETAKE_NS: u64 = 20_000;
const SLICE_NS: u64 = 10_000_000;
/// Work queued behind a G that has run this long without a scheduling point gets an M to steal it.
const STUCK_NS: u64 = 1_000_000;
const MIN_TICK: Duration = Duration::from_micros(20);
const MAX_TICK: Duration = Duration::from_millis(5);

#[derive(Clone, Copy, Default)]
struct Seen {
    schedtick: u64,
    tick_at: u64,
    slice: u64,
    slice_at: u64,
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
    let mut seen = vec![Seen::default(); rt.ps.len()];
    let mut tick = MIN_TICK;
    let mut quiet_rounds = 0u32;
    while rt.timers.sysmon_drive(rt, tick) {
        if rt.phase() == PHASE_STOPPING {
            break;
        }
        let retook = retake(rt, &mut seen);
        if retook {
            tick = MIN_TICK;
            quiet_rounds = 0;
        } else {
            quiet_rounds += 1;
            if quiet_rounds > 50 {
                tick = (tick * 2).min(MAX_TICK);
            }
        }
        if rt.phase() == PHASE_RUNNING && rt.npidle.load(Ordering::SeqCst) == rt.ps.len() {
            let report = rt.check_dead(&rt.sched());
            if let Some(report) = report {
                rt.begin_shutdown(Some(report));
            }
        }
    }
}

fn retake(rt: &Arc<Runtime>, seen: &mut [Seen]) -> bool {
    let now = rt.nanos_since_start();
    rt.coarse_now.store(now, Ordering::Relaxed);
    let mut retook = false;
    let mut stuck_work = false;
    for (i, p) in rt.ps.iter().enumerate() {
        let st = p.state.load(Ordering::SeqCst);
        let s = &mut seen[i];
        let schedtick = p.schedtick.load(Ordering::Relaxed);
        if schedtick != s.schedtick {
            s.schedtick = schedtick;
            s.tick_at = now;
        }
        let slice = p.slice.load(Ordering::Relaxed);
        if slice != s.slice {
            s.slice = slice;
            s.slice_at = now;
        }
        let work_waits = p.len() > 0 || rt.global_len() > 0;
        if p.len() > 0 && now.saturating_sub(s.tick_at) > STUCK_NS {
            stuck_work = true;
        }
        let take = match st % 4 {
            x if x == PState::Syscall as u64 => {
                let since = now.saturating_sub(p.syscall_since.load(Ordering::Relaxed));
                since > SYSCALL_RETAKE_NS && (work_waits || since > SLICE_NS)
            }
            x if x == PState::Running as u64 => {
                if now.saturating_sub(s.slice_at) > SLICE_NS {
                    p.slice_expired.store(true, Ordering::Relaxed);
                }
                now.saturating_sub(s.tick_at) > SLICE_NS && work_waits
            }
            _ => false,
        };
        // The CAS loses if the owner moved on meanwhile (left the syscall, reached a scheduling
        // point): then it keeps its P, as it should.
        if take
            && p.state
                .compare_exchange(
                    st,
                    pack(0, PState::Idle),
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
        {
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
