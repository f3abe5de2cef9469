//! Attributes of rtnetlink link messages (`ifinfomsg`: `IFLA_*`) and the attribute sets nested in
//! them (bridge ports, IPv6 interface data, virtual functions, XDP, ports...).

use super::attr::{self, simple, struct_data, Field, Nla};
use super::route::by_table;
use super::{names, str_into, Ctx, HEX};
use crate::decode::xlat::Xlat;
use std::fmt::Write;

const AF_INET: u8 = 2;
const AF_BRIDGE: u8 = 7;
const AF_INET6: u8 = 10;
const AF_MCTP: u8 = 45;

const fn x(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
    Xlat::hex(names, unknown)
}

static BRPORT_ATTRS: Xlat = x(names::RTNL_IFLA_BRPORT_ATTRS, "IFLA_BRPORT_???");
static INET6_ATTRS: Xlat = x(names::RTNL_IFLA_AF_SPEC_INET6_ATTRS, "IFLA_INET6_???");
static INET_ATTRS: Xlat = x(names::RTNL_IFLA_AF_SPEC_INET_ATTRS, "IFLA_INET_???");
static MCTP_ATTRS: Xlat = x(names::RTNL_IFLA_AF_SPEC_MCTP_ATTRS, "IFLA_MCTP_???");
static BRIDGE_ATTRS: Xlat = x(names::RTNL_IFLA_AF_SPEC_BRIDGE_ATTRS, "IFLA_BRIDGE_???");
static BRIDGE_TUNNEL_ATTRS: Xlat = x(
    names::RTNL_IFLA_AF_SPEC_BRIDGE_VLAN_TUNNEL_INFO_ATTRS,
    "IFLA_BRIDGE_VLAN_TUNNEL_???",
);
static BRIDGE_FLAGS: Xlat = x(names::RTNL_IFLA_BRIDGE_FLAGS, "BRIDGE_FLAGS_???");
static BRIDGE_MODES: Xlat = x(names::RTNL_IFLA_BRIDGE_MODES, "BRIDGE_MODE_???");
static BRIDGE_VLAN_FLAGS: Xlat = x(names::NL_BRIDGE_VLAN_FLAGS, "BRIDGE_VLAN_INFO_???");
static AF: Xlat = x(names::ADDRFAMS, "AF_???");
static LINK_ATTRS: Xlat = x(names::RTNL_LINK_ATTRS, "IFLA_???");
static INET6_IF_FLAGS: Xlat = x(names::INET6_IF_FLAGS, "IF_???");
static INET6_DEVCONF: Xlat = Xlat::dec(names::INET6_DEVCONF_INDICES, "DEVCONF_???");
static INET_DEVCONF: Xlat = Xlat::dec(names::INET_DEVCONF_INDICES, "IPV4_DEVCONF_???");
static SNMP_IP_STATS: Xlat = Xlat::dec(names::SNMP_IP_STATS, "IPSTATS_MIB_???");
static SNMP_ICMP6_STATS: Xlat = Xlat::dec(names::SNMP_ICMP6_STATS, "ICMP6_MIB_???");
static IN6_ADDR_GEN_MODE: Xlat = x(names::IN6_ADDR_GEN_MODE, "IN6_ADDR_GEN_MODE_???");
static VFINFO_LIST_ATTRS: Xlat = x(names::RTNL_IFLA_VFINFO_LIST_ATTRS, "IFLA_VF_INFO_???");
static VF_INFO_ATTRS: Xlat = x(names::RTNL_IFLA_VF_INFO_ATTRS, "IFLA_VF_???");
static VF_STATS_ATTRS: Xlat = x(names::RTNL_IFLA_VF_STATS_ATTRS, "IFLA_VF_STATS_???");
static VF_VLAN_LIST_ATTRS: Xlat = x(names::RTNL_IFLA_VF_VLAN_LIST_ATTRS, "IFLA_VF_VLAN_INFO_???");
static VF_LINK_STATES: Xlat = x(names::RTNL_IFLA_VF_LINK_STATES, "IFLA_VF_LINK_STATE_???");
static ETH_P: Xlat = x(names::ETHERNET_PROTOCOLS, "ETH_P_???");
static PORT_ATTRS: Xlat = x(names::RTNL_IFLA_PORT_ATTRS, "IFLA_VF_PORT_???");
static VF_PORT_ATTRS: Xlat = x(names::RTNL_IFLA_VF_PORT_ATTRS, "IFLA_VF_PORT_???");
static EXT_FILTER: Xlat = x(names::RTNL_IFLA_EXT_FILTER_FLAGS, "RTEXT_FILTER_???");
static XDP_ATTRS: Xlat = x(names::RTNL_IFLA_XDP_ATTRS, "IFLA_XDP_???");
static XDP_FLAGS: Xlat = x(names::XDP_FLAGS, "XDP_FLAGS_???");
static XDP_ATTACHED: Xlat = x(names::RTNL_IFLA_XDP_ATTACHED_MODE, "XDP_ATTACHED_???");
static EVENTS: Xlat = x(names::RTNL_IFLA_EVENTS, "IFLA_EVENT_???");
static PROTO_DOWN_ATTRS: Xlat = x(
    names::RTNL_IFLA_PROTO_DOWN_REASON_ATTRS,
    "IFLA_PROTO_DOWN_REASON_???",
);

/// Decodes the data of one `IFLA_*` attribute; `hdr` is the message's `ifinfomsg`.
pub fn attr_into(ctx: &Ctx, out: &mut String, hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (3, Nla::Str),
        (4, Nla::U32),
        (5, Nla::U32),
        (6, Nla::Str),
        (10, Nla::U32),
        (13, Nla::U32),
        (15, Nla::U32),
        (16, Nla::U8),
        (17, Nla::U8),
        (19, Nla::U32),
        (20, Nla::Str),
        (21, Nla::U32),
        (27, Nla::U32),
        (28, Nla::Fd),
        (29, Nla::Flags(&EXT_FILTER, 4)),
        (30, Nla::U32),
        (31, Nla::U32),
        (32, Nla::U32),
        (33, Nla::U8),
        (35, Nla::U32),
        (37, Nla::S32),
        (38, Nla::Str),
        (39, Nla::U8),
        (40, Nla::U32),
        (41, Nla::U32),
        (45, Nla::S32),
        (46, Nla::S32),
        (47, Nla::U32),
        (48, Nla::U32),
        (49, Nla::Ifindex),
        (50, Nla::U32),
        (51, Nla::U32),
        (53, Nla::Str),
        (56, Nla::Str),
        (57, Nla::Str),
        (58, Nla::U32),
        (59, Nla::U32),
        (60, Nla::U32),
        (61, Nla::U32),
    ];
    let family = hdr[0];
    match kind {
        1 | 2 | 54 => attr::hwaddr_data(ctx, out, addr, len, None),
        7 => link_stats(ctx, out, addr, len, false),
        12 => protinfo(ctx, out, family, addr, len),
        14 => struct_data(
            ctx,
            out,
            addr,
            len,
            28,
            &[
                ("mem_start", 0, Field::X(8)),
                ("mem_end", 8, Field::X(8)),
                ("base_addr", 16, Field::X(8)),
                ("irq", 24, Field::U(2)),
                ("dma", 26, Field::U(1)),
                ("port", 27, Field::U(1)),
            ],
        ),
        18 => linkinfo(ctx, out, addr, len),
        22 => nested(ctx, out, addr, len, &VFINFO_LIST_ATTRS, &vfinfo_list_attr),
        23 => link_stats(ctx, out, addr, len, true),
        24 => nested(ctx, out, addr, len, &VF_PORT_ATTRS, &vf_port_attr),
        25 => nested(ctx, out, addr, len, &PORT_ATTRS, &port_attr),
        26 => af_spec(ctx, out, family, addr, len),
        43 => nested(ctx, out, addr, len, &XDP_ATTRS, &xdp_attr),
        44 => simple(ctx, out, Nla::Xval(&EVENTS, 4), addr, len),
        52 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l| t == 53 && attr::str_data(c, o, a, l);
            attr::decode(ctx, out, addr, len, &LINK_ATTRS, Some(&d));
            true
        }
        55 => nested(ctx, out, addr, len, &PROTO_DOWN_ATTRS, &|c, o, t, a, l| {
            matches!(t, 1 | 2) && simple(c, o, Nla::X32, a, l)
        }),
        _ => by_table(ctx, out, T, kind, addr, len),
    }
}

/// A nested attribute chain.
fn nested(
    ctx: &Ctx,
    out: &mut String,
    addr: u64,
    len: u32,
    names: &Xlat,
    d: attr::Decoder,
) -> bool {
    attr::decode(ctx, out, addr, len, names, Some(d));
    true
}

const LINK_STATS: [&str; 25] = [
    "rx_packets",
    "tx_packets",
    "rx_bytes",
    "tx_bytes",
    "rx_errors",
    "tx_errors",
    "rx_dropped",
    "tx_dropped",
    "multicast",
    "collisions",
    "rx_length_errors",
    "rx_over_errors",
    "rx_crc_errors",
    "rx_frame_errors",
    "rx_fifo_errors",
    "rx_missed_errors",
    "tx_aborted_errors",
    "tx_carrier_errors",
    "tx_fifo_errors",
    "tx_heartbeat_errors",
    "tx_window_errors",
    "rx_compressed",
    "tx_compressed",
    "rx_nohandler",
    "rx_otherhost_dropped",
];

/// `IFLA_STATS`/`IFLA_STATS64`: `struct rtnl_link_stats{,64}` in one of the sizes kernels used.
pub fn link_stats(ctx: &Ctx, out: &mut String, addr: u64, len: u32, wide: bool) -> bool {
    let w = if wide { 8 } else { 4 };
    let sizes: &[u32] = if wide {
        &[25 * 8, 24 * 8, 23 * 8]
    } else {
        &[24 * 4, 23 * 4]
    };
    let Some(&size) = sizes
        .iter()
        .find(|&&s| if s == sizes[0] { len >= s } else { len == s })
    else {
        return false;
    };
    if let Some(b) = ctx.read_or_addr(out, addr, size as usize) {
        out.push('{');
        for (i, name) in LINK_STATS.iter().take((size / w) as usize).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{name}={}", attr::le(b, i * w as usize, w as u8));
        }
        out.push('}');
    }
    true
}

/// `IFLA_PROTINFO`: bridge port attributes or IPv6 interface attributes, by the message's family.
fn protinfo(ctx: &Ctx, out: &mut String, family: u8, addr: u64, len: u32) -> bool {
    match family {
        AF_BRIDGE => nested(ctx, out, addr, len, &BRPORT_ATTRS, &brport_attr),
        AF_INET6 => nested(ctx, out, addr, len, &INET6_ATTRS, &inet6_attr),
        _ => {
            str_into(ctx, out, addr, len as u64, HEX);
            true
        }
    }
}

fn brport_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    let shape = match kind {
        1 | 4..=12 | 19 | 20 | 25 | 27..=30 | 32 | 33 | 35 | 36 | 39 => Nla::U8,
        2 | 15..=18 => Nla::U16,
        3 | 37 | 38 => Nla::U32,
        21..=23 => Nla::ClockT,
        31 => Nla::X16,
        34 => Nla::Ifindex,
        13 | 14 => {
            return struct_data(
                ctx,
                out,
                addr,
                len,
                8,
                &[("prio", 0, Field::Bytes(2)), ("addr", 2, Field::Mac(6))],
            )
        }
        _ => return false,
    };
    simple(ctx, out, shape, addr, len)
}

fn indexed(ctx: &Ctx, out: &mut String, addr: u64, len: u32, size: u32, idx: &Xlat) -> bool {
    if len < size {
        return false;
    }
    attr::array_indexed_into(ctx, out, addr, len, size, Some(idx), |o, b| {
        if size == 4 {
            let _ = write!(o, "{}", super::u32_at(b, 0) as i32);
        } else {
            let _ = write!(o, "{}", super::u64_at(b, 0));
        }
    });
    true
}

fn inet6_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => simple(ctx, out, Nla::Flags(&INET6_IF_FLAGS, 4), addr, len),
        2 => indexed(ctx, out, addr, len, 4, &INET6_DEVCONF),
        3 => indexed(ctx, out, addr, len, 8, &SNMP_IP_STATS),
        5 => struct_data(
            ctx,
            out,
            addr,
            len,
            16,
            &[
                ("max_reasm_len", 0, Field::U(4)),
                ("tstamp", 4, Field::U(4)),
                ("reachable_time", 8, Field::U(4)),
                ("retrans_time", 12, Field::U(4)),
            ],
        ),
        6 => indexed(ctx, out, addr, len, 8, &SNMP_ICMP6_STATS),
        7 => simple(ctx, out, Nla::In6Addr, addr, len),
        8 => simple(ctx, out, Nla::Xval(&IN6_ADDR_GEN_MODE, 1), addr, len),
        9 => simple(ctx, out, Nla::U32, addr, len),
        _ => false,
    }
}

/// `IFLA_AF_SPEC`: bridge attributes for `AF_BRIDGE`, otherwise one chain per address family.
fn af_spec(ctx: &Ctx, out: &mut String, family: u8, addr: u64, len: u32) -> bool {
    if family == AF_BRIDGE {
        return nested(ctx, out, addr, len, &BRIDGE_ATTRS, &bridge_attr);
    }
    let d = |c: &Ctx, o: &mut String, t: u16, a, l: u32| {
        match t as u8 {
            AF_INET => attr::decode(c, o, a, l, &INET_ATTRS, Some(&inet_attr)),
            AF_INET6 => attr::decode(c, o, a, l, &INET6_ATTRS, Some(&inet6_attr)),
            AF_MCTP => attr::decode(c, o, a, l, &MCTP_ATTRS, Some(&mctp_attr)),
            _ => str_into(c, o, a, l as u64, HEX),
        }
        true
    };
    attr::decode(ctx, out, addr, len, &AF, Some(&d));
    true
}

fn inet_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    kind == 1 && indexed(ctx, out, addr, len, 4, &INET_DEVCONF)
}

fn mctp_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    kind == 1 && simple(ctx, out, Nla::U32, addr, len)
}

fn bridge_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        0 => simple(ctx, out, Nla::Flags(&BRIDGE_FLAGS, 2), addr, len),
        1 => simple(ctx, out, Nla::Xval(&BRIDGE_MODES, 2), addr, len),
        2 => {
            if len < 4 {
                return false;
            }
            if let Some(b) = ctx.read_or_addr(out, addr, 4) {
                out.push('{');
                attr::fields_into(
                    out,
                    b,
                    &[
                        ("flags", 0, Field::Flags(2, &BRIDGE_VLAN_FLAGS)),
                        ("vid", 2, Field::U(2)),
                    ],
                );
                out.push('}');
                if len > 4 {
                    out.push_str(", ");
                    str_into(ctx, out, addr + 4, (len - 4) as u64, HEX);
                }
            }
            true
        }
        3 => nested(
            ctx,
            out,
            addr,
            len,
            &BRIDGE_TUNNEL_ATTRS,
            &|c, o, t, a, l| match t {
                1 => simple(c, o, Nla::U32, a, l),
                2 => simple(c, o, Nla::U16, a, l),
                3 => simple(c, o, Nla::Flags(&BRIDGE_VLAN_FLAGS, 2), a, l),
                _ => false,
            },
        ),
        _ => false,
    }
}

fn vfinfo_list_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    kind == 1 && nested(ctx, out, addr, len, &VF_INFO_ATTRS, &vf_info_attr)
}

const VF_SETTING: &[(&str, usize, Field)] = &[("vf", 0, Field::U(4)), ("setting", 4, Field::U(4))];

fn vf_info_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => struct_data(
            ctx,
            out,
            addr,
            len,
            36,
            &[("vf", 0, Field::U(4)), ("mac", 4, Field::Mac(32))],
        ),
        2 => struct_data(
            ctx,
            out,
            addr,
            len,
            12,
            &[
                ("vf", 0, Field::U(4)),
                ("vlan", 4, Field::U(4)),
                ("qos", 8, Field::U(4)),
            ],
        ),
        3 => struct_data(
            ctx,
            out,
            addr,
            len,
            8,
            &[("vf", 0, Field::U(4)), ("rate", 4, Field::U(4))],
        ),
        4 | 7 | 9 => struct_data(ctx, out, addr, len, 8, VF_SETTING),
        5 => struct_data(
            ctx,
            out,
            addr,
            len,
            8,
            &[
                ("vf", 0, Field::U(4)),
                ("link_state", 4, Field::Val(4, &VF_LINK_STATES)),
            ],
        ),
        6 => struct_data(
            ctx,
            out,
            addr,
            len,
            12,
            &[
                ("vf", 0, Field::U(4)),
                ("min_tx_rate", 4, Field::U(4)),
                ("max_tx_rate", 8, Field::U(4)),
            ],
        ),
        8 => nested(ctx, out, addr, len, &VF_STATS_ATTRS, &|c, o, t, a, l| {
            matches!(t, 0..=5 | 7 | 8) && simple(c, o, Nla::U64, a, l)
        }),
        10 | 11 => {
            // struct ifla_vf_guid: packed (12 bytes) or with the guid 8-aligned (16 bytes).
            let guid_at = match len {
                12 => 4,
                16 => 8,
                _ => return false,
            };
            if let Some(b) = ctx.read_or_addr(out, addr, len as usize) {
                out.push('{');
                attr::fields_into(
                    out,
                    b,
                    &[("vf", 0, Field::U(4)), ("guid", guid_at, Field::X(8))],
                );
                out.push('}');
            }
            true
        }
        12 => nested(
            ctx,
            out,
            addr,
            len,
            &VF_VLAN_LIST_ATTRS,
            &|c, o, t, a, l| {
                t == 1
                    && struct_data(
                        c,
                        o,
                        a,
                        l,
                        16,
                        &[
                            ("vf", 0, Field::U(4)),
                            ("vlan", 4, Field::U(4)),
                            ("qos", 8, Field::U(4)),
                            ("vlan_proto", 12, Field::Htons(&ETH_P)),
                        ],
                    )
            },
        ),
        13 => struct_data(ctx, out, addr, len, 32, &[("broadcast", 0, Field::Mac(32))]),
        _ => false,
    }
}

fn vf_port_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    kind == 1 && nested(ctx, out, addr, len, &PORT_ATTRS, &port_attr)
}

fn port_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => simple(ctx, out, Nla::U32, addr, len),
        2 => simple(ctx, out, Nla::Str, addr, len),
        3 => {
            // struct ifla_port_vsi: manager id, 3-byte type id, type version, 3 bytes of padding.
            if len < 8 {
                return false;
            }
            if let Some(b) = ctx.read_or_addr(out, addr, 8) {
                let _ = write!(out, "{{vsi_mgr_id={}, vsi_type_id=", b[0]);
                crate::decode::strings::quote_into(out, &b[1..4], true);
                let _ = write!(out, ", vsi_type_version={}", b[4]);
                if b[5..8].iter().any(|&p| p != 0) {
                    out.push_str(", pad=");
                    crate::decode::strings::quote_into(out, &b[5..8], true);
                }
                out.push('}');
            }
            true
        }
        6 => simple(ctx, out, Nla::U8, addr, len),
        7 => simple(ctx, out, Nla::U16, addr, len),
        _ => false,
    }
}

fn xdp_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    let shape = match kind {
        1 | 8 => Nla::Fd,
        2 => Nla::Xval(&XDP_ATTACHED, 1),
        3 => Nla::Flags(&XDP_FLAGS, 4),
        4..=7 => Nla::U32,
        _ => return false,
    };
    simple(ctx, out, shape, addr, len)
}

static INFO_ATTRS: Xlat = x(names::RTNL_IFLA_INFO_ATTRS, "IFLA_INFO_???");
static BR_ATTRS: Xlat = x(names::RTNL_IFLA_INFO_DATA_BRIDGE_ATTRS, "IFLA_BR_???");
static TUN_ATTRS: Xlat = x(names::RTNL_IFLA_INFO_DATA_TUN_ATTRS, "IFLA_TUN_???");
static TUN_TYPES: Xlat = x(names::TUN_DEVICE_TYPES, "IFF_???");
static BR_BOOLOPT_FLAGS: Xlat = x(names::RTNL_IFLA_BR_BOOLOPT_FLAGS, "1<<BR_BOOLOPT_???");
static BR_QUERIER_ATTRS: Xlat = x(
    names::RTNL_IFLA_BR_MCAST_QUERIER_ATTRS,
    "BRIDGE_QUERIER_???",
);

/// `IFLA_LINKINFO`: the link's kind, then data whose decoding depends on that kind.
fn linkinfo(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    // The kinds named by IFLA_INFO_KIND and IFLA_INFO_SLAVE_KIND so far in the chain.
    let kind = std::cell::RefCell::new(String::new());
    let slave_kind = std::cell::RefCell::new(String::new());
    let d = |c: &Ctx, o: &mut String, t: u16, a, l: u32| match t {
        1 | 4 => {
            let name = kind_of(c, a, l);
            *(if t == 1 { &kind } else { &slave_kind }).borrow_mut() = name;
            str_into(c, o, a, l as u64, super::CSTR);
            true
        }
        2 => match kind.borrow().as_str() {
            "bridge" => nested(c, o, a, l, &BR_ATTRS, &bridge_data_attr),
            "tun" => nested(c, o, a, l, &TUN_ATTRS, &tun_data_attr),
            _ => false,
        },
        3 if kind.borrow().as_str() == "can" => struct_data(
            c,
            o,
            a,
            l,
            24,
            &[
                ("bus_error", 0, Field::U(4)),
                ("error_warning", 4, Field::U(4)),
                ("error_passive", 8, Field::U(4)),
                ("bus_off", 12, Field::U(4)),
                ("arbitration_lost", 16, Field::U(4)),
                ("restarts", 20, Field::U(4)),
            ],
        ),
        5 if slave_kind.borrow().as_str() == "bridge" => {
            nested(c, o, a, l, &BRPORT_ATTRS, &brport_attr)
        }
        _ => false,
    };
    attr::decode(ctx, out, addr, len, &INFO_ATTRS, Some(&d));
    true
}

/// The kind a `IFLA_INFO_KIND` attribute names: its bytes up to the NUL, empty when unreadable or
/// 64 bytes or longer.
fn kind_of(ctx: &Ctx, addr: u64, len: u32) -> String {
    if len >= 64 {
        return String::new();
    }
    ctx.read(addr, len as usize)
        .map(|b| {
            let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
            String::from_utf8_lossy(&b[..end]).into_owned()
        })
        .unwrap_or_default()
}

fn bridge_data_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    let shape = match kind {
        1..=4 | 16..=19 | 30..=35 => Nla::ClockT,
        5 | 13 | 26..=29 => Nla::U32,
        6 | 12 | 39 => Nla::U16,
        7 | 14 | 15 | 22..=25 | 36..=38 | 41..=45 => Nla::U8,
        8 => {
            // htons(ETH_P_...)
            if len < 2 {
                return false;
            }
            if let Some(b) = ctx.read_or_addr(out, addr, 2) {
                out.push_str("htons(");
                crate::decode::xlat::value(out, u16::from_be_bytes([b[0], b[1]]) as u64, &ETH_P);
                out.push(')');
            }
            return true;
        }
        9 => Nla::X16,
        10 | 11 => {
            return struct_data(
                ctx,
                out,
                addr,
                len,
                8,
                &[("prio", 0, Field::Bytes(2)), ("addr", 2, Field::Mac(6))],
            )
        }
        20 => return attr::hwaddr_data(ctx, out, addr, len, None),
        46 => {
            return struct_data(
                ctx,
                out,
                addr,
                len,
                8,
                &[
                    ("optval", 0, Field::Flags(4, &BR_BOOLOPT_FLAGS)),
                    ("optmask", 4, Field::Flags(4, &BR_BOOLOPT_FLAGS)),
                ],
            )
        }
        47 => {
            return nested(ctx, out, addr, len, &BR_QUERIER_ATTRS, &|c, o, t, a, l| {
                let shape = match t {
                    1 => Nla::InAddr,
                    2 | 6 => Nla::Ifindex,
                    3 | 7 => Nla::ClockT,
                    5 => Nla::In6Addr,
                    _ => return false,
                };
                simple(c, o, shape, a, l)
            })
        }
        _ => return false,
    };
    simple(ctx, out, shape, addr, len)
}

fn tun_data_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    let shape = match kind {
        1 | 2 => Nla::Uid,
        3 => Nla::Xval(&TUN_TYPES, 1),
        4..=7 => Nla::U8,
        8 | 9 => Nla::U32,
        _ => return false,
    };
    simple(ctx, out, shape, addr, len)
}
