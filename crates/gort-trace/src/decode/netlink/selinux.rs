//! `NETLINK_SELINUX` message bodies.

use super::{str_into, u32_at, Ctx, NlMsgHdr, HEX};
use std::fmt::Write;

const SELNL_MSG_SETENFORCE: u16 = 0x10;
const SELNL_MSG_POLICYLOAD: u16 = 0x11;

/// Prints a SELinux notification; false for other message types.
pub fn body_into(ctx: &Ctx, out: &mut String, hdr: &NlMsgHdr, addr: u64, len: u32) -> bool {
    let field = match hdr.kind {
        SELNL_MSG_SETENFORCE => "val",
        SELNL_MSG_POLICYLOAD => "seqno",
        _ => return false,
    };
    if len < 4 {
        str_into(ctx, out, addr, len as u64, HEX);
    } else if let Some(b) = ctx.read_or_addr(out, addr, 4) {
        let v = u32_at(b, 0);
        if hdr.kind == SELNL_MSG_SETENFORCE {
            let _ = write!(out, "{{{field}={}}}", v as i32);
        } else {
            let _ = write!(out, "{{{field}={v}}}");
        }
    }
    true
}
