//! `personality`'s execution domain and flags.
//!
//! Design: a persona is an execution domain in the low byte (`PER_LINUX`) and flags above it
//! (`PER_LINUX|ADDR_NO_RANDOMIZE`); 0xffffffff only queries and is shown as a number. The previous
//! persona is returned, in hex with its decoding in parentheses.

use super::custom::{self, CustomArg, CustomRet, Phase};
use super::structs::CHex;
use super::xlat::{self, Xlat};
use std::fmt::Write;

/// Execution domains that fit the domain byte.
const TYPES: Xlat = Xlat::hex(
    &[
        (0, "PER_LINUX"),
        (0x6, "PER_BSD"),
        (0x8, "PER_LINUX32"),
        (0xc, "PER_RISCOS"),
        (0xf, "PER_OSF4"),
        (0x10, "PER_HPUX"),
    ],
    "PER_???",
);

/// Persona flags (unnamed bits are shown as a bare number).
const FLAGS: Xlat = Xlat::hex(
    &[
        (0x0020000, "UNAME26"),
        (0x0040000, "ADDR_NO_RANDOMIZE"),
        (0x0080000, "FDPIC_FUNCPTRS"),
        (0x0100000, "MMAP_PAGE_ZERO"),
        (0x0200000, "ADDR_COMPAT_LAYOUT"),
        (0x0400000, "READ_IMPLIES_EXEC"),
        (0x0800000, "ADDR_LIMIT_32BIT"),
        (0x1000000, "SHORT_INODE"),
        (0x2000000, "WHOLE_SECONDS"),
        (0x4000000, "STICKY_TIMEOUTS"),
        (0x8000000, "ADDR_LIMIT_3GB"),
    ],
    "",
);

const PER_MASK: u64 = 0xff;

/// `PER_LINUX|ADDR_NO_RANDOMIZE` in the `-X` style.
fn persona_into(out: &mut String, v: u64) {
    xlat::value(out, v & PER_MASK, &TYPES);
    if v & !PER_MASK != 0 {
        out.push('|');
        xlat::flags(out, v & !PER_MASK, &FLAGS);
    }
}

/// The persona to set (or 0xffffffff to query).
pub const PERSONA: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| {
        let v = c.v() & 0xffff_ffff;
        if v == 0xffff_ffff {
            let _ = write!(out, "{v:#x}");
        } else {
            persona_into(out, v);
        }
    },
};

/// The previous persona: `0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)`.
pub const PERSONA_RET: CustomRet = CustomRet {
    plan: custom::no_ret_plan,
    render: |_, ret, _, _, out| {
        let _ = write!(out, "{} (", CHex(ret as u64));
        persona_into(out, ret as u64 & 0xffff_ffff);
        out.push(')');
    },
};
