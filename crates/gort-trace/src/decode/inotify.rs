//! inotify watch masks.

use super::xlat::Xlat;

/// `inotify_add_watch` event mask bits.
pub const MASK: Xlat = Xlat::hex(
    &[
        (0x0000_0001, "IN_ACCESS"),
        (0x0000_0002, "IN_MODIFY"),
        (0x0000_0004, "IN_ATTRIB"),
        (0x0000_0008, "IN_CLOSE_WRITE"),
        (0x0000_0010, "IN_CLOSE_NOWRITE"),
        (0x0000_0020, "IN_OPEN"),
        (0x0000_0040, "IN_MOVED_FROM"),
        (0x0000_0080, "IN_MOVED_TO"),
        (0x0000_0100, "IN_CREATE"),
        (0x0000_0200, "IN_DELETE"),
        (0x0000_0400, "IN_DELETE_SELF"),
        (0x0000_0800, "IN_MOVE_SELF"),
        (0x0000_2000, "IN_UNMOUNT"),
        (0x0000_4000, "IN_Q_OVERFLOW"),
        (0x0000_8000, "IN_IGNORED"),
        (0x0100_0000, "IN_ONLYDIR"),
        (0x0200_0000, "IN_DONT_FOLLOW"),
        (0x0400_0000, "IN_EXCL_UNLINK"),
        (0x1000_0000, "IN_MASK_CREATE"),
        (0x2000_0000, "IN_MASK_ADD"),
        (0x4000_0000, "IN_ISDIR"),
        (0x8000_0000, "IN_ONESHOT"),
    ],
    "IN_???",
);
