//! Socket filters: the classic BPF programs (`struct sock_fprog`) given to `SO_ATTACH_FILTER` and read
//! back with `SO_GET_FILTER`.
//!
//! Design: instructions are printed by `decode/bpf_filter.rs` (the one classic BPF printer, which
//! seccomp uses too); this file reads a socket option's program through a [`Tracee`] and names the
//! special offsets socket filters load from (`SKF_AD_OFF+SKF_AD_PROTOCOL`). Programs are shown in full
//! only under `-v`, as strace does; otherwise as their address.

use super::names::SKF_AD;
use super::tracee::{array_into, u16_at, u64_at, Tracee};
use crate::decode::bpf_filter::{insn_into, KPrinter};
use crate::decode::xlat;
use std::fmt::Write;

/// The most instructions a program may have (`BPF_MAXINSNS`).
const MAX_INSNS: u32 = 4096;

/// `len` instructions at `addr`: `[BPF_STMT(...), ...]` under `-v`, the address otherwise.
pub fn program_into(
    t: &mut Tracee,
    out: &mut String,
    addr: u64,
    len: u16,
    k_printer: Option<KPrinter>,
) {
    if !t.opts.verbose {
        return super::ptr(out, addr);
    }
    let mut count = 0;
    array_into(t, out, addr, len as u64, 8, |_, out, b| {
        count += 1;
        if count > MAX_INSNS {
            out.push_str("...");
            return false;
        }
        insn_into(out, b, k_printer);
        true
    });
}

/// `struct sock_fprog` at `addr`: `{len=2, filter=[...]}`, or its address when it cannot be read.
pub fn fprog_into(t: &mut Tracee, out: &mut String, addr: u64, k_printer: Option<KPrinter>) {
    let Some(b) = t.read(addr, 16) else {
        return super::ptr(out, addr);
    };
    let len = u16_at(&b, 0);
    let _ = write!(out, "{{len={len}, filter=");
    program_into(t, out, u64_at(&b, 8), len, k_printer);
    out.push('}');
}

/// A socket filter's `k` for an absolute load from one of the special offsets:
/// `SKF_AD_OFF+SKF_AD_PROTOCOL`, `SKF_NET_OFF+8`, `SKF_LL_OFF+4`.
pub fn socket_filter_k(out: &mut String, code: u16, k: u32) -> bool {
    const SKF_AD_OFF: u32 = 0xffff_f000;
    const SKF_NET_OFF: u32 = 0xfff0_0000;
    const SKF_LL_OFF: u32 = 0xffe0_0000;
    // BPF_LD with mode BPF_ABS.
    if code & 7 != 0 || code & 0xe0 != 0x20 {
        return false;
    }
    let (base, name) = if k >= SKF_AD_OFF {
        (SKF_AD_OFF, "SKF_AD_OFF")
    } else if k >= SKF_NET_OFF {
        (SKF_NET_OFF, "SKF_NET_OFF")
    } else if k >= SKF_LL_OFF {
        (SKF_LL_OFF, "SKF_LL_OFF")
    } else {
        return false;
    };
    xlat::composed(out, base as u64, name);
    out.push('+');
    if base == SKF_AD_OFF {
        xlat::value(out, (k - base) as u64, &SKF_AD);
    } else {
        let _ = write!(out, "{}", k - base);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_read_as_the_macros_that_build_them() {
        let mut s = String::new();
        // BPF_LD|BPF_B|BPF_ABS, k = SKF_AD_OFF + 0.
        insn_into(
            &mut s,
            &[0x30, 0, 0, 0, 0x00, 0xf0, 0xff, 0xff],
            Some(socket_filter_k),
        );
        s.push_str(", ");
        // BPF_JMP|BPF_K|BPF_JEQ, k = 0x11, jt = 0, jf = 5.
        insn_into(&mut s, &[0x15, 0, 0, 5, 0x11, 0, 0, 0], None);
        assert_eq!(
            s,
            "BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF+SKF_AD_PROTOCOL), \
             BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x11, 0, 0x5)"
        );
    }
}
