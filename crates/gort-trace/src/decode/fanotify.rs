//! fanotify: `fanotify_init`'s class and flags, `fanotify_mark`'s flags and event mask.
//!
//! Design: `fanotify_init`'s first argument is a notification class in bits 2-3 followed by flags
//! (`FAN_CLASS_CONTENT|FAN_CLOEXEC`); `fanotify_mark`'s directory descriptor may be `FAN_NOFD` (-1),
//! named as such, and is otherwise an `*at` directory descriptor.

use super::custom::{self, CustomArg, Phase};
use super::xlat::{self, Xlat};

/// Notification classes.
const CLASSES: Xlat = Xlat::hex(
    &[
        (0, "FAN_CLASS_NOTIF"),
        (4, "FAN_CLASS_CONTENT"),
        (8, "FAN_CLASS_PRE_CONTENT"),
    ],
    "FAN_CLASS_???",
);

const CLASS_BITS: u64 = 0xc;

/// `fanotify_init` flags besides the class.
const INIT_FLAGS: Xlat = Xlat::hex(
    &[
        (0x1, "FAN_CLOEXEC"),
        (0x2, "FAN_NONBLOCK"),
        (0x10, "FAN_UNLIMITED_QUEUE"),
        (0x20, "FAN_UNLIMITED_MARKS"),
        (0x40, "FAN_ENABLE_AUDIT"),
        (0x80, "FAN_REPORT_PIDFD"),
        (0x100, "FAN_REPORT_TID"),
        (0x200, "FAN_REPORT_FID"),
        (0x400, "FAN_REPORT_DIR_FID"),
        (0x800, "FAN_REPORT_NAME"),
        (0x1000, "FAN_REPORT_TARGET_FID"),
    ],
    "FAN_???",
);

/// `fanotify_mark` flags.
pub const MARK_FLAGS: Xlat = Xlat::hex(
    &[
        (0x1, "FAN_MARK_ADD"),
        (0x2, "FAN_MARK_REMOVE"),
        (0x4, "FAN_MARK_DONT_FOLLOW"),
        (0x8, "FAN_MARK_ONLYDIR"),
        (0x10, "FAN_MARK_MOUNT"),
        (0x20, "FAN_MARK_IGNORED_MASK"),
        (0x40, "FAN_MARK_IGNORED_SURV_MODIFY"),
        (0x80, "FAN_MARK_FLUSH"),
        (0x100, "FAN_MARK_FILESYSTEM"),
        (0x200, "FAN_MARK_EVICTABLE"),
        (0x400, "FAN_MARK_IGNORE"),
    ],
    "FAN_MARK_???",
);

/// `fanotify_mark` event mask (64-bit).
pub const EVENT_FLAGS: Xlat = Xlat::wide(
    &[
        (0x1, "FAN_ACCESS"),
        (0x2, "FAN_MODIFY"),
        (0x4, "FAN_ATTRIB"),
        (0x8, "FAN_CLOSE_WRITE"),
        (0x10, "FAN_CLOSE_NOWRITE"),
        (0x20, "FAN_OPEN"),
        (0x40, "FAN_MOVED_FROM"),
        (0x80, "FAN_MOVED_TO"),
        (0x100, "FAN_CREATE"),
        (0x200, "FAN_DELETE"),
        (0x400, "FAN_DELETE_SELF"),
        (0x800, "FAN_MOVE_SELF"),
        (0x1000, "FAN_OPEN_EXEC"),
        (0x4000, "FAN_Q_OVERFLOW"),
        (0x8000, "FAN_FS_ERROR"),
        (0x10000, "FAN_OPEN_PERM"),
        (0x20000, "FAN_ACCESS_PERM"),
        (0x40000, "FAN_OPEN_EXEC_PERM"),
        (0x80000, "FAN_DIR_MODIFY"),
        (0x4000_0000, "FAN_ONDIR"),
        (0x0800_0000, "FAN_EVENT_ON_CHILD"),
        (0x1000_0000, "FAN_RENAME"),
    ],
    "FAN_???",
);

/// `fanotify_init`'s class and flags: `FAN_CLASS_CONTENT|FAN_CLOEXEC`.
pub const INIT_CLASS_FLAGS: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| {
        let v = c.v() & 0xffff_ffff;
        xlat::value(out, v & CLASS_BITS, &CLASSES);
        if v & !CLASS_BITS != 0 {
            out.push('|');
            xlat::flags(out, v & !CLASS_BITS, &INIT_FLAGS);
        }
    },
};

/// `fanotify_mark`'s directory descriptor when it is `FAN_NOFD`.
pub const NOFD: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |_, _, out| xlat::composed_signed(out, -1, "FAN_NOFD"),
};
