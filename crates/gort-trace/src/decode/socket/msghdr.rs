//! `struct msghdr` and `struct mmsghdr` (`sendmsg`, `recvmsg`, `sendmmsg`, `recvmmsg`): the peer's
//! address, the data vectors and the control messages.
//!
//! Design: a walking renderer (see `walk.rs`). A received message shows as much data as the call
//! returned (`data_size`), spread over its vectors in order; its address is cut to the length the caller
//! offered when the kernel's is longer (`msg_namelen=110 => 36`). Control messages are read whole (at
//! most the kernel's `optmem_max` bytes) and walked as the kernel lays them out, each decoded by level
//! and type when it is long enough.

use super::families::*;
use super::names::*;
use super::sockopt::bytes_into;
use super::tracee::{array_into, u32_at, u64_at, Tracee};
use super::{ptr, sockaddr};
use crate::decode::strings::quote_into;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

/// `sizeof(struct msghdr)` on x86_64.
pub const MSGHDR_SIZE: usize = 56;
/// `sizeof(struct mmsghdr)` on x86_64.
pub const MMSGHDR_SIZE: usize = 64;
/// `sizeof(struct cmsghdr)` on x86_64.
const CMSG_SIZE: usize = 16;
/// The most vectors a `mmsghdr` array is decoded for (`IOV_MAX`).
const IOV_MAX: u64 = 1024;

/// Socket levels as control messages name them (`SOL_???` for an unknown one).
const CMSG_LEVELS: Xlat = Xlat {
    unknown: "SOL_???",
    ..SOCK_LEVELS
};

/// `struct msghdr` at `addr`, or its address when it cannot be read. `user_namelen` is the address
/// length the caller offered (for a received message), `data_size` the bytes of data to show
/// (`u64::MAX`: all of each vector).
pub fn msghdr_into(
    t: &mut Tracee,
    out: &mut String,
    addr: u64,
    user_namelen: Option<i32>,
    data_size: u64,
) {
    match t.read(addr, MSGHDR_SIZE) {
        Some(b) => struct_msghdr_into(t, out, &b, user_namelen, data_size),
        None => ptr(out, addr),
    }
}

/// A `struct msghdr` already read into `b`.
fn struct_msghdr_into(
    t: &mut Tracee,
    out: &mut String,
    b: &[u8],
    user_namelen: Option<i32>,
    data_size: u64,
) {
    let name = u64_at(b, 0);
    let namelen = u32_at(b, 8) as i32;
    let (iov, iovlen) = (u64_at(b, 16), u64_at(b, 24));
    let (control, controllen) = (u64_at(b, 32), u64_at(b, 40));
    let flags = u32_at(b, 48);
    let shown_len = match user_namelen {
        Some(u) if namelen > u => u,
        _ => namelen,
    };
    out.push_str("{msg_name=");
    sockaddr_at_into(t, out, name, shown_len);
    out.push_str(", msg_namelen=");
    if let Some(u) = user_namelen.filter(|&u| u != namelen) {
        let _ = write!(out, "{u} => ");
    }
    let _ = write!(out, "{namelen}, msg_iov=");
    iov_into(t, out, iov, iovlen, data_size);
    let _ = write!(out, ", msg_iovlen={iovlen}");
    if controllen != 0 {
        out.push_str(", msg_control=");
        control_into(t, out, control, controllen);
    }
    let _ = write!(out, ", msg_controllen={controllen}, msg_flags=");
    xlat::flags(out, flags as u64, &MSG_FLAGS);
    out.push('}');
}

/// A socket address of `len` bytes at `addr`: decoded, or its address when it is shorter than a
/// family or cannot be read.
pub fn sockaddr_at_into(t: &mut Tracee, out: &mut String, addr: u64, len: i32) {
    if len < 2 {
        return ptr(out, addr);
    }
    match t.read(addr, (len as usize).min(128)) {
        Some(b) => sockaddr::sockaddr_fd_into(out, &b, &mut |out, fd| {
            let info = t.fd_info(fd).map(crate::decode::Fetched::Fd);
            crate::decode::fd_into(out, fd, info.as_ref());
        }),
        None => ptr(out, addr),
    }
}

/// `msg_iov`: each vector's data (as much of `data_size` as is left) and length.
fn iov_into(t: &mut Tracee, out: &mut String, addr: u64, n: u64, data_size: u64) {
    let mut left = data_size;
    array_into(t, out, addr, n, 16, |t, out, e| {
        let (base, len) = (u64_at(e, 0), u64_at(e, 8));
        let shown = len.min(left);
        if left != u64::MAX {
            left -= shown;
        }
        out.push_str("{iov_base=");
        bytes_into(t, out, base, shown, false);
        let _ = write!(out, ", iov_len={len}}}");
        true
    });
}

/// The kernel's `optmem_max`, rounded up to 8: the most control data it accepts.
fn optmem_max() -> u64 {
    std::fs::read_to_string("/proc/sys/net/core/optmem_max")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&n| n > 0)
        .map_or(8 * (2 * IOV_MAX + 512), |n| (n + 7) & !7)
}

/// `msg_control`: the control messages in `len` bytes at `addr`.
fn control_into(t: &mut Tracee, out: &mut String, addr: u64, in_len: u64) {
    let control_len = in_len.min(optmem_max()) as usize;
    let buf = if control_len < CMSG_SIZE {
        None
    } else {
        t.read(addr, control_len)
    };
    let Some(buf) = buf else {
        return ptr(out, addr);
    };
    out.push('[');
    let mut at = 0usize;
    let mut left = control_len;
    while left >= CMSG_SIZE {
        let c = &buf[at..];
        let cmsg_len = u64_at(c, 0);
        let level = u32_at(c, 8);
        let kind = u32_at(c, 12);
        if at != 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{{cmsg_len={cmsg_len}, cmsg_level=");
        xlat::value(out, level as u64, &CMSG_LEVELS);
        out.push_str(", cmsg_type=");
        let len = (cmsg_len.min(left as u64)) as usize;
        let data_len = len.saturating_sub(CMSG_SIZE);
        cmsg_data_into(t, out, level, kind, &c[CMSG_SIZE..CMSG_SIZE + data_len]);
        out.push('}');
        if len < CMSG_SIZE {
            left -= CMSG_SIZE;
            break;
        }
        let step = (cmsg_len + 7) & !7;
        if step >= left as u64 {
            left = 0;
            break;
        }
        at += step as usize;
        left -= step as usize;
    }
    if left > 0 {
        let _ = write!(out, ", ... /* {:#x} */", addr + (control_len - left) as u64);
    } else if (control_len as u64) < in_len {
        out.push_str(", ...");
    }
    out.push(']');
}

/// A control message's type and, when it is long enough for its kind, its data.
fn cmsg_data_into(t: &mut Tracee, out: &mut String, level: u32, kind: u32, d: &[u8]) {
    let n = d.len();
    match level {
        1 => {
            xlat::value(out, kind as u64, &SCM_TYPES);
            let min = match kind {
                1 => 4,
                2 => 12,
                3 | 29 | 35 | 37 | 63 | 64 | 65 => 1,
                _ => return,
            };
            if n < min {
                return;
            }
            out.push_str(", cmsg_data=");
            match kind {
                1 => local_array_into(t, out, d, 4, |t, out, e| {
                    let fd = u32_at(e, 0) as i32;
                    let info = t.fd_info(fd);
                    let f = info.map(crate::decode::Fetched::Fd);
                    crate::decode::fd_into(out, fd, f.as_ref());
                }),
                2 => ucred_into(out, d),
                3 => quote_into(out, d, false),
                29 | 63 => time_into(out, d, "tv_usec"),
                35 | 64 => time_into(out, d, "tv_nsec"),
                _ => {
                    if n < 48 {
                        out.push_str("???");
                    } else {
                        out.push('[');
                        for k in 0..3 {
                            if k > 0 {
                                out.push_str(", ");
                            }
                            time_into(out, &d[16 * k..], "tv_nsec");
                        }
                        out.push(']');
                    }
                }
            }
        }
        0 => {
            xlat::value(out, kind as u64, &IP_CMSG_TYPES);
            let min = match kind {
                8 => 12,
                2 | 23 => 4,
                1 | 6 | 7 | 3 => 1,
                11 => 32,
                20 => 16,
                _ => return,
            };
            if n < min {
                return;
            }
            out.push_str(", cmsg_data=");
            match kind {
                8 => {
                    out.push_str("{ipi_ifindex=");
                    sockaddr::ifindex_into(out, u32_at(d, 0));
                    out.push_str(", ");
                    sockaddr::inet_addr_into(out, "ipi_spec_dst", &d[4..8]);
                    out.push_str(", ");
                    sockaddr::inet_addr_into(out, "ipi_addr", &d[8..12]);
                    out.push('}');
                }
                2 | 23 => local_array_into(t, out, d, 4, |_, out, e| {
                    let _ = write!(out, "{}", u32_at(e, 0));
                }),
                1 | 6 | 7 => local_array_into(t, out, d, 1, |_, out, e| match e[0] {
                    0 => out.push('0'),
                    x => {
                        let _ = write!(out, "{x:#x}");
                    }
                }),
                3 => quote_into(out, d, false),
                11 => {
                    let _ = write!(
                        out,
                        "{{ee_errno={}, ee_origin={}, ee_type={}, ee_code={}, ee_info={}, \
                         ee_data={}, offender=",
                        u32_at(d, 0),
                        d[4],
                        d[5],
                        d[6],
                        u32_at(d, 8),
                        u32_at(d, 12)
                    );
                    sockaddr::sockaddr_into(out, &d[16..32]);
                    out.push('}');
                }
                _ => sockaddr::sockaddr_into(out, &d[..n.min(128)]),
            }
        }
        _ => {
            let _ = write!(out, "{kind:#x}");
        }
    }
}

/// An array already in memory: `[a, b, ...]`, cut after `-s` elements unless `-v`.
fn local_array_into(
    t: &mut Tracee,
    out: &mut String,
    d: &[u8],
    size: usize,
    mut elem: impl FnMut(&mut Tracee, &mut String, &[u8]),
) {
    out.push('[');
    for (k, e) in d.chunks_exact(size).enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        if !t.opts.verbose && k >= t.opts.strsize {
            out.push_str("...");
            break;
        }
        elem(t, out, e);
    }
    out.push(']');
}

/// `{pid=1, uid=0, gid=0}`.
fn ucred_into(out: &mut String, d: &[u8]) {
    let id = |v: u32| {
        if v == u32::MAX {
            "-1".to_string()
        } else {
            v.to_string()
        }
    };
    let _ = write!(
        out,
        "{{pid={}, uid={}, gid={}}}",
        u32_at(d, 0) as i32,
        id(u32_at(d, 4)),
        id(u32_at(d, 8))
    );
}

/// A 16-byte `timeval`/`timespec` (`???` when shorter): `{tv_sec=1, tv_usec=2}`.
fn time_into(out: &mut String, d: &[u8], frac: &str) {
    if d.len() < 16 {
        out.push_str("???");
        return;
    }
    let _ = write!(
        out,
        "{{tv_sec={}, {frac}={}}}",
        u64_at(d, 0) as i64,
        u64_at(d, 8)
    );
}

/// A `struct mmsghdr` array of `vlen` entries at `addr`. The first `msg_len_count` entries show their
/// `msg_len`; with `use_msg_len` each message's data is cut to it. `namelens` are the address lengths
/// the caller offered, one per entry (for received messages), and bound how many entries are shown.
pub fn mmsgvec_into(
    t: &mut Tracee,
    out: &mut String,
    addr: u64,
    vlen: u64,
    msg_len_count: u64,
    use_msg_len: bool,
    namelens: Option<&[i32]>,
) {
    let mut count = namelens.map_or(IOV_MAX, |n| (n.len() as u64).min(IOV_MAX));
    let mut msg_len_left = msg_len_count;
    let mut k = 0usize;
    array_into(t, out, addr, vlen, MMSGHDR_SIZE, |t, out, e| {
        if count == 0 {
            out.push_str("...");
            return false;
        }
        count -= 1;
        let msg_len = u32_at(e, 56);
        let data_size = if use_msg_len {
            msg_len as u64
        } else {
            u64::MAX
        };
        out.push_str("{msg_hdr=");
        let user = namelens.and_then(|n| n.get(k).copied());
        struct_msghdr_into(t, out, &e[..MSGHDR_SIZE], user, data_size);
        if msg_len_left > 0 {
            let _ = write!(out, ", msg_len={msg_len}");
            msg_len_left -= 1;
        }
        out.push('}');
        k += 1;
        true
    });
}

/// The address lengths of the `mmsghdr`s in `b` (as many whole ones as it holds).
pub fn namelens(b: &[u8]) -> Vec<i32> {
    b.chunks_exact(MMSGHDR_SIZE)
        .map(|m| u32_at(m, 8) as i32)
        .collect()
}

/// `recvmsg`'s message after a failure: only the address length the caller offered.
pub fn failed_recvmsg_into(out: &mut String, b: &[u8]) {
    let _ = write!(out, "{{msg_namelen={}}}", u32_at(b, 8) as i32);
}

/// `-e read=`/`-e write=` dump of `n` vectors at `addr`, `data_size` bytes in all (`u64::MAX`: each
/// whole): ` * 3 bytes in buffer 0` and the data's lines, per vector until the data ends.
fn dump_iov_into(t: &mut Tracee, out: &mut String, n: u32, addr: u64, data_size: u64) {
    let Some(iov) = t.read(addr, 16 * n as usize) else {
        return;
    };
    let mut left = data_size;
    for (i, v) in iov.chunks_exact(16).enumerate() {
        let len = u64_at(v, 8).min(left);
        if len == 0 {
            break;
        }
        left -= len;
        let _ = writeln!(out, " * {len} bytes in buffer {i}");
        if let Some(data) = t.read(u64_at(v, 0), len.min(DUMP_LIMIT) as usize) {
            crate::decode::dump::hexdump_into(out, &data);
        }
    }
}

/// The most bytes of one vector dumped.
const DUMP_LIMIT: u64 = 1 << 24;

/// The dump of the vectors of the `struct msghdr` at `addr`.
pub fn dump_msghdr_into(t: &mut Tracee, out: &mut String, addr: u64, data_size: u64) {
    if let Some(b) = t.read(addr, MSGHDR_SIZE) {
        dump_iov_into(t, out, u64_at(&b, 24) as u32, u64_at(&b, 16), data_size);
    }
}

/// The dump of the vectors of the first `n` `struct mmsghdr`s at `addr`, each cut to its `msg_len`.
pub fn dump_mmsgvec_into(t: &mut Tracee, out: &mut String, addr: u64, n: u64) {
    for i in 0..n.min(u32::MAX as u64) {
        let Some(b) = t.read(addr + i * MMSGHDR_SIZE as u64, MMSGHDR_SIZE) else {
            break;
        };
        let iovlen = u64_at(&b, 24);
        let _ = writeln!(out, " = {iovlen} buffers in vector {i}");
        dump_iov_into(t, out, iovlen as u32, u64_at(&b, 16), u32_at(&b, 56) as u64);
    }
}
