//! `select`, `pselect6` and `ppoll`: descriptor sets and `struct pollfd` arrays, printed in full at
//! entry, with what became ready (and the time left) in parentheses after the result.
//!
//! Design: at entry every argument is printed (`select(5, [3 4], [], NULL, {tv_sec=1, tv_usec=0})`).
//! At exit the sets or the array are read again and summarised after the result the way strace
//! does (`= 2 (in [3], out [4], left {...})`, `= 0 (Timeout)`), including strace's quirks: the
//! summary stops after as many set bits as were reported ready, and a closing bracket follows every
//! set once anything was printed. [`descriptors`] gives `-P` the descriptors the call names.

use super::custom::{self, extra_slot, CustomArg, CustomRet, Fetches, Phase, RET_EXTRA};
use super::flags::sigset_into;
use super::xlat::{self, Xlat};
use super::{FetchKind, FetchReq, Fetched, Mem, ReadMem};
use std::fmt::Write;

/// The most descriptors strace looks at.
const NFDS_MAX: i32 = 1024 * 1024;

/// `poll` event bits.
const POLL_FLAGS: Xlat = Xlat::hex(
    &[
        (0x0001, "POLLIN"),
        (0x0002, "POLLPRI"),
        (0x0004, "POLLOUT"),
        (0x0008, "POLLERR"),
        (0x0010, "POLLHUP"),
        (0x0020, "POLLNVAL"),
        (0x0040, "POLLRDNORM"),
        (0x0080, "POLLRDBAND"),
        (0x0100, "POLLWRNORM"),
        (0x0200, "POLLWRBAND"),
        (0x0400, "POLLMSG"),
        (0x1000, "POLLREMOVE"),
        (0x2000, "POLLRDHUP"),
        (0x8000, "POLL_BUSY_LOOP"),
    ],
    "POLL???",
);

/// The descriptor count `select` uses and the bytes of each set it reads.
fn nfds_and_size(args: &[u64; 6]) -> (i32, usize) {
    let nfds = (args[0] as i32).clamp(0, NFDS_MAX);
    (nfds, (((nfds as usize).div_ceil(8)) + 7) & !7)
}

/// The descriptors set in `bits`, below `nfds`.
fn set_bits(bits: &[u8], nfds: i32) -> impl Iterator<Item = i32> + '_ {
    (0..nfds).filter(move |&j| {
        bits.get(j as usize / 8)
            .is_some_and(|b| b & (1 << (j % 8)) != 0)
    })
}

/// One of `select`'s three sets: `[3 4]`.
pub const FD_SET: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        let (_, size) = nfds_and_size(c.args);
        if c.v() != 0 && size > 0 {
            out.push(c.req(c.v(), FetchKind::Bytes { len: size }));
        }
    },
    render: |c, m, out| {
        let (nfds, _) = nfds_and_size(c.args);
        match m.bytes(c.i) {
            Some(b) => {
                out.push('[');
                for (k, fd) in set_bits(b, nfds).enumerate() {
                    if k > 0 {
                        out.push(' ');
                    }
                    let _ = write!(out, "{fd}");
                }
                out.push(']');
            }
            None => custom::ptr(out, c.v()),
        }
    },
};

/// `{tv_sec=1, tv_usec=2}` (`nsec`: `tv_nsec`) from what was read, or the address.
fn time_text(addr: u64, fetched: Option<&Fetched>, nsec: bool) -> String {
    match fetched {
        Some(Fetched::Bytes(b)) if b.len() == 16 => format!(
            "{{tv_sec={}, {}={}}}",
            i64::from_ne_bytes(b[..8].try_into().unwrap_or_default()),
            if nsec { "tv_nsec" } else { "tv_usec" },
            u64::from_ne_bytes(b[8..16].try_into().unwrap_or_default())
        ),
        _ if addr == 0 => "NULL".to_string(),
        _ => format!("{addr:#x}"),
    }
}

const TIMEOUT_SLOT: u8 = RET_EXTRA + 3;

fn plan_select_ret(args: &[u64; 6], ret: i64, out: &mut Vec<FetchReq>) {
    if ret <= 0 {
        return;
    }
    let (_, size) = nfds_and_size(args);
    for k in 0..3 {
        if args[k + 1] != 0 && size > 0 {
            out.push(FetchReq {
                slot: RET_EXTRA + k as u8,
                addr: args[k + 1],
                kind: FetchKind::Bytes { len: size },
            });
        }
    }
    if args[4] != 0 {
        out.push(FetchReq {
            slot: TIMEOUT_SLOT,
            addr: args[4],
            kind: FetchKind::Bytes { len: 16 },
        });
    }
}

fn render_select_ret(args: &[u64; 6], ret: i64, mem: &Mem, nsec: bool, out: &mut String) {
    let _ = write!(out, "{ret}");
    if ret == 0 {
        out.push_str(" (Timeout)");
        return;
    }
    let (nfds, _) = nfds_and_size(args);
    let mut text = String::new();
    let mut sep = "";
    let mut ready = ret;
    for (k, name) in ["in", "out", "except"].iter().enumerate() {
        if ready <= 0 {
            break;
        }
        if let Some(Fetched::Bytes(b)) = mem.get(RET_EXTRA as usize + k) {
            let mut first = true;
            for fd in set_bits(b, nfds) {
                if first {
                    let _ = write!(text, "{sep}{name} [{fd}");
                    first = false;
                    sep = ", ";
                } else {
                    let _ = write!(text, " {fd}");
                }
                ready -= 1;
                if ready == 0 {
                    break;
                }
            }
        }
        if !text.is_empty() {
            text.push(']');
        }
    }
    if args[4] != 0 {
        let left = time_text(args[4], mem.get(TIMEOUT_SLOT as usize), nsec);
        let _ = write!(text, "{sep}left {left}");
    }
    let _ = write!(out, " ({text})");
}

/// `select`'s result: `2 (in [3], out [4], left {tv_sec=0, tv_usec=5})`.
pub const SELECT_RET: CustomRet = CustomRet {
    plan: |args, ret, _, out| plan_select_ret(args, ret, out),
    render: |args, ret, mem, _, out| render_select_ret(args, ret, mem, false, out),
};

/// `pselect6`'s result, whose time left is a `struct timespec`.
pub const PSELECT6_RET: CustomRet = CustomRet {
    plan: |args, ret, _, out| plan_select_ret(args, ret, out),
    render: |args, ret, mem, _, out| render_select_ret(args, ret, mem, true, out),
};

/// `pselect6`'s last argument: `{sigmask=[HUP], sigsetsize=8}`.
pub const PSELECT6_SIGMASK: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| {
        if c.v() == 0 {
            return;
        }
        out.push(c.req(c.v(), FetchKind::Bytes { len: 16 }));
        out.push(FetchReq {
            slot: extra_slot(c.i, 0),
            addr: c.v(),
            kind: FetchKind::Indirect { offset: 0, len: 8 },
        });
    },
    render: |c, m, out| {
        let Some(b) = m.bytes(c.i).filter(|b| b.len() == 16) else {
            return custom::ptr(out, c.v());
        };
        let mask = u64::from_ne_bytes(b[..8].try_into().unwrap_or_default());
        let size = u64::from_ne_bytes(b[8..16].try_into().unwrap_or_default());
        out.push_str("{sigmask=");
        match m.bytes(extra_slot(c.i, 0) as usize) {
            Some(set) if size == 8 && set.len() == 8 => {
                sigset_into(out, u64::from_ne_bytes(set.try_into().unwrap_or_default()))
            }
            _ => custom::ptr(out, mask),
        }
        let _ = write!(out, ", sigsetsize={size}}}");
    },
};

/// A `struct pollfd` array whose length is the next argument: `[{fd=3, events=POLLIN}]`.
pub const POLLFDS: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| super::array::plan_arg(c, c.args[c.i + 1] as u32 as u64, 8, out),
    render: |c, m: &Fetches, out| {
        super::array::render_arg(c, m, c.args[c.i + 1] as u32 as u64, 8, out, |o, b| {
            let fd = i32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
            let _ = write!(o, "{{fd={fd}");
            if fd >= 0 {
                o.push_str(", events=");
                xlat::flags(o, u16::from_ne_bytes([b[4], b[5]]) as u64, &POLL_FLAGS);
            }
            o.push('}');
        })
    },
};

/// Most `struct pollfd`s read back at exit.
const POLL_EXIT_MAX: u64 = 1 << 16;
const POLL_TIMEOUT_SLOT: u8 = RET_EXTRA + 1;

/// `ppoll`'s result: `2 ([{fd=4, revents=POLLOUT}], left {tv_sec=0, tv_nsec=5})`.
pub const PPOLL_RET: CustomRet = CustomRet {
    plan: |args, ret, _, out| {
        let nfds = args[1] as u32 as u64;
        if ret > 0 && args[0] != 0 && nfds > 0 {
            out.push(FetchReq {
                slot: RET_EXTRA,
                addr: args[0],
                kind: FetchKind::Upto {
                    len: (8 * nfds.min(POLL_EXIT_MAX)) as usize,
                },
            });
        }
        if ret > 0 && args[2] != 0 {
            out.push(FetchReq {
                slot: POLL_TIMEOUT_SLOT,
                addr: args[2],
                kind: FetchKind::Bytes { len: 16 },
            });
        }
    },
    render: |args, ret, mem, opts, out| {
        let _ = write!(out, "{ret}");
        if ret == 0 {
            out.push_str(" (Timeout)");
            return;
        }
        let mut text = String::new();
        let nfds = args[1] as u32 as u64;
        if args[0] != 0 && nfds > 0 {
            let bytes: &[u8] = match mem.get(RET_EXTRA as usize) {
                Some(Fetched::Bytes(b)) => b,
                _ => &[],
            };
            let max_printed = if opts.verbose {
                u64::MAX
            } else {
                opts.strsize as u64
            };
            poll_summary(&mut text, args[0], nfds, bytes, max_printed);
        }
        if args[2] != 0 {
            let left = time_text(args[2], mem.get(POLL_TIMEOUT_SLOT as usize), true);
            let sep = if text.is_empty() { "" } else { ", " };
            let _ = write!(text, "{sep}left {left}");
        }
        if !text.is_empty() {
            let _ = write!(out, " ({text})");
        }
    },
};

/// `[{fd=4, revents=POLLOUT}, ...]`: the descriptors with events, from the array read at exit.
fn poll_summary(text: &mut String, addr: u64, nfds: u64, bytes: &[u8], max_printed: u64) {
    let mut printed = 0;
    for k in 0..nfds {
        let at = (8 * k) as usize;
        let Some(e) = bytes.get(at..at + 8) else {
            text.push_str(if text.is_empty() { "[" } else { ", " });
            let _ = write!(text, "{:#x}", addr + 8 * k);
            break;
        };
        let revents = u16::from_ne_bytes([e[6], e[7]]);
        if revents == 0 {
            continue;
        }
        text.push_str(if text.is_empty() { "[" } else { ", " });
        if printed >= max_printed {
            text.push_str("...");
            break;
        }
        let fd = i32::from_ne_bytes(e[..4].try_into().unwrap_or_default());
        let _ = write!(text, "{{fd={fd}, revents=");
        match xlat::names_for_return(revents as u64, &POLL_FLAGS) {
            Some(n) => text.push_str(&n),
            None => {
                let _ = write!(text, "{revents:#x}");
            }
        }
        text.push('}');
        printed += 1;
    }
    if !text.is_empty() {
        text.push(']');
    }
}

/// The descriptors a `select`, `pselect6` or `ppoll` call names, for `-P`.
pub fn descriptors(s: syscalls::Sysno, args: &[u64; 6], mem: &mut dyn ReadMem) -> Option<Vec<i32>> {
    use syscalls::Sysno;
    match s {
        Sysno::select | Sysno::pselect6 => {
            let (nfds, size) = nfds_and_size(args);
            let mut fds = Vec::new();
            if nfds <= 0 {
                return Some(fds);
            }
            for &addr in &args[1..4] {
                let mut buf = vec![0u8; size];
                if addr != 0 && mem.read(addr, &mut buf) == size {
                    fds.extend(set_bits(&buf, nfds));
                }
            }
            Some(fds)
        }
        Sysno::ppoll | Sysno::poll => {
            let nfds = args[1] as u32 as usize;
            let mut fds = Vec::new();
            if nfds > 1024 * 1024 || args[0] == 0 {
                return Some(fds);
            }
            for k in 0..nfds {
                let mut e = [0u8; 8];
                if mem.read(args[0] + 8 * k as u64, &mut e) != 8 {
                    break;
                }
                fds.push(i32::from_ne_bytes(e[..4].try_into().unwrap_or_default()));
            }
            Some(fds)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_summary_stops_after_the_ready_count() {
        let args = [5, 0x1000, 0x2000, 0, 0, 0];
        let set = |bits: u8| Fetched::Bytes(vec![bits, 0, 0, 0, 0, 0, 0, 0]);
        let mem = Mem {
            items: vec![(RET_EXTRA, set(0b11000)), (RET_EXTRA + 1, set(0b10000))],
            ..Mem::default()
        };
        let mut s = String::new();
        render_select_ret(&args, 2, &mem, false, &mut s);
        assert_eq!(s, "2 (in [3 4])");
        let mut s = String::new();
        render_select_ret(&args, 3, &mem, false, &mut s);
        assert_eq!(s, "3 (in [3 4], out [4])");
    }
}
