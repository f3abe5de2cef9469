//! Extended attributes: `*setxattr`/`*getxattr` values, `*listxattr` name lists.
//!
//! Design: a value is a byte string of the given size (the size the caller passed for `set`, the
//! size returned for `get`), shown as a string without its trailing NUL and cut at `-s`; a value
//! larger than the kernel's 64 KiB limit, or one not returned, is shown as its address. A list is
//! the returned bytes (its address when the caller asked only for the size).

use super::custom::{self, Ctx, CustomArg, Fetches, Phase};
use super::strings::quote_buffer;
use super::xlat::Xlat;
use super::FetchKind;

/// `setxattr` flags.
pub const FLAGS: Xlat = Xlat::hex(&[(1, "XATTR_CREATE"), (2, "XATTR_REPLACE")], "XATTR_???");

/// The largest value the kernel takes (`XATTR_SIZE_MAX`).
const SIZE_MAX: u64 = 65536;

fn plan_value(c: &Ctx, size: u64, out: &mut Vec<super::FetchReq>) {
    if c.v() != 0 && size <= SIZE_MAX {
        let len = size.min(c.opts.strsize as u64 + 1) as usize;
        out.push(c.req(c.v(), FetchKind::Bytes { len }));
    }
}

fn render_value(c: &Ctx, m: &Fetches, size: u64, out: &mut String) {
    if c.v() == 0 {
        return out.push_str("NULL");
    }
    match m.bytes(c.i) {
        Some(b) if size <= SIZE_MAX => {
            let mut shown = &b[..b.len().min(c.opts.strsize)];
            // The attribute's own terminating NUL is not shown.
            if shown.len() as u64 == size && shown.last() == Some(&0) {
                shown = &shown[..shown.len() - 1];
            }
            let total = if size > c.opts.strsize as u64 {
                size
            } else {
                shown.len() as u64
            };
            quote_buffer(out, shown, total, c.opts.strsize, false, c.opts.xflag);
        }
        _ => custom::ptr(out, c.v()),
    }
}

fn returned(c: &Ctx) -> u64 {
    c.ret.map_or(u64::MAX, |r| r as u64)
}

/// A value the caller passes; its size is the next argument.
pub const VALUE_IN: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| plan_value(c, c.args[c.i + 1], out),
    render: |c, m, out| render_value(c, m, c.args[c.i + 1], out),
};

/// A value the kernel returns (its size is the result).
pub const VALUE_OUT: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| plan_value(c, returned(c), out),
    render: |c, m, out| render_value(c, m, returned(c), out),
};

/// A list of names the kernel returns; the buffer's size is the next argument.
pub const LIST_OUT: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| {
        if c.v() != 0 && c.args[c.i + 1] != 0 && !c.failed() {
            let len = returned(c).min(c.opts.strsize as u64 + 1) as usize;
            out.push(c.req(c.v(), FetchKind::Bytes { len }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if c.args[c.i + 1] != 0 && !c.failed() => {
            quote_buffer(out, b, returned(c), c.opts.strsize, false, c.opts.xflag)
        }
        _ => custom::ptr(out, c.v()),
    },
};
