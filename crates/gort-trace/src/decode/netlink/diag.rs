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

static IDIAG_EXT: Xlat = x(names::INET_DIAG_EXTENDED_FLAGS, "1<<INET_DIAG_???-1");
static IPPROTO: Xlat = x(names::INET_PROTOCOLS, "IPPROTO_???");
static INET_DIAG_REQ_ATTRS: Xlat = x(names::INET_DIAG_REQ_ATTRS, "INET_DIAG_REQ_???");
static BYTECODES: Xlat = x(names::INET_DIAG_BYTECODES, "INET_DIAG_BC_???");

/// A `struct inet_diag_sockid` at `off` of a header whose family is its first byte.
fn sockid_into(out: &mut String, b: &[u8], off: usize) {
    let id = &b[off..off + 48];
    let family = b[0];
    let _ = write!(
        out,
        "{{idiag_sport=htons({}), idiag_dport=htons({}), ",
        u16::from_be_bytes([id[0], id[1]]),
        u16::from_be_bytes([id[2], id[3]])
    );
    attr::inet_addr_into(out, family, &id[4..20], Some("idiag_src"));
    out.push_str(", ");
    attr::inet_addr_into(out, family, &id[20..36], Some("idiag_dst"));
    out.push_str(", idiag_if=");
    attr::ifindex_into(out, super::u32_at(id, 36));
    let _ = write!(
        out,
        ", idiag_cookie=[{}, {}]}}",
        super::u32_at(id, 40),
        super::u32_at(id, 44)
    );
}

static INET_DIAG_REQ: Body = Body {
    family: "idiag_family",
    size: 60,
    fields: &[
        ("idiag_src_len", 1, Field::U(1)),
        ("idiag_dst_len", 2, Field::U(1)),
        ("idiag_ext", 3, Field::Flags(1, &IDIAG_EXT)),
        ("id", 4, Field::Custom(sockid_into)),
        ("idiag_states", 52, Field::Flags(4, &TCP_STATE_FLAGS)),
        ("idiag_dbs", 56, Field::U(4)),
    ],
    attrs: Some(&INET_DIAG_REQ_ATTRS),
    decoder: Some(inet_req_attr),
};

static INET_DIAG_REQ_V2: Body = Body {
    family: "sdiag_family",
    size: 56,
    fields: &[
        ("sdiag_protocol", 1, Field::Val(1, &IPPROTO)),
        ("idiag_ext", 2, Field::Flags(1, &IDIAG_EXT)),
        ("idiag_states", 4, Field::Flags(4, &TCP_STATE_FLAGS)),
        ("id", 8, Field::Custom(sockid_into)),
    ],
    attrs: Some(&INET_DIAG_REQ_ATTRS),
    decoder: Some(inet_req_attr),
};

const TCPDIAG_GETSOCK: u16 = 18;
const DCCPDIAG_GETSOCK: u16 = 19;

fn bc_op_into(out: &mut String, b: &[u8]) {
    out.push('{');
    attr::fields_into(
        out,
        b,
        &[
            ("code", 0, Field::Val(1, &BYTECODES)),
            ("yes", 1, Field::U(1)),
            ("no", 2, Field::U(2)),
        ],
    );
    out.push('}');
}

/// `INET_DIAG_REQ_BYTECODE`: an operation and the data its code takes.
fn inet_req_attr(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => {
            if len < 4 {
                return false;
            }
            let Some(b) = ctx.read_or_addr(out, addr, 4) else {
                return true;
            };
            bc_op_into(out, b);
            if len > 4 {
                out.push_str(", ");
                bytecode_data(ctx, out, b[0], addr + 4, len - 4);
            }
            true
        }
        3 => simple(ctx, out, Nla::Xval(&IPPROTO, 0), addr, len),
        _ => false,
    }
}

fn bytecode_data(ctx: &Ctx, out: &mut String, code: u8, addr: u64, len: u32) {
    let hex = |out: &mut String| str_into(ctx, out, addr, len as u64, HEX);
    match code {
        // INET_DIAG_BC_S_COND, INET_DIAG_BC_D_COND: struct inet_diag_hostcond and an address.
        7 | 8 => {
            if len < 8 {
                return hex(out);
            }
            let Some(b) = ctx.read_or_addr(out, addr, 8) else {
                return;
            };
            out.push_str("{family=");
            xlat::value(out, b[0] as u64, &AF);
            let _ = write!(
                out,
                ", prefix_len={}, port={}",
                b[1],
                super::u32_at(b, 4) as i32
            );
            if len > 8 {
                out.push_str(", ");
                attr::inet_addr_var(ctx, out, b[0], addr + 8, len - 8, Some("addr"));
            }
            out.push('}');
        }
        // INET_DIAG_BC_DEV_COND: an interface index.
        9 => {
            if len < 4 {
                return hex(out);
            }
            if let Some(b) = ctx.read_or_addr(out, addr, 4) {
                attr::ifindex_into(out, super::u32_at(b, 0));
            }
        }
        // INET_DIAG_BC_{S,D}_{GE,LE}: another operation.
        2..=5 => {
            if len < 4 {
                return hex(out);
            }
            if let Some(b) = ctx.read_or_addr(out, addr, 4) {
                bc_op_into(out, b);
            }
        }
        // INET_DIAG_BC_MARK_COND: struct inet_diag_markcond.
        10 => {
            if len < 8 {
                return hex(out);
            }
            if let Some(b) = ctx.read_or_addr(out, addr, 8) {
                let _ = write!(
                    out,
                    "{{mark={}, mask={}}}",
                    super::u32_at(b, 0),
                    super::u32_at(b, 4)
                );
            }
        }
        _ => hex(out),
    }
}

const AF_UNIX: u8 = 1;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
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
        (AF_INET | AF_INET6, true) if matches!(hdr.kind, TCPDIAG_GETSOCK | DCCPDIAG_GETSOCK) => {
            Some(&INET_DIAG_REQ)
        }
        (AF_INET | AF_INET6, true) => Some(&INET_DIAG_REQ_V2),
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
