//! `NETLINK_ROUTE` (rtnetlink) message bodies: the fixed header of each message type (`ifinfomsg`,
//! `ifaddrmsg`, `rtmsg`...) and its attribute chain.
//!
//! Design: every rtnetlink header starts with an address family byte and is printed the same way:
//! the family, then (when the payload holds the whole header and it is readable) the other fields,
//! or `...` when the payload is shorter than the header; the attributes follow the header, aligned
//! to 4 bytes. So each header is described by a [`Body`] (its size, its fields with their offsets and
//! shapes, its attribute names and decoder) and printed by one function; the attribute decoders map
//! each attribute type to a shape of `attr.rs`.

use super::attr::{self, simple, Nla};
use super::{names, str_into, u16_at, u32_at, Ctx, NlMsgHdr, HEX};
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const RTM_BASE: u16 = 0x10;
const AF_BRIDGE: u8 = 7;

/// How one header field is printed.
#[derive(Clone, Copy)]
enum Shape {
    /// Unsigned decimal of this many bytes.
    U(u8),
    /// Hex of this many bytes.
    X(u8),
    /// Hex of this many bytes, printed only when not zero (padding).
    NonzeroX(u8),
    /// An interface index.
    Ifindex,
    /// A named value of this many bytes.
    Val(u8, &'static Xlat),
    /// A flag word of this many bytes.
    Flags(u8, &'static Xlat),
}

/// An attribute decoder of a header's chain.
type AttrFn = fn(&Ctx, &mut String, u16, u64, u32) -> bool;

/// A fixed rtnetlink header.
struct Body {
    /// Name of the family field.
    family: &'static str,
    /// `sizeof` the header.
    size: u32,
    /// The fields after the family: name, offset, shape. Empty for headers printed as the family
    /// alone (`ndtmsg`, `rtgenmsg`...), whose attributes are decoded whatever the payload's length.
    fields: &'static [(&'static str, usize, Shape)],
    /// Names of the attributes.
    attrs: &'static Xlat,
    /// Their decoder.
    decoder: Option<AttrFn>,
}

const fn x(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
    Xlat::hex(names, unknown)
}

static AF: Xlat = x(names::ADDRFAMS, "AF_???");
static ARPHRD: Xlat = x(names::ARP_HARDWARE_TYPES, "ARPHRD_???");
static IFF: Xlat = x(names::IFFFLAGS, "IFF_???");
static IFA_F: Xlat = x(names::IFADDRFLAGS, "IFA_F_???");
static SCOPES: Xlat = x(names::ROUTING_SCOPES, "");
static TOS: Xlat = x(names::IP_TYPE_OF_SERVICES, "IPTOS_TOS_???");
static TABLES: Xlat = x(names::ROUTING_TABLE_IDS, "");
static RULE_TABLES: Xlat = x(names::ROUTING_TABLE_IDS, "RT_TABLE_???");
static PROTOCOLS: Xlat = x(names::ROUTING_PROTOCOLS, "RTPROT_???");
static RTN: Xlat = x(names::ROUTING_TYPES, "RTN_???");
static RTM_F: Xlat = x(names::ROUTING_FLAGS, "RTM_F_???");
static NUD: Xlat = x(names::NEIGHBOR_CACHE_ENTRY_STATES, "NUD_???");
static NTF: Xlat = x(names::NEIGHBOR_CACHE_ENTRY_FLAGS, "NTF_???");
static FR_ACT: Xlat = x(names::FIB_RULE_ACTIONS, "FR_ACT_???");
static FIB_RULE: Xlat = x(names::FIB_RULE_FLAGS, "FIB_RULE_???");
static DCB_CMD: Xlat = x(names::DCB_COMMANDS, "DCB_CMD_???");
static IFSTATS_FLAGS: Xlat = x(names::IFSTATS_ATTR_FLAGS, "1<<IFLA_STATS_???");
static RTNH_F: Xlat = x(names::ROUTE_NEXTHOP_FLAGS, "RTNH_F_???");

static LINK_ATTRS: Xlat = x(names::RTNL_LINK_ATTRS, "IFLA_???");
static ADDR_ATTRS: Xlat = x(names::RTNL_ADDR_ATTRS, "IFA_???");
static ROUTE_ATTRS: Xlat = x(names::RTNL_ROUTE_ATTRS, "RTA_???");
static NEIGH_ATTRS: Xlat = x(names::RTNL_NEIGH_ATTRS, "NDA_???");
static RULE_ATTRS: Xlat = x(names::RTNL_RULE_ATTRS, "FRA_???");
static TC_ATTRS: Xlat = x(names::RTNL_TC_ATTRS, "TCA_???");
static TC_ACTION_ATTRS: Xlat = x(names::RTNL_TC_ACTION_ATTRS, "TCA_ACT_???");
static NEIGHTBL_ATTRS: Xlat = x(names::RTNL_NEIGHTBL_ATTRS, "NDTA_???");
static ADDRLABEL_ATTRS: Xlat = x(names::RTNL_ADDRLABEL_ATTRS, "IFAL_???");
static DCB_ATTRS: Xlat = x(names::RTNL_DCB_ATTRS, "DCB_ATTR_???");
static NETCONF_ATTRS: Xlat = x(names::RTNL_NETCONF_ATTRS, "NETCONFA_???");
static MDB_ATTRS: Xlat = x(names::RTNL_MDB_ATTRS, "MDBA_???");
static NSID_ATTRS: Xlat = x(names::RTNL_NSID_ATTRS, "NETNSA_???");
static STATS_ATTRS: Xlat = x(names::IFSTATS_ATTRS, "IFLA_STATS_???");
static NEXTHOP_ATTRS: Xlat = x(names::RTNL_NEXTHOP_ATTRS, "NHA_???");

static IFINFOMSG: Body = Body {
    family: "ifi_family",
    size: 16,
    fields: &[
        ("ifi_type", 2, Shape::Val(2, &ARPHRD)),
        ("ifi_index", 4, Shape::Ifindex),
        ("ifi_flags", 8, Shape::Flags(4, &IFF)),
        ("ifi_change", 12, Shape::X(4)),
    ],
    attrs: &LINK_ATTRS,
    decoder: Some(super::link::attr_into),
};

static IFADDRMSG: Body = Body {
    family: "ifa_family",
    size: 8,
    fields: &[
        ("ifa_prefixlen", 1, Shape::U(1)),
        ("ifa_flags", 2, Shape::Flags(1, &IFA_F)),
        ("ifa_scope", 3, Shape::Val(1, &SCOPES)),
        ("ifa_index", 4, Shape::Ifindex),
    ],
    attrs: &ADDR_ATTRS,
    decoder: Some(addr_attr),
};

static RTMSG: Body = Body {
    family: "rtm_family",
    size: 12,
    fields: &[
        ("rtm_dst_len", 1, Shape::U(1)),
        ("rtm_src_len", 2, Shape::U(1)),
        ("rtm_tos", 3, Shape::Flags(1, &TOS)),
        ("rtm_table", 4, Shape::Val(1, &TABLES)),
        ("rtm_protocol", 5, Shape::Val(1, &PROTOCOLS)),
        ("rtm_scope", 6, Shape::Val(1, &SCOPES)),
        ("rtm_type", 7, Shape::Val(1, &RTN)),
        ("rtm_flags", 8, Shape::Flags(4, &RTM_F)),
    ],
    attrs: &ROUTE_ATTRS,
    decoder: Some(route_attr),
};

static NDMSG: Body = Body {
    family: "ndm_family",
    size: 12,
    fields: &[
        ("ndm_ifindex", 4, Shape::Ifindex),
        ("ndm_state", 8, Shape::Flags(2, &NUD)),
        ("ndm_flags", 10, Shape::Flags(1, &NTF)),
        ("ndm_type", 11, Shape::Val(1, &RTN)),
    ],
    attrs: &NEIGH_ATTRS,
    decoder: Some(neigh_attr),
};

static FIB_RULE_HDR: Body = Body {
    family: "family",
    size: 12,
    fields: &[
        ("dst_len", 1, Shape::U(1)),
        ("src_len", 2, Shape::U(1)),
        ("tos", 3, Shape::Flags(1, &TOS)),
        ("table", 4, Shape::Val(1, &RULE_TABLES)),
        ("action", 7, Shape::Val(1, &FR_ACT)),
        ("flags", 8, Shape::Flags(4, &FIB_RULE)),
    ],
    attrs: &RULE_ATTRS,
    decoder: Some(rule_attr),
};

static TCMSG: Body = Body {
    family: "tcm_family",
    size: 20,
    fields: &[
        ("tcm_ifindex", 4, Shape::Ifindex),
        ("tcm_handle", 8, Shape::U(4)),
        ("tcm_parent", 12, Shape::U(4)),
        ("tcm_info", 16, Shape::U(4)),
    ],
    attrs: &TC_ATTRS,
    decoder: Some(tc_attr),
};

static TCAMSG: Body = Body {
    family: "tca_family",
    size: 4,
    fields: &[],
    attrs: &TC_ACTION_ATTRS,
    decoder: None,
};

static NDTMSG: Body = Body {
    family: "ndtm_family",
    size: 4,
    fields: &[],
    attrs: &NEIGHTBL_ATTRS,
    decoder: None,
};

static IFADDRLBLMSG: Body = Body {
    family: "ifal_family",
    size: 12,
    fields: &[
        ("ifal_prefixlen", 2, Shape::U(1)),
        ("ifal_flags", 3, Shape::U(1)),
        ("ifal_index", 4, Shape::Ifindex),
        ("ifal_seq", 8, Shape::U(4)),
    ],
    attrs: &ADDRLABEL_ATTRS,
    decoder: Some(addrlabel_attr),
};

static DCBMSG: Body = Body {
    family: "dcb_family",
    size: 4,
    fields: &[("cmd", 1, Shape::Val(1, &DCB_CMD))],
    attrs: &DCB_ATTRS,
    decoder: None,
};

static NETCONFMSG: Body = Body {
    family: "ncm_family",
    size: 1,
    fields: &[],
    attrs: &NETCONF_ATTRS,
    decoder: Some(netconf_attr),
};

static BR_PORT_MSG: Body = Body {
    family: "family",
    size: 8,
    fields: &[("ifindex", 4, Shape::Ifindex)],
    attrs: &MDB_ATTRS,
    decoder: None,
};

static RTGENMSG_NSID: Body = Body {
    family: "rtgen_family",
    size: 1,
    fields: &[],
    attrs: &NSID_ATTRS,
    decoder: Some(nsid_attr),
};

static IF_STATS_MSG: Body = Body {
    family: "family",
    size: 12,
    fields: &[
        ("pad1", 1, Shape::NonzeroX(1)),
        ("pad2", 2, Shape::NonzeroX(2)),
        ("ifindex", 4, Shape::Ifindex),
        ("filter_mask", 8, Shape::Flags(4, &IFSTATS_FLAGS)),
    ],
    attrs: &STATS_ATTRS,
    decoder: None,
};

static NHMSG: Body = Body {
    family: "nh_family",
    size: 8,
    fields: &[
        ("nh_scope", 1, Shape::Val(1, &SCOPES)),
        ("nh_protocol", 2, Shape::Val(1, &PROTOCOLS)),
        ("resvd", 3, Shape::NonzeroX(1)),
        ("nh_flags", 4, Shape::Flags(4, &RTNH_F)),
    ],
    attrs: &NEXTHOP_ATTRS,
    decoder: Some(nexthop_attr),
};

/// The header of each message type, by `type - RTM_BASE`.
fn body_of(kind: u16, family: u8) -> Option<&'static Body> {
    Some(match kind.checked_sub(RTM_BASE)? {
        0..=3 => &IFINFOMSG,
        4..=6 | 0x2a | 0x2e => &IFADDRMSG,
        8..=10 => &RTMSG,
        12 | 13 => &NDMSG,
        14 if family == AF_BRIDGE => &IFINFOMSG,
        14 => &NDMSG,
        16..=18 => &FIB_RULE_HDR,
        20..=22 | 24..=26 | 28..=30 | 0x54..=0x56 => &TCMSG,
        32..=34 => &TCAMSG,
        0x30 | 0x32 | 0x33 => &NDTMSG,
        0x38..=0x3a => &IFADDRLBLMSG,
        0x3e | 0x3f => &DCBMSG,
        0x40..=0x42 => &NETCONFMSG,
        0x44..=0x46 => &BR_PORT_MSG,
        0x48..=0x4a => &RTGENMSG_NSID,
        0x4c | 0x4e => &IF_STATS_MSG,
        0x58..=0x5a => &NHMSG,
        _ => return None,
    })
}

/// Prints an rtnetlink body; false for `NLMSG_DONE`, which strace shows as a number.
pub fn body_into(ctx: &Ctx, out: &mut String, hdr: &NlMsgHdr, addr: u64, len: u32) -> bool {
    if hdr.kind == super::NLMSG_DONE {
        return false;
    }
    let Some(b) = ctx.read_or_addr(out, addr, 1) else {
        return true;
    };
    let family = b[0];
    if hdr.kind == 0x60 {
        super::cachereport::body_into(ctx, out, family, addr, len);
        return true;
    }
    match body_of(hdr.kind, family) {
        Some(body) => fixed_into(ctx, out, body, family, addr, len),
        None => {
            out.push_str("{family=");
            xlat::value(out, family as u64, &AF);
            if len > 1 {
                out.push_str(", data=");
                str_into(ctx, out, addr + 1, (len - 1) as u64, HEX);
            }
            out.push('}');
        }
    }
    true
}

fn fixed_into(ctx: &Ctx, out: &mut String, body: &Body, family: u8, addr: u64, len: u32) {
    let _ = write!(out, "{{{}=", body.family);
    xlat::value(out, family as u64, &AF);
    let mut decoded = body.fields.is_empty();
    if !body.fields.is_empty() {
        out.push_str(", ");
        if len >= body.size {
            if let Some(rest) = ctx.read_or_addr(out, addr + 1, body.size as usize - 1) {
                let mut first = true;
                for &(name, off, shape) in body.fields {
                    let at = off - 1;
                    let v = match shape {
                        Shape::U(n) | Shape::X(n) | Shape::NonzeroX(n) => le(rest, at, n),
                        Shape::Val(n, _) | Shape::Flags(n, _) => le(rest, at, n),
                        Shape::Ifindex => le(rest, at, 4),
                    };
                    if matches!(shape, Shape::NonzeroX(_)) && v == 0 {
                        continue;
                    }
                    if !first {
                        out.push_str(", ");
                    }
                    first = false;
                    let _ = write!(out, "{name}=");
                    match shape {
                        Shape::U(_) => {
                            let _ = write!(out, "{v}");
                        }
                        Shape::X(_) | Shape::NonzeroX(_) => {
                            let _ = write!(out, "{}", crate::decode::structs::CHex(v));
                        }
                        Shape::Ifindex => attr::ifindex_into(out, v as u32),
                        Shape::Val(_, t) => xlat::value(out, v, t),
                        Shape::Flags(_, t) => xlat::flags(out, v, t),
                    }
                }
                decoded = true;
            }
        } else {
            out.push_str("...");
        }
    }
    out.push('}');
    let offset = (body.size + 3) & !3;
    if decoded && len > offset {
        out.push_str(", ");
        let decoder = body.decoder.as_ref().map(|f| f as attr::Decoder);
        attr::decode(
            ctx,
            out,
            addr + offset as u64,
            len - offset,
            body.attrs,
            decoder,
        );
    }
}

/// A little-endian unsigned number of `n` bytes at `off`.
fn le(b: &[u8], off: usize, n: u8) -> u64 {
    match n {
        1 => b[off] as u64,
        2 => u16_at(b, off) as u64,
        _ => u32_at(b, off) as u64,
    }
}

/// Decodes the data of the common shapes, by attribute type, from a table.
pub fn by_table(
    ctx: &Ctx,
    out: &mut String,
    table: &[(u16, Nla)],
    kind: u16,
    addr: u64,
    len: u32,
) -> bool {
    match table.iter().find(|(t, _)| *t == kind) {
        Some((_, shape)) => simple(ctx, out, *shape, addr, len),
        None => false,
    }
}

fn addr_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (3, Nla::Str),
        (8, Nla::Flags(&IFA_F, 0)),
        (9, Nla::U32),
        (10, Nla::S32),
    ];
    by_table(ctx, out, T, kind, addr, len)
}

fn route_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (3, Nla::Ifindex),
        (4, Nla::Ifindex),
        (6, Nla::U32),
        (10, Nla::U32),
        (11, Nla::U32),
        (14, Nla::U32),
        (16, Nla::U32),
        (20, Nla::U8),
        (23, Nla::U64),
        (25, Nla::U32),
        (26, Nla::U8),
        (27, Nla::U8),
        (28, Nla::U16),
        (29, Nla::U16),
    ];
    by_table(ctx, out, T, kind, addr, len)
}

fn neigh_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (4, Nla::U32),
        (5, Nla::U16),
        (6, Nla::Be16),
        (7, Nla::U32),
        (8, Nla::Ifindex),
        (9, Nla::Ifindex),
        (10, Nla::U32),
        (11, Nla::U32),
        (13, Nla::U32),
    ];
    by_table(ctx, out, T, kind, addr, len)
}

fn rule_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (3, Nla::Str),
        (4, Nla::U32),
        (6, Nla::U32),
        (10, Nla::U32),
        (11, Nla::U32),
        (12, Nla::Be64),
        (13, Nla::U32),
        (14, Nla::U32),
        (16, Nla::U32),
        (17, Nla::Str),
        (19, Nla::U8),
    ];
    by_table(ctx, out, T, kind, addr, len)
}

fn tc_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (1, Nla::Str),
        (6, Nla::U32),
        (11, Nla::U32),
        (12, Nla::U8),
        (13, Nla::U32),
        (14, Nla::U32),
        (15, Nla::U32),
    ];
    by_table(ctx, out, T, kind, addr, len)
}

fn addrlabel_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    by_table(ctx, out, &[(2, Nla::U32)], kind, addr, len)
}

fn netconf_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => simple(ctx, out, Nla::Ifindex, addr, len),
        2..=8 => simple(ctx, out, Nla::S32, addr, len),
        _ => false,
    }
}

fn nsid_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (1, Nla::S32),
        (2, Nla::U32),
        (3, Nla::Fd),
        (4, Nla::S32),
        (5, Nla::S32),
    ];
    by_table(ctx, out, T, kind, addr, len)
}

fn nexthop_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (1, Nla::U32),
        (4, Nla::U32),
        (5, Nla::Ifindex),
        (9, Nla::U32),
        (10, Nla::Ifindex),
        (11, Nla::U32),
    ];
    by_table(ctx, out, T, kind, addr, len)
}
