//! Decoding of the kernel structures strace shows: `struct stat`, wait statuses, `siginfo_t`, directory
//! entries and `struct utsname` (x86_64 layouts).
//!
//! Design: every decoder takes the raw bytes fetched from the tracee and writes strace's abbreviated form
//! (`{st_mode=S_IFREG|0644, st_size=1234, ...}`); fields are read with explicit offsets so a short buffer
//! can never be misread.

use super::flags::{self, signal_name};
use super::spec::Arg;
use super::strings::quote_into;
use std::fmt::Write;

/// Size of `struct stat` on x86_64.
pub const STAT_SIZE: usize = 144;

fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map_or(0, |s| u32::from_ne_bytes(s.try_into().unwrap_or_default()))
}

fn i32_at(b: &[u8], off: usize) -> i32 {
    u32_at(b, off) as i32
}

/// The signed 64-bit value at `off` (0 when `b` is too short).
pub fn i64_at(b: &[u8], off: usize) -> i64 {
    u64_at(b, off) as i64
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    b.get(off..off + 8)
        .map_or(0, |s| u64::from_ne_bytes(s.try_into().unwrap_or_default()))
}

/// C's `%#03o`: a leading 0, zero-padded to three digits (`0644`, `000`, `007`, `0177777`).
pub fn octal_into(out: &mut String, v: u64) {
    let digits = if v == 0 {
        "0".to_string()
    } else {
        format!("0{v:o}")
    };
    let _ = write!(out, "{digits:0>3}");
}

/// A mode with its file type: `S_IFREG|0644`, `S_IFDIR|S_ISVTX|0777`; a mode whose type bits name no type is printed whole in
/// octal.
pub fn mode_into(out: &mut String, mode: u32) {
    let ty = match mode & 0o170000 {
        0o140000 => "S_IFSOCK",
        0o120000 => "S_IFLNK",
        0o100000 => "S_IFREG",
        0o060000 => "S_IFBLK",
        0o040000 => "S_IFDIR",
        0o020000 => "S_IFCHR",
        0o010000 => "S_IFIFO",
        _ => "",
    };
    if ty.is_empty() {
        octal_into(out, mode as u64);
    } else {
        out.push_str(ty);
        out.push('|');
        for (bit, name) in [
            (0o4000, "S_ISUID"),
            (0o2000, "S_ISGID"),
            (0o1000, "S_ISVTX"),
        ] {
            if mode & bit != 0 {
                out.push_str(name);
                out.push('|');
            }
        }
        octal_into(out, (mode & 0o777) as u64);
    }
}

/// `{events=EPOLLIN, data={u32=4294967295, u64=18446744073709551615}}` (the packed x86_64 layout).
pub fn epoll_event_into(out: &mut String, b: &[u8]) {
    out.push_str("{events=");
    super::xlat::flags(out, u32_at(b, 0) as u64, &super::consts::EPOLL_EVENTS);
    let data = u64_at(b, 4);
    let _ = write!(out, ", data={{u32={}, u64={data}}}}}", data as u32);
}

/// `[{tv_sec=..., tv_nsec=...} /* date */, {...}]`: the two times of `utimensat` (`usec`: the two
/// `struct timeval`s of `utimes`), `UTIME_NOW`/`UTIME_OMIT` by name, a date comment for valid times.
pub fn time_pair_into(out: &mut String, b: &[u8], usec: bool) {
    const UTIME_NOW: u64 = (1 << 30) - 1;
    const UTIME_OMIT: u64 = (1 << 30) - 2;
    out.push('[');
    for k in 0..2 {
        if k > 0 {
            out.push_str(", ");
        }
        let sec = i64_at(b, 16 * k);
        let frac = u64_at(b, 16 * k + 8);
        let special = match frac {
            UTIME_NOW if !usec => Some("UTIME_NOW"),
            UTIME_OMIT if !usec => Some("UTIME_OMIT"),
            _ => None,
        };
        let style = super::xlat::style();
        match special {
            Some(name) if style == super::xlat::Style::Abbrev => out.push_str(name),
            Some(name) => {
                let _ = write!(out, "{{tv_sec={sec}, tv_nsec={frac}}}");
                if style == super::xlat::Style::Verbose {
                    let _ = write!(out, " /* {name} */");
                }
            }
            None => {
                let unit = if usec { "tv_usec" } else { "tv_nsec" };
                let _ = write!(out, "{{tv_sec={sec}, {unit}={frac}}}");
                let (limit, digits) = if usec {
                    (1_000_000, 6)
                } else {
                    (1_000_000_000, 9)
                };
                if frac < limit && (sec, frac) != (0, 0) {
                    let mut date = String::new();
                    date_frac_into(&mut date, sec, frac, digits);
                    if !date.is_empty() {
                        let _ = write!(out, " /* {date} */");
                    }
                }
            }
        }
    }
    out.push(']');
}

/// `{tms_utime=29 /* 0.29 s */, ...}`: `struct tms`, clock ticks with their seconds.
pub fn tms_into(out: &mut String, b: &[u8]) {
    out.push('{');
    for (k, name) in ["tms_utime", "tms_stime", "tms_cutime", "tms_cstime"]
        .iter()
        .enumerate()
    {
        if k > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{name}=");
        clock_t_into(out, u64_at(b, 8 * k));
    }
    out.push('}');
}

/// A `clock_t` in clock ticks, with its seconds in a comment when not zero (`29 /* 0.29 s */`),
/// which `-X raw` leaves out.
pub fn clock_t_into(out: &mut String, t: u64) {
    let _ = write!(out, "{t}");
    if t > 0 && super::xlat::style() != super::xlat::Style::Raw {
        // SAFETY: sysconf only reads its argument.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        let _ = write!(out, " /* {}.{:02} s */", t / hz, t % hz * 100 / hz);
    }
}

/// `PR_SET_TAGGED_ADDR_CTRL`'s word: `PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_SYNC|0x1<<PR_MTE_TAG_SHIFT`,
/// with `!PR_TAGGED_ADDR_ENABLE` when the enable bit is clear and the unknown bits in hex.
pub fn tagged_addr_text(v: u64) -> String {
    let mut s = String::new();
    if v & 1 == 0 {
        s.push('!');
    }
    s.push_str("PR_TAGGED_ADDR_ENABLE|");
    s.push_str(match v & 6 {
        0 => "PR_MTE_TCF_NONE",
        2 => "PR_MTE_TCF_SYNC",
        4 => "PR_MTE_TCF_ASYNC",
        _ => "PR_MTE_TCF_MASK",
    });
    let tags = (v >> 3) & 0xffff;
    if tags != 0 {
        let _ = write!(s, "|{tags:#x}<<PR_MTE_TAG_SHIFT");
    }
    let rest = v & !0x7ffff;
    if rest != 0 {
        let _ = write!(s, "|{rest:#x}");
    }
    s
}

/// `struct statfs` (x86_64 layout).
pub fn statfs_into(out: &mut String, b: &[u8]) {
    use super::consts::{FS_MAGIC, ST};
    out.push_str("{f_type=");
    super::xlat::value(out, u64_at(b, 0), &FS_MAGIC);
    let _ = write!(
        out,
        ", f_bsize={}, f_blocks={}, f_bfree={}, f_bavail={}, f_files={}, f_ffree={}, \
         f_fsid={{val=[{}, {}]}}, f_namelen={}, f_frsize={}, f_flags=",
        i64_at(b, 8),
        u64_at(b, 16),
        u64_at(b, 24),
        u64_at(b, 32),
        u64_at(b, 40),
        u64_at(b, 48),
        CHex(u32_at(b, 56) as u64),
        CHex(u32_at(b, 60) as u64),
        i64_at(b, 64),
        i64_at(b, 72)
    );
    super::xlat::flags(out, u64_at(b, 80), &ST);
    out.push('}');
}

/// A user or group id: `-1` for the "none" value, otherwise unsigned.
pub struct Id(pub u32);

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == u32::MAX {
            f.write_str("-1")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// C's `%#x`: hex with `0x`, except zero, which is plain `0`.
pub struct CHex(pub u64);

impl std::fmt::Display for CHex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == 0 {
            f.write_str("0")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

/// `makedev(0x1, 0x3)`: a device number as strace prints it.
pub fn makedev_into(out: &mut String, dev: u64) {
    let (major, minor) = dev_split(dev);
    let _ = write!(out, "makedev({}, {})", CHex(major), CHex(minor));
}

/// The major and minor numbers of a device number, as glibc's `major()`/`minor()` split it.
pub fn dev_split(dev: u64) -> (u64, u64) {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & 0xffff_ff00);
    (major, minor)
}

/// `{st_mode=S_IFREG|0644, st_size=1234, ...}` or, for devices,
/// `{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}`; with `verbose` (`-v`) every field, times
/// with their date in a comment.
pub fn stat_into(out: &mut String, b: &[u8], verbose: bool) {
    let mode = u32_at(b, 24);
    out.push('{');
    if verbose {
        out.push_str("st_dev=");
        dev_styled_into(out, u64_at(b, 0));
        let _ = write!(out, ", st_ino={}, ", u64_at(b, 8));
    }
    out.push_str("st_mode=");
    mode_styled_into(out, mode);
    if verbose {
        let _ = write!(
            out,
            ", st_nlink={}, st_uid={}, st_gid={}, st_blksize={}, st_blocks={}",
            u64_at(b, 16),
            u32_at(b, 28),
            u32_at(b, 32),
            u64_at(b, 56) as i64,
            u64_at(b, 64) as i64
        );
    }
    let ty = mode & 0o170000;
    if ty == 0o020000 || ty == 0o060000 {
        out.push_str(", st_rdev=");
        dev_styled_into(out, u64_at(b, 40));
    } else {
        let _ = write!(out, ", st_size={}", u64_at(b, 48) as i64);
    }
    if !verbose {
        out.push_str(", ...}");
        return;
    }
    for (name, off) in [("st_atime", 72), ("st_mtime", 88), ("st_ctime", 104)] {
        let secs = u64_at(b, off) as i64;
        let nsec = u64_at(b, off + 8);
        let _ = write!(out, ", {name}={secs}");
        date_comment_into(out, secs, nsec);
        let _ = write!(out, ", {name}_nsec={nsec}");
    }
    out.push('}');
}

/// A device number in the `-X` style: `makedev(0x1, 0x3)`, `0x103`, or `0x103 /* makedev(0x1, 0x3) */`.
fn dev_styled_into(out: &mut String, dev: u64) {
    let mut text = String::new();
    makedev_into(&mut text, dev);
    super::xlat::composed(out, dev, &text);
}

/// A mode with its type in the `-X` style: `S_IFREG|0640`, `0100640`, or `0100640 /* S_IFREG|0640 */`.
fn mode_styled_into(out: &mut String, mode: u32) {
    use super::xlat::{style, Style};
    let mut text = String::new();
    mode_into(&mut text, mode);
    match style() {
        Style::Abbrev => out.push_str(&text),
        Style::Raw => octal_into(out, mode as u64),
        Style::Verbose => {
            octal_into(out, mode as u64);
            let _ = write!(out, " /* {text} */");
        }
    }
}

/// ` /* 2026-12-07T10:20:28.461759285+0000 */`: a time as a local date, as strace comments it.
pub fn date_comment_into(out: &mut String, secs: i64, nsec: u64) {
    out.push_str(" /* ");
    date_into(out, secs, nsec);
    out.push_str(" */");
}

/// `2026-12-07T10:20:28.461759285+0000` (without the fraction when `nsec` is out of range).
pub fn date_into(out: &mut String, secs: i64, nsec: u64) {
    date_frac_into(out, secs, nsec, 9);
}

/// A local date with a fraction of `digits` digits (9 for nanoseconds, 6 for microseconds), left out
/// when `frac` is not below `10^digits`.
fn date_frac_into(out: &mut String, secs: i64, frac: u64, digits: u32) {
    // SAFETY: an all-zero `tm` is a valid value to be overwritten.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t = secs as libc::time_t;
    // SAFETY: `t` and `tm` are valid pointers for the call; localtime_r is thread-safe.
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return;
    }
    let off = tm.tm_gmtoff;
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        tm.tm_year as i64 + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    );
    if frac < 10u64.pow(digits) {
        let _ = write!(out, ".{frac:0w$}", w = digits as usize);
    }
    let _ = write!(
        out,
        "{}{:02}{:02}",
        if off < 0 { '-' } else { '+' },
        off.abs() / 3600,
        off.abs() % 3600 / 60
    );
}

/// `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]` and friends.
pub fn wait_status_into(out: &mut String, s: i32) {
    let sig = s & 0x7f;
    out.push_str("[{");
    if s & 0xff == 0x7f {
        let stop = (s >> 8) & 0xff;
        let _ = write!(
            out,
            "WIFSTOPPED(s) && WSTOPSIG(s) == {}{}",
            signal_name(stop & 0x7f),
            if stop & 0x80 != 0 { " | 0x80" } else { "" }
        );
    } else if sig == 0 {
        let _ = write!(out, "WIFEXITED(s) && WEXITSTATUS(s) == {}", (s >> 8) & 0xff);
    } else if s == 0xffff {
        out.push_str("WIFCONTINUED(s)");
    } else {
        let _ = write!(out, "WIFSIGNALED(s) && WTERMSIG(s) == {}", signal_name(sig));
        if s & 0x80 != 0 {
            out.push_str(" && WCOREDUMP(s)");
        }
    }
    out.push_str("}]");
}

/// A `struct rusage`: the two times, then the counters under `-v` (`...` otherwise).
pub fn rusage_into(out: &mut String, b: &[u8], verbose: bool) {
    let _ = write!(
        out,
        "{{ru_utime={{tv_sec={}, tv_usec={}}}, ru_stime={{tv_sec={}, tv_usec={}}}",
        u64_at(b, 0) as i64,
        u64_at(b, 8),
        u64_at(b, 16) as i64,
        u64_at(b, 24)
    );
    if !verbose {
        out.push_str(", ...}");
        return;
    }
    const FIELDS: [&str; 14] = [
        "ru_maxrss",
        "ru_ixrss",
        "ru_idrss",
        "ru_isrss",
        "ru_minflt",
        "ru_majflt",
        "ru_nswap",
        "ru_inblock",
        "ru_oublock",
        "ru_msgsnd",
        "ru_msgrcv",
        "ru_nsignals",
        "ru_nvcsw",
        "ru_nivcsw",
    ];
    for (k, name) in FIELDS.iter().enumerate() {
        let _ = write!(out, ", {name}={}", u64_at(b, 32 + 8 * k));
    }
    out.push('}');
}

/// Number of `linux_dirent64` records in a `getdents64` buffer.
pub fn count_dirents(b: &[u8]) -> usize {
    let mut off = 0;
    let mut n = 0;
    while off + 19 <= b.len() {
        let reclen = u16::from_ne_bytes([b[off + 16], b[off + 17]]) as usize;
        if reclen == 0 {
            break;
        }
        n += 1;
        off += reclen;
    }
    n
}

/// `{sysname="Linux", nodename="host", ...}`.
pub fn utsname_into(out: &mut String, b: &[u8]) {
    let field = |i: usize| {
        let f = &b[i * 65..(i + 1) * 65];
        let end = f.iter().position(|&c| c == 0).unwrap_or(f.len());
        &f[..end]
    };
    out.push_str("{sysname=");
    quote_into(out, field(0), false);
    out.push_str(", nodename=");
    quote_into(out, field(1), false);
    out.push_str(", ...}");
}

/// Renders the small input/output structures named by `kind` from raw bytes.
pub fn struct_into(kind: Arg, b: &[u8], out: &mut String) {
    match kind {
        Arg::TimespecIn | Arg::TimespecOut | Arg::TimespecRem(_) if b.len() >= 16 => {
            let _ = write!(
                out,
                "{{tv_sec={}, tv_nsec={}}}",
                u64_at(b, 0) as i64,
                u64_at(b, 8)
            );
        }
        Arg::SysinfoOut if b.len() >= 108 => {
            let l = |off| u64_at(b, off);
            let _ = write!(
                out,
                "{{uptime={}, loads=[{}, {}, {}], totalram={}, freeram={}, sharedram={}, \
                 bufferram={}, totalswap={}, freeswap={}, procs={}, totalhigh={}, freehigh={}, \
                 mem_unit={}}}",
                l(0) as i64,
                l(8),
                l(16),
                l(24),
                l(32),
                l(40),
                l(48),
                l(56),
                l(64),
                l(72),
                u16::from_ne_bytes([b[80], b[81]]),
                l(88),
                l(96),
                u32_at(b, 104)
            );
        }
        Arg::TimeOut if b.len() >= 8 => {
            let t = u64_at(b, 0) as i64;
            let _ = write!(out, "[{t}");
            date_comment_into(out, t, u64::MAX);
            out.push(']');
        }
        Arg::SigsetIn | Arg::SigsetOut if b.len() >= 8 => flags::sigset_into(out, u64_at(b, 0)),
        Arg::SigactionIn | Arg::SigactionOut if b.len() >= 32 => {
            let handler = u64_at(b, 0);
            let fl = u64_at(b, 8);
            out.push_str("{sa_handler=");
            match handler {
                0 => out.push_str("SIG_DFL"),
                1 => out.push_str("SIG_IGN"),
                h => {
                    let _ = write!(out, "{h:#x}");
                }
            }
            out.push_str(", sa_mask=");
            flags::sigset_into(out, u64_at(b, 24));
            out.push_str(", sa_flags=");
            flags::flags_into(out, fl, flags::SA_FLAGS, "0");
            if fl & 0x0400_0000 != 0 {
                out.push_str(", sa_restorer=");
                addr_into(out, u64_at(b, 16));
            }
            out.push('}');
        }
        Arg::RlimitIn | Arg::RlimitOut if b.len() >= 16 => {
            // The number, its reading (`RLIM64_INFINITY`, `8192*1024`), or both, by the `-X` style.
            let lim = |v: u64| {
                let text = match v {
                    u64::MAX => Some("RLIM64_INFINITY".to_string()),
                    v if v > 1024 && v % 1024 == 0 => Some(format!("{}*1024", v / 1024)),
                    _ => None,
                };
                match (text, super::xlat::style()) {
                    (None, _) => v.to_string(),
                    (Some(t), super::xlat::Style::Abbrev) => t,
                    (Some(_), super::xlat::Style::Raw) => v.to_string(),
                    (Some(t), super::xlat::Style::Verbose) => format!("{v} /* {t} */"),
                }
            };
            let _ = write!(
                out,
                "{{rlim_cur={}, rlim_max={}}}",
                lim(u64_at(b, 0)),
                lim(u64_at(b, 8))
            );
        }
        Arg::StackIn | Arg::StackOut if b.len() >= 24 => {
            out.push_str("{ss_sp=");
            addr_into(out, u64_at(b, 0));
            out.push_str(", ss_flags=");
            flags::flags_into(
                out,
                u32_at(b, 8) as u64,
                &[
                    (1, "SS_ONSTACK"),
                    (2, "SS_DISABLE"),
                    (0x8000_0000, "SS_AUTODISARM"),
                ],
                "0",
            );
            let _ = write!(out, ", ss_size={}}}", u64_at(b, 16));
        }
        Arg::CpuSetOut => {
            out.push('[');
            let mut first = true;
            for (i, byte) in b.iter().enumerate() {
                for bit in 0..8 {
                    if byte & (1 << bit) != 0 {
                        if !first {
                            out.push(' ');
                        }
                        first = false;
                        let _ = write!(out, "{}", i * 8 + bit);
                    }
                }
            }
            out.push(']');
        }
        _ => out.push_str("{...}"),
    }
}

fn addr_into(out: &mut String, a: u64) {
    if a == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{a:#x}");
    }
}

/// The `{si_signo=..., si_code=..., ...}` text for a 128-byte `siginfo_t`.
pub fn siginfo_into(out: &mut String, b: &[u8]) {
    let signo = i32_at(b, 0);
    let code = i32_at(b, 8);
    let _ = write!(out, "{{si_signo={}, si_code=", signal_name(signo));
    let generic = match code {
        0 => Some("SI_USER"),
        0x80 => Some("SI_KERNEL"),
        -1 => Some("SI_QUEUE"),
        -2 => Some("SI_TIMER"),
        -3 => Some("SI_MESGQ"),
        -4 => Some("SI_ASYNCIO"),
        -5 => Some("SI_SIGIO"),
        -6 => Some("SI_TKILL"),
        _ => None,
    };
    let fault = matches!(signo, 4 | 7 | 8 | 11 | 5);
    if let Some(name) = generic {
        out.push_str(name);
        let errno = i32_at(b, 4);
        if errno != 0 {
            out.push_str(", si_errno=");
            match flags::errno_name(errno) {
                Some(n) => out.push_str(n),
                None => {
                    let _ = write!(out, "{}", errno as u32);
                }
            }
        }
        let sigval = |out: &mut String| {
            let ptr = u64_at(b, 24);
            let _ = write!(out, ", si_int={}, si_ptr=", ptr as u32 as i32);
            addr_into(out, ptr);
        };
        match code {
            0 | -6 => {
                out.push_str(", si_pid=");
                super::pid::pid_into(out, i32_at(b, 16), crate::pidns::PidType::Tgid);
                let _ = write!(out, ", si_uid={}", Id(u32_at(b, 20)));
            }
            -2 => {
                let _ = write!(
                    out,
                    ", si_timerid={}, si_overrun={}",
                    CHex(u32_at(b, 16) as u64),
                    i32_at(b, 20)
                );
                sigval(out);
            }
            -1 | -3 | -4 => {
                out.push_str(", si_pid=");
                super::pid::pid_into(out, i32_at(b, 16), crate::pidns::PidType::Tgid);
                let _ = write!(out, ", si_uid={}", Id(u32_at(b, 20)));
                if u64_at(b, 24) != 0 {
                    sigval(out);
                }
            }
            0x80 if fault => {
                out.push_str(", si_addr=");
                addr_into(out, u64_at(b, 16));
            }
            _ => {}
        }
        out.push('}');
        return;
    }
    let specific: Option<&str> = match (signo, code) {
        (17, 1) => Some("CLD_EXITED"),
        (17, 2) => Some("CLD_KILLED"),
        (17, 3) => Some("CLD_DUMPED"),
        (17, 4) => Some("CLD_TRAPPED"),
        (17, 5) => Some("CLD_STOPPED"),
        (17, 6) => Some("CLD_CONTINUED"),
        (11, 1) => Some("SEGV_MAPERR"),
        (11, 2) => Some("SEGV_ACCERR"),
        (11, 3) => Some("SEGV_BNDERR"),
        (11, 4) => Some("SEGV_PKUERR"),
        (7, 1) => Some("BUS_ADRALN"),
        (7, 2) => Some("BUS_ADRERR"),
        (7, 3) => Some("BUS_OBJERR"),
        (4, 1) => Some("ILL_ILLOPC"),
        (4, 2) => Some("ILL_ILLOPN"),
        (4, 3) => Some("ILL_ILLADR"),
        (4, 4) => Some("ILL_ILLTRP"),
        (4, 5) => Some("ILL_PRVOPC"),
        (4, 6) => Some("ILL_PRVREG"),
        (4, 7) => Some("ILL_COPROC"),
        (4, 8) => Some("ILL_BADSTK"),
        (8, 1) => Some("FPE_INTDIV"),
        (8, 2) => Some("FPE_INTOVF"),
        (8, 3) => Some("FPE_FLTDIV"),
        (8, 4) => Some("FPE_FLTOVF"),
        (8, 5) => Some("FPE_FLTUND"),
        (8, 6) => Some("FPE_FLTRES"),
        (8, 7) => Some("FPE_FLTINV"),
        (8, 8) => Some("FPE_FLTSUB"),
        (5, 1) => Some("TRAP_BRKPT"),
        (5, 2) => Some("TRAP_TRACE"),
        _ => None,
    };
    match specific {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "{code:#x}");
        }
    }
    if signo == 17 {
        let status = i32_at(b, 24);
        out.push_str(", si_pid=");
        super::pid::pid_into(out, i32_at(b, 16), crate::pidns::PidType::Tgid);
        let _ = write!(out, ", si_uid={}, si_status=", u32_at(b, 20));
        if code == 1 {
            let _ = write!(out, "{status}");
        } else {
            out.push_str(&signal_name(status));
        }
        out.push_str(", si_utime=");
        clock_t_into(out, u64_at(b, 32));
        out.push_str(", si_stime=");
        clock_t_into(out, u64_at(b, 40));
    } else if fault {
        out.push_str(", si_addr=");
        addr_into(out, u64_at(b, 16));
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(signo: i32, code: i32, f: &[(usize, u64)]) -> Vec<u8> {
        let mut b = vec![0u8; 128];
        b[0..4].copy_from_slice(&signo.to_ne_bytes());
        b[8..12].copy_from_slice(&code.to_ne_bytes());
        for &(off, v) in f {
            b[off..off + 8].copy_from_slice(&v.to_ne_bytes());
        }
        b
    }

    #[test]
    fn siginfo() {
        let mut s = String::new();
        siginfo_into(&mut s, &info(17, 1, &[(16, 4572), (24, 0)]));
        assert_eq!(
            s,
            "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4572, si_uid=0, si_status=0, si_utime=0, si_stime=0}"
        );
        let mut s = String::new();
        siginfo_into(&mut s, &info(11, 1, &[]));
        assert_eq!(s, "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}");
        let mut s = String::new();
        siginfo_into(&mut s, &info(15, 0, &[(16, 4762)]));
        assert_eq!(
            s,
            "{si_signo=SIGTERM, si_code=SI_USER, si_pid=4762, si_uid=0}"
        );
    }

    #[test]
    fn wait_status() {
        let mut s = String::new();
        wait_status_into(&mut s, 0);
        assert_eq!(s, "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]");
        let mut s = String::new();
        wait_status_into(&mut s, 9);
        assert_eq!(s, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]");
    }

    #[test]
    fn stat() {
        let mut b = vec![0u8; STAT_SIZE];
        b[24..28].copy_from_slice(&(0o100644u32).to_ne_bytes());
        b[48..56].copy_from_slice(&1234u64.to_ne_bytes());
        let mut s = String::new();
        stat_into(&mut s, &b, false);
        assert_eq!(s, "{st_mode=S_IFREG|0644, st_size=1234, ...}");
    }
}
