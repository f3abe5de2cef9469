//! `NETLINK_ROUTE` (rtnetlink) message bodies: the fixed header of each message type (`ifinfomsg`,
//! `ifaddrmsg`, `rtmsg`...) and its attribute chain.
//!
//! Design: every rtnetlink header starts with an address family byte and is printed the same way:
//! the family, then (when the payload holds the whole header and it is readable) the other fields,
//! or `...` when the payload is shorter than the header; the attributes follow the header, aligned
//! to 4 bytes. So each header is described by a [`Body`] (its size, its fields with their offsets and
//! shapes, its attribute names and decoder) and printed by one function; the attribute decoders map
//! each attribute type to a shape of `attr.rs`.

use super::attr::{self, simple, Field, Nla};
use super::header::{fixed_into, Body};
use super::{names, str_into, u16_at, Ctx, NlMsgHdr, HEX};
use crate::decode::xlat::{self, Xlat};

const RTM_BASE: u16 = 0x10;
const AF_BRIDGE: u8 = 7;

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
        ("ifi_type", 2, Field::Val(2, &ARPHRD)),
        ("ifi_index", 4, Field::Ifindex),
        ("ifi_flags", 8, Field::Flags(4, &IFF)),
        ("ifi_change", 12, Field::X(4)),
    ],
    attrs: Some(&LINK_ATTRS),
    decoder: Some(super::link::attr_into),
};

static IFADDRMSG: Body = Body {
    family: "ifa_family",
    size: 8,
    fields: &[
        ("ifa_prefixlen", 1, Field::U(1)),
        ("ifa_flags", 2, Field::Flags(1, &IFA_F)),
        ("ifa_scope", 3, Field::Val(1, &SCOPES)),
        ("ifa_index", 4, Field::Ifindex),
    ],
    attrs: Some(&ADDR_ATTRS),
    decoder: Some(addr_attr),
};

static RTMSG: Body = Body {
    family: "rtm_family",
    size: 12,
    fields: &[
        ("rtm_dst_len", 1, Field::U(1)),
        ("rtm_src_len", 2, Field::U(1)),
        ("rtm_tos", 3, Field::Flags(1, &TOS)),
        ("rtm_table", 4, Field::Val(1, &TABLES)),
        ("rtm_protocol", 5, Field::Val(1, &PROTOCOLS)),
        ("rtm_scope", 6, Field::Val(1, &SCOPES)),
        ("rtm_type", 7, Field::Val(1, &RTN)),
        ("rtm_flags", 8, Field::Flags(4, &RTM_F)),
    ],
    attrs: Some(&ROUTE_ATTRS),
    decoder: Some(route_attr),
};

static NDMSG: Body = Body {
    family: "ndm_family",
    size: 12,
    fields: &[
        ("ndm_ifindex", 4, Field::Ifindex),
        ("ndm_state", 8, Field::Flags(2, &NUD)),
        ("ndm_flags", 10, Field::Flags(1, &NTF)),
        ("ndm_type", 11, Field::Val(1, &RTN)),
    ],
    attrs: Some(&NEIGH_ATTRS),
    decoder: Some(neigh_attr),
};

static FIB_RULE_HDR: Body = Body {
    family: "family",
    size: 12,
    fields: &[
        ("dst_len", 1, Field::U(1)),
        ("src_len", 2, Field::U(1)),
        ("tos", 3, Field::Flags(1, &TOS)),
        ("table", 4, Field::Val(1, &RULE_TABLES)),
        ("action", 7, Field::Val(1, &FR_ACT)),
        ("flags", 8, Field::Flags(4, &FIB_RULE)),
    ],
    attrs: Some(&RULE_ATTRS),
    decoder: Some(rule_attr),
};

static TCMSG: Body = Body {
    family: "tcm_family",
    size: 20,
    fields: &[
        ("tcm_ifindex", 4, Field::Ifindex),
        ("tcm_handle", 8, Field::U(4)),
        ("tcm_parent", 12, Field::U(4)),
        ("tcm_info", 16, Field::U(4)),
    ],
    attrs: Some(&TC_ATTRS),
    decoder: Some(tc_attr),
};

static TCAMSG: Body = Body {
    family: "tca_family",
    size: 4,
    fields: &[],
    attrs: Some(&TC_ACTION_ATTRS),
    decoder: Some(tc_action_attr),
};

static NDTMSG: Body = Body {
    family: "ndtm_family",
    size: 4,
    fields: &[],
    attrs: Some(&NEIGHTBL_ATTRS),
    decoder: Some(neightbl_attr),
};

static IFADDRLBLMSG: Body = Body {
    family: "ifal_family",
    size: 12,
    fields: &[
        ("ifal_prefixlen", 2, Field::U(1)),
        ("ifal_flags", 3, Field::U(1)),
        ("ifal_index", 4, Field::Ifindex),
        ("ifal_seq", 8, Field::U(4)),
    ],
    attrs: Some(&ADDRLABEL_ATTRS),
    decoder: Some(addrlabel_attr),
};

static DCBMSG: Body = Body {
    family: "dcb_family",
    size: 4,
    fields: &[("cmd", 1, Field::Val(1, &DCB_CMD))],
    attrs: Some(&DCB_ATTRS),
    decoder: None,
};

static NETCONFMSG: Body = Body {
    family: "ncm_family",
    size: 1,
    fields: &[],
    attrs: Some(&NETCONF_ATTRS),
    decoder: Some(netconf_attr),
};

static BR_PORT_MSG: Body = Body {
    family: "family",
    size: 8,
    fields: &[("ifindex", 4, Field::Ifindex)],
    attrs: Some(&MDB_ATTRS),
    decoder: Some(super::mdb::attr_into),
};

static RTGENMSG_NSID: Body = Body {
    family: "rtgen_family",
    size: 1,
    fields: &[],
    attrs: Some(&NSID_ATTRS),
    decoder: Some(nsid_attr),
};

static IF_STATS_MSG: Body = Body {
    family: "family",
    size: 12,
    fields: &[
        ("pad1", 1, Field::NonzeroX(1)),
        ("pad2", 2, Field::NonzeroX(2)),
        ("ifindex", 4, Field::Ifindex),
        ("filter_mask", 8, Field::Flags(4, &IFSTATS_FLAGS)),
    ],
    attrs: Some(&STATS_ATTRS),
    decoder: Some(super::stats::attr_into),
};

static NHMSG: Body = Body {
    family: "nh_family",
    size: 8,
    fields: &[
        ("nh_scope", 1, Field::Val(1, &SCOPES)),
        ("nh_protocol", 2, Field::Val(1, &PROTOCOLS)),
        ("resvd", 3, Field::NonzeroX(1)),
        ("nh_flags", 4, Field::Flags(4, &RTNH_F)),
    ],
    attrs: Some(&NEXTHOP_ATTRS),
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

static LWT_ENCAP: Xlat = x(names::LWTUNNEL_ENCAP_TYPES, "LWTUNNEL_ENCAP_???");
static IPPROTO: Xlat = x(names::INET_PROTOCOLS, "IPPROTO_???");
static METRICS_ATTRS: Xlat = x(names::RTNL_RTA_METRICS_ATTRS, "RTAX_???");
static NTF_EXT: Xlat = x(names::NEIGHBOR_CACHE_ENTRY_EXT_FLAGS, "NTF_EXT_???");
static FDB_EXT_ATTRS: Xlat = x(names::RTNL_NEIGH_FDB_EXT_ATTRS, "NFEA_???");
static FDB_NOTIFY: Xlat = x(names::FDB_NOTIFY_FLAGS, "FDB_NOTIFY_???");

const U32_PAIR: &[(&str, usize, Field)] = &[("start", 0, Field::U(4)), ("end", 4, Field::U(4))];
const U16_PAIR: &[(&str, usize, Field)] = &[("start", 0, Field::U(2)), ("end", 2, Field::U(2))];

fn addr_attr(ctx: &Ctx, out: &mut String, hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (3, Nla::Str),
        (8, Nla::Flags(&IFA_F, 4)),
        (9, Nla::U32),
        (10, Nla::S32),
    ];
    match kind {
        1 | 2 | 4 | 5 | 7 => attr::inet_addr_data(ctx, out, hdr[0], addr, len),
        6 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            16,
            &[
                ("ifa_prefered", 0, Field::U(4)),
                ("ifa_valid", 4, Field::U(4)),
                ("cstamp", 8, Field::U(4)),
                ("tstamp", 12, Field::U(4)),
            ],
        ),
        _ => by_table(ctx, out, T, kind, addr, len),
    }
}

fn route_attr(ctx: &Ctx, out: &mut String, hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (3, Nla::Ifindex),
        (4, Nla::Ifindex),
        (6, Nla::U32),
        (10, Nla::U32),
        (11, Nla::U32),
        (14, Nla::U32),
        (15, Nla::Xval(&TABLES, 4)),
        (16, Nla::U32),
        (20, Nla::U8),
        (21, Nla::Xval(&LWT_ENCAP, 2)),
        (23, Nla::U64),
        (25, Nla::U32),
        (26, Nla::U8),
        (27, Nla::U8),
        (28, Nla::U16),
        (29, Nla::U16),
    ];
    match kind {
        1 | 2 | 5 | 7 | 19 => attr::inet_addr_data(ctx, out, hdr[0], addr, len),
        8 => {
            attr::decode(ctx, out, addr, len, &METRICS_ATTRS, Some(&metrics_attr));
            true
        }
        9 => multipath_into(ctx, out, hdr, addr, len),
        12 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            32,
            &[
                ("rta_clntref", 0, Field::U(4)),
                ("rta_lastuse", 4, Field::U(4)),
                ("rta_expires", 8, Field::U(4)),
                ("rta_error", 12, Field::U(4)),
                ("rta_used", 16, Field::U(4)),
                ("rta_id", 20, Field::X(4)),
                ("rta_ts", 24, Field::U(4)),
                ("rta_tsage", 28, Field::U(4)),
            ],
        ),
        17 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            24,
            &[
                ("mfcs_packets", 0, Field::U(8)),
                ("mfcs_bytes", 8, Field::U(8)),
                ("mfcs_wrong_if", 16, Field::U(8)),
            ],
        ),
        18 => {
            // struct rtvia: a family and an address of that family.
            if len < 2 {
                return false;
            }
            if let Some(b) = ctx.read_or_addr(out, addr, 2) {
                out.push_str("{rtvia_family=");
                let family = u16_at(b, 0);
                xlat::value(out, family as u64, &AF);
                if len > 2 {
                    out.push_str(", ");
                    attr::inet_addr_var(
                        ctx,
                        out,
                        family as u8,
                        addr + 2,
                        len - 2,
                        Some("rtvia_addr"),
                    );
                }
                out.push('}');
            }
            true
        }
        _ => by_table(ctx, out, T, kind, addr, len),
    }
}

fn metrics_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1..=15 => simple(ctx, out, Nla::U32, addr, len),
        16 => simple(ctx, out, Nla::Str, addr, len),
        _ => false,
    }
}

/// `RTA_MULTIPATH`: `struct rtnexthop`s, each followed by route attributes.
fn multipath_into(ctx: &Ctx, out: &mut String, hdr: &[u8], addr: u64, len: u32) -> bool {
    const SIZE: u32 = 8;
    if len < SIZE {
        return false;
    }
    let mut in_array = false;
    let mut cur = addr;
    let mut left = len;
    while let Some(b) = ctx.read_or_addr(out, cur, SIZE as usize) {
        let nh_len = u16_at(b, 0) as u32;
        let shown = left.min(nh_len);
        if cur == addr && nh_len < len {
            out.push('[');
            in_array = true;
        }
        if cur > addr {
            out.push_str(", ");
        }
        if shown > SIZE {
            out.push('[');
        }
        out.push('{');
        attr::fields_into(
            out,
            b,
            &[
                ("rtnh_len", 0, Field::U(2)),
                ("rtnh_flags", 2, Field::Flags(1, &RTNH_F)),
                ("rtnh_hops", 3, Field::U(1)),
                ("rtnh_ifindex", 4, Field::Ifindex),
            ],
        );
        out.push('}');
        if shown > SIZE {
            out.push_str(", ");
            let d = |c: &Ctx, o: &mut String, t, a, l| route_attr(c, o, hdr, t, a, l);
            attr::decode(
                ctx,
                out,
                cur + SIZE as u64,
                shown - SIZE,
                &ROUTE_ATTRS,
                Some(&d),
            );
            out.push(']');
        }
        let step = (shown + 3) & !3;
        if step >= left {
            break;
        }
        cur += step as u64;
        left -= step;
    }
    if in_array {
        out.push(']');
    }
    true
}

fn neigh_attr(ctx: &Ctx, out: &mut String, hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (4, Nla::U32),
        (5, Nla::U16),
        (6, Nla::Be16),
        (7, Nla::U32),
        (8, Nla::Ifindex),
        (9, Nla::Ifindex),
        (10, Nla::U32),
        (11, Nla::U32),
        (12, Nla::Xval(&IPPROTO, 0)),
        (13, Nla::U32),
        (15, Nla::Flags(&NTF_EXT, 4)),
        (16, Nla::Flags(&NUD, 2)),
        (17, Nla::Flags(&NTF, 1)),
    ];
    match kind {
        1 => attr::inet_addr_data(ctx, out, hdr[0], addr, len),
        2 => attr::hwaddr_data(ctx, out, addr, len, None),
        3 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            16,
            &[
                ("ndm_confirmed", 0, Field::U(4)),
                ("ndm_used", 4, Field::U(4)),
                ("ndm_updated", 8, Field::U(4)),
                ("ndm_refcnt", 12, Field::U(4)),
            ],
        ),
        14 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l| {
                t == 1 && simple(c, o, Nla::Flags(&FDB_NOTIFY, 1), a, l)
            };
            attr::decode(ctx, out, addr, len, &FDB_EXT_ATTRS, Some(&d));
            true
        }
        _ => by_table(ctx, out, T, kind, addr, len),
    }
}

fn rule_attr(ctx: &Ctx, out: &mut String, hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (3, Nla::Str),
        (4, Nla::U32),
        (6, Nla::U32),
        (10, Nla::U32),
        (11, Nla::U32),
        (12, Nla::Be64),
        (13, Nla::U32),
        (14, Nla::U32),
        (15, Nla::Xval(&TABLES, 4)),
        (16, Nla::U32),
        (17, Nla::Str),
        (19, Nla::U8),
        (21, Nla::Xval(&PROTOCOLS, 1)),
        (22, Nla::Xval(&IPPROTO, 0)),
    ];
    match kind {
        1 | 2 => attr::inet_addr_data(ctx, out, hdr[0], addr, len),
        20 => attr::struct_data(ctx, out, addr, len, 8, U32_PAIR),
        23 | 24 => attr::struct_data(ctx, out, addr, len, 4, U16_PAIR),
        _ => by_table(ctx, out, T, kind, addr, len),
    }
}

fn tc_attr(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        3 => return super::tc::tc_stats_data(ctx, out, addr, len),
        5 => return super::tc::estimator_data(ctx, out, addr, len),
        7 => return super::tc::stats_data(ctx, out, addr, len),
        8 => return super::tc::stab_data(ctx, out, addr, len),
        _ => {}
    }
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

fn addrlabel_attr(ctx: &Ctx, out: &mut String, hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => attr::inet_addr_data(ctx, out, hdr[0], addr, len),
        _ => by_table(ctx, out, &[(2, Nla::U32)], kind, addr, len),
    }
}

fn netconf_attr(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => simple(ctx, out, Nla::Ifindex, addr, len),
        2..=8 => simple(ctx, out, Nla::S32, addr, len),
        _ => false,
    }
}

fn nsid_attr(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    const T: &[(u16, Nla)] = &[
        (1, Nla::S32),
        (2, Nla::U32),
        (3, Nla::Fd),
        (4, Nla::S32),
        (5, Nla::S32),
    ];
    by_table(ctx, out, T, kind, addr, len)
}

static NH_GRP_TYPES: Xlat = x(names::RTNL_NEXTHOP_GRP_TYPES, "NEXTHOP_GRP_TYPE_???");
static NHA_RES_GROUP_ATTRS: Xlat = x(names::RTNL_NHA_RES_GROUP_ATTRS, "NHA_RES_GROUP_???");
static NHA_RES_BUCKET_ATTRS: Xlat = x(names::RTNL_NHA_RES_BUCKET_ATTRS, "NHA_RES_BUCKET_???");

fn nexthop_attr(ctx: &Ctx, out: &mut String, hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        2 => {
            if len < 8 {
                return false;
            }
            attr::array_into(ctx, out, addr, len, 8, |o, b| {
                o.push('{');
                attr::fields_into(
                    o,
                    b,
                    &[
                        ("id", 0, Field::U(4)),
                        ("weight", 4, Field::U(1)),
                        ("resvd1", 5, Field::NonzeroX(1)),
                        ("resvd2", 6, Field::NonzeroX(2)),
                    ],
                );
                o.push('}');
            });
            return true;
        }
        3 => return simple(ctx, out, Nla::Xval(&NH_GRP_TYPES, 2), addr, len),
        6 => return attr::inet_addr_data(ctx, out, hdr[0], addr, len),
        7 => return simple(ctx, out, Nla::Xval(&LWT_ENCAP, 2), addr, len),
        12 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l| match t {
                1 => simple(c, o, Nla::U16, a, l),
                2..=4 => simple(c, o, Nla::ClockT, a, l),
                _ => false,
            };
            attr::decode(ctx, out, addr, len, &NHA_RES_GROUP_ATTRS, Some(&d));
            return true;
        }
        13 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l| match t {
                1 => simple(c, o, Nla::U16, a, l),
                2 => simple(c, o, Nla::ClockT, a, l),
                3 => simple(c, o, Nla::U32, a, l),
                _ => false,
            };
            attr::decode(ctx, out, addr, len, &NHA_RES_BUCKET_ATTRS, Some(&d));
            return true;
        }
        _ => {}
    }
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

static TCA_ACT_FLAGS: Xlat = x(names::RTNL_TCA_ACT_FLAGS, "TCA_ACT_FLAGS_???");
static TCA_ACT_HW_STATS: Xlat = x(names::RTNL_TCA_ACT_HW_STATS, "TCA_ACT_HW_STATS_???");

fn tc_action_attr(
    ctx: &Ctx,
    out: &mut String,
    _hdr: &[u8],
    kind: u16,
    addr: u64,
    len: u32,
) -> bool {
    const T: &[(u16, Nla)] = &[
        (1, Nla::Str),
        (3, Nla::U32),
        (7, Nla::Flags(&TCA_ACT_FLAGS, 4)),
        (8, Nla::Flags(&TCA_ACT_HW_STATS, 4)),
        (9, Nla::Flags(&TCA_ACT_HW_STATS, 4)),
        (10, Nla::U32),
    ];
    match kind {
        4 => super::tc::stats_data(ctx, out, addr, len),
        _ => by_table(ctx, out, T, kind, addr, len),
    }
}

static NDTPA_ATTRS: Xlat = x(names::RTNL_NEIGHTBL_PARMS_ATTRS, "NDTPA_???");

const NDT_STATS: [&str; 11] = [
    "ndts_allocs",
    "ndts_destroys",
    "ndts_hash_grows",
    "ndts_res_failed",
    "ndts_lookups",
    "ndts_hits",
    "ndts_rcv_probes_mcast",
    "ndts_rcv_probes_ucast",
    "ndts_periodic_gc_runs",
    "ndts_forced_gc_runs",
    "ndts_table_fulls",
];

fn neightbl_attr(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => simple(ctx, out, Nla::Str, addr, len),
        2..=4 => simple(ctx, out, Nla::U32, addr, len),
        5 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            32,
            &[
                ("ndtc_key_len", 0, Field::U(2)),
                ("ndtc_entry_size", 2, Field::U(2)),
                ("ndtc_entries", 4, Field::U(4)),
                ("ndtc_last_flush", 8, Field::U(4)),
                ("ndtc_last_rand", 12, Field::U(4)),
                ("ndtc_hash_rnd", 16, Field::U(4)),
                ("ndtc_hash_mask", 20, Field::X0(4)),
                ("ndtc_hash_chain_gc", 24, Field::U(4)),
                ("ndtc_proxy_qlen", 28, Field::U(4)),
            ],
        ),
        6 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l| match t {
                1 => simple(c, o, Nla::Ifindex, a, l),
                2 | 8..=11 | 14 | 16 | 17 => simple(c, o, Nla::U32, a, l),
                3..=7 | 12 | 13 | 15 | 19 => simple(c, o, Nla::U64, a, l),
                _ => false,
            };
            attr::decode(ctx, out, addr, len, &NDTPA_ATTRS, Some(&d));
            true
        }
        7 => {
            let n = if len >= 88 {
                11
            } else if len == 80 {
                10
            } else {
                return false;
            };
            if let Some(b) = ctx.read_or_addr(out, addr, n * 8) {
                out.push('{');
                for (i, name) in NDT_STATS.iter().take(n).enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(name);
                    out.push('=');
                    out.push_str(&attr::le(b, i * 8, 8).to_string());
                }
                out.push('}');
            }
            true
        }
        8 => simple(ctx, out, Nla::U64, addr, len),
        _ => false,
    }
}
