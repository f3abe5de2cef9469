//! Classic BPF programs (`struct sock_fprog`), as seccomp filters and socket filters carry them:
//! `{len=2, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x3, 0, 0x1)]}`.
//!
//! Design: an instruction with jump offsets is a `BPF_JUMP`, any other a `BPF_STMT`; its opcode is
//! split into class, size/mode, source and operation by the class's layout. The user of a program may
//! name the constant of some instructions (seccomp names its return actions), through a `k` printer.
//! Without `-v` only the program's address is shown.

use super::walk::{le16, le32, le64, Call};
use super::xlat::{self, Xlat};
use std::fmt::Write;

const CLASS: Xlat = Xlat::hex(
    &[
        (0x0, "BPF_LD"),
        (0x1, "BPF_LDX"),
        (0x2, "BPF_ST"),
        (0x3, "BPF_STX"),
        (0x4, "BPF_ALU"),
        (0x5, "BPF_JMP"),
        (0x6, "BPF_RET"),
        (0x7, "BPF_MISC"),
    ],
    "BPF_???",
);
const MISCOP: Xlat = Xlat::hex(&[(0x00, "BPF_TAX"), (0x80, "BPF_TXA")], "BPF_???");
const MODE: Xlat = Xlat::hex(
    &[
        (0x00, "BPF_IMM"),
        (0x20, "BPF_ABS"),
        (0x40, "BPF_IND"),
        (0x60, "BPF_MEM"),
        (0x80, "BPF_LEN"),
        (0xa0, "BPF_MSH"),
        (0xc0, "BPF_XADD"),
    ],
    "BPF_???",
);
const OP_ALU: Xlat = Xlat::hex(
    &[
        (0x00, "BPF_ADD"),
        (0x10, "BPF_SUB"),
        (0x20, "BPF_MUL"),
        (0x30, "BPF_DIV"),
        (0x40, "BPF_OR"),
        (0x50, "BPF_AND"),
        (0x60, "BPF_LSH"),
        (0x70, "BPF_RSH"),
        (0x80, "BPF_NEG"),
        (0x90, "BPF_MOD"),
        (0xa0, "BPF_XOR"),
        (0xb0, "BPF_MOV"),
        (0xc0, "BPF_ARSH"),
        (0xd0, "BPF_END"),
    ],
    "BPF_???",
);
const OP_JMP: Xlat = Xlat::hex(
    &[
        (0x00, "BPF_JA"),
        (0x10, "BPF_JEQ"),
        (0x20, "BPF_JGT"),
        (0x30, "BPF_JGE"),
        (0x40, "BPF_JSET"),
        (0x50, "BPF_JNE"),
        (0x60, "BPF_JSGT"),
        (0x70, "BPF_JSGE"),
        (0x80, "BPF_CALL"),
        (0x90, "BPF_EXIT"),
        (0xa0, "BPF_JLT"),
        (0xb0, "BPF_JLE"),
        (0xc0, "BPF_JSLT"),
        (0xd0, "BPF_JSLE"),
    ],
    "BPF_???",
);
const RVAL: Xlat = Xlat::hex(
    &[(0x00, "BPF_K"), (0x08, "BPF_X"), (0x10, "BPF_A")],
    "BPF_???",
);
const SIZE: Xlat = Xlat::hex(
    &[
        (0x00, "BPF_W"),
        (0x08, "BPF_H"),
        (0x10, "BPF_B"),
        (0x18, "BPF_DW"),
    ],
    "BPF_???",
);
const SRC: Xlat = Xlat::hex(&[(0x00, "BPF_K"), (0x08, "BPF_X")], "BPF_???");

/// eBPF's classes (the classic `BPF_RET` and `BPF_MISC` slots hold `BPF_JMP32` and `BPF_ALU64`).
const EBPF_CLASS: Xlat = Xlat::hex(
    &[
        (0x0, "BPF_LD"),
        (0x1, "BPF_LDX"),
        (0x2, "BPF_ST"),
        (0x3, "BPF_STX"),
        (0x4, "BPF_ALU"),
        (0x5, "BPF_JMP"),
        (0x6, "BPF_JMP32"),
        (0x7, "BPF_ALU64"),
    ],
    "BPF_???",
);
const EBPF_MODE: Xlat = Xlat::hex(
    &[
        (0x00, "BPF_IMM"),
        (0x20, "BPF_ABS"),
        (0x40, "BPF_IND"),
        (0x60, "BPF_MEM"),
        (0xc0, "BPF_XADD"),
    ],
    "BPF_???",
);

/// The most instructions a classic program may have; more are shown as `...`.
const MAXINSNS: u64 = 4096;
const INSN_SIZE: usize = 8;
const FPROG_SIZE: usize = 16;

/// Prints an instruction's constant when the program's user has a name for it (returns false
/// otherwise, and the constant is printed in hex).
pub type KPrinter = fn(&mut String, code: u16, k: u32) -> bool;

/// Appends bits of an opcode no field accounts for: `|0x.. /* BPF_??? */`.
fn leftover(out: &mut String, bits: u16) {
    if bits != 0 {
        let _ = write!(out, "|{bits:#x} /* BPF_??? */");
    }
}

/// A classic BPF opcode: `BPF_LD|BPF_W|BPF_ABS`.
pub fn code_into(out: &mut String, code: u16) {
    opcode_into(out, code, false);
}

/// A classic or (`extended`) eBPF opcode.
pub fn opcode_into(out: &mut String, code: u16, extended: bool) {
    let class = code & 7;
    let rest = code & !7;
    xlat::value(
        out,
        class as u64,
        if extended { &EBPF_CLASS } else { &CLASS },
    );
    let c = code as u64;
    match class {
        0x2 | 0x3 if !extended => leftover(out, rest),
        0x0..=0x3 => {
            // eBPF's size adds `BPF_DW`, which the classic table already names.
            out.push('|');
            xlat::value(out, c & 0x18, &SIZE);
            out.push('|');
            xlat::value(out, c & 0xe0, if extended { &EBPF_MODE } else { &MODE });
        }
        0x7 if !extended => {
            out.push('|');
            xlat::value(out, c & 0xf8, &MISCOP);
            leftover(out, rest & !0xf8);
        }
        0x4 | 0x5 | 0x7 => {
            out.push('|');
            xlat::value(out, c & 0x08, &SRC);
            out.push('|');
            // eBPF's operations add names the classic tables already hold.
            xlat::value(out, c & 0xf0, if class == 5 { &OP_JMP } else { &OP_ALU });
        }
        _ if !extended => {
            out.push('|');
            xlat::value(out, c & 0x18, &RVAL);
            leftover(out, rest & !0x18);
        }
        _ => leftover(out, rest),
    }
}

/// One instruction: `BPF_STMT(code, k)` or `BPF_JUMP(code, k, jt, jf)`.
pub fn insn_into(out: &mut String, b: &[u8], print_k: Option<KPrinter>) {
    let (code, jt, jf, k) = (le16(b, 0), b[2], b[3], le32(b, 4));
    let hex = |v: u64| super::structs::CHex(v).to_string();
    if jt != 0 || jf != 0 {
        out.push_str("BPF_JUMP(");
        code_into(out, code);
        let _ = write!(
            out,
            ", {}, {}, {})",
            hex(k as u64),
            hex(jt as u64),
            hex(jf as u64)
        );
        return;
    }
    out.push_str("BPF_STMT(");
    code_into(out, code);
    out.push_str(", ");
    if !print_k.is_some_and(|p| p(out, code, k)) {
        out.push_str(&hex(k as u64));
    }
    out.push(')');
}

/// A `struct sock_fprog` at `addr`: `{len=N, filter=[...]}` (the filter's address without `-v`).
pub fn fprog(call: &mut Call<'_>, out: &mut String, addr: u64, print_k: Option<KPrinter>) {
    let Some(b) = call.umove(out, addr, FPROG_SIZE) else {
        return;
    };
    let (len, filter) = (le16(&b, 0) as u64, le64(&b, 8));
    let _ = write!(out, "{{len={len}, filter=");
    if !call.opts.verbose {
        super::walk::ptr(out, filter);
    } else {
        let mut count = 0u64;
        // One instruction past the limit is read, and shown as `...`.
        call.array(
            out,
            filter,
            len.min(MAXINSNS + 1),
            INSN_SIZE,
            &mut |_, out, insn| {
                if count == MAXINSNS {
                    out.push_str("...");
                } else {
                    insn_into(out, insn, print_k);
                }
                count += 1;
            },
        );
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opcodes_are_split_by_class() {
        let text = |code| {
            let mut s = String::new();
            code_into(&mut s, code);
            s
        };
        assert_eq!(text(0x20), "BPF_LD|BPF_W|BPF_ABS");
        assert_eq!(text(0x15), "BPF_JMP|BPF_K|BPF_JEQ");
        assert_eq!(text(0x06), "BPF_RET|BPF_K");
        assert_eq!(text(0x07), "BPF_MISC|BPF_TAX");
        assert_eq!(text(0x02), "BPF_ST");
    }
}
