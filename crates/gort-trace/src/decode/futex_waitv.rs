//! `futex_waitv`'s array of `struct futex_waitv`.
//!
//! Design: `[{val=0x1, uaddr=0x..., flags=FUTEX_32|FUTEX_PRIVATE_FLAG}, ...]` through array.rs, at
//! most the kernel's 128 waiters (`...` after them); `__reserved` is shown only when set.

use super::array;
use super::consts::CLOCK;
use super::custom::{self, CustomArg, Phase};
use super::structs::CHex;
use super::xlat::{self, Xlat};
use std::fmt::Write;

const WAITER_FLAGS: Xlat = Xlat::hex(&[(2, "FUTEX_32"), (128, "FUTEX_PRIVATE_FLAG")], "FUTEX_???");

/// Clock ids, unknown ones in hex as `printxval` shows them.
pub const CLOCKS: Xlat = Xlat::hex(CLOCK.names, "CLOCK_???");

/// The most waiters the kernel takes (`FUTEX_WAITV_MAX`).
const WAITV_MAX: usize = 128;

/// The waiters, as many as the next argument.
pub const WAITERS: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| array::plan_arg(c, c.args[1] as u32 as u64, 24, out),
    render: |c, m, out| {
        // strace stops after the kernel's maximum with `...` (one more element is read for it).
        let nmemb = (c.args[1] as u32 as u64).min(WAITV_MAX as u64 + 1);
        let mut shown = 0;
        array::render_arg(c, m, nmemb, 24, out, |o, b| {
            if shown == WAITV_MAX {
                o.push_str("...");
                return;
            }
            shown += 1;
            let _ = write!(o, "{{val={}, uaddr=", CHex(array::u64_of(b)));
            custom::ptr(o, array::u64_of(&b[8..]));
            o.push_str(", flags=");
            let flags = u32::from_ne_bytes(b[16..20].try_into().unwrap_or_default());
            xlat::flags(o, flags as u64, &WAITER_FLAGS);
            let reserved = u32::from_ne_bytes(b[20..24].try_into().unwrap_or_default());
            if reserved != 0 {
                let _ = write!(o, ", __reserved={reserved:#x}");
            }
            o.push('}');
        })
    },
};
