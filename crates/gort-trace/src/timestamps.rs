//! Line timestamps and call durations: `-t`/`-tt`/`-ttt` and `--timestamps=FORMAT,PRECISION`
//! (`--absolute-timestamps=format:F,precision:P`), `-r`/`--relative-timestamps[=P]`, and the
//! precision of `-T` (`--syscall-times=P`), with strace's layouts.
//!
//! Design: the options parse into one [`Stamps`] value, the formatter's only input for these
//! prefixes; a precision is a number of fraction digits (s 0, ms 3, us 6, ns 9).

use std::fmt::Write;

/// How an absolute timestamp is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `10:50:05.985736` (local time of day).
    Time,
    /// `1796640606.229589` (seconds since the epoch).
    Unix,
}

/// The timestamp settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stamps {
    /// Absolute timestamps before each line, with this many fraction digits.
    pub absolute: Option<(Format, u32)>,
    /// Time since the previous line before each line, with this many fraction digits.
    pub relative: Option<u32>,
    /// Fraction digits of `-T`'s `<0.000123>`.
    pub duration_digits: u32,
}

/// Fraction digits of a precision word.
pub fn precision(word: &str) -> Result<u32, String> {
    match word {
        "s" => Ok(0),
        "ms" => Ok(3),
        "us" => Ok(6),
        "ns" => Ok(9),
        _ => Err(format!("invalid timestamp precision '{word}'")),
    }
}

impl Stamps {
    /// The settings from `-t` repeated `t` times, the `--timestamps` values in order, `-r`, the
    /// `--relative-timestamps` precision and the `--syscall-times` precision.
    pub fn parse(
        t: u8,
        absolute: &[String],
        relative: bool,
        relative_precision: Option<&str>,
        duration_precision: Option<&str>,
    ) -> Result<Stamps, String> {
        let mut s = Stamps {
            absolute: match t {
                0 => None,
                1 => Some((Format::Time, 0)),
                2 => Some((Format::Time, 6)),
                _ => Some((Format::Unix, 6)),
            },
            relative: None,
            duration_digits: 6,
        };
        for value in absolute {
            let (mut fmt, mut digits) = s.absolute.unwrap_or((Format::Time, 0));
            let mut none = false;
            for item in value.split(',').filter(|i| !i.is_empty()) {
                let item = item
                    .strip_prefix("format:")
                    .or_else(|| item.strip_prefix("precision:"))
                    .unwrap_or(item);
                match item {
                    "time" => fmt = Format::Time,
                    "unix" => fmt = Format::Unix,
                    "none" => none = true,
                    p => digits = precision(p)?,
                }
            }
            s.absolute = (!none).then_some((fmt, digits));
        }
        if relative || relative_precision.is_some() {
            s.relative = Some(relative_precision.map(precision).transpose()?.unwrap_or(6));
        }
        if let Some(p) = duration_precision {
            s.duration_digits = precision(p)?;
        }
        Ok(s)
    }

    /// Whether lines need the wall clock.
    pub fn needs_wall_clock(&self) -> bool {
        self.absolute.is_some()
    }
}

/// `secs[.fraction]` of `ns` nanoseconds with `digits` fraction digits (truncated, as strace does).
pub fn seconds_into(out: &mut String, ns: u64, digits: u32) {
    let _ = write!(out, "{}", ns / 1_000_000_000);
    fraction_into(out, ns, digits);
}

fn fraction_into(out: &mut String, ns: u64, digits: u32) {
    if digits > 0 {
        let frac = ns % 1_000_000_000 / 10u64.pow(9 - digits);
        let _ = write!(out, ".{frac:0w$}", w = digits as usize);
    }
}

/// An absolute timestamp and the space after it.
pub fn absolute_into(out: &mut String, wall_ns: u64, format: Format, digits: u32) {
    match format {
        Format::Unix => seconds_into(out, wall_ns, digits),
        Format::Time => {
            let secs = (wall_ns / 1_000_000_000) as libc::time_t;
            // SAFETY: an all-zero `tm` is a valid value to be overwritten.
            let mut tm: libc::tm = unsafe { std::mem::zeroed() };
            // SAFETY: `secs` and `tm` are valid pointers for the call; localtime_r is thread-safe.
            unsafe { libc::localtime_r(&secs, &mut tm) };
            let _ = write!(out, "{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
            fraction_into(out, wall_ns, digits);
        }
    }
    out.push(' ');
}

/// A relative timestamp (`     0.000123 `): seconds right-aligned in six columns.
pub fn relative_into(out: &mut String, ns: u64, digits: u32) {
    let _ = write!(out, "{:>6}", ns / 1_000_000_000);
    fraction_into(out, ns, digits);
    out.push(' ');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_combine_as_in_strace() {
        let s = Stamps::parse(
            0,
            &["format:unix".into(), "precision:ms".into()],
            false,
            None,
            None,
        )
        .unwrap();
        assert_eq!(s.absolute, Some((Format::Unix, 3)));
        let s = Stamps::parse(2, &[], true, None, Some("ns")).unwrap();
        assert_eq!(
            (s.absolute, s.relative, s.duration_digits),
            (Some((Format::Time, 6)), Some(6), 9)
        );
        assert!(Stamps::parse(0, &["time,xs".into()], false, None, None).is_err());
        let mut o = String::new();
        relative_into(&mut o, 1_500_000_000, 3);
        assert_eq!(o, "     1.500 ");
    }
}
