//! Netlink attribute chains (`struct nlattr` + data) and the decoders of common attribute data.
//!
//! Design: [`decode`] walks a chain the way strace does (each attribute's header read on its own, the
//! next one `NLA_ALIGN(nla_len)` further, at most `-s` of them unless `-v`), printing each as
//! `{nla_len=N, nla_type=NAME}` or, when it carries data, `[{...}, data]`. The data is given to the
//! chain's decoder with the attribute's type; a decoder that does not know the type, or finds the data
//! the wrong size, returns false and the data is shown in hex. Most attribute data is a number, a
//! string or a named value: [`Nla`] names those shapes so that a family's decoder is a `match` from
//! attribute type to shape.

use super::{addr_into, more_at, str_into, u16_at, Ctx, Quote, HEX, NUL_STR};
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

/// `sizeof(struct nlattr)`.
pub const NLA_HDRLEN: u32 = 4;
const NLA_F_NESTED: u16 = 0x8000;
const NLA_F_NET_BYTEORDER: u16 = 0x4000;
const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// Decodes the data of an attribute of the given type at `addr`, `len` bytes; false when the data
/// should be shown in hex instead.
pub type Decoder<'d> = &'d dyn Fn(&Ctx, &mut String, u16, u64, u32) -> bool;

/// Prints a chain of attributes of `len` bytes at `addr`, named by `names`.
pub fn decode(
    ctx: &Ctx,
    out: &mut String,
    mut addr: u64,
    mut len: u32,
    names: &Xlat,
    decoder: Option<Decoder>,
) {
    let mut in_array = false;
    let mut elt = 0;
    loop {
        if len < NLA_HDRLEN {
            str_into(ctx, out, addr, len as u64, HEX);
            break;
        }
        let Some(b) = ctx.read(addr, NLA_HDRLEN as usize) else {
            more_at(out, addr, in_array);
            break;
        };
        if ctx.abbrev() && elt == ctx.strsize {
            out.push_str("...");
            break;
        }
        elt += 1;
        let nla_len = u16_at(b, 0);
        let nla_type = u16_at(b, 2);
        let aligned = (nla_len as u32 + 3) & !3;
        let mut next_addr = 0;
        let mut next_len = 0;
        if nla_len as u32 >= NLA_HDRLEN {
            next_len = len.saturating_sub(aligned);
            if next_len != 0 && addr.wrapping_add(aligned as u64) > addr {
                next_addr = addr + aligned as u64;
            }
        }
        if !in_array && next_addr != 0 {
            out.push('[');
            in_array = true;
        }
        with_data_into(ctx, out, nla_len, nla_type, addr, len, names, decoder);
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

#[allow(clippy::too_many_arguments)]
fn with_data_into(
    ctx: &Ctx,
    out: &mut String,
    nla_len: u16,
    nla_type: u16,
    addr: u64,
    len: u32,
    names: &Xlat,
    decoder: Option<Decoder>,
) {
    let data_len = (nla_len as u32).min(len);
    if data_len > NLA_HDRLEN {
        out.push('[');
    }
    let _ = write!(out, "{{nla_len={nla_len}, nla_type=");
    if nla_type & NLA_F_NESTED != 0 {
        xlat::composed(out, NLA_F_NESTED as u64, "NLA_F_NESTED");
        out.push('|');
    }
    if nla_type & NLA_F_NET_BYTEORDER != 0 {
        xlat::composed(out, NLA_F_NET_BYTEORDER as u64, "NLA_F_NET_BYTEORDER");
        out.push('|');
    }
    let kind = (nla_type & NLA_TYPE_MASK) as u64;
    if names.names.is_empty() && names.unknown.is_empty() {
        // A family whose attributes strace does not name: the number alone.
        let _ = write!(out, "{}", crate::decode::structs::CHex(kind));
    } else {
        xlat::value(out, kind, names);
    }
    out.push('}');
    if data_len > NLA_HDRLEN {
        out.push_str(", ");
        let data = addr + NLA_HDRLEN as u64;
        let n = data_len - NLA_HDRLEN;
        let done = decoder.is_some_and(|d| d(ctx, out, nla_type & NLA_TYPE_MASK, data, n));
        if !done {
            str_into(ctx, out, data, n as u64, HEX);
        }
        out.push(']');
    }
}

/// The shapes of attribute data that strace decodes the same way in every family.
#[derive(Clone, Copy, Debug)]
pub enum Nla {
    /// Unsigned decimal, 1 byte.
    U8,
    /// Unsigned decimal, 2 bytes.
    U16,
    /// Unsigned decimal, 4 bytes.
    U32,
    /// Unsigned decimal, 8 bytes.
    U64,
    /// Signed decimal, 1 byte.
    S8,
    /// Signed decimal, 2 bytes.
    S16,
    /// Signed decimal, 4 bytes.
    S32,
    /// Signed decimal, 8 bytes.
    S64,
    /// Hex, 1 byte.
    X8,
    /// Hex, 2 bytes.
    X16,
    /// Hex, 4 bytes.
    X32,
    /// Hex, 8 bytes.
    X64,
    /// Hex of whichever of the four sizes the data has.
    Xint,
    /// A NUL-terminated string.
    Str,
    /// A string of the data's length.
    Strn,
    /// `htons(N)`.
    Be16,
    /// `htobe64(N)`.
    Be64,
    /// A file descriptor.
    Fd,
    /// A user or group id.
    Uid,
    /// An interface index (`if_nametoindex("lo")` for a known one).
    Ifindex,
    /// An IPv4 address: `inet_addr("1.2.3.4")`.
    InAddr,
    /// An IPv6 address: `inet_pton(AF_INET6, "::1")`.
    In6Addr,
    /// A named value of at most 8 bytes (at least `size` when it is not 0).
    Xval(&'static Xlat, u8),
    /// A flag word of at most 8 bytes.
    Flags(&'static Xlat, u8),
    /// `clock_t` ticks.
    ClockT,
}

/// Decodes data of one of the common shapes; false when the data does not fit the shape.
pub fn simple(ctx: &Ctx, out: &mut String, shape: Nla, addr: u64, len: u32) -> bool {
    let int = |out: &mut String, size: u32, f: &dyn Fn(&mut String, &[u8])| {
        if len < size {
            return false;
        }
        if let Some(b) = ctx.read_or_addr(out, addr, size as usize) {
            f(out, b);
        }
        true
    };
    match shape {
        Nla::U8 => int(out, 1, &|o, b| push(o, b[0])),
        Nla::U16 => int(out, 2, &|o, b| push(o, u16_at(b, 0))),
        Nla::U32 => int(out, 4, &|o, b| push(o, super::u32_at(b, 0))),
        Nla::U64 => int(out, 8, &|o, b| push(o, super::u64_at(b, 0))),
        Nla::S8 => int(out, 1, &|o, b| push(o, b[0] as i8)),
        Nla::S16 => int(out, 2, &|o, b| push(o, u16_at(b, 0) as i16)),
        Nla::S32 => int(out, 4, &|o, b| push(o, super::u32_at(b, 0) as i32)),
        Nla::S64 => int(out, 8, &|o, b| push(o, super::u64_at(b, 0) as i64)),
        Nla::X8 => int(out, 1, &|o, b| hex(o, b[0] as u64)),
        Nla::X16 => int(out, 2, &|o, b| hex(o, u16_at(b, 0) as u64)),
        Nla::X32 => int(out, 4, &|o, b| hex(o, super::u32_at(b, 0) as u64)),
        Nla::X64 => int(out, 8, &|o, b| hex(o, super::u64_at(b, 0))),
        Nla::Xint => match len {
            1 => simple(ctx, out, Nla::X8, addr, len),
            2 => simple(ctx, out, Nla::X16, addr, len),
            4 => simple(ctx, out, Nla::X32, addr, len),
            8 => simple(ctx, out, Nla::X64, addr, len),
            _ => false,
        },
        Nla::Str => str_data(ctx, out, addr, len),
        Nla::Strn => {
            str_into(ctx, out, addr, len as u64, Quote::default());
            true
        }
        Nla::Be16 => int(out, 2, &|o, b| {
            let _ = write!(o, "htons({})", u16::from_be_bytes([b[0], b[1]]));
        }),
        Nla::Be64 => int(out, 8, &|o, b| {
            let v = u64::from_be_bytes(b[..8].try_into().unwrap_or_default());
            let _ = write!(o, "htobe64({v})");
        }),
        Nla::Fd => int(out, 4, &|o, b| ctx.fd_into(o, super::u32_at(b, 0) as i32)),
        Nla::Uid => int(out, 4, &|o, b| match super::u32_at(b, 0) {
            u32::MAX => o.push_str("-1"),
            v => push(o, v),
        }),
        Nla::Ifindex => int(out, 4, &|o, b| ifindex_into(o, super::u32_at(b, 0))),
        Nla::InAddr => int(out, 4, &|o, b| inet_addr_into(o, AF_INET, b, None)),
        Nla::In6Addr => int(out, 16, &|o, b| inet_addr_into(o, AF_INET6, b, None)),
        Nla::Xval(x, size) | Nla::Flags(x, size) => {
            if len > 8 || len < size as u32 {
                return false;
            }
            let n = if size > 0 { len.min(size as u32) } else { len };
            if let Some(b) = ctx.read_or_addr(out, addr, n as usize) {
                let mut v = [0u8; 8];
                v[..b.len()].copy_from_slice(b);
                let v = u64::from_le_bytes(v);
                if matches!(shape, Nla::Xval(..)) {
                    xlat::value(out, v, x);
                } else {
                    xlat::flags(out, v, x);
                }
            }
            true
        }
        Nla::ClockT => {
            if len > 8 {
                return false;
            }
            if let Some(b) = ctx.read_or_addr(out, addr, len as usize) {
                let mut v = [0u8; 8];
                v[..b.len()].copy_from_slice(b);
                clock_t_into(out, u64::from_le_bytes(v));
            }
            true
        }
    }
}

fn push(out: &mut String, v: impl std::fmt::Display) {
    let _ = write!(out, "{v}");
}

fn hex(out: &mut String, v: u64) {
    if v == 0 {
        out.push('0');
    } else {
        let _ = write!(out, "{v:#x}");
    }
}

/// An interface index: `if_nametoindex("lo")` when an interface of this host has it, the number
/// otherwise.
pub fn ifindex_into(out: &mut String, index: u32) {
    let Some(name) = interface_name(index).filter(|_| index != 0) else {
        push(out, index);
        return;
    };
    let mut text = String::from("if_nametoindex(");
    crate::decode::strings::quote_into(&mut text, name.as_bytes(), false);
    text.push(')');
    match xlat::style() {
        xlat::Style::Abbrev => out.push_str(&text),
        xlat::Style::Raw => push(out, index),
        xlat::Style::Verbose => {
            let _ = write!(out, "{index} /* {text} */");
        }
    }
}

/// The name of the interface with this index, from `/sys/class/net/*/ifindex`.
fn interface_name(index: u32) -> Option<String> {
    std::fs::read_dir("/sys/class/net").ok()?.find_map(|e| {
        let e = e.ok()?;
        let idx = std::fs::read_to_string(e.path().join("ifindex")).ok()?;
        (idx.trim().parse::<u32>().ok()? == index).then(|| e.file_name().to_string_lossy().into())
    })
}

/// A string attribute: shown without its NUL, and as cut (`"abc"...`) when it has none.
pub fn str_data(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    str_into(ctx, out, addr, len as u64, NUL_STR);
    true
}

/// A `u32` attribute.
pub fn u32_data(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    simple(ctx, out, Nla::U32, addr, len)
}

/// An array of `len / size` elements of `size` bytes: `[1, 2, 3]`, at most `-s` of them unless `-v`
/// (strace's `print_array`).
pub fn array_into(
    ctx: &Ctx,
    out: &mut String,
    addr: u64,
    len: u32,
    size: u32,
    elem: impl Fn(&mut String, &[u8]),
) {
    array_indexed_into(ctx, out, addr, len, size, None, elem)
}

/// [`array_into`] with each element's index named by `indices`: `[[SK_MEMINFO_RMEM_ALLOC]=1, ...]`.
pub fn array_indexed_into(
    ctx: &Ctx,
    out: &mut String,
    addr: u64,
    len: u32,
    size: u32,
    indices: Option<&Xlat>,
    elem: impl Fn(&mut String, &[u8]),
) {
    let n = len / size;
    if addr == 0 {
        out.push_str("NULL");
        return;
    }
    if n == 0 {
        out.push_str("[]");
        return;
    }
    for i in 0..n {
        let at = addr + (i * size) as u64;
        if i > 0 {
            out.push_str(", ");
        }
        let Some(b) = ctx.read(at, size as usize) else {
            if i == 0 {
                addr_into(out, at);
                return;
            }
            let _ = write!(out, "... /* {at:#x} */");
            break;
        };
        if i == 0 {
            out.push('[');
        }
        if ctx.abbrev() && i as usize >= ctx.strsize {
            out.push_str("...");
            break;
        }
        if let Some(x) = indices {
            out.push('[');
            xlat::value(out, i as u64, x);
            out.push_str("]=");
        }
        elem(out, b);
    }
    out.push(']');
}

/// How one field of a fixed struct is printed.
#[derive(Clone, Copy)]
pub enum Field {
    /// Unsigned decimal of this many bytes.
    U(u8),
    /// Signed decimal of this many bytes.
    S(u8),
    /// Hex of this many bytes.
    X(u8),
    /// Hex of this many bytes, printed only when not zero (padding).
    NonzeroX(u8),
    /// Hex zero-padded to the field's width (`0x0000abcd`).
    X0(u8),
    /// An interface index.
    Ifindex,
    /// A named value of this many bytes.
    Val(u8, &'static Xlat),
    /// A flag word of this many bytes.
    Flags(u8, &'static Xlat),
    /// A named value of this many bytes, looked up in one table and then the other.
    Val2(u8, &'static Xlat, &'static Xlat),
    /// A socket cookie, two `u32`s: `[1, 2]`.
    Cookie,
    /// A device number (`u32`): `makedev(0x1, 0x2)`.
    Dev,
    /// A hardware address of this many bytes: `ab:cd:ef:...`.
    Mac(u8),
    /// An array of this many bytes in decimal: `[171, 205]`.
    Bytes(u8),
    /// A big-endian `u16` value named by a table: `htons(ETH_P_8021Q)`.
    Htons(&'static Xlat),
    /// A field printed by its own function, given the whole struct and the field's offset.
    Custom(fn(&mut String, &[u8], usize)),
}

/// A little-endian unsigned number of `n` bytes at `off`.
pub fn le(b: &[u8], off: usize, n: u8) -> u64 {
    let mut v = [0u8; 8];
    v[..n as usize].copy_from_slice(&b[off..off + n as usize]);
    u64::from_le_bytes(v)
}

/// Prints the fields (name, offset in `b`, shape) of a struct, without braces; fields that print
/// nothing (zero padding) are left out with their separator.
pub fn fields_into(out: &mut String, b: &[u8], fields: &[(&str, usize, Field)]) {
    let mut first = true;
    for &(name, off, shape) in fields {
        let n = match shape {
            Field::U(n) | Field::S(n) | Field::X(n) | Field::NonzeroX(n) | Field::X0(n) => n,
            Field::Val(n, _) | Field::Flags(n, _) | Field::Val2(n, _, _) => n,
            Field::Ifindex | Field::Dev => 4,
            Field::Cookie => 8,
            Field::Mac(n) | Field::Bytes(n) => n,
            Field::Htons(_) => 2,
            Field::Custom(_) => 0,
        };
        let v = if n == 0 { 0 } else { le(b, off, n.min(8)) };
        if matches!(shape, Field::NonzeroX(_)) && v == 0 {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        let _ = write!(out, "{name}=");
        match shape {
            Field::U(_) => push(out, v),
            Field::S(n) => {
                let shift = 64 - 8 * n as u32;
                push(out, ((v << shift) as i64) >> shift)
            }
            Field::X(_) | Field::NonzeroX(_) => hex(out, v),
            Field::X0(n) => hex0_into(out, v, n),
            Field::Ifindex => ifindex_into(out, v as u32),
            Field::Val(_, t) => xlat::value(out, v, t),
            Field::Flags(_, t) => xlat::flags(out, v, t),
            Field::Val2(_, a, b) => match a.name(v).or_else(|| b.name(v)) {
                Some(name) => xlat::composed(out, v, name),
                None => xlat::value(out, v, a),
            },
            Field::Cookie => {
                let _ = write!(out, "[{}, {}]", v as u32, v >> 32);
            }
            Field::Dev => crate::decode::structs::makedev_into(out, v),
            Field::Mac(n) => mac_into(out, &b[off..off + n as usize]),
            Field::Bytes(n) => {
                out.push('[');
                for (i, x) in b[off..off + n as usize].iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    push(out, x);
                }
                out.push(']');
            }
            Field::Custom(f) => f(out, b, off),
            Field::Htons(t) => {
                out.push_str("htons(");
                xlat::value(out, u16::from_be(v as u16) as u64, t);
                out.push(')');
            }
        }
    }
}

/// Attribute data holding a struct of `size` bytes: `{a=1, b=2}`; false (hex) when shorter.
pub fn struct_data(
    ctx: &Ctx,
    out: &mut String,
    addr: u64,
    len: u32,
    size: u32,
    fields: &[(&str, usize, Field)],
) -> bool {
    if len < size {
        return false;
    }
    if let Some(b) = ctx.read_or_addr(out, addr, size as usize) {
        out.push('{');
        fields_into(out, b, fields);
        out.push('}');
    }
    true
}

const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

/// An address of family `af` as strace prints one (`inet_addr("1.2.3.4")`, in the `-X` style), or
/// the bytes in hex for another family; `var` names the struct field holding it, if any.
pub fn inet_addr_into(out: &mut String, af: u8, b: &[u8], var: Option<&str>) {
    let field = |out: &mut String| {
        if let Some(v) = var {
            let _ = write!(out, "{v}=");
        }
    };
    let hex = |out: &mut String, n: usize| crate::decode::strings::quote_into(out, &b[..n], true);
    let style = xlat::style();
    match af {
        AF_INET if b.len() >= 4 => {
            field(out);
            if style != xlat::Style::Abbrev {
                hex(out, 4);
            }
            let text = format!("inet_addr(\"{}.{}.{}.{}\")", b[0], b[1], b[2], b[3]);
            match style {
                xlat::Style::Raw => {}
                xlat::Style::Abbrev => out.push_str(&text),
                xlat::Style::Verbose => {
                    let _ = write!(out, " /* {text} */");
                }
            }
        }
        AF_INET6 if b.len() >= 16 => {
            if style != xlat::Style::Abbrev {
                field(out);
                hex(out, 16);
            }
            let a: [u8; 16] = b[..16].try_into().unwrap_or_default();
            let mut text = format!("inet_pton(AF_INET6, \"{}\"", std::net::Ipv6Addr::from(a));
            match (var, style) {
                (Some(v), xlat::Style::Abbrev) => {
                    let _ = write!(text, ", &{v})");
                }
                _ => text.push(')'),
            }
            match style {
                xlat::Style::Raw => {}
                xlat::Style::Abbrev => out.push_str(&text),
                xlat::Style::Verbose => {
                    let _ = write!(out, " /* {text} */");
                }
            }
        }
        _ => {
            field(out);
            hex(out, b.len());
        }
    }
}

/// An address attribute of family `af` (strace's `decode_inet_addr`).
pub fn inet_addr_data(ctx: &Ctx, out: &mut String, af: u8, addr: u64, len: u32) -> bool {
    inet_addr_var(ctx, out, af, addr, len, None);
    true
}

/// [`inet_addr_data`] for a struct field named `var`.
pub fn inet_addr_var(ctx: &Ctx, out: &mut String, af: u8, addr: u64, len: u32, var: Option<&str>) {
    let size = match af {
        AF_INET => 4,
        AF_INET6 => 16,
        _ => 0,
    };
    let field = |out: &mut String| {
        if let Some(v) = var {
            let _ = write!(out, "{v}=");
        }
    };
    if size == 0 || len < size {
        field(out);
        str_into(ctx, out, addr, len as u64, HEX);
        return;
    }
    match ctx.read(addr, size as usize) {
        Some(b) => inet_addr_into(out, af, b, var),
        None => {
            field(out);
            addr_into(out, addr);
        }
    }
}

/// A hardware address attribute: `ab:cd:ef` (in the `-X` style); false (hex) when longer than
/// `MAX_ADDR_LEN`. `shown` caps how many bytes the address of this device type has.
pub fn hwaddr_data(ctx: &Ctx, out: &mut String, addr: u64, len: u32, shown: Option<u32>) -> bool {
    const MAX_ADDR_LEN: u32 = 32;
    if len > MAX_ADDR_LEN {
        return false;
    }
    if let Some(b) = ctx.read_or_addr(out, addr, len as usize) {
        let n = shown.map_or(b.len(), |s| (s as usize).min(b.len()));
        mac_text_into(out, b, &b[..n]);
    }
    true
}

/// A hardware address: `ab:cd:ef` (hex bytes under `-X raw`, both under `-X verbose`).
pub fn mac_into(out: &mut String, b: &[u8]) {
    mac_text_into(out, b, b)
}

fn mac_text_into(out: &mut String, raw: &[u8], shown: &[u8]) {
    let mac = shown
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(":");
    match xlat::style() {
        xlat::Style::Abbrev => out.push_str(&mac),
        xlat::Style::Raw => crate::decode::strings::quote_into(out, raw, true),
        xlat::Style::Verbose => {
            crate::decode::strings::quote_into(out, raw, true);
            let _ = write!(out, " /* {mac} */");
        }
    }
}

/// Clock ticks, with their value in seconds in a comment (`150 /* 1.50 s */`).
pub fn clock_t_into(out: &mut String, ticks: u64) {
    // The USER_HZ every Linux ABI reports to user space.
    const CLK_TCK: u64 = 100;
    push(out, ticks);
    if xlat::style() != xlat::Style::Raw && ticks > 0 {
        let _ = write!(out, " /* {}.{:02} s */", ticks / CLK_TCK, ticks % CLK_TCK);
    }
}

/// C's `%#0*x` with the width of an `n`-byte value: `0x0000abcd`, and `00000000` for zero.
pub fn hex0_into(out: &mut String, v: u64, n: u8) {
    let width = 2 * n as usize;
    if v == 0 {
        let _ = write!(out, "{:0width$}", 0);
    } else {
        let _ = write!(out, "{v:#0w$x}", w = width);
    }
}
