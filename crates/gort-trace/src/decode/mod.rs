//! Decoding of system call arguments, return values and signal information into strace's text.
//!
//! Design: decoding is split into two pure halves so that only the wired tracer goroutine ever touches
//! tracee memory and everything else runs in ordinary goroutines.
//!
//! 1. *Plan* ([`plan_entry`], [`plan_exit`]): from the syscall number and registers, list the tracee
//!    memory the text will need (a path, the first `-s` bytes of a buffer, an argv array, a `struct
//!    stat`). The tracer runs the plan with [`fetch`] through a [`ReadMem`] backed by its ptrace
//!    capability, while the tracee is still stopped, and ships the bytes in the event.
//! 2. *Render* ([`render_entry`], [`render_exit`], [`render_return`]): turn registers plus fetched bytes
//!    into text. This runs in the formatter goroutine and never blocks the tracee.
//!
//! Arguments are described per syscall by a small table of [`spec::Arg`] kinds (see `spec.rs`). Like
//! strace, arguments before the first "output" argument are printed at entry and the rest at exit, which
//! gives the exact `read(3,  <unfinished ...>` / `<... read resumed>"..."..., 832) = 832` split.
//!
//! `ioctl` is the exception: its argument's layout depends on the request, so `decode/ioctl` decodes
//! it with per-family decoders that read memory as they print, run under record/replay
//! (`replay.rs`) to keep the same plan/fetch/render split.

pub mod aio;
pub mod arch_prctl;
pub mod array;
pub mod bounded_str;
pub mod bpf;
pub mod bpf_filter;
pub mod clone3;
pub mod consts;
pub mod custom;
pub mod dirents;
pub mod dump;
pub mod extensible;
pub mod fanotify;
pub mod fcntl;
pub mod flags;
pub mod futex_waitv;
pub mod groups;
pub mod inotify;
pub mod io_uring;
pub mod ioctl;
pub mod ioprio;
pub mod iovec;
pub mod ipc;
pub mod kcmp;
pub mod kexec;
pub mod keyctl;
pub mod landlock;
pub mod ldt;
pub mod memfd;
pub mod mempolicy;
pub mod misc_args;
pub mod mount;
pub mod mount_api;
pub mod mq;
pub mod netlink;
pub mod open_how;
pub mod pathtrace;
pub mod perf;
pub mod personality;
pub mod pid;
pub mod prctl_more;
pub mod ptrace_req;
pub mod quotactl;
pub mod replay;
pub mod rt_sig;
pub mod sched_attr;
pub mod seccomp;
pub mod select;
pub mod sigevent;
pub mod socket;
pub mod spec;
pub mod statx;
pub mod strings;
pub mod structs;
pub mod sysctl;
pub mod timers;
pub mod wait;
pub mod walk;
pub mod xattr;
pub mod xlat;

use spec::Ret;
use std::fmt::Write;
use syscalls::Sysno;

/// Options that change how arguments are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opts {
    /// `-s N`: longest string printed.
    pub strsize: usize,
    /// `-x` (1: non-ASCII strings in hex) or `-xx` (2: every string in hex).
    pub xflag: u8,
    /// `-v`: structures in full rather than abbreviated.
    pub verbose: bool,
    /// `-y`, `-yy`, `--decode-fds=SET`: which kinds of descriptors are shown with what they refer to
    /// (an [`FdKinds`] mask).
    pub decode_fds: u8,
    /// `--decode-pids=SET`, `-Y`: what is added to process ids ([`pid::PIDNS`], [`pid::COMM`]).
    pub decode_pids: u8,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            strsize: 32,
            xflag: 0,
            decode_fds: 0,
            decode_pids: 0,
            verbose: false,
        }
    }
}

/// What to read from tracee memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchKind {
    /// A NUL-terminated string of at most `max` bytes (one more byte is read to detect longer strings).
    CStr {
        /// Limit in bytes.
        max: usize,
    },
    /// A NUL-terminated string read through at most `len` bytes (no byte beyond, unlike
    /// [`FetchKind::CStr`]): for strings whose kernel limit is smaller than `-s` + 1.
    CStrUpto {
        /// Most bytes read.
        len: usize,
    },
    /// Exactly `len` bytes (or fewer if memory ends).
    Bytes {
        /// Number of bytes.
        len: usize,
    },
    /// A NULL-terminated array of string pointers such as `argv`.
    StrArray {
        /// Most items read.
        max_items: usize,
        /// Longest string read per item.
        max: usize,
    },
    /// The number of non-NULL pointers in a NULL-terminated array such as `envp`.
    PtrCount,
    /// What the descriptor numbered `addr` refers to, for the [`FdKinds`] in `kinds`.
    FdPath {
        /// Which kinds of descriptors are shown.
        kinds: u8,
    },
    /// What the descriptor numbered `addr` of the process behind the tracee's pidfd `pidfd` refers
    /// to, for the [`FdKinds`] in `kinds`.
    PidfdTargetPath {
        /// The tracee's pidfd.
        pidfd: i32,
        /// Which kinds of descriptors are shown.
        kinds: u8,
    },
    /// Up to `len` bytes: as many as are readable (a buffer whose used length is only known later).
    Upto {
        /// Most bytes read.
        len: usize,
    },
    /// A buffer given to a socket (`sendto`): when descriptor `fd` is a netlink socket, as much of its
    /// `len` bytes as is readable (its messages are decoded, and a message cut by unreadable memory is
    /// shown as strace shows it); otherwise its first `strsize` bytes, like [`FetchKind::Bytes`].
    SockBuf {
        /// The socket.
        fd: i32,
        /// The buffer's length.
        len: u64,
        /// `-s`: the most bytes shown of a buffer that is not decoded.
        strsize: usize,
        /// The [`FdKinds`] shown with what they refer to (`-y`): descriptors inside netlink
        /// messages are shown so too.
        fd_kinds: u8,
    },
    /// What the descriptor whose number is the `int` at `addr + offset` refers to, for the
    /// [`FdKinds`] in `kinds` (a descriptor inside a structure, e.g. `mount_attr.userns_fd`).
    FdAt {
        /// Offset of the descriptor's number.
        offset: u64,
        /// Which kinds of descriptors are shown.
        kinds: u8,
    },
    /// An array of `count` `struct iovec`s (fewer when memory ends) and the start of each buffer:
    /// of the `data_size` bytes the call moved, as many as each buffer holds, at most `max` + 1 of
    /// them (strace reads one more than `-s` shows to know whether to print `...`).
    Iovec {
        /// Elements to read.
        count: usize,
        /// Bytes the buffers hold in all (`u64::MAX`: each buffer's whole length).
        data_size: u64,
        /// The `-s` limit.
        max: usize,
    },
    /// `len` bytes at the pointer stored at `addr + offset` (e.g. `clone_args.parent_tid`).
    Indirect {
        /// Offset of the pointer.
        offset: u64,
        /// Bytes to read where it points.
        len: usize,
    },
    /// Whatever the walking renderer of socket argument `arg` reads (see `walk.rs`), for a call with
    /// these registers, return value (`None` at entry) and options.
    SockWalk {
        /// The argument's kind.
        arg: socket::SockArg,
        /// The call's arguments.
        args: [u64; 6],
        /// The return value, at exit.
        ret: Option<i64>,
        /// The printing options.
        opts: Opts,
    },
    /// Whatever a [`walk::Walker`] reads while it prints this stop (see `walk.rs`).
    Walk {
        /// The decoder.
        walker: walk::WalkFn,
        /// The argument registers.
        args: [u64; 6],
        /// The return value at exit.
        ret: Option<i64>,
        /// Printing options.
        opts: Opts,
    },
    /// The reads an ioctl argument's decoder makes (see `decode/ioctl`).
    Ioctl(ioctl::Call),
}

/// One memory read requested by a plan, labelled with the argument it serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchReq {
    /// Argument index the result belongs to.
    pub slot: u8,
    /// Tracee address.
    pub addr: u64,
    /// What to read there.
    pub kind: FetchKind,
}

/// The result of one [`FetchReq`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetched {
    /// A C string and whether its NUL was found within the limit.
    Str {
        /// The bytes, without the NUL.
        bytes: Vec<u8>,
        /// Whether the terminating NUL was seen.
        complete: bool,
    },
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// An array of C strings; `truncated` when more items followed.
    StrArray {
        /// Each string and whether it was complete.
        items: Vec<(Vec<u8>, bool)>,
        /// Whether the array was longer than read.
        truncated: bool,
        /// The items whose string could not be read, with their pointers.
        unreadable: Vec<(usize, u64)>,
        /// Where the array became unreadable before its NULL, if it did.
        ends_at: Option<u64>,
    },
    /// A count of pointers.
    Count(usize),
    /// A count of the pointers readable before memory ended without a NULL.
    UnterminatedCount(usize),
    /// What a descriptor refers to.
    Fd(FdInfo),
    /// A buffer given to a netlink socket of this protocol (`NETLINK_ROUTE`...): its readable prefix.
    Netlink {
        /// The socket's protocol.
        protocol: u32,
        /// The bytes read from the buffer's start up to its length or the first unreadable byte.
        bytes: Vec<u8>,
        /// Under `-y`: what each of the tracee's descriptors referred to when the buffer was read.
        fds: Vec<(i32, FdInfo)>,
    },
    /// `struct iovec`s that could be read, each with the bytes of its buffer that were wanted
    /// (`None` when they could not be read).
    Iovec(Vec<IovecElem>),
    /// The memory could not be read.
    Fault,
    /// The reads a decoder made and their answers (see `decode/replay.rs`).
    Recorded(Vec<replay::Record>),
}

/// One `struct iovec` read by [`FetchKind::Iovec`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IovecElem {
    /// `iov_base`.
    pub base: u64,
    /// `iov_len`.
    pub len: u64,
    /// The bytes of the buffer counted against the call's data size (at most `-s` + 1).
    pub data: Option<Vec<u8>>,
    /// How many bytes of the buffer the call's data size covers.
    pub used: u64,
}

/// The kinds of descriptors `--decode-fds` decorates.
pub struct FdKinds;

impl FdKinds {
    /// Every descriptor, with its path (`-y`).
    pub const PATH: u8 = 1;
    /// Device files, with their numbers (`<char 1:3>`).
    pub const DEV: u8 = 2;
    /// Sockets (shown with their inode, `socket:[1234]`).
    pub const SOCKET: u8 = 4;
    /// Pidfds, with their process (`<pid:5>`).
    pub const PIDFD: u8 = 8;
    /// All of them (`-yy`).
    pub const ALL: u8 = 15;
}

/// What a tracee's descriptor refers to, for `-y`/`-yy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdInfo {
    /// The path (`/proc/PID/fd/N`'s link), without the kernel's " (deleted)".
    pub path: Vec<u8>,
    /// The file was unlinked.
    pub deleted: bool,
    /// For a device file under `-yy`: whether it is a character device, its major and minor.
    pub device: Option<(bool, u64, u64)>,
    /// For a pidfd under `-yy`: the process it refers to.
    pub pidfd: Option<i32>,
    /// For a socket under `-yy`: what it is connected to (`TCP:[127.0.0.1:80]`, see `sockdiag.rs`).
    pub socket: Option<String>,
}

/// Memory fetched for one syscall stop.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mem {
    /// Results by argument index.
    pub items: Vec<(u8, Fetched)>,
    /// What `--decode-pids` adds to the process ids printed.
    pub pids: pid::PidNotes,
}

impl Mem {
    /// The fetched value for argument `slot`, if one was planned.
    pub fn get(&self, slot: usize) -> Option<&Fetched> {
        self.items
            .iter()
            .find(|(s, _)| *s as usize == slot)
            .map(|(_, f)| f)
    }
}

/// Reads tracee memory; implemented by the ptrace layer and by fakes in tests.
pub trait ReadMem {
    /// Reads up to `buf.len()` bytes at `addr`; returns how many were read (0 on fault).
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize;

    /// What descriptor `fd` of the tracee refers to (`/proc/PID/fd/FD`) if it is of the [`FdKinds`]
    /// in `kinds` (the path alone is shown for every descriptor under `FdKinds::PATH`).
    fn fd_path(&mut self, _fd: i32, _kinds: u8) -> Option<FdInfo> {
        None
    }

    /// What descriptor `fd` of the process that the tracee's pidfd `pidfd` refers to refers to
    /// (`pidfd_getfd`'s target), for the [`FdKinds`] in `kinds`.
    fn fd_path_via_pidfd(&mut self, _pidfd: i32, _fd: i32, _kinds: u8) -> Option<FdInfo> {
        None
    }
    /// The protocol of the tracee's descriptor `fd` when it is a netlink socket.
    fn netlink_protocol(&mut self, _fd: i32) -> Option<u32> {
        None
    }

    /// The tracee's open descriptors.
    fn open_fds(&mut self) -> Vec<i32> {
        Vec::new()
    }
}

pub(crate) const PAGE: u64 = 4096;

pub(crate) fn read_cstr(r: &mut dyn ReadMem, addr: u64, max: usize) -> Fetched {
    if addr == 0 {
        return Fetched::Fault;
    }
    let mut out = Vec::new();
    let mut at = addr;
    let limit = max + 1;
    let mut chunk = [0u8; 4096];
    while out.len() < limit {
        // Never cross a page boundary in one read: the next page may be unmapped.
        let to_page = (PAGE - (at % PAGE)) as usize;
        let n = to_page.min(limit - out.len()).min(chunk.len());
        let got = r.read(at, &mut chunk[..n]);
        if got == 0 {
            // Unreadable before its NUL and before the limit (which includes the byte after the
            // shown ones): strace then shows the address, not a partial string.
            return Fetched::Fault;
        }
        if let Some(z) = chunk[..got].iter().position(|&b| b == 0) {
            out.extend_from_slice(&chunk[..z]);
            return Fetched::Str {
                bytes: out,
                complete: true,
            };
        }
        out.extend_from_slice(&chunk[..got]);
        at += got as u64;
        if got < n && out.len() < max {
            return Fetched::Fault;
        }
    }
    // No NUL within the limit: only the limit is shown, followed by "...".
    out.truncate(max);
    Fetched::Str {
        bytes: out,
        complete: false,
    }
}

/// A string of at most `len` bytes: complete when its NUL is among them, the address when memory
/// ends first.
fn read_cstr_upto(r: &mut dyn ReadMem, addr: u64, len: usize) -> Fetched {
    if len == 0 {
        return Fetched::Str {
            bytes: Vec::new(),
            complete: false,
        };
    }
    match read_cstr(r, addr, len - 1) {
        Fetched::Str {
            mut bytes,
            complete: false,
        } => {
            // `read_cstr` read `len` bytes without a NUL and kept `len - 1` of them: read the last.
            let mut last = [0u8; 1];
            if r.read(addr + bytes.len() as u64, &mut last) == 1 {
                bytes.push(last[0]);
            }
            Fetched::Str {
                bytes,
                complete: false,
            }
        }
        other => other,
    }
}

fn read_ptr(r: &mut dyn ReadMem, addr: u64) -> Option<u64> {
    let mut b = [0u8; 8];
    (r.read(addr, &mut b) == 8).then(|| u64::from_ne_bytes(b))
}

/// Reads `len` bytes at `addr` page by page, stopping at the first unreadable byte.
pub(crate) fn read_upto(r: &mut dyn ReadMem, addr: u64, len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    let mut got = 0;
    while got < len {
        let at = addr + got as u64;
        let n = ((PAGE - (at % PAGE)) as usize).min(len - got);
        let k = r.read(at, &mut buf[got..got + n]);
        got += k;
        if k < n {
            break;
        }
    }
    buf.truncate(got);
    buf
}

/// Exactly `len` bytes at `addr`, or a fault when memory ends before the object does (strace shows
/// the address then).
fn read_exact(r: &mut dyn ReadMem, addr: u64, len: usize) -> Fetched {
    let buf = read_upto(r, addr, len);
    if buf.len() < len {
        Fetched::Fault
    } else {
        Fetched::Bytes(buf)
    }
}

/// Runs a plan against tracee memory. Called only by the tracer (through its ptrace capability).
pub fn fetch(reqs: &[FetchReq], r: &mut dyn ReadMem) -> Mem {
    let mut items = Vec::with_capacity(reqs.len());
    for req in reqs {
        let f = match req.kind {
            FetchKind::CStr { max } => read_cstr(r, req.addr, max),
            FetchKind::CStrUpto { len } => read_cstr_upto(r, req.addr, len),
            FetchKind::Bytes { len } => read_exact(r, req.addr, len),
            FetchKind::SockBuf {
                fd,
                len,
                strsize,
                fd_kinds,
            } => match r.netlink_protocol(fd) {
                Some(protocol) => Fetched::Netlink {
                    protocol,
                    bytes: read_upto(r, req.addr, len.min(netlink::MAX_FETCH as u64) as usize),
                    fds: if fd_kinds == 0 {
                        Vec::new()
                    } else {
                        r.open_fds()
                            .into_iter()
                            .filter_map(|n| Some((n, r.fd_path(n, fd_kinds)?)))
                            .collect()
                    },
                },
                None => read_exact(r, req.addr, len.min(strsize as u64) as usize),
            },
            FetchKind::StrArray { max_items, max } => {
                let mut items = Vec::new();
                let mut truncated = false;
                let mut fault = false;
                let mut unreadable = Vec::new();
                let mut ends_at = None;
                for i in 0.. {
                    let at = req.addr + 8 * i as u64;
                    let Some(p) = read_ptr(r, at) else {
                        fault = i == 0;
                        ends_at = Some(at);
                        break;
                    };
                    if p == 0 {
                        break;
                    }
                    if items.len() == max_items {
                        truncated = true;
                        break;
                    }
                    match read_cstr(r, p, max) {
                        Fetched::Str { bytes, complete } => items.push((bytes, complete)),
                        _ => {
                            unreadable.push((items.len(), p));
                            items.push((Vec::new(), false));
                        }
                    }
                }
                if fault {
                    Fetched::Fault
                } else {
                    Fetched::StrArray {
                        items,
                        truncated,
                        unreadable,
                        ends_at,
                    }
                }
            }
            FetchKind::Indirect { offset, len } => match read_ptr(r, req.addr + offset) {
                Some(p) if p != 0 => {
                    let mut buf = vec![0u8; len];
                    let n = r.read(p, &mut buf);
                    buf.truncate(n);
                    if n == 0 {
                        Fetched::Fault
                    } else {
                        Fetched::Bytes(buf)
                    }
                }
                _ => Fetched::Fault,
            },
            FetchKind::SockWalk {
                arg,
                args,
                ret,
                opts,
            } => Fetched::Recorded(socket::record(arg, &args, ret, opts, r)),
            FetchKind::PidfdTargetPath { pidfd, kinds } => {
                match r.fd_path_via_pidfd(pidfd, req.addr as i32, kinds) {
                    Some(info) => Fetched::Fd(info),
                    None => Fetched::Fault,
                }
            }
            FetchKind::Walk {
                walker,
                args,
                ret,
                opts,
            } => walk::record(walker.0, &args, ret, &opts, r),
            FetchKind::Upto { len } => Fetched::Bytes(read_upto(r, req.addr, len)),
            FetchKind::Iovec {
                count,
                data_size,
                max,
            } => {
                let mut elems = Vec::new();
                let mut left = data_size;
                for k in 0..count as u64 {
                    let (Some(base), Some(len)) = (
                        read_ptr(r, req.addr + 16 * k),
                        read_ptr(r, req.addr + 16 * k + 8),
                    ) else {
                        break;
                    };
                    let used = len.min(left);
                    if left != u64::MAX {
                        left -= used;
                    }
                    let want = used.min(max as u64 + 1) as usize;
                    let buf = read_upto(r, base, want);
                    let data = (buf.len() == want).then_some(buf);
                    elems.push(IovecElem {
                        base,
                        len,
                        data,
                        used,
                    });
                }
                Fetched::Iovec(elems)
            }
            FetchKind::FdAt { offset, kinds } => {
                let mut b = [0u8; 4];
                let fd = (r.read(req.addr + offset, &mut b) == 4).then(|| i32::from_ne_bytes(b));
                match fd.filter(|&fd| fd >= 0).and_then(|fd| r.fd_path(fd, kinds)) {
                    Some(info) => Fetched::Fd(info),
                    None => Fetched::Fault,
                }
            }
            FetchKind::Ioctl(ref call) => ioctl::record(call, r),
            FetchKind::FdPath { kinds } => match r.fd_path(req.addr as i32, kinds) {
                Some(info) => Fetched::Fd(info),
                None => Fetched::Fault,
            },
            FetchKind::PtrCount => {
                let mut n = 0usize;
                loop {
                    match read_ptr(r, req.addr + 8 * n as u64) {
                        Some(0) => break Fetched::Count(n),
                        Some(_) if n < 1 << 20 => n += 1,
                        _ => {
                            break if n == 0 {
                                Fetched::Fault
                            } else {
                                Fetched::UnterminatedCount(n)
                            }
                        }
                    }
                }
            }
        };
        items.push((req.slot, f));
    }
    Mem {
        items,
        ..Default::default()
    }
}

/// The syscall's name as strace prints it (`syscall_0x1c8` when unknown).
pub fn syscall_name(nr: u64) -> std::borrow::Cow<'static, str> {
    match Sysno::new(nr as usize) {
        Some(s) => s.name().into(),
        None => format!("syscall_{nr:#x}").into(),
    }
}

/// Memory needed at syscall entry.
pub fn plan_entry(nr: u64, args: &[u64; 6], opts: &Opts) -> Vec<FetchReq> {
    if nr == Sysno::ioctl as u64 {
        return ioctl::plan(args, None, opts);
    }
    let spec = spec::spec(nr, args);
    if let Some(v) = spec::plan_custom(&spec, args, None, opts) {
        return v;
    }
    let mut v = Vec::new();
    let split = spec.split_point();
    for (i, a) in spec.args().iter().enumerate().take(split) {
        a.plan(i, args, None, opts, &mut v);
    }
    if let Some(a) = spec.args().get(split).filter(|a| a.is_in_out()) {
        a.plan(split, args, None, opts, &mut v);
    }
    // Lengths the kernel reads and rewrites, printed at exit as `[in => out]`.
    for (i, a) in spec.args().iter().enumerate().skip(split) {
        if let spec::Arg::Sock(s) = a {
            if let Some(kind) = s.entry_fetch(args, args[i]) {
                let slot = i as u8;
                v.push(FetchReq {
                    slot,
                    addr: args[i],
                    kind,
                });
            }
        }
        if *a == spec::Arg::SockLenInOut && args[i] != 0 {
            v.push(FetchReq {
                slot: i as u8,
                addr: args[i],
                kind: FetchKind::Bytes { len: 4 },
            });
        }
    }
    v
}

/// Memory needed at syscall exit, given the return value.
pub fn plan_exit(nr: u64, args: &[u64; 6], ret: i64, opts: &Opts) -> Vec<FetchReq> {
    if nr == Sysno::ioctl as u64 {
        return ioctl::plan(args, Some(ret), opts);
    }
    let spec = spec::spec(nr, args);
    let mut v = Vec::new();
    if let Some(custom) = spec::plan_custom(&spec, args, Some(ret), opts) {
        if !matches!(spec, spec::Spec::Walk(..)) {
            return custom;
        }
        v = custom;
    } else {
        let split = spec.split_point();
        for (i, a) in spec.args().iter().enumerate().skip(split) {
            a.plan(i, args, Some(ret), opts, &mut v);
        }
    }
    if let Ret::Custom(c) = spec.ret() {
        if ret >= 0 {
            (c.plan)(args, ret, opts, &mut v);
        }
    }
    if opts.decode_fds > 0 && spec.ret() == Ret::Fd && ret >= 0 {
        v.push(FetchReq {
            slot: RET_SLOT,
            addr: ret as u64,
            kind: FetchKind::FdPath {
                kinds: opts.decode_fds,
            },
        });
    }
    v
}

/// The `Mem` slot of what a returned descriptor refers to (`-y`).
const RET_SLOT: u8 = 7;

/// Appends `fd` and, when `-y` fetched it, what it refers to: `3</etc/passwd>`.
pub fn fd_into(out: &mut String, fd: i32, path: Option<&Fetched>) {
    let _ = write!(out, "{fd}");
    fd_suffix_into(out, path);
}

/// Appends `<path>` for a fetched descriptor: `<path<char 1:3>>` for a device under `-yy`, and an
/// unlinked file marked after the path, as strace does.
pub fn fd_suffix_into(out: &mut String, path: Option<&Fetched>) {
    if let Some(Fetched::Fd(info)) = path {
        if let Some(pid) = info.pidfd {
            let _ = write!(out, "<pid:{pid}>");
            return;
        }
        if let Some(details) = &info.socket {
            let _ = write!(out, "<{details}>");
            return;
        }
        out.push('<');
        strings::quote_bare(out, &info.path);
        if let Some((char_dev, major, minor)) = info.device {
            let kind = if char_dev { "char" } else { "block" };
            let _ = write!(out, "<{kind} {major}:{minor}>");
        }
        out.push('>');
        if info.deleted {
            out.push_str("(deleted)");
        }
    }
}

/// Text printed at entry, after `name(`. Ends with `, ` when more arguments follow at exit.
pub fn render_entry(nr: u64, args: &[u64; 6], mem: &Mem, opts: &Opts, out: &mut String) {
    if nr == Sysno::ioctl as u64 {
        return ioctl::render_entry(args, mem, opts, out);
    }
    let spec = spec::spec(nr, args);
    if spec::render_custom(&spec, args, None, mem, None, opts, out) {
        return;
    }
    let all = spec.args();
    let split = spec.split_point();
    let mut first = true;
    for (i, a) in all.iter().enumerate().take(split) {
        if a.skipped(args) {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        a.render(i, args, None, mem, opts, out);
    }
    if split < all.len() && split > 0 {
        out.push_str(", ");
    }
    // An argument read at entry and written at exit prints its first half now (`[0]`, then ` => [35499]`).
    if let Some(a) = all.get(split).filter(|a| a.is_in_out()) {
        a.render(split, args, None, mem, opts, out);
    }
}

/// Text printed at exit, before `)`; `entry` is the memory fetched at entry (for in/out arguments).
pub fn render_exit(
    nr: u64,
    args: &[u64; 6],
    ret: i64,
    entry: &Mem,
    mem: &Mem,
    opts: &Opts,
    out: &mut String,
) {
    if nr == Sysno::ioctl as u64 {
        return ioctl::render_exit(args, ret, entry, mem, opts, out);
    }
    let spec = spec::spec(nr, args);
    if spec::render_custom(&spec, args, Some(ret), mem, Some(entry), opts, out) {
        return;
    }
    let all = spec.args();
    let split = spec.split_point();
    let mut first = true;
    for (i, a) in all.iter().enumerate().skip(split) {
        if a.skipped(args) {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        match a {
            // The value before the call was fetched at entry, the one after at exit.
            spec::Arg::SockLenInOut => {
                socket::sockaddr::socklen_into(out, args[i], entry.get(i), mem.get(i), ret)
            }
            spec::Arg::SockAddrOut(l) => {
                let l = *l as usize;
                let (bytes, before, after) = (mem.get(i), entry.get(l), mem.get(l));
                socket::sockaddr::sockaddr_out_into(out, args[i], bytes, before, after, ret)
            }
            spec::Arg::Sock(s) => socket::render(*s, i, args, Some(ret), entry, mem, opts, out),
            spec::Arg::Custom(c) => {
                let ctx = custom::Ctx {
                    i,
                    args,
                    ret: Some(ret),
                    opts,
                };
                let fetches = custom::Fetches { now: mem, entry };
                (c.render)(&ctx, &fetches, out)
            }
            _ => a.render(i, args, Some(ret), mem, opts, out),
        }
    }
}

/// The text after `= ` for a completed syscall; `mem` is the exit's fetched memory.
pub fn render_return(nr: u64, args: &[u64; 6], ret: i64, mem: &Mem, opts: &Opts, out: &mut String) {
    if nr == Sysno::ioctl as u64 && ioctl::render_return(args, ret, mem, out) {
        return;
    }
    if spec::spec(nr, args).ret() == Ret::ModifyLdt {
        return ldt::return_into(out, ret);
    }
    if (-4095..0).contains(&ret) {
        out.push_str(&flags::error_return((-ret) as i32));
        return;
    }
    match spec::spec(nr, args).ret() {
        Ret::Fd => fd_into(out, ret as i32, mem.get(RET_SLOT as usize)),
        Ret::Hex => {
            let _ = write!(out, "{:#x}", ret as u64);
        }
        Ret::Dec => {
            let _ = write!(out, "{ret}");
        }
        Ret::Pid(kind) => pid::pid_into(out, ret as i32, kind),
        Ret::OpenFlags => {
            let _ = write!(out, "{:#x} (flags ", ret as u64);
            flags::open_flags_into(out, ret as u64);
            out.push(')');
        }
        Ret::Octal => structs::octal_into(out, ret as u64),
        Ret::Fcntl => fcntl::return_into(out, args[1] as u32, ret),
        Ret::ModifyLdt => ldt::return_into(out, ret),
        Ret::NamedFlags(x) => {
            let _ = write!(out, "{}", structs::CHex(ret as u64));
            if let Some(names) = xlat::names_for_return(ret as u64, x) {
                let _ = write!(out, " ({names})");
            }
        }
        Ret::VectorLength(x) => {
            let v = ret as u64;
            let _ = write!(out, "{}", structs::CHex(v));
            let flag_bits = v & !0xffff;
            if flag_bits != 0 && xlat::style() != xlat::Style::Raw {
                let names = xlat::names_for_return(flag_bits, x)
                    .unwrap_or_else(|| format!("{flag_bits:#x}"));
                let _ = write!(out, " ({names}|{})", structs::CHex(v & 0xffff));
            }
        }
        Ret::TaggedAddr => {
            let _ = write!(out, "{}", structs::CHex(ret as u64));
            if xlat::style() != xlat::Style::Raw {
                let _ = write!(out, " ({})", structs::tagged_addr_text(ret as u64));
            }
        }
        Ret::Named(x) => {
            let _ = write!(out, "{ret}");
            if let Some(name) = x.name(ret as u64) {
                let _ = write!(out, " ({name})");
            }
        }
        Ret::Time => {
            let _ = write!(out, "{ret} (");
            structs::date_into(out, ret, u64::MAX);
            out.push(')');
        }
        Ret::TimeLeft => {
            let _ = write!(out, "{ret}");
            match mem.get(4) {
                _ if ret == 0 => out.push_str(" (Timeout)"),
                Some(Fetched::Bytes(b)) if b.len() == 16 => {
                    out.push_str(" (left ");
                    socket::timespec_into(out, b);
                    out.push(')');
                }
                _ => {}
            }
        }
        Ret::Custom(c) => (c.render)(args, ret, mem, opts, out),
        Ret::Timeout => {
            if ret == 0 {
                out.push_str("0 (Timeout)");
            } else {
                let _ = write!(out, "{ret}");
            }
        }
    }
}

/// Whether some of the syscall's arguments are printed only when it returns.
pub fn prints_at_exit(nr: u64, args: &[u64; 6]) -> bool {
    let spec = spec::spec(nr, args);
    spec.split_point() < spec.args().len()
}

/// Whether `nr` is a syscall that never returns on success (`exit`, `exit_group`).
pub fn never_returns(nr: u64) -> bool {
    matches!(
        Sysno::new(nr as usize),
        Some(Sysno::exit | Sysno::exit_group)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake address space: a list of (address, bytes) regions.
    pub(crate) struct Fake(pub Vec<(u64, Vec<u8>)>);

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

    fn line(nr: Sysno, args: [u64; 6], ret: i64, fake: &mut Fake, opts: &Opts) -> String {
        let nr = nr as u64;
        let m1 = fetch(&plan_entry(nr, &args, opts), fake);
        let m2 = fetch(&plan_exit(nr, &args, ret, opts), fake);
        let mut s = format!("{}(", syscall_name(nr));
        render_entry(nr, &args, &m1, opts, &mut s);
        render_exit(nr, &args, ret, &m1, &m2, opts, &mut s);
        s.push_str(") = ");
        render_return(nr, &args, ret, &m2, opts, &mut s);
        s
    }

    #[test]
    fn openat_read_write_close() {
        let o = Opts::default();
        let mut f = Fake(vec![
            (0x1000, b"/etc/passwd\0".to_vec()),
            (0x2000, b"root:x:0:0:root:/root:/bin/bash\nmore".to_vec()),
        ]);
        let cwd = (-100i64) as u64;
        assert_eq!(
            line(
                Sysno::openat,
                [cwd, 0x1000, 0o2000000, 0, 0, 0],
                3,
                &mut f,
                &o
            ),
            r#"openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3"#
        );
        assert_eq!(
            line(Sysno::read, [3, 0x2000, 4096, 0, 0, 0], 36, &mut f, &o),
            r#"read(3, "root:x:0:0:root:/root:/bin/bash\n"..., 4096) = 36"#
        );
        assert_eq!(
            line(Sysno::read, [3, 0x2000, 4096, 0, 0, 0], -9, &mut f, &o),
            "read(3, 0x2000, 4096) = -1 EBADF (Bad file descriptor)"
        );
        assert_eq!(
            line(Sysno::write, [1, 0x2000, 4, 0, 0, 0], 4, &mut f, &o),
            r#"write(1, "root", 4) = 4"#
        );
        assert_eq!(
            line(Sysno::close, [3, 0, 0, 0, 0, 0], 0, &mut f, &o),
            "close(3) = 0"
        );
        assert_eq!(
            line(
                Sysno::openat,
                [cwd, 0x1000, 0o1101, 0o644, 0, 0],
                -2,
                &mut f,
                &o
            ),
            r#"openat(AT_FDCWD, "/etc/passwd", O_WRONLY|O_CREAT|O_TRUNC, 0644) = -1 ENOENT (No such file or directory)"#
        );
        assert_eq!(
            line(Sysno::exit_group, [0; 6], 0, &mut f, &o),
            "exit_group(0) = 0"
        );
    }

    #[test]
    fn execve_and_mmap() {
        let o = Opts::default();
        let mut mem = vec![0u8; 64];
        mem[0..8].copy_from_slice(&0x1000u64.to_ne_bytes());
        mem[8..16].copy_from_slice(&0x1010u64.to_ne_bytes());
        let mut f = Fake(vec![
            (0x1000, b"/bin/ls\0\0\0\0\0\0\0\0\0-l\0".to_vec()),
            (0x3000, mem),
        ]);
        assert_eq!(
            line(
                Sysno::execve,
                [0x1000, 0x3000, 0x3000, 0, 0, 0],
                0,
                &mut f,
                &o
            ),
            r#"execve("/bin/ls", ["/bin/ls", "-l"], 0x3000 /* 2 vars */) = 0"#
        );
        assert_eq!(
            line(Sysno::mmap, [0, 8192, 3, 0x22, u64::MAX, 0], 0x7f00_0000_0000, &mut f, &o),
            "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000"
        );
    }

    #[test]
    fn split_points() {
        let o = Opts::default();
        let mut s = String::new();
        render_entry(
            Sysno::read as u64,
            &[3, 0, 10, 0, 0, 0],
            &Mem::default(),
            &o,
            &mut s,
        );
        assert_eq!(s, "3, ");
        let mut s = String::new();
        render_entry(
            Sysno::close as u64,
            &[4, 0, 0, 0, 0, 0],
            &Mem::default(),
            &o,
            &mut s,
        );
        assert_eq!(s, "4");
    }

    #[test]
    fn cstr_across_pages_and_faults() {
        let mut f = Fake(vec![(4096 - 3, b"abcdef\0".to_vec())]);
        assert_eq!(
            read_cstr(&mut f, 4093, 100),
            Fetched::Str {
                bytes: b"abcdef".to_vec(),
                complete: true
            }
        );
        assert_eq!(read_cstr(&mut f, 0, 100), Fetched::Fault);
        assert_eq!(
            read_cstr(&mut f, 4093, 3),
            Fetched::Str {
                bytes: b"abc".to_vec(),
                complete: false
            }
        );
        // Memory that ends before the NUL and before the limit: the address is shown instead.
        let mut f = Fake(vec![(8192 - 3, b"xyz".to_vec())]);
        assert_eq!(read_cstr(&mut f, 8189, 100), Fetched::Fault);
    }
}
