//! UBI (unsorted block images) ioctls (`mtd/ubi-user.h`, types `o` and `O`).
//!
//! Design: requests that create something (attach a device, make a volume) show their request at
//! entry and the number the kernel wrote back over it after ` => `.

use super::cx::{cstring_field, i32_at, i64_at, local_array, u16_at, u64_at, Cx, Rval};
use super::tables::{UBI_DATA_TYPES, UBI_VOLUME_FLAGS, UBI_VOLUME_PROPS, UBI_VOLUME_TYPES};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const VOLUME_TYPES: Xlat = Xlat::hex(UBI_VOLUME_TYPES, "UBI_???_VOLUME");
const VOLUME_FLAGS: Xlat = Xlat::hex(UBI_VOLUME_FLAGS, "UBI_VOL_???");
const VOLUME_PROPS: Xlat = Xlat::hex(UBI_VOLUME_PROPS, "UBI_VOL_PROP_???");
const DATA_TYPES: Xlat = Xlat::hex(UBI_DATA_TYPES, "UBI_???");

/// Decodes a UBI request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    let opts = *cx.opts;
    match cx.code {
        // UBI_IOCATT: struct ubi_attach_req, then the new device number.
        0x40186f40 => created(cx, out, 24, |out, b| {
            let _ = write!(
                out,
                "{{ubi_num={}, mtd_num={}, vid_hdr_offset={}, max_beb_per1024={}}}",
                i32_at(b, 0),
                i32_at(b, 4),
                i32_at(b, 8),
                u16_at(b, 12) as i16
            );
        }),
        // UBI_IOCMKVOL: struct ubi_mkvol_req, then the new volume id.
        0x40986f00 => created(cx, out, 152, |out, b| {
            let _ = write!(
                out,
                "{{vol_id={}, alignment={}, bytes={}, vol_type=",
                i32_at(b, 0),
                i32_at(b, 4),
                i64_at(b, 8)
            );
            xlat::value(out, b[16] as i8 as i64 as u64, &VOLUME_TYPES);
            out.push_str(", flags=");
            xlat::flags(out, b[17] as u64, &VOLUME_FLAGS);
            let name_len = u16_at(b, 18) as i16;
            let _ = write!(out, ", name_len={name_len}, name=");
            cstring_field(out, &b[24..25 + name_len.clamp(0, 127) as usize], &opts);
            out.push('}');
        }),
        // UBI_IOCEBCH: struct ubi_leb_change_req.
        0x40044f02 => fixed(cx, out, 16, |out, b| {
            let _ = write!(
                out,
                "{{lnum={}, bytes={}, dtype=",
                i32_at(b, 0),
                i32_at(b, 4)
            );
            xlat::value(out, b[8] as i8 as i64 as u64, &DATA_TYPES);
            out.push('}');
        }),
        // UBI_IOCEBMAP: struct ubi_map_req.
        0x40084f03 => fixed(cx, out, 8, |out, b| {
            let _ = write!(out, "{{lnum={}, dtype=", i32_at(b, 0));
            xlat::value(out, b[4] as i8 as i64 as u64, &DATA_TYPES);
            out.push('}');
        }),
        // UBI_IOCRSVOL: struct ubi_rsvol_req (packed).
        0x400c6f02 => fixed(cx, out, 12, |out, b| {
            let _ = write!(out, "{{bytes={}, vol_id={}}}", i64_at(b, 0), i32_at(b, 8));
        }),
        // UBI_IOCSETVOLPROP: struct ubi_set_vol_prop_req.
        0x40104f06 => fixed(cx, out, 16, |out, b| {
            out.push_str("{property=");
            xlat::value(out, b[0] as u64, &VOLUME_PROPS);
            let _ = write!(out, ", value={}}}", CHex(u64_at(b, 8)));
        }),
        // UBI_IOCRNVOL: struct ubi_rnvol_req, up to 32 renames.
        0x51106f03 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 16 + 32 * 136) {
                let count = i32_at(&b, 0);
                let _ = write!(out, "{{count={count}, ents=");
                local_array(out, count.clamp(0, 32) as usize, cx.opts, |out, i| {
                    let e = &b[16 + 136 * i..16 + 136 * (i + 1)];
                    let name_len = u16_at(e, 4) as i16;
                    let _ = write!(out, "{{vol_id={}, name_len={name_len}, name=", i32_at(e, 0));
                    cstring_field(out, &e[8..9 + name_len.clamp(0, 127) as usize], &opts);
                    out.push('}');
                });
                out.push('}');
            }
            Rval::Done
        }
        // UBI_IOCVOLUP
        0x40084f00 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 8) {
                let _ = write!(out, "[{}]", i64_at(&b, 0));
            }
            Rval::Done
        }
        // UBI_IOCDET, UBI_IOCEBER, UBI_IOCEBISMAP, UBI_IOCEBUNMAP, UBI_IOCRMVOL, UBI_IOCRPEB,
        // UBI_IOCSPEB
        0x40046f41 | 0x40044f01 | 0x80044f05 | 0x40044f04 | 0x40046f01 | 0x40046f04
        | 0x40046f05 => {
            out.push_str(", ");
            cx.int_into(out, arg);
            Rval::Done
        }
        // UBI_IOCVOLCRBLK, UBI_IOCVOLRMBLK
        0x40804f07 | 0x4f08 => Rval::Done,
        _ => Rval::Plain,
    }
}

/// A structure read at entry only.
fn fixed(cx: &mut Cx, out: &mut String, len: usize, show: impl FnOnce(&mut String, &[u8])) -> Rval {
    out.push_str(", ");
    if let Some(b) = cx.fetch(out, cx.arg, len) {
        show(out, &b);
    }
    Rval::Done
}

/// A request shown at entry whose first `int` the kernel overwrites with what it created.
fn created(
    cx: &mut Cx,
    out: &mut String,
    len: usize,
    show: impl FnOnce(&mut String, &[u8]),
) -> Rval {
    if cx.entering() {
        out.push_str(", ");
        if let Some(b) = cx.fetch(out, cx.arg, len) {
            show(out, &b);
            return Rval::Exit;
        }
        return Rval::Done;
    }
    if !cx.failed() {
        out.push_str(" => ");
        cx.int_into(out, cx.arg);
    }
    Rval::Done
}
