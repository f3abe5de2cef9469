//! `-e read=SET` / `-e write=SET`: the full data of reads and writes on chosen descriptors, dumped in
//! hex after the syscall's line, in strace's layout:
//!
//! ```text
//!  | 00000  68 65 6c 6c 6f 0a                                 hello.           |
//! ```
//!
//! Design: the tracer adds one extra memory read to the exit plan (slot [`SLOT`], past the six argument
//! slots) when the call and descriptor qualify; the formatter prints whatever that read returned.

use super::{FetchKind, FetchReq};
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
    let len = match s {
        Sysno::write | Sysno::pwrite64 | Sysno::sendto if writes.contains(fd) => args[2],
        Sysno::read | Sysno::pread64 | Sysno::recvfrom if reads.contains(fd) && ret > 0 => {
            ret as u64
        }
        _ => return None,
    };
    (len > 0).then(|| FetchReq {
        slot: SLOT as u8,
        addr: args[1],
        kind: FetchKind::Bytes {
            len: len.min(LIMIT) as usize,
        },
    })
}

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

/// Appends the dump lines of `data`: offset, 16 bytes in two groups of 8, and their printable form.
pub fn hexdump_into(out: &mut String, data: &[u8]) {
    let len = data.len();
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
        hexdump_into(&mut s, b"hello\n");
        assert_eq!(
            s,
            " | 00000  68 65 6c 6c 6f 0a                                 hello.           |\n"
        );
        let mut s = String::new();
        hexdump_into(&mut s, &[b'a'; 17]);
        assert_eq!(s.lines().count(), 2);
        assert!(s.lines().nth(1).unwrap().starts_with(" | 00010  61    "));
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
