//! Decoders that follow pointers: structures that point at more structures (`bpf`, `keyctl`,
//! `io_uring_register`, SysV IPC buffers, `clone3`'s tail), where what to read next depends on what was
//! just read, so no plan written before the first read can list it.
//!
//! Design: a [`Walker`] is an ordinary function that prints a syscall's arguments, reading tracee memory
//! through a [`Call`] as it goes. It runs twice per stop, with the same registers, return value and
//! options. In the tracer, while the tracee is stopped, it runs against the live tracee through a
//! [`Recorder`] (see `replay.rs`): its text is thrown away and every read is kept. In the formatter it
//! runs again against a [`Replay`] of that recording, which answers the same reads with the same bytes,
//! so the second run prints exactly what the tracee's memory held at the stop, and the plan/render
//! split of `mod.rs` (tracee memory read only by the tracer, text made elsewhere) holds for walkers
//! too. A read the recording cannot answer (which would mean the walker is not deterministic) reads as
//! a fault.
//!
//! A walker is called once at entry (`ret` is `None`) and once at exit; like strace's decoders it
//! prints at entry what the kernel reads and leaves what the kernel writes for the exit.

use super::replay::{Record, Recorder, Replay};
use super::{FdInfo, FetchKind, FetchReq, Fetched, Mem, Opts, ReadMem, PAGE};
use std::fmt::Write;

/// Prints a syscall's arguments (at entry when `call.ret` is `None`, at exit otherwise).
pub type Walker = fn(&mut Call<'_>, &mut String);

/// A [`Walker`] as a value a plan can carry (compared by address, shown by address).
#[derive(Clone, Copy)]
pub struct WalkFn(pub Walker);

impl PartialEq for WalkFn {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

impl Eq for WalkFn {}

impl std::fmt::Debug for WalkFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WalkFn({:p})", self.0 as *const ())
    }
}

/// A syscall stop as a walker sees it: registers, return value, options and tracee memory.
pub struct Call<'a> {
    /// The six argument registers.
    pub args: [u64; 6],
    /// The return value at exit; `None` at entry.
    pub ret: Option<i64>,
    /// Printing options.
    pub opts: Opts,
    /// The tracee's memory: a [`Recorder`] of it in the tracer, a [`Replay`] in the formatter.
    mem: &'a mut dyn ReadMem,
    /// Whether `mem` is the tracer's recorder.
    recording: bool,
    /// At exit, in the formatter: what the entry's run of the walker read (empty otherwise).
    entry: &'a [Record],
}

impl Call<'_> {
    /// Whether this is the exit of a call that failed.
    pub fn failed(&self) -> bool {
        matches!(self.ret, Some(r) if (-4095..0).contains(&r))
    }

    /// Whether this is the exit stop.
    pub fn exiting(&self) -> bool {
        self.ret.is_some()
    }

    /// Reads up to `want` bytes at `addr`; fewer when memory ends first.
    fn raw(&mut self, addr: u64, want: usize) -> Vec<u8> {
        if addr == 0 {
            return Vec::new();
        }
        super::read_upto(self.mem, addr, want)
    }

    /// Whether this run is the tracer's, recording what it reads (its text is thrown away).
    pub fn recording(&self) -> bool {
        self.recording
    }

    /// What the entry's run read at `addr` (`len` bytes), when this exit is being printed. The
    /// tracer's run at exit cannot see it (it is `None` there), so what an exit reads may depend on
    /// it only by reading less when printing than when [`Call::recording`]: a read the recording
    /// holds is answered wherever it is in it.
    pub fn at_entry(&self, addr: u64, len: usize) -> Option<Vec<u8>> {
        if self.entry.is_empty() || addr == 0 {
            return None;
        }
        let b = super::read_upto(&mut Replay::new(self.entry), addr, len);
        (b.len() == len).then_some(b)
    }

    /// `len` bytes at `addr` unless this is the exit of a failed call (strace's `tfetch_mem`).
    pub fn fetch(&mut self, addr: u64, len: usize) -> Option<Vec<u8>> {
        if self.failed() {
            return None;
        }
        self.bytes(addr, len)
    }

    /// Exactly `len` bytes at `addr`, or `None` when any of them cannot be read (strace's `umoven`).
    pub fn bytes(&mut self, addr: u64, len: usize) -> Option<Vec<u8>> {
        if addr == 0 {
            return None;
        }
        let b = self.raw(addr, len);
        (b.len() == len).then_some(b)
    }

    /// As many of `len` bytes at `addr` as can be read.
    pub fn upto(&mut self, addr: u64, len: usize) -> Vec<u8> {
        if addr == 0 {
            return Vec::new();
        }
        self.raw(addr, len)
    }

    /// A `u32` at `addr`.
    pub fn u32_at(&mut self, addr: u64) -> Option<u32> {
        self.bytes(addr, 4)
            .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A `u64` at `addr`.
    pub fn u64_at(&mut self, addr: u64) -> Option<u64> {
        self.bytes(addr, 8).map(|b| le64(&b, 0))
    }

    /// A NUL-terminated string of at most `max` bytes at `addr`: its bytes and whether its NUL was seen
    /// (`None` when unreadable before `max` bytes).
    pub fn cstr(&mut self, addr: u64, max: usize) -> Option<(Vec<u8>, bool)> {
        if addr == 0 {
            return None;
        }
        // Read page by page so that a string ending just before unmapped memory is still read.
        let mut out = Vec::new();
        let mut at = addr;
        while out.len() <= max {
            let n = ((PAGE - (at % PAGE)) as usize).min(max + 1 - out.len());
            let chunk = self.raw(at, n);
            if let Some(z) = chunk.iter().position(|&c| c == 0) {
                out.extend_from_slice(&chunk[..z]);
                return Some((out, true));
            }
            out.extend_from_slice(&chunk);
            if chunk.len() < n {
                return (out.len() >= max).then(|| {
                    out.truncate(max);
                    (out, false)
                });
            }
            at = at.wrapping_add(n as u64);
        }
        out.truncate(max);
        Some((out, false))
    }

    /// Up to `max` bytes of a NUL-terminated string at `addr`, stopping after its NUL (strace's
    /// `umovestr`): `None` when unreadable before either.
    pub fn upto_str(&mut self, addr: u64, max: usize) -> Option<Vec<u8>> {
        match self.cstr(addr, max) {
            Some((mut b, true)) => {
                b.push(0);
                Some(b)
            }
            Some((b, false)) => Some(b),
            None if max == 0 => Some(Vec::new()),
            None => None,
        }
    }

    /// What descriptor `fd` refers to, when `-y` asks for it.
    pub fn fd_info(&mut self, fd: i32) -> Option<FdInfo> {
        if self.opts.decode_fds == 0 {
            return None;
        }
        self.fd_lookup(fd, self.opts.decode_fds)
    }

    /// The path descriptor `fd` refers to (`anon_inode:bpf-map`), whatever `-y` says: for decoders
    /// whose format depends on the kind of object.
    pub fn fd_target(&mut self, fd: i32) -> Option<Vec<u8>> {
        self.fd_lookup(fd, super::FdKinds::PATH).map(|i| i.path)
    }

    fn fd_lookup(&mut self, fd: i32, kinds: u8) -> Option<FdInfo> {
        if fd < 0 {
            return None;
        }
        self.mem.fd_path(fd, kinds)
    }

    /// Appends descriptor `fd` (with `<path>` under `-y`).
    pub fn fd(&mut self, out: &mut String, fd: i32) {
        let info = self.fd_info(fd).map(Fetched::Fd);
        super::fd_into(out, fd, info.as_ref());
    }

    /// Appends the NUL-terminated string at `addr`, cut at `-s`, or its address when unreadable.
    pub fn str(&mut self, out: &mut String, addr: u64) {
        let max = self.opts.strsize;
        match self.cstr(addr, max) {
            Some((b, complete)) => {
                super::strings::quote_cstr(out, &b, complete, Some(max), self.opts.xflag)
            }
            None => ptr(out, addr),
        }
    }

    /// Appends a path at `addr` (never cut), or its address when unreadable.
    pub fn path(&mut self, out: &mut String, addr: u64) {
        match self.cstr(addr, 4096) {
            Some((b, complete)) => {
                super::strings::quote_cstr(out, &b, complete, None, self.opts.xflag)
            }
            None => ptr(out, addr),
        }
    }

    /// The `len`-byte structure at `addr`, or `None` after printing its address: when it is NULL,
    /// unreadable, or the output of a call that failed (strace's `umove_or_printaddr`).
    pub fn umove(&mut self, out: &mut String, addr: u64, len: usize) -> Option<Vec<u8>> {
        if self.failed() {
            ptr(out, addr);
            return None;
        }
        let b = self.bytes(addr, len);
        if b.is_none() {
            ptr(out, addr);
        }
        b
    }

    /// Appends an array of `n` elements of `size` bytes at `addr`, each printed by `elem` (strace's
    /// `print_array`): `[a, b]`, `[]` when empty, the address when the first element is unreadable,
    /// `[a, ... /* 0x... */]` where memory ends, and `[a, b, ...]` past `-s` elements unless `-v`.
    pub fn array(
        &mut self,
        out: &mut String,
        addr: u64,
        n: u64,
        size: usize,
        elem: &mut dyn FnMut(&mut Call<'_>, &mut String, &[u8]),
    ) {
        if addr == 0 {
            out.push_str("NULL");
            return;
        }
        if n == 0 {
            out.push_str("[]");
            return;
        }
        let total = n.checked_mul(size as u64);
        if total.is_none_or(|t| addr.checked_add(t).is_none()) {
            ptr(out, addr);
            return;
        }
        let shown = if self.opts.verbose {
            n
        } else {
            n.min(self.opts.strsize as u64)
        };
        for i in 0..n {
            let at = addr + i * size as u64;
            let Some(b) = self.fetch(at, size) else {
                if i == 0 {
                    ptr(out, addr);
                    return;
                }
                let _ = write!(out, ", ... /* {at:#x} */");
                break;
            };
            out.push_str(if i == 0 { "[" } else { ", " });
            if i == shown {
                out.push_str("...");
                break;
            }
            elem(self, out, &b);
        }
        out.push(']');
    }

    /// The bytes of a structure from `from` to `size` (at most a page), which this ABI does not know,
    /// when any of them is not zero: `/* bytes 88..95 */ "\x.."`, or `???` when they cannot be read
    /// (strace's `print_nonzero_bytes`). Returns whether anything was written.
    pub fn nonzero_tail(&mut self, out: &mut String, addr: u64, from: usize, size: u64) -> bool {
        let end = size.min(PAGE) as usize;
        if from >= end {
            return false;
        }
        match self.bytes(addr + from as u64, end - from) {
            None => out.push_str("???"),
            Some(b) if b.iter().all(|&c| c == 0) => return false,
            Some(b) => {
                let _ = write!(out, "/* bytes {from}..{} */ ", end - 1);
                let n = b.len().min(self.opts.strsize);
                super::strings::quote_into(out, &b[..n], true);
                if n < b.len() {
                    out.push_str("...");
                }
            }
        }
        true
    }

    /// Appends the `struct timespec` at `addr` (the kernel reads it, so it is shown even after a
    /// failure), or its address when unreadable.
    pub fn timespec(&mut self, out: &mut String, addr: u64) {
        match self.bytes(addr, 16) {
            Some(b) => super::structs::struct_into(super::spec::Arg::TimespecIn, &b, out),
            None => ptr(out, addr),
        }
    }

    /// Appends the `len`-byte buffer at `addr` as a string cut at `-s` (strace's `printstrn`), or its
    /// address when unreadable. One byte past the limit is read too, as strace does, so a buffer longer
    /// than `-s` whose next byte is unreadable shows as its address.
    pub fn buf(&mut self, out: &mut String, addr: u64, len: u64) {
        if addr == 0 {
            out.push_str("NULL");
            return;
        }
        let max = self.opts.strsize;
        let want = (len as usize).min(max + 1);
        match self.bytes(addr, want) {
            Some(b) => super::strings::quote_buffer(out, &b, len, max, false, self.opts.xflag),
            None => ptr(out, addr),
        }
    }
}

/// The little-endian `u64` at `off` of `b` (0 past its end).
pub fn le64(b: &[u8], off: usize) -> u64 {
    b.get(off..off + 8)
        .map_or(0, |s| u64::from_ne_bytes(s.try_into().unwrap_or_default()))
}

/// The `u32` at `off` of `b` (0 past its end).
pub fn le32(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map_or(0, |s| u32::from_ne_bytes(s.try_into().unwrap_or_default()))
}

/// The `u16` at `off` of `b` (0 past its end).
pub fn le16(b: &[u8], off: usize) -> u16 {
    b.get(off..off + 2)
        .map_or(0, |s| u16::from_ne_bytes(s.try_into().unwrap_or_default()))
}

/// Appends an address: `NULL` or `0x...`.
pub fn ptr(out: &mut String, v: u64) {
    if v == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{v:#x}");
    }
}

/// The `Mem` slot that carries a walker's recording.
const WALK_SLOT: u8 = 8;

/// The plan of a walker's stop: run it by the tracer, recording what it reads.
pub fn plan(walker: Walker, args: &[u64; 6], ret: Option<i64>, opts: &Opts) -> Vec<FetchReq> {
    vec![FetchReq {
        slot: WALK_SLOT,
        addr: 0,
        kind: FetchKind::Walk {
            walker: WalkFn(walker),
            args: *args,
            ret,
            opts: *opts,
        },
    }]
}

/// Runs `walker` against the live tracee (by `fetch`, in the tracer) and returns what it read.
pub fn record(
    walker: Walker,
    args: &[u64; 6],
    ret: Option<i64>,
    opts: &Opts,
    mem: &mut dyn ReadMem,
) -> Fetched {
    let mut rec = Recorder::new(mem);
    let mut call = Call {
        args: *args,
        ret,
        opts: *opts,
        mem: &mut rec,
        recording: true,
        entry: &[],
    };
    let mut scratch = String::new();
    walker(&mut call, &mut scratch);
    Fetched::Recorded(rec.log)
}

fn recording(mem: Option<&Mem>) -> &[Record] {
    match mem.and_then(|m| m.get(WALK_SLOT as usize)) {
        Some(Fetched::Recorded(r)) => r,
        _ => &[],
    }
}

/// Prints a walker's stop from its recording (and, at exit, the entry's).
pub fn render(
    walker: Walker,
    args: &[u64; 6],
    ret: Option<i64>,
    mem: &Mem,
    entry: Option<&Mem>,
    opts: &Opts,
    out: &mut String,
) {
    let mut replay = Replay::new(recording(Some(mem)));
    let mut call = Call {
        args: *args,
        ret,
        opts: *opts,
        mem: &mut replay,
        recording: false,
        entry: recording(entry),
    };
    walker(&mut call, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::tests::Fake;

    fn two_strings(call: &mut Call<'_>, out: &mut String) {
        let p = call.u64_at(call.args[0]).unwrap_or(0);
        call.str(out, p);
        out.push_str(", ");
        call.str(out, call.args[1]);
    }

    #[test]
    fn replay_prints_what_the_recording_read() {
        let mut p = 0x2000u64.to_ne_bytes().to_vec();
        p.resize(16, 0);
        let mut fake = Fake(vec![(0x1000, p), (0x2000, b"pointed\0".to_vec())]);
        let opts = Opts::default();
        let args = [0x1000, 0x3000, 0, 0, 0, 0];
        let rec = record(two_strings, &args, None, &opts, &mut fake);
        let mem = Mem {
            items: vec![(WALK_SLOT, rec)],
            ..Mem::default()
        };
        let mut s = String::new();
        render(two_strings, &args, None, &mem, None, &opts, &mut s);
        assert_eq!(s, "\"pointed\", 0x3000");
    }

    #[test]
    fn a_missing_recording_reads_as_faults() {
        let mut s = String::new();
        render(
            two_strings,
            &[0x1000, 0, 0, 0, 0, 0],
            None,
            &Mem::default(),
            None,
            &Opts::default(),
            &mut s,
        );
        assert_eq!(s, "NULL, NULL");
    }
}
