//! `RTM_NEWCACHEREPORT` bodies: a multicast routing cache report, whose attributes depend on the
//! family (`RTNL_FAMILY_IPMR` for IPv4, `RTNL_FAMILY_IP6MR` for IPv6).

use super::attr::{self, simple, Nla};
use super::{names, str_into, Ctx, HEX};
use crate::decode::xlat::{self, Xlat};

const RTNL_FAMILY_IPMR: u8 = 128;
const RTNL_FAMILY_IP6MR: u8 = 129;

static IPMRA_ATTRS: Xlat = Xlat::hex(names::RTNL_IPMRA_CREPORT_ATTR, "IPMRA_CREPORT_???");
static IP6MRA_ATTRS: Xlat = Xlat::hex(names::RTNL_IP6MRA_CREPORT_ATTR, "IP6MRA_CREPORT_???");
static IGMPMSG: Xlat = Xlat::hex(names::RTNL_IPMRA_MSG_TYPES, "IGMPMSG_???");
static MRT6MSG: Xlat = Xlat::hex(names::RTNL_IP6MRA_MSG_TYPES, "MRT6MSG_???");

/// Prints `{rtgen_family=RTNL_FAMILY_IPMR}` and the report's attributes.
pub fn body_into(ctx: &Ctx, out: &mut String, family: u8, addr: u64, len: u32) {
    out.push_str("{rtgen_family=");
    let name = Xlat::hex(names::RTNL_FAMILY, "")
        .name(family as u64)
        .or_else(|| Xlat::hex(names::ADDRFAMS, "").name(family as u64));
    match name {
        Some(n) => xlat::composed(out, family as u64, n),
        None => xlat::value(out, family as u64, &Xlat::hex(&[], "RTNL_FAMILY_???")),
    }
    out.push('}');
    const OFFSET: u32 = 4;
    if len <= OFFSET {
        return;
    }
    out.push_str(", ");
    let (addr, len) = (addr + OFFSET as u64, len - OFFSET);
    match family {
        RTNL_FAMILY_IPMR => attr::decode(ctx, out, addr, len, &IPMRA_ATTRS, Some(&ipmra)),
        RTNL_FAMILY_IP6MR => attr::decode(ctx, out, addr, len, &IP6MRA_ATTRS, Some(&ip6mra)),
        _ => str_into(ctx, out, addr, len as u64, HEX),
    }
}

fn ipmra(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    let shape = match kind {
        1 => Nla::Xval(&IGMPMSG, 1),
        2 | 6 => Nla::U32,
        3 | 4 => Nla::InAddr,
        _ => return false,
    };
    simple(ctx, out, shape, addr, len)
}

fn ip6mra(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    let shape = match kind {
        1 => Nla::Xval(&MRT6MSG, 1),
        2 => Nla::U32,
        3 | 4 => Nla::In6Addr,
        _ => return false,
    };
    simple(ctx, out, shape, addr, len)
}
