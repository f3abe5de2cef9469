//! `NETLINK_SOCK_DIAG` message bodies: socket-diagnostics requests and replies, one header and
//! attribute set per address family (`unix_diag_req`, `netlink_diag_msg`...). A request is a message
//! with `NLM_F_REQUEST`; anything else is a reply.

use super::attr::{self, simple, Field, Nla};
use super::header::{fixed_into, Body};
use super::{names, str_into, Ctx, NlMsgHdr, HEX};
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const NLM_F_REQUEST: u16 = 1;

const fn x(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
    Xlat::hex(names, unknown)
}

static AF: Xlat = x(names::ADDRFAMS, "AF_???");
static TCP_STATE_FLAGS: Xlat = x(names::TCP_STATE_FLAGS, "1<<TCP_???");
static TCP_STATES: Xlat = x(names::TCP_STATES, "TCP_???");
static SOCKTYPES: Xlat = x(names::SOCKTYPES, "SOCK_???");
static UDIAG_SHOW: Xlat = x(names::UNIX_DIAG_SHOW, "UDIAG_SHOW_???");
static UNIX_DIAG_ATTRS: Xlat = x(names::UNIX_DIAG_ATTRS, "UNIX_DIAG_???");
static NETLINK_PROTOCOLS: Xlat = x(names::NETLINK_PROTOCOLS, "NETLINK_???");
static NDIAG_PROTO_ALL: Xlat = x(&[(255, "NDIAG_PROTO_ALL")], "");
static NETLINK_STATES: Xlat = x(names::NETLINK_STATES, "NETLINK_???");
static NDIAG_SHOW: Xlat = x(names::NETLINK_DIAG_SHOW, "NDIAG_SHOW_???");
static NETLINK_DIAG_ATTRS: Xlat = x(names::NETLINK_DIAG_ATTRS, "NETLINK_DIAG_???");
static NDIAG_FLAGS: Xlat = x(names::NETLINK_SOCKET_FLAGS, "NDIAG_FLAG_???");
static MEMINFO_INDICES: Xlat = Xlat::dec(names::NETLINK_SK_MEMINFO_INDICES, "SK_MEMINFO_???");

static UNIX_DIAG_REQ: Body = Body {
    family: "sdiag_family",
    size: 24,
    fields: &[
        ("sdiag_protocol", 1, Field::U(1)),
        ("udiag_states", 4, Field::Flags(4, &TCP_STATE_FLAGS)),
        ("udiag_ino", 8, Field::U(4)),
        ("udiag_show", 12, Field::Flags(4, &UDIAG_SHOW)),
        ("udiag_cookie", 16, Field::Cookie),
    ],
    attrs: None,
    decoder: None,
};

static UNIX_DIAG_MSG: Body = Body {
    family: "udiag_family",
    size: 16,
    fields: &[
        ("udiag_type", 1, Field::Val(1, &SOCKTYPES)),
        ("udiag_state", 2, Field::Val(1, &TCP_STATES)),
        ("udiag_ino", 4, Field::U(4)),
        ("udiag_cookie", 8, Field::Cookie),
    ],
    attrs: Some(&UNIX_DIAG_ATTRS),
    decoder: Some(unix_attr),
};

static NETLINK_DIAG_REQ: Body = Body {
    family: "sdiag_family",
    size: 20,
    fields: &[
        (
            "sdiag_protocol",
            1,
            Field::Val2(1, &NETLINK_PROTOCOLS, &NDIAG_PROTO_ALL),
        ),
        ("ndiag_ino", 4, Field::U(4)),
        ("ndiag_show", 8, Field::Flags(4, &NDIAG_SHOW)),
        ("ndiag_cookie", 12, Field::Cookie),
    ],
    attrs: None,
    decoder: None,
};

static NETLINK_DIAG_MSG: Body = Body {
    family: "ndiag_family",
    size: 28,
    fields: &[
        ("ndiag_type", 1, Field::Val(1, &SOCKTYPES)),
        ("ndiag_protocol", 2, Field::Val(1, &NETLINK_PROTOCOLS)),
        ("ndiag_state", 3, Field::Val(1, &NETLINK_STATES)),
        ("ndiag_portid", 4, Field::U(4)),
        ("ndiag_dst_portid", 8, Field::U(4)),
        ("ndiag_dst_group", 12, Field::U(4)),
        ("ndiag_ino", 16, Field::U(4)),
        ("ndiag_cookie", 20, Field::Cookie),
    ],
    attrs: Some(&NETLINK_DIAG_ATTRS),
    decoder: Some(netlink_attr),
};

const AF_UNIX: u8 = 1;
const AF_NETLINK: u8 = 16;

/// Prints a sock_diag body; false for `NLMSG_DONE`.
pub fn body_into(ctx: &Ctx, out: &mut String, hdr: &NlMsgHdr, addr: u64, len: u32) -> bool {
    if hdr.kind == super::NLMSG_DONE {
        return false;
    }
    let Some(b) = ctx.read_or_addr(out, addr, 1) else {
        return true;
    };
    let family = b[0];
    let request = hdr.flags & NLM_F_REQUEST != 0;
    let body = match (family, request) {
        (AF_UNIX, true) => Some(&UNIX_DIAG_REQ),
        (AF_UNIX, false) => Some(&UNIX_DIAG_MSG),
        (AF_NETLINK, true) => Some(&NETLINK_DIAG_REQ),
        (AF_NETLINK, false) => Some(&NETLINK_DIAG_MSG),
        _ => None,
    };
    match body {
        Some(body) if len > 1 => fixed_into(ctx, out, body, family, addr, len),
        _ => {
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

/// `*_DIAG_MEMINFO`: `[[SK_MEMINFO_RMEM_ALLOC]=1, ...]`.
pub fn meminfo_data(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    if len < 4 {
        return false;
    }
    attr::array_indexed_into(ctx, out, addr, len, 4, Some(&MEMINFO_INDICES), |o, b| {
        let _ = write!(o, "{}", super::u32_at(b, 0));
    });
    true
}

fn u32_array(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    if len < 4 {
        return false;
    }
    attr::array_into(ctx, out, addr, len, 4, |o, b| {
        let _ = write!(o, "{}", super::u32_at(b, 0));
    });
    true
}

fn unix_attr(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        0 => simple(ctx, out, Nla::Str, addr, len),
        1 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            8,
            &[
                ("udiag_vfs_dev", 4, Field::Dev),
                ("udiag_vfs_ino", 0, Field::U(4)),
            ],
        ),
        2 => simple(ctx, out, Nla::U32, addr, len),
        3 => u32_array(ctx, out, addr, len),
        4 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            8,
            &[
                ("udiag_rqueue", 0, Field::U(4)),
                ("udiag_wqueue", 4, Field::U(4)),
            ],
        ),
        5 => meminfo_data(ctx, out, addr, len),
        6 => simple(ctx, out, Nla::U8, addr, len),
        7 => simple(ctx, out, Nla::Uid, addr, len),
        _ => false,
    }
}

fn netlink_attr(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        0 => meminfo_data(ctx, out, addr, len),
        1 => {
            if len < 8 {
                return false;
            }
            attr::array_into(ctx, out, addr, len, 8, |o, b| {
                attr::hex0_into(o, super::u64_at(b, 0), 8);
            });
            true
        }
        2 | 3 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            16,
            &[
                ("ndr_block_size", 0, Field::U(4)),
                ("ndr_block_nr", 4, Field::U(4)),
                ("ndr_frame_size", 8, Field::U(4)),
                ("ndr_frame_nr", 12, Field::U(4)),
            ],
        ),
        4 => simple(ctx, out, Nla::Flags(&NDIAG_FLAGS, 4), addr, len),
        _ => false,
    }
}
