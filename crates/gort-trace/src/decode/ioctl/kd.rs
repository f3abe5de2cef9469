//! Virtual console and keyboard ioctls (`linux/kd.h`, `linux/keyboard.h`, type `K`): tones, LEDs,
//! modes, screen and unicode maps, keymap and function-key string entries, accent tables, fonts.
//!
//! Design: the requests are old-style numbers without a size or direction, so each one is matched by
//! its full code. Reads are shown at exit, writes at entry, and requests that both read and write
//! (`KDKBDREP`, `KDFONTOP`, `GIO_FONTX`) show `{in} => {out}`. A keymap entry's value is named from the
//! table of its key type (`K_F1`), or composed as `K(KT_..., value)` with the value shown as a quoted
//! character for the character-valued types. Fonts and colour maps are byte buffers shown in hex.

use super::cx::{addr_into, i32_at, u16_at, u32_at, u64_at, Cx, Rval};
use super::tables::*;
use crate::decode::flags::signal_name;
use crate::decode::strings;
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Style, Xlat};
use std::fmt::Write;

const LEDS: Xlat = Xlat::hex(KD_LED_FLAGS, "LED_???");
const DEFAULT_LEDS: Xlat = Xlat::hex(KD_DEFAULT_LED_FLAGS, "LED_???");
const KB_TYPES: Xlat = Xlat::hex(KD_KBD_TYPES, "KB_???");
const MODES: Xlat = Xlat::hex(KD_MODES, "KD_???");
const KBD_MODES: Xlat = Xlat::dec(KD_KBD_MODES, "K_???");
const META: Xlat = Xlat::hex(KD_META_VALS, "K_???");
const KEY_TABLES: Xlat = Xlat::hex(KD_KEY_TABLES, "");
const KEYMAP_FLAGS: Xlat = Xlat::hex(KD_KEYMAP_FLAGS, "K_???");
const KEY_TYPES: Xlat = Xlat::hex(KD_KEY_TYPES, "");
const FN_KEY_VALS: Xlat = Xlat::hex(KD_KEY_FN_KEY_VALS, "KVAL(K_???)");
const FONT_OPS: Xlat = Xlat::hex(KD_FONT_OPS, "KD_FONT_OP_???");
const FONT_FLAGS: Xlat = Xlat::hex(KD_FONT_FLAGS, "KD_FONT_FLAG_???");

/// The PIT's input clock, which a tone's period counts.
const PIT_TICK_RATE: u64 = 1_193_182;
/// Entries of a screen map.
const E_TABSZ: u64 = 256;
/// Entries of an accent table.
const MAX_DIACR: u32 = 256;
/// `UNI_DIRECT_BASE`: screen map values that name a font position directly.
const UNI_DIRECT_BASE: u16 = 0xf000;
const UNI_DIRECT_MASK: u16 = 0x01ff;
/// `GIO_FONT`/`PIO_FONT`: 256 characters of 32 rows of 8 pixels.
const OLD_FONT_LEN: usize = 8192;

// Font operations of `struct console_font_op`.
const OP_SET: u32 = 0;
const OP_GET: u32 = 1;
const OP_SET_DEFAULT: u32 = 2;
const OP_COPY: u32 = 3;

/// Decodes a `K` request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // KIOCSOUND
        0x4b2f => {
            let freq = PIT_TICK_RATE.checked_div(arg).unwrap_or(0) as u32;
            let _ = write!(out, ", {arg}");
            if xlat::style() != Style::Raw {
                if freq != 0 {
                    let _ = write!(out, " /* {freq} Hz */");
                } else {
                    out.push_str(" /* off */");
                }
            }
            Rval::Done
        }
        // KDMKTONE
        0x4b30 => {
            let a = arg as u32;
            let (ticks, count) = (a >> 16, a & 0xffff);
            out.push_str(", ");
            if ticks != 0 {
                let _ = write!(out, "{ticks}<<16|");
            }
            let _ = write!(out, "{count}");
            if xlat::style() != Style::Raw {
                if ticks != 0 && count != 0 {
                    let freq = PIT_TICK_RATE / count as u64;
                    let _ = write!(out, " /* {freq} Hz, {ticks} ms */");
                } else {
                    out.push_str(" /* off */");
                }
            }
            Rval::Done
        }
        // KDGETLED, KDGKBLED
        0x4b31 | 0x4b64 => {
            let table = if cx.code == 0x4b64 {
                &DEFAULT_LEDS
            } else {
                &LEDS
            };
            exit_byte(cx, out, table, true)
        }
        // KDSETLED, KDSKBLED
        0x4b32 | 0x4b65 => {
            let table = if cx.code == 0x4b65 {
                &DEFAULT_LEDS
            } else {
                &LEDS
            };
            out.push_str(", ");
            xlat::flags(out, arg & 0xff, table);
            Rval::Done
        }
        // KDGKBTYPE
        0x4b33 => exit_byte(cx, out, &KB_TYPES, false),
        // KDADDIO, KDDELIO
        0x4b34 | 0x4b35 => {
            const GPFIRST: u64 = 0x3b4;
            const GPLAST: u64 = 0x3df;
            let _ = write!(out, ", {}", CHex(arg));
            if (GPFIRST..=GPLAST).contains(&arg) && xlat::style() != Style::Raw {
                let _ = write!(out, " /* GPFIRST + {} */", arg - GPFIRST);
            }
            Rval::Done
        }
        // KDSETMODE
        0x4b3a => {
            out.push_str(", ");
            xlat::value(out, arg, &MODES);
            Rval::Done
        }
        // KDGETMODE
        0x4b3b => exit_uint(cx, out, &MODES),
        // GIO_SCRNMAP, PIO_SCRNMAP
        0x4b40 | 0x4b41 => {
            let get = cx.code == 0x4b40;
            if cx.entering() {
                out.push_str(", ");
                if get {
                    return Rval::Exit;
                }
            }
            if cx.failed() {
                addr_into(out, arg);
            } else {
                cx.str_ex_into(out, arg, E_TABSZ as usize, true);
            }
            Rval::Done
        }
        // GIO_UNISCRNMAP, PIO_UNISCRNMAP
        0x4b69 | 0x4b6a => {
            if cx.entering() {
                out.push_str(", ");
                if cx.code == 0x4b69 {
                    return Rval::Exit;
                }
            }
            if cx.failed() {
                addr_into(out, arg);
                return Rval::Done;
            }
            cx.array_into(out, arg, E_TABSZ, 2, |_, out, b| {
                uni_screen_entry(out, u16_at(b, 0));
                true
            });
            Rval::Done
        }
        // KDGKBMODE
        0x4b44 => exit_uint(cx, out, &KBD_MODES),
        // KDSKBMODE
        0x4b45 => {
            out.push_str(", ");
            xlat::value(out, arg & 0xffff_ffff, &KBD_MODES);
            Rval::Done
        }
        // KDGKBENT, KDSKBENT
        0x4b46 | 0x4b47 => key_entry(cx, out, cx.code == 0x4b46),
        // KDGKBSENT, KDSKBSENT
        0x4b48 | 0x4b49 => key_string(cx, out, cx.code == 0x4b48),
        // KDGKBDIACR, KDSKBDIACR
        0x4b4a | 0x4b4b => accents(cx, out, cx.code == 0x4b4a, false),
        // KDGKBDIACRUC, KDSKBDIACRUC
        0x4bfa | 0x4bfb => accents(cx, out, cx.code == 0x4bfa, true),
        // KDGETKEYCODE, KDSETKEYCODE
        0x4b4c | 0x4b4d => keycode(cx, out, cx.code == 0x4b4c),
        // KDSIGACCEPT
        0x4b4e => {
            out.push_str(", ");
            if arg < i32::MAX as u64 {
                let name = signal_name(arg as i32);
                if name.as_bytes()[0].is_ascii_digit() {
                    out.push_str(&name);
                } else {
                    xlat::composed_signed(out, arg as i64, &name);
                }
            } else {
                let _ = write!(out, "{arg}");
            }
            Rval::Done
        }
        // KDKBDREP
        0x4b52 => {
            if cx.entering() {
                out.push_str(", ");
                let Some(b) = cx.fetch(out, arg, 8) else {
                    return Rval::Done;
                };
                repeat(out, &b);
                return Rval::Exit;
            }
            if !cx.failed() {
                if let Some(b) = cx.read(arg, 8) {
                    out.push_str(" => ");
                    repeat(out, &b);
                }
            }
            Rval::Done
        }
        // GIO_FONT, PIO_FONT
        0x4b60 | 0x4b61 => buffer(cx, out, cx.code == 0x4b60, OLD_FONT_LEN),
        // GIO_CMAP, PIO_CMAP
        0x4b70 | 0x4b71 => buffer(cx, out, cx.code == 0x4b70, 3 * 16),
        // KDGKBMETA
        0x4b62 => exit_uint(cx, out, &META),
        // KDSKBMETA
        0x4b63 => {
            out.push_str(", ");
            xlat::value(out, arg & 0xffff_ffff, &META);
            Rval::Done
        }
        // PIO_UNIMAPCLR
        0x4b68 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 6) {
                let _ = write!(
                    out,
                    "{{advised_hashsize={}, advised_hashstep={}, advised_hashlevel={}}}",
                    u16_at(&b, 0),
                    u16_at(&b, 2),
                    u16_at(&b, 4)
                );
            }
            Rval::Done
        }
        // GIO_UNIMAP, PIO_UNIMAP
        0x4b66 | 0x4b67 => unimap(cx, out, cx.code == 0x4b66),
        // GIO_FONTX, PIO_FONTX
        0x4b6b | 0x4b6c => fontx(cx, out, cx.code == 0x4b6b),
        // KDFONTOP
        0x4b72 => font_op(cx, out),
        // KDENABIO, KDDISABIO, KDMAPDISP, KDUNMAPDISP, PIO_FONTRESET
        0x4b36 | 0x4b37 | 0x4b3c | 0x4b3d | 0x4b6d => Rval::Done,
        _ => Rval::Plain,
    }
}

/// A byte the kernel writes at exit, shown as `[FLAGS]` (`flags`) or `[VALUE]`.
fn exit_byte(cx: &mut Cx, out: &mut String, table: &Xlat, flags: bool) -> Rval {
    if cx.entering() {
        out.push_str(", ");
        return Rval::Exit;
    }
    if let Some(b) = cx.fetch(out, cx.arg, 1) {
        out.push('[');
        if flags {
            xlat::flags(out, b[0] as u64, table);
        } else {
            xlat::value(out, b[0] as u64, table);
        }
        out.push(']');
    }
    Rval::Done
}

/// An `unsigned int` the kernel writes at exit, shown as `[VALUE]`.
fn exit_uint(cx: &mut Cx, out: &mut String, table: &Xlat) -> Rval {
    if cx.entering() {
        out.push_str(", ");
        return Rval::Exit;
    }
    if let Some(b) = cx.fetch(out, cx.arg, 4) {
        out.push('[');
        xlat::value(out, u32_at(&b, 0) as u64, table);
        out.push(']');
    }
    Rval::Done
}

/// A buffer of `len` bytes in hex, read at exit (`get`) or written at entry.
fn buffer(cx: &mut Cx, out: &mut String, get: bool, len: usize) -> Rval {
    if cx.entering() {
        out.push_str(", ");
        if get {
            return Rval::Exit;
        }
    }
    if cx.failed() {
        addr_into(out, cx.arg);
    } else {
        cx.str_ex_into(out, cx.arg, len, true);
    }
    Rval::Done
}

/// One screen map entry: the value, or `UNI_DIRECT_BASE+0x..` for a direct font position.
fn uni_screen_entry(out: &mut String, v: u16) {
    let direct = v & !UNI_DIRECT_MASK == UNI_DIRECT_BASE;
    let style = xlat::style();
    if style != Style::Abbrev || !direct {
        let _ = write!(out, "{}", CHex(v as u64));
    }
    if style == Style::Raw || !direct {
        return;
    }
    let text = format!("UNI_DIRECT_BASE+{}", CHex((v & UNI_DIRECT_MASK) as u64));
    if style == Style::Verbose {
        let _ = write!(out, " /* {text} */");
    } else {
        out.push_str(&text);
    }
}

/// strace's `print_char` with quotes and whitespace escapes: `'a'`, `'\''`, `'\n'`, `'\x00'`.
pub fn char_into(out: &mut String, c: u8) {
    out.push('\'');
    match c {
        b'\'' | b'\\' => {
            out.push('\\');
            out.push(c as char);
        }
        0x20..=0x7e => out.push(c as char),
        b'\t'..=b'\r' => {
            out.push('\\');
            out.push(b"tnvfr"[(c - b'\t') as usize] as char);
        }
        _ => {
            let _ = write!(out, "\\x{c:02x}");
        }
    }
    out.push('\'');
}

/// `struct kbentry` (`KDGKBENT`, `KDSKBENT`): the table and index, and the key's value.
fn key_entry(cx: &mut Cx, out: &mut String, get: bool) -> Rval {
    let arg = cx.arg;
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.read(arg, 2) else {
            addr_into(out, arg);
            return Rval::Done;
        };
        out.push_str("{kb_table=");
        if KEY_TABLES.name(b[0] as u64).is_some() {
            xlat::value(out, b[0] as u64, &KEY_TABLES);
        } else {
            xlat::flags(out, b[0] as u64, &KEYMAP_FLAGS);
        }
        let _ = write!(out, ", kb_index={}", b[1]);
        if get {
            return Rval::Exit;
        }
    } else if cx.failed() {
        out.push('}');
        return Rval::Done;
    }
    out.push_str(", kb_value=");
    let Some(b) = cx.read(arg + 2, 2) else {
        out.push_str("???}");
        return Rval::Done;
    };
    let value = u16_at(&b, 0);
    let _ = write!(out, "{}", CHex(value as u64));
    if xlat::style() != Style::Raw {
        key_value_comment(out, value);
    }
    out.push('}');
    Rval::Done
}

/// ` /* K_F1 */` or ` /* K(KT_LATIN, 'a') */`: what a keymap value means.
fn key_value_comment(out: &mut String, value: u16) {
    let (ktyp, kval) = ((value >> 8) as u8, (value & 0xff) as u8);
    let table: &[(u64, &str)] = match ktyp {
        1 => KD_KEY_FN_KEYS,
        2 => KD_KEY_SPEC_KEYS,
        3 => KD_KEY_PAD_KEYS,
        4 => KD_KEY_DEAD_KEYS,
        6 => KD_KEY_CUR_KEYS,
        7 => KD_KEY_SHIFT_KEYS,
        9 => KD_KEY_ASCII_KEYS,
        10 => KD_KEY_LOCK_KEYS,
        12 => KD_KEY_SLOCK_KEYS,
        14 => KD_KEY_BRL_KEYS,
        _ => &[],
    };
    if let Some((_, name)) = table.iter().find(|(v, _)| *v == value as u64) {
        let _ = write!(out, " /* {name} */");
        return;
    }
    out.push_str(" /* K(");
    match KEY_TYPES.name(ktyp as u64) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "{}", CHex(ktyp as u64));
        }
    }
    out.push_str(", ");
    match ktyp {
        // KT_LATIN, KT_META, KT_LETTER, KT_DEAD2: the value is a character.
        0 | 8 | 11 | 13 => char_into(out, kval),
        _ => {
            let _ = write!(out, "{}", CHex(kval as u64));
        }
    }
    out.push_str(") */");
}

/// `struct kbsentry` (`KDGKBSENT`, `KDSKBSENT`): a function key and its string.
fn key_string(cx: &mut Cx, out: &mut String, get: bool) -> Rval {
    const STRING_LEN: usize = 512;
    let arg = cx.arg;
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.fetch(out, arg, 1) else {
            return Rval::Done;
        };
        out.push_str("{kb_func=");
        xlat::value(out, b[0] as u64, &FN_KEY_VALS);
        if get {
            return Rval::Exit;
        }
    } else if cx.failed() {
        out.push('}');
        return Rval::Done;
    }
    out.push_str(", kb_string=");
    // Read as strace's umovestr does: up to the NUL, which must come before unreadable memory.
    let mut buf = vec![0u8; STRING_LEN];
    let got = cx.read_upto(arg + 1, &mut buf);
    let nul = buf[..got].iter().position(|&c| c == 0);
    if nul.is_none() && got < STRING_LEN {
        out.push_str("???}");
        return Rval::Done;
    }
    let size = cx.opts.strsize.min(nul.map_or(STRING_LEN, |n| n + 1));
    let s = &buf[..size];
    // A NUL in the last position shown ends the string; any other end is cut.
    let complete = s.last() == Some(&0);
    let text = if complete { &s[..size - 1] } else { s };
    strings::quote_into(out, text, strings::wants_hex(s, cx.opts.xflag));
    if !complete {
        out.push_str("...");
    }
    out.push('}');
    Rval::Done
}

/// `struct kbdiacrs`/`struct kbdiacrsuc`: a count and the accent table entries.
fn accents(cx: &mut Cx, out: &mut String, get: bool, unicode: bool) -> Rval {
    if cx.entering() {
        out.push_str(", ");
        if get {
            return Rval::Exit;
        }
    }
    let arg = cx.arg;
    let Some(b) = cx.fetch(out, arg, 4) else {
        return Rval::Done;
    };
    let count = u32_at(&b, 0);
    let (field, size) = if unicode {
        ("kbdiacruc", 12)
    } else {
        ("kbdiacr", 3)
    };
    let _ = write!(out, "{{kb_cnt={count}, {field}=");
    cx.array_ex_into(
        out,
        arg + 4,
        count.min(MAX_DIACR) as u64,
        size,
        count > MAX_DIACR,
        |_, out, e| {
            if unicode {
                let _ = write!(
                    out,
                    "{{diacr={}, base={}, result={}}}",
                    CHex(u32_at(e, 0) as u64),
                    CHex(u32_at(e, 4) as u64),
                    CHex(u32_at(e, 8) as u64)
                );
            } else {
                out.push_str("{diacr=");
                char_into(out, e[0]);
                out.push_str(", base=");
                char_into(out, e[1]);
                out.push_str(", result=");
                char_into(out, e[2]);
                out.push('}');
            }
            true
        },
    );
    out.push('}');
    Rval::Done
}

/// `struct kbkeycode` (`KDGETKEYCODE`, `KDSETKEYCODE`): a scan code and its key code.
fn keycode(cx: &mut Cx, out: &mut String, get: bool) -> Rval {
    let arg = cx.arg;
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.fetch(out, arg, 8) else {
            return Rval::Done;
        };
        let _ = write!(
            out,
            "{{scancode={}, keycode={}",
            CHex(u32_at(&b, 0) as u64),
            CHex(u32_at(&b, 4) as u64)
        );
        if get {
            return Rval::Exit;
        }
    } else if !cx.failed() {
        if let Some(b) = cx.read(arg + 4, 4) {
            let _ = write!(out, " => {}", CHex(u32_at(&b, 0) as u64));
        }
    }
    out.push('}');
    Rval::Done
}

/// `struct kbd_repeat`.
fn repeat(out: &mut String, b: &[u8]) {
    let _ = write!(out, "{{delay={}, period={}}}", i32_at(b, 0), i32_at(b, 4));
}

/// `struct unimapdesc` (`GIO_UNIMAP`, `PIO_UNIMAP`): a count and the unicode-to-font pairs.
fn unimap(cx: &mut Cx, out: &mut String, get: bool) -> Rval {
    const ENOMEM: i32 = 12;
    let arg = cx.arg;
    if cx.entering() {
        out.push_str(", ");
    }
    // The descriptor is read even after a failed call (the kernel reports the count it needs).
    let b = if arg == 0 { None } else { cx.read(arg, 16) };
    let Some(b) = b else {
        addr_into(out, arg);
        if !cx.entering() {
            out.push('}');
        }
        return Rval::Done;
    };
    let count = u16_at(&b, 0);
    let entries = u64_at(&b, 8);
    if cx.entering() {
        let _ = write!(out, "{{entry_ct={count}");
        if get {
            return Rval::Exit;
        }
    } else {
        let _ = write!(out, " => {count}");
    }
    if cx.failed() && cx.errno() != Some(ENOMEM) {
        out.push_str(", entries=");
        addr_into(out, entries);
        out.push('}');
        return Rval::Done;
    }
    // At exit the pairs shown are as many as the count given at entry; while recording that count is
    // not at hand, so as many as there can be are read.
    let shown = if cx.entering() {
        count
    } else {
        cx.entry_read(arg, 16).map_or(u16::MAX, |e| u16_at(&e, 0))
    };
    out.push_str(", entries=");
    if cx.failed() && shown != 0 {
        // The array is not read after a failed call.
        addr_into(out, entries);
        out.push('}');
        return Rval::Done;
    }
    cx.array_into(out, entries, shown as u64, 4, |_, out, e| {
        let _ = write!(
            out,
            "{{unicode={}, fontpos={}}}",
            CHex(u16_at(e, 0) as u64),
            CHex(u16_at(e, 2) as u64)
        );
        true
    });
    out.push('}');
    Rval::Done
}

/// `struct consolefontdesc` (`GIO_FONTX`, `PIO_FONTX`).
fn fontx(cx: &mut Cx, out: &mut String, get: bool) -> Rval {
    let arg = cx.arg;
    let b = if cx.entering() {
        out.push_str(", ");
        match cx.fetch(out, arg, 16) {
            Some(b) => b,
            None => return Rval::Done,
        }
    } else {
        match (!cx.failed()).then(|| cx.read(arg, 16)).flatten() {
            Some(b) => {
                out.push_str(" => ");
                b
            }
            None => return Rval::Done,
        }
    };
    let (count, height, data) = (u16_at(&b, 0), u16_at(&b, 2), u64_at(&b, 8));
    let _ = write!(out, "{{charcount={count}, charheight={height}, chardata=");
    let show_pointer = get && cx.entering();
    if show_pointer {
        addr_into(out, data);
    } else {
        cx.str_ex_into(out, data, count.min(512) as usize * 32, true);
    }
    out.push('}');
    if show_pointer {
        Rval::Exit
    } else {
        Rval::Done
    }
}

/// `struct console_font_op` (`KDFONTOP`): the operation and its font.
fn font_op(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    let b = if cx.entering() {
        out.push_str(", ");
        match cx.fetch(out, arg, 32) {
            Some(b) => b,
            None => return Rval::Done,
        }
    } else {
        match (!cx.failed()).then(|| cx.read(arg, 32)).flatten() {
            Some(b) => {
                out.push_str(" => ");
                b
            }
            None => return Rval::Done,
        }
    };
    let op = u32_at(&b, 0);
    let (flags, width, height, count) =
        (u32_at(&b, 4), u32_at(&b, 8), u32_at(&b, 12), u32_at(&b, 16));
    let data = u64_at(&b, 24);
    let entering = cx.entering();
    out.push('{');
    if entering {
        out.push_str("op=");
        xlat::value(out, op as u64, &FONT_OPS);
        if op != OP_SET_DEFAULT && op != OP_COPY {
            out.push_str(", flags=");
            xlat::flags(out, flags as u64, &FONT_FLAGS);
        }
        out.push_str(", ");
    }
    if op == OP_COPY {
        let _ = write!(out, "height={height}");
    } else {
        let _ = write!(out, "width={width}, height={height}");
    }
    if op != OP_SET_DEFAULT && op != OP_COPY {
        let _ = write!(out, ", charcount={count}");
    }
    match op {
        OP_GET if entering => {
            out.push_str(", data=");
            addr_into(out, data);
        }
        OP_GET | OP_SET => {
            out.push_str(", data=");
            let len = (width.min(32) as usize).div_ceil(8) * 32 * count.min(512) as usize;
            cx.str_ex_into(out, data, len, true);
        }
        OP_SET_DEFAULT => {
            if entering {
                out.push_str(", data=");
                font_name(cx, out, data);
            }
        }
        OP_COPY => {}
        _ => {
            out.push_str(", data=");
            addr_into(out, data);
        }
    }
    out.push('}');
    if op == OP_SET || op == OP_COPY || !entering {
        Rval::Done
    } else {
        Rval::Exit
    }
}

/// The font name of `KD_FONT_OP_SET_DEFAULT`: a string of at most 31 characters in a 32-byte buffer,
/// cut at `-s`, with `...` when it does not end where it should.
fn font_name(cx: &mut Cx, out: &mut String, addr: u64) {
    const MAX_NAME: usize = 32;
    if addr == 0 {
        out.push_str("NULL");
        return;
    }
    let max = cx.opts.strsize;
    let size = (max + 1).min(MAX_NAME);
    let mut buf = vec![0u8; size];
    let got = cx.read_upto(addr, &mut buf);
    let nul = buf[..got].iter().position(|&c| c == 0);
    if nul.is_none() && got < size {
        addr_into(out, addr);
        return;
    }
    let mut shown = size.min(max);
    if shown == MAX_NAME {
        shown -= 1;
    }
    let end = nul.filter(|&n| n < shown);
    let s = &buf[..end.unwrap_or(shown)];
    strings::quote_into(out, s, strings::wants_hex(s, cx.opts.xflag));
    // The string is whole when its NUL is within what is shown or right after it.
    let whole = end.is_some() || buf.get(shown) == Some(&0);
    if !whole {
        out.push_str("...");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_character_is_quoted_with_escapes_for_quotes_whitespace_and_unprintables() {
        let mut s = String::new();
        for c in [b'a', b'\'', b'\\', b'\n', 0, 0x7f, b' '] {
            char_into(&mut s, c);
            s.push(' ');
        }
        assert_eq!(s, r"'a' '\'' '\\' '\n' '\x00' '\x7f' ' ' ");
    }

    #[test]
    fn a_key_value_is_named_from_its_type_table_or_composed() {
        let mut s = String::new();
        key_value_comment(&mut s, 0x0100);
        assert_eq!(s, " /* K_F1 */");
        let mut s = String::new();
        key_value_comment(&mut s, 0x0020);
        assert_eq!(s, " /* K(KT_LATIN, ' ') */");
        let mut s = String::new();
        key_value_comment(&mut s, 0xff01);
        assert_eq!(s, " /* K(0xff, 0x1) */");
    }
}
