//! NUMA memory policies: `mbind`, `set_mempolicy`, `get_mempolicy`, `migrate_pages`, `move_pages`.
//!
//! Design: a policy mode may carry `MPOL_F_*` flag bits (`MPOL_BIND|MPOL_F_STATIC_NODES`); a node
//! mask is an array of `unsigned long` words, as many as the `maxnode` argument's bits need, printed
//! zero-padded (`[0x00000000000003]`) through array.rs; `move_pages` takes arrays of page addresses,
//! node numbers and (written back) per-page statuses, which are node numbers or negated errnos.

use super::array::{self, i32_of, u64_of};
use super::custom::{self, Ctx, CustomArg, Fetches, Phase};
use super::flags::errno_name;
use super::xlat::{self, Style, Xlat};
use std::fmt::Write;

/// Policy modes.
pub const MPOL_MODES: Xlat = Xlat::wide(
    &[
        (0, "MPOL_DEFAULT"),
        (1, "MPOL_PREFERRED"),
        (2, "MPOL_BIND"),
        (3, "MPOL_INTERLEAVE"),
        (4, "MPOL_LOCAL"),
        (5, "MPOL_PREFERRED_MANY"),
    ],
    "MPOL_???",
);

/// Flags carried in a mode's upper bits.
const MPOL_MODE_FLAGS: Xlat = Xlat::wide(
    &[
        (1 << 15, "MPOL_F_STATIC_NODES"),
        (1 << 14, "MPOL_F_RELATIVE_NODES"),
        (1 << 13, "MPOL_F_NUMA_BALANCING"),
    ],
    "MPOL_???",
);

/// `mbind` flags.
pub const MBIND_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "MPOL_MF_STRICT"),
        (2, "MPOL_MF_MOVE"),
        (4, "MPOL_MF_MOVE_ALL"),
    ],
    "MPOL_???",
);

/// `move_pages` flags.
pub const MOVE_PAGES_FLAGS: Xlat =
    Xlat::hex(&[(2, "MPOL_MF_MOVE"), (4, "MPOL_MF_MOVE_ALL")], "MPOL_???");

/// `get_mempolicy` flags.
pub const GET_MEMPOLICY_FLAGS: Xlat = Xlat::wide(
    &[
        (1, "MPOL_F_NODE"),
        (2, "MPOL_F_ADDR"),
        (4, "MPOL_F_MEMS_ALLOWED"),
    ],
    "MPOL_???",
);

/// A mode with its flags: `MPOL_BIND|MPOL_F_STATIC_NODES`, in the `-X` style.
fn mode_into(out: &mut String, v: u64) {
    let flag_mask = 0x7 << 13;
    let (mode, flags) = (v & !flag_mask, v & flag_mask);
    if flags == 0 {
        return xlat::value(out, mode, &MPOL_MODES);
    }
    match MPOL_MODES.name(mode) {
        None => xlat::flags(out, v, &MPOL_MODE_FLAGS),
        Some(name) => {
            let mut names = format!("{name}|");
            let mut rest = flags;
            let mut first = true;
            for &(bit, flag) in MPOL_MODE_FLAGS.names {
                if rest & bit != 0 {
                    if !first {
                        names.push('|');
                    }
                    names.push_str(flag);
                    first = false;
                    rest &= !bit;
                }
            }
            xlat::composed(out, v, &names);
        }
    }
}

/// The policy mode argument of `mbind` (the whole register).
pub const MODE: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| mode_into(out, c.v()),
};

/// The policy mode argument of `set_mempolicy` (an `int`).
pub const MODE32: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| mode_into(out, c.v() & 0xffff_ffff),
};

/// The mode `get_mempolicy` writes: `[MPOL_DEFAULT]`.
pub const MODE_OUT: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| {
        if !c.failed() && c.v() != 0 {
            out.push(c.req(c.v(), super::FetchKind::Bytes { len: 4 }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if !c.failed() => {
            out.push('[');
            xlat::value(out, i32_of(b) as u32 as u64, &MPOL_MODES);
            out.push(']');
        }
        _ => custom::ptr(out, c.v()),
    },
};

/// Words in a node mask of `maxnode` bits, or `None` when strace shows its address instead.
fn nodemask_words(maxnode: u64) -> Option<u64> {
    let words = maxnode.wrapping_add(62) / 64;
    (words >= maxnode / 64 && (maxnode == 0 || words != 0)).then_some(words)
}

fn plan_nodemask(c: &Ctx, maxnode: u64, out: &mut Vec<super::FetchReq>) {
    if let Some(words) = nodemask_words(maxnode) {
        array::plan_arg(c, words, 8, out);
    }
}

fn render_nodemask(c: &Ctx, m: &Fetches, maxnode: u64, out: &mut String) {
    let Some(words) = nodemask_words(maxnode) else {
        return custom::ptr(out, c.v());
    };
    array::render_arg(c, m, words, 8, out, |o, b| {
        // C's `%#016llx`: the width counts the `0x`, which zero does not get.
        match u64_of(b) {
            0 => o.push_str("0000000000000000"),
            w => {
                let _ = write!(o, "{w:#016x}");
            }
        }
    });
}

/// A node mask whose size in bits is the next argument.
pub const NODEMASK: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| plan_nodemask(c, c.args[c.i + 1], out),
    render: |c, m, out| render_nodemask(c, m, c.args[c.i + 1], out),
};

/// A node mask whose size in bits is the second argument (`migrate_pages`).
pub const NODEMASK_SIZE_AT_1: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| plan_nodemask(c, c.args[1], out),
    render: |c, m, out| render_nodemask(c, m, c.args[1], out),
};

/// `move_pages`' page addresses (as many as its second argument).
pub const PAGES: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| array::plan_arg(c, c.args[1], 8, out),
    render: |c, m, out| {
        array::render_arg(c, m, c.args[1], 8, out, |o, b| custom::ptr(o, u64_of(b)))
    },
};

/// `move_pages`' target nodes.
pub const NODES: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| array::plan_arg(c, c.args[1], 4, out),
    render: |c, m, out| {
        array::render_arg(c, m, c.args[1], 4, out, |o, b| {
            let _ = write!(o, "{}", i32_of(b));
        })
    },
};

/// A page's status: its node, or a negated errno (`-EFAULT`).
fn status_into(out: &mut String, s: i32) {
    let name = errno_name(s.wrapping_neg()).filter(|_| s < 0);
    match (name, xlat::style()) {
        (Some(n), Style::Abbrev) => {
            let _ = write!(out, "-{n}");
        }
        (Some(n), Style::Verbose) => {
            let _ = write!(out, "{s} /* -{n} */");
        }
        _ => {
            let _ = write!(out, "{s}");
        }
    }
}

/// `move_pages`' statuses, written by the kernel.
pub const STATUS: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| array::plan_arg(c, c.args[1], 4, out),
    render: |c, m, out| {
        array::render_arg(c, m, c.args[1], 4, out, |o, b| status_into(o, i32_of(b)))
    },
};
