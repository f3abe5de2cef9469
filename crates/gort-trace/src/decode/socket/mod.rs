//! Socket calls: `socket`'s domain, type and protocol, socket options (`sockopt.rs`), socket
//! addresses (`sockaddr.rs`) and messages (`msghdr.rs`).
//!
//! Design: the arguments of socket calls are one [`super::spec::Arg::Sock`] kind each, naming a
//! [`SockArg`]. Those that need only registers are printed directly; those that follow pointers (an
//! option value whose layout depends on its level and name, a message's vectors) are walking renderers
//! (see `walk.rs`): [`plan`] asks for a recorded walk, and [`render`] replays it. What a call reads
//! before it rewrites it (`getsockopt`'s length, the address length `recvmsg` is offered) is fetched at
//! entry ([`SockArg::entry_fetch`]) and handed to the walk at exit. Names and values of constants are
//! generated from strace's lists into `names.rs`.

pub mod families;
pub mod filter;
pub mod msghdr;
pub mod names;
pub mod sockaddr;
pub mod sockopt;
pub mod tracee;

use super::replay::{Record, Recorder, Replay};
use super::strings::quote_buffer;
use super::xlat::{self, Style};
use super::{FetchKind, FetchReq, Fetched, Mem, Opts, ReadMem};
use families::*;
use names::*;
use std::fmt::Write;
use tracee::{u32_at, u64_at, Tracee};

/// One argument of a socket call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SockArg {
    /// An address family (`AF_INET`).
    Family,
    /// A socket type with its flags (`SOCK_STREAM|SOCK_CLOEXEC`).
    Type,
    /// A protocol, named after the family in argument 0 (`IPPROTO_TCP`, `NETLINK_ROUTE`).
    Protocol,
    /// A socket option level (`SOL_SOCKET`).
    Level,
    /// An option name at the level in argument 1, as `getsockopt` (true) or `setsockopt` knows it.
    OptName(bool),
    /// `getsockopt`'s value, printed after the call from the length the kernel wrote.
    GetOptVal,
    /// `getsockopt`'s length, read before the call and after: `[8]`, `[9 => 8]`.
    GetOptLen,
    /// `setsockopt`'s value, whose length is argument 4.
    SetOptVal,
    /// `send`/`recv` flags (`MSG_PEEK|MSG_DONTWAIT`).
    MsgFlags,
    /// The buffer `recvfrom` filled, whose size is argument 2: as many bytes as it returned, at most
    /// the size (a datagram cut by `MSG_TRUNC` returns its whole length).
    RecvBuf,
    /// A socket address the call reads, at argument `at` and as long as argument `len` says
    /// (`connect`, `bind`, `sendto`).
    AddrIn {
        /// The address's argument.
        at: u8,
        /// The length's argument.
        len: u8,
    },
    /// The message `sendmsg` sends.
    MsgHdrIn,
    /// The message `recvmsg` fills: read before the call for the address length offered, printed
    /// after it with as much data as it returned.
    MsgHdrOut,
    /// The messages of `sendmmsg`, printed after the call with the lengths it sent.
    SendMmsgVec,
    /// The messages of `recvmmsg`, as many as it returned.
    RecvMmsgVec,
    /// The data of a message's vectors, dumped for `-e read=`/`-e write=`.
    Dump(DumpKind),
    /// A `struct timespec` printed after the call as it was before it (`recvmmsg`'s timeout, whose
    /// remainder the return value shows).
    EntryTimespec,
}

/// Which messages' vectors a dump follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpKind {
    /// The `struct msghdr` at argument 1; `read` cuts the data to what the call returned.
    MsgHdr {
        /// Whether the call received (rather than sent) the message.
        read: bool,
    },
    /// The `struct mmsghdr`s at argument 1, as many as the call returned, each cut to its `msg_len`.
    MmsgVec,
}

impl SockArg {
    /// Whether the argument is printed after the call.
    pub fn is_output(self) -> bool {
        matches!(
            self,
            SockArg::GetOptVal
                | SockArg::GetOptLen
                | SockArg::RecvBuf
                | SockArg::MsgHdrOut
                | SockArg::SendMmsgVec
                | SockArg::RecvMmsgVec
                | SockArg::EntryTimespec
        )
    }

    /// What an argument printed after the call reads before it (at `addr`, its value).
    pub fn entry_fetch(self, args: &[u64; 6], addr: u64) -> Option<FetchKind> {
        if addr == 0 {
            return None;
        }
        Some(match self {
            SockArg::GetOptLen => FetchKind::Bytes { len: 4 },
            SockArg::MsgHdrOut => FetchKind::Bytes {
                len: msghdr::MSGHDR_SIZE,
            },
            SockArg::RecvMmsgVec => FetchKind::Upto {
                len: (args[2] as u32).min(1024) as usize * msghdr::MMSGHDR_SIZE,
            },
            SockArg::EntryTimespec => FetchKind::Bytes { len: 16 },
            _ => return None,
        })
    }

    /// Whether the argument follows pointers at this stop (and is planned as a recorded walk).
    fn walks(self, ret: Option<i64>) -> bool {
        let ok = matches!(ret, Some(r) if r >= 0);
        match self {
            SockArg::GetOptVal | SockArg::SendMmsgVec => ret.is_some(),
            SockArg::SetOptVal | SockArg::MsgHdrIn | SockArg::AddrIn { .. } => ret.is_none(),
            SockArg::MsgHdrOut | SockArg::RecvMmsgVec => ok,
            _ => false,
        }
    }
}

/// Adds the memory argument `i` (of kind `s`) needs; `ret` is `Some` at exit.
pub fn plan(
    s: SockArg,
    i: usize,
    args: &[u64; 6],
    ret: Option<i64>,
    opts: &Opts,
    out: &mut Vec<FetchReq>,
) {
    let ok = matches!(ret, Some(r) if r >= 0);
    let kind = if s.walks(ret) {
        FetchKind::SockWalk {
            arg: s,
            args: *args,
            ret,
            opts: *opts,
        }
    } else if args[i] == 0 || !ok {
        return;
    } else {
        match s {
            SockArg::RecvBuf => FetchKind::Bytes {
                len: recv_len(args, ret).min(opts.strsize as u64) as usize,
            },
            SockArg::GetOptLen => FetchKind::Bytes { len: 4 },
            // The time left, shown with the return value.
            SockArg::EntryTimespec if ret != Some(0) => FetchKind::Bytes { len: 16 },
            _ => return,
        }
    };
    out.push(FetchReq {
        slot: i as u8,
        addr: args[i],
        kind,
    });
}

/// Runs the walk of argument kind `s` on the tracee, keeping what it read.
pub fn record(
    s: SockArg,
    args: &[u64; 6],
    ret: Option<i64>,
    opts: Opts,
    mem: &mut dyn ReadMem,
) -> Vec<Record> {
    let mut rec = Recorder::new(mem);
    let mut t = Tracee::new(&mut rec, opts);
    let mut sink = String::new();
    walk(s, args, ret, None, &mut t, &mut sink);
    rec.log
}

/// The bytes fetched before the call for argument `i`.
fn entry_bytes(entry: Option<&Mem>, i: usize) -> Option<&[u8]> {
    match entry?.get(i) {
        Some(Fetched::Bytes(b)) => Some(b),
        _ => None,
    }
}

/// A walking argument's text, read from `t`. `entry` is what was fetched before the call, `None`
/// while recording (when every length is taken as unknown, so that the walk reads all it may need).
fn walk(
    s: SockArg,
    args: &[u64; 6],
    ret: Option<i64>,
    entry: Option<&Mem>,
    t: &mut Tracee,
    out: &mut String,
) {
    let failed = matches!(ret, Some(r) if r < 0);
    let entry_i32 = |i: usize, off: usize| entry_bytes(entry, i).map(|b| u32_at(b, off) as i32);
    match s {
        SockArg::GetOptVal => {
            let rlen = if failed { None } else { t.u32(args[4]) };
            match rlen {
                Some(rlen) => sockopt::get_value_into(
                    t,
                    out,
                    args[1] as u32,
                    args[2] as u32,
                    args[3],
                    entry_i32(4, 0).unwrap_or(i32::MAX),
                    rlen as i32,
                ),
                None => ptr(out, args[3]),
            }
        }
        SockArg::SetOptVal => sockopt::set_value_into(
            t,
            out,
            args[1] as u32,
            args[2] as u32,
            args[3],
            args[4] as i32,
        ),
        SockArg::MsgHdrIn => msghdr::msghdr_into(t, out, args[1], None, u64::MAX),
        SockArg::AddrIn { at, len } => {
            msghdr::sockaddr_at_into(t, out, args[at as usize], args[len as usize] as i32)
        }
        SockArg::MsgHdrOut => {
            let data = ret.unwrap_or(0).max(0) as u64;
            msghdr::msghdr_into(t, out, args[1], entry_i32(1, 8), data)
        }
        SockArg::SendMmsgVec => {
            let sent = if failed { 0 } else { ret.unwrap_or(0) as u64 };
            msghdr::mmsgvec_into(t, out, args[1], args[2] as u32 as u64, sent, false, None)
        }
        SockArg::Dump(kind) => {
            let mut text = String::new();
            match kind {
                DumpKind::MsgHdr { read } => {
                    let size = if read {
                        ret.unwrap_or(0) as u64
                    } else {
                        u64::MAX
                    };
                    msghdr::dump_msghdr_into(t, &mut text, args[1], size)
                }
                DumpKind::MmsgVec => {
                    let n = ret.unwrap_or(0).max(0) as u64;
                    msghdr::dump_mmsgvec_into(t, &mut text, args[1], n)
                }
            }
            out.push_str(&text);
        }
        SockArg::RecvMmsgVec => {
            let got = ret.unwrap_or(0) as u32 as u64;
            let lens = entry_bytes(entry, 1).map(msghdr::namelens);
            msghdr::mmsgvec_into(t, out, args[1], got, got, true, lens.as_deref())
        }
        _ => {}
    }
}

/// Appends argument `i`'s text. `entry` is the memory fetched before the call (at exit), `mem` the
/// memory fetched for this stop.
#[allow(clippy::too_many_arguments)]
pub fn render(
    s: SockArg,
    i: usize,
    args: &[u64; 6],
    ret: Option<i64>,
    entry: &Mem,
    mem: &Mem,
    opts: &Opts,
    out: &mut String,
) {
    let v = args[i];
    let failed = matches!(ret, Some(r) if r < 0);
    match s {
        SockArg::Family => xlat::value(out, v, &ADDRFAMS),
        SockArg::Type => type_into(out, v as u32),
        SockArg::Protocol => protocol_into(out, args[0] as u32, v as u32),
        SockArg::Level => xlat::value(out, v, &SOCK_LEVELS),
        SockArg::OptName(get) => sockopt::name_into(out, args[1] as u32, v as u32, get),
        SockArg::MsgFlags => xlat::flags(out, v, &MSG_FLAGS),
        SockArg::RecvBuf => match mem.get(i) {
            Some(Fetched::Bytes(b)) if !failed => {
                let total = recv_len(args, ret);
                quote_buffer(out, b, total, opts.strsize, false, opts.xflag)
            }
            _ => ptr(out, v),
        },
        SockArg::GetOptLen => {
            let before = entry_bytes(Some(entry), i).map(|b| u32_at(b, 0) as i32);
            let after = match mem.get(i) {
                Some(Fetched::Bytes(b)) if !failed => Some(u32_at(b, 0) as i32),
                _ => None,
            };
            match (before, after) {
                (None, _) => ptr(out, v),
                (Some(u), Some(r)) if u != r => {
                    let _ = write!(out, "[{u} => {r}]");
                }
                (_, Some(r)) => {
                    let _ = write!(out, "[{r}]");
                }
                (Some(u), None) => {
                    let _ = write!(out, "[{u}]");
                }
            }
        }
        // Printed after the line, by the dump (see `dump.rs`).
        SockArg::Dump(_) => {}
        SockArg::EntryTimespec => match entry_bytes(Some(entry), i) {
            Some(b) => timespec_into(out, b),
            None => ptr(out, v),
        },
        SockArg::MsgHdrOut if failed => match entry_bytes(Some(entry), i) {
            Some(b) => msghdr::failed_recvmsg_into(out, b),
            None => ptr(out, v),
        },
        // Nothing could be read before the call: strace shows the address.
        SockArg::MsgHdrOut if entry_bytes(Some(entry), i).is_none() => ptr(out, v),
        SockArg::RecvMmsgVec if failed => ptr(out, v),
        SockArg::GetOptVal if entry_bytes(Some(entry), 4).is_none() => ptr(out, v),
        SockArg::GetOptVal
        | SockArg::SetOptVal
        | SockArg::AddrIn { .. }
        | SockArg::MsgHdrIn
        | SockArg::MsgHdrOut
        | SockArg::SendMmsgVec
        | SockArg::RecvMmsgVec => match mem.get(i) {
            Some(Fetched::Recorded(log)) => {
                let mut replay = Replay::new(log);
                let mut t = Tracee::new(&mut replay, *opts);
                walk(s, args, ret, Some(entry), &mut t, out);
            }
            _ => ptr(out, v),
        },
    }
}

/// The dump lines of a message's vectors, replayed from what was read for them after the call.
pub fn dump_replay_into(
    out: &mut String,
    kind: DumpKind,
    args: &[u64; 6],
    ret: i64,
    log: &[Record],
) {
    let mut replay = Replay::new(log);
    let mut t = Tracee::new(&mut replay, Opts::default());
    walk(SockArg::Dump(kind), args, Some(ret), None, &mut t, out);
}

/// `{tv_sec=1, tv_nsec=2}` from 16 bytes.
pub fn timespec_into(out: &mut String, b: &[u8]) {
    let _ = write!(
        out,
        "{{tv_sec={}, tv_nsec={}}}",
        u64_at(b, 0) as i64,
        u64_at(b, 8)
    );
}

/// How much of `recvfrom`'s buffer was filled.
fn recv_len(args: &[u64; 6], ret: Option<i64>) -> u64 {
    (ret.unwrap_or(0).max(0) as u64).min(args[2])
}

/// A socket type: the type's name, then its flags (`SOCK_DGRAM|SOCK_NONBLOCK`).
fn type_into(out: &mut String, v: u32) {
    let kind = v & 0xf;
    match SOCK_TYPES.name(kind as u64) {
        Some(name) => {
            match xlat::style() {
                Style::Abbrev => out.push_str(name),
                Style::Raw => {
                    let _ = write!(out, "{kind:#x}");
                }
                Style::Verbose => {
                    let _ = write!(out, "{kind:#x} /* {name} */");
                }
            }
            if v & !0xf != 0 {
                out.push('|');
                xlat::flags(out, (v & !0xf) as u64, &SOCK_TYPE_FLAGS);
            }
        }
        None => xlat::flags(out, v as u64, &SOCK_TYPE_FLAGS),
    }
}

/// A protocol number, named after its family.
fn protocol_into(out: &mut String, family: u32, v: u32) {
    match family {
        2 | 10 => xlat::value(out, v as u64, &INET_PROTOCOLS),
        16 => xlat::value(out, v as u64, &NETLINK_PROTOCOLS),
        17 => {
            out.push_str("htons(");
            xlat::value(out, (v as u16).swap_bytes() as u64, &ETHERNET_PROTOCOLS);
            out.push(')');
        }
        33 => xlat::value(out, v as u64, &ADDRFAMS),
        _ => {
            let _ = write!(out, "{v}");
        }
    }
}

/// `NULL` or the address in hex.
pub fn ptr(out: &mut String, v: u64) {
    if v == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{v:#x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{fetch, plan_entry, plan_exit, render_entry, render_exit};
    use syscalls::Sysno;

    /// A fake address space: (address, bytes) regions.
    struct Fake(Vec<(u64, Vec<u8>)>);

    impl ReadMem for Fake {
        fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
            for (base, bytes) in &self.0 {
                if addr >= *base && addr < base + bytes.len() as u64 {
                    let off = (addr - base) as usize;
                    let n = buf.len().min(bytes.len() - off);
                    buf[..n].copy_from_slice(&bytes[off..off + n]);
                    return n;
                }
            }
            0
        }
    }

    /// The arguments' text of a call whose memory is `before` at entry and `after` at exit.
    fn args_text(nr: Sysno, args: [u64; 6], ret: i64, before: Fake, after: Fake) -> String {
        let (o, nr) = (Opts::default(), nr as u64);
        let (mut before, mut after) = (before, after);
        let m1 = fetch(&plan_entry(nr, &args, &o), &mut before);
        let m2 = fetch(&plan_exit(nr, &args, ret, &o), &mut after);
        let mut s = String::new();
        render_entry(nr, &args, &m1, &o, &mut s);
        render_exit(nr, &args, ret, &m1, &m2, &o, &mut s);
        s
    }

    fn le(words: &[u32]) -> Vec<u8> {
        words.iter().flat_map(|w| w.to_ne_bytes()).collect()
    }

    #[test]
    fn a_structure_cut_inside_a_field_shows_that_fields_bytes_in_hex() {
        // getsockopt(3, SOL_SOCKET, SO_LINGER, 0x1000, 0x2000): 9 bytes offered, 7 returned.
        let args = [3, 1, 13, 0x1000, 0x2000, 0];
        let before = Fake(vec![(0x2000, le(&[9]))]);
        let after = Fake(vec![(0x1000, le(&[1, 0x8d4fdf])), (0x2000, le(&[7]))]);
        assert_eq!(
            args_text(Sysno::getsockopt, args, 0, before, after),
            r#"3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger="\xdf\x4f\x8d"}, [9 => 7]"#
        );
    }

    #[test]
    fn a_received_address_is_cut_to_the_length_the_caller_offered() {
        // recvmsg(3, 0x1000, 0): the caller offered 4 bytes of address, the kernel's is 8 long.
        let hdr = |namelen: u32| {
            let mut b = vec![0u8; msghdr::MSGHDR_SIZE];
            b[0..8].copy_from_slice(&0x3000u64.to_ne_bytes());
            b[8..12].copy_from_slice(&namelen.to_ne_bytes());
            b
        };
        let before = Fake(vec![(0x1000, hdr(4))]);
        let after = Fake(vec![
            (0x1000, hdr(8)),
            (0x3000, vec![1, 0, b'a', b'b', b'c', 0, 0, 0]),
        ]);
        assert_eq!(
            args_text(Sysno::recvmsg, [3, 0x1000, 0, 0, 0, 0], 0, before, after),
            r#"3, {msg_name={sa_family=AF_UNIX, sun_path="ab"}, msg_namelen=4 => 8, msg_iov=NULL, msg_iovlen=0, msg_controllen=0, msg_flags=0}, 0"#
        );
    }
}
