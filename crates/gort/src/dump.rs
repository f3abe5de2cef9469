//! `gort::dump()`: every goroutine, in the layout of Go's goroutine dumps (semantics 4.5).
//!
//! ```text
//! goroutine 7 [chan receive, 2 minutes, locked to thread]:
//! gort: blocked at
//! <TAB>src/main.rs:12:17
//! created by gort::spawn in goroutine 1
//! <TAB>src/main.rs:10:5
//! ```
//! Rust has no cheap way to walk another coroutine's stack, so each block names the source location
//! where the goroutine blocked (`#[track_caller]` through gort's blocking calls) and where it was spawned.

use std::fmt::Write;
use std::panic::Location;

use crate::wait_reason::WaitReason;

const MINUTE_NS: u64 = 60_000_000_000;

/// What a goroutine is doing, as the dump shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    Running,
    Runnable,
    Waiting(WaitReason),
    Syscall,
    Dead,
}

/// One goroutine as the dump shows it: a snapshot the scheduler takes (`G::view`), so that
/// formatting depends on nothing of the scheduler's.
pub(crate) struct GoroutineView {
    pub(crate) id: u64,
    /// 0: spawned from outside the runtime.
    pub(crate) parent: u64,
    pub(crate) state: State,
    /// When it started waiting (runtime nanoseconds).
    pub(crate) since: u64,
    /// Where it blocked, if it is waiting.
    pub(crate) blocked_at: Option<&'static Location<'static>>,
    pub(crate) wired: bool,
    pub(crate) created_at: &'static Location<'static>,
}

pub(crate) fn format(gs: &[GoroutineView], now_ns: u64) -> String {
    let mut out = String::new();
    for (i, g) in gs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        block(&mut out, g, now_ns);
    }
    out
}

fn block(out: &mut String, g: &GoroutineView, now_ns: u64) {
    let mut head = match g.state {
        State::Running => "running".to_string(),
        State::Runnable => "runnable".to_string(),
        State::Syscall => "syscall".to_string(),
        State::Waiting(reason) => reason.as_str().to_string(),
        State::Dead => "dead".to_string(),
    };
    let waits = matches!(g.state, State::Waiting(_) | State::Syscall);
    if waits {
        let minutes = now_ns.saturating_sub(g.since) / MINUTE_NS;
        if minutes >= 1 {
            let _ = write!(head, ", {minutes} minutes");
        }
    }
    if g.wired {
        head.push_str(", locked to thread");
    }
    let _ = writeln!(out, "goroutine {} [{}]:", g.id, head);
    if let (true, Some(at)) = (waits, g.blocked_at) {
        let _ = writeln!(
            out,
            "gort: blocked at\n\t{}:{}:{}",
            at.file(),
            at.line(),
            at.column()
        );
    }
    let c = g.created_at;
    if g.id != 1 && g.parent == 0 {
        let _ = writeln!(
            out,
            "created by gort::Handle::spawn outside the runtime\n\t{}:{}:{}",
            c.file(),
            c.line(),
            c.column()
        );
    } else if g.id != 1 {
        let _ = writeln!(
            out,
            "created by gort::spawn in goroutine {}\n\t{}:{}:{}",
            g.parent,
            c.file(),
            c.line(),
            c.column()
        );
    }
}
