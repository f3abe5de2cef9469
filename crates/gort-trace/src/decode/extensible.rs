//! Size-versioned ("extensible") structures: `struct open_how`, `struct mount_attr`, `struct
//! sched_attr`, `struct landlock_ruleset_attr`...
//!
//! Design: the caller passes such a structure with its size, so that newer programs can pass a larger
//! one. strace shows the fields it knows, then, when the caller passed more, the extra bytes: nothing
//! when they are all zero, `???` when they cannot be read, otherwise `/* bytes 24..31 */ "\x80..."`
//! (hex, cut at `-s`, and at most a page). [`plan`] reads the known part and the tail separately, so
//! an unreadable tail still shows the known fields.

use super::custom::{extra_slot, Ctx, Fetches};
use super::strings::quote_into;
use super::{FetchKind, FetchReq, Fetched};
use std::fmt::Write;

const PAGE: u64 = 4096;

/// Plans the reads of a structure of `known` bytes passed at `addr` with `size` bytes: the known part
/// (or all of `size` when it is smaller) under the argument's slot, and the tail under its first extra
/// slot.
pub fn plan(c: &Ctx, addr: u64, size: u64, known: usize, out: &mut Vec<FetchReq>) {
    if addr == 0 {
        return;
    }
    out.push(c.req(
        addr,
        FetchKind::Bytes {
            len: (size as usize).min(known),
        },
    ));
    let end = size.min(PAGE);
    if end > known as u64 {
        out.push(FetchReq {
            slot: extra_slot(c.i, 0),
            addr: addr + known as u64,
            kind: FetchKind::Bytes {
                len: (end - known as u64) as usize,
            },
        });
    }
}

/// Appends `, /* bytes K..N */ "..."` for a tail that is not all zero, or `, ???` for one that could
/// not be read; nothing when the caller passed no more than `known` bytes.
pub fn tail_into(c: &Ctx, m: &Fetches, size: u64, known: usize, out: &mut String) {
    let end = size.min(PAGE);
    if end <= known as u64 {
        return;
    }
    match m.now.get(extra_slot(c.i, 0) as usize) {
        Some(Fetched::Bytes(b)) => {
            if b.iter().all(|&x| x == 0) {
                return;
            }
            let _ = write!(out, ", /* bytes {known}..{} */ ", end - 1);
            let shown = b.len().min(c.opts.strsize);
            quote_into(out, &b[..shown], true);
            if shown < b.len() {
                out.push_str("...");
            }
        }
        _ => out.push_str(", ???"),
    }
}
