//! `sched_getattr`/`sched_setattr`'s `struct sched_attr`.
//!
//! Design: the structure is size-versioned: its first field says how large the caller's (set) or
//! the kernel's (get) copy is, 48 bytes for the first version and 56 with the utilisation clamps.
//! strace shows the fields that size covers (`...` when it is larger than it knows), leaves out the
//! policy or the parameters a `sched_setattr` keeps (`SCHED_FLAG_KEEP_*`), and after a
//! `sched_setattr` that failed with `E2BIG` shows the size the kernel wrote back
//! (` => {size=56}`).

use super::consts::SCHED;
use super::custom::{self, Ctx, CustomArg, Fetches, Phase};
use super::xlat::{self, Xlat};
use super::FetchKind;
use std::fmt::Write;

const FLAGS: Xlat = Xlat::wide(
    &[
        (0x01, "SCHED_FLAG_RESET_ON_FORK"),
        (0x02, "SCHED_FLAG_RECLAIM"),
        (0x04, "SCHED_FLAG_DL_OVERRUN"),
        (0x08, "SCHED_FLAG_KEEP_POLICY"),
        (0x10, "SCHED_FLAG_KEEP_PARAMS"),
        (0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"),
        (0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
    ],
    "SCHED_FLAG_???",
);

const KEEP_POLICY: u64 = 0x08;
const KEEP_PARAMS: u64 = 0x10;
const SIZE_VER0: usize = 48;
const SIZE_VER1: usize = 56;
const E2BIG: i64 = 7;

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(b[off..off + 4].try_into().unwrap_or_default())
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_ne_bytes(b[off..off + 8].try_into().unwrap_or_default())
}

/// Prints the structure: `read` holds its first `size` bytes; `declared` is the size the caller
/// (set) or kernel (get) claims, `is_set` for `sched_setattr`.
fn attr_into(out: &mut String, read: &[u8], size: usize, declared: u64, is_set: bool) {
    let mut b = [0u8; SIZE_VER1];
    let n = read.len().min(SIZE_VER1);
    b[..n].copy_from_slice(&read[..n]);
    let _ = write!(out, "{{size={}", u32_at(&b, 0));
    if size >= SIZE_VER0 {
        let (policy, flags) = (u32_at(&b, 4), u64_at(&b, 8));
        if !is_set || (policy as i32) < 0 || flags & (KEEP_POLICY | KEEP_PARAMS) == 0 {
            out.push_str(", sched_policy=");
            xlat::value(out, policy as u64, &SCHED);
        }
        out.push_str(", sched_flags=");
        xlat::flags(out, flags, &FLAGS);
        if !is_set || flags & KEEP_PARAMS == 0 {
            let _ = write!(
                out,
                ", sched_nice={}, sched_priority={}, sched_runtime={}, sched_deadline={}, sched_period={}",
                u32_at(&b, 16) as i32,
                u32_at(&b, 20),
                u64_at(&b, 24),
                u64_at(&b, 32),
                u64_at(&b, 40)
            );
        }
        if size >= SIZE_VER1 {
            let _ = write!(
                out,
                ", sched_util_min={}, sched_util_max={}",
                u32_at(&b, 48),
                u32_at(&b, 52)
            );
        }
    }
    if declared > size as u64 {
        out.push_str(", ...");
    }
    out.push('}');
}

/// `sched_getattr`'s structure; the caller's size is the next argument.
pub const ATTR_GET: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| {
        let usize_ = c.args[c.i + 1] as u32 as usize;
        if !c.failed() && c.v() != 0 && usize_ != 0 {
            out.push(c.req(
                c.v(),
                FetchKind::Bytes {
                    len: usize_.min(SIZE_VER1),
                },
            ));
        }
    },
    render: |c, m, out| {
        let usize_ = c.args[c.i + 1] as u32 as usize;
        match m.bytes(c.i) {
            Some(b) if !c.failed() && usize_ != 0 => {
                let written = u32_at(&[b, &[0; 4][..]].concat(), 0);
                attr_into(out, b, written as usize, written as u64, false)
            }
            _ => custom::ptr(out, c.v()),
        }
    },
};

fn render_set(c: &Ctx, m: &Fetches, out: &mut String) {
    if let Some(ret) = c.ret {
        // After the call: the size the kernel wants, when it refused a larger structure.
        if ret == -E2BIG {
            if let Some(b) = m.bytes(c.i).filter(|b| b.len() >= 4) {
                let _ = write!(out, " => {{size={}}}", u32_at(b, 0));
            }
        }
        return;
    }
    let b = match m.bytes(c.i) {
        Some(b) if b.len() >= 4 => b,
        _ => return custom::ptr(out, c.v()),
    };
    let declared = match u32_at(b, 0) as usize {
        0 => SIZE_VER0,
        n => n,
    };
    let size = declared.min(SIZE_VER1);
    if size >= SIZE_VER0 && b.len() < size {
        return custom::ptr(out, c.v());
    }
    attr_into(out, &b[..size.min(b.len())], size, declared as u64, true);
}

/// `sched_setattr`'s structure (its size is its first field).
pub const ATTR_SET: CustomArg = CustomArg {
    phase: Phase::InOut,
    plan: |c, out| match c.ret {
        None if c.v() != 0 => out.push(c.req(c.v(), FetchKind::Upto { len: SIZE_VER1 })),
        Some(r) if r == -E2BIG && c.v() != 0 => out.push(c.req(c.v(), FetchKind::Bytes { len: 4 })),
        _ => {}
    },
    render: render_set,
};
