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
pub fn sockid_into(out: &mut String, b: &[u8], off: usize) {
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

static INET_DIAG_ATTRS: Xlat = x(names::INET_DIAG_ATTRS, "INET_DIAG_???");
static SHUTDOWN_FLAGS: Xlat = x(names::INET_DIAG_SHUTDOWN_FLAGS, "???_SHUTDOWN");
static ULP_ATTRS: Xlat = x(names::INET_DIAG_ULP_INFO_ATTRS, "INET_ULP_INFO_???");
static TLS_ATTRS: Xlat = x(names::INET_DIAG_ULP_INFO_TLS_ATTRS, "TLS_INFO_???");
static TLS_VERSIONS: Xlat = x(names::TLS_INFO_VERSIONS, "TLS_???_VERSION");
static TLS_CIPHERS: Xlat = x(names::TLS_INFO_CIPHERS, "TLS_CIPHER_???");
static TLS_CONFIGS: Xlat = x(names::TLS_INFO_CONFIGS, "TLS_CONF_???");
static MPTCP_ATTRS: Xlat = x(
    names::INET_DIAG_ULP_INFO_MPTCP_ATTRS,
    "MPTCP_SUBFLOW_ATTR_???",
);
static MPTCP_FLAGS: Xlat = x(names::MPTCP_SUBFLOW_FLAGS, "MPTCP_SUBFLOW_FLAG_???");
static BPF_STORAGES_ATTRS: Xlat = x(
    names::INET_DIAG_BPF_STORAGES_ATTRS,
    "SK_DIAG_BPF_STORAGE_???",
);
static BPF_STORAGE_ATTRS: Xlat = x(
    names::INET_DIAG_BPF_STORAGE_ATTRS,
    "SK_DIAG_BPF_STORAGE_???",
);

static INET_DIAG_MSG: Body = Body {
    family: "idiag_family",
    size: 72,
    fields: &[
        ("idiag_state", 1, Field::Val(1, &TCP_STATES)),
        ("idiag_timer", 2, Field::U(1)),
        ("idiag_retrans", 3, Field::U(1)),
        ("id", 4, Field::Custom(sockid_into)),
        ("idiag_expires", 52, Field::U(4)),
        ("idiag_rqueue", 56, Field::U(4)),
        ("idiag_wqueue", 60, Field::U(4)),
        ("idiag_uid", 64, Field::U(4)),
        ("idiag_inode", 68, Field::U(4)),
    ],
    attrs: Some(&INET_DIAG_ATTRS),
    decoder: Some(inet_msg_attr),
};

fn u32s(names: &'static [&'static str]) -> impl Fn(&Ctx, &mut String, u64, u32) -> bool {
    move |ctx, out, addr, len| {
        let size = 4 * names.len() as u32;
        if len < size {
            return false;
        }
        if let Some(b) = ctx.read_or_addr(out, addr, size as usize) {
            out.push('{');
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{n}={}", super::u32_at(b, 4 * i));
            }
            out.push('}');
        }
        true
    }
}

fn inet_msg_attr(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => u32s(&["idiag_rmem", "idiag_wmem", "idiag_fmem", "idiag_tmem"])(ctx, out, addr, len),
        3 => u32s(&["tcpv_enabled", "tcpv_rttcnt", "tcpv_rtt", "tcpv_minrtt"])(ctx, out, addr, len),
        4 => simple(ctx, out, Nla::Str, addr, len),
        5 | 6 | 11 => simple(ctx, out, Nla::U8, addr, len),
        7 => meminfo_data(ctx, out, addr, len),
        8 => {
            if !(1..=8).contains(&len) {
                return false;
            }
            // strace shows these with their numbers: the names are not part of the UAPI.
            if let Some(b) = ctx.read_or_addr(out, addr, 1) {
                let v = b[0] as u64;
                if xlat::style() == xlat::Style::Raw || v == 0 {
                    let _ = write!(out, "{}", crate::decode::structs::CHex(v));
                } else {
                    let mut names: Vec<String> = Vec::new();
                    let mut rest = v;
                    for &(bit, name) in SHUTDOWN_FLAGS.names {
                        if rest & bit != 0 {
                            names.push(name.to_string());
                            rest &= !bit;
                        }
                    }
                    if names.is_empty() {
                        let _ = write!(out, "{v:#x} /* {} */", SHUTDOWN_FLAGS.unknown);
                    } else {
                        if rest != 0 {
                            names.push(format!("{rest:#x}"));
                        }
                        let _ = write!(out, "{v:#x} /* {} */", names.join("|"));
                    }
                }
            }
            true
        }
        9 => {
            if len < 16 {
                return false;
            }
            if let Some(b) = ctx.read_or_addr(out, addr, 16) {
                out.push('{');
                attr::fields_into(
                    out,
                    b,
                    &[
                        ("dctcp_enabled", 0, Field::U(2)),
                        ("dctcp_ce_state", 2, Field::U(2)),
                        ("dctcp_alpha", 4, Field::U(4)),
                        ("dctcp_ab_ecn", 8, Field::U(4)),
                        ("dctcp_ab_tot", 12, Field::U(4)),
                    ],
                );
                out.push('}');
            }
            true
        }
        10 => simple(ctx, out, Nla::Xval(&IPPROTO, 0), addr, len),
        12 | 13 => {
            if len < 128 {
                return false;
            }
            attr::array_into(ctx, out, addr, len, 128, |o, b| {
                crate::decode::socket::sockaddr::sockaddr_into(o, b)
            });
            true
        }
        15 | 17 => simple(ctx, out, Nla::U32, addr, len),
        16 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            20,
            &[
                ("bbr_bw_lo", 0, Field::X(4)),
                ("bbr_bw_hi", 4, Field::X(4)),
                ("bbr_min_rtt", 8, Field::U(4)),
                ("bbr_pacing_gain", 12, Field::U(4)),
                ("bbr_cwnd_gain", 16, Field::U(4)),
            ],
        ),
        18 => {
            if len < 100 {
                return false;
            }
            attr::array_into(ctx, out, addr, len, 100, |o, b| {
                o.push_str("{tcpm_family=");
                xlat::value(o, b[0] as u64, &AF);
                let keylen = u16::from_ne_bytes([b[2], b[3]]);
                let _ = write!(o, ", tcpm_prefixlen={}, tcpm_keylen={keylen}, ", b[1]);
                attr::inet_addr_into(o, b[0], &b[4..20], Some("tcpm_addr"));
                o.push_str(", tcpm_key=");
                crate::decode::strings::quote_into(o, &b[20..20 + (keylen as usize).min(80)], true);
                o.push('}');
            });
            true
        }
        19 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l: u32| match t {
                1 => simple(c, o, Nla::Str, a, l),
                2 => {
                    let tls = |c: &Ctx, o: &mut String, t: u16, a, l| match t {
                        1 => simple(c, o, Nla::Xval(&TLS_VERSIONS, 2), a, l),
                        2 => simple(c, o, Nla::Xval(&TLS_CIPHERS, 2), a, l),
                        3 | 4 => simple(c, o, Nla::Xval(&TLS_CONFIGS, 2), a, l),
                        _ => false,
                    };
                    attr::decode(c, o, a, l, &TLS_ATTRS, Some(&tls));
                    true
                }
                3 => {
                    let mp = |c: &Ctx, o: &mut String, t: u16, a, l| {
                        let shape = match t {
                            1 | 2 => Nla::X32,
                            3 | 5 | 6 => Nla::U32,
                            4 => Nla::U64,
                            7 => Nla::U16,
                            8 => Nla::Flags(&MPTCP_FLAGS, 4),
                            9 | 10 => Nla::U8,
                            _ => return false,
                        };
                        simple(c, o, shape, a, l)
                    };
                    attr::decode(c, o, a, l, &MPTCP_ATTRS, Some(&mp));
                    true
                }
                _ => false,
            };
            attr::decode(ctx, out, addr, len, &ULP_ATTRS, Some(&d));
            true
        }
        20 => {
            let d = |c: &Ctx, o: &mut String, t: u16, a, l| {
                if t != 1 {
                    return false;
                }
                let s = |c: &Ctx, o: &mut String, t: u16, a, l| match t {
                    2 => simple(c, o, Nla::U32, a, l),
                    3 => simple(c, o, Nla::Xint, a, l),
                    _ => false,
                };
                attr::decode(c, o, a, l, &BPF_STORAGE_ATTRS, Some(&s));
                true
            };
            attr::decode(ctx, out, addr, len, &BPF_STORAGES_ATTRS, Some(&d));
            true
        }
        21 => simple(ctx, out, Nla::U64, addr, len),
        22 => sockopt_into(ctx, out, addr, len),
        _ => false,
    }
}

/// `INET_DIAG_SOCKOPT`: a struct of one-bit flags (only the set ones unless `-v`).
fn sockopt_into(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    const BITS: [&str; 11] = [
        "recverr",
        "is_icsk",
        "freebind",
        "hdrincl",
        "mc_loop",
        "transparent",
        "mc_all",
        "nodefrag",
        "bind_address_no_port",
        "recverr_rfc4884",
        "defer_connect",
    ];
    if len < 2 {
        return false;
    }
    let Some(b) = ctx.read_or_addr(out, addr, 2) else {
        return true;
    };
    let v = u16::from_le_bytes([b[0], b[1]]);
    out.push('{');
    let mut first = true;
    let mut sep = |out: &mut String| {
        if !first {
            out.push_str(", ");
        }
        first = false;
    };
    for (i, name) in BITS.iter().enumerate() {
        let bit = (v >> i) & 1;
        if !ctx.abbrev() || bit != 0 {
            sep(out);
            let _ = write!(out, "{name}={bit}");
        }
    }
    let unused = v >> 11;
    if !ctx.abbrev() || unused != 0 {
        sep(out);
        let _ = write!(
            out,
            "unused={} /* bits 3..8 */",
            crate::decode::structs::CHex(unused as u64)
        );
    }
    out.push('}');
    // The bytes after the struct, when any is not zero (at most a page of them).
    let total = (len as usize).min(4096);
    if total > 2 {
        match ctx.read(addr + 2, total - 2) {
            None => out.push_str(", ???"),
            Some(extra) if extra.iter().any(|&c| c != 0) => {
                let _ = write!(out, ", /* bytes 2..{} */ ", total - 1);
                let shown = &extra[..extra.len().min(ctx.strsize)];
                crate::decode::strings::quote_into(out, shown, true);
                if shown.len() < extra.len() {
                    out.push_str("...");
                }
            }
            Some(_) => {}
        }
    }
    true
}

static PACKET_SHOW: Xlat = x(names::PACKET_DIAG_SHOW, "PACKET_SHOW_???");
static PACKET_ATTRS: Xlat = x(names::PACKET_DIAG_ATTRS, "PACKET_DIAG_???");
static ETH_P: Xlat = x(names::ETHERNET_PROTOCOLS, "ETH_P_???");
static TPACKET_VERSIONS: Xlat = x(names::AF_PACKET_VERSIONS, "TPACKET_???");
static PDI_FLAGS: Xlat = x(names::PACKET_DIAG_INFO_FLAGS, "PDI_???");

static PACKET_DIAG_REQ: Body = Body {
    family: "sdiag_family",
    size: 20,
    fields: &[
        ("sdiag_protocol", 1, Field::X(1)),
        ("pdiag_ino", 4, Field::U(4)),
        ("pdiag_show", 8, Field::Flags(4, &PACKET_SHOW)),
        ("pdiag_cookie", 12, Field::Cookie),
    ],
    attrs: None,
    decoder: None,
};

static PACKET_DIAG_MSG: Body = Body {
    family: "pdiag_family",
    size: 16,
    fields: &[
        ("pdiag_type", 1, Field::Val(1, &SOCKTYPES)),
        ("pdiag_num", 2, Field::Val(2, &ETH_P)),
        ("pdiag_ino", 4, Field::U(4)),
        ("pdiag_cookie", 8, Field::Cookie),
    ],
    attrs: Some(&PACKET_ATTRS),
    decoder: Some(packet_attr),
};

/// `PACKET_DIAG_*` attributes; the socket filter (`PACKET_DIAG_FILTER`) is printed by the classic BPF
/// printer, with socket filters' special offsets named.
fn packet_attr(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    const RING: &[(&str, usize, Field)] = &[
        ("pdr_block_size", 0, Field::U(4)),
        ("pdr_block_nr", 4, Field::U(4)),
        ("pdr_frame_size", 8, Field::U(4)),
        ("pdr_frame_nr", 12, Field::U(4)),
        ("pdr_retire_tmo", 16, Field::U(4)),
        ("pdr_sizeof_priv", 20, Field::U(4)),
        ("pdr_features", 24, Field::U(4)),
    ];
    match kind {
        0 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            24,
            &[
                ("pdi_index", 0, Field::Ifindex),
                ("pdi_version", 4, Field::Val(4, &TPACKET_VERSIONS)),
                ("pdi_reserve", 8, Field::U(4)),
                ("pdi_copy_thresh", 12, Field::U(4)),
                ("pdi_tstamp", 16, Field::U(4)),
                ("pdi_flags", 20, Field::Flags(4, &PDI_FLAGS)),
            ],
        ),
        1 => {
            if len < 44 {
                return false;
            }
            attr::array_into(ctx, out, addr, len, 44, |o, b| {
                o.push('{');
                attr::fields_into(
                    o,
                    b,
                    &[
                        ("pdmc_index", 0, Field::Ifindex),
                        ("pdmc_count", 4, Field::U(4)),
                        ("pdmc_type", 8, Field::U(2)),
                        ("pdmc_alen", 10, Field::U(2)),
                    ],
                );
                let alen = (u16::from_ne_bytes([b[10], b[11]]) as usize).min(32);
                o.push_str(", pdmc_addr=");
                crate::decode::strings::quote_into(o, &b[12..12 + alen], true);
                o.push('}');
            });
            true
        }
        2 | 3 => attr::struct_data(ctx, out, addr, len, 28, RING),
        4 => simple(ctx, out, Nla::U32, addr, len),
        5 => simple(ctx, out, Nla::Uid, addr, len),
        6 => meminfo_data(ctx, out, addr, len),
        // Shorter than one instruction: the bytes.
        7 if len < 8 => false,
        7 => {
            attr::array_into(ctx, out, addr, len, 8, |o, b| {
                let k = Some(crate::decode::socket::filter::socket_filter_k as _);
                crate::decode::bpf_filter::insn_into(o, b, k)
            });
            true
        }
        _ => false,
    }
}

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
const AF_SMC: u8 = 43;
const AF_PACKET: u8 = 17;
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
        (AF_INET | AF_INET6, false) => Some(&INET_DIAG_MSG),
        (AF_PACKET, true) => Some(&PACKET_DIAG_REQ),
        (AF_PACKET, false) => Some(&PACKET_DIAG_MSG),
        (AF_SMC, true) => Some(&super::smc::SMC_DIAG_REQ),
        (AF_SMC, false) => Some(&super::smc::SMC_DIAG_MSG),
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
