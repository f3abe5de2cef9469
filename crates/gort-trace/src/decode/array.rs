//! Arrays of fixed-size elements in tracee memory, printed as strace's `print_array` prints them.
//!
//! Design: `[a, b, c]`; `NULL` for a null pointer; `[]` for no elements; the address when the first
//! element cannot be read; `..., ... /* 0xADDR */` when a later one cannot; and, unless `-v`, `...`
//! after `-s` elements. [`plan`] reads as many elements as can be shown plus one (strace reads the
//! element after the last it shows, so an unreadable one there still prints its address), and
//! [`render`] replays strace's walk over what was read.

use super::custom::{Ctx, Fetches};
use super::{FetchKind, FetchReq, Fetched, Opts};
use std::fmt::Write;

/// Most elements read under `-v`, where strace prints them all.
const VERBOSE_MAX: u64 = 1 << 16;

/// How many elements are shown before `...`, given the options.
fn shown_limit(nmemb: u64, opts: &Opts) -> u64 {
    if !opts.verbose && (opts.strsize as u64) < nmemb {
        opts.strsize as u64
    } else {
        nmemb.min(VERBOSE_MAX)
    }
}

/// Whether an array of `nmemb` elements of `size` bytes at `addr` wraps around the address space.
fn overflows(addr: u64, nmemb: u64, size: usize) -> bool {
    match nmemb.checked_mul(size as u64) {
        Some(total) => addr.checked_add(total).is_none(),
        None => true,
    }
}

/// A reader of tracee memory that decoders walk arrays over live (the socket decoders' `Tracee`,
/// the ioctl decoders' `Cx`), for [`walk_into`].
pub trait LiveMemory {
    /// Exactly `len` bytes at `addr`, or `None` when any of them cannot be read.
    fn read_exact(&mut self, addr: u64, len: usize) -> Option<Vec<u8>>;
    /// The options that cut arrays (`-s`, `-v`).
    fn opts(&self) -> &Opts;
}

/// strace's `print_array` over live memory: `nmemb` elements of `size` bytes at `addr`, each
/// printed by `elem` (which returns false to stop), laid out as the module comment says. With
/// `truncated` (strace's `PAF_ARRAY_TRUNCATED`) the array is itself the head of a longer one:
/// `, ...` follows its last element unless `-s` already cut it.
pub fn walk_into<M: LiveMemory>(
    m: &mut M,
    out: &mut String,
    addr: u64,
    nmemb: u64,
    size: usize,
    truncated: bool,
    mut elem: impl FnMut(&mut M, &mut String, &[u8]) -> bool,
) {
    if print_unread(out, addr, nmemb, size) {
        return;
    }
    let end = addr + nmemb * size as u64;
    let shown_end = if !m.opts().verbose && (m.opts().strsize as u64) < nmemb {
        addr + size as u64 * m.opts().strsize as u64
    } else {
        end
    };
    let mut cur = addr;
    while cur < end {
        if cur != addr {
            out.push_str(", ");
        }
        let Some(b) = m.read_exact(cur, size) else {
            if cur == addr {
                let _ = write!(out, "{cur:#x}");
            } else {
                let _ = write!(out, "... /* {cur:#x} */");
                out.push(']');
            }
            return;
        };
        if cur == addr {
            out.push('[');
        }
        if cur >= shown_end {
            out.push_str("...");
            break;
        }
        if !elem(m, out, &b) {
            break;
        }
        cur += size as u64;
    }
    if truncated && cur >= end {
        out.push_str(", ...");
    }
    out.push(']');
}

/// An array that is not read: a null pointer, no elements, or an extent past the end of the
/// address space.
fn unread(addr: u64, nmemb: u64, size: usize) -> bool {
    addr == 0 || nmemb == 0 || overflows(addr, nmemb, size)
}

/// Prints an array that is not read ([`unread`]) as strace does: `NULL`, `[]`, or its address.
/// True if it was one.
fn print_unread(out: &mut String, addr: u64, nmemb: u64, size: usize) -> bool {
    if addr == 0 {
        out.push_str("NULL");
    } else if nmemb == 0 {
        out.push_str("[]");
    } else if overflows(addr, nmemb, size) {
        let _ = write!(out, "{addr:#x}");
    } else {
        return false;
    }
    true
}

/// Adds the read of an array of `nmemb` elements of `size` bytes at `addr`, stored in `slot`.
pub fn plan(addr: u64, nmemb: u64, size: usize, slot: u8, opts: &Opts, out: &mut Vec<FetchReq>) {
    if unread(addr, nmemb, size) {
        return;
    }
    let count = (shown_limit(nmemb, opts) + 1).min(nmemb);
    out.push(FetchReq {
        slot,
        addr,
        kind: FetchKind::Upto {
            len: count as usize * size,
        },
    });
}

/// [`plan`] for the custom argument `c` itself; nothing is read after a failed call (strace shows
/// the address then).
pub fn plan_arg(c: &Ctx, nmemb: u64, size: usize, out: &mut Vec<FetchReq>) {
    if !c.failed() {
        plan(c.v(), nmemb, size, c.i as u8, c.opts, out);
    }
}

/// [`render`] for the custom argument `c` itself, with what [`plan_arg`] read.
pub fn render_arg(
    c: &Ctx,
    m: &Fetches,
    nmemb: u64,
    size: usize,
    out: &mut String,
    elem: impl FnMut(&mut String, &[u8]),
) {
    let fetched = if c.failed() { None } else { m.now.get(c.i) };
    render(out, c.v(), nmemb, size, fetched, c.opts, elem);
}

/// Prints the array [`plan`] read (`fetched`), each element with `elem`.
pub fn render(
    out: &mut String,
    addr: u64,
    nmemb: u64,
    size: usize,
    fetched: Option<&Fetched>,
    opts: &Opts,
    mut elem: impl FnMut(&mut String, &[u8]),
) {
    if print_unread(out, addr, nmemb, size) {
        return;
    }
    let bytes: &[u8] = match fetched {
        Some(Fetched::Bytes(b)) => b,
        _ => &[],
    };
    let readable = (bytes.len() / size) as u64;
    if readable == 0 {
        let _ = write!(out, "{addr:#x}");
        return;
    }
    let limit = shown_limit(nmemb, opts);
    out.push('[');
    for k in 0..nmemb {
        if k > 0 {
            out.push_str(", ");
        }
        if k >= readable {
            let _ = write!(out, "... /* {:#x} */", addr + k * size as u64);
            break;
        }
        if k >= limit {
            out.push_str("...");
            break;
        }
        let at = k as usize * size;
        elem(out, &bytes[at..at + size]);
    }
    out.push(']');
}

/// A native-endian `u64` element.
pub fn u64_of(b: &[u8]) -> u64 {
    u64::from_ne_bytes(b[..8].try_into().unwrap_or_default())
}

/// A native-endian `i32` element.
pub fn i32_of(b: &[u8]) -> i32 {
    i32::from_ne_bytes(b[..4].try_into().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(nmemb: u64, bytes: &[u8], strsize: usize) -> String {
        let opts = Opts {
            strsize,
            ..Opts::default()
        };
        let mut s = String::new();
        let f = Fetched::Bytes(bytes.to_vec());
        render(&mut s, 0x1000, nmemb, 4, Some(&f), &opts, |o, b| {
            let _ = write!(o, "{}", i32_of(b));
        });
        s
    }

    #[test]
    fn arrays_are_cut_at_the_string_limit_and_at_unreadable_memory() {
        let b: Vec<u8> = [1i32, 2, 3].iter().flat_map(|v| v.to_ne_bytes()).collect();
        assert_eq!(text(3, &b, 32), "[1, 2, 3]");
        assert_eq!(text(3, &b, 2), "[1, 2, ...]");
        assert_eq!(text(5, &b, 32), "[1, 2, 3, ... /* 0x100c */]");
        assert_eq!(text(5, &[], 32), "0x1000");
        assert_eq!(text(0, &[], 32), "[]");
    }
}
