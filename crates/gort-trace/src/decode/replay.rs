//! Record and replay of tracee memory reads, for decoders written as straight-line code.
//!
//! Design: some arguments (an ioctl's structure, whose layout depends on the request and whose
//! pointers lead to more structures) are easiest to decode the way strace does, reading memory as the
//! text is written. The plan/fetch/render split (see `decode/mod.rs`) forbids reading memory while
//! rendering, so such a decoder runs twice: once in the tracer, against live memory through a
//! [`Recorder`] that logs every read and its result (the text is thrown away), and once in the
//! formatter against a [`Replay`] of that log. A decoder is a deterministic function of its inputs
//! and of what it reads, so the second run asks for the same reads in the same order and writes the
//! text the first run would have written.

use super::{FdInfo, ReadMem};

/// One logged request and its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// `len` bytes asked for at `addr`; `got` is what was read (shorter at a fault).
    Read {
        /// Tracee address.
        addr: u64,
        /// Bytes asked for.
        len: usize,
        /// Bytes read.
        got: Vec<u8>,
    },
    /// What descriptor `fd` referred to, for the kinds in `kinds`.
    Fd {
        /// The descriptor.
        fd: i32,
        /// `FdKinds` asked for.
        kinds: u8,
        /// The answer.
        info: Option<FdInfo>,
    },
}

/// A [`ReadMem`] that forwards to live memory and logs every answer.
pub struct Recorder<'a> {
    inner: &'a mut dyn ReadMem,
    /// The answers, in the order they were asked for.
    pub log: Vec<Record>,
}

impl<'a> Recorder<'a> {
    /// Records reads of `inner`.
    pub fn new(inner: &'a mut dyn ReadMem) -> Self {
        Recorder {
            inner,
            log: Vec::new(),
        }
    }
}

impl ReadMem for Recorder<'_> {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let n = self.inner.read(addr, buf);
        self.log.push(Record::Read {
            addr,
            len: buf.len(),
            got: buf[..n].to_vec(),
        });
        n
    }

    fn fd_path(&mut self, fd: i32, kinds: u8) -> Option<FdInfo> {
        let info = self.inner.fd_path(fd, kinds);
        self.log.push(Record::Fd {
            fd,
            kinds,
            info: info.clone(),
        });
        info
    }
}

/// A [`ReadMem`] that answers from a [`Recorder`]'s log. A request that no recorded read holds reads
/// as a fault, so a decoder that strays from its recorded path shows addresses rather than wrong data.
pub struct Replay<'a> {
    log: &'a [Record],
    next: usize,
}

impl<'a> Replay<'a> {
    /// Replays `log`.
    pub fn new(log: &'a [Record]) -> Self {
        Replay { log, next: 0 }
    }

    /// The recorded answer for a request: the next one in order when it matches, else any match.
    fn find(&mut self, wanted: impl Fn(&Record) -> bool) -> Option<&'a Record> {
        let log = self.log;
        let at = match log.get(self.next) {
            Some(r) if wanted(r) => self.next,
            _ => log.iter().position(wanted)?,
        };
        self.next = at + 1;
        Some(&log[at])
    }
}

impl Replay<'_> {
    /// Memory does not change during a stop, so a read that was not made as such is answered from
    /// the recorded read that holds the most of its bytes from `addr` on (a decoder that printed
    /// with what the entry told it may read less than the tracer's run did).
    fn covered(&self, addr: u64, buf: &mut [u8]) -> usize {
        let mut best = 0;
        for r in self.log {
            if let Record::Read {
                addr: base, got, ..
            } = r
            {
                if addr >= *base && addr - base < got.len() as u64 {
                    let off = (addr - base) as usize;
                    let n = buf.len().min(got.len() - off);
                    if n > best {
                        buf[..n].copy_from_slice(&got[off..off + n]);
                        best = n;
                    }
                }
            }
        }
        best
    }
}

impl ReadMem for Replay<'_> {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let len = buf.len();
        match self
            .find(|r| matches!(r, Record::Read { addr: a, len: l, .. } if *a == addr && *l == len))
        {
            Some(Record::Read { got, .. }) => {
                buf[..got.len()].copy_from_slice(got);
                got.len()
            }
            _ => self.covered(addr, buf),
        }
    }

    fn fd_path(&mut self, fd: i32, kinds: u8) -> Option<FdInfo> {
        match self
            .find(|r| matches!(r, Record::Fd { fd: f, kinds: k, .. } if *f == fd && *k == kinds))
        {
            Some(Record::Fd { info, .. }) => info.clone(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bytes(Vec<u8>);

    impl ReadMem for Bytes {
        fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
            let at = addr as usize;
            if at >= self.0.len() {
                return 0;
            }
            let n = buf.len().min(self.0.len() - at);
            buf[..n].copy_from_slice(&self.0[at..at + n]);
            n
        }
    }

    #[test]
    fn replay_answers_what_was_recorded_and_faults_otherwise() {
        let mut live = Bytes(b"hello world".to_vec());
        let mut rec = Recorder::new(&mut live);
        let mut b = [0u8; 5];
        assert_eq!(rec.read(6, &mut b), 5);
        let mut c = [0u8; 4];
        assert_eq!(rec.read(9, &mut c), 2);
        let log = rec.log;
        let mut rep = Replay::new(&log);
        let mut b2 = [0u8; 5];
        assert_eq!(rep.read(6, &mut b2), 5);
        assert_eq!(&b2, b"world");
        let mut c2 = [0u8; 4];
        assert_eq!(rep.read(9, &mut c2), 2);
        assert_eq!(&c2[..2], b"ld");
        let mut d = [0u8; 1];
        assert_eq!(rep.read(0, &mut d), 0);
    }

    #[test]
    fn a_read_inside_a_recorded_one_is_answered_from_it() {
        let mut live = Bytes(b"hello world".to_vec());
        let mut rec = Recorder::new(&mut live);
        let mut b = [0u8; 5];
        assert_eq!(rec.read(6, &mut b), 5);
        let log = rec.log;
        let mut rep = Replay::new(&log);
        let mut c = [0u8; 4];
        assert_eq!(rep.read(8, &mut c), 3);
        assert_eq!(&c[..3], b"rld");
    }
}
