//! `rt_sigqueueinfo`, `rt_tgsigqueueinfo` and `rt_sigtimedwait`: the `siginfo_t` a process sends, the
//! signal set of a size given by another argument, and the signal a wait returns.
//!
//! Design: the structures themselves are printed by structs.rs (`siginfo_into`, `sigset_into`); this
//! module says when they are read: a signal set only when its size is the kernel's 8 bytes (its
//! address otherwise), and the returned signal named after its number.

use super::custom::{self, CustomArg, CustomRet, Phase};
use super::flags::{signal_name, sigset_into};
use super::structs::siginfo_into;
use super::FetchKind;
use std::fmt::Write;

/// The kernel's signal set size.
const SIGSET_SIZE: u64 = 8;
const SIGINFO_SIZE: usize = 128;

/// A `siginfo_t` the kernel reads.
pub const SIGINFO_IN: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        if c.v() != 0 {
            out.push(c.req(c.v(), FetchKind::Bytes { len: SIGINFO_SIZE }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if b.len() == SIGINFO_SIZE => siginfo_into(out, b),
        _ => custom::ptr(out, c.v()),
    },
};

/// A signal set whose size is the fourth argument.
pub const SIGSET_SIZED_BY_ARG3: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        if c.v() != 0 && c.args[3] == SIGSET_SIZE {
            out.push(c.req(c.v(), FetchKind::Bytes { len: 8 }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if c.args[3] == SIGSET_SIZE => sigset_into(
            out,
            u64::from_ne_bytes(b[..8].try_into().unwrap_or_default()),
        ),
        _ => custom::ptr(out, c.v()),
    },
};

/// A signal number returned: `10 (SIGUSR1)`.
pub const SIGNAL_RET: CustomRet = CustomRet {
    plan: custom::no_ret_plan,
    render: |_, ret, _, _, out| {
        let _ = write!(out, "{ret}");
        if ret != 0 {
            let _ = write!(out, " ({})", signal_name(ret as i32));
        }
    },
};

/// A signal set whose size is the next argument (`ppoll`, `epoll_pwait`); printed after a failed
/// call (`epoll_pwait2`) it is its address.
pub const SIGSET_SIZED_BY_NEXT: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        if c.v() != 0 && c.args[c.i + 1] == SIGSET_SIZE {
            out.push(c.req(c.v(), FetchKind::Bytes { len: 8 }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if !c.failed() && c.args[c.i + 1] == SIGSET_SIZE => sigset_into(
            out,
            u64::from_ne_bytes(b[..8].try_into().unwrap_or_default()),
        ),
        _ => custom::ptr(out, c.v()),
    },
};
