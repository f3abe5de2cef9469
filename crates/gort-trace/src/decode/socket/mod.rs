//! Socket calls: `socket`'s domain, type and protocol, socket options (`sockopt.rs`), and the
//! structures they pass.
//!
//! Design: the arguments of socket calls are one [`super::spec::Arg::Sock`] kind each, naming a
//! [`SockArg`]. Those that need only registers are printed directly; those that follow pointers (an
//! option value whose layout depends on its level and name) are walking renderers (see `walk.rs`):
//! [`plan`] asks for a recorded walk, and [`render`] replays it. Names and values of constants are
//! generated from strace's lists into `names.rs`.

pub mod names;
pub mod sockaddr;
pub mod sockopt;

use super::strings::quote_buffer;
use super::walk::{Recorder, Snapshot, Tracee};
use super::xlat::{self, Style};
use super::{FetchKind, FetchReq, Fetched, Mem, Opts, ReadMem};
use names::*;
use std::fmt::Write;

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
}

impl SockArg {
    /// Whether the argument is printed after the call.
    pub fn is_output(self) -> bool {
        matches!(
            self,
            SockArg::GetOptVal | SockArg::GetOptLen | SockArg::RecvBuf
        )
    }

    /// Whether the argument is a length read before the call and printed after it.
    pub fn len_in_out(self) -> bool {
        self == SockArg::GetOptLen
    }

    /// Whether the argument follows pointers (and is planned as a recorded walk).
    fn walks(self) -> bool {
        matches!(self, SockArg::GetOptVal | SockArg::SetOptVal)
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
    if s.walks() {
        out.push(FetchReq {
            slot: i as u8,
            addr: args[i],
            kind: FetchKind::Walk {
                arg: s,
                args: *args,
                ret,
                opts: *opts,
            },
        });
    } else if s == SockArg::RecvBuf && matches!(ret, Some(r) if r >= 0) && args[i] != 0 {
        out.push(FetchReq {
            slot: i as u8,
            addr: args[i],
            kind: FetchKind::Bytes {
                len: recv_len(args, ret).min(opts.strsize as u64) as usize,
            },
        });
    } else if s == SockArg::GetOptLen && ret.is_some() && args[i] != 0 {
        out.push(FetchReq {
            slot: i as u8,
            addr: args[i],
            kind: FetchKind::Bytes { len: 4 },
        });
    }
}

/// Runs the walk of argument kind `s` on the tracee, keeping what it read.
pub fn record(
    s: SockArg,
    args: &[u64; 6],
    ret: Option<i64>,
    opts: Opts,
    mem: &mut dyn ReadMem,
) -> Snapshot {
    let mut rec = Recorder::new(mem);
    let mut t = Tracee::new(&mut rec, opts);
    let mut sink = String::new();
    walk(s, args, ret, None, &mut t, &mut sink);
    rec.snapshot
}

/// A walking argument's text, read from `t`. `before` is a length the call read (`getsockopt`'s
/// `*optlen` before the call), `None` when not known (while recording, every length is read).
fn walk(
    s: SockArg,
    args: &[u64; 6],
    ret: Option<i64>,
    before: Option<i32>,
    t: &mut Tracee,
    out: &mut String,
) {
    let failed = matches!(ret, Some(r) if r < 0);
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
                    before.unwrap_or(i32::MAX),
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
    match s {
        SockArg::Family => xlat::value(out, v, &ADDRFAMS),
        SockArg::Type => type_into(out, v as u32),
        SockArg::Protocol => protocol_into(out, args[0] as u32, v as u32),
        SockArg::Level => xlat::value(out, v, &SOCK_LEVELS),
        SockArg::OptName(get) => sockopt::name_into(out, args[1] as u32, v as u32, get),
        SockArg::MsgFlags => xlat::flags(out, v, &MSG_FLAGS),
        SockArg::RecvBuf => match mem.get(i) {
            Some(Fetched::Bytes(b)) if matches!(ret, Some(r) if r >= 0) => {
                let total = recv_len(args, ret);
                quote_buffer(out, b, total, opts.strsize, false, opts.xflag)
            }
            _ => ptr(out, v),
        },
        SockArg::GetOptLen => {
            let before = match entry.get(i) {
                Some(Fetched::Bytes(b)) if b.len() == 4 => {
                    Some(i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                }
                _ => None,
            };
            let after = match mem.get(i) {
                Some(Fetched::Bytes(b)) if b.len() == 4 => {
                    Some(i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                }
                _ => None,
            };
            match (before, after) {
                (None, _) => ptr(out, v),
                (Some(u), Some(r)) if !matches!(ret, Some(x) if x < 0) && u != r => {
                    let _ = write!(out, "[{u} => {r}]");
                }
                (Some(u), Some(r)) if !matches!(ret, Some(x) if x < 0) => {
                    let _ = write!(out, "[{r}]");
                    let _ = u;
                }
                (Some(u), _) => {
                    let _ = write!(out, "[{u}]");
                }
            }
        }
        SockArg::GetOptVal | SockArg::SetOptVal => match mem.get(i) {
            Some(Fetched::Walked(snap)) => {
                let before = match entry.get(4) {
                    Some(Fetched::Bytes(b)) if b.len() == 4 => {
                        Some(i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                    }
                    _ => None,
                };
                // The value of a call whose length could not be read is shown as its address.
                if s == SockArg::GetOptVal && before.is_none() {
                    ptr(out, v);
                    return;
                }
                let mut replay = snap;
                let mut t = Tracee::new(&mut replay, *opts);
                walk(s, args, ret, before, &mut t, out);
            }
            _ => ptr(out, v),
        },
    }
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
