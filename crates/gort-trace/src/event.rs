//! Events sent from the tracer goroutine to the formatter goroutine.
//!
//! Design: an event is plain owned data (`Send`), carrying everything the formatter needs — registers,
//! timestamps and the tracee memory already fetched by the tracer — so formatting never needs to reach
//! back into the tracee. Events travel in batches (`Vec<Event>`) to amortise channel operations when the
//! tracee produces stops faster than one per wake-up.

use crate::decode::Mem;
use crate::ptrace::Pid;

/// When a stop was observed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    /// `CLOCK_MONOTONIC` nanoseconds (for `-T` and `-c`).
    pub mono_ns: u64,
    /// `CLOCK_REALTIME` nanoseconds (for `-tt`); 0 when not recorded.
    pub wall_ns: u64,
    /// The tracee's system CPU time so far, in nanoseconds (for `-c`, as strace counts it).
    pub cpu_ns: u64,
}

/// `CLOCK_MONOTONIC` in nanoseconds.
pub fn mono_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer; the clock id is a valid constant.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

impl Stamp {
    /// Reads the clocks; the wall clock only when `wall` is set.
    pub fn now(wall: bool) -> Stamp {
        let read = |clock| {
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: `ts` is a valid out-pointer; the clock ids are valid constants.
            unsafe { libc::clock_gettime(clock, &mut ts) };
            ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
        };
        Stamp {
            mono_ns: read(libc::CLOCK_MONOTONIC),
            wall_ns: if wall { read(libc::CLOCK_REALTIME) } else { 0 },
            cpu_ns: 0,
        }
    }
}

/// One thing that happened to a tracee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A new tracee appeared (attached, or created under `-f`).
    Attached {
        /// Its thread id.
        pid: Pid,
    },
    /// Syscall entry.
    Entry {
        /// Thread id.
        pid: Pid,
        /// Time of the stop.
        at: Stamp,
        /// Syscall number.
        nr: u64,
        /// Arguments.
        args: [u64; 6],
        /// Memory fetched for the entry half.
        mem: Mem,
    },
    /// Syscall exit.
    Exit {
        /// Thread id.
        pid: Pid,
        /// Time of the stop.
        at: Stamp,
        /// Syscall number.
        nr: u64,
        /// Return value (`rax`).
        ret: i64,
        /// Memory fetched for the exit half.
        mem: Mem,
        /// The call was skipped and its return value set by `-e inject=`.
        injected: bool,
        /// `-e inject=...:poke_enter=/poke_exit=` wrote into memory its arguments point to.
        poked: bool,
    },
    /// A signal is being delivered.
    Signal {
        /// Thread id.
        pid: Pid,
        /// Time of the stop.
        at: Stamp,
        /// The raw `siginfo_t`.
        info: Box<[u8; 128]>,
        /// What `--decode-pids` adds to the ids in it.
        pids: crate::decode::pid::PidNotes,
    },
    /// The tracee entered a group-stop.
    Stopped {
        /// Thread id.
        pid: Pid,
        /// Time.
        at: Stamp,
        /// The stopping signal.
        sig: i32,
    },
    /// A non-leader thread exec'd and took over the leader's pid.
    Superseded {
        /// The thread group leader (new pid of the exec'ing thread).
        pid: Pid,
        /// The thread that called `execve`.
        former: Pid,
        /// Time of the exec event.
        at: Stamp,
    },
    /// The tracee is about to die (`PTRACE_EVENT_EXIT`): the syscall it is in will not return.
    Exiting {
        /// Thread id.
        pid: Pid,
        /// Time.
        at: Stamp,
    },
    /// The tracee exited.
    Exited {
        /// Thread id.
        pid: Pid,
        /// Time.
        at: Stamp,
        /// Exit code.
        code: i32,
    },
    /// The tracee was killed by a signal.
    Killed {
        /// Thread id.
        pid: Pid,
        /// Time.
        at: Stamp,
        /// The signal.
        sig: i32,
        /// Whether it dumped core.
        core: bool,
    },
    /// The latest syscall a tracee entered, sent under `-n` before a line that is not a syscall's
    /// (the syscall may not have been traced).
    LastSyscall {
        /// Thread id.
        pid: Pid,
        /// Syscall number.
        nr: u64,
    },
    /// A process the kernel attached without being asked (`CLONE_PTRACE` without `-f`) was let go.
    DetachedUnknown {
        /// Its thread id.
        pid: Pid,
    },
    /// The tracee's name (`/proc/PID/comm`), sent under `--decode-pids=comm` when it starts and when
    /// it changes (a successful `execve`, `prctl(PR_SET_NAME)`).
    Comm {
        /// Thread id.
        pid: Pid,
        /// The name; empty when it could not be read.
        comm: Vec<u8>,
    },
    /// The tracee was detached (on SIGINT/SIGTERM); it keeps running.
    Detached {
        /// Thread id.
        pid: Pid,
    },
}
