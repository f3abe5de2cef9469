//! Interface statistics attributes of rtnetlink (`if_stats_msg`: `IFLA_STATS_*`): 64-bit link
//! counters, per-type extended statistics (bridge VLAN/multicast/STP, bonding 802.3ad), offload
//! statistics and per-family statistics (MPLS).

use super::attr::{self, simple, Field, Nla};
use super::{names, str_into, Ctx, HEX};
use crate::decode::xlat::{self, Xlat};

const fn x(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
    Xlat::hex(names, unknown)
}

static XSTATS_TYPES: Xlat = x(names::IFSTATS_XSTATS_TYPE_ATTRS, "LINK_XSTATS_TYPE_???");
static BRIDGE_ATTRS: Xlat = x(names::IFSTATS_XSTATS_BRIDGE_ATTRS, "BRIDGE_XSTATS_???");
static BOND_ATTRS: Xlat = x(names::IFSTATS_XSTATS_BOND_ATTRS, "BOND_XSTATS_???");
static BOND_3AD_ATTRS: Xlat = x(names::IFSTATS_XSTATS_BOND_3AD_ATTRS, "BOND_XSTATS_???");
static OFFLOAD_ATTRS: Xlat = x(names::IFSTATS_OFFLOAD_ATTRS, "IFLA_OFFLOAD_XSTATS_???");
static MPLS_ATTRS: Xlat = x(names::IFSTATS_AF_SPEC_MPLS_ATTRS, "MPLS_STATS_???");
static AF: Xlat = x(names::ADDRFAMS, "AF_???");
static VLAN_FLAGS: Xlat = x(names::NL_BRIDGE_VLAN_FLAGS, "BRIDGE_VLAN_INFO_???");
static MCAST_DIRS: Xlat = Xlat::dec(names::IFSTATS_XSTATS_BRIDGE_MCAST_INDICES, "");

const AF_MPLS: u16 = 28;

/// Decodes one `IFLA_STATS_*` attribute of an `if_stats_msg`.
pub fn attr_into(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => super::link::link_stats(ctx, out, addr, len, true),
        2 | 3 => {
            attr::decode(ctx, out, addr, len, &XSTATS_TYPES, Some(&xstats_attr));
            true
        }
        4 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l| {
                t == 1 && super::link::link_stats(c, o, a, l, true)
            };
            attr::decode(ctx, out, addr, len, &OFFLOAD_ATTRS, Some(&d));
            true
        }
        5 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l: u32| {
                if t == AF_MPLS {
                    attr::decode(c, o, a, l, &MPLS_ATTRS, Some(&mpls_attr));
                } else {
                    str_into(c, o, a, l as u64, HEX);
                }
                true
            };
            attr::decode(ctx, out, addr, len, &AF, Some(&d));
            true
        }
        _ => false,
    }
}

fn xstats_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => attr::decode(ctx, out, addr, len, &BRIDGE_ATTRS, Some(&bridge_attr)),
        2 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l| {
                if t != 1 {
                    return false;
                }
                let d3 =
                    |c: &Ctx, o: &mut String, t: u16, a, l| t <= 8 && simple(c, o, Nla::U64, a, l);
                attr::decode(c, o, a, l, &BOND_3AD_ATTRS, Some(&d3));
                true
            };
            attr::decode(ctx, out, addr, len, &BOND_ATTRS, Some(&d))
        }
        _ => return false,
    }
    true
}

/// A struct of `size` bytes followed, when the data is longer, by the rest in hex.
fn struct_then_hex(
    ctx: &Ctx,
    out: &mut String,
    addr: u64,
    len: u32,
    size: u32,
    print: impl Fn(&mut String, &[u8]),
) -> bool {
    if len < size {
        return false;
    }
    let Some(b) = ctx.read_or_addr(out, addr, size as usize) else {
        return true;
    };
    out.push('{');
    print(out, b);
    out.push('}');
    if len > size {
        out.push_str(", ");
        str_into(ctx, out, addr + size as u64, (len - size) as u64, HEX);
    }
    true
}

fn u64_fields(out: &mut String, b: &[u8], names: &[&str]) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
        out.push('=');
        out.push_str(&attr::le(b, i * 8, 8).to_string());
    }
}

fn bridge_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => struct_then_hex(ctx, out, addr, len, 40, |o, b| {
            u64_fields(o, b, &["rx_bytes", "rx_packets", "tx_bytes", "tx_packets"]);
            o.push_str(", ");
            attr::fields_into(
                o,
                b,
                &[
                    ("vid", 32, Field::U(2)),
                    ("flags", 34, Field::Flags(2, &VLAN_FLAGS)),
                    ("pad2", 36, Field::NonzeroX(4)),
                ],
            );
        }),
        2 => struct_then_hex(ctx, out, addr, len, 240, |o, b| {
            // (name, number of directions: 2 for an array by direction, 1 for a counter)
            const F: [(&str, usize); 16] = [
                ("igmp_v1queries", 2),
                ("igmp_v2queries", 2),
                ("igmp_v3queries", 2),
                ("igmp_leaves", 2),
                ("igmp_v1reports", 2),
                ("igmp_v2reports", 2),
                ("igmp_v3reports", 2),
                ("igmp_parse_errors", 1),
                ("mld_v1queries", 2),
                ("mld_v2queries", 2),
                ("mld_leaves", 2),
                ("mld_v1reports", 2),
                ("mld_v2reports", 2),
                ("mld_parse_errors", 1),
                ("mcast_bytes", 2),
                ("mcast_packets", 2),
            ];
            let mut at = 0;
            for (i, (name, n)) in F.iter().enumerate() {
                if i > 0 {
                    o.push_str(", ");
                }
                o.push_str(name);
                o.push('=');
                if *n == 1 {
                    o.push_str(&attr::le(b, at, 8).to_string());
                } else {
                    o.push('[');
                    for d in 0..*n {
                        if d > 0 {
                            o.push_str(", ");
                        }
                        o.push('[');
                        xlat::value(o, d as u64, &MCAST_DIRS);
                        o.push_str("]=");
                        o.push_str(&attr::le(b, at + 8 * d, 8).to_string());
                    }
                    o.push(']');
                }
                at += 8 * n;
            }
        }),
        4 => struct_then_hex(ctx, out, addr, len, 48, |o, b| {
            u64_fields(
                o,
                b,
                &[
                    "transition_blk",
                    "transition_fwd",
                    "rx_bpdu",
                    "tx_bpdu",
                    "rx_tcn",
                    "tx_tcn",
                ],
            )
        }),
        _ => false,
    }
}

fn mpls_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    kind == 1
        && struct_then_hex(ctx, out, addr, len, 72, |o, b| {
            u64_fields(
                o,
                b,
                &[
                    "rx_packets",
                    "tx_packets",
                    "rx_bytes",
                    "tx_bytes",
                    "rx_errors",
                    "tx_errors",
                    "rx_dropped",
                    "tx_dropped",
                    "rx_noroute",
                ],
            )
        })
}
