//! `NETLINK_NETFILTER` (nfnetlink) message bodies: a `struct nfgenmsg` and attributes.
//!
//! strace names the attributes of no nfnetlink subsystem, so they are printed by number with their
//! data in hex; batch messages carry no attributes.

use super::{attr, str_into, u16_at, Ctx, NlMsgHdr, HEX, NLMSG_MIN_TYPE};
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const NFNL_SUBSYS_NFTABLES: u16 = 10;
const NFNL_MSG_BATCH_BEGIN: u16 = 0x10;
const NFNL_MSG_BATCH_END: u16 = 0x11;
const NFGENMSG_SIZE: u32 = 4;

/// Prints an nfnetlink body; false for `NLMSG_DONE`, which has none.
pub fn body_into(ctx: &Ctx, out: &mut String, hdr: &NlMsgHdr, addr: u64, len: u32) -> bool {
    if hdr.kind == super::NLMSG_DONE {
        return false;
    }
    if len < NFGENMSG_SIZE {
        str_into(ctx, out, addr, len as u64, HEX);
        return true;
    }
    let Some(b) = ctx.read_or_addr(out, addr, NFGENMSG_SIZE as usize) else {
        return true;
    };
    out.push_str("{nfgen_family=");
    xlat::value(
        out,
        b[0] as u64,
        &Xlat::hex(super::names::ADDRFAMS, "AF_???"),
    );
    out.push_str(", version=");
    xlat::value(
        out,
        b[1] as u64,
        &Xlat::hex(super::names::NETFILTER_VERSIONS, "NFNETLINK_???"),
    );
    out.push_str(", res_id=");
    let raw = u16_at(b, 2);
    let res_id = u16::from_be(raw);
    // nftables once sent its subsystem id here in host order.
    if hdr.kind >> 8 == NFNL_SUBSYS_NFTABLES && res_id == NFNL_SUBSYS_NFTABLES {
        xlat::composed(out, raw as u64, "htons(NFNL_SUBSYS_NFTABLES)");
    } else if hdr.kind >> 8 == NFNL_SUBSYS_NFTABLES && raw == NFNL_SUBSYS_NFTABLES {
        xlat::composed(out, raw as u64, "NFNL_SUBSYS_NFTABLES");
    } else {
        let _ = write!(out, "htons({res_id})");
    }
    out.push('}');
    let offset = NFGENMSG_SIZE;
    if len > offset {
        out.push_str(", ");
        if (NFNL_MSG_BATCH_BEGIN..=NFNL_MSG_BATCH_END).contains(&hdr.kind)
            || hdr.kind < NLMSG_MIN_TYPE
        {
            str_into(ctx, out, addr + offset as u64, (len - offset) as u64, HEX);
        } else {
            attr::decode(ctx, out, addr + offset as u64, len - offset, &UNNAMED, None);
        }
    }
    true
}

/// Attribute types without names.
const UNNAMED: Xlat = Xlat::hex(&[], "");
