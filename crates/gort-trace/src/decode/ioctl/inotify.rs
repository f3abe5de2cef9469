//! inotify ioctls (type `I`): `INOTIFY_IOC_SETNEXTWD` takes the next watch descriptor by value.

use super::cx::{Cx, Rval};
use std::fmt::Write;

/// Decodes an inotify request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        0x40044900 => {
            let _ = write!(out, ", {}", cx.arg as i32);
            Rval::Done
        }
        _ => Rval::Plain,
    }
}
