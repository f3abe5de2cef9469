//! NUL-terminated strings the kernel reads up to a fixed length (`fsconfig` keys, `memfd_create`
//! names), printed as strace's `printstr_ex` prints them.
//!
//! Design: strace reads at most `-s` + 1 bytes, and never more than the kernel's limit; a string that
//! fills the whole limit shows no NUL and is printed as cut (`"..."...`) even when its NUL follows,
//! since strace did not read that far.

use super::custom::{self, Ctx, Fetches};
use super::strings::quote_cstr;
use super::{FetchKind, FetchReq, Fetched};

/// Plans the read of the string argument `c` whose kernel limit is `limit` bytes.
pub fn plan(c: &Ctx, limit: usize, out: &mut Vec<FetchReq>) {
    if c.v() != 0 {
        let len = (c.opts.strsize + 1).min(limit);
        out.push(c.req(c.v(), FetchKind::CStrUpto { len }));
    }
}

/// Prints the string [`plan`] read, or its address when it could not be read.
pub fn render(c: &Ctx, m: &Fetches, limit: usize, out: &mut String) {
    match m.now.get(c.i) {
        Some(Fetched::Str { bytes, complete }) => {
            let max = c.opts.strsize.min(limit);
            quote_cstr(out, bytes, *complete, Some(max), c.opts.xflag)
        }
        _ => custom::ptr(out, c.v()),
    }
}
