//! Multicast database attributes of rtnetlink (`br_port_msg`: `MDBA_*`).

use super::attr::{self, simple, Field, Nla};
use super::{names, Ctx};
use crate::decode::xlat::{self, Xlat};

const fn x(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
    Xlat::hex(names, unknown)
}

static MDB_ATTRS: Xlat = x(names::RTNL_MDBA_MDB_ATTRS, "MDBA_MDB_???");
static MDB_ENTRY_ATTRS: Xlat = x(names::RTNL_MDBA_MDB_ENTRY_ATTRS, "MDBA_MDB_ENTRY_???");
static MDB_EATTR_ATTRS: Xlat = x(names::RTNL_MDBA_MDB_EATTR_ATTRS, "MDBA_MDB_EATTR_???");
static ROUTER_ATTRS: Xlat = x(names::RTNL_MDBA_ROUTER_ATTRS, "MDBA_ROUTER_???");
static ROUTER_PATTR_ATTRS: Xlat = x(names::RTNL_MDBA_ROUTER_PATTR_ATTRS, "MDBA_ROUTER_PATTR_???");
static MDB_STATES: Xlat = x(names::MDB_STATES, "MDB_???");
static MDB_FLAGS: Xlat = x(names::MDB_FLAGS, "MDB_FLAGS_???");
static AF: Xlat = x(names::ADDRFAMS, "AF_???");
static ROUTER_TYPES: Xlat = x(names::MULTICAST_ROUTER_TYPES, "MDB_RTR_TYPE_???");

/// Decodes one `MDBA_*` attribute of a `br_port_msg`.
pub fn attr_into(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => attr::decode(ctx, out, addr, len, &MDB_ATTRS, Some(&mdb_attr)),
        2 => attr::decode(ctx, out, addr, len, &ROUTER_ATTRS, Some(&router_attr)),
        _ => return false,
    }
    true
}

fn mdb_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    if kind != 1 {
        return false;
    }
    attr::decode(ctx, out, addr, len, &MDB_ENTRY_ATTRS, Some(&entry_attr));
    true
}

/// `MDBA_MDB_ENTRY_INFO`: a `struct br_mdb_entry` followed by its attributes.
fn entry_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    const SIZE: u32 = 28;
    if kind != 1 || len < SIZE {
        return false;
    }
    if let Some(b) = ctx.read_or_addr(out, addr, SIZE as usize) {
        out.push('{');
        attr::fields_into(
            out,
            b,
            &[
                ("ifindex", 0, Field::Ifindex),
                ("state", 4, Field::Val(1, &MDB_STATES)),
                ("flags", 5, Field::Flags(1, &MDB_FLAGS)),
                ("vid", 6, Field::U(2)),
            ],
        );
        let proto = u16::from_be_bytes([b[24], b[25]]);
        out.push_str(", addr={");
        attr::inet_addr_into(out, proto as u8, &b[8..24], Some("u"));
        out.push_str(", proto=htons(");
        xlat::value(out, proto as u64, &AF);
        out.push_str(")}}");
    }
    if len > SIZE {
        out.push_str(", ");
        let d = |c: &Ctx, o: &mut String, t: u16, a, l| t == 1 && simple(c, o, Nla::ClockT, a, l);
        attr::decode(
            ctx,
            out,
            addr + SIZE as u64,
            len - SIZE,
            &MDB_EATTR_ATTRS,
            Some(&d),
        );
    }
    true
}

/// `MDBA_ROUTER_PORT`: an interface index followed by its attributes.
fn router_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    if kind != 1 || len < 4 {
        return false;
    }
    if let Some(b) = ctx.read_or_addr(out, addr, 4) {
        attr::ifindex_into(out, super::u32_at(b, 0));
    }
    if len > 4 {
        out.push_str(", ");
        let d = |c: &Ctx, o: &mut String, t: u16, a, l| match t {
            1 | 3 | 4 => simple(c, o, Nla::ClockT, a, l),
            2 => {
                if let Some(b) = c.read_or_addr(o, a, 1) {
                    xlat::value(o, b[0] as u64, &ROUTER_TYPES);
                }
                true
            }
            _ => false,
        };
        attr::decode(ctx, out, addr + 4, len - 4, &ROUTER_PATTR_ATTRS, Some(&d));
    }
    true
}
