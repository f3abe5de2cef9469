//! Generic counter character device ioctls (`linux/counter.h`, type `>`).

use super::cx::{Cx, Rval};
use super::tables::{
    COUNTER_IOCTL_COMPONENT_TYPES, COUNTER_IOCTL_EVENT_TYPES, COUNTER_IOCTL_SCOPES,
};
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const COMPONENT_TYPES: Xlat = Xlat::hex(COUNTER_IOCTL_COMPONENT_TYPES, "COUNTER_COMPONENT_???");
const SCOPES: Xlat = Xlat::hex(COUNTER_IOCTL_SCOPES, "COUNTER_SCOPE_???");
const EVENT_TYPES: Xlat = Xlat::hex(COUNTER_IOCTL_EVENT_TYPES, "COUNTER_EVENT_???");

/// Decodes a counter request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        // COUNTER_ADD_WATCH_IOCTL: struct counter_watch (6 bytes).
        0x40063e00 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, cx.arg, 6) {
                out.push_str("{component={type=");
                xlat::value(out, b[0] as u64, &COMPONENT_TYPES);
                out.push_str(", scope=");
                xlat::value(out, b[1] as u64, &SCOPES);
                let _ = write!(out, ", parent={}, id={}}}, event=", b[2], b[3]);
                xlat::value(out, b[4] as u64, &EVENT_TYPES);
                let _ = write!(out, ", channel={}}}", b[5]);
            }
            Rval::Done
        }
        // COUNTER_ENABLE_EVENTS_IOCTL, COUNTER_DISABLE_EVENTS_IOCTL take no argument.
        0x3e01 | 0x3e02 => Rval::Done,
        _ => Rval::Plain,
    }
}
