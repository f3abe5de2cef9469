//! Per-tracee state, on both sides of the channel.
//!
//! Design: the tracer keeps a [`TracerSide`] per thread id — whether it is inside a syscall (ptrace
//! reports entry and exit stops identically, so the tracer toggles), which syscall, and where it is in the
//! attach/detach protocol. The formatter keeps a [`FormatterSide`] per thread id — the pending syscall
//! whose entry has been printed, when it entered (for `-T` and `-c`), and whether its line was cut short
//! with `<unfinished ...>` so the exit must print `<... name resumed>`. The two never share memory.

use crate::event::Stamp;
use crate::qualify::Injection;
use std::collections::HashMap;

/// What the tracer knows about one tracee.
#[derive(Clone, Debug, Default)]
pub struct TracerSide {
    /// Between a syscall-entry stop and its exit stop.
    pub in_syscall: bool,
    /// The syscall being executed (valid while `in_syscall`).
    pub nr: u64,
    /// Its arguments.
    pub args: [u64; 6],
    /// Whether the syscall is being reported (passes the `-e trace=` filter).
    pub reported: bool,
    /// Attached with `PTRACE_SEIZE` (so `PTRACE_INTERRUPT` works) rather than `TRACEME`/auto-attach.
    pub seized: bool,
    /// The first stop of a new tracee has not been seen yet; it must be swallowed.
    pub awaiting_first_stop: bool,
    /// A detach has been requested and we are waiting for a stop to detach at.
    pub detaching: bool,
    /// We sent a `SIGSTOP` to stop it for detaching.
    pub sent_sigstop: bool,
    /// How many times each syscall with an `-e inject=` rule has been entered (by number).
    pub inject_counts: HashMap<u64, u64>,
    /// The injection applied to the syscall in progress.
    pub injected: Option<Injection>,
    /// `-e inject=...:poke_*=` wrote into the memory of the syscall in progress.
    pub poked: bool,
    /// What to write when the syscall in progress returns (`poke_exit=`).
    pub exit_pokes: Vec<crate::qualify::Poke>,
    /// A seccomp stop has shown the tracee has the `--seccomp-bpf` filter.
    pub seccomp: bool,
    /// The started command has not reached its first `execve` yet.
    pub before_exec: bool,
    /// Under `--decode-pids`, the memory fetched at entry (what the exit's text may also show).
    pub entry_mem: Option<crate::decode::Mem>,
}

/// A syscall whose entry has been seen by the formatter.
#[derive(Clone, Debug)]
pub struct Pending {
    /// Syscall number.
    pub nr: u64,
    /// Arguments.
    pub args: [u64; 6],
    /// Entry time.
    pub entered: Stamp,
    /// The entry text has been printed and the line was closed with `<unfinished ...>`.
    pub unfinished: bool,
    /// The line waits for the return before anything is printed (`-z`, `-Z`, `-e status=`).
    pub deferred: bool,
    /// The memory fetched at entry: the entry half of a deferred line, and the values an in/out
    /// argument had before the call (`[110 => 24]`).
    pub entry_mem: crate::decode::Mem,
}

/// What the formatter knows about one tracee.
#[derive(Clone, Debug, Default)]
pub struct FormatterSide {
    /// The syscall in progress, if any.
    pub pending: Option<Pending>,
    /// The number of the latest syscall the tracee entered, traced or not (`-n`).
    pub last_nr: u64,
    /// The tracee's name, shown after its pid under `--decode-pids=comm`.
    pub comm: Vec<u8>,
}
