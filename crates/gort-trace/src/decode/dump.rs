//! `-e read=SET` / `-e write=SET`: the full data of reads and writes on chosen descriptors, dumped in
//! hex after the syscall's line, in strace's layout:
//!
//! ```text
//!  | 00000  68 65 6c 6c 6f 0a                                 hello.           |
//! ```
//!
//! Design: the tracer adds one extra memory read to the exit plan (slot [`SLOT`], past the six argument
//! slots) when the call and descriptor qualify, of as many bytes as are readable; the formatter prints
//! them. Like strace, which reads the data in 64 KiB pieces, a dump shows whole pieces and ends at the
//! first piece that could not be read with a `<Cannot fetch N bytes ...>` line (nothing at all when the
//! first piece cannot be read). The vectors of a message (`sendmsg`, `recvmmsg`...) are followed by a
//! walking renderer (`walk.rs`) that writes the dump text itself.

use super::socket::{DumpKind, SockArg};
use super::{FetchKind, FetchReq, Fetched};
use crate::qualify::FdSet;
use std::fmt::Write;
use syscalls::Sysno;

/// The `Mem` slot that holds the dumped data.
pub const SLOT: usize = 6;

/// Most bytes dumped for one call.
const LIMIT: u64 = 1 << 24;

/// The most `struct iovec`s a vectored call takes (`UIO_MAXIOV`).
const IOV_MAX: i32 = 1024;

/// The extra read for a read/write call on a dumped descriptor, if any.
pub fn plan(nr: u64, args: &[u64; 6], ret: i64, reads: &FdSet, writes: &FdSet) -> Option<FetchReq> {
    if reads.is_empty() && writes.is_empty() {
        return None;
    }
    let fd = args[0] as i32;
    if fd < 0 {
        return None;
    }
    let s = Sysno::new(nr as usize)?;
    if let Some(kind) = vectors_of(s) {
        // Sent data is dumped even when the call failed, received data only when it succeeded.
        let sent = matches!(s, Sysno::sendmsg | Sysno::sendmmsg);
        let wanted = if sent {
            writes.contains(fd)
        } else {
            reads.contains(fd) && ret >= 0
        };
        return wanted.then(|| FetchReq {
            slot: SLOT as u8,
            addr: args[1],
            kind: FetchKind::SockWalk {
                arg: SockArg::Dump(kind),
                args: *args,
                ret: Some(ret),
                opts: Default::default(),
            },
        });
    }
    // Vectored calls dump each buffer (as much of it as the call moved); nothing when the vector
    // itself cannot be read whole (see `iov_dump_into`).
    let iov_data = match s {
        Sysno::writev | Sysno::pwritev | Sysno::pwritev2 | Sysno::vmsplice
            if writes.contains(fd) =>
        {
            Some(u64::MAX)
        }
        Sysno::readv | Sysno::preadv | Sysno::preadv2 if reads.contains(fd) && ret >= 0 => {
            Some(ret as u64)
        }
        _ => None,
    };
    if let Some(data_size) = iov_data {
        let count = args[2] as i32;
        return (1..=IOV_MAX).contains(&count).then(|| FetchReq {
            slot: SLOT as u8,
            addr: args[1],
            kind: FetchKind::Iovec {
                count: count as usize,
                data_size,
                max: LIMIT as usize,
            },
        });
    }
    let len = match buffer_of(s, args, ret)? {
        (Dir::Written, len) if writes.contains(fd) => len,
        (Dir::Read, len) if reads.contains(fd) && ret > 0 => len,
        _ => return None,
    };
    (len > 0).then(|| FetchReq {
        slot: SLOT as u8,
        addr: args[1],
        kind: FetchKind::Upto {
            len: len.min(LIMIT) as usize,
        },
    })
}

/// Appends what was fetched for a dump in tracee `pid`: the data of a plain buffer, or the text of a
/// message's vectors (` * 3 bytes in buffer 0` and each one's lines).
pub fn dumped_into(
    out: &mut String,
    pid: i32,
    nr: u64,
    args: &[u64; 6],
    ret: i64,
    fetched: Option<&Fetched>,
) {
    match fetched {
        Some(Fetched::Bytes(data)) => {
            let wanted = Sysno::new(nr as usize)
                .and_then(|s| buffer_of(s, args, ret))
                .map_or(data.len(), |(_, len)| len.min(LIMIT) as usize);
            hexdump_upto_into(out, data, wanted, args[1], pid)
        }
        Some(Fetched::Recorded(log)) => {
            if let Some(kind) = Sysno::new(nr as usize).and_then(vectors_of) {
                super::socket::dump_replay_into(out, kind, args, ret, log)
            }
        }
        Some(Fetched::Iovec(elems)) => iov_dump_into(out, elems, args[2] as i32 as u64),
        _ => {}
    }
}

/// Which way a dumped buffer's data went.
enum Dir {
    /// From the tracee to the kernel (`-e write=`).
    Written,
    /// From the kernel to the tracee (`-e read=`).
    Read,
}

/// The plain buffer a call's dump shows (at argument 1): its direction and length.
fn buffer_of(s: Sysno, args: &[u64; 6], ret: i64) -> Option<(Dir, u64)> {
    match s {
        Sysno::write | Sysno::pwrite64 | Sysno::sendto | Sysno::mq_timedsend => {
            Some((Dir::Written, args[2]))
        }
        Sysno::read | Sysno::pread64 | Sysno::recvfrom | Sysno::mq_timedreceive => {
            Some((Dir::Read, ret.max(0) as u64))
        }
        _ => None,
    }
}

/// The messages whose vectors a call's dump follows.
fn vectors_of(s: Sysno) -> Option<DumpKind> {
    match s {
        Sysno::sendmsg => Some(DumpKind::MsgHdr { read: false }),
        Sysno::recvmsg => Some(DumpKind::MsgHdr { read: true }),
        Sysno::sendmmsg | Sysno::recvmmsg => Some(DumpKind::MmsgVec),
        _ => None,
    }
}

/// The size of the pieces strace reads a dump in.
const PIECE: usize = 1 << 16;

/// Appends the dump of a buffer of `wanted` bytes at `addr` in tracee `pid`, of which `data` could be
/// read: whole pieces, then a `<Cannot fetch ...>` line for the first piece that could not be read.
pub fn hexdump_upto_into(out: &mut String, data: &[u8], wanted: usize, addr: u64, pid: i32) {
    let shown = if data.len() < wanted {
        data.len() / PIECE * PIECE
    } else {
        wanted
    };
    lines_into(out, &data[..shown], wanted);
    if shown < wanted && shown > 0 {
        let n = (wanted - shown).min(PIECE);
        let _ = writeln!(
            out,
            " | <Cannot fetch {n} byte{} from pid {pid} @{:#x}>",
            if n == 1 { "" } else { "s" },
            addr + shown as u64
        );
    }
}

/// Appends the dump lines of `data` (all of it read): offset, 16 bytes in two groups of 8, and their
/// printable form.
/// Appends the dumps of a vectored call's buffers (` * 3 bytes in buffer 0` and its lines), up to
/// the first buffer the call moved nothing into, when all `count` `struct iovec`s were read.
pub fn iov_dump_into(out: &mut String, elems: &[super::IovecElem], count: u64) {
    if elems.len() as u64 != count {
        return;
    }
    for (k, e) in elems.iter().enumerate() {
        if e.used == 0 {
            break;
        }
        let _ = writeln!(out, " * {} bytes in buffer {k}", e.used);
        if let Some(data) = &e.data {
            hexdump_into(out, &data[..data.len().min(e.used as usize)]);
        }
    }
}

/// Appends the dump lines of `data` (all of it read): offset, 16 bytes in two groups of 8, and their
/// printable form.
pub fn hexdump_into(out: &mut String, data: &[u8]) {
    lines_into(out, data, data.len())
}

/// The dump lines of `data`, with offsets as wide as a buffer of `len` bytes needs.
fn lines_into(out: &mut String, data: &[u8], len: usize) {
    // At least five offset digits, more when the offsets need them.
    let digits = if len > 1 << 20 {
        (usize::BITS - (len - 1).leading_zeros()).div_ceil(4) as usize
    } else {
        5
    };
    for (row, chunk) in data.chunks(16).enumerate() {
        let _ = write!(out, " | {:0digits$x}  ", row * 16);
        for k in 0..16 {
            match chunk.get(k) {
                Some(b) => {
                    let _ = write!(out, "{b:02x} ");
                }
                None => out.push_str("   "),
            }
            if k % 8 == 7 {
                out.push(' ');
            }
        }
        for k in 0..16 {
            out.push(match chunk.get(k) {
                Some(&b) if (0x20..0x7f).contains(&b) => b as char,
                Some(_) => '.',
                None => ' ',
            });
        }
        out.push_str(" |\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_lines_have_strace_layout() {
        let mut s = String::new();
        hexdump_upto_into(&mut s, b"hello\n", 6, 0x1000, 5);
        assert_eq!(
            s,
            " | 00000  68 65 6c 6c 6f 0a                                 hello.           |\n"
        );
        let mut s = String::new();
        hexdump_upto_into(&mut s, &[b'a'; 17], 17, 0x1000, 5);
        assert_eq!(s.lines().count(), 2);
        assert!(s.lines().nth(1).unwrap().starts_with(" | 00010  61    "));
    }

    #[test]
    fn a_dump_ends_at_the_first_piece_that_cannot_be_read() {
        let data = vec![0u8; PIECE + 10];
        let mut s = String::new();
        hexdump_upto_into(&mut s, &data, PIECE + 20, 0x1000, 5);
        assert_eq!(s.lines().count(), PIECE / 16 + 1);
        assert_eq!(
            s.lines().last().unwrap(),
            " | <Cannot fetch 20 bytes from pid 5 @0x11000>"
        );
        let mut s = String::new();
        hexdump_upto_into(&mut s, &data[..10], 20, 0x1000, 5);
        assert_eq!(s, "");
    }

    #[test]
    fn only_chosen_descriptors_are_dumped() {
        let w = FdSet::parse("1").unwrap();
        let none = FdSet::default();
        let write = Sysno::write as u64;
        assert!(plan(write, &[1, 0x1000, 6, 0, 0, 0], 6, &none, &w).is_some());
        assert!(plan(write, &[2, 0x1000, 6, 0, 0, 0], 6, &none, &w).is_none());
        let read = Sysno::read as u64;
        assert!(plan(read, &[1, 0x1000, 6, 0, 0, 0], -9, &w, &none).is_none());
    }
}
