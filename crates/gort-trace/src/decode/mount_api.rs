//! The mount API: `fsopen`, `fsconfig`, `fsmount`, `fspick`, `open_tree`, `move_mount`,
//! `mount_setattr`.
//!
//! Design: flag tables for each call, `fsconfig`'s arguments by command (a key string, then a string,
//! path, binary blob, or descriptor value), and `mount_setattr`'s extensible `struct mount_attr`
//! (see extensible.rs), whose `userns_fd` is a descriptor (shown with its path under `-y`) only when
//! an ID-mapping is being set or cleared. The descriptor that `fsconfig` and `fsmount` act on is a
//! filesystem context, never a path, so `-P` does not look at it ([`CONTEXT_FD`]).

use super::bounded_str;
use super::custom::{self, extra_slot, CustomArg, Phase};
use super::extensible;
use super::strings::quote_into;
use super::xlat::{self, Xlat};
use super::{FdKinds, FetchKind, FetchReq};
use std::fmt::Write;

/// `fsopen` flags.
pub const FSOPEN_FLAGS: Xlat = Xlat::hex(&[(1, "FSOPEN_CLOEXEC")], "FSOPEN_???");

/// `fsmount` flags.
pub const FSMOUNT_FLAGS: Xlat = Xlat::hex(&[(1, "FSMOUNT_CLOEXEC")], "FSMOUNT_???");

/// `fsmount` mount attributes.
pub const FSMOUNT_ATTR_FLAGS: Xlat = Xlat::hex(
    &[
        (0x01, "MOUNT_ATTR_RDONLY"),
        (0x02, "MOUNT_ATTR_NOSUID"),
        (0x04, "MOUNT_ATTR_NODEV"),
        (0x08, "MOUNT_ATTR_NOEXEC"),
        (0x10, "MOUNT_ATTR_NOATIME"),
        (0x20, "MOUNT_ATTR_STRICTATIME"),
        (0x80, "MOUNT_ATTR_NODIRATIME"),
    ],
    "MOUNT_ATTR_???",
);

/// `struct mount_attr`'s attributes.
const MOUNT_ATTR: Xlat = Xlat::wide(
    &[
        (0x01, "MOUNT_ATTR_RDONLY"),
        (0x02, "MOUNT_ATTR_NOSUID"),
        (0x04, "MOUNT_ATTR_NODEV"),
        (0x08, "MOUNT_ATTR_NOEXEC"),
        (0x10, "MOUNT_ATTR_NOATIME"),
        (0x20, "MOUNT_ATTR_STRICTATIME"),
        (0x80, "MOUNT_ATTR_NODIRATIME"),
        (MOUNT_ATTR_IDMAP, "MOUNT_ATTR_IDMAP"),
        (0x0020_0000, "MOUNT_ATTR_NOSYMFOLLOW"),
    ],
    "MOUNT_ATTR_???",
);

const MOUNT_ATTR_IDMAP: u64 = 0x0010_0000;

/// `struct mount_attr`'s propagation type.
const PROPAGATION: Xlat = Xlat::wide(
    &[
        (1 << 17, "MS_UNBINDABLE"),
        (1 << 18, "MS_PRIVATE"),
        (1 << 19, "MS_SLAVE"),
        (1 << 20, "MS_SHARED"),
    ],
    "MS_???",
);

/// `fspick` flags.
pub const FSPICK_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "FSPICK_CLOEXEC"),
        (2, "FSPICK_SYMLINK_NOFOLLOW"),
        (4, "FSPICK_NO_AUTOMOUNT"),
        (8, "FSPICK_EMPTY_PATH"),
    ],
    "FSPICK_???",
);

/// `open_tree` flags.
pub const OPEN_TREE_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "OPEN_TREE_CLONE"),
        (0o2000000, "OPEN_TREE_CLOEXEC"),
        (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x200, "AT_REMOVEDIR"),
        (0x400, "AT_SYMLINK_FOLLOW"),
        (0x800, "AT_NO_AUTOMOUNT"),
        (0x1000, "AT_EMPTY_PATH"),
        (0x8000, "AT_RECURSIVE"),
    ],
    "OPEN_TREE_???",
);

/// `move_mount` flags.
pub const MOVE_MOUNT_FLAGS: Xlat = Xlat::hex(
    &[
        (0x01, "MOVE_MOUNT_F_SYMLINKS"),
        (0x02, "MOVE_MOUNT_F_AUTOMOUNTS"),
        (0x04, "MOVE_MOUNT_F_EMPTY_PATH"),
        (0x10, "MOVE_MOUNT_T_SYMLINKS"),
        (0x20, "MOVE_MOUNT_T_AUTOMOUNTS"),
        (0x40, "MOVE_MOUNT_T_EMPTY_PATH"),
        (0x100, "MOVE_MOUNT_SET_GROUP"),
    ],
    "MOVE_MOUNT_???",
);

/// `mount_setattr` flags.
pub const MOUNT_SETATTR_FLAGS: Xlat = Xlat::hex(
    &[
        (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x800, "AT_NO_AUTOMOUNT"),
        (0x1000, "AT_EMPTY_PATH"),
        (0x8000, "AT_RECURSIVE"),
    ],
    "AT_???",
);

/// `fsconfig` commands.
pub const FSCONFIG_CMDS: Xlat = Xlat::hex(
    &[
        (0, "FSCONFIG_SET_FLAG"),
        (1, "FSCONFIG_SET_STRING"),
        (2, "FSCONFIG_SET_BINARY"),
        (3, "FSCONFIG_SET_PATH"),
        (4, "FSCONFIG_SET_PATH_EMPTY"),
        (5, "FSCONFIG_SET_FD"),
        (6, "FSCONFIG_CMD_CREATE"),
        (7, "FSCONFIG_CMD_RECONFIGURE"),
    ],
    "FSCONFIG_???",
);

/// The longest `fsconfig` key or string value strace shows.
const FSCONFIG_STR_MAX: usize = 256;

/// A descriptor of a filesystem context or mount (shown with its path under `-y`, never matched by
/// `-P`).
pub const CONTEXT_FD: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        if c.opts.decode_fds > 0 && c.v() as i32 >= 0 {
            out.push(c.req(
                c.v() as i32 as u64,
                FetchKind::FdPath {
                    kinds: c.opts.decode_fds,
                },
            ));
        }
    },
    render: |c, m, out| super::fd_into(out, c.v() as i32, m.now.get(c.i)),
};

/// An `fsconfig` key or string value: a string of at most 256 bytes (and `-s`).
pub const FSCONFIG_STR: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| bounded_str::plan(c, FSCONFIG_STR_MAX, out),
    render: |c, m, out| bounded_str::render(c, m, FSCONFIG_STR_MAX, out),
};

/// `FSCONFIG_SET_BINARY`'s value: as many bytes as the last argument says, in hex.
pub const FSCONFIG_BLOB: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        let len = c.args[4] as u32 as usize;
        if c.v() != 0 {
            let len = len.min(c.opts.strsize + 1);
            out.push(c.req(c.v(), FetchKind::Bytes { len }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) => {
            let len = c.args[4] as u32 as usize;
            let shown = b.len().min(c.opts.strsize);
            quote_into(out, &b[..shown], true);
            if len > c.opts.strsize {
                out.push_str("...");
            }
        }
        None => custom::ptr(out, c.v()),
    },
};

/// `struct mount_attr`'s first version's size.
const MOUNT_ATTR_SIZE_VER0: usize = 32;

/// `mount_setattr`'s `struct mount_attr`, whose size is the next argument.
pub const MOUNT_ATTR_ARG: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        let size = c.args[c.i + 1];
        if size < MOUNT_ATTR_SIZE_VER0 as u64 {
            return;
        }
        extensible::plan(c, c.v(), size, MOUNT_ATTR_SIZE_VER0, out);
        if c.opts.decode_fds & FdKinds::PATH != 0 && c.v() != 0 {
            out.push(FetchReq {
                slot: extra_slot(c.i, 1),
                addr: c.v(),
                kind: FetchKind::FdAt {
                    offset: 24,
                    kinds: c.opts.decode_fds,
                },
            });
        }
    },
    render: |c, m, out| {
        let size = c.args[c.i + 1];
        let b = match m.bytes(c.i) {
            Some(b) if size >= MOUNT_ATTR_SIZE_VER0 as u64 && b.len() == MOUNT_ATTR_SIZE_VER0 => b,
            _ => return custom::ptr(out, c.v()),
        };
        let field =
            |k: usize| u64::from_ne_bytes(b[8 * k..8 * k + 8].try_into().unwrap_or_default());
        let (set, clr, propagation, userns_fd) = (field(0), field(1), field(2), field(3));
        out.push_str("{attr_set=");
        xlat::flags(out, set, &MOUNT_ATTR);
        out.push_str(", attr_clr=");
        xlat::flags(out, clr, &MOUNT_ATTR);
        out.push_str(", propagation=");
        xlat::value(out, propagation, &PROPAGATION);
        out.push_str(", userns_fd=");
        if userns_fd > i32::MAX as u64 || (set | clr) & MOUNT_ATTR_IDMAP == 0 {
            let _ = write!(out, "{userns_fd}");
        } else {
            super::fd_into(
                out,
                userns_fd as i32,
                m.now.get(extra_slot(c.i, 1) as usize),
            );
        }
        extensible::tail_into(c, m, size, MOUNT_ATTR_SIZE_VER0, out);
        out.push('}');
    },
};
