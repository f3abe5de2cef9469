//! Precision time protocol clock ioctls (`linux/ptp_clock.h`, type `=`).
//!
//! Design: every request has an original and a `...2` code that differ only in that the kernel
//! checks the reserved words of the second; reserved words are shown only when some are set.
//! Clock readings carry their date in a comment (not for a zero time or an invalid nanosecond count).

use super::cx::{i32_at, i64_at, u32_at, Cx, Rval};
use super::tables::{PTP_EXTTS_FLAGS, PTP_PEROUT_FLAGS, PTP_PIN_FUNCS};
use crate::decode::structs::{self, CHex};
use crate::decode::xlat::{self, Style, Xlat};
use std::fmt::Write;

const EXTTS_FLAGS: Xlat = Xlat::hex(PTP_EXTTS_FLAGS, "PTP_???");
const PEROUT_FLAGS: Xlat = Xlat::hex(PTP_PEROUT_FLAGS, "PTP_PEROUT_???");
const PIN_FUNCS: Xlat = Xlat::hex(PTP_PIN_FUNCS, "PTP_PF_???");
const PEROUT_DUTY_CYCLE: u32 = 2;
const PEROUT_PHASE: u32 = 4;
/// `PTP_MAX_SAMPLES`.
const MAX_SAMPLES: u64 = 25;
const TIME: usize = 16;

/// Decodes a PTP clock request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // PTP_CLOCK_GETCAPS, PTP_CLOCK_GETCAPS2
        0x80503d01 | 0x80503d0a => {
            if cx.entering() {
                out.push_str(", ");
                return Rval::Exit;
            }
            if let Some(b) = cx.fetch(out, arg, 80) {
                let names = [
                    "max_adj",
                    "n_alarm",
                    "n_ext_ts",
                    "n_per_out",
                    "pps",
                    "n_pins",
                    "cross_timestamping",
                    "adjust_phase",
                ];
                out.push('{');
                for (i, n) in names.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{n}={}", i32_at(&b, 4 * i));
                }
                reserved(out, &b[32..80]);
                out.push('}');
            }
            Rval::Done
        }
        // PTP_EXTTS_REQUEST, PTP_EXTTS_REQUEST2
        0x40103d02 | 0x40103d0b => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 16) {
                let _ = write!(out, "{{index={}, flags=", u32_at(&b, 0));
                xlat::flags(out, u32_at(&b, 4) as u64, &EXTTS_FLAGS);
                if cx.code == 0x40103d0b {
                    reserved(out, &b[8..16]);
                }
                out.push('}');
            }
            Rval::Done
        }
        // PTP_PEROUT_REQUEST, PTP_PEROUT_REQUEST2
        0x40383d03 | 0x40383d0c => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 56) {
                let flags = u32_at(&b, 36);
                if flags & PEROUT_PHASE != 0 {
                    out.push_str("{phase=");
                    time(out, &b[0..TIME], false);
                } else {
                    out.push_str("{start=");
                    time(out, &b[0..TIME], true);
                }
                out.push_str(", period=");
                time(out, &b[16..32], false);
                let _ = write!(out, ", index={}, flags=", u32_at(&b, 32));
                xlat::flags(out, flags as u64, &PEROUT_FLAGS);
                if flags & PEROUT_DUTY_CYCLE != 0 {
                    out.push_str(", on=");
                    time(out, &b[40..56], false);
                } else if cx.code == 0x40383d0c {
                    reserved(out, &b[40..56]);
                }
                out.push('}');
            }
            Rval::Done
        }
        // PTP_ENABLE_PPS, PTP_ENABLE_PPS2
        0x40043d04 | 0x40043d0d => {
            let _ = write!(out, ", {}", CHex(arg));
            Rval::Done
        }
        // PTP_SYS_OFFSET, PTP_SYS_OFFSET2: 2n+1 readings.
        0x43403d05 | 0x43403d0e => samples(cx, out, 832, |n| 2 * n + 1, 1),
        // PTP_SYS_OFFSET_EXTENDED, PTP_SYS_OFFSET_EXTENDED2: n triples.
        0xc4c03d09 | 0xc4c03d12 => samples(cx, out, 1216, |n| n, 3),
        // PTP_PIN_GETFUNC, PTP_PIN_GETFUNC2, PTP_PIN_SETFUNC, PTP_PIN_SETFUNC2
        0xc0603d06 | 0xc0603d0f | 0x40603d07 | 0x40603d10 => pin(cx, out),
        // PTP_SYS_OFFSET_PRECISE, PTP_SYS_OFFSET_PRECISE2
        0xc0403d08 | 0xc0403d11 => {
            if cx.entering() {
                out.push_str(", ");
                return Rval::Exit;
            }
            if let Some(b) = cx.fetch(out, arg, 64) {
                out.push_str("{device=");
                time(out, &b[0..16], true);
                out.push_str(", sys_realtime=");
                time(out, &b[16..32], true);
                out.push_str(", sys_monoraw=");
                time(out, &b[32..48], false);
                reserved(out, &b[48..64]);
                out.push('}');
            }
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// `struct ptp_sys_offset` and `_extended`: the sample count at entry, the readings at exit.
fn samples(
    cx: &mut Cx,
    out: &mut String,
    len: usize,
    count: fn(u64) -> u64,
    per_elem: usize,
) -> Rval {
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.fetch(out, cx.arg, len) else {
            return Rval::Done;
        };
        let _ = write!(out, "{{n_samples={}", u32_at(&b, 0));
        reserved(out, &b[4..16]);
        return Rval::Exit;
    }
    if !cx.failed() {
        match cx.read(cx.arg, len) {
            Some(b) => {
                let n = count((u32_at(&b, 0) as u64).min(MAX_SAMPLES)) as usize;
                out.push_str(", ts=[");
                let max = if cx.verbose() {
                    usize::MAX
                } else {
                    cx.opts.strsize
                };
                for i in 0..n {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if i >= max {
                        out.push_str("...");
                        break;
                    }
                    let at = 16 + i * TIME * per_elem;
                    if per_elem == 1 {
                        time(out, &b[at..at + TIME], true);
                    } else {
                        out.push('[');
                        for k in 0..per_elem {
                            if k > 0 {
                                out.push_str(", ");
                            }
                            time(out, &b[at + k * TIME..at + (k + 1) * TIME], true);
                        }
                        out.push(']');
                    }
                }
                out.push(']');
            }
            None => out.push_str(", ???"),
        }
    }
    out.push('}');
    Rval::Done
}

/// `struct ptp_pin_desc`: the index at entry; the name, function and channel the getters fill at
/// exit and the setters pass at entry.
fn pin(cx: &mut Cx, out: &mut String) -> Rval {
    let getter = matches!(cx.code, 0xc0603d06 | 0xc0603d0f);
    let b = if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.fetch(out, cx.arg, 96) else {
            return Rval::Done;
        };
        let _ = write!(out, "{{index={}", u32_at(&b, 64));
        if cx.code == 0xc0603d0f {
            reserved(out, &b[76..96]);
        }
        if getter {
            return Rval::Exit;
        }
        b
    } else {
        if cx.failed() {
            out.push('}');
            return Rval::Done;
        }
        match cx.read(cx.arg, 96) {
            Some(b) => b,
            None => {
                out.push_str(", ???}");
                return Rval::Done;
            }
        }
    };
    if getter {
        out.push_str(", name=");
        super::cx::cstring_field(out, &b[..64], cx.opts);
    }
    out.push_str(", func=");
    xlat::value(out, u32_at(&b, 68) as u64, &PIN_FUNCS);
    let _ = write!(out, ", chan={}", u32_at(&b, 72));
    if cx.code == 0x40603d10 {
        reserved(out, &b[76..96]);
    }
    out.push('}');
    Rval::Done
}

/// `struct ptp_clock_time`, with its date when `date`.
fn time(out: &mut String, b: &[u8], date: bool) {
    let (sec, nsec, reserved) = (i64_at(b, 0), u32_at(b, 8), u32_at(b, 12));
    let _ = write!(out, "{{sec={sec}, nsec={nsec}");
    if reserved != 0 {
        let _ = write!(out, ", reserved={}", CHex(reserved as u64));
    }
    out.push('}');
    if date && xlat::style() != Style::Raw && (sec != 0 || nsec != 0) && nsec < 1_000_000_000 {
        // A whole second is shown without a fraction.
        let frac = if nsec == 0 { u64::MAX } else { nsec as u64 };
        out.push_str(" /* ");
        structs::date_into(out, sec, frac);
        out.push_str(" */");
    }
}

/// `, rsv=[...]` when any reserved word is set.
fn reserved(out: &mut String, b: &[u8]) {
    if b.iter().all(|&c| c == 0) {
        return;
    }
    out.push_str(", rsv=[");
    for i in 0..b.len() / 4 {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}", CHex(u32_at(b, 4 * i) as u64));
    }
    out.push(']');
}
