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
use std::sync::Arc;

use crate::sched::g::{Status, G};

const MINUTE_NS: u64 = 60_000_000_000;

pub(crate) fn format(gs: &[Arc<G>], now_ns: u64, current: Option<u64>) -> String {
    let mut out = String::new();
    for (i, g) in gs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        block(&mut out, g, now_ns, current == Some(g.id()));
    }
    out
}

fn block(out: &mut String, g: &G, now_ns: u64, is_current: bool) {
    let (reason, since, at) = g.wait_info();
    let status = if is_current {
        Status::Running
    } else {
        g.status()
    };
    let mut head = match status {
        Status::Running => "running".to_string(),
        Status::Runnable => "runnable".to_string(),
        Status::Syscall => "syscall".to_string(),
        Status::Waiting => reason.as_str().to_string(),
        Status::Dead => "dead".to_string(),
    };
    if matches!(status, Status::Waiting | Status::Syscall) {
        let minutes = now_ns.saturating_sub(since) / MINUTE_NS;
        if minutes >= 1 {
            let _ = write!(head, ", {minutes} minutes");
        }
    }
    if g.is_wired() {
        head.push_str(", locked to thread");
    }
    let _ = writeln!(out, "goroutine {} [{}]:", g.id(), head);
    if let (Status::Waiting | Status::Syscall, Some(at)) = (status, at) {
        let _ = writeln!(
            out,
            "gort: blocked at\n\t{}:{}:{}",
            at.file(),
            at.line(),
            at.column()
        );
    }
    if g.id() != 1 && g.parent() == 0 {
        let c = g.created_at();
        let _ = writeln!(
            out,
            "created by gort::Handle::spawn outside the runtime\n\t{}:{}:{}",
            c.file(),
            c.line(),
            c.column()
        );
    } else if g.id() != 1 {
        let c = g.created_at();
        let _ = writeln!(
            out,
            "created by gort::spawn in goroutine {}\n\t{}:{}:{}",
            g.parent(),
            c.file(),
            c.line(),
            c.column()
        );
    }
}
