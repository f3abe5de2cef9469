//! Traffic-control attributes of rtnetlink (`tcmsg`, `tcamsg`): statistics, rate estimators and
//! size tables.

use super::attr::{self, simple, struct_data, Field, Nla};
use super::{names, Ctx};
use crate::decode::xlat::Xlat;
use std::fmt::Write;

static STATS_ATTRS: Xlat = Xlat::hex(names::RTNL_TCA_STATS_ATTRS, "TCA_STATS_???");
static STAB_ATTRS: Xlat = Xlat::hex(names::RTNL_TCA_STAB_ATTRS, "TCA_STAB_???");

/// `TCA_STATS2`/`TCA_ACT_STATS`: a chain of `TCA_STATS_*` attributes.
pub fn stats_data(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    attr::decode(ctx, out, addr, len, &STATS_ATTRS, Some(&stats_attr));
    true
}

const BASIC: &[(&str, usize, Field)] = &[("bytes", 0, Field::U(8)), ("packets", 8, Field::U(4))];

fn stats_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 | 7 => struct_data(ctx, out, addr, len, 12, BASIC),
        2 => struct_data(
            ctx,
            out,
            addr,
            len,
            8,
            &[("bps", 0, Field::U(4)), ("pps", 4, Field::U(4))],
        ),
        3 => struct_data(
            ctx,
            out,
            addr,
            len,
            20,
            &[
                ("qlen", 0, Field::U(4)),
                ("backlog", 4, Field::U(4)),
                ("drops", 8, Field::U(4)),
                ("requeues", 12, Field::U(4)),
                ("overlimits", 16, Field::U(4)),
            ],
        ),
        5 => struct_data(
            ctx,
            out,
            addr,
            len,
            16,
            &[("bps", 0, Field::U(8)), ("pps", 8, Field::U(8))],
        ),
        8 => simple(ctx, out, Nla::U64, addr, len),
        _ => false,
    }
}

/// `TCA_STATS`: a `struct tc_stats`.
pub fn tc_stats_data(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    struct_data(
        ctx,
        out,
        addr,
        len,
        36,
        &[
            ("bytes", 0, Field::U(8)),
            ("packets", 8, Field::U(4)),
            ("drops", 12, Field::U(4)),
            ("overlimits", 16, Field::U(4)),
            ("bps", 20, Field::U(4)),
            ("pps", 24, Field::U(4)),
            ("qlen", 28, Field::U(4)),
            ("backlog", 32, Field::U(4)),
        ],
    )
}

/// `TCA_RATE`: a `struct tc_estimator`.
pub fn estimator_data(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    struct_data(
        ctx,
        out,
        addr,
        len,
        2,
        &[("interval", 0, Field::S(1)), ("ewma_log", 1, Field::U(1))],
    )
}

/// `TCA_STAB`: a size specification and its table.
pub fn stab_data(ctx: &Ctx, out: &mut String, addr: u64, len: u32) -> bool {
    attr::decode(ctx, out, addr, len, &STAB_ATTRS, Some(&stab_attr));
    true
}

fn stab_attr(ctx: &Ctx, out: &mut String, kind: u16, addr: u64, len: u32) -> bool {
    match kind {
        1 => struct_data(
            ctx,
            out,
            addr,
            len,
            24,
            &[
                ("cell_log", 0, Field::U(1)),
                ("size_log", 1, Field::U(1)),
                ("cell_align", 2, Field::S(2)),
                ("overhead", 4, Field::S(4)),
                ("linklayer", 8, Field::U(4)),
                ("mpu", 12, Field::U(4)),
                ("mtu", 16, Field::U(4)),
                ("tsize", 20, Field::U(4)),
            ],
        ),
        2 if len >= 2 => {
            attr::array_into(ctx, out, addr, len, 2, |o, b| {
                let _ = write!(o, "{}", u16::from_ne_bytes([b[0], b[1]]));
            });
            true
        }
        _ => false,
    }
}
