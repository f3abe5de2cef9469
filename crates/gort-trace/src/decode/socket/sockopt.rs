//! `getsockopt`/`setsockopt`: option names by level, and option values by level and name.
//!
//! Design: a value is printed as what the option is (an `int` in brackets, `struct linger`, an ICMP type
//! set...) when its length allows, and otherwise as strace does: its address, or its bytes quoted. A
//! `getsockopt` value is cut to the length the kernel returned; a structure cut inside a field shows
//! that field's bytes in hex (`{l_onoff=1, l_linger="\xdf\x4f\x8d"}`). Values are read through a
//! [`Tracee`], so this file is a walking renderer (see `walk.rs`).

use super::filter::{self, socket_filter_k};
use super::names::*;
use super::tracee::{u16_at, u32_at, Tracee};
use super::{ptr, sockaddr};
use crate::decode::strings::quote_buffer;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const SOL_IP: u32 = 0;
const SOL_SOCKET: u32 = 1;
const SOL_IPV6: u32 = 41;
const SOL_RAW: u32 = 255;
const SOL_PACKET: u32 = 263;
const SOL_NETLINK: u32 = 270;

const SO_ERROR: u32 = 4;
const SO_LINGER: u32 = 13;
const SO_PEERCRED: u32 = 17;
const SO_ATTACH_FILTER: u32 = 26;
const SO_ATTACH_REUSEPORT_CBPF: u32 = 51;
const SO_TXREHASH: u32 = 74;

/// `SOL_SOCKET` options whose value is an `int`.
const SO_INT_OPTIONS: &[u32] = &[
    1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35, 36, 37, 40,
    41, 42, 43, 44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75,
];

/// Prints option `name` of `level`; `get` chooses between the names only `getsockopt` or only
/// `setsockopt` knows (`SO_GET_FILTER` and `SO_ATTACH_FILTER` share a number).
pub fn name_into(out: &mut String, level: u32, name: u32, get: bool) {
    let (common, specific): (&Xlat, Option<&Xlat>) = match level {
        SOL_SOCKET => (
            &SO_OPTIONS,
            Some(if get {
                &GETSOCK_OPTIONS
            } else {
                &SETSOCK_OPTIONS
            }),
        ),
        SOL_IP => (
            &IP_OPTIONS,
            Some(if get {
                &GETSOCK_IP_OPTIONS
            } else {
                &SETSOCK_IP_OPTIONS
            }),
        ),
        SOL_IPV6 => (
            &IPV6_OPTIONS,
            Some(if get {
                &GETSOCK_IPV6_OPTIONS
            } else {
                &SETSOCK_IPV6_OPTIONS
            }),
        ),
        6 => (&TCP_OPTIONS, None),
        17 => (&UDP_OPTIONS, None),
        SOL_RAW => (&RAW_OPTIONS, None),
        SOL_PACKET => (&PACKET_OPTIONS, None),
        SOL_NETLINK => (&NETLINK_OPTIONS, None),
        _ => {
            let _ = write!(out, "{name}");
            return;
        }
    };
    match specific {
        Some(x) if common.name(name as u64).is_none() && x.name(name as u64).is_some() => {
            xlat::value(out, name as u64, x)
        }
        _ => xlat::value(out, name as u64, common),
    }
}

/// `[42]`, or the address when the `int` cannot be read.
fn int_into(t: &mut Tracee, out: &mut String, addr: u64) {
    match t.read(addr, 4) {
        Some(b) => {
            let _ = write!(out, "[{}]", u32_at(&b, 0) as i32);
        }
        None => ptr(out, addr),
    }
}

/// The first `len` bytes at `addr`, quoted as strace quotes a buffer (in hex when `hex`): at most
/// `-s` of them, followed by `...` when there were more; the address when they cannot be read.
pub fn bytes_into(t: &mut Tracee, out: &mut String, addr: u64, len: u64, hex: bool) {
    if addr == 0 {
        out.push_str("NULL");
        return;
    }
    let max = t.opts.strsize;
    let size = len.min(max as u64 + 1) as usize;
    match t.read(addr, size) {
        Some(b) => quote_buffer(out, &b, len, max, hex, t.opts.xflag),
        None => ptr(out, addr),
    }
}

/// How one field of a structure cut at `len` bytes is printed.
enum Field {
    /// A signed 32-bit number.
    I32,
    /// An unsigned 32-bit number.
    U32,
    /// A user or group id (`-1` for the unset value).
    Id,
}

/// `{a=1, b=2}` for the fields of `b` (`len` bytes, the kernel's length) that start within `len`; a
/// field cut short shows its bytes in hex.
fn fields_into(out: &mut String, b: &[u8], len: usize, fields: &[(&str, Field)]) {
    out.push('{');
    for (k, (name, kind)) in fields.iter().enumerate() {
        let start = 4 * k;
        if len <= start {
            break;
        }
        if k > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{name}=");
        if len < start + 4 {
            crate::decode::strings::quote_into(out, &b[start..len], true);
            continue;
        }
        let v = u32_at(b, start);
        match kind {
            Field::I32 => {
                let _ = write!(out, "{}", v as i32);
            }
            Field::U32 => {
                let _ = write!(out, "{v}");
            }
            Field::Id if v == u32::MAX => out.push_str("-1"),
            Field::Id => {
                let _ = write!(out, "{v}");
            }
        }
    }
    out.push('}');
}

/// A structure of 32-bit `fields` that `getsockopt` filled with `len` bytes.
fn get_struct_into(
    t: &mut Tracee,
    out: &mut String,
    addr: u64,
    len: i32,
    fields: &[(&str, Field)],
) {
    let len = (len as usize).min(4 * fields.len());
    match t.read(addr, len) {
        Some(b) => fields_into(out, &b, len, fields),
        None => ptr(out, addr),
    }
}

/// The value `getsockopt` returned at `addr`: `ulen` is the length passed in, `rlen` the length the
/// kernel wrote back.
pub fn get_value_into(
    t: &mut Tracee,
    out: &mut String,
    level: u32,
    name: u32,
    addr: u64,
    ulen: i32,
    rlen: i32,
) {
    if ulen <= 0 || rlen <= 0 {
        ptr(out, addr);
        return;
    }
    if addr != 0 {
        match (level, name) {
            (SOL_SOCKET, SO_LINGER) => {
                let f = [("l_onoff", Field::I32), ("l_linger", Field::I32)];
                return get_struct_into(t, out, addr, rlen, &f);
            }
            (SOL_SOCKET, SO_PEERCRED) => {
                let f = [("pid", Field::I32), ("uid", Field::Id), ("gid", Field::Id)];
                return get_struct_into(t, out, addr, rlen, &f);
            }
            (SOL_SOCKET, SO_ATTACH_FILTER) => {
                // The kernel returns the filter's length, an unsigned short.
                return match u16::try_from(rlen) {
                    Ok(n) => filter::program_into(t, out, addr, n, Some(socket_filter_k)),
                    Err(_) => ptr(out, addr),
                };
            }
            (SOL_SOCKET, SO_ERROR) => {
                if rlen < 4 {
                    return bytes_into(t, out, addr, rlen as u64, true);
                }
                return match t.read(addr, 4) {
                    Some(b) => {
                        out.push('[');
                        let e = u32_at(&b, 0);
                        match crate::decode::flags::errno_name(e as i32) {
                            Some(n) => xlat::composed_signed(out, e as i64, n),
                            None => {
                                let _ = write!(out, "{e}");
                            }
                        }
                        out.push(']');
                    }
                    None => ptr(out, addr),
                };
            }
            (SOL_SOCKET, SO_TXREHASH) => return txrehash_into(t, out, addr, rlen, false),
            (SOL_SOCKET, n) if SO_INT_OPTIONS.contains(&n) => {
                return if rlen >= 4 {
                    int_into(t, out, addr)
                } else {
                    bytes_into(t, out, addr, rlen as u64, true)
                };
            }
            (SOL_PACKET, 6) => {
                let f = [
                    ("tp_packets", Field::U32),
                    ("tp_drops", Field::U32),
                    ("tp_freeze_q_cnt", Field::U32),
                ];
                return get_struct_into(t, out, addr, rlen, &f);
            }
            (SOL_RAW, 1) => return icmp_filter_into(t, out, addr, rlen),
            (SOL_NETLINK, 9) => {
                // NETLINK_LIST_MEMBERSHIPS: an array of group bit masks.
                let n = (ulen.min(rlen) as usize) / 4;
                return u32_array_into(t, out, addr, n);
            }
            (SOL_NETLINK, _) => return int_into(t, out, addr),
            _ => {}
        }
    }
    if rlen == 4 {
        int_into(t, out, addr)
    } else {
        bytes_into(t, out, addr, rlen as u64, false)
    }
}

/// `[1, 2, 3]` for `n` `u32`s at `addr`, cut at `-s` items; the address when none can be read.
fn u32_array_into(t: &mut Tracee, out: &mut String, addr: u64, n: usize) {
    if n == 0 {
        out.push_str("[]");
        return;
    }
    if addr == 0 {
        out.push_str("NULL");
        return;
    }
    out.push('[');
    for k in 0..n {
        if k > 0 {
            out.push_str(", ");
        }
        if k == t.opts.strsize {
            out.push_str("...");
            break;
        }
        match t.u32(addr + 4 * k as u64) {
            Some(v) => {
                let _ = write!(out, "{v}");
            }
            None => {
                if k == 0 {
                    out.pop();
                    ptr(out, addr);
                    return;
                }
                out.push_str("...");
                let _ = write!(out, " /* {:#x} */", addr + 4 * k as u64);
                break;
            }
        }
    }
    out.push(']');
}

/// `SO_TXREHASH`'s value: `[SOCK_TXREHASH_ENABLED]`.
fn txrehash_into(t: &mut Tracee, out: &mut String, addr: u64, len: i32, set: bool) {
    if len < 4 {
        if set {
            ptr(out, addr);
        } else {
            bytes_into(t, out, addr, len as u64, true);
        }
        return;
    }
    match t.read(addr, 4) {
        Some(b) => {
            out.push('[');
            xlat::value(out, u32_at(&b, 0) as u64, &TXREHASH);
            out.push(']');
        }
        None => ptr(out, addr),
    }
}

/// `ICMP_FILTER`'s set of ICMP types, shown as the types it lets through when more than half are
/// filtered (`~[ICMP_ECHOREPLY]`).
fn icmp_filter_into(t: &mut Tracee, out: &mut String, addr: u64, len: i32) {
    if len <= 0 {
        ptr(out, addr);
        return;
    }
    let len = (len as usize).min(4);
    let Some(b) = t.read(addr, len) else {
        ptr(out, addr);
        return;
    };
    let mut word = [0xffu8; 4];
    word[..len].copy_from_slice(&b);
    let mut data = u32::from_ne_bytes(word);
    if data.count_ones() > 16 {
        data = !data;
        out.push('~');
    }
    out.push('[');
    let mut first = true;
    for bit in 0..32 {
        if data & (1 << bit) != 0 {
            if !first {
                out.push(' ');
            }
            first = false;
            xlat::value(out, bit, &ICMP_FILTER_FLAGS);
        }
    }
    out.push(']');
}

/// The value `setsockopt` is given at `addr`, `len` bytes long.
pub fn set_value_into(
    t: &mut Tracee,
    out: &mut String,
    level: u32,
    name: u32,
    addr: u64,
    len: i32,
) {
    if addr != 0 {
        match (level, name) {
            (SOL_SOCKET, SO_LINGER) => {
                return match t.read(addr, 8).filter(|_| len >= 8) {
                    Some(b) => fields_into(
                        out,
                        &b,
                        8,
                        &[("l_onoff", Field::I32), ("l_linger", Field::I32)],
                    ),
                    None => ptr(out, addr),
                };
            }
            (SOL_SOCKET, SO_ATTACH_FILTER | SO_ATTACH_REUSEPORT_CBPF) => {
                // A `struct sock_fprog`.
                return if len == 16 {
                    filter::fprog_into(t, out, addr, Some(socket_filter_k))
                } else {
                    ptr(out, addr)
                };
            }
            (SOL_SOCKET, SO_TXREHASH) => return txrehash_into(t, out, addr, len, true),
            (SOL_SOCKET, n) if SO_INT_OPTIONS.contains(&n) => {
                return if len < 4 {
                    ptr(out, addr)
                } else {
                    int_into(t, out, addr)
                };
            }
            // IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP: struct ip_mreq.
            (SOL_IP, 35 | 36) => {
                return match t.read(addr, 8).filter(|_| len >= 8) {
                    Some(b) => {
                        out.push('{');
                        sockaddr::inet_addr_into(out, "imr_multiaddr", &b[0..4]);
                        out.push_str(", ");
                        sockaddr::inet_addr_into(out, "imr_interface", &b[4..8]);
                        out.push('}');
                    }
                    None => ptr(out, addr),
                };
            }
            // IPV6_ADD_MEMBERSHIP, IPV6_DROP_MEMBERSHIP, IPV6_JOIN_ANYCAST, IPV6_LEAVE_ANYCAST:
            // struct ipv6_mreq.
            (SOL_IPV6, 20 | 21 | 27 | 28) => {
                return match t.read(addr, 20).filter(|_| len >= 20) {
                    Some(b) => {
                        out.push('{');
                        sockaddr::inet6_addr_into(out, "ipv6mr_multiaddr", &b[0..16]);
                        out.push_str(", ipv6mr_interface=");
                        sockaddr::ifindex_into(out, u32_at(&b, 16));
                        out.push('}');
                    }
                    None => ptr(out, addr),
                };
            }
            // MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP: struct group_req.
            (SOL_IP | SOL_IPV6, 42 | 45) => {
                return match t.read(addr, 136).filter(|_| len >= 136) {
                    Some(b) => {
                        out.push_str("{gr_interface=");
                        sockaddr::ifindex_into(out, u32_at(&b, 0));
                        out.push_str(", gr_group=");
                        sockaddr::sockaddr_into(out, &b[8..136]);
                        out.push('}');
                    }
                    None => ptr(out, addr),
                };
            }
            // PACKET_RX_RING, PACKET_TX_RING: struct tpacket_req.
            (SOL_PACKET, 5 | 13) => {
                return match t.read(addr, 16).filter(|_| len == 16) {
                    Some(b) => fields_into(
                        out,
                        &b,
                        16,
                        &[
                            ("tp_block_size", Field::U32),
                            ("tp_block_nr", Field::U32),
                            ("tp_frame_size", Field::U32),
                            ("tp_frame_nr", Field::U32),
                        ],
                    ),
                    None => ptr(out, addr),
                };
            }
            // PACKET_ADD_MEMBERSHIP, PACKET_DROP_MEMBERSHIP: struct packet_mreq.
            (SOL_PACKET, 1 | 2) => {
                return match t.read(addr, 16).filter(|_| len == 16) {
                    Some(b) => packet_mreq_into(out, &b),
                    None => ptr(out, addr),
                };
            }
            (SOL_RAW, 1) => return icmp_filter_into(t, out, addr, len),
            (SOL_NETLINK, _) => {
                return if len < 4 {
                    ptr(out, addr)
                } else {
                    int_into(t, out, addr)
                };
            }
            _ => {}
        }
    }
    if len == 4 {
        int_into(t, out, addr)
    } else {
        bytes_into(t, out, addr, len as u32 as u64, false)
    }
}

/// `{mr_ifindex=0, mr_type=PACKET_MR_PROMISC, mr_alen=6, mr_address=01:02:03:04:05:06}`.
fn packet_mreq_into(out: &mut String, b: &[u8]) {
    out.push_str("{mr_ifindex=");
    sockaddr::ifindex_into(out, u32_at(b, 0));
    out.push_str(", mr_type=");
    xlat::value(out, u16_at(b, 4) as u64, &PACKET_MREQ_TYPE);
    let alen = u16_at(b, 6);
    let _ = write!(out, ", mr_alen={alen}, mr_address=");
    let shown = &b[8..8 + (alen as usize).min(8)];
    let mut mac = String::new();
    for (k, byte) in shown.iter().enumerate() {
        if k > 0 {
            mac.push(':');
        }
        let _ = write!(mac, "{byte:02x}");
    }
    sockaddr::raw_or_decoded(out, shown, &mac);
    out.push('}');
}
