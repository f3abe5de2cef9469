//! The context an ioctl decoder runs in, and the printing primitives decoders share.
//!
//! Design: a decoder is called once at syscall entry and, when it asks for it, once at exit (strace's
//! model: input structures are shown at entry, what the kernel wrote at exit, `{in} => {out}` when
//! both). [`Cx`] gives it the request, the argument, the phase, the options, and reads of tracee memory
//! (live while recording, replayed while rendering: see `decode/replay.rs`). The helpers reproduce
//! strace's conventions: an unreadable or NULL pointer is shown as its address, numbers read through
//! a pointer are shown in brackets, arrays are cut after `-s` elements unless `-v`.

use crate::decode::strings;
use crate::decode::xlat::{self, Xlat};
use crate::decode::{Opts, ReadMem};
use std::fmt::Write;

/// What a decoder did, as strace's `RVAL_*` values say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rval {
    /// Call again at exit (entry only).
    Exit,
    /// Not decoded: the argument is printed as a number.
    Plain,
    /// The decoder printed the argument.
    Done,
}

/// One phase of one ioctl call.
pub struct Cx<'a> {
    /// The request.
    pub code: u32,
    /// The third argument.
    pub arg: u64,
    /// `None` at entry, the return value at exit.
    pub ret: Option<i64>,
    /// Printing options.
    pub opts: &'a Opts,
    /// Tracee memory.
    pub mem: &'a mut dyn ReadMem,
    /// At exit while rendering, the reads recorded at entry (empty while recording: see
    /// [`Cx::entry_read`]).
    pub entry_log: &'a [crate::decode::replay::Record],
}

const PAGE: u64 = 4096;

impl crate::decode::array::LiveMemory for Cx<'_> {
    fn read_exact(&mut self, addr: u64, len: usize) -> Option<Vec<u8>> {
        self.read(addr, len)
    }

    fn opts(&self) -> &Opts {
        self.opts
    }
}

impl Cx<'_> {
    /// Whether this is the entry phase.
    pub fn entering(&self) -> bool {
        self.ret.is_none()
    }

    /// At exit, whether the call failed.
    pub fn failed(&self) -> bool {
        matches!(self.ret, Some(r) if (-4095..0).contains(&r))
    }

    /// At exit, the error number of a failed call.
    pub fn errno(&self) -> Option<i32> {
        self.failed().then(|| -self.ret.unwrap_or(0) as i32)
    }

    /// Whether structures are shown in full (`-v`).
    pub fn verbose(&self) -> bool {
        self.opts.verbose
    }

    /// At exit, the `len` bytes at `addr` as they were at entry (strace keeps such values between the
    /// two stops). `None` while the exit phase is being recorded, when only the exit's memory is at
    /// hand: a decoder then takes the branch that reads the most, so that the recording covers
    /// whichever branch the entry values select when the text is rendered.
    pub fn entry_read(&self, addr: u64, len: usize) -> Option<Vec<u8>> {
        let mut replay = crate::decode::replay::Replay::new(self.entry_log);
        let mut buf = vec![0u8; len];
        let mut got = 0;
        while got < len {
            let at = addr.wrapping_add(got as u64);
            let n = ((PAGE - at % PAGE) as usize).min(len - got);
            let k = replay.read(at, &mut buf[got..got + n]);
            got += k;
            if k < n {
                break;
            }
        }
        (got == len).then_some(buf)
    }

    /// Exactly `len` bytes at `addr`, or `None` when any of them cannot be read.
    pub fn read(&mut self, addr: u64, len: usize) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; len];
        let got = self.read_upto(addr, &mut buf);
        (got == len).then_some(buf)
    }

    /// Reads as much of `buf` as is readable at `addr`, page by page; returns how many bytes.
    pub fn read_upto(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let mut got = 0;
        while got < buf.len() {
            let at = addr.wrapping_add(got as u64);
            let n = ((PAGE - at % PAGE) as usize).min(buf.len() - got);
            let k = self.mem.read(at, &mut buf[got..got + n]);
            got += k;
            if k < n {
                break;
            }
        }
        got
    }

    /// strace's `umove_or_printaddr`: the `len` bytes at `addr`, or `None` after printing the
    /// address (NULL, unreadable memory, or the exit of a failed call).
    pub fn fetch(&mut self, out: &mut String, addr: u64, len: usize) -> Option<Vec<u8>> {
        if addr == 0 || (!self.entering() && self.failed()) {
            addr_into(out, addr);
            return None;
        }
        let b = self.read(addr, len);
        if b.is_none() {
            addr_into(out, addr);
        }
        b
    }

    /// `[N]` for the `int` at `addr` (strace's `printnum_int`).
    pub fn int_into(&mut self, out: &mut String, addr: u64) {
        if let Some(b) = self.fetch(out, addr, 4) {
            let _ = write!(out, "[{}]", i32_at(&b, 0));
        }
    }

    /// `[N]` for the `unsigned int` at `addr`.
    pub fn uint_into(&mut self, out: &mut String, addr: u64) {
        if let Some(b) = self.fetch(out, addr, 4) {
            let _ = write!(out, "[{}]", u32_at(&b, 0));
        }
    }

    /// `[0x..]` for the `unsigned int` at `addr`.
    pub fn xint_into(&mut self, out: &mut String, addr: u64) {
        if let Some(b) = self.fetch(out, addr, 4) {
            let _ = write!(out, "[{:#x}]", u32_at(&b, 0));
        }
    }

    /// `[N]` for the `unsigned long` at `addr`.
    pub fn ulong_into(&mut self, out: &mut String, addr: u64) {
        if let Some(b) = self.fetch(out, addr, 8) {
            let _ = write!(out, "[{}]", u64_at(&b, 0));
        }
    }

    /// `[0x..]` for the 64-bit value at `addr`.
    pub fn xlong_into(&mut self, out: &mut String, addr: u64) {
        if let Some(b) = self.fetch(out, addr, 8) {
            let _ = write!(out, "[{:#x}]", u64_at(&b, 0));
        }
    }

    /// `[NAME]` for the 32-bit value at `addr`, named from `x`.
    pub fn xval_into(&mut self, out: &mut String, addr: u64, x: &Xlat) {
        if let Some(b) = self.fetch(out, addr, 4) {
            out.push('[');
            xlat::value(out, u32_at(&b, 0) as u64, x);
            out.push(']');
        }
    }

    /// `[A|B]` for the 32-bit flag word at `addr`, named from `x`.
    pub fn flags_into(&mut self, out: &mut String, addr: u64, x: &Xlat) {
        if let Some(b) = self.fetch(out, addr, 4) {
            out.push('[');
            xlat::flags(out, u32_at(&b, 0) as u64, x);
            out.push(']');
        }
    }

    /// strace's `print_array`: `nmemb` elements of `size` bytes at `addr`, each printed by `elem`
    /// (which returns false to stop), cut after `-s` elements unless `-v`.
    pub fn array_into(
        &mut self,
        out: &mut String,
        addr: u64,
        nmemb: u64,
        size: usize,
        elem: impl FnMut(&mut Self, &mut String, &[u8]) -> bool,
    ) {
        self.array_ex_into(out, addr, nmemb, size, false, elem)
    }

    /// The same for an array that `truncated` says is itself the head of a longer one (strace's
    /// `PAF_ARRAY_TRUNCATED`): `, ...` follows its last element unless `-s` already cut it.
    pub fn array_ex_into(
        &mut self,
        out: &mut String,
        addr: u64,
        nmemb: u64,
        size: usize,
        truncated: bool,
        elem: impl FnMut(&mut Self, &mut String, &[u8]) -> bool,
    ) {
        crate::decode::array::walk_into(self, out, addr, nmemb, size, truncated, elem)
    }

    /// A buffer of `len` bytes at `addr`, quoted and cut at `-s` (strace's `printstrn`).
    pub fn str_into(&mut self, out: &mut String, addr: u64, len: usize) {
        self.str_ex_into(out, addr, len, false);
    }

    /// The same, every byte in `\xNN` form when `hex`.
    pub fn str_ex_into(&mut self, out: &mut String, addr: u64, len: usize, hex: bool) {
        if addr == 0 {
            out.push_str("NULL");
            return;
        }
        // strace reads one byte more than it shows, so memory that ends right after the shown part
        // shows the address.
        let shown = len.min(self.opts.strsize);
        match self.read(addr, len.min(self.opts.strsize + 1)) {
            Some(b) => {
                strings::quote_buffer(out, &b[..shown], len as u64, shown, hex, self.opts.xflag);
            }
            None => addr_into(out, addr),
        }
    }

    /// strace's `tprint_iov_upto` for strings: `count` `struct iovec`s at `addr`, each buffer shown
    /// up to what is left of `data_size` bytes.
    pub fn iov_into(&mut self, out: &mut String, addr: u64, count: u64, data_size: u64) {
        let mut left = data_size;
        self.array_into(out, addr, count, 16, |cx, out, v| {
            let (base, len) = (u64_at(v, 0), u64_at(v, 8));
            let shown = len.min(left);
            left -= shown;
            out.push_str("{iov_base=");
            cx.str_into(out, base, shown as usize);
            let _ = write!(out, ", iov_len={len}}}");
            true
        });
    }

    /// A NUL-terminated string in a buffer of `len` bytes at `addr`, cut at `-s` (strace's
    /// `printstr_ex` with `QUOTE_0_TERMINATED`): the address when memory ends before the NUL.
    pub fn cstr_n_into(&mut self, out: &mut String, addr: u64, len: usize) {
        if addr == 0 {
            out.push_str("NULL");
            return;
        }
        let max = self.opts.strsize;
        let size = len.min(max + 1);
        let mut buf = vec![0u8; size];
        let got = self.read_upto(addr, &mut buf);
        let nul = buf[..got].iter().position(|&c| c == 0);
        if nul.is_none() && got < size {
            addr_into(out, addr);
            return;
        }
        let shown = size.min(max);
        let end = nul.filter(|&n| n < shown);
        let s = &buf[..end.unwrap_or(shown)];
        strings::quote_into(out, s, strings::wants_hex(s, self.opts.xflag));
        if end.is_none() && len != 0 {
            out.push_str("...");
        }
    }

    /// A descriptor, with what it refers to under `-y` (strace's `printfd`).
    pub fn fd_into(&mut self, out: &mut String, fd: i32) {
        let info = if self.opts.decode_fds > 0 && fd >= 0 {
            self.mem.fd_path(fd, self.opts.decode_fds)
        } else {
            None
        };
        crate::decode::fd_into(out, fd, info.map(crate::decode::Fetched::Fd).as_ref());
    }
}

/// A `char[N]` field (strace's `PRINT_FIELD_CSTRING`): the bytes before the NUL, at most N-1 of
/// them, followed by `...` when the field holds no NUL at all; `-s` does not cut it.
pub fn cstring_field(out: &mut String, field: &[u8], opts: &Opts) {
    let limit = field.len().saturating_sub(1);
    let nul = field.iter().position(|&c| c == 0);
    let s = &field[..nul.unwrap_or(limit).min(limit)];
    strings::quote_into(out, s, strings::wants_hex(s, opts.xflag));
    if nul.is_none() {
        out.push_str("...");
    }
}

/// An array already in hand (strace's `print_local_array`): `[a, b, ...]`, cut after `-s` elements
/// unless `-v`.
pub fn local_array(
    out: &mut String,
    n: usize,
    opts: &Opts,
    mut elem: impl FnMut(&mut String, usize),
) {
    out.push('[');
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        if !opts.verbose && i >= opts.strsize {
            out.push_str("...");
            break;
        }
        elem(out, i);
    }
    out.push(']');
}

/// `NULL` or the address in hex.
pub fn addr_into(out: &mut String, addr: u64) {
    if addr == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{addr:#x}");
    }
}

/// The `u16` at `off`.
pub fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_ne_bytes([b[off], b[off + 1]])
}

/// The `u32` at `off`.
pub fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(b[off..off + 4].try_into().unwrap_or_default())
}

/// The `i32` at `off`.
pub fn i32_at(b: &[u8], off: usize) -> i32 {
    u32_at(b, off) as i32
}

/// The `u64` at `off`.
pub fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_ne_bytes(b[off..off + 8].try_into().unwrap_or_default())
}

/// The `i64` at `off`.
pub fn i64_at(b: &[u8], off: usize) -> i64 {
    u64_at(b, off) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bytes(u64, Vec<u8>);

    impl ReadMem for Bytes {
        fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
            if addr < self.0 || addr >= self.0 + self.1.len() as u64 {
                return 0;
            }
            let off = (addr - self.0) as usize;
            let n = buf.len().min(self.1.len() - off);
            buf[..n].copy_from_slice(&self.1[off..off + n]);
            n
        }
    }

    #[test]
    fn a_name_field_shows_at_most_n_minus_1_bytes_and_dots_only_without_a_nul() {
        let o = Opts::default();
        let mut s = String::new();
        cstring_field(&mut s, b"abc", &o);
        assert_eq!(s, r#""ab"..."#);
        let mut s = String::new();
        cstring_field(&mut s, b"ab\0", &o);
        assert_eq!(s, r#""ab""#);
        let mut s = String::new();
        cstring_field(&mut s, b"a\0c", &o);
        assert_eq!(s, r#""a""#);
    }

    #[test]
    fn an_array_is_cut_at_s_and_ends_at_a_fault_with_its_address() {
        let o = Opts {
            strsize: 2,
            ..Opts::default()
        };
        let mut mem = Bytes(0x100, vec![1, 2, 3, 4, 5]);
        let mut cx = Cx {
            code: 0,
            arg: 0,
            ret: None,
            opts: &o,
            mem: &mut mem,
            entry_log: &[],
        };
        let show = |_: &mut Cx, out: &mut String, b: &[u8]| {
            let _ = write!(out, "{}", b[0]);
            true
        };
        let mut s = String::new();
        cx.array_into(&mut s, 0x100, 4, 1, show);
        assert_eq!(s, "[1, 2, ...]");
        let o = Opts::default();
        cx.opts = &o;
        let mut s = String::new();
        cx.array_into(&mut s, 0x103, 4, 1, show);
        assert_eq!(s, "[4, 5, ... /* 0x105 */]");
        let mut s = String::new();
        cx.array_into(&mut s, 0x200, 4, 1, show);
        assert_eq!(s, "0x200");
    }
}
