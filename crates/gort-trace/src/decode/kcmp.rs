//! `kcmp`: which resource of two processes is compared, and the descriptors or epoll target it
//! names.
//!
//! Design: `KCMP_FILE` compares two descriptors (decorated under `-y`), `KCMP_EPOLL_TFD` a descriptor
//! and a `struct kcmp_epoll_slot`, the other known types take no more arguments, and unknown ones
//! show both in hex; spec.rs picks the argument list by type.

use super::custom::{self, CustomArg, Phase};
use super::xlat::Xlat;
use super::FetchKind;
use std::fmt::Write;

/// Compared resources.
pub const TYPES: Xlat = Xlat::hex(
    &[
        (0, "KCMP_FILE"),
        (1, "KCMP_VM"),
        (2, "KCMP_FILES"),
        (3, "KCMP_FS"),
        (4, "KCMP_SIGHAND"),
        (5, "KCMP_IO"),
        (6, "KCMP_SYSVSEM"),
        (7, "KCMP_EPOLL_TFD"),
    ],
    "KCMP_???",
);

/// `struct kcmp_epoll_slot`: `{efd=3, tfd=4, toff=0}` (descriptors of the second process).
pub const EPOLL_SLOT: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        if c.v() != 0 {
            out.push(c.req(c.v(), FetchKind::Bytes { len: 12 }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if b.len() == 12 => {
            let word =
                |k: usize| u32::from_ne_bytes(b[4 * k..4 * k + 4].try_into().unwrap_or_default());
            let _ = write!(
                out,
                "{{efd={}, tfd={}, toff={}}}",
                word(0) as i32,
                word(1) as i32,
                word(2)
            );
        }
        _ => custom::ptr(out, c.v()),
    },
};
