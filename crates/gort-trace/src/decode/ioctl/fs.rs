//! File system ioctls: inode flags and extent maps (`linux/fs.h`, `linux/fiemap.h`, type `f`) and
//! freeze, trim and extended attributes (type `X`).

use super::cx::{u32_at, u64_at, Cx, Rval};
use super::tables::{FIEMAP_EXTENT_FLAGS, FIEMAP_FLAGS, FS_IOC_FLAGS, FS_XFLAGS};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const XFLAGS: Xlat = Xlat::hex(FS_XFLAGS, "FS_XFLAG_???");
const IOC_FLAGS: Xlat = Xlat::hex(FS_IOC_FLAGS, "FS_???_FL");
const MAP_FLAGS: Xlat = Xlat::hex(FIEMAP_FLAGS, "FIEMAP_FLAG_???");
const EXTENT_FLAGS: Xlat = Xlat::hex(FIEMAP_EXTENT_FLAGS, "FIEMAP_EXTENT_???");

/// Type `f`: inode flags and `FS_IOC_FIEMAP`.
pub fn decode_f(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        // FS_IOC_FIEMAP
        0xc020660b => fiemap(cx, out),
        // FS_IOC_GETFLAGS, FS_IOC32_GETFLAGS: written by the kernel.
        0x80086601 | 0x80046601 if cx.entering() => Rval::Exit,
        // ... and FS_IOC_SETFLAGS, FS_IOC32_SETFLAGS.
        0x80086601 | 0x80046601 | 0x40086602 | 0x40046602 => {
            out.push_str(", ");
            cx.flags_into(out, cx.arg, &IOC_FLAGS);
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// `struct fiemap`: the request at entry, the mapped extents at exit (listed under `-v`).
fn fiemap(cx: &mut Cx, out: &mut String) -> Rval {
    const EXTENTS: u64 = 32;
    const EXTENT_SIZE: usize = 56;
    if cx.entering() {
        out.push_str(", ");
    } else if cx.failed() {
        return Rval::Done;
    } else {
        out.push_str(" => ");
    }
    let Some(b) = cx.fetch(out, cx.arg, 32) else {
        return Rval::Done;
    };
    if cx.entering() {
        let _ = write!(
            out,
            "{{fm_start={}, fm_length={}, fm_flags=",
            u64_at(&b, 0),
            u64_at(&b, 8)
        );
        xlat::flags(out, u32_at(&b, 16) as u64, &MAP_FLAGS);
        let _ = write!(out, ", fm_extent_count={}}}", u32_at(&b, 24));
        return Rval::Exit;
    }
    out.push_str("{fm_flags=");
    xlat::flags(out, u32_at(&b, 16) as u64, &MAP_FLAGS);
    let mapped = u32_at(&b, 20);
    let _ = write!(out, ", fm_mapped_extents={mapped}, ");
    if cx.verbose() {
        out.push_str("fm_extents=");
        let at = cx.arg + EXTENTS;
        cx.array_into(out, at, mapped as u64, EXTENT_SIZE, |_, out, e| {
            let _ = write!(
                out,
                "{{fe_logical={}, fe_physical={}, fe_length={}, fe_flags=",
                u64_at(e, 0),
                u64_at(e, 8),
                u64_at(e, 16)
            );
            xlat::flags(out, u32_at(e, 40) as u64, &EXTENT_FLAGS);
            out.push('}');
            true
        });
    } else {
        out.push_str("...");
    }
    out.push('}');
    Rval::Done
}

/// Type `X`: `FITRIM`, `FS_IOC_FS[GS]ETXATTR`, `FIFREEZE`, `FITHAW`.
pub fn decode_x(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        // FITRIM: struct fstrim_range.
        0xc0185879 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, cx.arg, 24) {
                let _ = write!(
                    out,
                    "{{start={}, len={}, minlen={}}}",
                    CHex(u64_at(&b, 0)),
                    u64_at(&b, 8),
                    u64_at(&b, 16)
                );
            }
            Rval::Done
        }
        // FS_IOC_FSGETXATTR
        0x801c581f if cx.entering() => Rval::Exit,
        0x801c581f => {
            out.push_str(", ");
            fsxattr(cx, out, true);
            Rval::Done
        }
        // FS_IOC_FSSETXATTR
        0x401c5820 => {
            out.push_str(", ");
            fsxattr(cx, out, false);
            Rval::Done
        }
        // FIFREEZE, FITHAW take no argument.
        0xc0045877 | 0xc0045878 => Rval::Done,
        _ => Rval::Plain,
    }
}

fn fsxattr(cx: &mut Cx, out: &mut String, get: bool) {
    let Some(b) = cx.fetch(out, cx.arg, 28) else {
        return;
    };
    out.push_str("{fsx_xflags=");
    xlat::flags(out, u32_at(&b, 0) as u64, &XFLAGS);
    let _ = write!(out, ", fsx_extsize={}", u32_at(&b, 4));
    if get {
        let _ = write!(out, ", fsx_nextents={}", u32_at(&b, 8));
    }
    let _ = write!(
        out,
        ", fsx_projid={}, fsx_cowextsize={}}}",
        CHex(u32_at(&b, 12) as u64),
        u32_at(&b, 16)
    );
}
