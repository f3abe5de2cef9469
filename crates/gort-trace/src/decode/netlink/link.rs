//! Attributes of rtnetlink link messages (`ifinfomsg`: `IFLA_*`).

use super::attr::{simple, Nla};
use super::route::by_table;
use super::Ctx;

/// Decodes the data of one `IFLA_*` attribute.
pub fn attr_into(ctx: &Ctx, out: &mut String, hdr: &[u8], kind: u16, addr: u64, len: u32) -> bool {
    let _ = hdr;
    const T: &[(u16, Nla)] = &[
        (3, Nla::Str),
        (4, Nla::U32),
        (5, Nla::U32),
        (6, Nla::Str),
        (10, Nla::U32),
        (13, Nla::U32),
        (15, Nla::U32),
        (16, Nla::U8),
        (17, Nla::U8),
        (19, Nla::U32),
        (20, Nla::Str),
        (21, Nla::U32),
        (27, Nla::U32),
        (28, Nla::Fd),
        (30, Nla::U32),
        (31, Nla::U32),
        (32, Nla::U32),
        (33, Nla::U8),
        (35, Nla::U32),
        (37, Nla::S32),
        (38, Nla::Str),
        (39, Nla::U8),
        (40, Nla::U32),
        (41, Nla::U32),
        (45, Nla::S32),
        (46, Nla::S32),
        (47, Nla::U32),
        (48, Nla::U32),
        (49, Nla::Ifindex),
        (50, Nla::U32),
        (51, Nla::U32),
        (53, Nla::Str),
        (56, Nla::Str),
        (57, Nla::Str),
        (58, Nla::U32),
        (59, Nla::U32),
        (60, Nla::U32),
        (61, Nla::U32),
    ];
    let _ = simple;
    by_table(ctx, out, T, kind, addr, len)
}
