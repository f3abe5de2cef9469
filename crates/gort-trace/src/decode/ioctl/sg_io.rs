//! `SG_IO` request blocks (`scsi/sg.h`, `linux/bsg.h`): version 3 (`struct sg_io_hdr`, interface
//! id `'S'`) and version 4 (`struct sg_io_v4`, guard `'Q'`).
//!
//! Design: the request is shown at entry, the response at exit. The interface id read at entry
//! selects the layout; at exit it is taken from the entry recording when rendering (see
//! `Cx::entry_read`) and from memory while recording.

use super::cx::{addr_into, i32_at, u16_at, u32_at, u64_at, Cx, Rval};
use super::tables::{
    BSG_FLAGS, BSG_PROTOCOL, BSG_SUBPROTOCOL, SG_IO_DXFER_DIRECTION, SG_IO_FLAGS, SG_IO_INFO,
};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const DXFER_DIRECTIONS: Xlat = Xlat::wide(SG_IO_DXFER_DIRECTION, "SG_DXFER_???");
const FLAGS: Xlat = Xlat::hex(SG_IO_FLAGS, "SG_FLAG_???");
const INFO: Xlat = Xlat::hex(SG_IO_INFO, "SG_INFO_???");
const PROTOCOLS: Xlat = Xlat::hex(BSG_PROTOCOL, "BSG_PROTOCOL_???");
const SUBPROTOCOLS: Xlat = Xlat::hex(BSG_SUBPROTOCOL, "BSG_SUB_PROTOCOL_???");
const V4_FLAGS: Xlat = Xlat::hex(BSG_FLAGS, "BSG_FLAG_???");
const V3_LEN: usize = 88;
const V4_LEN: usize = 160;
const SG_DXFER_TO_DEV: i32 = -2;
const SG_DXFER_FROM_DEV: i32 = -3;
const SG_DXFER_TO_FROM_DEV: i32 = -4;

/// `SG_IO`.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    if cx.entering() {
        out.push_str(", ");
        let Some(iid) = cx.fetch(out, arg, 4) else {
            return Rval::Done;
        };
        return match i32_at(&iid, 0) {
            0x53 => v3_request(cx, out),
            0x51 => v4_request(cx, out),
            other => {
                let _ = write!(out, "[{}]", other as u32);
                Rval::Done
            }
        };
    }
    let iid = cx
        .entry_read(arg, 4)
        .or_else(|| cx.read(arg, 4))
        .map_or(0, |b| i32_at(&b, 0));
    match iid {
        0x53 => v3_response(cx, out),
        0x51 => v4_response(cx, out),
        other => {
            let _ = write!(out, "[{}]", other as u32);
        }
    }
    out.push('}');
    Rval::Done
}

/// A data buffer: an iovec array when `count` is set, else bytes in hex.
fn buffer(cx: &mut Cx, out: &mut String, addr: u64, len: u32, count: u32) {
    if count != 0 {
        cx.iov_into(out, addr, count as u64, len as u64);
    } else {
        cx.str_ex_into(out, addr, len as usize, true);
    }
}

fn v3_request(cx: &mut Cx, out: &mut String) -> Rval {
    out.push_str("{interface_id='S', ");
    let Some(b) = cx
        .fetch(out, cx.arg + 4, V3_LEN - 4)
        .map(|rest| [vec![0u8; 4], rest].concat())
    else {
        out.push('}');
        return Rval::Done;
    };
    let dir = i32_at(&b, 4);
    out.push_str("dxfer_direction=");
    xlat::value(out, dir as i64 as u64, &DXFER_DIRECTIONS);
    let (cmd_len, iovec_count, dxfer_len) = (b[8], u16_at(&b, 10), u32_at(&b, 12));
    let _ = write!(out, ", cmd_len={cmd_len}, cmdp=");
    buffer(cx, out, u64_at(&b, 24), cmd_len as u32, 0);
    let _ = write!(
        out,
        ", mx_sb_len={}, iovec_count={iovec_count}, dxfer_len={dxfer_len}, timeout={}, flags=",
        b[9],
        u32_at(&b, 40)
    );
    xlat::flags(out, u32_at(&b, 44) as u64, &FLAGS);
    if dir == SG_DXFER_TO_DEV || dir == SG_DXFER_TO_FROM_DEV {
        out.push_str(", dxferp=");
        buffer(cx, out, u64_at(&b, 16), dxfer_len, iovec_count as u32);
    }
    Rval::Exit
}

fn v3_response(cx: &mut Cx, out: &mut String) {
    let Some(b) = cx.read(cx.arg, V3_LEN) else {
        // Shown from the values at entry.
        if let Some(e) = cx.entry_read(cx.arg, V3_LEN) {
            if i32_at(&e, 4) == SG_DXFER_FROM_DEV {
                out.push_str(", dxferp=");
                addr_into(out, u64_at(&e, 16));
            }
            out.push_str(", sbp=");
            addr_into(out, u64_at(&e, 32));
        }
        return;
    };
    if i32_at(&b, 0) != 0x53 {
        let _ = write!(out, " => interface_id={}", i32_at(&b, 0));
        return;
    }
    let dir = i32_at(&b, 4);
    let (iovec_count, dxfer_len, resid) = (u16_at(&b, 10), u32_at(&b, 12), i32_at(&b, 72));
    if dir == SG_DXFER_FROM_DEV || dir == SG_DXFER_TO_FROM_DEV {
        let mut din_len = dxfer_len;
        if resid > 0 && resid as u32 <= din_len {
            din_len -= resid as u32;
        }
        let show = if dir == SG_DXFER_FROM_DEV {
            out.push_str(", ");
            true
        } else if din_len != 0 {
            out.push_str(" => ");
            true
        } else {
            false
        };
        if show {
            out.push_str("dxferp=");
            buffer(cx, out, u64_at(&b, 16), din_len, iovec_count as u32);
        }
    }
    let sb_len_wr = b[67];
    let _ = write!(
        out,
        ", status={}, masked_status={}, msg_status={}, sb_len_wr={sb_len_wr}, sbp=",
        CHex(b[64] as u64),
        CHex(b[65] as u64),
        CHex(b[66] as u64)
    );
    buffer(cx, out, u64_at(&b, 32), sb_len_wr as u32, 0);
    let _ = write!(
        out,
        ", host_status={}, driver_status={}, resid={resid}, duration={}, info=",
        CHex(u16_at(&b, 68) as u64),
        CHex(u16_at(&b, 70) as u64),
        u32_at(&b, 76)
    );
    xlat::flags(out, u32_at(&b, 80) as u64, &INFO);
}

fn v4_request(cx: &mut Cx, out: &mut String) -> Rval {
    out.push_str("{guard='Q', ");
    let Some(b) = cx
        .fetch(out, cx.arg + 4, V4_LEN - 4)
        .map(|rest| [vec![0u8; 4], rest].concat())
    else {
        out.push('}');
        return Rval::Done;
    };
    out.push_str("protocol=");
    xlat::value(out, u32_at(&b, 4) as u64, &PROTOCOLS);
    out.push_str(", subprotocol=");
    xlat::value(out, u32_at(&b, 8) as u64, &SUBPROTOCOLS);
    let request_len = u32_at(&b, 12);
    let _ = write!(out, ", request_len={request_len}, request=");
    buffer(cx, out, u64_at(&b, 16), request_len, 0);
    let _ = write!(
        out,
        ", request_tag={}, request_attr={}, request_priority={}, request_extra={}, \
         max_response_len={}, dout_iovec_count={}, dout_xfer_len={}, din_iovec_count={}, \
         din_xfer_len={}, dout_xferp=",
        CHex(u64_at(&b, 24)),
        u32_at(&b, 32),
        u32_at(&b, 36),
        u32_at(&b, 40),
        u32_at(&b, 44),
        u32_at(&b, 56),
        u32_at(&b, 60),
        u32_at(&b, 64),
        u32_at(&b, 68)
    );
    buffer(cx, out, u64_at(&b, 72), u32_at(&b, 60), u32_at(&b, 56));
    let _ = write!(out, ", timeout={}, flags=", u32_at(&b, 88));
    xlat::flags(out, u32_at(&b, 92) as u64, &V4_FLAGS);
    let _ = write!(out, ", usr_ptr={}", CHex(u64_at(&b, 96)));
    Rval::Exit
}

fn v4_response(cx: &mut Cx, out: &mut String) {
    let Some(b) = cx.read(cx.arg, V4_LEN) else {
        if let Some(e) = cx.entry_read(cx.arg, V4_LEN) {
            let _ = write!(
                out,
                ", response={}, din_xferp={}",
                CHex(u64_at(&e, 48)),
                CHex(u64_at(&e, 80))
            );
        }
        return;
    };
    if i32_at(&b, 0) != 0x51 {
        let _ = write!(out, " => guard={}", i32_at(&b, 0));
        return;
    }
    let response_len = u32_at(&b, 132);
    let _ = write!(out, ", response_len={response_len}, response=");
    buffer(cx, out, u64_at(&b, 48), response_len, 0);
    let mut din_len = u32_at(&b, 68);
    let din_resid = i32_at(&b, 136);
    if din_resid > 0 && din_resid as u32 <= din_len {
        din_len -= din_resid as u32;
    }
    out.push_str(", din_xferp=");
    buffer(cx, out, u64_at(&b, 80), din_len, u32_at(&b, 64));
    let _ = write!(
        out,
        ", driver_status={}, transport_status={}, device_status={}, retry_delay={}, info=",
        CHex(u32_at(&b, 108) as u64),
        CHex(u32_at(&b, 112) as u64),
        CHex(u32_at(&b, 116) as u64),
        u32_at(&b, 120)
    );
    xlat::flags(out, u32_at(&b, 124) as u64, &INFO);
    let _ = write!(
        out,
        ", duration={}, response_len={response_len}, din_resid={din_resid}, dout_resid={}, \
         generated_tag={}",
        u32_at(&b, 128),
        i32_at(&b, 140),
        CHex(u64_at(&b, 144))
    );
}
