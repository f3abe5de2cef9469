//! The ptrace capability and the wrappers that need it.
//!
//! Design: Linux answers ptrace requests about a tracee only from the very thread that attached to it. In a
//! runtime that moves goroutines between threads, that rule is kept by two things together:
//!
//! * the goroutine that traces is wired to its thread with `gort::lock_os_thread` — [`PtraceCap::acquire`]
//!   does the wiring, so holding a capability implies being wired;
//! * every ptrace wrapper is a method of [`PtraceCap`], and `PtraceCap` is `!Send` and `!Sync` (it holds a
//!   `PhantomData<*const ()>`). It cannot be moved or shared into another goroutine, so no other goroutine
//!   can make a ptrace request at all: the compiler rejects it. Other goroutines talk to the tracer only
//!   through channels.
//!
//! Reading tracee memory (`process_vm_readv`, falling back to `PTRACE_PEEKDATA`) also goes through the
//! capability, so decoding that needs tracee memory is done on the decoders' behalf by the wired goroutine.

use crate::decode::{FdInfo, FdKinds, ReadMem};
use std::io;
use std::marker::PhantomData;

/// A tracee's thread id.
pub type Pid = i32;

/// The right to make ptrace requests; exists only on the wired tracer thread.
///
/// It is deliberately `!Send` and `!Sync`: the kernel ties each tracee to the thread that attached it, so
/// the value that proves "I am that thread" must never leave it. Handing it to another goroutine does
/// not compile:
///
/// ```compile_fail
/// let cap = gort_trace::ptrace::PtraceCap::acquire();
/// gort::spawn(move || cap.detach(1, 0)); // error: `*const ()` cannot be sent between threads safely
/// ```
///
/// and neither does sharing a reference with one:
///
/// ```compile_fail
/// fn needs_sync<T: Sync>(_: &T) {}
/// needs_sync(&gort_trace::ptrace::PtraceCap::acquire());
/// ```
pub struct PtraceCap {
    _not_send: PhantomData<*const ()>,
}

/// Registers of a syscall stop that the tracer needs.
#[derive(Clone, Copy, Debug, Default)]
pub struct SyscallRegs {
    /// Syscall number (`orig_rax`).
    pub nr: u64,
    /// The six arguments.
    pub args: [u64; 6],
    /// `rax`: the return value at exit, `-ENOSYS` at entry.
    pub ret: i64,
}

/// The result of `waitpid`.
#[derive(Clone, Copy, Debug)]
pub enum WaitStatus {
    /// Nothing is ready (only with `WNOHANG`).
    None,
    /// `pid` changed state with raw `status`; the last field is the tracee's system CPU time so far in
    /// nanoseconds (from `wait4`'s rusage, what strace's `-c` sums).
    Changed(Pid, i32, u64),
    /// `waitpid` failed with this errno (`EINTR`, `ECHILD`).
    Error(i32),
}

/// Options set on every tracee.
pub fn trace_options(follow: bool, seccomp: bool) -> i32 {
    // TRACEEXIT: a thread that is about to die stops once more, so the syscall it dies in (`exit`, or
    // any call of a thread that a sibling's `execve` or `exit_group` ends) is completed with `= ?` then,
    // not when the whole process is gone.
    let mut o = libc::PTRACE_O_TRACESYSGOOD | libc::PTRACE_O_TRACEEXEC | libc::PTRACE_O_TRACEEXIT;
    if seccomp {
        o |= libc::PTRACE_O_TRACESECCOMP;
    }
    if follow {
        o |= libc::PTRACE_O_TRACECLONE | libc::PTRACE_O_TRACEFORK | libc::PTRACE_O_TRACEVFORK;
    }
    o
}

fn check(rc: libc::c_long) -> io::Result<libc::c_long> {
    if rc == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

impl PtraceCap {
    /// Wires the calling goroutine to its OS thread and returns the capability.
    ///
    /// Never unwires: a tracer goroutine that exits while wired takes its thread down with it, so ptrace
    /// relationships cannot leak into a pooled thread.
    pub fn acquire() -> PtraceCap {
        crate::rt::lock_os_thread();
        PtraceCap {
            _not_send: PhantomData,
        }
    }

    fn raw(&self, req: libc::c_uint, pid: Pid, addr: u64, data: u64) -> io::Result<libc::c_long> {
        // SAFETY: the requests issued through this helper (SETOPTIONS, SYSCALL, CONT, LISTEN, DETACH, SEIZE,
        // INTERRUPT, POKEUSER, POKEDATA) take integer `addr`/`data` arguments and never write through
        // them in this process (POKEDATA writes the word `data` into the tracee).
        check(unsafe {
            libc::ptrace(
                req,
                pid,
                addr as *mut libc::c_void,
                data as *mut libc::c_void,
            )
        })
    }

    /// `PTRACE_SEIZE` with `options` (for `-p`).
    pub fn seize(&self, pid: Pid, options: i32) -> io::Result<()> {
        self.raw(libc::PTRACE_SEIZE, pid, 0, options as u64)
            .map(drop)
    }

    /// `PTRACE_INTERRUPT`: stop a seized tracee.
    pub fn interrupt(&self, pid: Pid) -> io::Result<()> {
        self.raw(libc::PTRACE_INTERRUPT, pid, 0, 0).map(drop)
    }

    /// `PTRACE_SETOPTIONS`.
    pub fn set_options(&self, pid: Pid, options: i32) -> io::Result<()> {
        self.raw(libc::PTRACE_SETOPTIONS, pid, 0, options as u64)
            .map(drop)
    }

    /// Resumes until the next syscall stop, delivering `sig` (0 for none).
    pub fn syscall(&self, pid: Pid, sig: i32) -> io::Result<()> {
        self.raw(libc::PTRACE_SYSCALL, pid, 0, sig as u64).map(drop)
    }

    /// Resumes without syscall stops, delivering `sig`.
    pub fn cont(&self, pid: Pid, sig: i32) -> io::Result<()> {
        self.raw(libc::PTRACE_CONT, pid, 0, sig as u64).map(drop)
    }

    /// `PTRACE_LISTEN`: leave a seized tracee in group-stop but keep reporting.
    pub fn listen(&self, pid: Pid) -> io::Result<()> {
        self.raw(libc::PTRACE_LISTEN, pid, 0, 0).map(drop)
    }

    /// Detaches, delivering `sig`; the process goes on running.
    pub fn detach(&self, pid: Pid, sig: i32) -> io::Result<()> {
        self.raw(libc::PTRACE_DETACH, pid, 0, sig as u64).map(drop)
    }

    /// Sets the syscall number the kernel will run (`orig_rax`); -1 makes it skip the call (`-e inject=`).
    pub fn set_syscall_nr(&self, pid: Pid, nr: u64) -> io::Result<()> {
        let offset = std::mem::offset_of!(libc::user_regs_struct, orig_rax) as u64;
        self.raw(libc::PTRACE_POKEUSER, pid, offset, nr).map(drop)
    }

    /// Sets the value a syscall returns (`rax`) at its exit stop (`-e inject=`).
    pub fn set_return(&self, pid: Pid, value: i64) -> io::Result<()> {
        let offset = std::mem::offset_of!(libc::user_regs_struct, rax) as u64;
        self.raw(libc::PTRACE_POKEUSER, pid, offset, value as u64)
            .map(drop)
    }

    /// Syscall number, arguments and `rax` of a stopped tracee.
    pub fn syscall_regs(&self, pid: Pid) -> io::Result<SyscallRegs> {
        let mut regs = std::mem::MaybeUninit::<libc::user_regs_struct>::zeroed();
        // SAFETY: PTRACE_GETREGS writes one `user_regs_struct` to `data`, which points to writable storage
        // of exactly that type.
        check(unsafe {
            libc::ptrace(
                libc::PTRACE_GETREGS,
                pid,
                std::ptr::null_mut::<libc::c_void>(),
                regs.as_mut_ptr(),
            )
        })?;
        // SAFETY: zero-initialised and then filled by the kernel; every bit pattern is a valid integer.
        let r = unsafe { regs.assume_init() };
        Ok(SyscallRegs {
            nr: r.orig_rax,
            args: [r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9],
            ret: r.rax as i64,
        })
    }

    /// The raw 128-byte `siginfo_t` of a signal-delivery-stop; `None` in a group-stop.
    pub fn siginfo(&self, pid: Pid) -> Option<[u8; 128]> {
        let mut buf = [0u8; 128];
        // SAFETY: PTRACE_GETSIGINFO writes one 128-byte `siginfo_t` to `data`, which points to `buf`.
        let rc = unsafe {
            libc::ptrace(
                libc::PTRACE_GETSIGINFO,
                pid,
                std::ptr::null_mut::<libc::c_void>(),
                buf.as_mut_ptr(),
            )
        };
        (rc != -1).then_some(buf)
    }

    /// `PTRACE_GETEVENTMSG`: the new pid after a fork/clone event, the former tid after exec.
    pub fn event_msg(&self, pid: Pid) -> io::Result<u64> {
        let mut msg: libc::c_ulong = 0;
        // SAFETY: PTRACE_GETEVENTMSG writes one `unsigned long` to `data`, which points to `msg`.
        check(unsafe {
            libc::ptrace(
                libc::PTRACE_GETEVENTMSG,
                pid,
                std::ptr::null_mut::<libc::c_void>(),
                &mut msg,
            )
        })?;
        Ok(msg)
    }

    /// `wait4(-1, __WALL | extra)`. Blocking calls must be wrapped in `gort::syscall` by the caller.
    pub fn wait_any(&self, nohang: bool) -> WaitStatus {
        let mut status = 0;
        let flags = libc::__WALL | if nohang { libc::WNOHANG } else { 0 };
        let mut ru = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: `status` and `ru` are valid out-pointers for the duration of the call.
        let pid = unsafe { libc::wait4(-1, &mut status, flags, ru.as_mut_ptr()) };
        match pid {
            0 => WaitStatus::None,
            -1 => WaitStatus::Error(io::Error::last_os_error().raw_os_error().unwrap_or(0)),
            p => {
                // SAFETY: zero-initialised, then filled by the kernel; any bit pattern is valid.
                let ru = unsafe { ru.assume_init() };
                let stime =
                    ru.ru_stime.tv_sec as u64 * 1_000_000_000 + ru.ru_stime.tv_usec as u64 * 1000;
                WaitStatus::Changed(p, status, stime)
            }
        }
    }

    /// Reads tracee memory into `buf`; returns the bytes read (0 on fault).
    pub fn read_mem(&self, pid: Pid, addr: u64, buf: &mut [u8]) -> usize {
        if buf.is_empty() {
            return 0;
        }
        let local = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        let remote = libc::iovec {
            iov_base: addr as *mut libc::c_void,
            iov_len: buf.len(),
        };
        // SAFETY: `local` describes `buf`, which is valid for writes of its length; the remote iovec is only
        // interpreted by the kernel in the tracee's address space.
        let n = unsafe { libc::process_vm_readv(pid, &local, 1, &remote, 1, 0) };
        if n > 0 {
            return n as usize;
        }
        // Fall back to word-at-a-time reads (e.g. if process_vm_readv is not permitted).
        let mut got = 0;
        while got < buf.len() {
            let at = addr + got as u64;
            let aligned = at & !7;
            // SAFETY: PTRACE_PEEKDATA takes the address as an integer and returns the word; errno tells
            // errors apart from a word equal to -1.
            let word = unsafe {
                *libc::__errno_location() = 0;
                libc::ptrace(
                    libc::PTRACE_PEEKDATA,
                    pid,
                    aligned as *mut libc::c_void,
                    std::ptr::null_mut::<libc::c_void>(),
                )
            };
            // SAFETY: reading the thread-local errno is always valid.
            if word == -1 && unsafe { *libc::__errno_location() } != 0 {
                break;
            }
            let bytes = word.to_ne_bytes();
            let skip = (at - aligned) as usize;
            let n = (8 - skip).min(buf.len() - got);
            buf[got..got + n].copy_from_slice(&bytes[skip..skip + n]);
            got += n;
        }
        got
    }

    /// Writes `data` into tracee memory at `addr` (`-e inject=...:poke_enter=`), a word at a time with
    /// `PTRACE_POKEDATA`, keeping the bytes around a partial word.
    pub fn write_mem(&self, pid: Pid, addr: u64, data: &[u8]) -> io::Result<()> {
        let mut done = 0;
        while done < data.len() {
            let at = addr + done as u64;
            let aligned = at & !7;
            let skip = (at - aligned) as usize;
            let n = (8 - skip).min(data.len() - done);
            let mut word = [0u8; 8];
            if n < 8 && self.read_mem(pid, aligned, &mut word) != 8 {
                return Err(io::Error::from_raw_os_error(libc::EFAULT));
            }
            word[skip..skip + n].copy_from_slice(&data[done..done + n]);
            self.raw(
                libc::PTRACE_POKEDATA,
                pid,
                aligned,
                u64::from_ne_bytes(word),
            )?;
            done += n;
        }
        Ok(())
    }

    /// A [`ReadMem`] for one tracee, for [`crate::decode::fetch`].
    pub fn memory(&self, pid: Pid) -> TraceeMem<'_> {
        TraceeMem { cap: self, pid }
    }
}

/// Tracee memory seen through the capability.
pub struct TraceeMem<'a> {
    cap: &'a PtraceCap,
    pid: Pid,
}

impl ReadMem for TraceeMem<'_> {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        self.cap.read_mem(self.pid, addr, buf)
    }

    fn fd_path(&mut self, fd: i32, kinds: u8) -> Option<FdInfo> {
        fd_info(self.pid, fd, kinds)
    }

    fn fd_path_via_pidfd(&mut self, pidfd: i32, fd: i32, kinds: u8) -> Option<FdInfo> {
        let info = std::fs::read_to_string(format!("/proc/{}/fdinfo/{pidfd}", self.pid)).ok()?;
        let pid: Pid = info
            .lines()
            .find_map(|l| l.strip_prefix("Pid:"))
            .and_then(|p| p.trim().parse().ok())?;
        fd_info(pid, fd, kinds)
    }

    fn open_fds(&mut self) -> Vec<i32> {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid))
            .map(|dir| {
                dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn netlink_protocol(&mut self, fd: i32) -> Option<u32> {
        let path = format!("/proc/{}/fd/{fd}\0", self.pid);
        // A socket names its protocol family in this attribute (`NETLINK`, `TCP`...): one call tells
        // a netlink socket apart before the netlink table is read.
        let mut name = [0u8; 32];
        // SAFETY: both names are NUL-terminated, and `name` is a writable buffer of the given length.
        let n = unsafe {
            libc::getxattr(
                path.as_ptr().cast(),
                c"system.sockprotoname".as_ptr(),
                name.as_mut_ptr().cast(),
                name.len(),
            )
        };
        if n <= 0 || !name[..n as usize].starts_with(b"NETLINK") {
            return None;
        }
        let link = std::fs::read_link(&path[..path.len() - 1]).ok()?;
        let inode = crate::decode::netlink::socket::socket_inode(link.to_str()?)?;
        // The tracee's network namespace's table, which lists each netlink socket's protocol by inode.
        let table = std::fs::read_to_string(format!("/proc/{}/net/netlink", self.pid)).ok()?;
        crate::decode::netlink::socket::protocol_of_inode(&table, inode)
    }
}

/// What descriptor `fd` of process `pid` refers to, if it is of the [`FdKinds`] in `kinds`.
fn fd_info(pid: Pid, fd: i32, kinds: u8) -> Option<FdInfo> {
    use std::os::unix::ffi::OsStringExt;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    // AT_FDCWD stands for the working directory.
    let link = if fd == -100 {
        format!("/proc/{pid}/cwd")
    } else {
        format!("/proc/{pid}/fd/{fd}")
    };
    let path = std::fs::read_link(&link).ok()?;
    let mut bytes = path.into_os_string().into_vec();
    // The kernel appends " (deleted)" to an unlinked file's path; whether the file is unlinked is
    // asked of the file itself (a file can also be named so).
    let meta = std::fs::metadata(&link).ok();
    let deleted = bytes.ends_with(b" (deleted)") && meta.as_ref().is_some_and(|m| m.nlink() == 0);
    if deleted {
        bytes.truncate(bytes.len() - b" (deleted)".len());
    }
    let device = meta
        .as_ref()
        .filter(|_| kinds & FdKinds::DEV != 0)
        .and_then(|m| {
            let ft = m.file_type();
            (ft.is_char_device() || ft.is_block_device()).then(|| {
                let (major, minor) = crate::decode::structs::dev_split(m.rdev());
                (ft.is_char_device(), major, minor)
            })
        });
    // A pidfd names its process in the descriptor's fdinfo.
    let pidfd = (kinds & FdKinds::PIDFD != 0 && bytes == b"anon_inode:[pidfd]")
        .then(|| std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")).ok())
        .flatten()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("Pid:"))
                .and_then(|p| p.trim().parse().ok())
        });
    let socket = bytes.starts_with(b"socket:[");
    let details = (socket && kinds & FdKinds::SOCKET != 0)
        .then(|| {
            let inode = std::str::from_utf8(&bytes[8..bytes.len() - 1]).ok()?;
            crate::sockdiag::socket_details(pid, fd, inode.parse().ok()?)
        })
        .flatten();
    let shown = kinds & FdKinds::PATH != 0
        || device.is_some()
        || pidfd.is_some()
        || (socket && kinds & FdKinds::SOCKET != 0);
    shown.then_some(FdInfo {
        path: bytes,
        deleted,
        device,
        pidfd,
        socket: details,
    })
}

/// Sends `sig` to thread `tid` (used to stop non-seized tracees before detaching).
pub fn tgkill(tgid: Pid, tid: Pid, sig: i32) -> io::Result<()> {
    // SAFETY: tgkill takes plain integers.
    check(unsafe { libc::syscall(libc::SYS_tgkill, tgid, tid, sig) }).map(drop)
}

/// The thread-group id of `tid`, from `/proc/TID/status`.
pub fn tgid_of(tid: Pid) -> Option<Pid> {
    let s = std::fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("Tgid:"))
        .and_then(|v| v.trim().parse().ok())
}
