//! Socket addresses (`struct sockaddr` of each family) and the lengths passed with them.
//!
//! Design: an address is decoded from the bytes the caller passed (at most `sockaddr_storage`'s 128),
//! by family, each family's printer only when the address is long enough for it (strace's minimum
//! lengths); anything else is shown as `sa_data`. Fields strace shows as numbers under `-X raw` (ports,
//! addresses) follow the `-X` style: the bytes in hex, the decoded form, or both.

use super::families::*;
use super::names::*;
use super::tracee::{u16_at, u32_at, u64_at};
use crate::decode::strings::quote_into;
use crate::decode::xlat::{self, style, Style};
use crate::decode::Fetched;
use std::fmt::Write;

/// A socket address length the kernel read and rewrote: `[in => out]`, `[out]` when unchanged, `[in]`
/// after a failure, the address when it could not be read.
pub fn socklen_into(
    out: &mut String,
    addr: u64,
    before: Option<&Fetched>,
    after: Option<&Fetched>,
    ret: i64,
) {
    if addr == 0 {
        out.push_str("NULL");
        return;
    }
    let Some(Fetched::Bytes(b)) = before else {
        let _ = write!(out, "{addr:#x}");
        return;
    };
    let inlen = u32_at(b, 0);
    match after {
        Some(Fetched::Bytes(a)) if ret >= 0 && u32_at(a, 0) != inlen => {
            let _ = write!(out, "[{inlen} => {}]", u32_at(a, 0));
        }
        Some(Fetched::Bytes(a)) if ret >= 0 => {
            let _ = write!(out, "[{}]", u32_at(a, 0));
        }
        _ => {
            let _ = write!(out, "[{inlen}]");
        }
    }
}

/// A socket address the kernel filled: as many bytes as both lengths allow, decoded.
pub fn sockaddr_out_into(
    out: &mut String,
    addr: u64,
    bytes: Option<&Fetched>,
    len_before: Option<&Fetched>,
    len_after: Option<&Fetched>,
    ret: i64,
) {
    let shown = match (len_before, len_after) {
        (Some(Fetched::Bytes(a)), Some(Fetched::Bytes(b))) => u32_at(a, 0).min(u32_at(b, 0)),
        _ => 0,
    } as usize;
    match bytes {
        Some(Fetched::Bytes(b))
            if ret >= 0 && addr != 0 && shown > 0 && b.len() >= shown.min(128) =>
        {
            sockaddr_into(out, &b[..shown.min(b.len())])
        }
        _ if addr == 0 => out.push_str("NULL"),
        _ => {
            let _ = write!(out, "{addr:#x}");
        }
    }
}

/// `{sa_family=AF_UNIX, sun_path="/tmp/s"}`, `{sa_family=AF_INET, sin_port=htons(80),
/// sin_addr=inet_addr("127.0.0.1")}` and so on, from `b` (the bytes the address is long).
pub fn sockaddr_into(out: &mut String, b: &[u8]) {
    sockaddr_fd_into(out, b, &mut |out, fd| {
        let _ = write!(out, "{fd}");
    })
}

/// [`sockaddr_into`], with the descriptors an address holds (`sxdp_shared_umem_fd`) printed by
/// `fd_into`.
pub fn sockaddr_fd_into(out: &mut String, b: &[u8], fd_into: &mut dyn FnMut(&mut String, i32)) {
    let b = &b[..b.len().min(128)];
    out.push_str("{sa_family=");
    let family = u16_at(b, 0);
    xlat::value(out, family as u64, &ADDRFAMS);
    if b.len() > 2 {
        out.push_str(", ");
        let len = b.len();
        match family {
            1 => unix_into(out, b),
            2 if len >= 16 => inet_into(out, b),
            10 if len >= 24 => inet6_into(out, b),
            16 if len >= 12 => {
                let pad = u16_at(b, 2);
                if pad != 0 {
                    let _ = write!(out, "nl_pad={pad:#x}, ");
                }
                let _ = write!(out, "nl_pid={}, nl_groups=", u32_at(b, 4) as i32);
                hex0_into(out, u32_at(b, 8) as u64, 4);
            }
            17 if len >= 20 => packet_into(out, b),
            3 if len >= 16 => ax25_into(out, b),
            4 if len >= 16 => ipx_into(out, b),
            9 if len >= 18 => {
                out.push_str("sx25_addr={x25_addr=");
                cstr_field_into(out, &b[2..18]);
                out.push('}');
            }
            33 if len >= 36 => rxrpc_into(out, b),
            36 if len >= 20 => ieee802154_into(out, b),
            38 if len >= 25 => alg_into(out, b),
            39 if len >= 16 => nfc_into(out, b),
            40 if len >= 16 => vsock_into(out, b),
            42 if len >= 12 => {
                out.push_str("sq_node=");
                xlat::value(out, u32_at(b, 4) as u64, &QIPCRTR_NODES);
                out.push_str(", sq_port=");
                xlat::value(out, u32_at(b, 8) as u64, &QIPCRTR_PORTS);
            }
            44 if len >= 16 => xdp_into(out, b, fd_into),
            45 if len >= 12 => mctp_into(out, b),
            _ => {
                out.push_str("sa_data=");
                quote_into(out, &b[2..], false);
            }
        }
    }
    out.push('}');
}

/// `sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")` from a `sockaddr_in`.
fn inet_into(out: &mut String, b: &[u8]) {
    port_into(out, "sin_port", &b[2..4]);
    out.push_str(", ");
    inet_addr_into(out, "sin_addr", &b[4..8]);
}

/// A number of `size` bytes zero-padded to twice as many digits, with `0x` unless it is zero
/// (strace's `%#0*x`): `0x05`, `00`.
fn hex0_into(out: &mut String, v: u64, size: usize) {
    let width = 2 * size;
    if v == 0 {
        let _ = write!(out, "{:0width$}", 0);
    } else {
        let _ = write!(out, "{v:#0width$x}");
    }
}

/// `struct sockaddr_ipx`.
fn ipx_into(out: &mut String, b: &[u8]) {
    port_into(out, "sipx_port", &b[2..4]);
    out.push_str(", sipx_network=htonl(");
    hex_into(out, u32::from_be_bytes([b[4], b[5], b[6], b[7]]) as u64);
    out.push_str("), sipx_node=[");
    for k in 0..6 {
        if k > 0 {
            out.push_str(", ");
        }
        hex0_into(out, b[8 + k] as u64, 1);
    }
    out.push_str("], sipx_type=");
    hex0_into(out, b[14] as u64, 1);
    if b[15] != 0 {
        let _ = write!(out, ", sipx_zero={:#x}", b[15]);
    }
}

/// How an AX.25 callsign can be shown: as text, as its bytes with the text in a comment, or as its
/// bytes only.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ax25Form {
    Text,
    Commented,
    Raw,
}

/// Whether a 7-byte AX.25 address is a sane callsign (shifted uppercase letters and digits, padded
/// with spaces, and an SSID byte with only its SSID bits).
fn ax25_form(a: &[u8]) -> Ax25Form {
    let mut form = Ax25Form::Text;
    let (mut space_seen, mut char_seen) = (false, false);
    for &byte in &a[..6] {
        if byte & 1 != 0 {
            form = Ax25Form::Commented;
        }
        let c = byte >> 1;
        if c == b' ' {
            space_seen = true;
        } else {
            char_seen = true;
        }
        if !c.is_ascii_digit() && !c.is_ascii_uppercase() && c != b' ' {
            form = Ax25Form::Commented;
        }
        if c != b' ' && space_seen {
            form = Ax25Form::Commented;
        }
        if !(b' '..=0x7e).contains(&c) || c == b'*' || c == b'/' {
            return Ax25Form::Raw;
        }
    }
    if a[6] & !0x1e != 0 || (!char_seen && a[6] != 0) {
        form = Ax25Form::Commented;
    }
    form
}

/// An AX.25 callsign as text: `CALL-7`, or `*` for the empty one.
fn ax25_text(a: &[u8]) -> String {
    let end = (0..6)
        .rev()
        .find(|&i| a[i] >> 1 != b' ')
        .map_or(0, |i| i + 1);
    let mut s: String = a[..end].iter().map(|&c| (c >> 1) as char).collect();
    let ssid = (a[6] >> 1) & 0xf;
    let _ = write!(s, "-{ssid}");
    if s == "-0" {
        return "*".into();
    }
    s
}

/// A 7-byte AX.25 address in the form its contents and `-X` allow.
fn ax25_addr_into(out: &mut String, a: &[u8]) {
    let form = match ax25_form(a) {
        Ax25Form::Text => match style() {
            Style::Abbrev => Ax25Form::Text,
            Style::Raw => Ax25Form::Raw,
            Style::Verbose => Ax25Form::Commented,
        },
        f => f,
    };
    if form != Ax25Form::Text {
        out.push_str("{ax25_call=");
        quote_into(out, &a[..7], true);
        out.push('}');
    }
    match form {
        Ax25Form::Raw => {}
        Ax25Form::Commented => {
            let _ = write!(out, " /* {} */", ax25_text(a));
        }
        Ax25Form::Text => out.push_str(&ax25_text(a)),
    }
}

/// `struct full_sockaddr_ax25`: the callsign, the digipeater count, and as many digipeaters as both
/// the count and the address's length allow.
fn ax25_into(out: &mut String, b: &[u8]) {
    let ndigis = u32_at(b, 12) as i32;
    let len = b.len();
    let full = ndigis != 0 || len > 16;
    if full {
        out.push_str("fsa_ax25={");
    }
    out.push_str("sax25_call=");
    ax25_addr_into(out, &b[2..9]);
    let _ = write!(out, ", sax25_ndigis={ndigis}");
    if !full {
        return;
    }
    out.push('}');
    let has = ((len - 16) / 7).min(8);
    let want = (ndigis.max(0) as usize).min(8);
    let shown = has.min(want);
    if want > 0 {
        out.push_str(", fsa_digipeater=[");
        for k in 0..shown {
            if k > 0 {
                out.push_str(", ");
            }
            ax25_addr_into(out, &b[16 + 7 * k..23 + 7 * k]);
        }
        if want > has {
            if shown > 0 {
                out.push_str(", ");
            }
            out.push_str("...");
        }
        out.push(']');
    }
    if len > has * 7 + 16 {
        out.push_str(", ...");
    }
}

/// `0x2a`, or `0` (strace's `%#x`).
fn hex_into(out: &mut String, v: u64) {
    if v == 0 {
        out.push('0');
    } else {
        let _ = write!(out, "{v:#x}");
    }
}

/// A quoted string of at most `b.len() - 1` bytes that should end in a NUL: cut at the first NUL,
/// followed by `...` when the last byte is not one.
fn cstr_field_into(out: &mut String, b: &[u8]) {
    if b.is_empty() {
        out.push_str("\"\"");
        return;
    }
    let body = &b[..b.len() - 1];
    match body.iter().position(|&c| c == 0) {
        Some(end) => quote_into(out, &body[..end], false),
        None => {
            quote_into(out, body, false);
            if b[b.len() - 1] != 0 {
                out.push_str("...");
            }
        }
    }
}

/// `struct sockaddr_rxrpc`: the service, the transport's type and length, and the transport address.
fn rxrpc_into(out: &mut String, b: &[u8]) {
    out.push_str("srx_service=");
    xlat::value_commented(out, u16_at(b, 2) as u64, &RXRPC_SERVICES);
    out.push_str(", transport_type=");
    xlat::value(out, u16_at(b, 4) as u64, &SOCK_TYPES_IN_ADDR);
    let transport_len = u16_at(b, 6) as usize;
    let _ = write!(out, ", transport_len={transport_len}, transport={{");
    let len = transport_len.min(b.len() - 8);
    let rest = len.saturating_sub(2);
    let t = &b[8..];
    let family = u16_at(t, 0);
    let raw_rest = |out: &mut String| {
        if rest > 0 {
            out.push_str(", ");
            quote_into(out, &t[2..2 + rest], false);
        }
    };
    match family {
        2 => {
            out.push_str("sin={sin_family=");
            xlat::value(out, 2, &ADDRFAMS);
            if transport_len >= 16 {
                out.push_str(", ");
                inet_into(out, t);
            } else {
                raw_rest(out);
            }
            out.push('}');
        }
        10 => {
            out.push_str("sin6={sin6_family=");
            xlat::value(out, 10, &ADDRFAMS);
            if transport_len >= 24 {
                out.push_str(", ");
                inet6_into(out, &t[..len.max(24)]);
            } else {
                raw_rest(out);
            }
            out.push('}');
        }
        _ => {
            out.push_str("family=");
            xlat::value(out, family as u64, &ADDRFAMS);
            raw_rest(out);
        }
    }
    out.push('}');
}

/// Socket types as an address names them (`SOCK_???` for an unknown one).
const SOCK_TYPES_IN_ADDR: xlat::Xlat = xlat::Xlat {
    unknown: "SOCK_???",
    ..SOCK_TYPES
};

/// `struct sockaddr_ieee802154`.
fn ieee802154_into(out: &mut String, b: &[u8]) {
    let kind = u32_at(b, 4);
    out.push_str("addr={addr_type=");
    xlat::value_commented(out, kind as u64, &IEEE802154_ADDR_TYPES);
    out.push_str(", pan_id=");
    xlat::value_commented(out, u16_at(b, 8) as u64, &IEEE802154_PAN_IDS);
    match kind {
        0 => {}
        2 => {
            out.push_str(", short_addr=");
            xlat::value_commented(out, u16_at(b, 10) as u64, &IEEE802154_ADDRS);
        }
        _ => {
            out.push_str(", hwaddr=");
            mac_into(out, &b[10..18]);
        }
    }
    out.push('}');
}

/// A hardware address: `01:02:03`, its bytes under `-X raw`, both under `-X verbose`.
fn mac_into(out: &mut String, b: &[u8]) {
    let mut mac = String::new();
    for (k, byte) in b.iter().enumerate() {
        if k > 0 {
            mac.push(':');
        }
        let _ = write!(mac, "{byte:02x}");
    }
    raw_or_decoded(out, b, &mac);
}

/// `struct sockaddr_alg_new`.
fn alg_into(out: &mut String, b: &[u8]) {
    out.push_str("salg_type=");
    cstr_field_into(out, &b[2..16]);
    out.push_str(", salg_feat=");
    xlat::flags_commented(out, u32_at(b, 16) as u64, &ALG_SOCKADDR_FLAGS);
    out.push_str(", salg_mask=");
    xlat::flags_commented(out, u32_at(b, 20) as u64, &ALG_SOCKADDR_FLAGS);
    out.push_str(", salg_name=");
    cstr_field_into(out, &b[24..]);
}

/// `struct sockaddr_nfc`, and `struct sockaddr_nfc_llcp` when the address is that long.
fn nfc_into(out: &mut String, b: &[u8]) {
    out.push_str("dev_idx=");
    ifindex_into(out, u32_at(b, 4));
    out.push_str(", target_idx=");
    hex_into(out, u32_at(b, 8) as u64);
    out.push_str(", nfc_protocol=");
    xlat::value(out, u32_at(b, 12) as u64, &NFC_SOCKADDR_PROTOCOLS);
    if b.len() < 96 {
        if b.len() > 16 {
            out.push_str(", ...");
        }
        return;
    }
    let name_len = u64_at(b, 88);
    out.push_str(", dsap=");
    xlat::value_commented(out, b[16] as u64, &NFC_SAPS);
    out.push_str(", ssap=");
    xlat::value_commented(out, b[17] as u64, &NFC_SAPS);
    out.push_str(", service_name=");
    quote_into(out, &b[18..18 + (name_len.min(63) as usize)], false);
    let _ = write!(out, ", service_name_len={name_len}");
}

/// `struct sockaddr_vm`.
fn vsock_into(out: &mut String, b: &[u8]) {
    let reserved = u16_at(b, 2);
    if reserved != 0 {
        let _ = write!(out, "svm_reserved1={reserved:#x}, ");
    }
    out.push_str("svm_cid=");
    xlat::value(out, u32_at(b, 8) as u64, &VSOCK_CIDS);
    out.push_str(", svm_port=");
    xlat::value(out, u32_at(b, 4) as u64, &VSOCK_PORTS);
    out.push_str(", svm_flags=");
    xlat::flags(out, b[12] as u64, &VSOCK_FLAGS);
    if b[13..16].iter().any(|&c| c != 0) {
        out.push_str(", svm_zero=");
        quote_into(out, &b[13..16], true);
    }
}

/// `struct sockaddr_xdp`.
fn xdp_into(out: &mut String, b: &[u8], fd_into: &mut dyn FnMut(&mut String, i32)) {
    let flags = u16_at(b, 2);
    out.push_str("sxdp_flags=");
    xlat::flags(out, flags as u64, &XDP_SOCKADDR_FLAGS);
    out.push_str(", sxdp_ifindex=");
    ifindex_into(out, u32_at(b, 4));
    let _ = write!(out, ", sxdp_queue_id={}", u32_at(b, 8));
    let fd = u32_at(b, 12);
    // XDP_SHARED_UMEM: the descriptor of the socket whose memory is shared.
    if flags & 1 != 0 {
        out.push_str(", sxdp_shared_umem_fd=");
        fd_into(out, fd as i32);
    } else if fd != 0 {
        let _ = write!(out, ", sxdp_shared_umem_fd={fd:#x}");
    }
}

/// `struct sockaddr_mctp`.
fn mctp_into(out: &mut String, b: &[u8]) {
    let pad0 = u16_at(b, 2);
    if pad0 != 0 {
        let _ = write!(out, "__smctp_pad0={pad0:#x}, ");
    }
    out.push_str("smctp_network=");
    xlat::value(out, u32_at(b, 4) as u64, &MCTP_NETS);
    out.push_str(", smctp_addr={s_addr=");
    xlat::value(out, b[8] as u64, &MCTP_ADDRS);
    out.push_str("}, smctp_type=");
    hex_into(out, b[9] as u64);
    out.push_str(", smctp_tag=");
    hex_into(out, b[10] as u64);
    if b[11] != 0 {
        let _ = write!(out, ", __smctp_pad1={:#x}", b[11]);
    }
}

/// `sun_path="/tmp/s"`, or `sun_path=@"name"` for an abstract address.
fn unix_into(out: &mut String, b: &[u8]) {
    // `sun_path` is 108 bytes, whatever length the caller passed.
    let path = &b[2..b.len().min(110)];
    out.push_str("sun_path=");
    if path.first() == Some(&0) {
        out.push('@');
        quote_into(out, &path[1..], false);
    } else {
        let end = path.iter().position(|&c| c == 0).unwrap_or(path.len());
        quote_into(out, &path[..end], false);
    }
}

/// A port in network order: `sin_port=htons(80)`, or its bytes under `-X raw`/`-X verbose`.
fn port_into(out: &mut String, name: &str, b: &[u8]) {
    let _ = write!(out, "{name}=");
    raw_or_decoded(
        out,
        b,
        &format!("htons({})", u16::from_be_bytes([b[0], b[1]])),
    );
}

/// The raw bytes, the decoded text, or both (`"\x00\x50" /* htons(80) */`) as `-X` chooses.
pub fn raw_or_decoded(out: &mut String, raw: &[u8], decoded: &str) {
    match style() {
        Style::Abbrev => out.push_str(decoded),
        Style::Raw => quote_into(out, raw, true),
        Style::Verbose => {
            quote_into(out, raw, true);
            let _ = write!(out, " /* {decoded} */");
        }
    }
}

/// An IPv4 address field: `sin_addr=inet_addr("127.0.0.1")`.
pub fn inet_addr_into(out: &mut String, name: &str, b: &[u8]) {
    let _ = write!(out, "{name}=");
    let text = format!("inet_addr(\"{}.{}.{}.{}\")", b[0], b[1], b[2], b[3]);
    raw_or_decoded(out, &b[..4], &text);
}

/// An IPv6 address field: `inet_pton(AF_INET6, "::1", &sin6_addr)`, or under `-X raw`/`-X verbose`
/// `sin6_addr="\x00..."` with the `inet_pton` in a comment.
pub fn inet6_addr_into(out: &mut String, name: &str, b: &[u8]) {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[..16]);
    let text = std::net::Ipv6Addr::from(a).to_string();
    match style() {
        Style::Abbrev => {
            let _ = write!(out, "inet_pton(AF_INET6, \"{text}\", &{name})");
        }
        Style::Raw => {
            let _ = write!(out, "{name}=");
            quote_into(out, &a, true);
        }
        Style::Verbose => {
            let _ = write!(out, "{name}=");
            quote_into(out, &a, true);
            let _ = write!(out, " /* inet_pton(AF_INET6, \"{text}\") */");
        }
    }
}

fn inet6_into(out: &mut String, b: &[u8]) {
    port_into(out, "sin6_port", &b[2..4]);
    out.push_str(", sin6_flowinfo=");
    let flow = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
    raw_or_decoded(out, &b[4..8], &format!("htonl({flow})"));
    out.push_str(", ");
    inet6_addr_into(out, "sin6_addr", &b[8..24]);
    if b.len() > 24 {
        out.push_str(", sin6_scope_id=");
        let scope = u32_at(b, 24);
        // A link-local (fe80::/10) or link-local multicast (ff02::/16) address names an interface.
        let link_local = (b[8] == 0xfe && b[9] & 0xc0 == 0x80) || (b[8] == 0xff && b[9] & 0xf == 2);
        if link_local {
            ifindex_into(out, scope);
        } else {
            let _ = write!(out, "{scope}");
        }
    }
}

/// `struct sockaddr_ll`.
fn packet_into(out: &mut String, b: &[u8]) {
    out.push_str("sll_protocol=");
    let proto = u16::from_be_bytes([b[2], b[3]]);
    match style() {
        Style::Raw => quote_into(out, &b[2..4], true),
        s => {
            if s == Style::Verbose {
                quote_into(out, &b[2..4], true);
                out.push_str(" /* ");
            }
            out.push_str("htons(");
            match ETHERNET_PROTOCOLS.name(proto as u64) {
                Some(n) => out.push_str(n),
                None => {
                    let _ = write!(out, "{proto:#x} /* ETH_P_??? */");
                }
            }
            out.push(')');
            if s == Style::Verbose {
                out.push_str(" */");
            }
        }
    }
    out.push_str(", sll_ifindex=");
    ifindex_into(out, u32_at(b, 4));
    out.push_str(", sll_hatype=");
    xlat::value(out, u16_at(b, 8) as u64, &ARP_HARDWARE_TYPES);
    out.push_str(", sll_pkttype=");
    xlat::value(out, b[10] as u64, &AF_PACKET_TYPES);
    let halen = b[11] as usize;
    let _ = write!(out, ", sll_halen={halen}");
    if halen > 0 {
        out.push_str(", sll_addr=[");
        let avail = b.len() - 12;
        for k in 0..halen {
            if k > 0 {
                out.push_str(", ");
            }
            if k >= avail {
                out.push_str("...");
                break;
            }
            hex0_into(out, b[12 + k] as u64, 1);
        }
        out.push(']');
    }
}

/// A network interface index: `if_nametoindex("lo")` when the host has an interface of that
/// index, the number otherwise (and under `-X raw`).
pub fn ifindex_into(out: &mut String, index: u32) {
    let mut name = [0u8; 16];
    // SAFETY: `name` has room for IF_NAMESIZE (16) bytes, as if_indextoname requires; it writes a
    // NUL-terminated name there or returns NULL.
    let found = unsafe { !libc::if_indextoname(index, name.as_mut_ptr().cast()).is_null() };
    if !found || index == 0 {
        let _ = write!(out, "{index}");
        return;
    }
    let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
    let mut text = String::from("if_nametoindex(");
    quote_into(&mut text, &name[..end], false);
    text.push(')');
    match style() {
        Style::Abbrev => out.push_str(&text),
        Style::Raw => {
            let _ = write!(out, "{index}");
        }
        Style::Verbose => {
            let _ = write!(out, "{index} /* {text} */");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 7-byte AX.25 address from its text: each character shifted left, then the SSID byte.
    fn ax25(call: &[u8; 6], ssid: u8) -> Vec<u8> {
        let mut a: Vec<u8> = call.iter().map(|c| c << 1).collect();
        a.push(ssid << 1);
        a
    }

    #[test]
    fn a_sane_ax25_callsign_reads_as_text_and_an_odd_one_as_bytes_with_the_text() {
        let mut s = String::new();
        ax25_addr_into(&mut s, &ax25(b"VALID ", 13));
        assert_eq!(s, "VALID-13");
        let mut s = String::new();
        ax25_addr_into(&mut s, &ax25(b"      ", 0));
        assert_eq!(s, "*");
        // A space inside the callsign makes it doubtful.
        let mut s = String::new();
        ax25_addr_into(&mut s, &ax25(b"SPA CE", 0));
        assert_eq!(
            s,
            r#"{ax25_call="\xa6\xa0\x82\x40\x86\x8a\x00"} /* SPA CE-0 */"#
        );
    }

    #[test]
    fn a_field_that_should_end_in_nul_is_cut_at_its_nul_or_marked_as_continuing() {
        let mut s = String::new();
        cstr_field_into(&mut s, b"abc\0def");
        assert_eq!(s, r#""abc""#);
        let mut s = String::new();
        cstr_field_into(&mut s, b"abcdefg");
        assert_eq!(s, r#""abcdef"..."#);
        let mut s = String::new();
        cstr_field_into(&mut s, b"abcdef\0");
        assert_eq!(s, r#""abcdef""#);
    }

    #[test]
    fn hex_fields_are_padded_like_strace_pads_them() {
        let mut s = String::new();
        hex0_into(&mut s, 0, 4);
        s.push(' ');
        hex0_into(&mut s, 5, 4);
        s.push(' ');
        hex0_into(&mut s, 0xfacefeed, 4);
        assert_eq!(s, "00000000 0x000005 0xfacefeed");
    }
}
