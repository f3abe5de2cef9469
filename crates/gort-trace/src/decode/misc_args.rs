//! Arguments of single syscalls that share no family: `swapon`'s flags, `ustat`'s device,
//! `utime`'s `struct utimbuf`, `get_robust_list`'s outputs, `setgroups`' list.
//!
//! Design: each is one [`CustomArg`]; the arrays go through array.rs so partial reads print as
//! strace prints them.

use super::array;
use super::custom::{self, CustomArg, Phase};
use super::structs;
use super::xlat::{self, Xlat};
use super::FetchKind;
use std::fmt::Write;

const SWAP_FLAGS: Xlat = Xlat::hex(
    &[
        (0x8000, "SWAP_FLAG_PREFER"),
        (0x10000, "SWAP_FLAG_DISCARD"),
        (0x20000, "SWAP_FLAG_DISCARD_ONCE"),
        (0x40000, "SWAP_FLAG_DISCARD_PAGES"),
    ],
    "SWAP_FLAG_???",
);

/// `swapon` flags with the priority in the low 15 bits: `SWAP_FLAG_PREFER|42`.
pub const SWAP_FLAGS_ARG: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| {
        let v = c.v() & 0xffff_ffff;
        let (flags, prio) = (v & !0x7fff, v & 0x7fff);
        if flags != 0 {
            xlat::flags(out, flags, &SWAP_FLAGS);
            out.push('|');
        }
        let _ = write!(out, "{prio}");
    },
};

/// A 32-bit device number: `makedev(0x1, 0x3)`.
pub const DEV32: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| structs::makedev_into(out, c.v() & 0xffff_ffff),
};

/// `struct utimbuf`: `{actime=1492350678 /* 2017-04-16T13:51:18+0000 */, modtime=...}`.
pub const UTIMBUF: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        if c.v() != 0 {
            out.push(c.req(c.v(), FetchKind::Bytes { len: 16 }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if b.len() == 16 => {
            let t =
                |k: usize| i64::from_ne_bytes(b[8 * k..8 * k + 8].try_into().unwrap_or_default());
            for (k, name) in ["actime", "modtime"].iter().enumerate() {
                out.push_str(if k == 0 { "{" } else { ", " });
                let _ = write!(out, "{name}={} /* ", t(k));
                structs::date_into(out, t(k), u64::MAX);
                out.push_str(" */");
            }
            out.push('}');
        }
        _ => custom::ptr(out, c.v()),
    },
};

/// An output `unsigned long` (`[24]`).
pub const ULONG_OUT: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| {
        if !c.failed() && c.v() != 0 {
            out.push(c.req(c.v(), FetchKind::Bytes { len: 8 }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if !c.failed() && b.len() == 8 => {
            let _ = write!(
                out,
                "[{}]",
                u64::from_ne_bytes(b.try_into().unwrap_or_default())
            );
        }
        _ => custom::ptr(out, c.v()),
    },
};

/// `setgroups`' list, as many ids as its first argument says: `[0, 1, ... /* 0x... */]`.
pub const GROUPS_IN: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        let n = c.args[0] as u32 as u64;
        if n <= 65536 {
            array::plan_arg(c, n, 4, out)
        }
    },
    render: |c, m, out| {
        let n = c.args[0] as u32 as u64;
        if n > 65536 {
            return custom::ptr(out, c.v());
        }
        array::render_arg(c, m, n, 4, out, |o, b| {
            let id = u32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
            if id == u32::MAX {
                o.push_str("-1");
            } else {
                let _ = write!(o, "{id}");
            }
        })
    },
};

/// `reboot`'s first magic number.
pub const REBOOT_MAGIC1: Xlat = Xlat::hex(
    &[(0xfee1_dead, "LINUX_REBOOT_MAGIC1")],
    "LINUX_REBOOT_MAGIC_???",
);

/// `reboot`'s second magic number.
pub const REBOOT_MAGIC2: Xlat = Xlat::hex(
    &[
        (672274793, "LINUX_REBOOT_MAGIC2"),
        (85072278, "LINUX_REBOOT_MAGIC2A"),
        (369367448, "LINUX_REBOOT_MAGIC2B"),
        (537993216, "LINUX_REBOOT_MAGIC2C"),
    ],
    "LINUX_REBOOT_MAGIC_???",
);

/// `reboot` commands.
pub const REBOOT_CMD: Xlat = Xlat::hex(
    &[
        (0x0123_4567, "LINUX_REBOOT_CMD_RESTART"),
        (0xcdef_0123, "LINUX_REBOOT_CMD_HALT"),
        (0x89ab_cdef, "LINUX_REBOOT_CMD_CAD_ON"),
        (0, "LINUX_REBOOT_CMD_CAD_OFF"),
        (0x4321_fedc, "LINUX_REBOOT_CMD_POWER_OFF"),
        (0xa1b2_c3d4, "LINUX_REBOOT_CMD_RESTART2"),
        (0xd000_fce2, "LINUX_REBOOT_CMD_SW_SUSPEND"),
        (0x4558_4543, "LINUX_REBOOT_CMD_KEXEC"),
    ],
    "LINUX_REBOOT_CMD_???",
);

/// `LINUX_REBOOT_CMD_RESTART2`'s command string (the kernel copies at most 255 bytes).
pub const REBOOT_ARG: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| super::bounded_str::plan(c, 255, out),
    render: |c, m, out| super::bounded_str::render(c, m, 255, out),
};
