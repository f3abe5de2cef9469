//! Socket ioctls (`linux/sockios.h`, type 0x89): interface requests (`struct ifreq`), the
//! interface list, bridges, and the integer-valued requests.
//!
//! Design: an interface request names the interface and carries one member of a union, chosen by
//! the request; getters show the name at entry and the member at exit. `struct ifconf` is both ways:
//! the caller passes a buffer and its size, the kernel writes back the size it used and fills the
//! buffer with one `struct ifreq` per interface; the exit text compares with the values at entry
//! (`ifc_len=124 => 80`).

use super::cx::{addr_into, cstring_field, i32_at, u16_at, u64_at, Cx, Rval};
use crate::decode::netlink::names::{ARP_HARDWARE_TYPES, IFFFLAGS};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use crate::decode::{strings, Opts};
use std::fmt::Write;

const IFF: Xlat = Xlat::hex(IFFFLAGS, "IFF_???");
const ARPHRD: Xlat = Xlat::hex(ARP_HARDWARE_TYPES, "ARPHRD_???");
/// `IFNAMSIZ`.
const IFNAMSIZ: usize = 16;
/// `ARPHRD_ETHER`, whose hardware addresses are 6 bytes.
const ARPHRD_ETHER: u16 = 1;

/// `sizeof(struct ifreq)`.
const IFREQ: usize = 40;

/// Decodes a socket request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    let opts = *cx.opts;
    match cx.code {
        // SIOCGIFCONF
        0x8912 => ifconf(cx, out),
        // SIOCBRADDBR, SIOCBRDELBR: a bridge name.
        0x89a0 | 0x89a1 => {
            out.push_str(", ");
            name_into(cx, out, arg);
            Rval::Done
        }
        // FIOGETOWN, SIOCATMARK, SIOCGIFENCAP, SIOCGPGRP, SIOCOUTQNSD
        0x8903 | 0x8905 | 0x8925 | 0x8904 | 0x894b if cx.entering() => Rval::Exit,
        // ... and FIOSETOWN, SIOCSIFENCAP, SIOCSPGRP
        0x8903 | 0x8905 | 0x8925 | 0x8904 | 0x894b | 0x8901 | 0x8926 | 0x8902 => {
            out.push_str(", ");
            cx.int_into(out, arg);
            Rval::Done
        }
        // SIOCBRADDIF, SIOCBRDELIF: an interface index.
        0x89a2 | 0x89a3 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 40) {
                out.push_str("{ifr_ifindex=");
                ifindex_into(out, i32_at(&b, 16));
                out.push('}');
            }
            Rval::Done
        }
        // Setters: SIOCADDMULTI, SIOCDELMULTI, SIOCSIFADDR, SIOCSIFBRDADDR, SIOCSIFDSTADDR,
        // SIOCSIFFLAGS, SIOCSIFHWADDR, SIOCSIFHWBROADCAST, SIOCSIFMAP, SIOCSIFMETRIC, SIOCSIFMTU,
        // SIOCSIFNAME, SIOCSIFNETMASK, SIOCSIFSLAVE, SIOCSIFTXQLEN
        0x8931 | 0x8932 | 0x8916 | 0x891a | 0x8918 | 0x8914 | 0x8924 | 0x8937 | 0x8971 | 0x891e
        | 0x8922 | 0x8923 | 0x891c | 0x8930 | 0x8943 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 40) {
                out.push_str("{ifr_name=");
                cstring_field(out, &b[..IFNAMSIZ], &opts);
                out.push_str(", ");
                ifreq_member(out, cx.code, &b, &opts);
                out.push('}');
            }
            Rval::Done
        }
        // Getters: SIOCGIFADDR, SIOCGIFBRDADDR, SIOCGIFDSTADDR, SIOCGIFFLAGS, SIOCGIFHWADDR,
        // SIOCGIFINDEX, SIOCGIFMAP, SIOCGIFMETRIC, SIOCGIFMTU, SIOCGIFNAME, SIOCGIFNETMASK,
        // SIOCGIFSLAVE, SIOCGIFTXQLEN
        0x8915 | 0x8919 | 0x8917 | 0x8913 | 0x8927 | 0x8933 | 0x8970 | 0x891d | 0x8921 | 0x8910
        | 0x891b | 0x8929 | 0x8942 => {
            if cx.entering() {
                out.push_str(", ");
                let Some(b) = cx.fetch(out, arg, 40) else {
                    return Rval::Done;
                };
                if cx.code == 0x8910 {
                    let _ = write!(out, "{{ifr_ifindex={}", i32_at(&b, 16));
                } else {
                    out.push_str("{ifr_name=");
                    cstring_field(out, &b[..IFNAMSIZ], &opts);
                }
                return Rval::Exit;
            }
            if !cx.failed() {
                if let Some(b) = cx.read(arg, 40) {
                    out.push_str(", ");
                    ifreq_member(out, cx.code, &b, &opts);
                }
            }
            out.push('}');
            Rval::Done
        }
        // Requests whose argument strace shows by address.
        0x8980 | 0x890b | 0x8995 | 0x8990 | 0x8994 | 0x8991 | 0x8992 | 0x8993 | 0x8953 | 0x8981
        | 0x890c | 0x8936 | 0x8960 | 0x8946 | 0x8954 | 0x89b1 | 0x8940 | 0x8938 | 0x891f
        | 0x8935 | 0x8982 | 0x8947 | 0x8948 | 0x8961 | 0x894c | 0x8906 | 0x80108906 | 0x8907
        | 0x80108907 | 0x890d | 0x8955 | 0x89b0 | 0x8941 | 0x8911 | 0x8920 | 0x8934 | 0x8983
        | 0x8949 | 0x8962 | 0x894a => {
            out.push_str(", ");
            addr_into(out, arg);
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// A NUL-terminated name of at most `IFNAMSIZ` bytes, cut at `-s`.
fn name_into(cx: &mut Cx, out: &mut String, addr: u64) {
    if addr == 0 {
        out.push_str("NULL");
        return;
    }
    let mut buf = [0u8; IFNAMSIZ];
    let got = cx.read_upto(addr, &mut buf);
    let end = buf[..got].iter().position(|&c| c == 0);
    // Memory that ends before the NUL and before the size: the address, as strace shows it.
    if end.is_none() && got < IFNAMSIZ {
        addr_into(out, addr);
        return;
    }
    let s = &buf[..end.unwrap_or(got)];
    strings::quote_cstr(out, s, end.is_some(), Some(cx.opts.strsize), cx.opts.xflag);
}

/// An interface index, by name when this host has such an interface: `if_nametoindex("lo")`.
fn ifindex_into(out: &mut String, index: i32) {
    let mut name = [0u8; IFNAMSIZ];
    // SAFETY: `name` is IFNAMSIZ bytes, the size if_indextoname writes at most; it returns NULL
    // (and writes nothing useful) for an unknown index.
    let found = index > 0
        && !unsafe { libc::if_indextoname(index as u32, name.as_mut_ptr().cast()) }.is_null();
    if found {
        let end = name.iter().position(|&c| c == 0).unwrap_or(IFNAMSIZ);
        out.push_str("if_nametoindex(");
        strings::quote_into(out, &name[..end], false);
        out.push(')');
    } else {
        let _ = write!(out, "{index}");
    }
}

/// The member of `struct ifreq`'s union that request `code` uses.
fn ifreq_member(out: &mut String, code: u32, b: &[u8], opts: &Opts) {
    let u = &b[IFNAMSIZ..];
    match code {
        0x8916 | 0x8915 => sockaddr(out, "ifr_addr", u),
        0x8918 | 0x8917 => sockaddr(out, "ifr_dstaddr", u),
        0x891a | 0x8919 => sockaddr(out, "ifr_broadaddr", u),
        0x891c | 0x891b => sockaddr(out, "ifr_netmask", u),
        0x8931 | 0x8932 | 0x8927 | 0x8924 | 0x8937 => {
            let family = u16_at(u, 0);
            out.push_str("ifr_hwaddr={sa_family=");
            xlat::value(out, family as u64, &ARPHRD);
            out.push_str(", sa_data=");
            let len = if family == ARPHRD_ETHER { 6 } else { 14 };
            for (i, c) in u[2..2 + len].iter().enumerate() {
                if i > 0 {
                    out.push(':');
                }
                let _ = write!(out, "{c:02x}");
            }
            out.push('}');
        }
        0x8914 | 0x8913 => {
            out.push_str("ifr_flags=");
            xlat::flags(out, u16_at(u, 0) as u64, &IFF);
        }
        0x8933 => {
            let _ = write!(out, "ifr_ifindex={}", i32_at(u, 0));
        }
        0x891e | 0x891d => {
            let _ = write!(out, "ifr_metric={}", i32_at(u, 0));
        }
        0x8922 | 0x8921 => {
            let _ = write!(out, "ifr_mtu={}", i32_at(u, 0));
        }
        0x8930 | 0x8929 => {
            out.push_str("ifr_slave=");
            cstring_field(out, &u[..IFNAMSIZ], opts);
        }
        0x8923 => {
            out.push_str("ifr_newname=");
            cstring_field(out, &u[..IFNAMSIZ], opts);
        }
        0x8910 => {
            out.push_str("ifr_name=");
            cstring_field(out, &b[..IFNAMSIZ], opts);
        }
        0x8943 | 0x8942 => {
            let _ = write!(out, "ifr_qlen={}", i32_at(u, 0));
        }
        0x8971 | 0x8970 => {
            let _ = write!(
                out,
                "ifr_map={{mem_start={}, mem_end={}, base_addr={}, irq={}, dma={}, port={}}}",
                CHex(u64_at(u, 0)),
                CHex(u64_at(u, 8)),
                CHex(u16_at(u, 16) as u64),
                CHex(u[18] as u64),
                CHex(u[19] as u64),
                CHex(u[20] as u64)
            );
        }
        _ => {}
    }
}

fn sockaddr(out: &mut String, name: &str, u: &[u8]) {
    let _ = write!(out, "{name}=");
    crate::decode::socket::sockaddr::sockaddr_into(out, &u[..16]);
}

/// `ifc_len` with the number of `struct ifreq` it holds.
fn ifc_len(out: &mut String, len: i32) {
    let _ = write!(out, "{len}");
    let n = len as u32 as usize / IFREQ;
    if len > 0 && n * IFREQ == len as usize {
        let _ = write!(out, " /* {n} * sizeof(struct ifreq) */");
    }
}

fn ifconf(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.read(arg, 16).filter(|_| arg != 0) else {
            addr_into(out, arg);
            return Rval::Done;
        };
        out.push_str("{ifc_len=");
        if u64_at(&b, 8) != 0 {
            ifc_len(out, i32_at(&b, 0));
        }
        return Rval::Exit;
    }
    // The values at entry: known when rendering, not while recording (see `Cx::entry_read`).
    let at_entry = cx.entry_read(arg, 16);
    let (entry_len, entry_buf) = at_entry
        .as_ref()
        .map_or((None, None), |e| (Some(i32_at(e, 0)), Some(u64_at(e, 8))));
    let Some(b) = cx.read(arg, 16) else {
        if entry_buf == Some(0) {
            ifc_len(out, entry_len.unwrap_or(0));
        }
        out.push_str(", ifc_buf=");
        addr_into(out, entry_buf.unwrap_or(0));
        out.push('}');
        return Rval::Done;
    };
    let (len, buf) = (i32_at(&b, 0), u64_at(&b, 8));
    let changed = entry_len != Some(len);
    if entry_buf != Some(0) && changed {
        out.push_str(" => ");
    }
    if entry_buf == Some(0) || changed {
        ifc_len(out, len);
    }
    if entry_buf == Some(0) || cx.failed() {
        out.push_str(", ifc_buf=");
        addr_into(out, entry_buf.unwrap_or(0));
        if entry_buf != Some(buf) {
            out.push_str(" => ");
            addr_into(out, buf);
        }
    } else {
        out.push_str(", ifc_buf=");
        let opts = *cx.opts;
        cx.array_into(
            out,
            buf,
            (len as u32 as usize / IFREQ) as u64,
            IFREQ,
            |_, out, r| {
                out.push_str("{ifr_name=");
                cstring_field(out, &r[0..16], &opts);
                out.push_str(", ifr_addr=");
                crate::decode::socket::sockaddr::sockaddr_into(out, &r[16..32]);
                out.push('}');
                true
            },
        );
    }
    out.push('}');
    Rval::Done
}
