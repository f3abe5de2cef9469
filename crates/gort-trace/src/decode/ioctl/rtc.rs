//! Real-time clock ioctls (`linux/rtc.h`, type `p`).

use super::cx::{i32_at, i64_at, u32_at, u64_at, Cx, Rval};
use super::tables::{RTC_BACKUP_SWITCH_MODES, RTC_FEATURES, RTC_PARAMS, RTC_VL_FLAGS};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const VL_FLAGS: Xlat = Xlat::hex(RTC_VL_FLAGS, "RTC_VL_???");
const PARAMS: Xlat = Xlat::wide(RTC_PARAMS, "RTC_PARAM_???");
const FEATURES: Xlat = Xlat::wide(RTC_FEATURES, "1<<RTC_FEATURE_???");
const BACKUP_SWITCH_MODES: Xlat = Xlat::wide(RTC_BACKUP_SWITCH_MODES, "RTC_BSM_???");

/// Decodes an RTC request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // RTC_ALM_READ, RTC_RD_TIME
        0x80247008 | 0x80247009 if cx.entering() => Rval::Exit,
        // ... RTC_ALM_SET, RTC_SET_TIME
        0x80247008 | 0x80247009 | 0x40247007 | 0x4024700a => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 36) {
                time(out, &b, cx.verbose());
            }
            Rval::Done
        }
        // RTC_IRQP_SET, RTC_EPOCH_SET
        0x4008700c | 0x4008700e => {
            let _ = write!(out, ", {arg}");
            Rval::Done
        }
        // RTC_IRQP_READ, RTC_EPOCH_READ
        0x8008700b | 0x8008700d if cx.entering() => Rval::Exit,
        0x8008700b | 0x8008700d => {
            out.push_str(", ");
            cx.ulong_into(out, arg);
            Rval::Done
        }
        // RTC_WKALM_RD
        0x80287010 if cx.entering() => Rval::Exit,
        // ... RTC_WKALM_SET
        0x80287010 | 0x4028700f => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 40) {
                let _ = write!(out, "{{enabled={}, pending={}, time=", b[0], b[1]);
                time(out, &b[4..40], cx.verbose());
                out.push('}');
            }
            Rval::Done
        }
        // RTC_PLL_GET
        0x80207011 if cx.entering() => Rval::Exit,
        // ... RTC_PLL_SET
        0x80207011 | 0x40207012 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 32) {
                let _ = write!(
                    out,
                    "{{pll_ctrl={}, pll_value={}, pll_max={}, pll_min={}, pll_posmult={}, \
                     pll_negmult={}, pll_clock={}}}",
                    i32_at(&b, 0),
                    i32_at(&b, 4),
                    i32_at(&b, 8),
                    i32_at(&b, 12),
                    i32_at(&b, 16),
                    i32_at(&b, 20),
                    i64_at(&b, 24)
                );
            }
            Rval::Done
        }
        // RTC_VL_READ
        0x80047013 if cx.entering() => Rval::Exit,
        0x80047013 => {
            out.push_str(", ");
            cx.flags_into(out, arg, &VL_FLAGS);
            Rval::Done
        }
        // RTC_PARAM_GET, RTC_PARAM_SET
        0x40187013 | 0x40187014 => {
            out.push_str(if cx.entering() { ", " } else { " => " });
            param(cx, out, cx.code == 0x40187013)
        }
        // RTC_AIE_ON ... RTC_WIE_OFF, RTC_VL_CLR take no argument.
        0x7001..=0x7006 | 0x700f | 0x7010 | 0x7014 => Rval::Done,
        _ => Rval::Plain,
    }
}

/// `struct rtc_time` (the weekday, day of the year and DST flag under `-v`).
fn time(out: &mut String, b: &[u8], verbose: bool) {
    let f = |i: usize| i32_at(b, 4 * i);
    let _ = write!(
        out,
        "{{tm_sec={}, tm_min={}, tm_hour={}, tm_mday={}, tm_mon={}, tm_year={}, ",
        f(0),
        f(1),
        f(2),
        f(3),
        f(4),
        f(5)
    );
    if verbose {
        let _ = write!(
            out,
            "tm_wday={}, tm_yday={}, tm_isdst={}}}",
            f(6),
            f(7),
            f(8)
        );
    } else {
        out.push_str("...}");
    }
}

/// `struct rtc_param`: the parameter at entry, its value when it is passed in (set) or out (get).
fn param(cx: &mut Cx, out: &mut String, get: bool) -> Rval {
    let Some(b) = cx.fetch(out, cx.arg, 24) else {
        return Rval::Done;
    };
    let which = u64_at(&b, 0);
    out.push('{');
    if cx.entering() {
        out.push_str("param=");
        xlat::value(out, which, &PARAMS);
    }
    if cx.entering() != get {
        if cx.entering() {
            out.push_str(", ");
        }
        let v = u64_at(&b, 8);
        match which {
            // RTC_PARAM_FEATURES
            0 => {
                out.push_str("uvalue=");
                xlat::flags(out, v, &FEATURES);
            }
            // RTC_PARAM_CORRECTION
            1 => {
                let _ = write!(out, "svalue={}", v as i64);
            }
            // RTC_PARAM_BACKUP_SWITCH_MODE
            2 => {
                out.push_str("uvalue=");
                xlat::value(out, v, &BACKUP_SWITCH_MODES);
            }
            _ => {
                let _ = write!(out, "uvalue={}", CHex(v));
            }
        }
    }
    if cx.entering() {
        let _ = write!(out, ", index={}", u32_at(&b, 16));
    }
    let pad = u32_at(&b, 20);
    if pad != 0 {
        let _ = write!(out, ", __pad={}", CHex(pad as u64));
    }
    out.push('}');
    if cx.entering() && get {
        Rval::Exit
    } else {
        Rval::Done
    }
}
