//! `NETLINK_SOCK_DIAG` bodies for `AF_SMC` (shared memory communications sockets): requests,
//! replies and their attributes.

use super::attr::{self, simple, Field, Nla};
use super::header::Body;
use super::{names, Ctx};
use crate::decode::strings::quote_into;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const fn x(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
    Xlat::hex(names, unknown)
}

static SMC_EXT: Xlat = x(names::SMC_DIAG_EXTENDED_FLAGS, "1<<SMC_DIAG_???-1");
static SMC_STATES: Xlat = x(names::SMC_STATES, "SMC_???");
static SMC_MODES: Xlat = x(names::SMC_DIAG_MODE, "SMC_DIAG_MODE_???");
static SMC_ATTRS: Xlat = x(names::SMC_DIAG_ATTRS, "SMC_DIAG_???");
static ROLES: Xlat = x(names::SMC_LINK_GROUP_ROLES, "SMC_???");
static SHUTDOWN: Xlat = x(names::SOCK_SHUTDOWN_FLAGS, "???_SHUTDOWN");
static DECL_CODES: Xlat = x(names::SMC_DECL_CODES, "SMC_CLC_DECL_???");

const AF_INET: u8 = 2;

/// The socket id of an SMC header, whose addresses are always IPv4 ones.
fn sockid_inet_into(out: &mut String, b: &[u8], off: usize) {
    let mut copy = b.to_vec();
    copy[0] = AF_INET;
    super::diag::sockid_into(out, &copy, off);
}

/// `struct smc_diag_req`.
pub static SMC_DIAG_REQ: Body = Body {
    family: "diag_family",
    size: 52,
    fields: &[
        ("diag_ext", 3, Field::Flags(1, &SMC_EXT)),
        ("id", 4, Field::Custom(sockid_inet_into)),
    ],
    attrs: None,
    decoder: None,
};

/// `struct smc_diag_msg`.
pub static SMC_DIAG_MSG: Body = Body {
    family: "diag_family",
    size: 64,
    fields: &[
        ("diag_state", 1, Field::Val(1, &SMC_STATES)),
        ("diag_fallback", 2, Field::Val(1, &SMC_MODES)),
        ("diag_shutdown", 3, Field::U(1)),
        ("id", 4, Field::Custom(sockid_inet_into)),
        ("diag_uid", 52, Field::U(4)),
        ("diag_inode", 56, Field::U(8)),
    ],
    attrs: Some(&SMC_ATTRS),
    decoder: Some(attr_into),
};

fn cursor_into(out: &mut String, b: &[u8], off: usize) {
    let _ = write!(
        out,
        "{{reserved={}, wrap={}, count={}}}",
        u16::from_ne_bytes([b[off], b[off + 1]]),
        u16::from_ne_bytes([b[off + 2], b[off + 3]]),
        super::u32_at(b, off + 4)
    );
}

/// A char array printed as a C string (`"mlx4_0"`, `"abc"...` when it has no NUL).
fn cstring_into(out: &mut String, b: &[u8]) {
    match b.iter().position(|&c| c == 0) {
        Some(z) => quote_into(out, &b[..z], false),
        None => {
            quote_into(out, &b[..b.len() - 1], false);
            out.push_str("...");
        }
    }
}

fn attr_into(ctx: &Ctx, out: &mut String, _hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            76,
            &[
                ("token", 0, Field::U(4)),
                ("sndbuf_size", 4, Field::U(4)),
                ("rmbe_size", 8, Field::U(4)),
                ("peer_rmbe_size", 12, Field::U(4)),
                ("rx_prod", 16, Field::Custom(cursor_into)),
                ("rx_cons", 24, Field::Custom(cursor_into)),
                ("tx_prod", 32, Field::Custom(cursor_into)),
                ("tx_cons", 40, Field::Custom(cursor_into)),
                ("rx_prod_flags", 48, Field::X0(1)),
                ("rx_conn_state_flags", 49, Field::X0(1)),
                ("tx_prod_flags", 50, Field::X0(1)),
                ("tx_conn_state_flags", 51, Field::X0(1)),
                ("tx_prep", 52, Field::Custom(cursor_into)),
                ("tx_sent", 60, Field::Custom(cursor_into)),
                ("tx_fin", 68, Field::Custom(cursor_into)),
            ],
        ),
        2 => {
            const SIZE: usize = 147;
            if (len as usize) < SIZE {
                return false;
            }
            if let Some(b) = ctx.read_or_addr(out, addr, SIZE) {
                let _ = write!(out, "{{lnk=[{{link_id={}, ibname=", b[0]);
                cstring_into(out, &b[1..65]);
                let _ = write!(out, ", ibport={}, gid=", b[65]);
                cstring_into(out, &b[66..106]);
                out.push_str(", peer_gid=");
                cstring_into(out, &b[106..146]);
                out.push_str("}], role=");
                xlat::value(out, b[146] as u64, &ROLES);
                out.push('}');
            }
            true
        }
        3 => simple(ctx, out, Nla::Flags(&SHUTDOWN, 1), addr, len),
        4 => attr::struct_data(
            ctx,
            out,
            addr,
            len,
            40,
            &[
                ("linkid", 0, Field::U(4)),
                ("peer_gid", 8, Field::X(8)),
                ("my_gid", 16, Field::X(8)),
                ("token", 24, Field::X(8)),
                ("peer_token", 32, Field::X(8)),
            ],
        ),
        5 => {
            if len < 8 {
                return false;
            }
            if let Some(b) = ctx.read_or_addr(out, addr, 8) {
                out.push_str("{reason=");
                verbose_value(out, super::u32_at(b, 0) as u64);
                out.push_str(", peer_diagnosis=");
                verbose_value(out, super::u32_at(b, 4) as u64);
                out.push('}');
            }
            true
        }
        _ => false,
    }
}

/// A value named in a comment even in the default style (its names are not part of the UAPI).
fn verbose_value(out: &mut String, v: u64) {
    let _ = write!(out, "{}", crate::decode::structs::CHex(v));
    if xlat::style() != xlat::Style::Raw {
        let _ = write!(
            out,
            " /* {} */",
            DECL_CODES.name(v).unwrap_or(DECL_CODES.unknown)
        );
    }
}
