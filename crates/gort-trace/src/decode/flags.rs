//! Symbolic names for flag words, signals and errors.
//!
//! Design: each flag set is an ordered slice of `(bits, name)` pairs in the order strace prints them;
//! [`flags_into`] consumes matching bits left to right and prints what is left in hex, so an unknown bit is
//! never lost. Errno *names* come from the `syscalls` crate and descriptions from the C library's
//! `strerror_r` (the text strace prints); the kernel-internal restart codes get strace's wording.

use std::fmt::Write;

/// An ordered flag table: bits and the name strace prints for them.
pub type FlagTable = &'static [(u64, &'static str)];

/// Flags of `open`/`openat` after the access mode, in strace's order.
pub const OPEN_FLAGS: FlagTable = &[
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o4010000, "O_SYNC"),
    (0o4000000, "__O_SYNC"),
    (0o10000, "O_DSYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o10000000, "O_PATH"),
    (0o20200000, "O_TMPFILE"),
    (0o20000000, "__O_TMPFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o20000, "FASYNC"),
];

/// `O_CREAT`, whose presence makes `open` take a mode argument.
pub const O_CREAT: u64 = 0o100;
/// The private bit of `O_TMPFILE`, which also makes `open` take a mode argument.
pub const O_TMPFILE_BIT: u64 = 0o20000000;

/// `mmap` flags after the mapping type.
pub const MMAP_FLAGS: FlagTable = &[
    (0x10, "MAP_FIXED"),
    (0x20, "MAP_ANONYMOUS"),
    (0x40, "MAP_32BIT"),
    (0x4000, "MAP_NORESERVE"),
    (0x8000, "MAP_POPULATE"),
    (0x10000, "MAP_NONBLOCK"),
    (0x100, "MAP_GROWSDOWN"),
    (0x800, "MAP_DENYWRITE"),
    (0x1000, "MAP_EXECUTABLE"),
    (0x2000, "MAP_LOCKED"),
    (0x20000, "MAP_STACK"),
    (0x40000, "MAP_HUGETLB"),
    (0x80000, "MAP_SYNC"),
    (0x100000, "MAP_FIXED_NOREPLACE"),
];

/// Memory protection bits.
pub const PROT_FLAGS: FlagTable = &[
    (0x1, "PROT_READ"),
    (0x2, "PROT_WRITE"),
    (0x4, "PROT_EXEC"),
    (0x8, "PROT_SEM"),
    (0x0100_0000, "PROT_GROWSDOWN"),
    (0x0200_0000, "PROT_GROWSUP"),
];

/// `clone` flags (the low byte is the exit signal and is printed separately).
pub const CLONE_FLAGS: FlagTable = &[
    (0x100, "CLONE_VM"),
    (0x200, "CLONE_FS"),
    (0x400, "CLONE_FILES"),
    (0x800, "CLONE_SIGHAND"),
    (0x1000, "CLONE_PIDFD"),
    (0x2000, "CLONE_PTRACE"),
    (0x4000, "CLONE_VFORK"),
    (0x8000, "CLONE_PARENT"),
    (0x10000, "CLONE_THREAD"),
    (0x20000, "CLONE_NEWNS"),
    (0x40000, "CLONE_SYSVSEM"),
    (0x80000, "CLONE_SETTLS"),
    (0x100000, "CLONE_PARENT_SETTID"),
    (0x200000, "CLONE_CHILD_CLEARTID"),
    (0x400000, "CLONE_DETACHED"),
    (0x800000, "CLONE_UNTRACED"),
    (0x1000000, "CLONE_CHILD_SETTID"),
    (0x2000000, "CLONE_NEWCGROUP"),
    (0x4000000, "CLONE_NEWUTS"),
    (0x8000000, "CLONE_NEWIPC"),
    (0x10000000, "CLONE_NEWUSER"),
    (0x20000000, "CLONE_NEWPID"),
    (0x40000000, "CLONE_NEWNET"),
    (0x80000000, "CLONE_IO"),
];

/// `sigaction` flags, in strace's order.
pub const SA_FLAGS: FlagTable = &[
    (0x0400_0000, "SA_RESTORER"),
    (0x0800_0000, "SA_ONSTACK"),
    (0x1000_0000, "SA_RESTART"),
    (0x4000_0000, "SA_NODEFER"),
    (0x8000_0000, "SA_RESETHAND"),
    (4, "SA_SIGINFO"),
    (1, "SA_NOCLDSTOP"),
    (2, "SA_NOCLDWAIT"),
];

/// A 64-bit signal set as strace prints it: `[CHLD PIPE]`, or `~[RTMIN RT_1]` when most signals are in it.
pub fn sigset_into(out: &mut String, mask: u64) {
    let complement = mask.count_ones() > 32;
    let shown = if complement { !mask } else { mask };
    if complement {
        out.push('~');
    }
    out.push('[');
    let mut first = true;
    for sig in 1..=64 {
        if shown & (1u64 << (sig - 1)) != 0 {
            if !first {
                out.push(' ');
            }
            first = false;
            let name = signal_name(sig);
            out.push_str(name.strip_prefix("SIG").unwrap_or(&name));
        }
    }
    out.push(']');
}

/// `access` mode bits.
pub const ACCESS_FLAGS: FlagTable = &[(4, "R_OK"), (2, "W_OK"), (1, "X_OK")];

/// `*at` flags.
pub const AT_FLAGS: FlagTable = &[
    (0x100, "AT_SYMLINK_NOFOLLOW"),
    (0x200, "AT_REMOVEDIR"),
    (0x400, "AT_SYMLINK_FOLLOW"),
    (0x800, "AT_NO_AUTOMOUNT"),
    (0x1000, "AT_EMPTY_PATH"),
    (0x8000, "AT_RECURSIVE"),
];

/// `statx` mask bits (`STATX_BASIC_STATS` is all of the first eleven).
pub const STATX_MASK: FlagTable = &[
    (0x7ff, "STATX_BASIC_STATS"),
    (0x1, "STATX_TYPE"),
    (0x2, "STATX_MODE"),
    (0x4, "STATX_NLINK"),
    (0x8, "STATX_UID"),
    (0x10, "STATX_GID"),
    (0x20, "STATX_ATIME"),
    (0x40, "STATX_MTIME"),
    (0x80, "STATX_CTIME"),
    (0x100, "STATX_INO"),
    (0x200, "STATX_SIZE"),
    (0x400, "STATX_BLOCKS"),
    (0x800, "STATX_BTIME"),
    (0x1000, "STATX_MNT_ID"),
    (0x2000, "STATX_DIOALIGN"),
    (0x4000, "STATX_MNT_ID_UNIQUE"),
];

/// `statx` flags: the sync type (bits 0x6000, `AT_STATX_SYNC_AS_STAT` when clear, as strace
/// prints it) and then the `*at` flags.
pub fn statx_flags_into(out: &mut String, value: u64) {
    let value = value & 0xffff_ffff;
    out.push_str(match value & 0x6000 {
        0x2000 => "AT_STATX_FORCE_SYNC",
        0x4000 => "AT_STATX_DONT_SYNC",
        0x6000 => "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC",
        _ => "AT_STATX_SYNC_AS_STAT",
    });
    let rest = value & !0x6000;
    if rest != 0 {
        out.push('|');
        flags_into(out, rest, AT_FLAGS, "0");
    }
}

/// Writes `value` as `A|B|0x..` using `table`; writes `zero` when nothing is set.
pub fn flags_into(out: &mut String, value: u64, table: FlagTable, zero: &str) {
    if value == 0 {
        out.push_str(zero);
        return;
    }
    let mut rest = value;
    let mut first = true;
    for &(bits, name) in table {
        if rest & bits == bits && bits != 0 {
            if !first {
                out.push('|');
            }
            out.push_str(name);
            first = false;
            rest &= !bits;
        }
    }
    if rest != 0 {
        if !first {
            out.push('|');
        }
        let _ = write!(out, "{rest:#x}");
    }
}

/// Writes `open` flags: access mode first (`O_RDONLY`, `O_WRONLY`, `O_RDWR`), then the rest.
pub fn open_flags_into(out: &mut String, flags: u64) {
    let flags = flags & 0xffff_ffff;
    out.push_str(match flags & 3 {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        2 => "O_RDWR",
        _ => "O_ACCMODE",
    });
    let rest = flags & !3;
    if rest != 0 {
        out.push('|');
        flags_into(out, rest, OPEN_FLAGS, "");
    }
}

/// Writes `mmap` flags in the `-X` style: the mapping type (the low four bits: `MAP_PRIVATE`, or
/// `0xf /* MAP_??? */`), the other flags, then a huge page size (`21<<MAP_HUGE_SHIFT`).
pub fn mmap_flags_into(out: &mut String, flags: u64) {
    const MAP_TYPE: u64 = 0xf;
    const HUGE_SHIFT: u32 = 26;
    const HUGE_MASK: u64 = 0x3f << HUGE_SHIFT;
    let mut names = String::new();
    match flags & MAP_TYPE {
        0 => names.push_str("MAP_FILE"),
        1 => names.push_str("MAP_SHARED"),
        2 => names.push_str("MAP_PRIVATE"),
        3 => names.push_str("MAP_SHARED_VALIDATE"),
        t => {
            let _ = write!(names, "{t:#x} /* MAP_??? */");
        }
    }
    let rest = flags & !MAP_TYPE & !HUGE_MASK;
    if rest != 0 {
        names.push('|');
        flags_into(&mut names, rest, MMAP_FLAGS, "");
    }
    let huge = flags & HUGE_MASK;
    if huge != 0 {
        let _ = write!(names, "|{}<<MAP_HUGE_SHIFT", huge >> HUGE_SHIFT);
    }
    super::xlat::composed(out, flags, &names);
}

/// Writes `clone` flags with the exit signal last (`CLONE_VM|...|SIGCHLD`).
pub fn clone_flags_into(out: &mut String, flags: u64) {
    let sig = (flags & 0xff) as i32;
    let rest = flags & !0xff;
    if rest != 0 {
        flags_into(out, rest, CLONE_FLAGS, "0");
    }
    if sig != 0 {
        if rest != 0 {
            out.push('|');
        }
        out.push_str(&signal_name(sig));
    } else if rest == 0 {
        out.push('0');
    }
}

/// The name of signal `sig` (`SIGSEGV`, `SIGRT_3`, or the number).
pub fn signal_name(sig: i32) -> String {
    const NAMES: [&str; 32] = [
        "0",
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS",
    ];
    match sig {
        1..=31 => NAMES[sig as usize].to_string(),
        32 => "SIGRTMIN".to_string(),
        33..=64 => format!("SIGRT_{}", sig - 32),
        _ => sig.to_string(),
    }
}

/// Looks up a signal by name (`SIGTERM` or `TERM`), for tests and options.
pub fn signal_by_name(name: &str) -> Option<i32> {
    let n = name.strip_prefix("SIG").unwrap_or(name);
    (1..=31).find(|&s| signal_name(s)[3..] == *n)
}

/// The errno name (`ENOENT`), from the `syscalls` crate's table.
pub fn errno_name(err: i32) -> Option<&'static str> {
    syscalls::Errno::new(err).name()
}

/// strace's rendering of a failed return value, e.g. `-1 ENOENT (No such file or directory)`.
pub fn error_return(err: i32) -> String {
    let restart = match err {
        512 => Some("To be restarted if SA_RESTART is set"),
        513 => Some("To be restarted"),
        514 => Some("To be restarted if no handler"),
        516 => Some("Interrupted by signal"),
        _ => None,
    };
    let name = errno_name(err)
        .map(str::to_string)
        .unwrap_or_else(|| format!("errno {err}"));
    match restart {
        Some(text) => format!("? {name} ({text})"),
        None => format!("-1 {name} ({})", strerror(err)),
    }
}

/// The C library's description of `err` (what strace prints in parentheses).
pub fn strerror(err: i32) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is a valid writable buffer of the given length; the XSI strerror_r (which libc's
    // `strerror_r` binds on glibc) writes a NUL-terminated message into it and returns 0 on success.
    let rc = unsafe { libc::strerror_r(err, buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return format!("Unknown error {err}");
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

#[cfg(test)]
mod tests {

    #[test]
    fn statx_flags_and_mask_read_as_strace_prints_them() {
        let mut out = String::new();
        statx_flags_into(&mut out, 0x800);
        assert_eq!(out, "AT_STATX_SYNC_AS_STAT|AT_NO_AUTOMOUNT");
        out.clear();
        statx_flags_into(&mut out, 0x4000 | 0x100);
        assert_eq!(out, "AT_STATX_DONT_SYNC|AT_SYMLINK_NOFOLLOW");
        out.clear();
        flags_into(&mut out, 0x2, STATX_MASK, "0");
        assert_eq!(out, "STATX_MODE");
        out.clear();
        flags_into(&mut out, 0x7ff | 0x1000, STATX_MASK, "0");
        assert_eq!(out, "STATX_BASIC_STATS|STATX_MNT_ID");
    }

    use super::*;

    #[test]
    fn open_flags_order_matches_strace() {
        let mut s = String::new();
        open_flags_into(&mut s, 0o2000000 | 0o200000 | 0o4000);
        assert_eq!(s, "O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY");
        let mut s = String::new();
        open_flags_into(&mut s, 2 | 0o20200000);
        assert_eq!(s, "O_RDWR|O_TMPFILE");
        let mut s = String::new();
        open_flags_into(&mut s, 0x4000_0000);
        assert_eq!(s, "O_RDONLY|0x40000000");
    }

    #[test]
    fn mmap_and_prot() {
        let mut s = String::new();
        mmap_flags_into(&mut s, 0x22);
        assert_eq!(s, "MAP_PRIVATE|MAP_ANONYMOUS");
        let mut s = String::new();
        flags_into(&mut s, 0, PROT_FLAGS, "PROT_NONE");
        assert_eq!(s, "PROT_NONE");
        let mut s = String::new();
        flags_into(&mut s, 5, PROT_FLAGS, "PROT_NONE");
        assert_eq!(s, "PROT_READ|PROT_EXEC");
    }

    #[test]
    fn clone_flags() {
        let mut s = String::new();
        clone_flags_into(&mut s, 0x1200000 | 17);
        assert_eq!(s, "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
    }

    #[test]
    fn sigsets() {
        let mut s = String::new();
        sigset_into(&mut s, !(1u64 << 32));
        assert_eq!(s, "~[RT_1]");
        let mut s = String::new();
        sigset_into(&mut s, 1 << 16);
        assert_eq!(s, "[CHLD]");
        let mut s = String::new();
        sigset_into(&mut s, 0);
        assert_eq!(s, "[]");
        let mut s = String::new();
        sigset_into(&mut s, u64::MAX);
        assert_eq!(s, "~[]");
    }

    #[test]
    fn errors() {
        assert_eq!(error_return(2), "-1 ENOENT (No such file or directory)");
        assert_eq!(error_return(9), "-1 EBADF (Bad file descriptor)");
        assert_eq!(
            error_return(512),
            "? ERESTARTSYS (To be restarted if SA_RESTART is set)"
        );
        assert_eq!(signal_name(11), "SIGSEGV");
        assert_eq!(signal_by_name("TERM"), Some(15));
    }
}
