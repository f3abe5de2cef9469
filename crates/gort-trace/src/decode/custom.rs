//! Arguments and return values that a syscall family's own module decodes.
//!
//! Design: the [`Arg`](super::spec::Arg) kinds of spec.rs cover what many syscalls share (descriptors,
//! paths, flag words of a table, common structures). A family with structures of its own (memory
//! policies, the mount API, landlock rules...) keeps its decoding in its own module and describes each
//! such argument once as a [`CustomArg`]: when it is printed ([`Phase`]), which tracee memory it needs,
//! and how it prints. The table in spec.rs names it with `Arg::Custom(&module::NAME)`, so the table
//! stays one line per syscall and the family's code stays in its file. A [`CustomRet`] does the same
//! for a return value printed with more than a number.
//!
//! A custom argument's reads are stored under its own argument index ([`Ctx::req`]); one that needs
//! several reads labels the others with [`extra_slot`], which never collides with an argument's.

use super::{FetchKind, FetchReq, Fetched, Mem, Opts};
use std::fmt::Write;

/// When a custom argument is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// At entry (the kernel only reads it).
    Entry,
    /// At exit (the kernel writes it): later arguments are printed at exit too.
    Exit,
    /// At entry, and again at exit (` => ...`) for what the kernel wrote back.
    InOut,
}

/// What a custom argument's decoder sees.
pub struct Ctx<'a> {
    /// The argument's index.
    pub i: usize,
    /// The syscall's registers.
    pub args: &'a [u64; 6],
    /// `None` at entry, the return value at exit.
    pub ret: Option<i64>,
    /// Printing options.
    pub opts: &'a Opts,
}

impl Ctx<'_> {
    /// The argument's register.
    pub fn v(&self) -> u64 {
        self.args[self.i]
    }

    /// Whether the call has returned an error.
    pub fn failed(&self) -> bool {
        matches!(self.ret, Some(r) if r < 0)
    }

    /// A read at `addr` stored under this argument's index.
    pub fn req(&self, addr: u64, kind: FetchKind) -> FetchReq {
        FetchReq {
            slot: self.i as u8,
            addr,
            kind,
        }
    }
}

/// The slot of a custom argument's `k`-th additional read (`k` < 8), beyond every argument's own.
pub fn extra_slot(i: usize, k: usize) -> u8 {
    (16 + 8 * i + k) as u8
}

/// The memory a custom argument reads: what was fetched at the stop being printed, and at entry.
pub struct Fetches<'a> {
    /// Fetched at this stop.
    pub now: &'a Mem,
    /// Fetched at entry (the same as `now` when printing at entry).
    pub entry: &'a Mem,
}

impl Fetches<'_> {
    /// The bytes fetched at this stop for `slot`, if they were readable.
    pub fn bytes(&self, slot: usize) -> Option<&[u8]> {
        match self.now.get(slot) {
            Some(Fetched::Bytes(b)) => Some(b),
            _ => None,
        }
    }

    /// The bytes fetched at entry for `slot`, if they were readable.
    pub fn entry_bytes(&self, slot: usize) -> Option<&[u8]> {
        match self.entry.get(slot) {
            Some(Fetched::Bytes(b)) => Some(b),
            _ => None,
        }
    }
}

/// An argument decoded by a family module.
#[derive(Debug)]
pub struct CustomArg {
    /// When it is printed.
    pub phase: Phase,
    /// Adds the memory it needs at this stop (entry when `ctx.ret` is `None`).
    pub plan: fn(&Ctx, &mut Vec<FetchReq>),
    /// Appends its text at this stop. For [`Phase::InOut`] at exit, only the ` => ...` part.
    pub render: fn(&Ctx, &Fetches, &mut String),
}

/// Two descriptions are the same argument kind when they print with the same function at the same time.
impl PartialEq for CustomArg {
    fn eq(&self, other: &Self) -> bool {
        self.phase == other.phase && std::ptr::fn_addr_eq(self.render, other.render)
    }
}

impl Eq for CustomArg {}

/// A return value decoded by a family module.
#[derive(Debug)]
pub struct CustomRet {
    /// Adds the memory it needs at exit (stored under [`RET_EXTRA`]-based slots).
    pub plan: fn(&[u64; 6], i64, &Opts, &mut Vec<FetchReq>),
    /// Appends the text after `= ` for a successful call (errors are printed by the caller).
    pub render: fn(&[u64; 6], i64, &Mem, &Opts, &mut String),
}

/// Two descriptions are the same when they print with the same function.
impl PartialEq for CustomRet {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.render, other.render)
    }
}

impl Eq for CustomRet {}

/// The first slot a custom return value's reads may use.
pub const RET_EXTRA: u8 = 8;

/// A plan that reads nothing.
pub fn no_plan(_: &Ctx, _: &mut Vec<FetchReq>) {}

/// A return plan that reads nothing.
pub fn no_ret_plan(_: &[u64; 6], _: i64, _: &Opts, _: &mut Vec<FetchReq>) {}

/// A pointer as strace prints one: `NULL` or `0x7ffc...`.
pub fn ptr(out: &mut String, v: u64) {
    if v == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{v:#x}");
    }
}
