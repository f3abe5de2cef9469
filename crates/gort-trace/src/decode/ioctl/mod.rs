//! `ioctl(fd, request, arg)`: the request by name and the argument by what the request says it is.
//!
//! Design: the request is printed by [`request::request_into`]. The argument's meaning depends on the
//! request's family (its `_IOC_TYPE`), so `decode` dispatches to one file per family, each a
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
pub mod dm;
pub mod evdev;
pub mod fs;
pub mod gpio;
pub mod hdio;
pub mod inotify;
pub mod kd;
pub mod kvm;
pub mod lirc;
pub mod loop_dev;
pub mod mtd;
pub mod names;
pub mod nbd;
pub mod nsfs;
pub mod perf;
pub mod ptp;
pub mod random;
pub mod request;
pub mod rtc;
pub mod scsi;
pub mod seccomp;
pub mod sg_io;
pub mod sock;
pub mod tables;
pub mod tee;
pub mod term;
pub mod ubi;
pub mod uffdio;
pub mod v4l2;
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
            ..Opts::default()
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
    /// The value followed by ` (TEXT)`, the text made from the reads recorded at exit and the
    /// argument.
    Text(fn(&[Record], u64) -> Option<String>),
}

fn ret_kind(code: u32) -> Option<RetKind> {
    match request::typ(code) {
        0xae => kvm::ret_kind(code),
        0xb7 => nsfs::ret_kind(code),
        0x56 if code == v4l2::CREATE_BUFS => Some(RetKind::Text(v4l2::create_buffers_result)),
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
        Some(RetKind::Text(text)) => {
            let _ = write!(out, "{ret}");
            if let Some(t) = text(recorded(mem), args[2]) {
                let _ = write!(out, " ({t})");
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
        0x24 => perf::decode(cx, out),
        0x3d => ptp::decode(cx, out),
        0x3e => counter::decode(cx, out),
        0x45 => evdev::decode(cx, out),
        0x49 => inotify::decode(cx, out),
        0x4b => kd::decode(cx, out),
        0x4c => loop_dev::decode(cx, out),
        0x4d => mtd::decode(cx, out),
        0x4f | 0x6f => ubi::decode(cx, out),
        0x52 => random::decode(cx, out),
        0x54 => term::decode(cx, out),
        0x56 => v4l2::decode(cx, out),
        0x57 => watchdog::decode(cx, out),
        0x58 => fs::decode_x(cx, out),
        0x66 => fs::decode_f(cx, out),
        0x69 => lirc::decode(cx, out),
        0x70 => rtc::decode(cx, out),
        0x89 => sock::decode(cx, out),
        0xa4 => tee::decode(cx, out),
        0xaa => uffdio::decode(cx, out),
        0xab => nbd::decode(cx, out),
        0xae => kvm::decode(cx, out),
        0xb4 => gpio::decode(cx, out),
        0xb7 => nsfs::decode(cx, out),
        0xfd => dm::decode(cx, out),
        _ => Rval::Plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{fetch, plan_entry, plan_exit, render_entry, render_exit, render_return};
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

    /// The whole line for an ioctl whose memory is `entry` before the call and `exit` after it.
    fn line(args: [u64; 6], ret: i64, entry: &mut Fake, exit: &mut Fake, opts: &Opts) -> String {
        let nr = Sysno::ioctl as u64;
        let m1 = fetch(&plan_entry(nr, &args, opts), entry);
        let m2 = fetch(&plan_exit(nr, &args, ret, opts), exit);
        let mut s = String::from("ioctl(");
        render_entry(nr, &args, &m1, opts, &mut s);
        render_exit(nr, &args, ret, &m1, &m2, opts, &mut s);
        s.push_str(") = ");
        render_return(nr, &args, ret, &m2, opts, &mut s);
        s
    }

    #[test]
    fn a_request_the_kernel_fills_is_shown_at_exit_from_exit_memory() {
        // HDIO_GETGEO: struct hd_geometry written by the kernel.
        let mut geo = vec![0u8; 16];
        geo[0] = 255;
        geo[1] = 63;
        geo[2..4].copy_from_slice(&1024u16.to_ne_bytes());
        geo[8..16].copy_from_slice(&2048u64.to_ne_bytes());
        let mut before = Fake(vec![(0x1000, vec![0u8; 16])]);
        let mut after = Fake(vec![(0x1000, geo)]);
        let o = Opts::default();
        assert_eq!(
            line([3, 0x0301, 0x1000, 0, 0, 0], 0, &mut before, &mut after, &o),
            "ioctl(3, HDIO_GETGEO, {heads=255, sectors=63, cylinders=1024, start=2048}) = 0"
        );
        let mut none = Fake(vec![]);
        assert_eq!(
            line(
                [3, 0x0301, 0x1000, 0, 0, 0],
                -14,
                &mut none,
                &mut Fake(vec![]),
                &o
            ),
            "ioctl(3, HDIO_GETGEO, 0x1000) = -1 EFAULT (Bad address)"
        );
    }

    #[test]
    fn modify_attributes_prints_the_attr_as_perf_event_open_does_or_its_address() {
        // PERF_EVENT_IOC_MODIFY_ATTRIBUTES with a PERF_ATTR_SIZE_VER1 software clock event.
        let mut attr = vec![0u8; 72];
        attr[0..4].copy_from_slice(&1u32.to_ne_bytes());
        attr[4..8].copy_from_slice(&72u32.to_ne_bytes());
        let o = Opts::default();
        let args = [3, 0x4008_240b, 0x1000, 0, 0, 0];
        let got = line(
            args,
            -9,
            &mut Fake(vec![(0x1000, attr.clone())]),
            &mut Fake(vec![]),
            &o,
        );
        assert!(
            got.starts_with(
                "ioctl(3, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, {type=PERF_TYPE_SOFTWARE, \
                 size=PERF_ATTR_SIZE_VER1, config=PERF_COUNT_SW_CPU_CLOCK, "
            ),
            "{got}"
        );
        assert!(
            got.ends_with("}) = -1 EBADF (Bad file descriptor)"),
            "{got}"
        );
        // A size below the first layout's is not read: the address is shown.
        attr[4..8].copy_from_slice(&8u32.to_ne_bytes());
        assert_eq!(
            line(
                args,
                -9,
                &mut Fake(vec![(0x1000, attr)]),
                &mut Fake(vec![]),
                &o
            ),
            "ioctl(3, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, 0x1000) = -1 EBADF (Bad file descriptor)"
        );
    }

    #[test]
    fn an_exit_phase_compares_with_the_values_recorded_at_entry() {
        // SIOCGIFCONF with a buffer of 124 bytes of which the kernel used none.
        let mut ifc = vec![0u8; 16];
        ifc[0..4].copy_from_slice(&124i32.to_ne_bytes());
        ifc[8..16].copy_from_slice(&0x2000u64.to_ne_bytes());
        let mut before = Fake(vec![(0x1000, ifc.clone())]);
        ifc[0..4].copy_from_slice(&0i32.to_ne_bytes());
        let mut after = Fake(vec![(0x1000, ifc)]);
        assert_eq!(
            line(
                [3, 0x8912, 0x1000, 0, 0, 0],
                0,
                &mut before,
                &mut after,
                &Opts::default()
            ),
            "ioctl(3, SIOCGIFCONF, {ifc_len=124 => 0, ifc_buf=[]}) = 0"
        );
    }

    #[test]
    fn an_undecoded_request_shows_its_argument_in_hex() {
        let o = Opts::default();
        assert_eq!(
            line(
                [3, 0xc0ff_45fe, 0xdead_beef, 0, 0, 0],
                -9,
                &mut Fake(vec![]),
                &mut Fake(vec![]),
                &o
            ),
            "ioctl(3, _IOC(_IOC_READ|_IOC_WRITE, 0x45, 0xfe, 0xff), 0xdeadbeef) = -1 EBADF (Bad file descriptor)"
        );
        assert_eq!(
            line(
                [3, 0x5204, 0, 0, 0, 0],
                0,
                &mut Fake(vec![]),
                &mut Fake(vec![]),
                &o
            ),
            "ioctl(3, FASTRPC_IOCTL_INIT_ATTACH or RNDZAPENTCNT) = 0"
        );
    }
}
