//! Block device ioctls (`linux/fs.h`, `linux/blkpg.h`, `linux/blktrace_api.h`, type 0x12).

use super::cx::{cstring_field, i32_at, i64_at, u16_at, u32_at, u64_at, Cx, Rval};
use super::tables::BLKPG_OPS;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const OPS: Xlat = Xlat::hex(BLKPG_OPS, "BLKPG_???");

/// Decodes a block device request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // BLKRASET, BLKFRASET
        0x1262 | 0x1264 => {
            let _ = write!(out, ", {arg}");
            Rval::Done
        }
        // Requests whose value the kernel writes: shown at exit.
        0x1267 | 0x127e | 0x125e | 0x80081270 | 0x1268 | 0x127a | 0x127b | 0x1278 | 0x1279
        | 0x127c | 0x80041284 | 0x80041285 | 0x1263 | 0x1265 | 0x1260 | 0x80081272 | 0x80081280
            if cx.entering() =>
        {
            Rval::Exit
        }
        // BLKSECTGET, BLKROTATIONAL: unsigned short.
        0x1267 | 0x127e => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 2) {
                let _ = write!(out, "[{}]", u16_at(&b, 0));
            }
            Rval::Done
        }
        // BLKROGET, BLKBSZGET, BLKSSZGET, BLKALIGNOFF, BLKROSET, BLKBSZSET: int.
        0x125e | 0x80081270 | 0x1268 | 0x127a | 0x125d | 0x40081271 => {
            out.push_str(", ");
            cx.int_into(out, arg);
            Rval::Done
        }
        // BLKPBSZGET, BLKIOMIN, BLKIOOPT, BLKDISCARDZEROES, BLKGETZONESZ, BLKGETNRZONES
        0x127b | 0x1278 | 0x1279 | 0x127c | 0x80041284 | 0x80041285 => {
            out.push_str(", ");
            cx.uint_into(out, arg);
            Rval::Done
        }
        // BLKRAGET, BLKFRAGET: long.
        0x1263 | 0x1265 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 8) {
                let _ = write!(out, "[{}]", i64_at(&b, 0));
            }
            Rval::Done
        }
        // BLKGETSIZE, BLKGETSIZE64, BLKGETDISKSEQ
        0x1260 | 0x80081272 | 0x80081280 => {
            out.push_str(", ");
            cx.ulong_into(out, arg);
            Rval::Done
        }
        // BLKDISCARD, BLKSECDISCARD, BLKZEROOUT: a range of two u64.
        0x1277 | 0x127d | 0x127f => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 16) {
                let _ = write!(out, "[{}, {}]", u64_at(&b, 0), u64_at(&b, 8));
            }
            Rval::Done
        }
        // BLKPG: struct blkpg_ioctl_arg and the partition it points to.
        0x1269 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 24) {
                out.push_str("{op=");
                xlat::value(out, i32_at(&b, 0) as u32 as u64, &OPS);
                let _ = write!(
                    out,
                    ", flags={}, datalen={}, data=",
                    i32_at(&b, 4),
                    i32_at(&b, 8)
                );
                if let Some(p) = cx.fetch(out, u64_at(&b, 16), 152) {
                    let _ = write!(
                        out,
                        "{{start={}, length={}, pno={}, devname=",
                        i64_at(&p, 0),
                        i64_at(&p, 8),
                        i32_at(&p, 16)
                    );
                    cstring_field(out, &p[20..84], cx.opts);
                    out.push_str(", volname=");
                    cstring_field(out, &p[84..148], cx.opts);
                    out.push('}');
                }
                out.push('}');
            }
            Rval::Done
        }
        // BLKTRACESETUP: struct blk_user_trace_setup; the kernel fills in its name.
        0xc0481273 => {
            if cx.entering() {
                out.push_str(", ");
                let Some(b) = cx.fetch(out, arg, 72) else {
                    return Rval::Done;
                };
                let _ = write!(
                    out,
                    "{{act_mask={}, buf_size={}, buf_nr={}, start_lba={}, end_lba={}, pid={}",
                    u16_at(&b, 32),
                    u32_at(&b, 36),
                    u32_at(&b, 40),
                    u64_at(&b, 48),
                    u64_at(&b, 56),
                    u32_at(&b, 64)
                );
                return Rval::Exit;
            }
            if !cx.failed() {
                if let Some(b) = cx.read(arg, 72) {
                    out.push_str(", name=");
                    cstring_field(out, &b[0..32], cx.opts);
                }
            }
            out.push('}');
            Rval::Done
        }
        // BLKRRPART, BLKFLSBUF, BLKTRACESTART, BLKTRACESTOP, BLKTRACETEARDOWN
        0x125f | 0x1261 | 0x1274 | 0x1275 | 0x1276 => Rval::Done,
        _ => Rval::Plain,
    }
}
