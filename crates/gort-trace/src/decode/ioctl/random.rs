//! `/dev/random` ioctls (`linux/random.h`, type `R`).

use super::cx::{i32_at, Cx, Rval};
use std::fmt::Write;

/// Decodes a random device request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        // RNDGETENTCNT
        0x80045200 if cx.entering() => Rval::Exit,
        // ... and RNDADDTOENTCNT
        0x80045200 | 0x40045201 => {
            out.push_str(", ");
            cx.int_into(out, cx.arg);
            Rval::Done
        }
        // RNDADDENTROPY: struct rand_pool_info and its buffer.
        0x40085203 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, cx.arg, 8) {
                let size = i32_at(&b, 4);
                let _ = write!(
                    out,
                    "{{entropy_count={}, buf_size={size}, buf=",
                    i32_at(&b, 0)
                );
                cx.str_into(out, cx.arg + 8, size as u32 as usize);
                out.push('}');
            }
            Rval::Done
        }
        // RNDZAPENTCNT, RNDCLEARPOOL, RNDRESEEDCRNG take no argument.
        0x5204 | 0x5206 | 0x5207 => Rval::Done,
        _ => Rval::Plain,
    }
}
