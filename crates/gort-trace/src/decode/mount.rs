//! `mount(2)`'s flags.
//!
//! Design: the flags word may start with the obsolete magic number `MS_MGC_VAL` in its upper half,
//! shown as a name of its own before the real flags (`MS_MGC_VAL|MS_RDONLY`). Which of the filesystem
//! type and data arguments are strings depends on the flags (a remount has no type; a bind, move or
//! propagation change has neither), so spec.rs picks the argument list with [`type_and_data`].

use super::custom::{self, CustomArg, Phase};
use super::xlat::{self, Xlat};

const MS_MGC_VAL: u64 = 0xc0ed_0000;
const MS_MGC_MSK: u64 = 0xffff_0000;
const MS_REMOUNT: u64 = 1 << 5;
/// `MS_BIND|MS_MOVE|MS_UNBINDABLE|MS_PRIVATE|MS_SLAVE|MS_SHARED`.
const MS_NO_TYPE_NO_DATA: u64 = (1 << 12) | (1 << 13) | (0xf << 17);

/// `mount` flags.
const MOUNT_FLAGS: Xlat = Xlat::wide(
    &[
        (1 << 0, "MS_RDONLY"),
        (1 << 1, "MS_NOSUID"),
        (1 << 2, "MS_NODEV"),
        (1 << 3, "MS_NOEXEC"),
        (1 << 4, "MS_SYNCHRONOUS"),
        (1 << 5, "MS_REMOUNT"),
        (1 << 6, "MS_MANDLOCK"),
        (1 << 7, "MS_DIRSYNC"),
        (1 << 8, "MS_NOSYMFOLLOW"),
        (1 << 10, "MS_NOATIME"),
        (1 << 11, "MS_NODIRATIME"),
        (1 << 12, "MS_BIND"),
        (1 << 13, "MS_MOVE"),
        (1 << 14, "MS_REC"),
        (1 << 15, "MS_SILENT"),
        (1 << 16, "MS_POSIXACL"),
        (1 << 17, "MS_UNBINDABLE"),
        (1 << 18, "MS_PRIVATE"),
        (1 << 19, "MS_SLAVE"),
        (1 << 20, "MS_SHARED"),
        (1 << 21, "MS_RELATIME"),
        (1 << 22, "MS_KERNMOUNT"),
        (1 << 23, "MS_I_VERSION"),
        (1 << 24, "MS_STRICTATIME"),
        (1 << 25, "MS_LAZYTIME"),
        (1 << 26, "MS_SUBMOUNT"),
        (1 << 27, "MS_NOREMOTELOCK"),
        (1 << 28, "MS_NOSEC"),
        (1 << 29, "MS_BORN"),
        (1 << 30, "MS_ACTIVE"),
        (1 << 31, "MS_NOUSER"),
    ],
    "MS_???",
);

const MGC: Xlat = Xlat::wide(&[(MS_MGC_VAL, "MS_MGC_VAL")], "");

/// The flags without the magic number, and whether it was there.
fn split_magic(v: u64) -> (u64, bool) {
    if v & MS_MGC_MSK == MS_MGC_VAL {
        (v & !MS_MGC_MSK, true)
    } else {
        (v, false)
    }
}

/// Whether the filesystem type and the data are strings, for the flags `v`.
pub fn type_and_data(v: u64) -> (bool, bool) {
    let (flags, _) = split_magic(v);
    if flags & MS_REMOUNT != 0 {
        (false, true)
    } else if flags & MS_NO_TYPE_NO_DATA != 0 {
        (false, false)
    } else {
        (true, true)
    }
}

/// `mount`'s flags argument.
pub const MOUNT_FLAGS_ARG: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| {
        let (flags, magic) = split_magic(c.v());
        if magic {
            xlat::value(out, MS_MGC_VAL, &MGC);
            if flags != 0 {
                out.push('|');
            }
        }
        if flags != 0 || !magic {
            xlat::flags(out, flags, &MOUNT_FLAGS);
        }
    },
};
