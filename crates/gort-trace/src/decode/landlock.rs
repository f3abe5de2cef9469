//! Landlock: `landlock_create_ruleset`'s `struct landlock_ruleset_attr` and `landlock_add_rule`'s
//! `struct landlock_path_beneath_attr`.
//!
//! Design: the ruleset attribute is size-versioned; strace shows the access rights it knows and `...`
//! for anything the caller passed beyond them. A path-beneath rule names its directory by a descriptor
//! inside the structure, which `-y` decorates (read with `FetchKind::FdAt`).

use super::custom::{self, extra_slot, CustomArg, Phase};
use super::xlat::{self, Xlat};
use super::{FetchKind, FetchReq};

/// Filesystem access rights.
const ACCESS_FS: Xlat = Xlat::wide(
    &[
        (1 << 0, "LANDLOCK_ACCESS_FS_EXECUTE"),
        (1 << 1, "LANDLOCK_ACCESS_FS_WRITE_FILE"),
        (1 << 2, "LANDLOCK_ACCESS_FS_READ_FILE"),
        (1 << 3, "LANDLOCK_ACCESS_FS_READ_DIR"),
        (1 << 4, "LANDLOCK_ACCESS_FS_REMOVE_DIR"),
        (1 << 5, "LANDLOCK_ACCESS_FS_REMOVE_FILE"),
        (1 << 6, "LANDLOCK_ACCESS_FS_MAKE_CHAR"),
        (1 << 7, "LANDLOCK_ACCESS_FS_MAKE_DIR"),
        (1 << 8, "LANDLOCK_ACCESS_FS_MAKE_REG"),
        (1 << 9, "LANDLOCK_ACCESS_FS_MAKE_SOCK"),
        (1 << 10, "LANDLOCK_ACCESS_FS_MAKE_FIFO"),
        (1 << 11, "LANDLOCK_ACCESS_FS_MAKE_BLOCK"),
        (1 << 12, "LANDLOCK_ACCESS_FS_MAKE_SYM"),
        (1 << 13, "LANDLOCK_ACCESS_FS_REFER"),
    ],
    "LANDLOCK_ACCESS_FS_???",
);

/// Rule types.
pub const RULE_TYPES: Xlat = Xlat::hex(&[(1, "LANDLOCK_RULE_PATH_BENEATH")], "LANDLOCK_RULE_???");

/// The known size of `struct landlock_ruleset_attr` (its `handled_access_fs`).
const RULESET_ATTR_SIZE: usize = 8;

/// `landlock_create_ruleset`'s attribute, whose size is the next argument.
pub const RULESET_ATTR: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        let size = c.args[c.i + 1];
        if c.v() != 0 && size >= RULESET_ATTR_SIZE as u64 {
            out.push(c.req(
                c.v(),
                FetchKind::Bytes {
                    len: RULESET_ATTR_SIZE,
                },
            ));
        }
    },
    render: |c, m, out| {
        let size = c.args[c.i + 1];
        match m.bytes(c.i) {
            Some(b) if size >= RULESET_ATTR_SIZE as u64 => {
                out.push_str("{handled_access_fs=");
                xlat::flags(
                    out,
                    u64::from_ne_bytes(b[..8].try_into().unwrap_or_default()),
                    &ACCESS_FS,
                );
                if size > RULESET_ATTR_SIZE as u64 {
                    out.push_str(", ...");
                }
                out.push('}');
            }
            _ => custom::ptr(out, c.v()),
        }
    },
};

/// `landlock_add_rule`'s `LANDLOCK_RULE_PATH_BENEATH` attribute: `{allowed_access=..., parent_fd=3}`.
pub const PATH_BENEATH_ATTR: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        if c.v() == 0 {
            return;
        }
        out.push(c.req(c.v(), FetchKind::Bytes { len: 12 }));
        if c.opts.decode_fds > 0 {
            out.push(FetchReq {
                slot: extra_slot(c.i, 0),
                addr: c.v(),
                kind: FetchKind::FdAt {
                    offset: 8,
                    kinds: c.opts.decode_fds,
                },
            });
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) => {
            out.push_str("{allowed_access=");
            xlat::flags(
                out,
                u64::from_ne_bytes(b[..8].try_into().unwrap_or_default()),
                &ACCESS_FS,
            );
            out.push_str(", parent_fd=");
            let fd = i32::from_ne_bytes(b[8..12].try_into().unwrap_or_default());
            super::fd_into(out, fd, m.now.get(extra_slot(c.i, 0) as usize));
            out.push('}');
        }
        None => custom::ptr(out, c.v()),
    },
};
