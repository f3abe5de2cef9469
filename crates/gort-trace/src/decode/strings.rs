//! Quoting of tracee bytes the way strace prints them.
//!
//! Design: a tracee string is shown between double quotes; printable ASCII appears as itself, `"` and `\`
//! are backslash-escaped, the five C whitespace escapes (`\t \n \v \f \r`) are used, and every other byte is
//! written in octal. The octal form is the shortest one (`\0`, `\33`, `\310`) unless the next byte is an
//! octal digit, in which case three digits are written so the escape cannot swallow it (`\0007`).
//! Elision follows `-s N`: at most `N` bytes are shown, and a string cut short is followed by `...`.

use std::fmt::Write;

/// `--strings-in-hex=non-ascii-chars`'s `xflag`: strings stay text, with `\xNN` instead of octal for
/// the bytes that need escaping.
pub const HEX_CHARS: u8 = 3;

/// Appends `bytes` quoted (with the surrounding double quotes) to `out`.
///
/// When `hex` is true every byte is written as `\xNN` (strace does this for random or binary data such as
/// `getrandom` buffers).
pub fn quote_into(out: &mut String, bytes: &[u8], hex: bool) {
    quote_styled(out, bytes, hex, false);
}

/// [`quote_into`] for an `xflag`: with [`HEX_CHARS`], escaped bytes are written `\xNN`.
fn quote_xflag(out: &mut String, bytes: &[u8], xflag: u8) {
    quote_styled(out, bytes, wants_hex(bytes, xflag), xflag == HEX_CHARS);
}

fn quote_styled(out: &mut String, bytes: &[u8], hex: bool, hex_escapes: bool) {
    out.push('"');
    for (i, &c) in bytes.iter().enumerate() {
        if hex {
            let _ = write!(out, "\\x{c:02x}");
            continue;
        }
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(c as char),
            _ if hex_escapes => {
                let _ = write!(out, "\\x{c:02x}");
            }
            _ => {
                out.push('\\');
                let next_is_octal = matches!(bytes.get(i + 1), Some(b'0'..=b'7'));
                if next_is_octal || c >= 0o100 {
                    out.push((b'0' + (c >> 6)) as char);
                }
                if next_is_octal || c >= 0o10 {
                    out.push((b'0' + ((c >> 3) & 7)) as char);
                }
                out.push((b'0' + (c & 7)) as char);
            }
        }
    }
    out.push('"');
}

/// Appends `bytes` escaped as in a quoted string but without the quotes (paths after `-y`), with `<`
/// and `>` escaped too so the path's end stays unambiguous.
pub fn quote_bare(out: &mut String, bytes: &[u8]) {
    let mut s = String::new();
    quote_into(&mut s, bytes, false);
    let inner: Vec<char> = s[1..s.len() - 1].chars().collect();
    for (k, &c) in inner.iter().enumerate() {
        // Three digits when an octal digit follows, so the escape cannot swallow it.
        let octal_next = matches!(inner.get(k + 1), Some('0'..='7'));
        match (c, octal_next) {
            ('<', false) => out.push_str("\\74"),
            ('<', true) => out.push_str("\\074"),
            ('>', false) => out.push_str("\\76"),
            ('>', true) => out.push_str("\\076"),
            _ => out.push(c),
        }
    }
}

/// Whether `-x` (`xflag` 1) or `-xx` (2) prints `bytes` in `\xNN` form: `-xx` always, `-x` when any
/// byte is neither printable ASCII nor one of the C whitespace escapes.
pub fn wants_hex(bytes: &[u8], xflag: u8) -> bool {
    match xflag {
        0 | HEX_CHARS => false,
        1 => bytes
            .iter()
            .any(|&c| c > 0x7e || (c < b' ' && !(9..=13).contains(&c))),
        _ => true,
    }
}

/// Appends a buffer of `total` bytes of which `shown` (already cut to at most `max` bytes) were read.
///
/// Writes `"..."...` when `total` exceeds what is shown, as strace does for `read`/`write` buffers.
pub fn quote_buffer(out: &mut String, shown: &[u8], total: u64, max: usize, hex: bool, xflag: u8) {
    let n = shown.len().min(max);
    if hex {
        quote_into(out, &shown[..n], true);
    } else {
        quote_xflag(out, &shown[..n], xflag);
    }
    if total > n as u64 {
        out.push_str("...");
    }
}

/// Appends a NUL-terminated string. `complete` says whether the terminating NUL was found within the
/// bytes read; `max` is the `-s` limit (`None` for paths, which strace never cuts).
pub fn quote_cstr(out: &mut String, bytes: &[u8], complete: bool, max: Option<usize>, xflag: u8) {
    match max {
        Some(m) if bytes.len() > m => {
            quote_xflag(out, &bytes[..m], xflag);
            out.push_str("...");
        }
        _ => {
            quote_xflag(out, bytes, xflag);
            if !complete {
                out.push_str("...");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(b: &[u8]) -> String {
        let mut s = String::new();
        quote_into(&mut s, b, false);
        s
    }

    #[test]
    fn escapes_like_strace() {
        let b = [7u8, b'1', 200, b'"', b'\\', b'\t', 0, b'7', 0, b'8'];
        assert_eq!(q(&b), r#""\0071\310\"\\\t\0007\08""#);
        assert_eq!(
            q(b"\x7fELF\x02\x01\x01\x03\x00\x00"),
            r#""\177ELF\2\1\1\3\0\0""#
        );
        assert_eq!(q(b"hi\n"), r#""hi\n""#);
        assert_eq!(q(&[27]), r#""\33""#);
        assert_eq!(q(b""), r#""""#);
    }

    #[test]
    fn elision() {
        let mut s = String::new();
        quote_buffer(&mut s, b"hello world", 12, 5, false, 0);
        assert_eq!(s, r#""hello"..."#);
        let mut s = String::new();
        quote_buffer(&mut s, b"hi", 2, 5, false, 0);
        assert_eq!(s, r#""hi""#);
        let mut s = String::new();
        quote_cstr(&mut s, b"abcdefgh", true, Some(3), 0);
        assert_eq!(s, r#""abc"..."#);
        let mut s = String::new();
        quote_cstr(&mut s, b"abcdefgh", true, None, 0);
        assert_eq!(s, r#""abcdefgh""#);
    }

    #[test]
    fn non_ascii_chars_are_escaped_in_hex_and_the_rest_stays_text() {
        let mut s = String::new();
        quote_cstr(&mut s, b"\t\x0e hi~\x92", true, None, HEX_CHARS);
        assert_eq!(s, r#""\t\x0e hi~\x92""#);
    }

    #[test]
    fn hex() {
        let mut s = String::new();
        quote_into(&mut s, &[0xab, 1], true);
        assert_eq!(s, r#""\xab\x01""#);
    }
}
