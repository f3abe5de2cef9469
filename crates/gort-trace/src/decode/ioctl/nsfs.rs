//! Namespace file ioctls (`linux/nsfs.h`, type 0xb7). Two of them return a new descriptor and one a
//! namespace type, which shape the return value rather than the argument ([`ret_kind`]).

use super::cx::{u32_at, Cx, Rval};
use super::tables::SETNS_TYPES;
use std::fmt::Write;

/// Decodes a namespace request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        // NS_GET_USERNS, NS_GET_PARENT, NS_GET_NSTYPE
        0xb701 | 0xb702 => Rval::Done,
        0xb703 if cx.entering() => Rval::Exit,
        0xb703 => Rval::Done,
        // NS_GET_OWNER_UID
        0xb704 if cx.entering() => Rval::Exit,
        0xb704 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, cx.arg, 4) {
                match u32_at(&b, 0) {
                    u32::MAX => out.push_str("[-1]"),
                    uid => {
                        let _ = write!(out, "[{uid}]");
                    }
                }
            }
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// How a successful call's return value is shown, when not as a plain number.
pub fn ret_kind(code: u32) -> Option<super::RetKind> {
    match code {
        0xb701 | 0xb702 => Some(super::RetKind::Fd),
        0xb703 => Some(super::RetKind::Named(SETNS_TYPES)),
        _ => None,
    }
}
