//! `getdents`/`getdents64` under `-v`: every directory entry
//! (`[{d_ino=..., d_off=..., d_reclen=24, d_type=DT_DIR, d_name="."}, ...]`).
//!
//! Design: without `-v` strace shows the buffer's address and how many entries it holds; with it,
//! each record. The two layouts differ: `linux_dirent` (getdents) keeps the type in the record's
//! last byte and prints it after the name, `linux_dirent64` keeps it before the name. The whole
//! returned buffer is read once at exit.

use super::custom::{self, Ctx, CustomArg, Fetches, Phase};
use super::strings::{quote_buffer, quote_cstr};
use super::xlat::{self, Xlat};
use super::FetchKind;
use std::fmt::Write;

const DT: Xlat = Xlat::hex(
    &[
        (0, "DT_UNKNOWN"),
        (1, "DT_FIFO"),
        (2, "DT_CHR"),
        (4, "DT_DIR"),
        (6, "DT_BLK"),
        (8, "DT_REG"),
        (10, "DT_LNK"),
        (12, "DT_SOCK"),
        (14, "DT_WHT"),
    ],
    "DT_???",
);

/// Longest name strace prints.
const NAME_MAX: usize = 256;

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_ne_bytes(b[off..off + 8].try_into().unwrap_or_default())
}

/// A name of at most `n` bytes, cut where its NUL is.
fn name_into(out: &mut String, b: &[u8], n: usize, xflag: u8) {
    let field = &b[..(n + 1).min(b.len())];
    match field.iter().position(|&c| c == 0) {
        Some(z) => quote_cstr(out, &field[..z], true, None, xflag),
        None => quote_cstr(out, &field[..n.min(field.len())], false, None, xflag),
    }
}

/// The records of `b` (what the call returned), `old` for `linux_dirent`.
fn entries_into(c: &Ctx, out: &mut String, b: &[u8], old: bool) {
    let header = if old { 18 } else { 19 };
    let mut at = 0usize;
    let mut count = 0;
    loop {
        let len = b.len() - at;
        if len < header {
            if len == 0 {
                out.push('[');
                count += 1;
            } else {
                quote_buffer(
                    out,
                    &b[at..],
                    len as u64,
                    c.opts.strsize,
                    true,
                    c.opts.xflag,
                );
            }
            break;
        }
        if count == 0 {
            out.push('[');
        }
        count += 1;
        let rec = &b[at..];
        let reclen = u16::from_ne_bytes([rec[16], rec[17]]) as usize;
        let _ = write!(
            out,
            "{{d_ino={}, d_off={}, d_reclen={reclen}",
            u64_at(rec, 0),
            u64_at(rec, 8)
        );
        let reclen = reclen.clamp(header, len);
        let tail = &rec[header..reclen];
        if old {
            if let Some(name_len) = tail.len().checked_sub(1).filter(|&n| n > 0) {
                out.push_str(", d_name=");
                name_into(out, tail, name_len.min(NAME_MAX) - 1, c.opts.xflag);
            }
            if !tail.is_empty() {
                out.push_str(", d_type=");
                xlat::value(out, tail[tail.len() - 1] as u64, &DT);
            }
        } else {
            out.push_str(", d_type=");
            xlat::value(out, rec[18] as u64, &DT);
            if !tail.is_empty() {
                out.push_str(", d_name=");
                name_into(out, tail, tail.len().min(NAME_MAX) - 1, c.opts.xflag);
            }
        }
        out.push('}');
        at += reclen;
        if at >= b.len() {
            break;
        }
        out.push_str(", ");
    }
    if count > 0 {
        out.push(']');
    }
}

fn plan(c: &Ctx, out: &mut Vec<super::FetchReq>) {
    if let Some(r) = c
        .ret
        .filter(|&r| r >= 0 && r as u64 <= c.args[2] as u32 as u64)
    {
        if c.v() != 0 {
            out.push(c.req(c.v(), FetchKind::Bytes { len: r as usize }));
        }
    }
}

fn render(c: &Ctx, m: &Fetches, out: &mut String, old: bool) {
    let count = c.args[2] as u32 as u64;
    match (c.ret, m.bytes(c.i)) {
        (Some(r), Some(b)) if r >= 0 && r as u64 <= count => {
            if c.opts.verbose {
                entries_into(c, out, b, old)
            } else {
                let n = super::structs::count_dirents(b);
                let _ = write!(out, "{:#x} /* {n} entries */", c.v());
            }
        }
        _ => custom::ptr(out, c.v()),
    }
}

/// `getdents`' buffer.
pub const DIRENTS: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan,
    render: |c, m, out| render(c, m, out, true),
};

/// `getdents64`'s buffer.
pub const DIRENTS64: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan,
    render: |c, m, out| render(c, m, out, false),
};
