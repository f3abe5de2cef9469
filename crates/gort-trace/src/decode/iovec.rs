//! Arrays of `struct iovec`: `readv`/`writev` and their `p*` and `p*2` forms, `process_vm_readv`/
//! `process_vm_writev`, `process_madvise`.
//!
//! Design: `[{iov_base="data", iov_len=4}, ...]`, walked like any array (see array.rs: `-s`
//! elements at most, the address when the first is unreadable). Each buffer is shown as a string of
//! at most `-s` bytes, and only as many bytes as the call moved in all: a read that returned 7 bytes
//! into buffers of 8 and 15 shows `"89abcde"` and `""`. A failed read, and the other process's
//! vectors, show buffers as addresses. The tracer reads the array and the buffers in one go
//! (`FetchKind::Iovec`).

use super::custom::{self, Ctx, CustomArg, Fetches, Phase};
use super::strings::quote_buffer;
use super::xlat::Xlat;
use super::{FetchKind, Fetched, Opts};
use std::fmt::Write;

/// Most elements read under `-v`.
const VERBOSE_MAX: u64 = 1 << 12;

fn shown_limit(nmemb: u64, opts: &Opts) -> u64 {
    if !opts.verbose && (opts.strsize as u64) < nmemb {
        opts.strsize as u64
    } else {
        nmemb.min(VERBOSE_MAX)
    }
}

fn overflows(addr: u64, nmemb: u64) -> bool {
    nmemb
        .checked_mul(16)
        .and_then(|total| addr.checked_add(total))
        .is_none()
}

/// How the buffers are shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    /// As strings, as many bytes as `data_size` covers.
    Data(u64),
    /// As addresses.
    Addresses,
}

fn plan(c: &Ctx, show: Show, out: &mut Vec<super::FetchReq>) {
    let nmemb = c.args[c.i + 1];
    if c.v() == 0 || nmemb == 0 || overflows(c.v(), nmemb) {
        return;
    }
    let count = (shown_limit(nmemb, c.opts) + 1).min(nmemb) as usize;
    let (data_size, max) = match show {
        Show::Data(size) => (size, c.opts.strsize),
        Show::Addresses => (0, 0),
    };
    out.push(c.req(
        c.v(),
        FetchKind::Iovec {
            count,
            data_size,
            max,
        },
    ));
}

fn render(c: &Ctx, m: &Fetches, show: Show, out: &mut String) {
    let (addr, nmemb) = (c.v(), c.args[c.i + 1]);
    if addr == 0 {
        return out.push_str("NULL");
    }
    if nmemb == 0 {
        return out.push_str("[]");
    }
    let elems = match m.now.get(c.i) {
        Some(Fetched::Iovec(e)) if !e.is_empty() && !overflows(addr, nmemb) => e,
        _ => return custom::ptr(out, addr),
    };
    let limit = shown_limit(nmemb, c.opts);
    out.push('[');
    for k in 0..nmemb {
        if k > 0 {
            out.push_str(", ");
        }
        let Some(e) = elems.get(k as usize) else {
            let _ = write!(out, "... /* {:#x} */", addr + 16 * k);
            break;
        };
        if k >= limit {
            out.push_str("...");
            break;
        }
        out.push_str("{iov_base=");
        match (&e.data, show) {
            (Some(data), Show::Data(_)) if e.base != 0 => {
                quote_buffer(out, data, e.used, c.opts.strsize, false, c.opts.xflag)
            }
            _ => custom::ptr(out, e.base),
        }
        let _ = write!(out, ", iov_len={}}}", e.len);
    }
    out.push(']');
}

/// Vectors the kernel reads (`writev`): every buffer whole, as strings. The count is the next
/// argument.
pub const IOV_IN: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| plan(c, Show::Data(u64::MAX), out),
    render: |c, m, out| render(c, m, Show::Data(u64::MAX), out),
};

/// Vectors the kernel fills (`readv`): as many bytes as it returned, as strings; addresses after a
/// failure.
pub const IOV_OUT: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| plan(c, filled(c), out),
    render: |c, m, out| render(c, m, filled(c), out),
};

fn filled(c: &Ctx) -> Show {
    match c.ret {
        Some(r) if r >= 0 => Show::Data(r as u64),
        _ => Show::Addresses,
    }
}

/// Vectors shown by address only (another process's memory, `process_madvise`'s ranges).
pub const IOV_ADDRS: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| plan(c, Show::Addresses, out),
    render: |c, m, out| render(c, m, Show::Addresses, out),
};

/// `preadv2`/`pwritev2` flags.
pub const RWF: Xlat = Xlat::hex(
    &[
        (0x01, "RWF_HIPRI"),
        (0x02, "RWF_DSYNC"),
        (0x04, "RWF_SYNC"),
        (0x08, "RWF_NOWAIT"),
        (0x10, "RWF_APPEND"),
    ],
    "RWF_???",
);
