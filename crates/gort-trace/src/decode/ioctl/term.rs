//! Terminal ioctls (`asm/termbits.h`, `asm/ioctls.h`, type `T`): termios structures, window sizes,
//! modem lines and the integer-valued requests.
//!
//! Design: the flag words of a termios structure are printed field by field: the output delays and
//! the baud rates, character size and input baud rate of `c_cflag` are values inside masks, the rest
//! are flags. The control characters (`-v` only) are indexed by their `V*` names.

use super::cx::{local_array, u16_at, u32_at, Cx, Rval};
use super::tables::*;
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Style, Xlat};
use std::fmt::Write;

const IFLAGS: Xlat = Xlat::hex(TERM_IFLAGS, "");
const OFLAGS: Xlat = Xlat::hex(TERM_OFLAGS, "");
const CFLAGS: Xlat = Xlat::hex(TERM_CFLAGS, "");
const LFLAGS: Xlat = Xlat::hex(TERM_LFLAGS, "");
const BAUDS: Xlat = Xlat::hex(BAUD_OPTIONS, "B???");
const CSIZE: Xlat = Xlat::hex(TERM_CFLAGS_CSIZE, "CS?");
const LINE_DISCS: Xlat = Xlat::hex(TERM_LINE_DISCS, "N_???");
const MODEM: Xlat = Xlat::hex(MODEM_FLAGS, "TIOCM_???");
const TCXONC: Xlat = Xlat::wide(TCXONC_OPTIONS, "TC???");
const TCFLSH: Xlat = Xlat::wide(TCFLSH_OPTIONS, "TC???");

/// A field inside a flag word: its values' names, its mask, the name of an unknown value.
type Field = (&'static [(u64, &'static str)], u64, &'static str);

/// The output delay fields of `c_oflag`.
const DELAYS: [Field; 6] = [
    (TERM_OFLAGS_NLDLY, 0o400, "NL?"),
    (TERM_OFLAGS_CRDLY, 0o3000, "CR?"),
    (TERM_OFLAGS_TABDLY, 0o14000, "TAB?"),
    (TERM_OFLAGS_BSDLY, 0o20000, "BS?"),
    (TERM_OFLAGS_VTDLY, 0o40000, "VT?"),
    (TERM_OFLAGS_FFDLY, 0o100000, "FF?"),
];
const CBAUD: u64 = 0o10017;
const CIBAUD: u64 = 0o2003600000;
const IBSHIFT: u32 = 16;
const CSIZE_MASK: u64 = 0o60;

/// Decodes a terminal request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    let get = |cx: &Cx| cx.entering();
    match cx.code {
        // TCGETS2
        0x802c542a if get(cx) => Rval::Exit,
        // ... TCSETS2, TCSETSW2, TCSETSF2
        0x802c542a | 0x402c542b | 0x402c542c | 0x402c542d => {
            out.push_str(", ");
            termios(cx, out, Kind::Termios2);
            Rval::Done
        }
        // TCGETS, TIOCGLCKTRMIOS
        0x5401 | 0x5456 if get(cx) => Rval::Exit,
        // ... TCSETS, TCSETSW, TCSETSF, TIOCSLCKTRMIOS
        0x5401 | 0x5456 | 0x5402 | 0x5403 | 0x5404 | 0x5457 => {
            out.push_str(", ");
            termios(cx, out, Kind::Termios);
            Rval::Done
        }
        // TCGETA
        0x5405 if get(cx) => Rval::Exit,
        // ... TCSETA, TCSETAW, TCSETAF
        0x5405..=0x5408 => {
            out.push_str(", ");
            termios(cx, out, Kind::Termio);
            Rval::Done
        }
        // TIOCGWINSZ
        0x5413 if get(cx) => Rval::Exit,
        // ... TIOCSWINSZ
        0x5413 | 0x5414 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 8) {
                let _ = write!(
                    out,
                    "{{ws_row={}, ws_col={}, ws_xpixel={}, ws_ypixel={}}}",
                    u16_at(&b, 0),
                    u16_at(&b, 2),
                    u16_at(&b, 4),
                    u16_at(&b, 6)
                );
            }
            Rval::Done
        }
        // TCXONC
        0x540a => {
            out.push_str(", ");
            xlat::value(out, arg, &TCXONC);
            Rval::Done
        }
        // TCFLSH
        0x540b => {
            out.push_str(", ");
            xlat::value(out, arg, &TCFLSH);
            Rval::Done
        }
        // TCSBRK, TCSBRKP, TIOCSCTTY
        0x5409 | 0x5425 | 0x540e => {
            let _ = write!(out, ", {}", arg as i32);
            Rval::Done
        }
        // TIOCMGET
        0x5415 if get(cx) => Rval::Exit,
        // ... TIOCMBIS, TIOCMBIC, TIOCMSET
        0x5415..=0x5418 => {
            out.push_str(", ");
            cx.flags_into(out, arg, &MODEM);
            Rval::Done
        }
        // TIOCGPGRP, TIOCGSID, TIOCGETD, TIOCGSOFTCAR, TIOCGPTN, FIONREAD, TIOCOUTQ, TIOCGEXCL,
        // TIOCGDEV
        0x540f | 0x5429 | 0x5424 | 0x5419 | 0x80045430 | 0x541b | 0x5411 | 0x80045440
        | 0x80045432
            if get(cx) =>
        {
            Rval::Exit
        }
        // ... TIOCSPGRP, TIOCSETD, FIONBIO, FIOASYNC, TIOCPKT, TIOCSSOFTCAR, TIOCSPTLCK
        0x540f | 0x5429 | 0x5424 | 0x5419 | 0x80045430 | 0x541b | 0x5411 | 0x80045440
        | 0x80045432 | 0x5410 | 0x5423 | 0x5421 | 0x5452 | 0x5420 | 0x541a | 0x40045431 => {
            out.push_str(", ");
            cx.int_into(out, arg);
            Rval::Done
        }
        // TIOCSTI
        0x5412 => {
            out.push_str(", ");
            cx.str_into(out, arg, 1);
            Rval::Done
        }
        // TIOCSBRK, TIOCCBRK, TIOCCONS, TIOCNOTTY, TIOCEXCL, TIOCNXCL, FIOCLEX, FIONCLEX,
        // TIOCVHANGUP, TIOCSSERIAL
        0x5427 | 0x5428 | 0x541d | 0x5422 | 0x540c | 0x540d | 0x5451 | 0x5450 | 0x5437 | 0x541f => {
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `struct termio`: 16-bit flags, 8 control characters.
    Termio,
    /// The kernel's `struct termios`: 32-bit flags, 19 control characters.
    Termios,
    /// `struct termios2`: `struct termios` and the two speeds.
    Termios2,
}

fn termios(cx: &mut Cx, out: &mut String, kind: Kind) {
    let len = match kind {
        Kind::Termio => 18,
        Kind::Termios => 36,
        Kind::Termios2 => 44,
    };
    let Some(b) = cx.fetch(out, cx.arg, len) else {
        return;
    };
    let (flags, line, cc): ([u64; 4], usize, &[u8]) = if kind == Kind::Termio {
        let f = [0, 2, 4, 6].map(|o| u16_at(&b, o) as u64);
        (f, 8, &b[9..17])
    } else {
        let f = [0, 4, 8, 12].map(|o| u32_at(&b, o) as u64);
        (f, 16, &b[17..36])
    };
    out.push_str("{c_iflag=");
    xlat::flags(out, flags[0], &IFLAGS);
    out.push_str(", c_oflag=");
    oflag(out, flags[1]);
    out.push_str(", c_cflag=");
    cflag(out, flags[2]);
    out.push_str(", c_lflag=");
    xlat::flags(out, flags[3], &LFLAGS);
    if !cx.verbose() {
        out.push_str(", ...}");
        return;
    }
    out.push_str(", c_line=");
    xlat::value(out, b[line] as u64, &LINE_DISCS);
    out.push_str(", c_cc=");
    local_array(
        out,
        cc.len(),
        &crate::decode::Opts {
            verbose: true,
            ..*cx.opts
        },
        |out, i| {
            match TERMIOS_CC.iter().find(|(v, _)| *v == i as u64) {
                Some((_, n)) => {
                    let _ = write!(out, "[{n}]=");
                }
                None => {
                    let _ = write!(out, "[{i}]=");
                }
            }
            let _ = write!(out, "{}", CHex(cc[i] as u64));
        },
    );
    if kind == Kind::Termios2 {
        let _ = write!(
            out,
            ", c_ispeed={}, c_ospeed={}",
            u32_at(&b, 36),
            u32_at(&b, 40)
        );
    }
    out.push('}');
}

/// `c_oflag`: each delay field's value, then the remaining flags.
fn oflag(out: &mut String, mut v: u64) {
    for (names, mask, unknown) in DELAYS {
        xlat::value(out, v & mask, &Xlat::wide(names, unknown));
        out.push('|');
        v &= !mask;
    }
    xlat::flags(out, v, &OFLAGS);
}

/// `c_cflag`: the output baud rate, the input one when set, the character size, then the flags.
fn cflag(out: &mut String, v: u64) {
    xlat::value(out, v & CBAUD, &BAUDS);
    out.push('|');
    if v & CIBAUD != 0 {
        xlat::value(out, (v & CIBAUD) >> IBSHIFT, &BAUDS);
        out.push_str("<<");
        match xlat::style() {
            Style::Abbrev => out.push_str("IBSHIFT"),
            Style::Raw => {
                let _ = write!(out, "{IBSHIFT}");
            }
            Style::Verbose => {
                let _ = write!(out, "{IBSHIFT} /* IBSHIFT */");
            }
        }
        out.push('|');
    }
    xlat::value(out, v & CSIZE_MASK, &CSIZE);
    out.push('|');
    xlat::flags(out, v & !(CBAUD | CIBAUD | CSIZE_MASK), &CFLAGS);
}
