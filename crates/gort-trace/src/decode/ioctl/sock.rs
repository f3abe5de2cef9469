//! Socket ioctls (`linux/sockios.h`, type 0x89). Decoded so far: `SIOCGIFCONF`.
//!
//! Design: `struct ifconf` is both ways: the caller passes a buffer and its size, the kernel writes
//! back the size it used and fills the buffer with one `struct ifreq` per interface. The exit text
//! compares with the values at entry (`ifc_len=124 => 80`).

use super::cx::{addr_into, cstring_field, i32_at, u64_at, Cx, Rval};
use crate::decode::structs;
use std::fmt::Write;

/// `sizeof(struct ifreq)`.
const IFREQ: usize = 40;

/// Decodes a socket request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        // SIOCGIFCONF
        0x8912 => ifconf(cx, out),
        _ => Rval::Plain,
    }
}

/// `ifc_len` with the number of `struct ifreq` it holds.
fn ifc_len(out: &mut String, len: i32) {
    let _ = write!(out, "{len}");
    let n = len as u32 as usize / IFREQ;
    if len > 0 && n * IFREQ == len as usize {
        let _ = write!(out, " /* {n} * sizeof(struct ifreq) */");
    }
}

fn ifconf(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.read(arg, 16).filter(|_| arg != 0) else {
            addr_into(out, arg);
            return Rval::Done;
        };
        out.push_str("{ifc_len=");
        if u64_at(&b, 8) != 0 {
            ifc_len(out, i32_at(&b, 0));
        }
        return Rval::Exit;
    }
    // The values at entry: known when rendering, not while recording (see `Cx::entry_read`).
    let at_entry = cx.entry_read(arg, 16);
    let (entry_len, entry_buf) = at_entry
        .as_ref()
        .map_or((None, None), |e| (Some(i32_at(e, 0)), Some(u64_at(e, 8))));
    let Some(b) = cx.read(arg, 16) else {
        if entry_buf == Some(0) {
            ifc_len(out, entry_len.unwrap_or(0));
        }
        out.push_str(", ifc_buf=");
        addr_into(out, entry_buf.unwrap_or(0));
        out.push('}');
        return Rval::Done;
    };
    let (len, buf) = (i32_at(&b, 0), u64_at(&b, 8));
    let changed = entry_len != Some(len);
    if entry_buf != Some(0) && changed {
        out.push_str(" => ");
    }
    if entry_buf == Some(0) || changed {
        ifc_len(out, len);
    }
    if entry_buf == Some(0) || cx.failed() {
        out.push_str(", ifc_buf=");
        addr_into(out, entry_buf.unwrap_or(0));
        if entry_buf != Some(buf) {
            out.push_str(" => ");
            addr_into(out, buf);
        }
    } else {
        out.push_str(", ifc_buf=");
        let opts = *cx.opts;
        cx.array_into(
            out,
            buf,
            (len as u32 as usize / IFREQ) as u64,
            IFREQ,
            |_, out, r| {
                out.push_str("{ifr_name=");
                cstring_field(out, &r[0..16], &opts);
                out.push_str(", ifr_addr=");
                structs::sockaddr_into(out, &r[16..32]);
                out.push('}');
                true
            },
        );
    }
    out.push('}');
    Rval::Done
}
