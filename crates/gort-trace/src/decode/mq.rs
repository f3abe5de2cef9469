//! POSIX message queues: `mq_open`, `mq_unlink`, `mq_timedsend`, `mq_timedreceive`, `mq_notify` and
//! `mq_getsetattr`.
//!
//! Design: one walker per syscall (see `walk.rs`). `struct mq_attr` is four `long`s; `mq_open` shows
//! its flags word in hex and `mq_getsetattr` by name, as strace does. `struct sigevent` (x86_64: the
//! value, signal and notification method, then a union) shows the union member the method uses.

use super::structs::{octal_into, CHex};
use super::walk::{le32, le64, ptr, Call};
use super::xlat::{self, Xlat};
use std::fmt::Write;

const MQ_ATTR_FLAGS: Xlat = Xlat::hex(&[(0o4000, "O_NONBLOCK")], "O_???");

const MQ_ATTR_SIZE: usize = 64;
// strace reads the fields it prints: the value, signal, method and the union's two pointers.
const SIGEVENT_SIZE: usize = super::sigevent::SIGEVENT_FIELDS;
const O_CREAT: u64 = 0o100;

/// `{mq_flags=..., mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0}`.
fn mq_attr(call: &mut Call<'_>, out: &mut String, addr: u64, named_flags: bool) {
    let Some(b) = call.umove(out, addr, MQ_ATTR_SIZE) else {
        return;
    };
    out.push_str("{mq_flags=");
    if named_flags {
        xlat::flags(
            out,
            le64(&b, 0),
            &Xlat {
                wide: true,
                ..MQ_ATTR_FLAGS
            },
        );
    } else {
        let _ = write!(out, "{}", CHex(le64(&b, 0)));
    }
    let _ = write!(
        out,
        ", mq_maxmsg={}, mq_msgsize={}, mq_curmsgs={}}}",
        le64(&b, 8) as i64,
        le64(&b, 16) as i64,
        le64(&b, 24) as i64
    );
}

/// `mq_open(name, oflag, mode, attr)`: mode and attributes only with `O_CREAT`.
pub fn mq_open(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let [name, flags, mode, attr, ..] = call.args;
    call.path(out, name);
    out.push_str(", ");
    super::flags::open_flags_into(out, flags & 0xffff_ffff);
    if flags & O_CREAT != 0 {
        out.push_str(", ");
        octal_into(out, mode & 0xffff);
        out.push_str(", ");
        mq_attr(call, out, attr, false);
    }
}

/// `mq_unlink(name)`.
pub fn mq_unlink(call: &mut Call<'_>, out: &mut String) {
    if !call.exiting() {
        call.path(out, call.args[0]);
    }
}

/// `mq_timedsend(mqdes, msg_ptr, msg_len, msg_prio, abs_timeout)`.
pub fn mq_timedsend(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let [fd, msg, len, prio, timeout, _] = call.args;
    call.fd(out, fd as i32);
    out.push_str(", ");
    call.buf(out, msg, len);
    let _ = write!(out, ", {len}, {}, ", prio as u32);
    call.timespec(out, timeout);
}

/// `mq_timedreceive(mqdes, msg_ptr, msg_len, msg_prio, abs_timeout)`: the message and its priority
/// once received.
pub fn mq_timedreceive(call: &mut Call<'_>, out: &mut String) {
    let [fd, msg, len, prio, timeout, _] = call.args;
    let Some(ret) = call.ret else {
        call.fd(out, fd as i32);
        out.push_str(", ");
        return;
    };
    if call.failed() {
        ptr(out, msg);
    } else {
        call.buf(out, msg, ret as u64);
    }
    let _ = write!(out, ", {len}, ");
    if let Some(b) = call.umove(out, prio, 4) {
        let _ = write!(out, "[{}]", le32(&b, 0));
    }
    out.push_str(", ");
    call.timespec(out, timeout);
}

/// `mq_notify(mqdes, sevp)`.
pub fn mq_notify(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    call.fd(out, call.args[0] as i32);
    out.push_str(", ");
    sigevent(call, out, call.args[1]);
}

/// A `struct sigevent` (see `sigevent.rs`), or its address.
pub fn sigevent(call: &mut Call<'_>, out: &mut String, addr: u64) {
    if let Some(b) = call.umove(out, addr, SIGEVENT_SIZE) {
        super::sigevent::sigevent_into(out, &b);
    }
}

/// `mq_getsetattr(mqdes, newattr, oldattr)`.
pub fn mq_getsetattr(call: &mut Call<'_>, out: &mut String) {
    let [fd, new, old, ..] = call.args;
    if !call.exiting() {
        call.fd(out, fd as i32);
        out.push_str(", ");
        mq_attr(call, out, new, true);
        out.push_str(", ");
        return;
    }
    mq_attr(call, out, old, true);
}
