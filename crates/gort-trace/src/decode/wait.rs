//! `wait4` and `waitid`: the resource usage and `siginfo_t` they write.
//!
//! Design: `wait4` writes a `struct rusage` only when it reaped a child (a positive result), so strace
//! shows the address otherwise; `waitid` writes its `siginfo_t` (`{}` when no child changed state) and
//! its usage on every success.

use super::custom::{self, Ctx, CustomArg, Fetches, Phase};
use super::structs;
use super::xlat::Xlat;
use super::FetchKind;

/// `waitid`'s id types.
pub const ID_TYPES: Xlat = Xlat::hex(
    &[(0, "P_ALL"), (1, "P_PID"), (2, "P_PGID"), (3, "P_PIDFD")],
    "P_???",
);

const RUSAGE_SIZE: usize = 144;
const SIGINFO_SIZE: usize = 128;

fn plan_struct(c: &Ctx, len: usize, out: &mut Vec<super::FetchReq>) {
    if !c.failed() && c.v() != 0 {
        out.push(c.req(c.v(), FetchKind::Bytes { len }));
    }
}

fn render_rusage(c: &Ctx, m: &Fetches, out: &mut String) {
    match m.bytes(c.i) {
        Some(b) if !c.failed() && b.len() == RUSAGE_SIZE => {
            structs::rusage_into(out, b, c.opts.verbose)
        }
        _ => custom::ptr(out, c.v()),
    }
}

/// `wait4`'s usage, written when a child was reaped.
pub const WAIT4_RUSAGE: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| {
        if matches!(c.ret, Some(r) if r > 0) {
            plan_struct(c, RUSAGE_SIZE, out)
        }
    },
    render: |c, m, out| {
        if matches!(c.ret, Some(r) if r > 0) {
            render_rusage(c, m, out)
        } else {
            custom::ptr(out, c.v())
        }
    },
};

/// `waitid`'s usage.
pub const RUSAGE: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| plan_struct(c, RUSAGE_SIZE, out),
    render: render_rusage,
};

/// `waitid`'s `siginfo_t`.
pub const SIGINFO: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| plan_struct(c, SIGINFO_SIZE, out),
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if !c.failed() && b.len() == SIGINFO_SIZE => {
            if b[..4] == [0; 4] {
                out.push_str("{}");
            } else {
                structs::siginfo_into(out, b)
            }
        }
        _ => custom::ptr(out, c.v()),
    },
};
