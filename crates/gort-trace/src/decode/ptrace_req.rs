//! `ptrace(REQUEST, PID, ADDR, DATA)`: what the address and data arguments are depends on the request.
//!
//! Design: the request is printed from [`PTRACE_CMDS`], the pid as a process id; the requests that
//! take neither address nor data (`PTRACE_ATTACH`, `PTRACE_KILL`...) stop there. Then, by request:
//! the address is a length (`PTRACE_GET_SYSCALL_INFO`, the signal-mask and seccomp requests) or an
//! address; the data is a signal to deliver (the resuming requests), `PTRACE_O_*` options, or a
//! buffer the kernel fills, printed when the call returns: the word a `PTRACE_PEEK*` read
//! (`[0x...]`), the event message (`[N]`), the signal mask, or the `struct ptrace_syscall_info`
//! ([`syscall_info_into`]), which is shown only as far as both the caller's length and the kernel's
//! answer reach. The register-set, siginfo and seccomp-filter buffers are shown as their addresses.

use super::flags;
use super::xlat::{self, Style, Xlat};
use super::{FetchKind, FetchReq, Fetched, Mem};
use crate::pidns::PidType;
use std::fmt::Write;

/// Requests (x86_64 numbering for the architecture-specific ones), in strace's order.
pub const PTRACE_CMDS: Xlat = Xlat::wide(
    &[
        (0, "PTRACE_TRACEME"),
        (0x1, "PTRACE_PEEKTEXT"),
        (0x2, "PTRACE_PEEKDATA"),
        (0x3, "PTRACE_PEEKUSER"),
        (0x4, "PTRACE_POKETEXT"),
        (0x5, "PTRACE_POKEDATA"),
        (0x6, "PTRACE_POKEUSER"),
        (0x7, "PTRACE_CONT"),
        (0x8, "PTRACE_KILL"),
        (0x9, "PTRACE_SINGLESTEP"),
        (0x10, "PTRACE_ATTACH"),
        (0x11, "PTRACE_DETACH"),
        (0x18, "PTRACE_SYSCALL"),
        (0x4200, "PTRACE_SETOPTIONS"),
        (0x4201, "PTRACE_GETEVENTMSG"),
        (0x4202, "PTRACE_GETSIGINFO"),
        (0x4203, "PTRACE_SETSIGINFO"),
        (0x4204, "PTRACE_GETREGSET"),
        (0x4205, "PTRACE_SETREGSET"),
        (0x4206, "PTRACE_SEIZE"),
        (0x4207, "PTRACE_INTERRUPT"),
        (0x4208, "PTRACE_LISTEN"),
        (0x4209, "PTRACE_PEEKSIGINFO"),
        (0x420a, "PTRACE_GETSIGMASK"),
        (0x420b, "PTRACE_SETSIGMASK"),
        (0x420c, "PTRACE_SECCOMP_GET_FILTER"),
        (0x420d, "PTRACE_SECCOMP_GET_METADATA"),
        (0x420e, "PTRACE_GET_SYSCALL_INFO"),
        (0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
        (0xc, "PTRACE_GETREGS"),
        (0xd, "PTRACE_SETREGS"),
        (0xe, "PTRACE_GETFPREGS"),
        (0xf, "PTRACE_SETFPREGS"),
        (0x12, "PTRACE_GETFPXREGS"),
        (0x13, "PTRACE_SETFPXREGS"),
        (0x15, "PTRACE_OLDSETOPTIONS"),
        (0x19, "PTRACE_GET_THREAD_AREA"),
        (0x1a, "PTRACE_SET_THREAD_AREA"),
        (0x1e, "PTRACE_ARCH_PRCTL"),
        (0x1f, "PTRACE_SYSEMU"),
        (0x20, "PTRACE_SYSEMU_SINGLESTEP"),
        (0x21, "PTRACE_SINGLEBLOCK"),
    ],
    "PTRACE_???",
);

/// `PTRACE_O_*` options.
const PTRACE_O: Xlat = Xlat::wide(
    &[
        (0x1, "PTRACE_O_TRACESYSGOOD"),
        (0x2, "PTRACE_O_TRACEFORK"),
        (0x4, "PTRACE_O_TRACEVFORK"),
        (0x8, "PTRACE_O_TRACECLONE"),
        (0x10, "PTRACE_O_TRACEEXEC"),
        (0x20, "PTRACE_O_TRACEVFORKDONE"),
        (0x40, "PTRACE_O_TRACEEXIT"),
        (0x80, "PTRACE_O_TRACESECCOMP"),
        (0x100000, "PTRACE_O_EXITKILL"),
        (0x200000, "PTRACE_O_SUSPEND_SECCOMP"),
    ],
    "PTRACE_O_???",
);

/// `struct ptrace_syscall_info`'s `op`.
const SYSCALL_INFO_OP: Xlat = Xlat::hex(
    &[
        (0, "PTRACE_SYSCALL_INFO_NONE"),
        (1, "PTRACE_SYSCALL_INFO_ENTRY"),
        (2, "PTRACE_SYSCALL_INFO_EXIT"),
        (3, "PTRACE_SYSCALL_INFO_SECCOMP"),
    ],
    "PTRACE_SYSCALL_INFO_???",
);

/// `AUDIT_ARCH_X86_64`: the architecture whose syscall numbers are this tracer's.
const AUDIT_ARCH_X86_64: u64 = 0xc000_003e;

/// The audit architectures of the ABIs an x86_64 process can use.
const AUDIT_ARCH: Xlat = Xlat::hex(
    &[
        (0x4000_0003, "AUDIT_ARCH_I386"),
        (AUDIT_ARCH_X86_64, "AUDIT_ARCH_X86_64"),
    ],
    "AUDIT_ARCH_???",
);

const TRACEME: u64 = 0;
const PEEKTEXT: u64 = 1;
const PEEKDATA: u64 = 2;
const PEEKUSER: u64 = 3;
const GETEVENTMSG: u64 = 0x4201;
const GETSIGMASK: u64 = 0x420a;
const SETSIGMASK: u64 = 0x420b;
const GET_SYSCALL_INFO: u64 = 0x420e;

/// The most of `struct ptrace_syscall_info` strace shows: up to `seccomp.ret_data`.
const INFO_SIZE: usize = 84;

/// What the data argument of `request` is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Data {
    /// Not passed at all (nor the address).
    None,
    /// A signal to deliver.
    Signal,
    /// `PTRACE_O_*` options.
    Options,
    /// An input signal set whose size is the address argument.
    SigsetIn,
    /// Filled by the kernel: printed when the call returns.
    Out,
    /// An address.
    Addr,
}

fn data_kind(request: u64) -> Data {
    match request {
        0x8 | 0x10 | 0x4207 | 0x4208 => Data::None,
        0x7 | 0x11 | 0x18 | 0x9 | 0x21 | 0x1f | 0x20 => Data::Signal,
        0x4200 | 0x4206 | 0x15 => Data::Options,
        SETSIGMASK => Data::SigsetIn,
        PEEKTEXT | PEEKDATA | PEEKUSER | GETEVENTMSG | GETSIGMASK | GET_SYSCALL_INFO => Data::Out,
        _ => Data::Addr,
    }
}

/// The memory the call's text needs: the input signal set at entry, the kernel's answer at exit.
pub fn plan(args: &[u64; 6], ret: Option<i64>) -> Vec<FetchReq> {
    let (request, addr, data) = (args[0], args[2], args[3]);
    let len = match (data_kind(request), ret) {
        (Data::SigsetIn, None) if addr == 8 => 8,
        (Data::Out, Some(r)) if r >= 0 && data != 0 => match request {
            GETSIGMASK if addr == 8 => 8,
            GET_SYSCALL_INFO => (addr.min(r as u64) as usize).min(INFO_SIZE),
            GETSIGMASK => 0,
            _ => 8,
        },
        _ => 0,
    };
    if len == 0 {
        return Vec::new();
    }
    vec![FetchReq {
        slot: 3,
        addr: data,
        kind: FetchKind::Bytes { len },
    }]
}

/// The text at entry, after `ptrace(`; ends with `, ` when the data is printed at exit.
pub fn render_entry(args: &[u64; 6], mem: &Mem, out: &mut String) {
    let (request, pid, addr, data) = (args[0], args[1] as i32, args[2], args[3]);
    xlat::value(out, request, &PTRACE_CMDS);
    if request == TRACEME {
        return;
    }
    out.push_str(", ");
    super::pid::pid_into(out, pid, PidType::Tgid);
    let kind = data_kind(request);
    if kind == Data::None {
        return;
    }
    out.push_str(", ");
    match request {
        GETSIGMASK | SETSIGMASK | 0x420c | 0x420d | GET_SYSCALL_INFO => {
            let _ = write!(out, "{addr}");
        }
        _ => addr_into(out, addr),
    }
    out.push_str(", ");
    match kind {
        Data::Signal => {
            let sig = data as i32;
            if (1..=64).contains(&sig) && data >> 32 == 0 {
                xlat::composed_signed(out, sig as i64, &flags::signal_name(sig));
            } else {
                let _ = write!(out, "{data}");
            }
        }
        Data::Options => xlat::flags(out, data, &PTRACE_O),
        Data::SigsetIn => match mem.get(3) {
            Some(Fetched::Bytes(b)) if b.len() == 8 => flags::sigset_into(
                out,
                u64::from_ne_bytes(b[..8].try_into().unwrap_or_default()),
            ),
            _ => addr_into(out, data),
        },
        Data::Addr => addr_into(out, data),
        Data::None | Data::Out => {}
    }
}

/// The text at exit, before `)`: the buffer the kernel filled, when the request has one.
pub fn render_exit(args: &[u64; 6], ret: i64, mem: &Mem, out: &mut String) {
    let (request, addr, data) = (args[0], args[2], args[3]);
    if data_kind(request) != Data::Out {
        return;
    }
    let bytes = match mem.get(3) {
        Some(Fetched::Bytes(b)) if ret >= 0 => b.as_slice(),
        _ => {
            addr_into(out, data);
            return;
        }
    };
    let word = || u64::from_ne_bytes(bytes[..8].try_into().unwrap_or_default());
    match request {
        GET_SYSCALL_INFO => syscall_info_into(out, bytes),
        GETSIGMASK if bytes.len() == 8 => flags::sigset_into(out, word()),
        GETEVENTMSG if bytes.len() == 8 => {
            let _ = write!(out, "[{}]", word());
        }
        _ if bytes.len() == 8 => {
            let _ = write!(out, "[{:#x}]", word());
        }
        _ => addr_into(out, addr),
    }
}

fn addr_into(out: &mut String, v: u64) {
    if v == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{v:#x}");
    }
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_ne_bytes(b[at..at + 8].try_into().unwrap_or_default())
}

/// `{op=PTRACE_SYSCALL_INFO_ENTRY, arch=AUDIT_ARCH_X86_64, instruction_pointer=0x..., ...}`: the
/// fields `b` covers whole, the `entry`/`exit`/`seccomp` part as the operation says.
pub fn syscall_info_into(out: &mut String, b: &[u8]) {
    let n = b.len();
    if n == 0 {
        return;
    }
    out.push_str("{op=");
    let op = b[0];
    xlat::value(out, op as u64, &SYSCALL_INFO_OP);
    let arch = if n >= 8 {
        u32::from_ne_bytes(b[4..8].try_into().unwrap_or_default()) as u64
    } else {
        0
    };
    if n >= 8 {
        out.push_str(", arch=");
        xlat::value(out, arch, &AUDIT_ARCH);
    }
    if n >= 16 {
        out.push_str(", instruction_pointer=");
        let _ = write!(out, "{:#x}", u64_at(b, 8));
    }
    if n >= 24 {
        out.push_str(", stack_pointer=");
        let _ = write!(out, "{:#x}", u64_at(b, 16));
    }
    if n >= 32 {
        match op {
            1 | 3 => {
                out.push_str(if op == 1 { ", entry={" } else { ", seccomp={" });
                out.push_str("nr=");
                syscall_nr_into(out, u64_at(b, 24), arch);
                let nargs = ((n - 32) / 8).min(6);
                if nargs > 0 {
                    out.push_str(", args=[");
                    for k in 0..nargs {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        let v = u64_at(b, 32 + 8 * k);
                        if v == 0 {
                            out.push('0');
                        } else {
                            let _ = write!(out, "{v:#x}");
                        }
                    }
                    out.push(']');
                }
                if op == 3 && n >= INFO_SIZE {
                    let ret_data = u32::from_ne_bytes(b[80..84].try_into().unwrap_or_default());
                    let _ = write!(out, ", ret_data={ret_data}");
                }
                out.push('}');
            }
            2 => {
                let rval = u64_at(b, 24) as i64;
                let whole = n >= 33;
                let is_error = whole && b[32] != 0;
                out.push_str(", exit={rval=");
                errno_or_number_into(out, rval, is_error);
                if whole {
                    let _ = write!(out, ", is_error={}", b[32]);
                }
                out.push('}');
            }
            _ => {}
        }
    }
    out.push('}');
}

/// A syscall number of `arch`: `__NR_chdir` (`80 /* __NR_chdir */` under `-X verbose`) when it is one
/// of this tracer's, the bare number otherwise.
fn syscall_nr_into(out: &mut String, nr: u64, arch: u64) {
    let name = (arch == AUDIT_ARCH_X86_64)
        .then(|| syscalls::Sysno::new(nr as usize))
        .flatten();
    match (name, xlat::style()) {
        (Some(s), Style::Abbrev) => {
            let _ = write!(out, "__NR_{}", s.name());
        }
        (Some(s), Style::Verbose) => {
            let _ = write!(out, "{nr} /* __NR_{} */", s.name());
        }
        _ => {
            let _ = write!(out, "{nr}");
        }
    }
}

/// A return value that is a negated errno when `is_error`: `-ENOENT` (`-2 /* -ENOENT */`).
fn errno_or_number_into(out: &mut String, v: i64, is_error: bool) {
    let name = is_error
        .then(|| flags::errno_name(v.unsigned_abs() as i32))
        .flatten()
        .filter(|_| v < 0);
    match (name, xlat::style()) {
        (Some(n), Style::Abbrev) => {
            let _ = write!(out, "-{n}");
        }
        (Some(n), Style::Verbose) => {
            let _ = write!(out, "{v} /* -{n} */");
        }
        _ => {
            let _ = write!(out, "{v}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(op: u8, words: &[u64]) -> Vec<u8> {
        let mut b = vec![0u8; 8];
        b[0] = op;
        b[4..8].copy_from_slice(&(AUDIT_ARCH_X86_64 as u32).to_ne_bytes());
        for w in words {
            b.extend_from_slice(&w.to_ne_bytes());
        }
        b
    }

    #[test]
    fn syscall_info_shows_only_the_fields_the_length_covers() {
        let b = info(1, &[0x1000, 0x2000, 80, 0x55, 0xbad1]);
        let mut s = String::new();
        syscall_info_into(&mut s, &b[..8]);
        assert_eq!(s, "{op=PTRACE_SYSCALL_INFO_ENTRY, arch=AUDIT_ARCH_X86_64}");
        let mut s = String::new();
        syscall_info_into(&mut s, &b[..47]);
        assert_eq!(
            s,
            "{op=PTRACE_SYSCALL_INFO_ENTRY, arch=AUDIT_ARCH_X86_64, instruction_pointer=0x1000, \
             stack_pointer=0x2000, entry={nr=__NR_chdir, args=[0x55]}}"
        );
    }

    #[test]
    fn an_exit_with_is_error_shows_the_errno() {
        let mut b = info(2, &[0x1000, 0x2000, (-2i64) as u64]);
        b.push(1);
        let mut s = String::new();
        syscall_info_into(&mut s, &b);
        assert!(s.ends_with("exit={rval=-ENOENT, is_error=1}}"), "{s}");
        let mut s = String::new();
        syscall_info_into(&mut s, &b[..32]);
        assert!(s.ends_with("exit={rval=-2}}"), "{s}");
    }

    #[test]
    fn requests_without_address_or_data_stop_after_the_pid() {
        let mut s = String::new();
        render_entry(&[0x10, 5, 1, 2, 0, 0], &Mem::default(), &mut s);
        assert_eq!(s, "PTRACE_ATTACH, 5");
        let mut s = String::new();
        render_entry(&[0x18, 6, 0, 0, 0, 0], &Mem::default(), &mut s);
        assert_eq!(s, "PTRACE_SYSCALL, 6, NULL, 0");
        let mut s = String::new();
        render_entry(&[0x4200, 6, 0, 1, 0, 0], &Mem::default(), &mut s);
        assert_eq!(s, "PTRACE_SETOPTIONS, 6, NULL, PTRACE_O_TRACESYSGOOD");
    }
}
