//! `clone3(struct clone_args *args, size_t size)`.
//!
//! Design: a walker (see `walk.rs`) because the structure's length is an argument and its fields point
//! at more memory (`set_tid`'s array, `parent_tid` and `pidfd`, written by the kernel). At entry the
//! structure is printed field by field; fields that only matter under a flag (`pidfd`, `child_tid`,
//! `parent_tid`, `tls`) are shown only with it, and bytes a larger caller's structure has past the ones
//! this kernel ABI knows are shown when they are not all zero. At exit, after a success, what the kernel
//! wrote (`parent_tid`, `pidfd`) is shown after ` => `.

use super::walk::{le64, ptr, Call};
use super::xlat::{self, Xlat};
use std::fmt::Write;

/// `clone`'s flags and then those only `clone3` takes, in strace's order.
pub const CLONE3_FLAGS: Xlat = Xlat::wide(
    &[
        (0x100, "CLONE_VM"),
        (0x200, "CLONE_FS"),
        (0x400, "CLONE_FILES"),
        (0x800, "CLONE_SIGHAND"),
        (0x1000, "CLONE_PIDFD"),
        (0x2000, "CLONE_PTRACE"),
        (0x4000, "CLONE_VFORK"),
        (0x8000, "CLONE_PARENT"),
        (0x10000, "CLONE_THREAD"),
        (0x20000, "CLONE_NEWNS"),
        (0x40000, "CLONE_SYSVSEM"),
        (0x80000, "CLONE_SETTLS"),
        (0x100000, "CLONE_PARENT_SETTID"),
        (0x200000, "CLONE_CHILD_CLEARTID"),
        (0x800000, "CLONE_UNTRACED"),
        (0x1000000, "CLONE_CHILD_SETTID"),
        (0x2000000, "CLONE_NEWCGROUP"),
        (0x4000000, "CLONE_NEWUTS"),
        (0x8000000, "CLONE_NEWIPC"),
        (0x10000000, "CLONE_NEWUSER"),
        (0x20000000, "CLONE_NEWPID"),
        (0x40000000, "CLONE_NEWNET"),
        (0x80000000, "CLONE_IO"),
        (0x80, "CLONE_NEWTIME"),
        (0x100000000, "CLONE_CLEAR_SIGHAND"),
        (0x200000000, "CLONE_INTO_CGROUP"),
    ],
    "CLONE_???",
);

const PIDFD: u64 = 0x1000;
const SETTLS: u64 = 0x80000;
const PARENT_SETTID: u64 = 0x100000;
const CHILD_TIDS: u64 = 0x200000 | 0x1000000;
const INTO_CGROUP: u64 = 0x200000000;

/// The structure's size up to `tls` (the first version) and up to `cgroup` (the newest known).
const MIN_SIZE: usize = 64;
const KNOWN_SIZE: usize = 88;
/// The most `set_tid` entries the kernel accepts.
const MAX_SET_TID: u64 = 32;

/// The walker of `clone3`.
pub fn clone3(call: &mut Call<'_>, out: &mut String) {
    let [addr, size, ..] = call.args;
    let fetch = (size as usize).min(KNOWN_SIZE);
    if call.ret.is_none() {
        entry(call, out, addr, size, fetch);
        return;
    }
    // Memory unreadable at exit was unreadable at entry too, where its address was printed instead.
    if !call.failed() && fetch >= MIN_SIZE {
        if let Some(b) = call.bytes(addr, fetch) {
            let fl = le64(&b, 0);
            let mut fields = Vec::new();
            if fl & PIDFD != 0 {
                let mut s = String::from("pidfd=");
                match call.u32_at(le64(&b, 8)) {
                    Some(fd) => {
                        s.push('[');
                        call.fd(&mut s, fd as i32);
                        s.push(']');
                    }
                    None => ptr(&mut s, le64(&b, 8)),
                }
                fields.push(s);
            }
            if fl & PARENT_SETTID != 0 {
                let mut s = String::from("parent_tid=");
                int_at(call, &mut s, le64(&b, 24));
                fields.push(s);
            }
            if size as usize > fetch {
                let mut s = String::new();
                if call.nonzero_tail(&mut s, addr, fetch, size) {
                    fields.push(s);
                }
            }
            if !fields.is_empty() {
                let _ = write!(out, " => {{{}}}", fields.join(", "));
            }
        }
    }
    let _ = write!(out, ", {size}");
}

fn entry(call: &mut Call<'_>, out: &mut String, addr: u64, size: u64, fetch: usize) {
    if fetch < MIN_SIZE {
        ptr(out, addr);
        return;
    }
    let Some(b) = call.bytes(addr, fetch) else {
        ptr(out, addr);
        return;
    };
    let fl = le64(&b, 0);
    out.push_str("{flags=");
    xlat::flags(out, fl, &CLONE3_FLAGS);
    if fl & PIDFD != 0 {
        out.push_str(", pidfd=");
        ptr(out, le64(&b, 8));
    }
    if fl & CHILD_TIDS != 0 {
        out.push_str(", child_tid=");
        ptr(out, le64(&b, 16));
    }
    if fl & PARENT_SETTID != 0 {
        out.push_str(", parent_tid=");
        ptr(out, le64(&b, 24));
    }
    let sig = le64(&b, 32);
    out.push_str(", exit_signal=");
    if sig < i32::MAX as u64 {
        signal(out, sig as i32);
    } else {
        let _ = write!(out, "{sig}");
    }
    out.push_str(", stack=");
    ptr(out, le64(&b, 40));
    let _ = write!(out, ", stack_size={}", super::structs::CHex(le64(&b, 48)));
    if fl & SETTLS != 0 {
        out.push_str(", tls=");
        ptr(out, le64(&b, 56));
    }
    let (set_tid, set_tid_size) = (le64(&b, 64), le64(&b, 72));
    if set_tid != 0 || set_tid_size != 0 {
        out.push_str(", set_tid=");
        if set_tid == 0 || set_tid_size == 0 || set_tid_size > MAX_SET_TID {
            ptr(out, set_tid);
        } else {
            int_array(call, out, set_tid, set_tid_size as usize);
        }
        let _ = write!(out, ", set_tid_size={set_tid_size}");
    }
    let cgroup = le64(&b, 80);
    if fetch > 80 && (cgroup != 0 || fl & INTO_CGROUP != 0) {
        let _ = write!(out, ", cgroup={cgroup}");
    }
    if size as usize > fetch {
        let mut s = String::new();
        if call.nonzero_tail(&mut s, addr, fetch, size) {
            out.push_str(", ");
            out.push_str(&s);
        }
    }
    out.push('}');
}

/// `[N]` for the `int` at `addr`, or its address when unreadable.
fn int_at(call: &mut Call<'_>, out: &mut String, addr: u64) {
    match call.u32_at(addr) {
        Some(v) => {
            let _ = write!(out, "[{}]", v as i32);
        }
        None => ptr(out, addr),
    }
}

/// An array of `n` `int`s: `[1, 2]`, ending in `... /* addr */` where memory ends.
fn int_array(call: &mut Call<'_>, out: &mut String, addr: u64, n: usize) {
    out.push('[');
    for i in 0..n {
        let at = addr + 4 * i as u64;
        if i > 0 {
            out.push_str(", ");
        }
        match call.u32_at(at) {
            Some(v) => {
                let _ = write!(out, "{}", v as i32);
            }
            None if i == 0 => {
                out.truncate(out.len() - 1);
                ptr(out, addr);
                return;
            }
            None => {
                let _ = write!(out, "... /* {at:#x} */");
                break;
            }
        }
    }
    out.push(']');
}

/// A signal number in the `-X` style: `SIGCHLD`, `17`, `17 /* SIGCHLD */`; a number without a name
/// is printed as a number.
pub fn signal(out: &mut String, sig: i32) {
    if !(1..=64).contains(&sig) {
        let _ = write!(out, "{sig}");
        return;
    }
    xlat::composed_signed(out, sig as i64, &super::flags::signal_name(sig));
}
