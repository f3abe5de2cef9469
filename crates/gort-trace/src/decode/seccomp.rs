//! `seccomp(operation, flags, args)` and `prctl(PR_SET_SECCOMP, mode, ...)`.
//!
//! Design: walkers (see `walk.rs`). A filter is a classic BPF program (see `bpf_filter.rs`) whose
//! return instructions carry seccomp actions, printed by name with their data
//! (`SECCOMP_RET_ERRNO|0x10`).

use super::walk::{le32, ptr, Call};
use super::xlat::{self, Xlat};
use std::fmt::Write;

const OPS: Xlat = Xlat::hex(
    &[
        (0, "SECCOMP_SET_MODE_STRICT"),
        (1, "SECCOMP_SET_MODE_FILTER"),
        (2, "SECCOMP_GET_ACTION_AVAIL"),
        (3, "SECCOMP_GET_NOTIF_SIZES"),
    ],
    "SECCOMP_SET_MODE_???",
);

const FILTER_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "SECCOMP_FILTER_FLAG_TSYNC"),
        (2, "SECCOMP_FILTER_FLAG_LOG"),
        (4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
        (8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"),
        (16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"),
        (32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
    ],
    "SECCOMP_FILTER_FLAG_???",
);

const RET_ACTION: Xlat = Xlat::hex(
    &[
        (0x80000000, "SECCOMP_RET_KILL_PROCESS"),
        (0x00000000, "SECCOMP_RET_KILL_THREAD"),
        (0x00030000, "SECCOMP_RET_TRAP"),
        (0x00050000, "SECCOMP_RET_ERRNO"),
        (0x7fc00000, "SECCOMP_RET_USER_NOTIF"),
        (0x7ff00000, "SECCOMP_RET_TRACE"),
        (0x7ffc0000, "SECCOMP_RET_LOG"),
        (0x7fff0000, "SECCOMP_RET_ALLOW"),
    ],
    "SECCOMP_RET_???",
);

const MODE: Xlat = Xlat::wide(
    &[
        (0, "SECCOMP_MODE_DISABLED"),
        (1, "SECCOMP_MODE_STRICT"),
        (2, "SECCOMP_MODE_FILTER"),
    ],
    "SECCOMP_MODE_???",
);

const BPF_RET: u16 = 0x6;
const ACTION_FULL: u32 = 0xffff0000;
const NOTIF_SIZES_SIZE: usize = 6;

/// A return instruction's constant: the action and its data.
fn ret_action(out: &mut String, code: u16, k: u32) -> bool {
    if code & 7 != BPF_RET {
        return false;
    }
    let action = k & ACTION_FULL;
    xlat::value(out, action as u64, &RET_ACTION);
    let data = k & !action;
    if data != 0 {
        let _ = write!(out, "|{data:#x}");
    }
    true
}

/// A seccomp filter program.
fn filter(call: &mut Call<'_>, out: &mut String, addr: u64) {
    super::bpf_filter::fprog(call, out, addr, Some(ret_action));
}

/// `seccomp(operation, flags, args)`.
pub fn seccomp(call: &mut Call<'_>, out: &mut String) {
    let [op, flags, args, ..] = call.args;
    let (op, flags) = (op as u32, flags as u32);
    let hex = super::structs::CHex(flags as u64);
    if call.exiting() {
        if op == 3 {
            if let Some(b) = call.umove(out, args, NOTIF_SIZES_SIZE) {
                let u16_at = |o| super::walk::le16(&b, o);
                let _ = write!(
                    out,
                    "{{seccomp_notif={}, seccomp_notif_resp={}, seccomp_data={}}}",
                    u16_at(0),
                    u16_at(2),
                    u16_at(4)
                );
            }
        }
        return;
    }
    xlat::value(out, op as u64, &OPS);
    out.push_str(", ");
    match op {
        2 => {
            let _ = write!(out, "{hex}, ");
            if let Some(b) = call.umove(out, args, 4) {
                out.push('[');
                xlat::value(out, le32(&b, 0) as u64, &RET_ACTION);
                out.push(']');
            }
        }
        3 => {
            let _ = write!(out, "{hex}, ");
        }
        1 => {
            xlat::flags(out, flags as u64, &FILTER_FLAGS);
            out.push_str(", ");
            filter(call, out, args);
        }
        _ => {
            let _ = write!(out, "{hex}, ");
            ptr(out, args);
        }
    }
}

/// `prctl(PR_SET_SECCOMP, mode, filter)`.
pub fn prctl_set_seccomp(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let [option, mode, a3, a4, a5, _] = call.args;
    xlat::value(out, option, &super::consts::PR);
    out.push_str(", ");
    xlat::value(out, mode, &MODE);
    match mode {
        1 => {}
        2 => {
            out.push_str(", ");
            filter(call, out, a3);
        }
        _ => {
            let h = super::structs::CHex;
            let _ = write!(out, ", {}, {}, {}", h(a3), h(a4), h(a5));
        }
    }
}
