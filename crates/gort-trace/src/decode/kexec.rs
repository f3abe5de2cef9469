//! `kexec_load`'s segments and flags, `kexec_file_load`'s flags.
//!
//! Design: `kexec_load`'s flags carry the target architecture in their upper half
//! (`KEXEC_ARCH_X86_64|KEXEC_ON_CRASH`); its segments are an array of `struct kexec_segment`, shown
//! by address when there are more than the kernel's 16.

use super::array;
use super::custom::{self, CustomArg, Phase};
use super::xlat::{self, Xlat};
use std::fmt::Write;

const ARCH_MASK: u64 = 0xffff_0000;
const SEGMENT_MAX: u64 = 16;

const ARCHES: Xlat = Xlat::wide(
    &[
        (0, "KEXEC_ARCH_DEFAULT"),
        (3 << 16, "KEXEC_ARCH_386"),
        (4 << 16, "KEXEC_ARCH_68K"),
        (15 << 16, "KEXEC_ARCH_PARISC"),
        (62 << 16, "KEXEC_ARCH_X86_64"),
        (20 << 16, "KEXEC_ARCH_PPC"),
        (21 << 16, "KEXEC_ARCH_PPC64"),
        (50 << 16, "KEXEC_ARCH_IA_64"),
        (40 << 16, "KEXEC_ARCH_ARM"),
        (22 << 16, "KEXEC_ARCH_S390"),
        (42 << 16, "KEXEC_ARCH_SH"),
        (10 << 16, "KEXEC_ARCH_MIPS_LE"),
        (8 << 16, "KEXEC_ARCH_MIPS"),
        (183 << 16, "KEXEC_ARCH_AARCH64"),
        (243 << 16, "KEXEC_ARCH_RISCV"),
        (258 << 16, "KEXEC_ARCH_LOONGARCH"),
    ],
    "KEXEC_ARCH_???",
);

const LOAD_FLAGS: Xlat = Xlat::wide(
    &[(1, "KEXEC_ON_CRASH"), (2, "KEXEC_PRESERVE_CONTEXT")],
    "KEXEC_???",
);

/// `kexec_file_load` flags.
pub const FILE_FLAGS: Xlat = Xlat::wide(
    &[
        (1, "KEXEC_FILE_UNLOAD"),
        (2, "KEXEC_FILE_ON_CRASH"),
        (4, "KEXEC_FILE_NO_INITRAMFS"),
    ],
    "KEXEC_FILE_???",
);

/// `kexec_load`'s flags: `KEXEC_ARCH_SH|KEXEC_ON_CRASH`.
pub const LOAD_FLAGS_ARG: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| {
        let v = c.v();
        xlat::value(out, v & ARCH_MASK, &ARCHES);
        if v & !ARCH_MASK != 0 {
            out.push('|');
            xlat::flags(out, v & !ARCH_MASK, &LOAD_FLAGS);
        }
    },
};

/// `kexec_load`'s segments, as many as its second argument.
pub const SEGMENTS: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        if c.args[1] <= SEGMENT_MAX {
            array::plan_arg(c, c.args[1], 32, out)
        }
    },
    render: |c, m, out| {
        if c.args[1] > SEGMENT_MAX {
            return custom::ptr(out, c.v());
        }
        array::render_arg(c, m, c.args[1], 32, out, |o, b| {
            let w = |k: usize| array::u64_of(&b[8 * k..]);
            o.push_str("{buf=");
            custom::ptr(o, w(0));
            let _ = write!(o, ", bufsz={}, mem=", w(1));
            custom::ptr(o, w(2));
            let _ = write!(o, ", memsz={}}}", w(3));
        })
    },
};
