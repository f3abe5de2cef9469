//! Memory technology device ioctls (`mtd/mtd-abi.h`, type `M`).

use super::cx::{addr_into, local_array, u32_at, u64_at, Cx, Rval};
use super::tables::*;
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const MODES: Xlat = Xlat::hex(MTD_MODE_OPTIONS, "MTD_OPS_???");
const FILE_MODES: Xlat = Xlat::wide(MTD_FILE_MODE_OPTIONS, "MTD_FILE_MODE_???");
const TYPES: Xlat = Xlat::hex(MTD_TYPE_OPTIONS, "MTD_???");
const FLAGS: Xlat = Xlat::hex(MTD_FLAGS_OPTIONS, "MTD_???");
const OTP: Xlat = Xlat::hex(MTD_OTP_OPTIONS, "MTD_OTP_???");
const NANDECC: Xlat = Xlat::hex(MTD_NANDECC_OPTIONS, "MTD_NANDECC_???");

/// `name=0x..` for each named 32-bit field at its offset.
fn hex_fields(out: &mut String, b: &[u8], fields: &[(&str, usize)]) {
    for (i, (name, off)) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{name}={}", CHex(u32_at(b, *off) as u64));
    }
}

/// Decodes an MTD request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    let opts = *cx.opts;
    match cx.code {
        // MEMERASE, MEMLOCK, MEMUNLOCK, MEMISLOCKED: struct erase_info_user.
        0x40084d02 | 0x40084d05 | 0x40084d06 | 0x80084d17 => fixed(cx, out, 8, |out, b| {
            out.push('{');
            hex_fields(out, b, &[("start", 0), ("length", 4)]);
            out.push('}');
        }),
        // MEMERASE64: struct erase_info_user64.
        0x40104d14 => fixed(cx, out, 16, |out, b| {
            let _ = write!(
                out,
                "{{start={}, length={}}}",
                CHex(u64_at(b, 0)),
                CHex(u64_at(b, 8))
            );
        }),
        // MEMWRITEOOB, MEMREADOOB: struct mtd_oob_buf.
        0xc0104d03 | 0xc0104d04 => fixed(cx, out, 16, |out, b| {
            out.push('{');
            hex_fields(out, b, &[("start", 0), ("length", 4)]);
            out.push_str(", ptr=");
            addr_into(out, u64_at(b, 8));
            out.push('}');
        }),
        // MEMWRITEOOB64, MEMREADOOB64: struct mtd_oob_buf64.
        0xc0184d15 | 0xc0184d16 => fixed(cx, out, 24, |out, b| {
            let _ = write!(
                out,
                "{{start={}, length={}, usr_ptr=",
                CHex(u64_at(b, 0)),
                CHex(u32_at(b, 12) as u64)
            );
            addr_into(out, u64_at(b, 16));
            out.push('}');
        }),
        // MEMWRITE: struct mtd_write_req.
        0xc0304d18 => fixed(cx, out, 48, |out, b| {
            let _ = write!(
                out,
                "{{start={}, len={}, ooblen={}, usr_data=",
                CHex(u64_at(b, 0)),
                CHex(u64_at(b, 8)),
                CHex(u64_at(b, 16))
            );
            addr_into(out, u64_at(b, 24));
            out.push_str(", usr_oob=");
            addr_into(out, u64_at(b, 32));
            out.push_str(", mode=");
            xlat::value(out, b[40] as u64, &MODES);
            out.push('}');
        }),
        // OTPGETREGIONINFO
        0x400c4d0f if cx.entering() => Rval::Exit,
        // ... OTPLOCK: struct otp_info.
        0x400c4d0f | 0x800c4d10 => fixed(cx, out, 12, |out, b| {
            out.push('{');
            hex_fields(out, b, &[("start", 0), ("length", 4)]);
            let _ = write!(out, ", locked={}}}", u32_at(b, 8));
        }),
        // OTPSELECT
        0x80044d0d => {
            out.push_str(", ");
            cx.xval_into(out, arg, &OTP);
            Rval::Done
        }
        // MTDFILEMODE
        0x4d13 => {
            out.push_str(", ");
            xlat::value(out, arg, &FILE_MODES);
            Rval::Done
        }
        // MEMGETBADBLOCK, MEMSETBADBLOCK
        0x40084d0b | 0x40084d0c => {
            out.push_str(", ");
            cx.ulong_into(out, arg);
            Rval::Done
        }
        // MEMGETINFO, MEMGETOOBSEL, ECCGETLAYOUT, ECCGETSTATS, OTPGETREGIONCOUNT,
        // MEMGETREGIONCOUNT are written by the kernel.
        0x80204d01 | 0x80c84d0a | 0x81484d11 | 0x80104d12 | 0x40044d0e | 0x80044d07
            if cx.entering() =>
        {
            Rval::Exit
        }
        // MEMGETINFO: struct mtd_info_user.
        0x80204d01 => fixed(cx, out, 32, |out, b| {
            out.push_str("{type=");
            xlat::value(out, b[0] as u64, &TYPES);
            out.push_str(", flags=");
            xlat::flags(out, u32_at(b, 4) as u64, &FLAGS);
            out.push_str(", ");
            hex_fields(
                out,
                b,
                &[
                    ("size", 8),
                    ("erasesize", 12),
                    ("writesize", 16),
                    ("oobsize", 20),
                ],
            );
            let _ = write!(out, ", padding={}}}", CHex(u64_at(b, 24)));
        }),
        // MEMGETOOBSEL: struct nand_oobinfo.
        0x80c84d0a => fixed(cx, out, 200, |out, b| {
            out.push_str("{useecc=");
            xlat::value(out, u32_at(b, 0) as u64, &NANDECC);
            let _ = write!(out, ", eccbytes={}, oobfree=", CHex(u32_at(b, 4) as u64));
            local_array(out, 8, &opts, |out, i| {
                let _ = write!(
                    out,
                    "[{}, {}]",
                    CHex(u32_at(b, 8 + 8 * i) as u64),
                    CHex(u32_at(b, 12 + 8 * i) as u64)
                );
            });
            out.push_str(", eccpos=");
            local_array(out, 32, &opts, |out, i| {
                let _ = write!(out, "{}", CHex(u32_at(b, 72 + 4 * i) as u64));
            });
            out.push('}');
        }),
        // ECCGETLAYOUT: struct nand_ecclayout_user.
        0x81484d11 => fixed(cx, out, 328, |out, b| {
            let _ = write!(out, "{{eccbytes={}, eccpos=", CHex(u32_at(b, 0) as u64));
            local_array(out, 64, &opts, |out, i| {
                let _ = write!(out, "{}", CHex(u32_at(b, 4 + 4 * i) as u64));
            });
            let _ = write!(out, ", oobavail={}, oobfree=", CHex(u32_at(b, 260) as u64));
            local_array(out, 8, &opts, |out, i| {
                out.push('{');
                hex_fields(out, b, &[("offset", 264 + 8 * i), ("length", 268 + 8 * i)]);
                out.push('}');
            });
            out.push('}');
        }),
        // ECCGETSTATS: struct mtd_ecc_stats.
        0x80104d12 => fixed(cx, out, 16, |out, b| {
            out.push('{');
            hex_fields(
                out,
                b,
                &[
                    ("corrected", 0),
                    ("failed", 4),
                    ("badblocks", 8),
                    ("bbtblocks", 12),
                ],
            );
            out.push('}');
        }),
        // OTPGETREGIONCOUNT
        0x40044d0e => {
            out.push_str(", ");
            cx.uint_into(out, arg);
            Rval::Done
        }
        // MEMGETREGIONCOUNT
        0x80044d07 => {
            out.push_str(", ");
            cx.int_into(out, arg);
            Rval::Done
        }
        // MEMGETREGIONINFO: struct region_info_user, its index in and the region out.
        0xc0104d08 => {
            if cx.entering() {
                out.push_str(", ");
                let Some(b) = cx.fetch(out, arg, 16) else {
                    return Rval::Done;
                };
                let _ = write!(out, "{{regionindex={}", CHex(u32_at(&b, 12) as u64));
                return Rval::Exit;
            }
            if !cx.failed() {
                if let Some(b) = cx.read(arg, 16) {
                    out.push_str(", ");
                    hex_fields(
                        out,
                        &b,
                        &[("offset", 0), ("erasesize", 4), ("numblocks", 8)],
                    );
                }
            }
            out.push('}');
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// `, STRUCT`: a structure shown by `show`, or its address.
fn fixed(cx: &mut Cx, out: &mut String, len: usize, show: impl FnOnce(&mut String, &[u8])) -> Rval {
    out.push_str(", ");
    if let Some(b) = cx.fetch(out, cx.arg, len) {
        show(out, &b);
    }
    Rval::Done
}
