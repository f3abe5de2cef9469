//! `io_uring_setup`, `io_uring_enter` and `io_uring_register`.
//!
//! Design: walkers (see `walk.rs`). `io_uring_setup` shows the parameters the kernel reads at entry
//! and the ring geometry it writes at exit. `io_uring_register`'s argument is decoded by opcode: arrays
//! of descriptors, iovecs, restrictions, probe results, resource registrations and updates, CPU
//! affinity, worker limits, ring descriptors and buffer rings; unknown opcodes show the address.
//! Layouts are `<linux/io_uring.h>`'s.

use super::structs::CHex;
use super::walk::{le16, le32, le64, ptr, Call};
use super::xlat::{self, Xlat};
use std::fmt::Write;

const fn bits(names: &'static [(u64, &'static str)], unknown: &'static str) -> Xlat {
    Xlat::hex(names, unknown)
}

const SETUP_FLAGS: Xlat = bits(
    &[
        (1 << 0, "IORING_SETUP_IOPOLL"),
        (1 << 1, "IORING_SETUP_SQPOLL"),
        (1 << 2, "IORING_SETUP_SQ_AFF"),
        (1 << 3, "IORING_SETUP_CQSIZE"),
        (1 << 4, "IORING_SETUP_CLAMP"),
        (1 << 5, "IORING_SETUP_ATTACH_WQ"),
        (1 << 6, "IORING_SETUP_R_DISABLED"),
        (1 << 7, "IORING_SETUP_SUBMIT_ALL"),
        (1 << 8, "IORING_SETUP_COOP_TASKRUN"),
        (1 << 9, "IORING_SETUP_TASKRUN_FLAG"),
        (1 << 10, "IORING_SETUP_SQE128"),
        (1 << 11, "IORING_SETUP_CQE32"),
    ],
    "IORING_SETUP_???",
);

const SETUP_FEATURES: Xlat = bits(
    &[
        (1 << 0, "IORING_FEAT_SINGLE_MMAP"),
        (1 << 1, "IORING_FEAT_NODROP"),
        (1 << 2, "IORING_FEAT_SUBMIT_STABLE"),
        (1 << 3, "IORING_FEAT_RW_CUR_POS"),
        (1 << 4, "IORING_FEAT_CUR_PERSONALITY"),
        (1 << 5, "IORING_FEAT_FAST_POLL"),
        (1 << 6, "IORING_FEAT_POLL_32BITS"),
        (1 << 7, "IORING_FEAT_SQPOLL_NONFIXED"),
        (1 << 8, "IORING_FEAT_EXT_ARG"),
        (1 << 9, "IORING_FEAT_NATIVE_WORKERS"),
        (1 << 10, "IORING_FEAT_RSRC_TAGS"),
        (1 << 11, "IORING_FEAT_CQE_SKIP"),
        (1 << 12, "IORING_FEAT_LINKED_FILE"),
    ],
    "IORING_FEAT_???",
);

const ENTER_FLAGS: Xlat = bits(
    &[
        (1 << 0, "IORING_ENTER_GETEVENTS"),
        (1 << 1, "IORING_ENTER_SQ_WAKEUP"),
        (1 << 2, "IORING_ENTER_SQ_WAIT"),
        (1 << 3, "IORING_ENTER_EXT_ARG"),
        (1 << 4, "IORING_ENTER_REGISTERED_RING"),
    ],
    "IORING_ENTER_???",
);

const SQE_FLAGS: Xlat = bits(
    &[
        (1 << 0, "IOSQE_FIXED_FILE"),
        (1 << 1, "IOSQE_IO_DRAIN"),
        (1 << 2, "IOSQE_IO_LINK"),
        (1 << 3, "IOSQE_IO_HARDLINK"),
        (1 << 4, "IOSQE_ASYNC"),
        (1 << 5, "IOSQE_BUFFER_SELECT"),
        (1 << 6, "IOSQE_CQE_SKIP_SUCCESS"),
    ],
    "IOSQE_???",
);

const OP_FLAGS: Xlat = bits(&[(1, "IO_URING_OP_SUPPORTED")], "IO_URING_OP_???");

const RSRC_FLAGS: Xlat = bits(
    &[(1, "IORING_RSRC_REGISTER_SPARSE")],
    "IORING_RSRC_REGISTER_???",
);

const OP_NAMES: &[(u64, &str)] = &[
    (0, "IORING_OP_NOP"),
    (1, "IORING_OP_READV"),
    (2, "IORING_OP_WRITEV"),
    (3, "IORING_OP_FSYNC"),
    (4, "IORING_OP_READ_FIXED"),
    (5, "IORING_OP_WRITE_FIXED"),
    (6, "IORING_OP_POLL_ADD"),
    (7, "IORING_OP_POLL_REMOVE"),
    (8, "IORING_OP_SYNC_FILE_RANGE"),
    (9, "IORING_OP_SENDMSG"),
    (10, "IORING_OP_RECVMSG"),
    (11, "IORING_OP_TIMEOUT"),
    (12, "IORING_OP_TIMEOUT_REMOVE"),
    (13, "IORING_OP_ACCEPT"),
    (14, "IORING_OP_ASYNC_CANCEL"),
    (15, "IORING_OP_LINK_TIMEOUT"),
    (16, "IORING_OP_CONNECT"),
    (17, "IORING_OP_FALLOCATE"),
    (18, "IORING_OP_OPENAT"),
    (19, "IORING_OP_CLOSE"),
    (20, "IORING_OP_FILES_UPDATE"),
    (21, "IORING_OP_STATX"),
    (22, "IORING_OP_READ"),
    (23, "IORING_OP_WRITE"),
    (24, "IORING_OP_FADVISE"),
    (25, "IORING_OP_MADVISE"),
    (26, "IORING_OP_SEND"),
    (27, "IORING_OP_RECV"),
    (28, "IORING_OP_OPENAT2"),
    (29, "IORING_OP_EPOLL_CTL"),
    (30, "IORING_OP_SPLICE"),
    (31, "IORING_OP_PROVIDE_BUFFERS"),
    (32, "IORING_OP_REMOVE_BUFFERS"),
    (33, "IORING_OP_TEE"),
    (34, "IORING_OP_SHUTDOWN"),
    (35, "IORING_OP_RENAMEAT"),
    (36, "IORING_OP_UNLINKAT"),
    (37, "IORING_OP_MKDIRAT"),
    (38, "IORING_OP_SYMLINKAT"),
    (39, "IORING_OP_LINKAT"),
    (40, "IORING_OP_MSG_RING"),
    (41, "IORING_OP_FSETXATTR"),
    (42, "IORING_OP_SETXATTR"),
    (43, "IORING_OP_FGETXATTR"),
    (44, "IORING_OP_GETXATTR"),
    (45, "IORING_OP_SOCKET"),
    (46, "IORING_OP_URING_CMD"),
];

/// Operations, printed in hex (restrictions) or decimal (probes).
const OPS: Xlat = Xlat::hex(OP_NAMES, "IORING_OP_???");
const OPS_DEC: Xlat = Xlat::dec(OP_NAMES, "IORING_OP_???");

const REGISTER_OPCODES: Xlat = Xlat::hex(
    &[
        (0, "IORING_REGISTER_BUFFERS"),
        (1, "IORING_UNREGISTER_BUFFERS"),
        (2, "IORING_REGISTER_FILES"),
        (3, "IORING_UNREGISTER_FILES"),
        (4, "IORING_REGISTER_EVENTFD"),
        (5, "IORING_UNREGISTER_EVENTFD"),
        (6, "IORING_REGISTER_FILES_UPDATE"),
        (7, "IORING_REGISTER_EVENTFD_ASYNC"),
        (8, "IORING_REGISTER_PROBE"),
        (9, "IORING_REGISTER_PERSONALITY"),
        (10, "IORING_UNREGISTER_PERSONALITY"),
        (11, "IORING_REGISTER_RESTRICTIONS"),
        (12, "IORING_REGISTER_ENABLE_RINGS"),
        (13, "IORING_REGISTER_FILES2"),
        (14, "IORING_REGISTER_FILES_UPDATE2"),
        (15, "IORING_REGISTER_BUFFERS2"),
        (16, "IORING_REGISTER_BUFFERS_UPDATE"),
        (17, "IORING_REGISTER_IOWQ_AFF"),
        (18, "IORING_UNREGISTER_IOWQ_AFF"),
        (19, "IORING_REGISTER_IOWQ_MAX_WORKERS"),
        (20, "IORING_REGISTER_RING_FDS"),
        (21, "IORING_UNREGISTER_RING_FDS"),
        (22, "IORING_REGISTER_PBUF_RING"),
        (23, "IORING_UNREGISTER_PBUF_RING"),
    ],
    "IORING_REGISTER_???",
);

const RESTRICTION_OPCODES: Xlat = Xlat::hex(
    &[
        (0, "IORING_RESTRICTION_REGISTER_OP"),
        (1, "IORING_RESTRICTION_SQE_OP"),
        (2, "IORING_RESTRICTION_SQE_FLAGS_ALLOWED"),
        (3, "IORING_RESTRICTION_SQE_FLAGS_REQUIRED"),
    ],
    "IORING_RESTRICTION_???",
);

const IOWQ_ACCT: Xlat = Xlat::dec(&[(0, "IO_WQ_BOUND"), (1, "IO_WQ_UNBOUND")], "IO_WQ_???");

const FILES_SKIP: i32 = -2;
const PARAMS_SIZE: usize = 120;
const IOVEC_SIZE: usize = 16;
const RSRC_SIZE: usize = 32;
const RESTRICTION_SIZE: usize = 16;
const BUF_REG_SIZE: usize = 40;
const PROBE_SIZE: usize = 16;
const PROBE_OP_SIZE: usize = 8;
/// The largest CPU set strace reads.
const CPUSET_MAX: u64 = 128;
const IORING_SETUP_ATTACH_WQ: u32 = 1 << 5;

/// `, name=0x..` for a reserved field that is not zero.
fn nonzero(out: &mut String, name: &str, v: u64) {
    if v != 0 {
        let _ = write!(out, ", {name}={:#x}", v);
    }
}

/// `, name=[0, 0x1]` for a reserved `u32` array that is not all zero.
fn nonzero_u32s(out: &mut String, name: &str, b: &[u8], off: usize, n: usize) {
    let words: Vec<u32> = (0..n).map(|i| le32(b, off + 4 * i)).collect();
    if words.iter().all(|&w| w == 0) {
        return;
    }
    let _ = write!(out, ", {name}=[");
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}", CHex(*w as u64));
    }
    out.push(']');
}

/// `io_uring_setup(entries, params)`.
pub fn io_uring_setup(call: &mut Call<'_>, out: &mut String) {
    let [entries, addr, ..] = call.args;
    if !call.exiting() {
        let _ = write!(out, "{}, ", entries as u32);
        let Some(b) = call.umove(out, addr, PARAMS_SIZE) else {
            return;
        };
        out.push_str("{flags=");
        let flags = le32(&b, 8);
        xlat::flags(out, flags as u64, &SETUP_FLAGS);
        let _ = write!(
            out,
            ", sq_thread_cpu={}, sq_thread_idle={}",
            CHex(le32(&b, 12) as u64),
            le32(&b, 16)
        );
        if flags & IORING_SETUP_ATTACH_WQ != 0 {
            out.push_str(", wq_fd=");
            call.fd(out, le32(&b, 24) as i32);
        }
        nonzero_u32s(out, "resv", &b, 28, 3);
        return;
    }
    // Memory unreadable now was unreadable at entry, where its address was printed instead.
    let Some(b) = call.bytes(addr, PARAMS_SIZE) else {
        return;
    };
    if !call.failed() {
        let _ = write!(
            out,
            ", sq_entries={}, cq_entries={}, features=",
            le32(&b, 0),
            le32(&b, 4)
        );
        xlat::flags(out, le32(&b, 20) as u64, &SETUP_FEATURES);
        let names = [
            "head",
            "tail",
            "ring_mask",
            "ring_entries",
            "flags",
            "dropped",
            "array",
        ];
        ring_offsets(out, "sq_off", &b[40..80], &names);
        let names = [
            "head",
            "tail",
            "ring_mask",
            "ring_entries",
            "overflow",
            "cqes",
            "flags",
        ];
        ring_offsets(out, "cq_off", &b[80..120], &names);
    }
    out.push('}');
}

/// `io_sqring_offsets` / `io_cqring_offsets`: seven `u32`s and two reserved fields.
fn ring_offsets(out: &mut String, name: &str, b: &[u8], names: &[&str; 7]) {
    let _ = write!(out, ", {name}=");
    for (i, n) in names.iter().enumerate() {
        out.push_str(if i == 0 { "{" } else { ", " });
        let _ = write!(out, "{n}={}", le32(b, 4 * i));
    }
    nonzero(out, "resv1", le32(b, 28) as u64);
    nonzero(out, "resv2", le64(b, 32));
    out.push('}');
}

/// `io_uring_enter(fd, to_submit, min_complete, flags, sig, sigsz)`.
pub fn io_uring_enter(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let [fd, submit, complete, flags, sig, size] = call.args;
    call.fd(out, fd as i32);
    let _ = write!(out, ", {}, {}, ", submit as u32, complete as u32);
    xlat::flags(out, flags, &ENTER_FLAGS);
    out.push_str(", ");
    // A signal set of another size than the kernel's is shown as its address.
    match (size == 8).then(|| call.bytes(sig, 8)).flatten() {
        Some(b) => super::flags::sigset_into(out, le64(&b, 0)),
        None => ptr(out, sig),
    }
    let _ = write!(out, ", {size}");
}

/// A descriptor in an array (`3</dev/full>`, `-1`).
fn fd_member(call: &mut Call<'_>, out: &mut String, b: &[u8]) {
    call.fd(out, le32(b, 0) as i32);
}

/// A descriptor of a files update: `IORING_REGISTER_FILES_SKIP` or a descriptor.
fn update_fd_member(call: &mut Call<'_>, out: &mut String, b: &[u8]) {
    let fd = le32(b, 0) as i32;
    if fd == FILES_SKIP {
        xlat::composed_signed(out, fd as i64, "IORING_REGISTER_FILES_SKIP");
    } else {
        call.fd(out, fd);
    }
}

/// `{iov_base=0x..., iov_len=N}`.
fn iov_addr_member(_: &mut Call<'_>, out: &mut String, b: &[u8]) {
    out.push_str("{iov_base=");
    ptr(out, le64(b, 0));
    let _ = write!(out, ", iov_len={}}}", le64(b, 8));
}

/// `io_uring_register(fd, opcode, arg, nr_args)`.
pub fn io_uring_register(call: &mut Call<'_>, out: &mut String) {
    let [fd, opcode, arg, nargs, ..] = call.args;
    let (opcode, nargs) = (opcode as u32, nargs as u32 as u64);
    if call.exiting() {
        // Only the probe and the worker limits can be left for the exit.
        match opcode {
            8 => probe_exit(call, out, arg, nargs),
            19 => iowq_exit(call, out, arg, nargs),
            _ => {}
        }
        return;
    }
    call.fd(out, fd as i32);
    out.push_str(", ");
    xlat::value(out, opcode as u64, &REGISTER_OPCODES);
    out.push_str(", ");
    let decoded = match opcode {
        0 => {
            call.array(out, arg, nargs, IOVEC_SIZE, &mut iov_addr_member);
            true
        }
        2 | 4 | 7 => {
            call.array(out, arg, nargs, 4, &mut fd_member);
            true
        }
        6 => {
            if let Some(b) = call.umove(out, arg, 16) {
                let _ = write!(out, "{{offset={}", le32(&b, 0));
                nonzero(out, "resv", le32(&b, 4) as u64);
                out.push_str(", fds=");
                call.array(out, le64(&b, 8), nargs, 4, &mut update_fd_member);
                out.push('}');
            }
            true
        }
        8 => probe_entry(call, out, arg, nargs),
        11 => {
            call.array(out, arg, nargs, RESTRICTION_SIZE, &mut |_, out, b| {
                restriction(out, b)
            });
            true
        }
        13 | 15 => {
            rsrc_register(call, out, arg, nargs, opcode);
            true
        }
        14 | 16 => {
            rsrc_update(call, out, arg, nargs, opcode);
            true
        }
        17 => {
            affinity(call, out, arg, nargs);
            true
        }
        19 => {
            let all = iowq_acct(call, out, arg, nargs);
            if all {
                out.push_str(" => ");
            }
            !all
        }
        20 => {
            call.array(out, arg, nargs, 16, &mut |call, out, b| {
                let offset = le32(b, 0);
                if offset == u32::MAX {
                    out.push_str("{offset=-1");
                } else {
                    let _ = write!(out, "{{offset={offset}");
                }
                nonzero(out, "resv", le32(b, 4) as u64);
                out.push_str(", data=");
                call.fd(out, le64(b, 8) as i32);
                out.push('}');
            });
            true
        }
        21 => {
            call.array(out, arg, nargs, 16, &mut |_, out, b| {
                let _ = write!(out, "{{offset={}", le32(b, 0));
                nonzero(out, "resv", le32(b, 4) as u64);
                nonzero(out, "data", le64(b, 8));
                out.push('}');
            });
            true
        }
        22 | 23 => {
            if let Some(b) = call.umove(out, arg, BUF_REG_SIZE) {
                out.push_str("{ring_addr=");
                ptr(out, le64(&b, 0));
                let _ = write!(out, ", ring_entries={}, bgid={}", le32(&b, 8), le16(&b, 12));
                nonzero(out, "pad", le16(&b, 14) as u64);
                let resv: Vec<u64> = (0..3).map(|i| le64(&b, 16 + 8 * i)).collect();
                if resv.iter().any(|&r| r != 0) {
                    let shown: Vec<String> = resv.iter().map(|r| CHex(*r).to_string()).collect();
                    let _ = write!(out, ", resv=[{}]", shown.join(", "));
                }
                out.push('}');
            }
            true
        }
        _ => {
            ptr(out, arg);
            true
        }
    };
    if decoded {
        let _ = write!(out, ", {nargs}");
    }
}

/// One `io_uring_restriction`.
fn restriction(out: &mut String, b: &[u8]) {
    let opcode = le16(b, 0);
    out.push_str("{opcode=");
    xlat::value(out, opcode as u64, &RESTRICTION_OPCODES);
    let op = b[2] as u64;
    match opcode {
        0 => {
            out.push_str(", register_op=");
            xlat::value(out, op, &REGISTER_OPCODES);
        }
        1 => {
            out.push_str(", sqe_op=");
            xlat::value(out, op, &OPS);
        }
        2 | 3 => {
            out.push_str(", sqe_flags=");
            xlat::flags(out, op, &SQE_FLAGS);
        }
        _ => {
            let _ = write!(out, " /* op: {} */", CHex(op));
        }
    }
    nonzero(out, "resv", b[3] as u64);
    nonzero_u32s(out, "resv2", b, 4, 3);
    out.push('}');
}

fn probe_size(nargs: u64) -> usize {
    PROBE_SIZE + PROBE_OP_SIZE * nargs as usize
}

/// `IORING_REGISTER_PROBE` at entry: the probe the caller passed, unless it is all zero. Returns
/// whether the call's decoding ends here (no probe to read).
fn probe_entry(call: &mut Call<'_>, out: &mut String, addr: u64, nargs: u64) -> bool {
    if nargs > 256 {
        ptr(out, addr);
        return true;
    }
    let Some(b) = call.bytes(addr, probe_size(nargs)) else {
        ptr(out, addr);
        return true;
    };
    if b.iter().any(|&c| c != 0) {
        probe_text(call, out, &b, nargs);
    }
    false
}

/// `IORING_REGISTER_PROBE` at exit: what the kernel filled in (after ` => ` when the entry showed the
/// caller's probe), then the count.
fn probe_exit(call: &mut Call<'_>, out: &mut String, addr: u64, nargs: u64) {
    let size = probe_size(nargs);
    let now = (nargs <= 256 && !call.failed())
        .then(|| call.bytes(addr, size))
        .flatten();
    // What the entry did, from what it read: nothing more to do after an unreadable or oversized
    // probe; the probe was shown unless it was all zero.
    let Some(shown) = (nargs <= 256)
        .then(|| call.at_entry(addr, size))
        .flatten()
        .map(|b| b.iter().any(|&c| c != 0))
    else {
        return;
    };
    if call.failed() {
        if !shown {
            ptr(out, addr);
        }
    } else {
        if shown {
            out.push_str(" => ");
        }
        match now {
            Some(b) => probe_text(call, out, &b, nargs),
            None => ptr(out, addr),
        }
    }
    let _ = write!(out, ", {nargs}");
}

/// `{last_op=..., ops_len=..., ops=[...]}`: at entry `nargs` operations, at exit those the kernel
/// filled (`...` when it had more than room for).
fn probe_text(call: &mut Call<'_>, out: &mut String, b: &[u8], nargs: u64) {
    let entering = !call.exiting();
    out.push_str("{last_op=");
    xlat::value(out, b[0] as u64, &OPS_DEC);
    let ops_len = b[1] as u64;
    let _ = write!(out, ", ops_len={ops_len}");
    nonzero(out, "resv", le16(b, 2) as u64);
    nonzero_u32s(out, "resv2", b, 4, 3);
    out.push_str(", ops=[");
    let count = if entering { nargs } else { ops_len.min(nargs) };
    let limit = if call.opts.verbose {
        count
    } else {
        count.min(call.opts.strsize as u64)
    };
    for i in 0..limit as usize {
        if i > 0 {
            out.push_str(", ");
        }
        let op = &b[PROBE_SIZE + PROBE_OP_SIZE * i..PROBE_SIZE + PROBE_OP_SIZE * (i + 1)];
        out.push_str("{op=");
        xlat::value(out, op[0] as u64, &OPS_DEC);
        nonzero(out, "resv", op[1] as u64);
        out.push_str(", flags=");
        xlat::flags(out, le16(op, 2) as u64, &OP_FLAGS);
        nonzero(out, "resv2", le32(op, 4) as u64);
        out.push('}');
    }
    if limit < count || (!entering && nargs < ops_len) {
        if limit > 0 {
            out.push_str(", ");
        }
        out.push_str("...");
    }
    out.push_str("]}");
}

/// The `data` array of a resource registration or update, by opcode.
fn rsrc_data(call: &mut Call<'_>, out: &mut String, data: u64, nr: u64, opcode: u32) {
    out.push_str(", data=");
    match opcode {
        13 => call.array(out, data, nr, 4, &mut fd_member),
        14 => call.array(out, data, nr, 4, &mut update_fd_member),
        _ => call.array(out, data, nr, IOVEC_SIZE, &mut iov_addr_member),
    }
}

/// `, tags=[0x..., 0]`.
fn rsrc_tags(call: &mut Call<'_>, out: &mut String, tags: u64, nr: u64) {
    out.push_str(", tags=");
    call.array(out, tags, nr, 8, &mut |_, out, b| {
        let _ = write!(out, "{}", CHex(le64(b, 0)));
    });
}

/// `struct io_uring_rsrc_register` (`IORING_REGISTER_FILES2`, `IORING_REGISTER_BUFFERS2`).
fn rsrc_register(call: &mut Call<'_>, out: &mut String, addr: u64, size: u64, opcode: u32) {
    if size < RSRC_SIZE as u64 {
        ptr(out, addr);
        return;
    }
    let Some(b) = call.umove(out, addr, RSRC_SIZE) else {
        return;
    };
    let nr = le32(&b, 0) as u64;
    let _ = write!(out, "{{nr={nr}, flags=");
    xlat::flags(out, le32(&b, 4) as u64, &RSRC_FLAGS);
    nonzero(out, "resv2", le64(&b, 8));
    rsrc_data(call, out, le64(&b, 16), nr, opcode);
    rsrc_tags(call, out, le64(&b, 24), nr);
    tail(call, out, addr, size);
    out.push('}');
}

/// `struct io_uring_rsrc_update2` (`IORING_REGISTER_FILES_UPDATE2`, `IORING_REGISTER_BUFFERS_UPDATE`).
fn rsrc_update(call: &mut Call<'_>, out: &mut String, addr: u64, size: u64, opcode: u32) {
    if size < RSRC_SIZE as u64 {
        ptr(out, addr);
        return;
    }
    let Some(b) = call.umove(out, addr, RSRC_SIZE) else {
        return;
    };
    let nr = le32(&b, 24) as u64;
    let _ = write!(out, "{{offset={}", le32(&b, 0));
    nonzero(out, "resv", le32(&b, 4) as u64);
    rsrc_data(call, out, le64(&b, 8), nr, opcode);
    rsrc_tags(call, out, le64(&b, 16), nr);
    let _ = write!(out, ", nr={nr}");
    nonzero(out, "resv2", le32(&b, 28) as u64);
    tail(call, out, addr, size);
    out.push('}');
}

/// The bytes of a larger caller's structure past the known ones, when not all zero.
fn tail(call: &mut Call<'_>, out: &mut String, addr: u64, size: u64) {
    if size > RSRC_SIZE as u64 {
        let mut s = String::new();
        if call.nonzero_tail(&mut s, addr, RSRC_SIZE, size) {
            out.push_str(", ");
            out.push_str(&s);
        }
    }
}

/// A CPU set of `len` bytes: `[0 1 5]`, `[0 1 ...]` when only its start is read.
fn affinity(call: &mut Call<'_>, out: &mut String, addr: u64, len: u64) {
    if addr == 0 || call.failed() {
        ptr(out, addr);
        return;
    }
    if len == 0 {
        out.push_str("[]");
        return;
    }
    let want = len.min(CPUSET_MAX) as usize;
    let Some(b) = call.bytes(addr, want) else {
        ptr(out, addr);
        return;
    };
    let mut cpus = Vec::new();
    for (i, byte) in b.iter().enumerate() {
        for bit in 0..8 {
            if byte & (1 << bit) != 0 {
                cpus.push((i * 8 + bit).to_string());
            }
        }
    }
    if (want as u64) < len {
        cpus.push("...".to_string());
    }
    let _ = write!(out, "[{}]", cpus.join(" "));
}

/// `IORING_REGISTER_IOWQ_MAX_WORKERS` at exit: the limits again, when the entry showed them all.
fn iowq_exit(call: &mut Call<'_>, out: &mut String, addr: u64, n: u64) {
    let mut now = String::new();
    iowq_acct(call, &mut now, addr, n);
    let shown_all = addr != 0
        && n != 0
        && (call.opts.verbose || n <= call.opts.strsize as u64)
        && (0..n).all(|i| call.at_entry(addr + 4 * i, 4).is_some());
    if shown_all {
        out.push_str(&now);
        let _ = write!(out, ", {n}");
    }
}

/// `IORING_REGISTER_IOWQ_MAX_WORKERS`'s `[[IO_WQ_BOUND]=4, [IO_WQ_UNBOUND]=8]`. Returns whether every
/// element was shown.
fn iowq_acct(call: &mut Call<'_>, out: &mut String, addr: u64, n: u64) -> bool {
    let mut shown = 0u64;
    let mut index = 0u64;
    let start = out.len();
    call.array(out, addr, n, 4, &mut |_, out, b| {
        out.push('[');
        xlat::value(out, index, &IOWQ_ACCT);
        let _ = write!(out, "]={}", le32(b, 0));
        index += 1;
        shown += 1;
    });
    n != 0 && shown == n && out[start..].ends_with(']')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restriction_shows_the_union_member_its_opcode_uses() {
        let mut b = [0u8; RESTRICTION_SIZE];
        b[0] = 1;
        b[2] = 22;
        let mut s = String::new();
        restriction(&mut s, &b);
        assert_eq!(
            s,
            "{opcode=IORING_RESTRICTION_SQE_OP, sqe_op=IORING_OP_READ}"
        );
        b[0] = 9;
        b[3] = 0x77;
        let mut s = String::new();
        restriction(&mut s, &b);
        assert_eq!(
            s,
            "{opcode=0x9 /* IORING_RESTRICTION_??? */ /* op: 0x16 */, resv=0x77}"
        );
    }
}
