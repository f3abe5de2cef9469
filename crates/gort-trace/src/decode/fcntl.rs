//! `fcntl`: the command, its third argument and its return value, all of which depend on the command.
//!
//! Design: [`spec`] picks the argument kinds and the return style per command, so the generic
//! plan/fetch/render machinery in `spec.rs` reads the right memory (a `struct flock` of 32 bytes, a
//! `struct f_owner_ex` of 8) at the right time: lock and owner *setters* print their structure at entry,
//! `F_GETLK`/`F_OFD_GETLK`/`F_GETOWN_EX` print theirs at exit, when the kernel has filled it (even after
//! a failure, as strace does, since the memory is still readable). An unreadable structure shows its
//! address. The commands whose result is a flag word or a name (`F_GETFD`, `F_GETLEASE`, `F_GETSIG`,
//! `F_GET_SEALS`) decorate the return value through [`return_into`]. On x86_64 `struct flock` and
//! `struct flock64` share one layout, so the OFD commands use the same renderer.

use super::consts::SEEK;
use super::flags;
use super::spec::{Arg, Ret, Spec};
use super::xlat::{self, Xlat};
use std::fmt::Write;

/// `fcntl` commands (strace's `fcntlcmds`).
pub const FCNTL_CMDS: Xlat = Xlat::hex(
    &[
        (0, "F_DUPFD"),
        (1, "F_GETFD"),
        (2, "F_SETFD"),
        (3, "F_GETFL"),
        (4, "F_SETFL"),
        (5, "F_GETLK"),
        (6, "F_SETLK"),
        (7, "F_SETLKW"),
        (8, "F_SETOWN"),
        (9, "F_GETOWN"),
        (10, "F_SETSIG"),
        (11, "F_GETSIG"),
        (12, "F_GETLK64"),
        (13, "F_SETLK64"),
        (14, "F_SETLKW64"),
        (15, "F_SETOWN_EX"),
        (16, "F_GETOWN_EX"),
        (17, "F_GETOWNER_UIDS"),
        (36, "F_OFD_GETLK"),
        (37, "F_OFD_SETLK"),
        (38, "F_OFD_SETLKW"),
        (1024, "F_SETLEASE"),
        (1025, "F_GETLEASE"),
        (1026, "F_NOTIFY"),
        (1029, "F_CANCELLK"),
        (1030, "F_DUPFD_CLOEXEC"),
        (1031, "F_SETPIPE_SZ"),
        (1032, "F_GETPIPE_SZ"),
        (1033, "F_ADD_SEALS"),
        (1034, "F_GET_SEALS"),
    ],
    "F_???",
);

/// Lock types (`l_type`, leases).
pub const LOCK_TYPES: Xlat = Xlat::wide(
    &[
        (0, "F_RDLCK"),
        (1, "F_WRLCK"),
        (2, "F_UNLCK"),
        (4, "F_EXLCK"),
        (8, "F_SHLCK"),
    ],
    "F_???",
);

/// Directory notification events (`F_NOTIFY`).
pub const NOTIFY_FLAGS: Xlat = Xlat::wide(
    &[
        (0x1, "DN_ACCESS"),
        (0x2, "DN_MODIFY"),
        (0x4, "DN_CREATE"),
        (0x8, "DN_DELETE"),
        (0x10, "DN_RENAME"),
        (0x20, "DN_ATTRIB"),
        (0x8000_0000, "DN_MULTISHOT"),
    ],
    "DN_???",
);

/// File seals (`F_ADD_SEALS`, `F_GET_SEALS`).
pub const SEALS: Xlat = Xlat::wide(
    &[
        (0x1, "F_SEAL_SEAL"),
        (0x2, "F_SEAL_SHRINK"),
        (0x4, "F_SEAL_GROW"),
        (0x8, "F_SEAL_WRITE"),
        (0x10, "F_SEAL_FUTURE_WRITE"),
    ],
    "F_SEAL_???",
);

/// Owner kinds of `struct f_owner_ex`.
pub const OWNER_TYPES: Xlat = Xlat::hex(
    &[(0, "F_OWNER_TID"), (1, "F_OWNER_PID"), (2, "F_OWNER_PGRP")],
    "F_OWNER_???",
);

/// Descriptor flags (`F_SETFD`, `F_GETFD`).
const FD_FLAGS: Xlat = Xlat::hex(&[(1, "FD_CLOEXEC")], "FD_???");

/// Bytes of `struct flock` (and `struct flock64`) on x86_64.
pub const FLOCK_SIZE: usize = 32;
/// Bytes of `struct f_owner_ex`.
pub const OWNER_EX_SIZE: usize = 8;

/// The arguments and return style of `fcntl(fd, cmd, ...)` for command `cmd` (the kernel reads it as
/// an `unsigned int`).
pub fn spec(cmd: u32) -> Spec {
    use Arg::*;
    let a: &'static [Arg] = match cmd {
        0 | 1030 => return Spec::Args(&[Fd, FcntlCmd, Int], Ret::Fd),
        2 => &[Fd, FcntlCmd, Flags(&FD_FLAGS)],
        3 => return Spec::Args(&[Fd, FcntlCmd], Ret::OpenFlags),
        4 => &[Fd, FcntlCmd, OpenFlags],
        5 | 36 => &[Fd, FcntlCmd, FlockOut],
        6 | 7 | 37 | 38 => &[Fd, FcntlCmd, FlockIn],
        8 => &[Fd, FcntlCmd, Int],
        10 => &[Fd, FcntlCmd, SigLong],
        15 => &[Fd, FcntlCmd, OwnerExIn],
        16 => &[Fd, FcntlCmd, OwnerExOut],
        1024 => &[Fd, FcntlCmd, Enum(&LOCK_TYPES)],
        1026 => &[Fd, FcntlCmd, Flags(&NOTIFY_FLAGS)],
        1031 => &[Fd, FcntlCmd, Long],
        1033 => &[Fd, FcntlCmd, Flags(&SEALS)],
        1 | 9 | 11 | 1025 | 1032 | 1034 => &[Fd, FcntlCmd],
        _ => &[Fd, FcntlCmd, Hex],
    };
    Spec::Args(a, Ret::Fcntl)
}

/// Appends the command's name (`F_SETLK`, or `0x2a /* F_??? */`).
pub fn cmd_into(out: &mut String, cmd: u64) {
    xlat::value(out, cmd & 0xffff_ffff, &FCNTL_CMDS);
}

fn i16_at(b: &[u8], at: usize) -> i16 {
    i16::from_ne_bytes([b[at], b[at + 1]])
}

fn i32_at(b: &[u8], at: usize) -> i32 {
    i32::from_ne_bytes(b[at..at + 4].try_into().unwrap_or_default())
}

fn i64_at(b: &[u8], at: usize) -> i64 {
    i64::from_ne_bytes(b[at..at + 8].try_into().unwrap_or_default())
}

/// Appends a `struct flock` (`{l_type=F_RDLCK, l_whence=SEEK_SET, l_start=0, l_len=4096}`), with
/// `l_pid` when the kernel filled it (`F_GETLK`). `b` must hold [`FLOCK_SIZE`] bytes.
pub fn flock_into(out: &mut String, b: &[u8], with_pid: bool) {
    out.push_str("{l_type=");
    xlat::value(out, i16_at(b, 0) as u16 as u64, &LOCK_TYPES);
    out.push_str(", l_whence=");
    xlat::value(out, i16_at(b, 2) as u16 as u64, &SEEK);
    let _ = write!(out, ", l_start={}, l_len={}", i64_at(b, 8), i64_at(b, 16));
    if with_pid {
        let _ = write!(out, ", l_pid={}", i32_at(b, 24));
    }
    out.push('}');
}

/// Appends a `struct f_owner_ex` (`{type=F_OWNER_PID, pid=1234}`). `b` must hold [`OWNER_EX_SIZE`]
/// bytes.
pub fn owner_ex_into(out: &mut String, b: &[u8]) {
    out.push_str("{type=");
    xlat::value(out, i32_at(b, 0) as u32 as u64, &OWNER_TYPES);
    let _ = write!(out, ", pid={}}}", i32_at(b, 4));
}

/// Appends the return value of a successful `fcntl(fd, cmd)` with what it means: descriptor flags,
/// a lease type, a signal or seals.
pub fn return_into(out: &mut String, cmd: u32, ret: i64) {
    let raw = xlat::style() == xlat::Style::Raw;
    match cmd {
        1 | 1034 if ret != 0 => {
            let (prefix, table) = if cmd == 1 {
                ("flags", &FD_FLAGS)
            } else {
                ("seals", &SEALS)
            };
            let _ = write!(out, "{:#x}", ret as u64);
            if !raw {
                let names = xlat::names_for_return(ret as u64, table)
                    .unwrap_or_else(|| format!("{:#x}", ret as u64));
                let _ = write!(out, " ({prefix} {names})");
            }
        }
        1025 => {
            let _ = write!(out, "{:#x}", ret as u64);
            if let Some(name) = LOCK_TYPES.name(ret as u64).filter(|_| !raw) {
                let _ = write!(out, " ({name})");
            }
        }
        11 if ret != 0 => {
            let _ = write!(out, "{ret}");
            if !raw {
                let _ = write!(out, " ({})", flags::signal_name(ret as i32));
            }
        }
        _ => {
            let _ = write!(out, "{ret}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flock(l_type: i16, start: i64, len: i64, pid: i32) -> Vec<u8> {
        let mut b = vec![0u8; FLOCK_SIZE];
        b[0..2].copy_from_slice(&l_type.to_ne_bytes());
        b[8..16].copy_from_slice(&start.to_ne_bytes());
        b[16..24].copy_from_slice(&len.to_ne_bytes());
        b[24..28].copy_from_slice(&pid.to_ne_bytes());
        b
    }

    #[test]
    fn flock_shows_pid_only_when_the_kernel_filled_it() {
        let b = flock(2, 0, 4096, 0);
        let mut s = String::new();
        flock_into(&mut s, &b, false);
        assert_eq!(
            s,
            "{l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=4096}"
        );
        let mut s = String::new();
        flock_into(&mut s, &b, true);
        assert!(s.ends_with(", l_len=4096, l_pid=0}"), "{s}");
    }

    #[test]
    fn flock_offsets_are_signed() {
        let mut s = String::new();
        flock_into(&mut s, &flock(0, -2, -3, 0), false);
        assert!(s.ends_with("l_start=-2, l_len=-3}"), "{s}");
    }

    #[test]
    fn zero_results_are_plain_and_others_named() {
        let cases = [
            (1, 0, "0"),
            (1, 1, "0x1 (flags FD_CLOEXEC)"),
            (11, 0, "0"),
            (11, 1, "1 (SIGHUP)"),
            (1025, 2, "0x2 (F_UNLCK)"),
            (1034, 5, "0x5 (seals F_SEAL_SEAL|F_SEAL_GROW)"),
            (9, 42, "42"),
        ];
        for (cmd, ret, want) in cases {
            let mut s = String::new();
            return_into(&mut s, cmd, ret);
            assert_eq!(s, want, "cmd {cmd} ret {ret}");
        }
    }

    #[test]
    fn commands_are_read_as_unsigned_int() {
        let mut s = String::new();
        cmd_into(&mut s, 0xffff_ffff_0000_0006);
        assert_eq!(s, "F_SETLK");
    }
}
