//! Seccomp user-space notification ioctls (`linux/seccomp.h`, type `!`).
//!
//! Design: `SECCOMP_IOCTL_NOTIF_RECV` fills a `struct seccomp_notif`; a caller that passes a zeroed
//! one sees it only at exit, any other is shown at entry and again, as the kernel left it, at exit.

use super::cx::{i32_at, i64_at, u32_at, u64_at, Cx, Rval};
use super::tables::{AUDIT_ARCH, SECCOMP_IOCTL_ADDFD_FLAGS, SECCOMP_IOCTL_RESP_FLAGS};
use crate::decode::flags::{errno_name, OPEN_FLAGS};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Style, Xlat};
use std::fmt::Write;

const ARCHES: Xlat = Xlat::hex(AUDIT_ARCH, "AUDIT_ARCH_???");
const ADDFD_FLAGS: Xlat = Xlat::hex(SECCOMP_IOCTL_ADDFD_FLAGS, "SECCOMP_ADDFD_FLAG_???");
const RESP_FLAGS: Xlat = Xlat::hex(SECCOMP_IOCTL_RESP_FLAGS, "SECCOMP_USER_NOTIF_FLAG_???");
const OPEN_MODE_FLAGS: Xlat = Xlat::hex(OPEN_FLAGS, "O_???");
const AUDIT_ARCH_X86_64: u32 = 0xc000003e;

/// Decodes a seccomp notification request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // SECCOMP_IOCTL_NOTIF_RECV
        0xc0502100 => {
            if cx.entering() {
                out.push_str(", ");
            }
            let Some(b) = cx.fetch(out, arg, 80) else {
                return Rval::Done;
            };
            if cx.entering() && b.iter().all(|&c| c == 0) {
                return Rval::Exit;
            }
            notif(out, &b);
            if cx.entering() {
                out.push_str(" => ");
                return Rval::Exit;
            }
            Rval::Done
        }
        // SECCOMP_IOCTL_NOTIF_SEND
        0xc0182101 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 24) {
                let _ = write!(
                    out,
                    "{{id={}, val={}, error=",
                    CHex(u64_at(&b, 0)),
                    i64_at(&b, 8)
                );
                error_into(out, i32_at(&b, 16));
                out.push_str(", flags=");
                xlat::flags(out, u32_at(&b, 20) as u64, &RESP_FLAGS);
                out.push('}');
            }
            Rval::Done
        }
        // SECCOMP_IOCTL_NOTIF_ID_VALID and its old, wrongly directed code.
        0x40082102 | 0x80082102 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 8) {
                let _ = write!(out, "[{}]", CHex(u64_at(&b, 0)));
            }
            Rval::Done
        }
        // SECCOMP_IOCTL_NOTIF_ADDFD
        0x40182103 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 24) {
                let _ = write!(out, "{{id={}, flags=", CHex(u64_at(&b, 0)));
                xlat::flags(out, u32_at(&b, 8) as u64, &ADDFD_FLAGS);
                out.push_str(", srcfd=");
                cx.fd_into(out, i32_at(&b, 12));
                let _ = write!(out, ", newfd={}, newfd_flags=", i32_at(&b, 16));
                xlat::flags(out, u32_at(&b, 20) as u64, &OPEN_MODE_FLAGS);
                out.push('}');
            }
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// `struct seccomp_notif`.
fn notif(out: &mut String, b: &[u8]) {
    let _ = write!(
        out,
        "{{id={}, pid={}, flags={}, data={{nr=",
        CHex(u64_at(b, 0)),
        u32_at(b, 8),
        CHex(u32_at(b, 12) as u64)
    );
    let (nr, arch) = (u32_at(b, 16), u32_at(b, 20));
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
    out.push_str(", arch=");
    xlat::value(out, arch as u64, &ARCHES);
    out.push_str(", instruction_pointer=");
    super::cx::addr_into(out, u64_at(b, 24));
    out.push_str(", args=[");
    for i in 0..6 {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}", CHex(u64_at(b, 32 + 8 * i)));
    }
    out.push_str("]}}");
}

/// A negated error number: `-ENOSR`.
fn error_into(out: &mut String, v: i32) {
    match errno_name(v.wrapping_neg()).filter(|_| v < 0) {
        Some(name) => xlat::composed_signed(out, v as i64, &format!("-{name}")),
        None => {
            let _ = write!(out, "{v}");
        }
    }
}
