//! A walking renderer's view of tracee memory (a `msghdr`'s iovecs and control messages, a socket
//! option whose layout depends on its level and name): whole objects or nothing, as strace's `umoven`
//! reads them.
//!
//! Design: the plan/fetch/render split (see `mod.rs`) wants every read known before the tracee runs
//! again, but what a nested structure needs is only known by reading it. A socket renderer is
//! therefore written once against a [`Tracee`] and run twice: at fetch time over a
//! [`crate::decode::replay::Recorder`] of the live tracee, and at render time over a
//! [`crate::decode::replay::Replay`] of what it recorded (see `replay.rs`).

use crate::decode::{FdInfo, Opts, ReadMem};

/// Tracee memory as a walking renderer reads it: whole objects or nothing, as strace's `umoven` does.
pub struct Tracee<'a> {
    mem: &'a mut dyn ReadMem,
    /// The printing options.
    pub opts: Opts,
}

impl crate::decode::array::LiveMemory for Tracee<'_> {
    fn read_exact(&mut self, addr: u64, len: usize) -> Option<Vec<u8>> {
        self.read(addr, len)
    }

    fn opts(&self) -> &Opts {
        &self.opts
    }
}

impl<'a> Tracee<'a> {
    /// Reads through `mem` with `opts`.
    pub fn new(mem: &'a mut dyn ReadMem, opts: Opts) -> Self {
        Tracee { mem, opts }
    }

    /// Up to `len` bytes at `addr`: as many as are readable from there.
    pub fn read_upto(&mut self, addr: u64, len: usize) -> Vec<u8> {
        crate::decode::read_upto(self.mem, addr, len)
    }

    /// Exactly `len` bytes at `addr`, or `None` when any of them cannot be read (or `addr` is NULL).
    pub fn read(&mut self, addr: u64, len: usize) -> Option<Vec<u8>> {
        if addr == 0 {
            return None;
        }
        let b = self.read_upto(addr, len);
        (b.len() == len).then_some(b)
    }

    /// A native `u32` at `addr`.
    pub fn u32(&mut self, addr: u64) -> Option<u32> {
        self.read(addr, 4)
            .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A native `u64` at `addr`.
    pub fn u64(&mut self, addr: u64) -> Option<u64> {
        self.read(addr, 8).map(|b| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b);
            u64::from_ne_bytes(w)
        })
    }

    /// What descriptor `fd` refers to, when the options decorate descriptors.
    pub fn fd_info(&mut self, fd: i32) -> Option<FdInfo> {
        if self.opts.decode_fds == 0 || fd < 0 {
            return None;
        }
        self.mem.fd_path(fd, self.opts.decode_fds)
    }
}

/// strace's array layout for `n` elements of `size` bytes at `addr` (`array::walk_into`).
/// `elem` prints one element and returns false to stop.
pub fn array_into(
    t: &mut Tracee,
    out: &mut String,
    addr: u64,
    n: u64,
    size: usize,
    elem: impl FnMut(&mut Tracee, &mut String, &[u8]) -> bool,
) {
    crate::decode::array::walk_into(t, out, addr, n, size, false, elem)
}

/// A native-endian `u32` at `off` in `b` (0 past its end).
pub fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map_or(0, |w| u32::from_ne_bytes([w[0], w[1], w[2], w[3]]))
}

/// A native-endian `u16` at `off` in `b` (0 past its end).
pub fn u16_at(b: &[u8], off: usize) -> u16 {
    b.get(off..off + 2)
        .map_or(0, |w| u16::from_ne_bytes([w[0], w[1]]))
}

/// A native-endian `u64` at `off` in `b` (0 past its end).
pub fn u64_at(b: &[u8], off: usize) -> u64 {
    b.get(off..off + 8).map_or(0, |w| {
        let mut x = [0u8; 8];
        x.copy_from_slice(w);
        u64::from_ne_bytes(x)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Two;
    impl ReadMem for Two {
        fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
            // Readable: [0x1000, 0x1003).
            if (0x1000..0x1003).contains(&addr) {
                let n = buf.len().min((0x1003 - addr) as usize);
                for (i, b) in buf[..n].iter_mut().enumerate() {
                    *b = (addr as usize + i) as u8;
                }
                n
            } else {
                0
            }
        }
    }

    #[test]
    fn a_replay_answers_the_recorded_reads_and_nothing_else() {
        use crate::decode::replay::{Recorder, Replay};
        let mut live = Two;
        let mut rec = Recorder::new(&mut live);
        let mut t = Tracee::new(&mut rec, Opts::default());
        assert_eq!(t.read(0x1000, 2), Some(vec![0, 1]));
        assert_eq!(t.read(0x1001, 4), None);
        assert_eq!(t.read_upto(0x1001, 4), vec![1, 2]);
        let log = rec.log;
        let mut replay = Replay::new(&log);
        let mut t = Tracee::new(&mut replay, Opts::default());
        assert_eq!(t.read(0x1000, 2), Some(vec![0, 1]));
        assert_eq!(t.read(0x1001, 4), None);
        assert_eq!(t.read_upto(0x1001, 4), vec![1, 2]);
        assert_eq!(t.read(0x2000, 1), None);
    }
}
