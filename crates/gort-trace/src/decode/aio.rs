//! Linux native asynchronous I/O: `io_setup`, `io_destroy`, `io_submit`, `io_cancel`,
//! `io_getevents` and `io_pgetevents`.
//!
//! Design: walkers (see `walk.rs`). A `struct iocb` shows its header (data, key, opcode, priority,
//! descriptor) and then what its opcode uses: a buffer (written data is shown as a string), an iovec
//! array, or poll events. Completion events are shown at exit, as many as the call returned; the
//! timeout and signal mask the kernel read are shown at exit too, whatever the outcome.

use super::structs::CHex;
use super::walk::{le16, le32, le64, ptr, Call};
use super::xlat::{self, Style, Xlat};
use std::fmt::Write;

const CMDS: Xlat = Xlat::dec(
    &[
        (0, "IOCB_CMD_PREAD"),
        (1, "IOCB_CMD_PWRITE"),
        (2, "IOCB_CMD_FSYNC"),
        (3, "IOCB_CMD_FDSYNC"),
        (4, "IOCB_CMD_PREADX"),
        (5, "IOCB_CMD_POLL"),
        (6, "IOCB_CMD_NOOP"),
        (7, "IOCB_CMD_PREADV"),
        (8, "IOCB_CMD_PWRITEV"),
    ],
    "IOCB_CMD_???",
);

const IOCB_FLAGS: Xlat = Xlat::hex(
    &[(1, "IOCB_FLAG_RESFD"), (2, "IOCB_FLAG_IOPRIO")],
    "IOCB_FLAG_???",
);

const RWF_FLAGS: Xlat = Xlat::hex(
    &[
        (0x01, "RWF_HIPRI"),
        (0x02, "RWF_DSYNC"),
        (0x04, "RWF_SYNC"),
        (0x08, "RWF_NOWAIT"),
        (0x10, "RWF_APPEND"),
    ],
    "RWF_???",
);

const IOPRIO_CLASS: Xlat = Xlat::hex(
    &[
        (0, "IOPRIO_CLASS_NONE"),
        (1, "IOPRIO_CLASS_RT"),
        (2, "IOPRIO_CLASS_BE"),
        (3, "IOPRIO_CLASS_IDLE"),
    ],
    "IOPRIO_CLASS_???",
);

const POLL_FLAGS: Xlat = Xlat::hex(
    &[
        (0x1, "POLLIN"),
        (0x2, "POLLPRI"),
        (0x4, "POLLOUT"),
        (0x8, "POLLERR"),
        (0x10, "POLLHUP"),
        (0x20, "POLLNVAL"),
        (0x40, "POLLRDNORM"),
        (0x80, "POLLRDBAND"),
        (0x100, "POLLWRNORM"),
        (0x200, "POLLWRBAND"),
        (0x400, "POLLMSG"),
        (0x1000, "POLLREMOVE"),
        (0x2000, "POLLRDHUP"),
    ],
    "POLL???",
);

const IOCB_SIZE: usize = 64;
const EVENT_SIZE: usize = 32;
const IOVEC_SIZE: usize = 16;
const AIO_SIGSET_SIZE: usize = 16;
const FLAG_RESFD: u32 = 1;
const FLAG_IOPRIO: u32 = 2;
const CMD_PWRITE: u16 = 1;
const CMD_PWRITEV: u16 = 8;

/// `io_setup(nr_events, ctx_idp)`.
pub fn io_setup(call: &mut Call<'_>, out: &mut String) {
    let [nr, ctx, ..] = call.args;
    if !call.exiting() {
        let _ = write!(out, "{}, ", nr as u32);
    } else if let Some(b) = call.umove(out, ctx, 8) {
        out.push('[');
        ptr(out, le64(&b, 0));
        out.push(']');
    }
}

/// `io_destroy(ctx_id)`.
pub fn io_destroy(call: &mut Call<'_>, out: &mut String) {
    if !call.exiting() {
        ptr(out, call.args[0]);
    }
}

/// An I/O priority: `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)` in the `-X` style.
fn ioprio(out: &mut String, v: u32) {
    let mut text = String::from("IOPRIO_PRIO_VALUE(");
    let class = (v >> 13) & 7;
    match IOPRIO_CLASS.name(class as u64) {
        Some(n) => text.push_str(n),
        None => {
            let _ = write!(text, "{} /* IOPRIO_CLASS_??? */", CHex(class as u64));
        }
    }
    let _ = write!(text, ", {})", v & 0x1fff);
    match xlat::style() {
        Style::Abbrev => out.push_str(&text),
        Style::Raw => {
            let _ = write!(out, "{}", CHex(v as u64));
        }
        Style::Verbose => {
            let _ = write!(out, "{} /* {text} */", CHex(v as u64));
        }
    }
}

/// The fields every `struct iocb` shows; returns its opcode.
fn iocb_header(call: &mut Call<'_>, out: &mut String, b: &[u8]) -> u16 {
    let _ = write!(out, "{{aio_data={}", CHex(le64(b, 0)));
    let key = le32(b, 8);
    if key != 0 {
        let _ = write!(out, ", aio_key={key}");
    }
    let rw_flags = le32(b, 12);
    if rw_flags != 0 {
        out.push_str(", aio_rw_flags=");
        xlat::flags(out, rw_flags as u64, &RWF_FLAGS);
    }
    let opcode = le16(b, 16);
    out.push_str(", aio_lio_opcode=");
    xlat::value(out, opcode as u64, &CMDS);
    let prio = le16(b, 18);
    if le32(b, 56) & FLAG_IOPRIO != 0 {
        out.push_str(", aio_reqprio=");
        ioprio(out, prio as u32);
    } else if prio != 0 {
        let _ = write!(out, ", aio_reqprio={}", prio as i16);
    }
    out.push_str(", aio_fildes=");
    call.fd(out, le32(b, 20) as i32);
    opcode
}

/// `aio_flags` and `aio_resfd`, when set.
fn common_flags(call: &mut Call<'_>, out: &mut String, b: &[u8]) {
    let (flags, resfd) = (le32(b, 56), le32(b, 60));
    if flags != 0 {
        out.push_str(", aio_flags=");
        xlat::flags(out, flags as u64, &IOCB_FLAGS);
    }
    if flags & FLAG_RESFD != 0 {
        out.push_str(", aio_resfd=");
        call.fd(out, resfd as i32);
    } else if resfd != 0 {
        let _ = write!(out, ", aio_resfd={:#x}", resfd);
    }
}

/// A whole `struct iocb`.
fn iocb(call: &mut Call<'_>, out: &mut String, b: &[u8]) {
    let opcode = iocb_header(call, out, b);
    let (buf, nbytes, offset) = (le64(b, 24), le64(b, 32), le64(b, 40) as i64);
    // A length that does not fit a `ssize_t` is not a buffer's.
    let valid = (nbytes as i64) >= 0;
    match opcode {
        0 | 1 => {
            out.push_str(", aio_buf=");
            if opcode == CMD_PWRITE && valid {
                call.buf(out, buf, nbytes);
            } else {
                let _ = write!(out, "{}", CHex(buf));
            }
            let _ = write!(out, ", aio_nbytes={nbytes}, aio_offset={offset}");
            common_flags(call, out, b);
        }
        7 | 8 => {
            if valid {
                out.push_str(", aio_buf=");
                let strings = opcode == CMD_PWRITEV;
                call.array(out, buf, nbytes, IOVEC_SIZE, &mut |call, out, v| {
                    out.push_str("{iov_base=");
                    if strings {
                        call.buf(out, le64(v, 0), le64(v, 8));
                    } else {
                        ptr(out, le64(v, 0));
                    }
                    let _ = write!(out, ", iov_len={}}}", le64(v, 8));
                });
            } else {
                let _ = write!(out, ", aio_buf={}, aio_nbytes={nbytes}", CHex(buf));
            }
            let _ = write!(out, ", aio_offset={offset}");
            common_flags(call, out, b);
        }
        5 => {
            out.push_str(", aio_buf=");
            xlat::flags(out, buf, &POLL_FLAGS);
            common_flags(call, out, b);
        }
        _ => {}
    }
    out.push('}');
}

/// `io_submit(ctx_id, nr, iocbpp)`.
pub fn io_submit(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let [ctx, nr, addr, ..] = call.args;
    ptr(out, ctx);
    let nr = nr as i64;
    let _ = write!(out, ", {nr}, ");
    if nr < 0 {
        ptr(out, addr);
        return;
    }
    call.array(out, addr, nr as u64, 8, &mut |call, out, p| {
        if let Some(b) = call.umove(out, le64(p, 0), IOCB_SIZE) {
            iocb(call, out, &b);
        }
    });
}

/// `{data=..., obj=..., res=..., res2=...}`.
fn io_event(out: &mut String, b: &[u8]) {
    let _ = write!(
        out,
        "{{data={}, obj={}, res={}, res2={}}}",
        CHex(le64(b, 0)),
        CHex(le64(b, 8)),
        le64(b, 16) as i64,
        le64(b, 24) as i64
    );
}

/// `io_cancel(ctx_id, iocb, result)`.
pub fn io_cancel(call: &mut Call<'_>, out: &mut String) {
    let [ctx, cb, result, ..] = call.args;
    if !call.exiting() {
        ptr(out, ctx);
        out.push_str(", ");
        if let Some(b) = call.umove(out, cb, IOCB_SIZE) {
            iocb_header(call, out, &b);
            out.push('}');
        }
        out.push_str(", ");
    } else if let Some(b) = call.umove(out, result, EVENT_SIZE) {
        io_event(out, &b);
    }
}

/// `io_getevents(ctx_id, min_nr, nr, events, timeout)`.
pub fn io_getevents(call: &mut Call<'_>, out: &mut String) {
    getevents(call, out, false);
}

/// `io_pgetevents(ctx_id, min_nr, nr, events, timeout, usig)`.
pub fn io_pgetevents(call: &mut Call<'_>, out: &mut String) {
    getevents(call, out, true);
}

fn getevents(call: &mut Call<'_>, out: &mut String, with_sig: bool) {
    let [ctx, min_nr, nr, events, timeout, sig] = call.args;
    let Some(ret) = call.ret else {
        ptr(out, ctx);
        let _ = write!(out, ", {}, {}, ", min_nr as i64, nr as i64);
        return;
    };
    call.array(out, events, ret as u64, EVENT_SIZE, &mut |_, out, b| {
        io_event(out, b)
    });
    out.push_str(", ");
    call.timespec(out, timeout);
    if with_sig {
        out.push_str(", ");
        match call.bytes(sig, AIO_SIGSET_SIZE) {
            Some(b) => {
                let (mask, size) = (le64(&b, 0), le64(&b, 8));
                out.push_str("{sigmask=");
                match (size == 8).then(|| call.bytes(mask, 8)).flatten() {
                    Some(m) => super::flags::sigset_into(out, le64(&m, 0)),
                    None => ptr(out, mask),
                }
                let _ = write!(out, ", sigsetsize={size}}}");
            }
            None => ptr(out, sig),
        }
    }
}
