//! An ioctl request code as strace prints it.
//!
//! Design: a request code packs `_IOC(dir, type, nr, size)` (x86_64: nr in bits 0-7, type in 8-15,
//! size in 16-29, direction in 30-31). It is printed by name when the uapi headers define one
//! ([`super::names::NAMES`]; several names for one code are joined by ` or `), by a parameterised
//! name for the families whose codes carry a number (`EVIOCGBIT(EV_KEY, 96)`), and otherwise as
//! `_IOC(_IOC_READ, 0x45, 0x1, 0x4)`. `-X raw` prints the number, `-X verbose` the number with the
//! text in a comment.

use super::names::NAMES;
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Style, Xlat};
use std::fmt::Write;

/// `_IOC_WRITE`: userland writes, the kernel reads.
pub const IOC_WRITE: u32 = 1;
/// `_IOC_READ`: the kernel writes, userland reads.
pub const IOC_READ: u32 = 2;

/// The direction bits of `code`.
pub fn dir(code: u32) -> u32 {
    code >> 30
}

/// The type (the family's letter) of `code`.
pub fn typ(code: u32) -> u32 {
    (code >> 8) & 0xff
}

/// The number within the family of `code`.
pub fn nr(code: u32) -> u32 {
    code & 0xff
}

/// The argument size encoded in `code`.
pub fn size(code: u32) -> u32 {
    (code >> 16) & 0x3fff
}

/// The code of `_IOC(dir, typ, nr, size)`.
pub const fn ioc(dir: u32, typ: u32, nr: u32, size: u32) -> u32 {
    (dir << 30) | (size << 16) | (typ << 8) | nr
}

/// The names defined for exactly `code`, in strace's order.
pub fn names(code: u32) -> impl Iterator<Item = &'static str> {
    let start = NAMES.partition_point(|(c, _)| *c < code);
    NAMES[start..]
        .iter()
        .take_while(move |(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// Prints `code` in the chosen `-X` style.
pub fn request_into(out: &mut String, code: u32) {
    let style = xlat::style();
    if style != Style::Abbrev {
        let _ = write!(out, "{code:#x}");
    }
    if style == Style::Raw {
        return;
    }
    if style == Style::Verbose {
        out.push_str(" /* ");
    }
    let mut text = String::new();
    let numbered = numbered_name(&mut text, code, style == Style::Verbose);
    let mut known = names(code).peekable();
    if known.peek().is_some() {
        for n in known {
            if !text.is_empty() {
                text.push_str(" or ");
            }
            text.push_str(n);
        }
    } else if !numbered {
        text.push_str("_IOC(");
        dirs_into(&mut text, dir(code));
        let _ = write!(
            text,
            ", {}, {}, {})",
            CHex(typ(code) as u64),
            CHex(nr(code) as u64),
            CHex(size(code) as u64)
        );
    }
    out.push_str(&text);
    if style == Style::Verbose {
        out.push_str(" */");
    }
}

fn dirs_into(out: &mut String, d: u32) {
    match d {
        0 => out.push_str("_IOC_NONE"),
        1 => out.push_str("_IOC_WRITE"),
        2 => out.push_str("_IOC_READ"),
        _ => out.push_str("_IOC_READ|_IOC_WRITE"),
    }
}

/// A table value printed inside a parameterised name: the name, or under `-X verbose` the name
/// alone with a bare number for an unknown value (strace prints these in its abbreviated style).
fn param_into(out: &mut String, v: u32, x: &Xlat, verbose: bool) {
    match x.name(v as u64) {
        Some(n) => out.push_str(n),
        None if verbose => {
            let _ = write!(out, "{v:#x}");
        }
        None => {
            let _ = write!(out, "{v:#x} /* {} */", x.unknown);
        }
    }
}

/// The parameterised names strace composes for some families; false when `code` is not one.
fn numbered_name(out: &mut String, code: u32, verbose: bool) -> bool {
    let (d, n, sz) = (dir(code), nr(code), size(code));
    let sized = |out: &mut String, name: &str| {
        let _ = write!(out, "{name}({sz})");
        true
    };
    match typ(code) {
        0x21 => {
            if code == ioc(IOC_READ, 0x21, 2, 8) {
                out.push_str("SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR");
                return true;
            }
            false
        }
        0x45 => {
            // evdev
            if d == IOC_WRITE && (0xc0..=0xff).contains(&n) {
                out.push_str("EVIOCSABS(");
                param_into(out, n - 0xc0, &super::evdev::ABS, verbose);
                out.push(')');
                return true;
            }
            if d != IOC_READ {
                return false;
            }
            match n {
                0x20..=0x3f => {
                    out.push_str("EVIOCGBIT(");
                    if n == 0x20 {
                        out.push('0');
                    } else {
                        param_into(out, n - 0x20, &super::evdev::EV, verbose);
                    }
                    let _ = write!(out, ", {sz})");
                    true
                }
                0x40..=0x7f => {
                    out.push_str("EVIOCGABS(");
                    param_into(out, n - 0x40, &super::evdev::ABS, verbose);
                    out.push(')');
                    true
                }
                0x06 => sized(out, "EVIOCGNAME"),
                0x07 => sized(out, "EVIOCGPHYS"),
                0x08 => sized(out, "EVIOCGUNIQ"),
                0x09 => sized(out, "EVIOCGPROP"),
                0x0a => sized(out, "EVIOCGMTSLOTS"),
                0x18 => sized(out, "EVIOCGKEY"),
                0x19 => sized(out, "EVIOCGLED"),
                0x1a => sized(out, "EVIOCGSND"),
                0x1b => sized(out, "EVIOCGSW"),
                _ => false,
            }
        }
        0x48 => match (d, n) {
            // hiddev
            (IOC_READ, 0x04) => sized(out, "HIDIOCGRAWNAME"),
            (IOC_READ, 0x05) => sized(out, "HIDIOCGRAWPHYS"),
            (IOC_READ, 0x06) => sized(out, "HIDIOCSFEATURE"),
            (IOC_READ, 0x08) => sized(out, "HIDIOCGRAWUNIQ"),
            (IOC_READ, 0x12) => sized(out, "HIDIOCGPHYS"),
            (3, 0x06) => sized(out, "HIDIOCSFEATURE"),
            (3, 0x07) => sized(out, "HIDIOCGFEATURE"),
            _ => false,
        },
        0x4d => match d {
            IOC_WRITE => {
                let _ = write!(out, "MIXER_WRITE({n})");
                true
            }
            IOC_READ => {
                let _ = write!(out, "MIXER_READ({n})");
                true
            }
            _ => false,
        },
        0x55 if d == IOC_READ && n == 0x2c => sized(out, "UI_GET_SYSNAME"),
        0x6a if d == IOC_READ && n == 0x13 => sized(out, "JSIOCGNAME"),
        0x6b if d == IOC_WRITE && n == 0 => sized(out, "SPI_IOC_MESSAGE"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(code: u32) -> String {
        let mut s = String::new();
        request_into(&mut s, code);
        s
    }

    #[test]
    fn known_codes_print_by_name_and_unknown_ones_as_ioc() {
        assert_eq!(text(0x5401), "TCGETS");
        assert_eq!(text(0x4b00), "_IOC(_IOC_NONE, 0x4b, 0, 0)");
        assert_eq!(
            text(ioc(3, 0x45, 0x1, 4) | 0x0100_0000),
            "_IOC(_IOC_READ|_IOC_WRITE, 0x45, 0x1, 0x104)"
        );
    }

    #[test]
    fn evdev_codes_carry_their_parameters() {
        assert_eq!(text(ioc(IOC_READ, 0x45, 0x21, 96)), "EVIOCGBIT(EV_KEY, 96)");
        assert_eq!(text(ioc(IOC_READ, 0x45, 0x06, 32)), "EVIOCGNAME(32)");
    }
}
