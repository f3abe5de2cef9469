//! Named constants and flag words, printed in the style `-X` chooses.
//!
//! Design: a constant or flag word is described once by an [`Xlat`] — its names in strace's order, the
//! `PREFIX_???` comment for values without a name, whether numbers are shown in decimal, and whether the
//! kernel reads it as a 64-bit value (most are C `int`s, so the upper half of the register is ignored,
//! as the kernel does). [`flags`] and [`value`] are the only printers, so `-X raw` (numbers only), `-X
//! abbrev` (names, the default) and `-X verbose` (numbers with names in comments) apply to every table.
//! The style is chosen once at startup, before any line is rendered, and only read afterwards.

use std::fmt::Write;
use std::sync::atomic::{AtomicU8, Ordering};

/// How named constants are printed (`-X`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `-X abbrev`: names (the default).
    Abbrev,
    /// `-X raw`: numbers.
    Raw,
    /// `-X verbose`: numbers followed by their names in a comment.
    Verbose,
}

impl Style {
    /// Parses `raw`, `abbrev` or `verbose`.
    pub fn parse(s: &str) -> Result<Style, String> {
        match s {
            "raw" => Ok(Style::Raw),
            "abbrev" => Ok(Style::Abbrev),
            "verbose" => Ok(Style::Verbose),
            _ => Err(format!("invalid -X argument: '{s}'")),
        }
    }
}

// Written once by `set_style` before the formatter starts; Relaxed suffices because the formatter
// goroutine is spawned after the store, and spawning orders the store before its loads.
static STYLE: AtomicU8 = AtomicU8::new(0);

/// Chooses the style for the whole run.
pub fn set_style(s: Style) {
    STYLE.store(s as u8, Ordering::Relaxed);
}

/// The style chosen for this run.
pub fn style() -> Style {
    match STYLE.load(Ordering::Relaxed) {
        1 => Style::Raw,
        2 => Style::Verbose,
        _ => Style::Abbrev,
    }
}

/// A table of named values.
#[derive(Debug, PartialEq, Eq)]
pub struct Xlat {
    /// Values and names, in the order strace prints flags.
    pub names: &'static [(u64, &'static str)],
    /// The comment for a value without a name (`O_???`); empty for none.
    pub unknown: &'static str,
    /// Numbers are printed in decimal (otherwise hex).
    pub decimal: bool,
    /// The kernel reads the whole 64-bit register (otherwise its low 32 bits).
    pub wide: bool,
}

impl Xlat {
    /// A table of 32-bit values printed in hex.
    pub const fn hex(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
        Xlat {
            names,
            unknown,
            decimal: false,
            wide: false,
        }
    }

    /// A table of 32-bit values printed in decimal.
    pub const fn dec(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
        Xlat {
            names,
            unknown,
            decimal: true,
            wide: false,
        }
    }

    /// A table of 64-bit values printed in hex.
    pub const fn wide(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
        Xlat {
            names,
            unknown,
            decimal: false,
            wide: true,
        }
    }

    fn width(&self, v: u64) -> u64 {
        if self.wide {
            v
        } else {
            v & 0xffff_ffff
        }
    }

    /// The name of exactly `v`, if it has one.
    pub fn name(&self, v: u64) -> Option<&'static str> {
        self.names.iter().find(|(x, _)| *x == v).map(|(_, n)| *n)
    }
}

fn number(out: &mut String, v: u64, x: &Xlat) {
    if x.decimal {
        let _ = write!(out, "{}", v as i64 as i32 as i64);
    } else if v == 0 {
        out.push('0');
    } else {
        let _ = write!(out, "{v:#x}");
    }
}

/// Prints one value of an enumeration (`CLOCK_MONOTONIC`, or `0x2a /* CLOCK_??? */`).
pub fn value(out: &mut String, v: u64, x: &Xlat) {
    let v = x.width(v);
    let name = x.name(v);
    match (style(), name) {
        (Style::Abbrev, Some(n)) => out.push_str(n),
        (Style::Raw, _) => number(out, v, x),
        (Style::Verbose, Some(n)) => {
            number(out, v, x);
            let _ = write!(out, " /* {n} */");
        }
        // A table without an unknown-value comment prints the bare number.
        (_, None) if x.unknown.is_empty() => number(out, v, x),
        (_, None) => {
            number(out, v, x);
            let _ = write!(out, " /* {} */", x.unknown);
        }
    }
}

/// Prints one value as a number with its name in a comment (`8 /* SYSLOG_ACTION_CONSOLE_LEVEL */`),
/// the way strace shows some tables even in the default style; `-X raw` leaves the comment out.
pub fn value_commented(out: &mut String, v: u64, x: &Xlat) {
    let v = x.width(v);
    number(out, v, x);
    match x.name(v).unwrap_or(x.unknown) {
        _ if style() == Style::Raw => {}
        "" => {}
        name => {
            let _ = write!(out, " /* {name} */");
        }
    }
}

/// Prints a flag word as a number with its names in a comment (`0x1001 /* A|0x1 */`), the way strace
/// shows some fields even in the default style; zero and `-X raw` print the number alone.
pub fn flags_commented(out: &mut String, v: u64, x: &Xlat) {
    let v = x.width(v);
    if v == 0 || style() == Style::Raw {
        return number(out, v, x);
    }
    let _ = write!(out, "{v:#x}");
    match names_of(v, x) {
        Some(n) => {
            let _ = write!(out, " /* {n} */");
        }
        None if x.unknown.is_empty() => {}
        None => {
            let _ = write!(out, " /* {} */", x.unknown);
        }
    }
}

/// The names a decorated return value gets (`0xff (SECBIT_NOROOT|...)`): none under `-X raw` or
/// when no bit has a name.
pub fn names_for_return(v: u64, x: &Xlat) -> Option<String> {
    if style() == Style::Raw {
        return None;
    }
    names_of(x.width(v), x)
}

/// Appends the names of the bits of `v` (`A|B|0x100`), or `None` when no name matches.
fn names_of(v: u64, x: &Xlat) -> Option<String> {
    let mut s = String::new();
    let mut rest = v;
    for &(bits, name) in x.names {
        if bits != 0 && rest & bits == bits {
            if !s.is_empty() {
                s.push('|');
            }
            s.push_str(name);
            rest &= !bits;
        }
    }
    if s.is_empty() {
        return None;
    }
    if rest != 0 {
        let _ = write!(s, "|{rest:#x}");
    }
    Some(s)
}

/// Prints a flag word (`O_RDWR|O_CLOEXEC`, `0x80 /* IN_??? */`, `0`).
pub fn flags(out: &mut String, v: u64, x: &Xlat) {
    let v = x.width(v);
    if v == 0 {
        match (style(), x.name(0)) {
            (Style::Abbrev, Some(n)) => out.push_str(n),
            (Style::Verbose, Some(n)) => {
                let _ = write!(out, "0 /* {n} */");
            }
            _ => out.push('0'),
        }
        return;
    }
    let names = names_of(v, x);
    match (style(), names) {
        (Style::Raw, _) => {
            let _ = write!(out, "{v:#x}");
        }
        (Style::Abbrev, Some(n)) => out.push_str(&n),
        (Style::Verbose, Some(n)) => {
            let _ = write!(out, "{v:#x} /* {n} */");
        }
        // A table without an unknown-value comment prints the bare number.
        (_, None) if x.unknown.is_empty() => {
            let _ = write!(out, "{v:#x}");
        }
        (_, None) => {
            let _ = write!(out, "{v:#x} /* {} */", x.unknown);
        }
    }
}

/// Prints a value whose names a special decoder composed (`MAP_PRIVATE|MAP_ANONYMOUS`) in the chosen
/// style: the names, the number, or the number with the names in a comment.
pub fn composed(out: &mut String, v: u64, names: &str) {
    match style() {
        Style::Abbrev => out.push_str(names),
        Style::Raw => {
            let _ = write!(out, "{}", super::structs::CHex(v));
        }
        Style::Verbose => {
            let _ = write!(out, "{} /* {names} */", super::structs::CHex(v));
        }
    }
}

/// Prints a signed constant (`AT_FDCWD`, -100) in the chosen style.
pub fn composed_signed(out: &mut String, v: i64, name: &str) {
    match style() {
        Style::Abbrev => out.push_str(name),
        Style::Raw => {
            let _ = write!(out, "{v}");
        }
        Style::Verbose => {
            let _ = write!(out, "{v} /* {name} */");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Xlat = Xlat::hex(&[(1, "A_ONE"), (4, "A_FOUR")], "A_???");

    #[test]
    fn abbrev_names_known_bits_and_comments_unknown_values() {
        let mut s = String::new();
        flags(&mut s, 0x105, &T);
        assert_eq!(s, "A_ONE|A_FOUR|0x100");
        let mut s = String::new();
        flags(&mut s, 0xffff_ffff_0000_0008, &T);
        assert_eq!(s, "0x8 /* A_??? */");
        let mut s = String::new();
        value(&mut s, 4, &T);
        assert_eq!(s, "A_FOUR");
        let mut s = String::new();
        value(&mut s, 9, &T);
        assert_eq!(s, "0x9 /* A_??? */");
    }

    #[test]
    fn a_value_of_a_table_without_an_unknown_comment_is_a_bare_number() {
        const U: Xlat = Xlat::hex(&[(1, "RT_SCOPE_ONE")], "");
        let mut s = String::new();
        value(&mut s, 0xc8, &U);
        assert_eq!(s, "0xc8");
    }
}
