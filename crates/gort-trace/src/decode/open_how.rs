//! `openat2`'s `struct open_how`.
//!
//! Design: `{flags=O_RDONLY|O_EXCL, mode=0777, resolve=RESOLVE_NO_XDEV}`; the mode is shown when the
//! flags create a file or it is not zero. The structure is extensible (see extensible.rs): its size
//! is `openat2`'s next argument, and a size below the first version's 24 bytes is shown as the address.

use super::custom::{self, CustomArg, Phase};
use super::extensible;
use super::flags::{flags_into, OPEN_FLAGS, O_CREAT, O_TMPFILE_BIT};
use super::structs::octal_into;
use super::xlat::{self, Xlat};

/// The first version's size.
const SIZE_VER0: usize = 24;

/// `RESOLVE_*` flags.
const RESOLVE: Xlat = Xlat::wide(
    &[
        (0x01, "RESOLVE_NO_XDEV"),
        (0x02, "RESOLVE_NO_MAGICLINKS"),
        (0x04, "RESOLVE_NO_SYMLINKS"),
        (0x08, "RESOLVE_BENEATH"),
        (0x10, "RESOLVE_IN_ROOT"),
        (0x20, "RESOLVE_CACHED"),
    ],
    "RESOLVE_???",
);

/// 64-bit `open` flags in the `-X` style: `O_RDONLY|0xdeadface80000000`.
pub fn open_flags64_into(out: &mut String, v: u64) {
    let mut names = String::from(match v & 3 {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        2 => "O_RDWR",
        _ => "O_ACCMODE",
    });
    if v & !3 != 0 {
        names.push('|');
        flags_into(&mut names, v & !3, OPEN_FLAGS, "");
    }
    xlat::composed(out, v, &names);
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_ne_bytes(b[off..off + 8].try_into().unwrap_or_default())
}

/// `openat2`'s third argument, whose size is the fourth.
pub const OPEN_HOW: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        let size = c.args[c.i + 1];
        if size >= SIZE_VER0 as u64 {
            extensible::plan(c, c.v(), size, SIZE_VER0, out);
        }
    },
    render: |c, m, out| {
        let size = c.args[c.i + 1];
        let b = match m.bytes(c.i) {
            Some(b) if size >= SIZE_VER0 as u64 && b.len() == SIZE_VER0 => b,
            _ => return custom::ptr(out, c.v()),
        };
        let (flags, mode, resolve) = (u64_at(b, 0), u64_at(b, 8), u64_at(b, 16));
        out.push_str("{flags=");
        open_flags64_into(out, flags);
        if flags & (O_CREAT | O_TMPFILE_BIT) != 0 || mode != 0 {
            out.push_str(", mode=");
            octal_into(out, mode);
        }
        out.push_str(", resolve=");
        xlat::flags(out, resolve, &RESOLVE);
        extensible::tail_into(c, m, size, SIZE_VER0, out);
        out.push('}');
    },
};
