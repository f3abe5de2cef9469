//! SCSI generic ioctls (`scsi/sg.h`, type `"`); `SG_IO`'s request blocks are in `sg_io.rs`.

use super::cx::{addr_into, i32_at, u16_at, u32_at, u64_at, Cx, Rval};
use super::tables::SG_SCSI_RESET;
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const RESETS: Xlat = Xlat::hex(SG_SCSI_RESET, "SG_SCSI_RESET_???");
const RESET_NO_ESCALATE: u32 = 0x100;

/// Decodes a SCSI generic request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // SG_IO
        0x2285 => super::sg_io::decode(cx, out),
        // SG_GET_SCSI_ID: struct sg_scsi_id.
        0x2276 if cx.entering() => Rval::Exit,
        0x2276 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 32) {
                let _ = write!(
                    out,
                    "{{host_no={}, channel={}, scsi_id={}, lun={}, scsi_type={}, \
                     h_cmd_per_lun={}, d_queue_depth={}}}",
                    i32_at(&b, 0),
                    i32_at(&b, 4),
                    CHex(u32_at(&b, 8) as u64),
                    i32_at(&b, 12),
                    CHex(u32_at(&b, 16) as u64),
                    u16_at(&b, 20) as i16,
                    u16_at(&b, 22) as i16
                );
            }
            Rval::Done
        }
        // SG_GET_REQUEST_TABLE: struct sg_req_info.
        0x2286 if cx.entering() => Rval::Exit,
        0x2286 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 24) {
                let _ = write!(
                    out,
                    "{{req_state={}, orphan={}, sg_io_owned={}, problem={}, pack_id={}, usr_ptr=",
                    b[0] as i8,
                    b[1] as i8,
                    b[2] as i8,
                    b[3] as i8,
                    i32_at(&b, 4)
                );
                addr_into(out, u64_at(&b, 8));
                let _ = write!(out, ", duration={}}}", u32_at(&b, 16));
            }
            Rval::Done
        }
        // SG_SCSI_RESET
        0x2284 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 4) {
                let v = u32_at(&b, 0);
                out.push('[');
                if v & RESET_NO_ESCALATE != 0 {
                    xlat::value(out, RESET_NO_ESCALATE as u64, &RESETS);
                    out.push('|');
                }
                xlat::value(out, (v & !RESET_NO_ESCALATE) as u64, &RESETS);
                out.push(']');
            }
            Rval::Done
        }
        // SG_NEXT_CMD_LEN, SG_SET_COMMAND_Q, SG_SET_DEBUG, SG_SET_FORCE_LOW_DMA,
        // SG_SET_FORCE_PACK_ID, SG_SET_KEEP_ORPHAN, SG_SET_RESERVED_SIZE, SG_SET_TIMEOUT
        0x2283 | 0x2271 | 0x227e | 0x2279 | 0x227b | 0x2287 | 0x2275 | 0x2201 => {
            out.push_str(", ");
            cx.int_into(out, arg);
            Rval::Done
        }
        // SG_EMULATED_HOST, SG_GET_ACCESS_COUNT, SG_GET_COMMAND_Q, SG_GET_KEEP_ORPHAN,
        // SG_GET_LOW_DMA, SG_GET_NUM_WAITING, SG_GET_PACK_ID, SG_GET_RESERVED_SIZE,
        // SG_GET_SG_TABLESIZE, SG_GET_TRANSFORM, SG_GET_VERSION_NUM
        0x2203 | 0x2289 | 0x2270 | 0x2288 | 0x227a | 0x227d | 0x227c | 0x2272 | 0x227f | 0x2205
        | 0x2282 => {
            if cx.entering() {
                return Rval::Exit;
            }
            out.push_str(", ");
            cx.int_into(out, arg);
            Rval::Done
        }
        // SG_SET_TRANSFORM
        0x2204 => {
            let _ = write!(out, ", {}", CHex(arg & 0xffff_ffff));
            Rval::Done
        }
        // SG_GET_TIMEOUT returns the timeout.
        0x2202 => Rval::Done,
        _ => Rval::Plain,
    }
}
