//! Input event device ioctls (`linux/input.h`, type `E`).
//!
//! Design: reads (`EVIOCG*`) are shown at exit, writes at entry. Many requests carry a number in
//! their code (the axis of `EVIOCGABS`, the event type of `EVIOCGBIT`) and a size (the buffer the
//! kernel fills); bit masks the kernel returns are shown as the names of their set bits, as many bits
//! as the returned byte count covers.

use super::cx::{i32_at, u16_at, u32_at, u64_at, Cx, Rval};
use super::request::{dir, nr, size, IOC_READ, IOC_WRITE};
use super::tables::*;
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Style, Xlat};
use std::fmt::Write;

/// Absolute axes (`ABS_X`).
pub const ABS: Xlat = Xlat::hex(EVDEV_ABS, "ABS_???");
/// Event types (`EV_KEY`).
pub const EV: Xlat = Xlat::hex(EVDEV_EV, "EV_???");
const KEYS: Xlat = Xlat::hex(EVDEV_KEYCODE, "KEY_???");
const REL: Xlat = Xlat::hex(EVDEV_RELATIVE_AXES, "REL_???");
const MSC: Xlat = Xlat::hex(EVDEV_MISC, "MSC_???");
const SW: Xlat = Xlat::hex(EVDEV_SWITCH, "SW_???");
const LEDS: Xlat = Xlat::hex(EVDEV_LEDS, "LED_???");
const SND: Xlat = Xlat::hex(EVDEV_SND, "SND_???");
const REP: Xlat = Xlat::hex(EVDEV_AUTOREPEAT, "REP_???");
const FF: Xlat = Xlat::hex(EVDEV_FF_TYPES, "FF_???");
const FF_STATUS: Xlat = Xlat::hex(EVDEV_FF_STATUS, "FF_STATUS_???");
const PROPS: Xlat = Xlat::hex(EVDEV_PROP, "PROP_???");
const MTSLOTS: Xlat = Xlat::hex(EVDEV_MTSLOTS, "ABS_MT_???");

/// Decodes an evdev request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match dir(cx.code) {
        IOC_READ => {
            if cx.entering() {
                return Rval::Exit;
            }
            out.push_str(", ");
            read(cx, out);
            Rval::Done
        }
        IOC_WRITE => {
            out.push_str(", ");
            write(cx, out);
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

fn read(cx: &mut Cx, out: &mut String) {
    let arg = cx.arg;
    match cx.code {
        // EVIOCGVERSION
        0x80044501 => {
            if let Some(b) = cx.fetch(out, arg, 4) {
                let _ = write!(out, "[{}]", CHex(u32_at(&b, 0) as u64));
            }
            return;
        }
        // EVIOCGEFFECTS
        0x80044584 => return cx.uint_into(out, arg),
        // EVIOCGID
        0x80084502 => {
            if let Some(b) = cx.fetch(out, arg, 8) {
                let _ = write!(
                    out,
                    "{{bustype={}, vendor={}, product={}, version={}}}",
                    u16_at(&b, 0),
                    u16_at(&b, 2),
                    u16_at(&b, 4),
                    u16_at(&b, 6)
                );
            }
            return;
        }
        // EVIOCGREP
        0x80084503 => return pair(cx, out),
        // EVIOCGKEYCODE
        0x80084504 => return keycode(cx, out),
        // EVIOCGKEYCODE_V2
        0x80284504 => return keymap_entry(cx, out),
        _ => {}
    }
    let ret = cx.ret.unwrap_or(0);
    match nr(cx.code) {
        0x0a => mtslots(cx, out),
        0x06..=0x08 => {
            if cx.failed() {
                super::cx::addr_into(out, arg);
            } else {
                cx.str_into(out, arg, ret as usize);
            }
        }
        0x09 => bitset(cx, out, &PROPS, 0x1f),
        0x1a => bitset(cx, out, &SND, 0x07),
        0x1b => bitset(cx, out, &SW, 0x10),
        0x18 => bitset(cx, out, &KEYS, 0x2ff),
        0x19 => bitset(cx, out, &LEDS, 0x0f),
        0x40..=0x7f => absinfo(cx, out),
        0x20..=0x3f => match nr(cx.code) & 0x1f {
            0 => bitset(cx, out, &EV, 0x1f),
            0x01 => bitset(cx, out, &KEYS, 0x2ff),
            0x02 => bitset(cx, out, &REL, 0x0f),
            0x03 => bitset(cx, out, &ABS, 0x3f),
            0x04 => bitset(cx, out, &MSC, 0x07),
            0x05 => bitset(cx, out, &SW, 0x10),
            0x11 => bitset(cx, out, &LEDS, 0x0f),
            0x12 => bitset(cx, out, &SND, 0x07),
            0x14 => bitset(cx, out, &REP, 0x01),
            0x15 => bitset(cx, out, &FF, 0x7f),
            0x16 => cx.int_into(out, arg),
            0x17 => bitset(cx, out, &FF_STATUS, 0x01),
            _ => super::cx::addr_into(out, arg),
        },
        _ => super::cx::addr_into(out, arg),
    }
}

fn write(cx: &mut Cx, out: &mut String) {
    let arg = cx.arg;
    match cx.code {
        // EVIOCSREP
        0x40084503 => pair(cx, out),
        // EVIOCSKEYCODE
        0x40084504 => keycode(cx, out),
        // EVIOCSKEYCODE_V2
        0x40284504 => keymap_entry(cx, out),
        // EVIOCRMFF
        0x40044581 => {
            let _ = write!(out, "{}", arg as i32);
        }
        // EVIOCGRAB, EVIOCREVOKE
        0x40044590 | 0x40044591 => {
            let _ = write!(out, "{arg}");
        }
        // EVIOCSCLOCKID
        0x400445a0 => cx.uint_into(out, arg),
        // EVIOCSFF
        0x40304580 => ff_effect(cx, out),
        c if (0xc0..=0xff).contains(&nr(c)) => absinfo(cx, out),
        _ => super::cx::addr_into(out, arg),
    }
}

/// `[N, M]`: two unsigned ints (repeat delay and period).
fn pair(cx: &mut Cx, out: &mut String) {
    if let Some(b) = cx.fetch(out, cx.arg, 8) {
        let _ = write!(out, "[{}, {}]", u32_at(&b, 0), u32_at(&b, 4));
    }
}

/// `[scancode, KEY_...]`.
fn keycode(cx: &mut Cx, out: &mut String) {
    if let Some(b) = cx.fetch(out, cx.arg, 8) {
        let _ = write!(out, "[{}, ", u32_at(&b, 0));
        xlat::value(out, u32_at(&b, 4) as u64, &KEYS);
        out.push(']');
    }
}

/// `struct input_keymap_entry`.
fn keymap_entry(cx: &mut Cx, out: &mut String) {
    let Some(b) = cx.fetch(out, cx.arg, 40) else {
        return;
    };
    let _ = write!(out, "{{flags={}, len={}, ", b[0], b[1]);
    if cx.verbose() {
        let _ = write!(out, "index={}, keycode=", u16_at(&b, 2));
        xlat::value(out, u32_at(&b, 4) as u64, &KEYS);
        out.push_str(", scancode=[");
        for (i, c) in b[8..40].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}", CHex(*c as u64));
        }
        out.push_str("]}");
    } else {
        out.push_str("...}");
    }
}

/// `struct input_absinfo`, of the size the code carries.
fn absinfo(cx: &mut Cx, out: &mut String) {
    const ORIG: usize = 20;
    const WITH_RESOLUTION: usize = 24;
    let sz = size(cx.code) as usize;
    if sz < ORIG {
        super::cx::addr_into(out, cx.arg);
        return;
    }
    let Some(b) = cx.fetch(out, cx.arg, sz.min(WITH_RESOLUTION)) else {
        return;
    };
    let _ = write!(
        out,
        "{{value={}, minimum={}, ",
        u32_at(&b, 0),
        u32_at(&b, 4)
    );
    if cx.verbose() {
        let _ = write!(
            out,
            "maximum={}, fuzz={}, flat={}",
            u32_at(&b, 8),
            u32_at(&b, 12),
            u32_at(&b, 16)
        );
        if sz > ORIG {
            if sz >= WITH_RESOLUTION {
                let _ = write!(out, ", resolution={}", u32_at(&b, 20));
            }
            if sz != WITH_RESOLUTION {
                out.push_str(", ...");
            }
        }
    } else {
        out.push_str("...");
    }
    out.push('}');
}

/// `{code=ABS_MT_..., values=[...]}`: the slot values of one axis.
fn mtslots(cx: &mut Cx, out: &mut String) {
    let n = size(cx.code) as u64 / 4;
    if n == 0 {
        super::cx::addr_into(out, cx.arg);
        return;
    }
    let Some(b) = cx.fetch(out, cx.arg, 4) else {
        return;
    };
    out.push_str("{code=");
    xlat::value(out, u32_at(&b, 0) as u64, &MTSLOTS);
    out.push_str(", values=");
    cx.array_into(out, cx.arg + 4, n - 1, 4, |_, out, v| {
        let _ = write!(out, "{}", i32_at(v, 0));
        true
    });
    out.push('}');
}

/// A bit mask the kernel filled: `[KEY_A KEY_B ...]`, as many bits as the returned length covers.
fn bitset(cx: &mut Cx, out: &mut String, names: &Xlat, max_nr: u32) {
    let ret = cx.ret.unwrap_or(0) as u64;
    let bits = if ret > (max_nr / 8) as u64 {
        max_nr as usize
    } else {
        ret as usize * 8
    };
    let size = bits.div_ceil(8).div_ceil(8) * 8;
    if cx.failed() || size == 0 {
        super::cx::addr_into(out, cx.arg);
        return;
    }
    let Some(b) = cx.fetch(out, cx.arg, size) else {
        return;
    };
    let set = |i: usize| b[i / 8] & (1 << (i % 8)) != 0;
    let style = xlat::style();
    if style != Style::Raw {
        out.push('[');
        for (shown, i) in (0..bits).filter(|&i| set(i)).enumerate() {
            if shown > 0 {
                if !cx.verbose() && shown > 3 {
                    out.push_str(" ...");
                    break;
                }
                out.push(' ');
            }
            xlat::value(out, i as u64, names);
        }
        out.push(']');
    }
    if style == Style::Verbose {
        out.push_str(" /* ");
    }
    if style != Style::Abbrev {
        out.push('[');
        for w in 0..size / 8 {
            if w > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}", CHex(u64_at(&b, w * 8)));
        }
        out.push(']');
    }
    if style == Style::Verbose {
        out.push_str(" */");
    }
}

/// `struct ff_effect` (`EVIOCSFF`): the effect's kind, its timing, and under `-v` its parameters.
fn ff_effect(cx: &mut Cx, out: &mut String) {
    let Some(b) = cx.fetch(out, cx.arg, 48) else {
        return;
    };
    let u16s = |off: usize| u16_at(&b, off);
    let i16s = |off: usize| u16_at(&b, off) as i16;
    let typ = u16s(0);
    out.push_str("{type=");
    xlat::value(out, typ as u64, &FF);
    let _ = write!(out, ", id={}, direction={}, ", i16s(2), u16s(4));
    if !cx.verbose() {
        out.push_str("...}");
        return;
    }
    let _ = write!(
        out,
        "trigger={{button={}, interval={}}}, replay={{length={}, delay={}}}",
        u16s(6),
        u16s(8),
        u16s(10),
        u16s(12)
    );
    let envelope = |out: &mut String, off: usize| {
        let _ = write!(
            out,
            "envelope={{attack_length={}, attack_level={}, fade_length={}, fade_level={}}}",
            u16s(off),
            u16s(off + 2),
            u16s(off + 4),
            CHex(u16s(off + 6) as u64)
        );
    };
    match typ {
        // FF_CONSTANT
        0x52 => {
            let _ = write!(out, ", constant={{level={}, ", i16s(16));
            envelope(out, 18);
            out.push('}');
        }
        // FF_RAMP
        0x57 => {
            let _ = write!(
                out,
                ", ramp={{start_level={}, end_level={}, ",
                i16s(16),
                i16s(18)
            );
            envelope(out, 20);
            out.push('}');
        }
        // FF_PERIODIC
        0x51 => {
            let _ = write!(
                out,
                ", periodic={{waveform={}, period={}, magnitude={}, offset={}, phase={}, ",
                u16s(16),
                u16s(18),
                i16s(20),
                i16s(22),
                u16s(24)
            );
            envelope(out, 26);
            let _ = write!(out, ", custom_len={}, custom_data=", u32_at(&b, 36));
            super::cx::addr_into(out, u64_at(&b, 40));
            out.push('}');
        }
        // FF_RUMBLE
        0x50 => {
            let _ = write!(
                out,
                ", rumble={{strong_magnitude={}, weak_magnitude={}}}",
                u16s(16),
                u16s(18)
            );
        }
        _ => {}
    }
    out.push('}');
}
