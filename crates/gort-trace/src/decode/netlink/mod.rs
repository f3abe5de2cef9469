//! Netlink messages, as strace prints a buffer sent to a netlink socket.
//!
//! Design: the tracer fetches, with the socket's protocol, the readable prefix of the buffer (see
//! [`super::FetchKind::SockBuf`]); everything here renders from that image. strace reads each object
//! (a header, a body, an attribute) from the tracee separately and prints its address when the read
//! fails, so [`Ctx::read`] answers "is this object wholly readable" against the image: a test that puts
//! a message at the end of a page sees the same addresses and `...` as under strace.
//!
//! A buffer is a chain of messages (`nlmsghdr` + payload, [`decode`]); a payload is a family body (a
//! fixed struct chosen by protocol and message type, in `route.rs`, `diag.rs`...) followed by a chain
//! of attributes (`nlattr` + data, `attr.rs`), whose data is decoded per attribute type. Where strace
//! has no decoder, or the data does not fit, the bytes are shown in hex (`"\x31\x32"`). Chains longer
//! than `-s` elements end in `...` unless `-v` is given, as in strace.

pub mod attr;
pub mod cachereport;
pub mod diag;
pub mod genl;
pub mod header;
pub mod link;
pub mod mdb;
pub mod names;
pub mod netfilter;
pub mod route;
pub mod selinux;
pub mod smc;
pub mod socket;
pub mod stats;
pub mod tc;

use super::strings::{quote_into, wants_hex};
use super::structs;
use super::xlat::{self, Style, Xlat};
use std::fmt::Write;

/// The most bytes of a netlink buffer the tracer reads.
pub const MAX_FETCH: usize = 1 << 16;

/// `sizeof(struct nlmsghdr)`.
const NLMSG_HDRLEN: u32 = 16;
/// Message types below this one are control messages of every protocol.
const NLMSG_MIN_TYPE: u16 = 0x10;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
/// `NLM_F_CAPPED`: an error message carries only the header of the request it answers.
const NLM_F_CAPPED: u16 = 0x100;

/// Netlink protocols (`socket(AF_NETLINK, ..., protocol)`).
#[allow(missing_docs)]
pub mod proto {
    pub const ROUTE: u32 = 0;
    pub const SOCK_DIAG: u32 = 4;
    pub const XFRM: u32 = 6;
    pub const SELINUX: u32 = 7;
    pub const AUDIT: u32 = 9;
    pub const NETFILTER: u32 = 12;
    pub const KOBJECT_UEVENT: u32 = 15;
    pub const GENERIC: u32 = 16;
    pub const CRYPTO: u32 = 21;
}

/// What rendering a netlink buffer needs: the image of tracee memory and the printing options.
pub struct Ctx<'a> {
    base: u64,
    bytes: &'a [u8],
    /// `-s`.
    pub strsize: usize,
    /// `-x`/`-xx`.
    pub xflag: u8,
    /// `-v`: chains are not cut at `-s` elements.
    pub verbose: bool,
    /// The socket's protocol.
    pub protocol: u32,
    /// Under `-y`: what the tracee's descriptors referred to.
    pub fds: &'a [(i32, super::FdInfo)],
}

impl<'a> Ctx<'a> {
    /// A context for `bytes` read at `base`.
    pub fn new(
        base: u64,
        bytes: &'a [u8],
        protocol: u32,
        fds: &'a [(i32, super::FdInfo)],
        opts: &super::Opts,
    ) -> Ctx<'a> {
        Ctx {
            base,
            bytes,
            fds,
            strsize: opts.strsize,
            xflag: opts.xflag,
            verbose: opts.verbose,
            protocol,
        }
    }

    /// The `len` bytes at `addr`, when all of them were readable.
    pub fn read(&self, addr: u64, len: usize) -> Option<&'a [u8]> {
        let off = usize::try_from(addr.checked_sub(self.base)?).ok()?;
        self.bytes.get(off..off.checked_add(len)?)
    }

    /// A descriptor, with what it refers to under `-y` (`9</dev/full>`).
    pub fn fd_into(&self, out: &mut String, fd: i32) {
        let info = self.fds.iter().find(|(n, _)| *n == fd);
        let fetched = info.map(|(_, i)| super::Fetched::Fd(i.clone()));
        super::fd_into(out, fd, fetched.as_ref());
    }

    /// The readable bytes from `addr` on (none when `addr` is outside the image).
    pub fn readable_at(&self, addr: u64) -> &'a [u8] {
        addr.checked_sub(self.base)
            .and_then(|off| usize::try_from(off).ok())
            .and_then(|off| self.bytes.get(off..))
            .unwrap_or_default()
    }

    /// Whether a chain stops at `-s` elements.
    pub fn abbrev(&self) -> bool {
        !self.verbose
    }

    /// Reads an object of `len` bytes, or prints its address (strace's `umove_or_printaddr`).
    pub fn read_or_addr(&self, out: &mut String, addr: u64, len: usize) -> Option<&'a [u8]> {
        let b = self.read(addr, len);
        if b.is_none() {
            addr_into(out, addr);
        }
        b
    }
}

/// A pointer: `NULL` or `0x...`.
pub fn addr_into(out: &mut String, addr: u64) {
    if addr == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{addr:#x}");
    }
}

/// How [`str_into`] quotes (strace's `QUOTE_*` styles).
#[derive(Clone, Copy, Default)]
pub struct Quote {
    /// Every byte in `\xNN` form.
    pub force_hex: bool,
    /// A NUL in the last byte ends the string rather than being shown.
    pub omit_trailing_0: bool,
    /// A string without its NUL is shown as cut (`"abc"...`).
    pub expect_trailing_0: bool,
    /// The string ends at its first NUL (a C string).
    pub zero_terminated: bool,
}

/// Quote style of byte data without a decoder.
pub const HEX: Quote = Quote {
    force_hex: true,
    omit_trailing_0: false,
    expect_trailing_0: false,
    zero_terminated: false,
};

/// Quote style of a string attribute (`IFLA_IFNAME`).
pub const NUL_STR: Quote = Quote {
    force_hex: false,
    omit_trailing_0: true,
    expect_trailing_0: true,
    zero_terminated: false,
};

/// Quote style of a C string.
pub const CSTR: Quote = Quote {
    force_hex: false,
    omit_trailing_0: false,
    expect_trailing_0: false,
    zero_terminated: true,
};

/// Prints `len` bytes at `addr` quoted, at most `-s` of them (strace's `printstr_ex`).
pub fn str_into(ctx: &Ctx, out: &mut String, addr: u64, len: u64, q: Quote) {
    if addr == 0 {
        out.push_str("NULL");
        return;
    }
    // strace reads one byte past `-s` to know whether the string goes on.
    let size = len.min(ctx.strsize as u64 + 1) as usize;
    if q.zero_terminated {
        // Like strace's umovestr: the bytes up to the NUL, or the address when memory ends first.
        let data = ctx.readable_at(addr);
        let data = &data[..data.len().min(size)];
        match data.iter().position(|&c| c == 0) {
            Some(z) => {
                let b = &data[..z.min(ctx.strsize)];
                quote_into(out, b, wants_hex(b, ctx.xflag))
            }
            None if data.len() < size => addr_into(out, addr),
            None => {
                let b = &data[..size.min(ctx.strsize)];
                quote_into(out, b, wants_hex(b, ctx.xflag));
                out.push_str("...");
            }
        }
        return;
    }
    let Some(data) = ctx.read(addr, size) else {
        addr_into(out, addr);
        return;
    };
    let b = &data[..size.min(ctx.strsize)];
    let hex = q.force_hex || wants_hex(b, ctx.xflag);
    let (shown, ended) = match b.last() {
        Some(0) if !hex && q.omit_trailing_0 => (&b[..b.len() - 1], true),
        _ => (b, false),
    };
    quote_into(out, shown, hex);
    if !ended && len > 0 && (q.expect_trailing_0 || len > ctx.strsize as u64) {
        out.push_str("...");
    }
}

/// Prints a flag word named by several tables in turn (`NLM_F_REQUEST|NLM_F_DUMP`), in the `-X` style.
pub fn flags_ex(out: &mut String, v: u64, tables: &[&[(u64, &str)]], unknown: &str) {
    if v == 0 {
        out.push('0');
        return;
    }
    let mut names = String::new();
    let mut rest = v;
    for table in tables {
        for &(bits, name) in *table {
            if bits != 0 && rest & bits == bits {
                if !names.is_empty() {
                    names.push('|');
                }
                names.push_str(name);
                rest &= !bits;
            }
        }
    }
    if !names.is_empty() && rest != 0 {
        let _ = write!(names, "|{rest:#x}");
    }
    match xlat::style() {
        Style::Raw => {
            let _ = write!(out, "{v:#x}");
        }
        Style::Abbrev if !names.is_empty() => out.push_str(&names),
        _ if names.is_empty() => {
            let _ = write!(out, "{v:#x} /* {unknown} */");
        }
        _ => {
            let _ = write!(out, "{v:#x} /* {names} */");
        }
    }
}

/// Decodes a netlink buffer of `len` bytes at `addr` sent to a socket of `ctx.protocol`.
pub fn decode(ctx: &Ctx, out: &mut String, mut addr: u64, mut len: u64) {
    if ctx.protocol == proto::KOBJECT_UEVENT {
        uevent_into(ctx, out, addr, len);
        return;
    }
    let mut in_array = false;
    let mut elt = 0;
    while let Some(hdr) = fetch_nlmsghdr(ctx, out, addr, len, in_array) {
        if ctx.abbrev() && elt == ctx.strsize {
            out.push_str("...");
            break;
        }
        elt += 1;
        let aligned = (hdr.len.wrapping_add(3) & !3) as u64;
        let mut next_addr = 0;
        let mut next_len = 0;
        if hdr.len >= NLMSG_HDRLEN {
            next_len = len.saturating_sub(aligned);
            if next_len != 0 && addr.wrapping_add(aligned) > addr {
                next_addr = addr + aligned;
            }
        }
        if !in_array && next_addr != 0 {
            out.push('[');
            in_array = true;
        }
        message_into(ctx, out, &hdr, addr, len);
        if next_addr == 0 {
            break;
        }
        out.push_str(", ");
        addr = next_addr;
        len = next_len;
    }
    if in_array {
        out.push(']');
    }
}

/// A `struct nlmsghdr`.
#[derive(Clone, Copy, Debug)]
pub struct NlMsgHdr {
    /// `nlmsg_len`.
    pub len: u32,
    /// `nlmsg_type`.
    pub kind: u16,
    /// `nlmsg_flags`.
    pub flags: u16,
    /// `nlmsg_seq`.
    pub seq: u32,
    /// `nlmsg_pid`.
    pub pid: u32,
}

fn fetch_nlmsghdr(
    ctx: &Ctx,
    out: &mut String,
    addr: u64,
    len: u64,
    in_array: bool,
) -> Option<NlMsgHdr> {
    if len < NLMSG_HDRLEN as u64 {
        str_into(ctx, out, addr, len, HEX);
        return None;
    }
    match ctx.read(addr, NLMSG_HDRLEN as usize) {
        Some(b) => Some(NlMsgHdr {
            len: u32_at(b, 0),
            kind: u16_at(b, 4),
            flags: u16_at(b, 6),
            seq: u32_at(b, 8),
            pid: u32_at(b, 12),
        }),
        None => {
            more_at(out, addr, in_array);
            None
        }
    }
}

/// What strace prints where an element of a chain cannot be read: `... /* 0x... */` inside an array,
/// the address otherwise.
pub fn more_at(out: &mut String, addr: u64, in_array: bool) {
    if in_array {
        let _ = write!(out, "... /* {addr:#x} */");
    } else {
        addr_into(out, addr);
    }
}

/// A native-endian `u16` at `off`.
pub fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_ne_bytes([b[off], b[off + 1]])
}

/// A native-endian `u32` at `off`.
pub fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(b[off..off + 4].try_into().unwrap_or_default())
}

/// A native-endian `u64` at `off`.
pub fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_ne_bytes(b[off..off + 8].try_into().unwrap_or_default())
}

/// One message: its header and, when it has one, its payload (`[{nlmsg_len=...}, payload]`).
fn message_into(ctx: &Ctx, out: &mut String, hdr: &NlMsgHdr, addr: u64, len: u64) {
    let msg_len = (hdr.len as u64).min(len) as u32;
    if msg_len > NLMSG_HDRLEN {
        out.push('[');
    }
    header_into(ctx, out, hdr);
    if msg_len > NLMSG_HDRLEN {
        out.push_str(", ");
        payload_into(
            ctx,
            out,
            hdr,
            addr + NLMSG_HDRLEN as u64,
            msg_len - NLMSG_HDRLEN,
        );
        out.push(']');
    }
}

fn header_into(ctx: &Ctx, out: &mut String, hdr: &NlMsgHdr) {
    let _ = write!(out, "{{nlmsg_len={}, nlmsg_type=", hdr.len);
    type_into(ctx, out, hdr.kind);
    out.push_str(", nlmsg_flags=");
    let specific = if hdr.kind < NLMSG_MIN_TYPE {
        (hdr.kind == NLMSG_ERROR).then_some(names::NETLINK_ACK_FLAGS)
    } else {
        request_flags(ctx.protocol, hdr.kind)
    };
    match specific {
        Some(t) => flags_ex(
            out,
            hdr.flags as u64,
            &[names::NETLINK_FLAGS, t],
            "NLM_F_???",
        ),
        None => flags_ex(out, hdr.flags as u64, &[names::NETLINK_FLAGS], "NLM_F_???"),
    }
    let _ = write!(out, ", nlmsg_seq={}, nlmsg_pid={}}}", hdr.seq, hdr.pid);
}

const NETLINK_TYPES: Xlat = Xlat::hex(names::NETLINK_TYPES, "NLMSG_???");

/// `nlmsg_type`: a control message, or a type of the socket's protocol.
fn type_into(ctx: &Ctx, out: &mut String, kind: u16) {
    let v = kind as u64;
    if kind < NLMSG_MIN_TYPE {
        xlat::value(out, v, &NETLINK_TYPES);
        return;
    }
    let table = |names, unknown| Xlat::hex(names, unknown);
    match ctx.protocol {
        proto::AUDIT => xlat::value(out, v, &table(names::NL_AUDIT_TYPES, "AUDIT_???")),
        proto::CRYPTO => xlat::value(out, v, &table(names::NL_CRYPTO_TYPES, "CRYPTO_MSG_???")),
        proto::ROUTE => xlat::value(out, v, &table(names::NL_ROUTE_TYPES, "RTM_???")),
        proto::SELINUX => xlat::value(out, v, &table(names::NL_SELINUX_TYPES, "SELNL_MSG_???")),
        proto::SOCK_DIAG => xlat::value(out, v, &table(names::NL_SOCK_DIAG_TYPES, "SOCK_DIAG_???")),
        proto::XFRM => xlat::value(out, v, &table(names::NL_XFRM_TYPES, "XFRM_MSG_???")),
        proto::GENERIC => match genl::family_name(kind) {
            Some(name) => xlat::composed(out, v, name),
            None => xlat::value(out, v, &table(&[], "GENERIC_FAMILY_???")),
        },
        proto::NETFILTER => netfilter_type_into(out, kind),
        _ => xlat::value(out, v, &NETLINK_TYPES),
    }
}

/// The message types of each nfnetlink subsystem, by subsystem id.
const NF_SUBSYS_TYPES: &[(&[(u64, &str)], &str)] = &[
    (&[], ""),
    (names::NF_CTNETLINK_MSG_TYPES, "IPCTNL_MSG_CT_???"),
    (names::NF_CTNETLINK_EXP_MSG_TYPES, "IPCTNL_MSG_EXP_???"),
    (names::NF_QUEUE_MSG_TYPES, "NFQNL_MSG_???"),
    (names::NF_ULOG_MSG_TYPES, "NFULNL_MSG_???"),
    (names::NF_OSF_MSG_TYPES, "OSF_MSG_???"),
    (names::NF_IPSET_MSG_TYPES, "IPSET_CMD_???"),
    (names::NF_ACCT_MSG_TYPES, "NFNL_MSG_ACCT_???"),
    (names::NF_CTTIMEOUT_MSG_TYPES, "IPCTNL_MSG_TIMEOUT_???"),
    (names::NF_CTHELPER_MSG_TYPES, "NFNL_MSG_CTHELPER_???"),
    (names::NF_NFTABLES_MSG_TYPES, "NFT_MSG_???"),
    (names::NF_NFT_COMPAT_MSG_TYPES, "NFNL_MSG_COMPAT_???"),
    (names::NF_HOOK_MSG_TYPES, "NFT_MSG_HOOK_???"),
];

/// A netfilter type: a control message, or `SUBSYS<<8|TYPE`.
fn netfilter_type_into(out: &mut String, kind: u16) {
    if let Some(name) = Xlat::hex(names::NL_NETFILTER_MSG_TYPES, "").name(kind as u64) {
        xlat::composed(out, kind as u64, name);
        return;
    }
    let subsys = kind >> 8;
    let msg = (kind & 0xff) as u64;
    xlat::value(
        out,
        subsys as u64,
        &Xlat::hex(names::NL_NETFILTER_SUBSYS_IDS, "NFNL_SUBSYS_???"),
    );
    out.push_str("<<8|");
    match NF_SUBSYS_TYPES.get(subsys as usize) {
        Some((t, unknown)) if !unknown.is_empty() => xlat::value(out, msg, &Xlat::hex(t, unknown)),
        _ => {
            let _ = write!(out, "{}", super::structs::CHex(msg));
        }
    }
}

/// The table naming the request-specific flags of a message type (`NLM_F_DUMP` for a "get").
fn request_flags(protocol: u32, kind: u16) -> Option<&'static [(u64, &'static str)]> {
    const NEW: Option<&[(u64, &str)]> = Some(names::NETLINK_NEW_FLAGS);
    const DEL: Option<&[(u64, &str)]> = Some(names::NETLINK_DELETE_FLAGS);
    const GET: Option<&[(u64, &str)]> = Some(names::NETLINK_GET_FLAGS);
    match protocol {
        proto::ROUTE => match kind {
            // RTM_DELACTION takes NLM_F_ROOT.
            0x31 => GET,
            _ => [NEW, DEL, GET, None][(kind & 3) as usize],
        },
        proto::SOCK_DIAG => GET,
        proto::CRYPTO => match kind {
            0x10 => NEW,
            0x11 | 0x14 => DEL,
            0x13 => GET,
            _ => None,
        },
        proto::XFRM => match kind {
            0x10 | 0x13 | 0x1e | 0x22 | 0x24 => NEW,
            0x11 | 0x14 => DEL,
            0x12 | 0x15 | 0x1f | 0x23 | 0x25 => GET,
            _ => None,
        },
        proto::NETFILTER => netfilter_flags(kind),
        _ => None,
    }
}

fn netfilter_flags(kind: u16) -> Option<&'static [(u64, &'static str)]> {
    const NEW: Option<&[(u64, &str)]> = Some(names::NETLINK_NEW_FLAGS);
    const DEL: Option<&[(u64, &str)]> = Some(names::NETLINK_DELETE_FLAGS);
    const GET: Option<&[(u64, &str)]> = Some(names::NETLINK_GET_FLAGS);
    let msg = kind & 0xff;
    match kind >> 8 {
        // CTNETLINK: NEW, GET, DELETE, GET_CTRZERO, GET_STATS_CPU, GET_STATS, GET_DYING,
        // GET_UNCONFIRMED.
        1 => match msg {
            0 => NEW,
            1 | 3..=7 => GET,
            2 => DEL,
            _ => None,
        },
        // CTNETLINK_EXP: NEW, GET, DELETE, GET_STATS_CPU.
        2 => match msg {
            0 => NEW,
            1 | 3 => GET,
            2 => DEL,
            _ => None,
        },
        // ACCT: NEW, GET, GET_CTRZERO, DEL.
        7 => match msg {
            0 => NEW,
            1 | 2 => GET,
            3 => DEL,
            _ => None,
        },
        // CTNETLINK_TIMEOUT and CTHELPER: NEW, GET, DELETE.
        8 | 9 => match msg {
            0 => NEW,
            1 => GET,
            2 => DEL,
            _ => None,
        },
        // NFTABLES.
        10 => match msg {
            0 | 3 | 6 | 9 | 12 | 15 | 18 | 22 => NEW,
            1 | 4 | 7 | 10 | 13 | 16 | 19 | 20 | 23 => GET,
            2 | 5 | 8 | 11 | 14 | 21 | 24 => DEL,
            _ => None,
        },
        // NFT_COMPAT and HOOK: GET.
        11 | 12 => (msg == 0).then_some(names::NETLINK_GET_FLAGS),
        _ => None,
    }
}

const NLMSGERR_ATTRS: Xlat = Xlat::hex(names::NLMSGERR_ATTRS, "NLMSGERR_ATTR_???");

/// A payload: an error, a family body, a `NLMSG_DONE` count, or hex.
fn payload_into(ctx: &Ctx, out: &mut String, hdr: &NlMsgHdr, addr: u64, len: u32) {
    if hdr.kind == NLMSG_ERROR {
        nlmsgerr_into(ctx, out, addr, len, hdr.flags & NLM_F_CAPPED != 0);
        return;
    }
    if (hdr.kind >= NLMSG_MIN_TYPE || hdr.kind == NLMSG_DONE)
        && family_body_into(ctx, out, hdr, addr, len)
    {
        return;
    }
    if hdr.kind == NLMSG_DONE && len == 4 {
        if let Some(b) = ctx.read_or_addr(out, addr, 4) {
            let _ = write!(out, "{}", u32_at(b, 0) as i32);
        }
        return;
    }
    str_into(ctx, out, addr, len as u64, HEX);
}

/// The protocol's decoder of a message body; false when it has none for this message.
fn family_body_into(ctx: &Ctx, out: &mut String, hdr: &NlMsgHdr, addr: u64, len: u32) -> bool {
    match ctx.protocol {
        proto::NETFILTER => netfilter::body_into(ctx, out, hdr, addr, len),
        proto::ROUTE => route::body_into(ctx, out, hdr, addr, len),
        proto::SELINUX => selinux::body_into(ctx, out, hdr, addr, len),
        proto::SOCK_DIAG => diag::body_into(ctx, out, hdr, addr, len),
        _ => false,
    }
}

/// An `NLMSG_ERROR` payload: `{error=-EACCES, msg=request}` and its extended-ack attributes.
fn nlmsgerr_into(ctx: &Ctx, out: &mut String, addr: u64, len: u32, capped: bool) {
    const ERR_SIZE: u32 = 4 + NLMSG_HDRLEN;
    if len < ERR_SIZE {
        str_into(ctx, out, addr, len as u64, HEX);
        return;
    }
    let Some(b) = ctx.read_or_addr(out, addr, ERR_SIZE as usize) else {
        return;
    };
    let error = u32_at(b, 0) as i32;
    let msg = NlMsgHdr {
        len: u32_at(b, 4),
        kind: u16_at(b, 8),
        flags: u16_at(b, 10),
        seq: u32_at(b, 12),
        pid: u32_at(b, 16),
    };
    let addr = addr + 4;
    let len = len - 4;
    let msg_len = msg.len.max(NLMSG_HDRLEN);
    let payload = len.min(if capped { NLMSG_HDRLEN } else { msg_len });
    if len > payload {
        out.push('[');
    }
    out.push_str("{error=");
    error_into(out, error);
    out.push_str(", msg=");
    message_into(ctx, out, &msg, addr, payload as u64);
    out.push('}');
    if len > payload {
        out.push_str(", ");
        attr::decode(
            ctx,
            out,
            addr + payload as u64,
            len - payload,
            &NLMSGERR_ATTRS,
            Some(&nlmsgerr_attr),
        );
        out.push(']');
    }
}

/// An errno value as strace prints a negated error field: `-EACCES`, or the number.
pub fn error_into(out: &mut String, error: i32) {
    let name = error
        .checked_neg()
        .filter(|e| *e > 0)
        .and_then(super::flags::errno_name);
    match name {
        Some(n) => {
            let text = format!("-{n}");
            xlat::composed_signed(out, error as i64, &text)
        }
        None => {
            let _ = write!(out, "{error}");
        }
    }
}

fn nlmsgerr_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        // NLMSGERR_ATTR_MSG
        1 => attr::str_data(ctx, out, addr, len),
        // NLMSGERR_ATTR_OFFS
        2 => attr::u32_data(ctx, out, addr, len),
        // NLMSGERR_ATTR_COOKIE: bytes.
        3 => {
            attr::array_into(ctx, out, addr, len, 1, |out, b| {
                let _ = write!(out, "{}", b[0]);
            });
            true
        }
        _ => false,
    }
}

/// A `NETLINK_KOBJECT_UEVENT` buffer: a libudev monitor header and its properties, or a string.
fn uevent_into(ctx: &Ctx, out: &mut String, addr: u64, len: u64) {
    const SIZE: u64 = 40;
    let header = (len >= SIZE)
        .then(|| ctx.read(addr, SIZE as usize))
        .flatten()
        .filter(|b| b.starts_with(b"libudev\0"));
    let Some(b) = header else {
        str_into(ctx, out, addr, len, Quote::default());
        return;
    };
    if len > SIZE {
        out.push('[');
    }
    let htonl = |i: usize| {
        let v = u32::from_be_bytes(b[i..i + 4].try_into().unwrap_or_default());
        format!("htonl({})", structs::CHex(v as u64))
    };
    let _ = write!(
        out,
        "{{prefix=\"libudev\", magic={}, header_size={}, properties_off={}, properties_len={}, \
         filter_subsystem_hash={}, filter_devtype_hash={}, filter_tag_bloom_hi={}, \
         filter_tag_bloom_lo={}}}",
        htonl(8),
        u32_at(b, 12),
        u32_at(b, 16),
        u32_at(b, 20),
        htonl(24),
        htonl(28),
        htonl(32),
        htonl(36)
    );
    if len > SIZE {
        out.push_str(", ");
        str_into(ctx, out, addr + SIZE, len - SIZE, Quote::default());
        out.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(protocol: u32, base: u64, bytes: &[u8], len: u64) -> String {
        let opts = crate::decode::Opts::default();
        let ctx = Ctx::new(base, bytes, protocol, &[], &opts);
        let mut out = String::new();
        decode(&ctx, &mut out, base, len);
        out
    }

    fn nlmsghdr(len: u32, kind: u16, flags: u16) -> Vec<u8> {
        let mut b = len.to_ne_bytes().to_vec();
        b.extend_from_slice(&kind.to_ne_bytes());
        b.extend_from_slice(&flags.to_ne_bytes());
        b.extend_from_slice(&[0; 8]);
        b
    }

    #[test]
    fn a_header_alone_is_a_struct_and_its_type_and_flags_are_named_by_protocol() {
        // RTM_GETLINK with NLM_F_REQUEST|NLM_F_DUMP.
        let b = nlmsghdr(16, 0x12, 0x301);
        assert_eq!(
            render(proto::ROUTE, 0x1000, &b, 16),
            "{nlmsg_len=16, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, \
             nlmsg_seq=0, nlmsg_pid=0}"
        );
    }

    #[test]
    fn a_second_message_past_the_readable_memory_shows_its_address() {
        let mut b = nlmsghdr(20, NLMSG_DONE, 0);
        b.extend_from_slice(&7i32.to_ne_bytes());
        // The buffer claims 40 bytes; only the first message was readable.
        assert_eq!(
            render(proto::ROUTE, 0x1000, &b, 40),
            "[[{nlmsg_len=20, nlmsg_type=NLMSG_DONE, nlmsg_flags=0, nlmsg_seq=0, nlmsg_pid=0}, 7], \
             ... /* 0x1014 */]"
        );
    }

    #[test]
    fn attributes_follow_the_family_header_and_unknown_types_are_commented() {
        // SOCK_DIAG_BY_FAMILY reply for AF_UNIX: unix_diag_msg, then UNIX_DIAG_PEER and type 0x20.
        let mut b = nlmsghdr(48, 20, 0);
        b.extend_from_slice(&[1, 1, 1, 0]);
        b.extend_from_slice(&[0; 12]);
        b.extend_from_slice(&[8, 0, 2, 0, 5, 0, 0, 0]);
        b.extend_from_slice(&[8, 0, 0x20, 0, b'a', b'b', b'c', b'd']);
        assert_eq!(
            render(proto::SOCK_DIAG, 0x1000, &b, 48),
            "[{nlmsg_len=48, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=0, nlmsg_seq=0, \
             nlmsg_pid=0}, {udiag_family=AF_UNIX, udiag_type=SOCK_STREAM, \
             udiag_state=TCP_ESTABLISHED, udiag_ino=0, udiag_cookie=[0, 0]}, \
             [[{nla_len=8, nla_type=UNIX_DIAG_PEER}, 5], \
             [{nla_len=8, nla_type=0x20 /* UNIX_DIAG_??? */}, \"\\x61\\x62\\x63\\x64\"]]]"
        );
    }

    #[test]
    fn a_string_attribute_without_its_nul_is_shown_as_cut() {
        let opts = crate::decode::Opts::default();
        let ctx = Ctx::new(0x1000, b"eth0\0lo", 0, &[], &opts);
        let mut out = String::new();
        str_into(&ctx, &mut out, 0x1000, 5, NUL_STR);
        assert_eq!(out, "\"eth0\"");
        out.clear();
        str_into(&ctx, &mut out, 0x1005, 2, NUL_STR);
        assert_eq!(out, "\"lo\"...");
    }
}
