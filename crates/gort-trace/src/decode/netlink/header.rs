//! Fixed message headers that start with an address family byte (`ifinfomsg`, `unix_diag_msg`...).
//!
//! Design: rtnetlink and sock_diag headers are printed alike: the family, then (when the payload
//! holds the whole header and it is readable) the other fields, or `...` when the payload is shorter
//! than the header; the attributes follow the header, aligned to 4 bytes. So a header is described by
//! a [`Body`] (its size, its fields with their offsets and shapes, its attribute names and decoder)
//! and printed by [`fixed_into`].

use super::attr::{self, Field};
use super::Ctx;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

static AF: Xlat = Xlat::hex(super::names::ADDRFAMS, "AF_???");

/// An attribute decoder of a header's chain; it is given the header's bytes (its family first).
pub type AttrFn = fn(&Ctx, &mut String, &[u8], u16, u64, u32) -> bool;

/// A fixed header.
pub struct Body {
    /// Name of the family field.
    pub family: &'static str,
    /// `sizeof` the header.
    pub size: u32,
    /// The fields after the family: name, offset, shape. Empty for headers printed as the family
    /// alone (`ndtmsg`, `rtgenmsg`...), whose attributes are decoded whatever the payload's length.
    pub fields: &'static [(&'static str, usize, Field)],
    /// Names of the attributes.
    pub attrs: Option<&'static Xlat>,
    /// Their decoder.
    pub decoder: Option<AttrFn>,
}

/// Prints a header whose family byte (already read) is `family`, and its attributes.
pub fn fixed_into(ctx: &Ctx, out: &mut String, body: &Body, family: u8, addr: u64, len: u32) {
    let _ = write!(out, "{{{}=", body.family);
    xlat::value(out, family as u64, &AF);
    let mut header = vec![family];
    let mut decoded = body.fields.is_empty();
    if !body.fields.is_empty() {
        out.push_str(", ");
        if len >= body.size {
            if let Some(rest) = ctx.read_or_addr(out, addr + 1, body.size as usize - 1) {
                header.extend_from_slice(rest);
                attr::fields_into(out, &header, body.fields);
                decoded = true;
            }
        } else {
            out.push_str("...");
        }
    }
    out.push('}');
    let offset = (body.size + 3) & !3;
    let Some(names) = body.attrs else {
        return;
    };
    if decoded && len > offset {
        out.push_str(", ");
        let (addr, len) = (addr + offset as u64, len - offset);
        match body.decoder {
            Some(f) => {
                let d = |c: &Ctx, o: &mut String, t, a, l| f(c, o, &header, t, a, l);
                attr::decode(ctx, out, addr, len, names, Some(&d))
            }
            None => attr::decode(ctx, out, addr, len, names, None),
        }
    }
}
