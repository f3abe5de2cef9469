//! perf event ioctls (`linux/perf_event.h`, type `$`): group flags, counts, descriptors, a filter
//! string, the event id the kernel writes, and the BPF program query whose count the kernel fills.
//!
//! `PERF_EVENT_IOC_MODIFY_ATTRIBUTES` takes a `struct perf_event_attr`, printed by
//! `perf_event_open`'s printer (decode/perf.rs), read the same way.

use super::cx::{addr_into, u32_at, Cx, Rval};
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

/// Flags of `PERF_EVENT_IOC_ENABLE`, `_DISABLE` and `_RESET`.
const IOC_FLAGS: Xlat = Xlat::hex(&[(1, "PERF_IOC_FLAG_GROUP")], "PERF_IOC_FLAG_???");

/// Offset of `prog_cnt` in `struct perf_event_query_bpf`.
const QUERY_PROG_CNT: u64 = 4;
/// Offset of `ids` in `struct perf_event_query_bpf`.
const QUERY_IDS: u64 = 8;

/// Decodes a perf event request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // PERF_EVENT_IOC_ENABLE, _DISABLE, _RESET
        0x2400 | 0x2401 | 0x2403 => {
            out.push_str(", ");
            xlat::flags(out, arg, &IOC_FLAGS);
        }
        // PERF_EVENT_IOC_REFRESH: an int.
        0x2402 => {
            let _ = write!(out, ", {}", arg as i32);
        }
        // PERF_EVENT_IOC_PERIOD: the new period, read by the kernel.
        0x40082404 => {
            out.push_str(", ");
            cx.ulong_into(out, arg);
        }
        // PERF_EVENT_IOC_SET_OUTPUT, PERF_EVENT_IOC_SET_BPF: descriptors.
        0x2405 | 0x40042408 => {
            out.push_str(", ");
            cx.fd_into(out, arg as i32);
        }
        // PERF_EVENT_IOC_SET_FILTER: a string of at most a page.
        0x40082406 => {
            out.push_str(", ");
            cx.cstr_n_into(out, arg, 4096);
        }
        // PERF_EVENT_IOC_ID: the kernel writes the event's id.
        0x80082407 if cx.entering() => return Rval::Exit,
        0x80082407 => {
            out.push_str(", ");
            cx.ulong_into(out, arg);
        }
        // PERF_EVENT_IOC_PAUSE_OUTPUT
        0x40042409 => {
            let _ = write!(out, ", {arg}");
        }
        // PERF_EVENT_IOC_MODIFY_ATTRIBUTES: a struct the kernel only reads.
        0x4008240b => {
            out.push_str(", ");
            let verbose = cx.opts.verbose;
            if !crate::decode::perf::attr_at_into(out, arg, verbose, |a, n| cx.read(a, n)) {
                addr_into(out, arg);
            }
        }
        // PERF_EVENT_IOC_QUERY_BPF
        0xc008240a => return query_bpf(cx, out),
        _ => return Rval::Plain,
    }
    Rval::Done
}

/// `struct perf_event_query_bpf`: `ids_len` at entry; at exit the count the kernel wrote and that
/// many ids, or `...` when the call failed.
fn query_bpf(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.fetch(out, arg, 4) else {
            return Rval::Done;
        };
        let _ = write!(out, "{{ids_len={}, ", u32_at(&b, 0));
        return Rval::Exit;
    }
    let count = if cx.failed() {
        None
    } else {
        cx.read(arg + QUERY_PROG_CNT, 4).map(|b| u32_at(&b, 0))
    };
    let Some(count) = count else {
        out.push_str("...}");
        return Rval::Done;
    };
    let _ = write!(out, "prog_cnt={count}, ids=");
    cx.array_into(out, arg + QUERY_IDS, count as u64, 4, |_, out, b| {
        let _ = write!(out, "{}", u32_at(b, 0));
        true
    });
    out.push('}');
    Rval::Done
}
