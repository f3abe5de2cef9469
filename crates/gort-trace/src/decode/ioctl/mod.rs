//! `ioctl(fd, request, arg)`: the request by name and the argument by what the request says it is.
//!
//! Design: the request is printed by [`request::request_into`]. The argument's meaning depends on the
//! request's family (its `_IOC_TYPE`), so [`decode`] dispatches to one file per family, each a
//! function `fn(&mut Cx, &mut String) -> Rval` written in strace's entry/exit model (see `cx.rs`).
//! Family decoders read memory as they print, so they run under record/replay (`decode/replay.rs`):
//! [`plan`] asks the tracer to run the decoder against live memory once per stop ([`record`]), and
//! [`render_entry`]/[`render_exit`] run it again against the recording to produce the text.
//!
//! At exit the entry phase is run again (its text discarded) to learn whether the decoder asked for
//! an exit phase; both runs read the same memory, so the recording covers both.

pub mod block;
pub mod counter;
pub mod cx;
pub mod evdev;
pub mod fs;
pub mod gpio;
pub mod hdio;
pub mod inotify;
pub mod kvm;
pub mod lirc;
pub mod loop_dev;
pub mod mtd;
pub mod names;
pub mod nbd;
pub mod nsfs;
pub mod ptp;
pub mod random;
pub mod request;
pub mod rtc;
pub mod scsi;
pub mod seccomp;
pub mod sg_io;
pub mod sock;
pub mod tables;
pub mod term;
pub mod ubi;
pub mod uffdio;
pub mod watchdog;

use super::replay::{Record, Recorder, Replay};
use super::spec::Arg;
use super::{FetchKind, FetchReq, Fetched, Mem, Opts, ReadMem};
use cx::{Cx, Rval};
use std::fmt::Write;

/// What the tracer needs to record one phase of an ioctl's decoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The request.
    pub code: u32,
    /// The third argument.
    pub arg: u64,
    /// `None` at entry, the return value at exit.
    pub ret: Option<i64>,
    /// `-s`.
    pub strsize: usize,
    /// `-x`/`-xx`.
    pub xflag: u8,
    /// `-v`.
    pub verbose: bool,
    /// `-y`/`-yy`.
    pub decode_fds: u8,
}

impl Call {
    fn new(args: &[u64; 6], ret: Option<i64>, opts: &Opts) -> Call {
        Call {
            code: args[1] as u32,
            arg: args[2],
            ret,
            strsize: opts.strsize,
            xflag: opts.xflag,
            verbose: opts.verbose,
            decode_fds: opts.decode_fds,
        }
    }

    fn opts(&self) -> Opts {
        Opts {
            strsize: self.strsize,
            xflag: self.xflag,
            verbose: self.verbose,
            decode_fds: self.decode_fds,
        }
    }
}

/// The `Mem` slot of the recorded reads.
const SLOT: u8 = 2;

/// Memory to fetch at entry (`ret` None) or exit.
pub fn plan(args: &[u64; 6], ret: Option<i64>, opts: &Opts) -> Vec<FetchReq> {
    let mut v = Vec::new();
    if ret.is_none() {
        Arg::Fd.plan(0, args, None, opts, &mut v);
    }
    v.push(FetchReq {
        slot: SLOT,
        addr: args[2],
        kind: FetchKind::Ioctl(Call::new(args, ret, opts)),
    });
    v
}

/// Runs one phase against live memory, recording what it reads (called by the tracer).
pub fn record(call: &Call, mem: &mut dyn ReadMem) -> Fetched {
    let mut rec = Recorder::new(mem);
    let mut sink = String::new();
    arg_into(call, &mut rec, &mut sink);
    Fetched::Recorded(rec.log)
}

fn recorded(mem: &Mem) -> &[Record] {
    match mem.get(SLOT as usize) {
        Some(Fetched::Recorded(log)) => log,
        _ => &[],
    }
}

/// `fd, REQUEST` and what the decoder prints at entry.
pub fn render_entry(args: &[u64; 6], mem: &Mem, opts: &Opts, out: &mut String) {
    super::fd_into(out, args[0] as i32, mem.get(0));
    out.push_str(", ");
    request::request_into(out, args[1] as u32);
    let call = Call::new(args, None, opts);
    arg_into(&call, &mut Replay::new(recorded(mem)), out);
}

/// What the decoder prints at exit.
/// What the decoder prints at exit; `entry` is the memory recorded at entry.
pub fn render_exit(
    args: &[u64; 6],
    ret: i64,
    entry: &Mem,
    mem: &Mem,
    opts: &Opts,
    out: &mut String,
) {
    let call = Call::new(args, Some(ret), opts);
    arg_into_ex(&call, &mut Replay::new(recorded(mem)), recorded(entry), out);
}

/// The argument text of one phase: the decoder's, or `, 0x...` when it leaves the argument alone.
fn arg_into(call: &Call, mem: &mut dyn ReadMem, out: &mut String) {
    arg_into_ex(call, mem, &[], out)
}

/// The same, with the reads recorded at entry (for an exit phase that compares with them).
fn arg_into_ex(call: &Call, mem: &mut dyn ReadMem, entry_log: &[Record], out: &mut String) {
    let opts = call.opts();
    let mut entry = Cx {
        code: call.code,
        arg: call.arg,
        ret: None,
        opts: &opts,
        mem,
        entry_log,
    };
    let plain = |out: &mut String| match call.arg {
        0 => out.push_str(", 0"),
        a => {
            let _ = write!(out, ", {a:#x}");
        }
    };
    match call.ret {
        None => {
            if decode(&mut entry, out) == Rval::Plain {
                plain(out);
            }
        }
        Some(ret) => {
            // A returned descriptor is shown with what it refers to under `-y`.
            if matches!(ret_kind(call.code), Some(RetKind::Fd)) && call.decode_fds > 0 && ret >= 0 {
                entry.mem.fd_path(ret as i32, call.decode_fds);
            }
            if decode(&mut entry, &mut String::new()) != Rval::Exit {
                return;
            }
            let mut exit = Cx {
                ret: Some(ret),
                ..entry
            };
            if decode(&mut exit, out) != Rval::Done {
                plain(out);
            }
        }
    }
}

/// How a successful call's return value is shown, when not as a plain number.
#[derive(Clone, Copy, Debug)]
pub enum RetKind {
    /// A new descriptor (`5</dev/null>` under `-y`).
    Fd,
    /// A value with its name from a table: `268435456 (CLONE_NEWUSER)`.
    Named(&'static [(u64, &'static str)]),
}

fn ret_kind(code: u32) -> Option<RetKind> {
    match request::typ(code) {
        0xae => kvm::ret_kind(code),
        0xb7 => nsfs::ret_kind(code),
        _ => None,
    }
}

/// The text after `= ` for a successful ioctl whose request shapes its return value; false when the
/// value is a plain number.
pub fn render_return(args: &[u64; 6], ret: i64, mem: &Mem, out: &mut String) -> bool {
    if ret < 0 {
        return false;
    }
    match ret_kind(args[1] as u32) {
        None => false,
        Some(RetKind::Fd) => {
            let info = recorded(mem).iter().find_map(|r| match r {
                Record::Fd { fd, info, .. } if *fd as i64 == ret => info.clone(),
                _ => None,
            });
            super::fd_into(out, ret as i32, info.map(Fetched::Fd).as_ref());
            true
        }
        Some(RetKind::Named(names)) => {
            let _ = write!(out, "{ret}");
            if let Some((_, n)) = names.iter().find(|(v, _)| *v == ret as u64) {
                let _ = write!(out, " ({n})");
            }
            true
        }
    }
}

/// The family decoder for the request's type.
fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match request::typ(cx.code) {
        0x03 => hdio::decode(cx, out),
        0x12 => block::decode(cx, out),
        0x21 => seccomp::decode(cx, out),
        0x22 => scsi::decode(cx, out),
        0x3d => ptp::decode(cx, out),
        0x3e => counter::decode(cx, out),
        0x45 => evdev::decode(cx, out),
        0x49 => inotify::decode(cx, out),
        0x4c => loop_dev::decode(cx, out),
        0x4d => mtd::decode(cx, out),
        0x4f | 0x6f => ubi::decode(cx, out),
        0x52 => random::decode(cx, out),
        0x54 => term::decode(cx, out),
        0x57 => watchdog::decode(cx, out),
        0x58 => fs::decode_x(cx, out),
        0x66 => fs::decode_f(cx, out),
        0x69 => lirc::decode(cx, out),
        0x70 => rtc::decode(cx, out),
        0x89 => sock::decode(cx, out),
        0xaa => uffdio::decode(cx, out),
        0xab => nbd::decode(cx, out),
        0xae => kvm::decode(cx, out),
        0xb4 => gpio::decode(cx, out),
        0xb7 => nsfs::decode(cx, out),
        _ => Rval::Plain,
    }
}
