//! `statx`'s mask and `struct statx`.
//!
//! Design: without `-v` the structure shows the mask, attributes, mode and size (`...` for the rest);
//! with it, every field the returned mask says is valid, the timestamps with their dates. Fields are
//! read at the kernel's fixed offsets.

use super::custom::{self, CustomArg, Phase};
use super::structs::{date_comment_into, mode_into};
use super::xlat::{self, Xlat};
use super::FetchKind;
use std::fmt::Write;

/// `statx` mask bits (6.1's table: `STATX_ALL` first).
pub const MASK: Xlat = Xlat::hex(
    &[
        (0xfff, "STATX_ALL"),
        (0x7ff, "STATX_BASIC_STATS"),
        (0x1, "STATX_TYPE"),
        (0x2, "STATX_MODE"),
        (0x4, "STATX_NLINK"),
        (0x8, "STATX_UID"),
        (0x10, "STATX_GID"),
        (0x20, "STATX_ATIME"),
        (0x40, "STATX_MTIME"),
        (0x80, "STATX_CTIME"),
        (0x100, "STATX_INO"),
        (0x200, "STATX_SIZE"),
        (0x400, "STATX_BLOCKS"),
        (0x800, "STATX_BTIME"),
        (0x1000, "STATX_MNT_ID"),
        (0x2000, "STATX_DIOALIGN"),
    ],
    "STATX_???",
);

const ATTRS: Xlat = Xlat::wide(
    &[
        (0x4, "STATX_ATTR_COMPRESSED"),
        (0x10, "STATX_ATTR_IMMUTABLE"),
        (0x20, "STATX_ATTR_APPEND"),
        (0x40, "STATX_ATTR_NODUMP"),
        (0x800, "STATX_ATTR_ENCRYPTED"),
        (0x1000, "STATX_ATTR_AUTOMOUNT"),
        (0x2000, "STATX_ATTR_MOUNT_ROOT"),
        (0x10_0000, "STATX_ATTR_VERITY"),
        (0x20_0000, "STATX_ATTR_DAX"),
    ],
    "STATX_ATTR_???",
);

const SIZE: usize = 256;

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(b[off..off + 4].try_into().unwrap_or_default())
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_ne_bytes(b[off..off + 8].try_into().unwrap_or_default())
}

fn id_into(out: &mut String, id: u32) {
    if id == u32::MAX {
        out.push_str("-1");
    } else {
        let _ = write!(out, "{id}");
    }
}

fn statx_into(out: &mut String, b: &[u8], verbose: bool) {
    let mask = u32_at(b, 0) as u64;
    out.push_str("{stx_mask=");
    xlat::flags(out, mask, &MASK);
    if verbose {
        let _ = write!(out, ", stx_blksize={}", u32_at(b, 4));
    }
    out.push_str(", stx_attributes=");
    xlat::flags(out, u64_at(b, 8), &ATTRS);
    if verbose {
        if mask & 0x4 != 0 {
            let _ = write!(out, ", stx_nlink={}", u32_at(b, 16));
        }
        if mask & 0x8 != 0 {
            out.push_str(", stx_uid=");
            id_into(out, u32_at(b, 20));
        }
        if mask & 0x10 != 0 {
            out.push_str(", stx_gid=");
            id_into(out, u32_at(b, 24));
        }
    }
    if mask & 0x3 != 0 {
        out.push_str(", stx_mode=");
        mode_into(out, u16::from_ne_bytes([b[28], b[29]]) as u32);
    }
    if verbose && mask & 0x100 != 0 {
        let _ = write!(out, ", stx_ino={}", u64_at(b, 32));
    }
    if mask & 0x200 != 0 {
        let _ = write!(out, ", stx_size={}", u64_at(b, 40));
    }
    if !verbose {
        out.push_str(", ...}");
        return;
    }
    if mask & 0x400 != 0 {
        let _ = write!(out, ", stx_blocks={}", u64_at(b, 48));
    }
    out.push_str(", stx_attributes_mask=");
    xlat::flags(out, u64_at(b, 56), &ATTRS);
    for (bit, name, off) in [
        (0x20, "stx_atime", 64),
        (0x800, "stx_btime", 80),
        (0x80, "stx_ctime", 96),
        (0x40, "stx_mtime", 112),
    ] {
        if mask & bit != 0 {
            let (sec, nsec) = (u64_at(b, off) as i64, u32_at(b, off + 8));
            let _ = write!(out, ", {name}={{tv_sec={sec}, tv_nsec={nsec}}}");
            date_comment_into(out, sec, nsec as u64);
        }
    }
    let _ = write!(
        out,
        ", stx_rdev_major={}, stx_rdev_minor={}, stx_dev_major={}, stx_dev_minor={}",
        u32_at(b, 128),
        u32_at(b, 132),
        u32_at(b, 136),
        u32_at(b, 140)
    );
    if mask & 0x1000 != 0 {
        let _ = write!(out, ", stx_mnt_id={:#x}", u64_at(b, 144));
    }
    if mask & 0x2000 != 0 {
        let _ = write!(
            out,
            ", stx_dio_mem_align={}, stx_dio_offset_align={}",
            u32_at(b, 152),
            u32_at(b, 156)
        );
    }
    out.push('}');
}

/// The `struct statx` the kernel fills.
pub const STATX_OUT: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| {
        if !c.failed() && c.v() != 0 {
            out.push(c.req(c.v(), FetchKind::Bytes { len: SIZE }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if !c.failed() && b.len() == SIZE => statx_into(out, b, c.opts.verbose),
        _ => custom::ptr(out, c.v()),
    },
};
