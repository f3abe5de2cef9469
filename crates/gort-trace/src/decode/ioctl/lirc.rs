//! Infrared remote control ioctls (`linux/lirc.h`, type `i`): one `unsigned int` through a pointer.

use super::cx::{u32_at, Cx, Rval};
use super::request::{dir, IOC_READ};
use super::tables::{LIRC_FEATURES, LIRC_MODES};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const FEATURES: Xlat = Xlat::hex(LIRC_FEATURES, "LIRC_CAN_???");
const MODES: Xlat = Xlat::hex(LIRC_MODES, "LIRC_MODE_???");

/// Decodes a LIRC request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let known = matches!(
        cx.code,
        0x80046900
            | 0x80046901
            | 0x80046902
            | 0x80046907
            | 0x80046908
            | 0x80046909
            | 0x8004690f
            | 0x40046911
            | 0x40046912
            | 0x40046913
            | 0x40046914
            | 0x40046915
            | 0x40046917
            | 0x40046918
            | 0x40046919
            | 0x4004691d
            | 0x4004691f
            | 0x40046923
            | 0x80046924
    );
    if !known {
        return Rval::Plain;
    }
    if cx.entering() {
        out.push_str(", ");
        if dir(cx.code) == IOC_READ {
            return Rval::Exit;
        }
    }
    let Some(b) = cx.fetch(out, cx.arg, 4) else {
        return Rval::Done;
    };
    let v = u32_at(&b, 0);
    out.push('[');
    match cx.code {
        // LIRC_GET_FEATURES
        0x80046900 => xlat::flags(out, v as u64, &FEATURES),
        // LIRC_GET_SEND_MODE, LIRC_GET_REC_MODE, LIRC_SET_SEND_MODE, LIRC_SET_REC_MODE
        0x80046901 | 0x80046902 | 0x40046911 | 0x40046912 => xlat::value(out, v as u64, &MODES),
        // LIRC_SET_TRANSMITTER_MASK
        0x40046917 => {
            let _ = write!(out, "{}", CHex(v as u64));
        }
        _ => {
            let _ = write!(out, "{v}");
        }
    }
    out.push(']');
    Rval::Done
}
