//! Per-syscall argument descriptions.
//!
//! Design: every syscall the tracer should decode is described by an ordered list of [`Arg`] kinds. A kind
//! knows three things: which tracee memory it needs ([`Arg::plan`]), how to print itself ([`Arg::render`]),
//! and whether it is an output that only makes sense after the call returns ([`Arg::is_output`]). The first
//! output argument is the entry/exit split point. Syscalls without an entry print their raw arguments in
//! hex, with a generic count, so nothing is ever hidden. `clone` has its own renderer because strace prints
//! it by keyword rather than by position.

use super::arch_prctl;
use super::consts::*;
use super::custom::{self, CustomArg, CustomRet};
use super::dirents;
use super::fanotify;
use super::flags::{self, flags_into};
use super::ioprio;
use super::iovec;
use super::landlock;
use super::memfd;
use super::mempolicy;
use super::misc_args;
use super::open_how;
use super::personality;
use super::prctl_more;
use super::rt_sig;
use super::sched_attr;
use super::select;
use super::statx;
use super::strings::{quote_buffer, quote_cstr};
use super::structs;
use super::timers;
use super::wait;
use super::xattr;
use super::xlat::{self, Xlat};
use super::{futex_waitv, kexec};
use super::{inotify, kcmp};
use super::{mount, mount_api};
use super::{FetchKind, FetchReq, Fetched, Mem, Opts};
use crate::pidns::PidType;
use std::fmt::Write;
use syscalls::Sysno;

/// How one argument is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A file descriptor (signed int).
    Fd,
    /// A directory fd for `*at` calls (`AT_FDCWD`).
    DirFd,
    /// A signed 32-bit integer.
    Int,
    /// A signed 64-bit integer.
    Long,
    /// An unsigned 64-bit integer.
    ULong,
    /// A number in hex (`0x20`).
    Hex,
    /// A pointer (`NULL` or `0x...`).
    Ptr,
    /// A file mode in octal (`0644`).
    Mode,
    /// An `open` mode, printed only when the flags argument (index given) has `O_CREAT`/`O_TMPFILE`.
    OpenMode(u8),
    /// A path (never cut by `-s`).
    Path,
    /// A NUL-terminated string cut by `-s`.
    Str,
    /// An input buffer whose length is the argument at the given index.
    BufIn(u8),
    /// An output buffer whose length is the return value.
    BufOut,
    /// An output buffer printed in hex (random bytes).
    BufOutHex,
    /// An output NUL-terminated string (e.g. `getcwd`).
    StrOut,
    /// `open` flags.
    OpenFlags,
    /// `mmap` flags.
    MmapFlags,
    /// A file offset in hex.
    Off,
    /// `statx` flags (sync type, then `*at` flags).
    StatxFlags,
    /// `statx` mask.
    StatxMask,
    /// A signal number.
    Sig,
    /// `argv`.
    Argv,
    /// `envp` (printed as address and count).
    Envp,
    /// An output `struct stat`.
    StatOut,
    /// An output pointer printed as an address after the call.
    PtrOut,
    /// An output `int[2]` (pipe).
    FdPairOut,
    /// An output wait status.
    WaitStatusOut,
    /// An output directory-entry buffer (`getdents64`).
    DirentsOut,
    /// An output `struct utsname`.
    UtsOut,
    /// `fcntl` command.
    FcntlCmd,
    /// A pipe2/dup3 flags word (`O_CLOEXEC`).
    FdFlags,
    /// A register that is not printed (keeps later arguments at their register index).
    Hidden,
    /// An input `struct timespec`.
    TimespecIn,
    /// An input signal set.
    SigsetIn,
    /// An output signal set.
    SigsetOut,
    /// An input `struct sigaction` (kernel layout).
    SigactionIn,
    /// An output `struct sigaction`.
    SigactionOut,
    /// An input `struct rlimit`.
    RlimitIn,
    /// An output `struct rlimit`.
    RlimitOut,
    /// An `ioctl` request.
    IoctlReq,
    /// A futex operation.
    FutexOp,
    /// A futex bitset (`FUTEX_BITSET_MATCH_ANY`).
    Bitset,
    /// An output CPU set of `ret` bytes.
    CpuSetOut,
    /// An input `stack_t` (`sigaltstack`).
    StackIn,
    /// An output `struct timespec`.
    TimespecOut,
    /// The remaining time of an interrupted sleep, printed only when the call was interrupted and
    /// (for `clock_nanosleep`, whose flags are at the given index) the sleep was relative.
    TimespecRem(u8),
    /// An output `time_t`, with its date.
    TimeOut,
    /// An output array of group ids, as many as the call returns.
    GroupsOut,
    /// An input array of group ids, as many as the argument at this index says.
    GroupsIn(u8),
    /// A host or domain name whose length is the argument at this index (the address when it is
    /// longer than the kernel's 64 bytes).
    HostName(u8),
    /// An output `struct sysinfo`.
    SysinfoOut,
    /// An output `struct statfs`.
    StatfsOut,
    /// `utimensat`'s two `struct timespec`s.
    TimespecPair,
    /// `utimes`'s two `struct timeval`s.
    TimevalPair,
    /// An output `struct tms`.
    TmsOut,
    /// An output `struct rusage`.
    RusageOut,
    /// `mremap`'s new address, passed only with `MREMAP_FIXED` in the flags at this index.
    NewAddr(u8),
    /// A `loff_t` the kernel reads and updates: `[0]` at entry, ` => [35499]` after a success.
    OffInOut,
    /// The same, printed unsigned as strace prints `sendfile`'s offset.
    UOffInOut,
    /// A `loff_t` the kernel reads: `[0]`.
    OffIn,
    /// `struct epoll_event` given to `epoll_ctl` (its address for `EPOLL_CTL_DEL`, op at index 1).
    EpollEventIn,
    /// The `struct epoll_event` array `epoll_wait` fills, as many as it returns.
    EpollEventsOut,
    /// An output address (`[0x7f00...]`, `[NULL]`).
    AddrOut,
    /// An output socket address whose length is at the pointer at this index.
    SockAddrOut(u8),
    /// A socket address length the kernel reads and rewrites: `[110 => 24]`.
    SockLenInOut,
    /// An unsigned 32-bit integer in hex (flags no name is known for).
    Hex32,
    /// A signal number in a 64-bit argument: the name, or the number when it names no signal.
    SigLong,
    /// An output signal number: `[SIGINT]`.
    SigOut,
    /// A task name, at most 15 bytes before its NUL (`TASK_COMM_LEN`).
    Comm,
    /// `PR_SET_PTRACER`'s process: a pid, or `PR_SET_PTRACER_ANY` for -1.
    Ptracer,
    /// An SVE/SME vector length with its flags above bit 16 (`PR_SVE_VL_INHERIT|0xea57`).
    VectorLength(&'static Xlat),
    /// `PR_SET_TAGGED_ADDR_CTRL`'s control word.
    TaggedAddr,
    /// `mincore`'s output vector, one byte per page of the length at this index (`[1, 0, ...]`).
    MincoreOut(u8),
    /// An output signal set of as many bytes as the argument at this index (1 to 8).
    SigsetOutN(u8),
    /// An input `int`: `[-1]`.
    IntIn,
    /// An output `int`: `[0]`.
    IntOut,
    /// An input CPU set whose size in bytes is the argument at this index.
    CpuSetIn(u8),
    /// A `struct timeval` the kernel reads.
    TimevalIn,
    /// A `struct timeval` the kernel fills.
    TimevalOut,
    /// A `struct timezone` the kernel reads.
    TimezoneIn,
    /// A `struct timezone` the kernel fills.
    TimezoneOut,
    /// An output 32-bit constant from a table: `[PR_TSC_SIGSEGV]`.
    EnumOut(&'static Xlat),
    /// An output 32-bit flag word from a table: `[PR_UNALIGN_SIGBUS]`.
    FlagsOut(&'static Xlat),
    /// An unsigned 32-bit integer.
    UInt,
    /// A user or group id (`-1` for the "unchanged" value, otherwise unsigned).
    Uid,
    /// An output `uid_t`/`unsigned int` printed as `[N]`.
    UIntOut,
    /// A flag word described by a table.
    Flags(&'static Xlat),
    /// A named constant described by a table.
    Enum(&'static Xlat),
    /// A named constant printed as a number with the name in a comment.
    EnumCommented(&'static Xlat),
    /// A file mode with its type (`S_IFREG|0644`), as `mknod` takes it.
    ModeType,
    /// A device number, printed (`makedev(0x1, 0x3)`) only when the mode at this index is a device.
    Dev(u8),
    /// An output `stack_t`.
    StackOut,
    /// A process id of this kind (annotated under `--decode-pids`).
    Pid(PidType),
    /// A `kill`-style id: a process when positive, the process group `-pid` below -1.
    PidTgidPgid,
    /// `getpriority`'s id, whose kind is told by the `which` argument at index 0.
    PrioWho,
    /// `PR_SCHED_CORE`'s id, whose kind is told by the `PIDTYPE_*` argument at this index.
    SchedCorePid(u8),
    /// `pidfd_getfd`'s target descriptor, in the process of the pidfd at argument 0.
    PidfdTargetFd,
    /// An argument of a socket call (see `socket/mod.rs`).
    Sock(super::socket::SockArg),
    /// A buffer sent on the socket in argument 0, of the length at this index: netlink messages on a
    /// netlink socket, a string otherwise.
    SockBufIn(u8),
    /// An argument its family's module decodes (see custom.rs).
    Custom(&'static CustomArg),
    /// A `struct flock` the kernel reads (`F_SETLK`).
    FlockIn,
    /// A `struct flock` the kernel fills (`F_GETLK`), printed with `l_pid`.
    FlockOut,
    /// A `struct f_owner_ex` the kernel reads (`F_SETOWN_EX`).
    OwnerExIn,
    /// A `struct f_owner_ex` the kernel fills (`F_GETOWN_EX`).
    OwnerExOut,
    /// `modify_ldt`'s `struct user_desc`, read when the length at this index is its size.
    UserDesc(u8),
    /// `_sysctl`'s `struct __sysctl_args`.
    SysctlArgs,
}

/// How the return value is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    /// Decimal.
    Dec,
    /// Hex (addresses).
    Hex,
    /// `0x8002 (flags O_RDWR|O_LARGEFILE)` (`fcntl(F_GETFL)`).
    OpenFlags,
    /// `0 (Timeout)` for zero (`poll`).
    Timeout,
    /// Octal (`umask`).
    Octal,
    /// A new file descriptor (decorated with its path under `-y`).
    Fd,
    /// A value with its name from a table: `1 (SUID_DUMP_USER)`.
    Named(&'static Xlat),
    /// A flag word with its names: `0xff (SECBIT_NOROOT|...)`.
    NamedFlags(&'static Xlat),
    /// An SVE/SME vector length with its flags: `0x4ea57 (PR_SVE_SET_VL_ONEXEC|0xea57)`.
    VectorLength(&'static Xlat),
    /// A tagged-address control word: `0 (!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE)`.
    TaggedAddr,
    /// Seconds since the epoch, with the date (`time`).
    Time,
    /// A process id of this kind (`getpid`).
    Pid(PidType),
    /// A count, with the time left in the timespec at argument 4 (`1 (left {tv_sec=0, ...})`), or
    /// `0 (Timeout)` (`recvmmsg`).
    TimeLeft,
    /// A value its family's module decodes (see custom.rs).
    Custom(&'static CustomRet),
    /// An `fcntl` result, decorated as its command (index 1) says (see `fcntl.rs`).
    Fcntl,
    /// `modify_ldt`'s result, whose errors arrive unextended (see `ldt.rs`).
    ModifyLdt,
}

/// A syscall description.
#[derive(Clone, Copy, Debug)]
pub enum Spec {
    /// Positional arguments and return style.
    Args(&'static [Arg], Ret),
    /// `clone`, printed by keyword.
    Clone,
    /// A decoder that follows pointers as it prints (see `walk.rs`), its return style, and the kinds
    /// of the arguments that name files (for `-P`; the walker alone prints them).
    Walk(super::walk::Walker, Ret, &'static [Arg]),
    /// `ptrace`, whose arguments depend on the request (see `ptrace_req.rs`).
    Ptrace,
}

impl Spec {
    /// The positional arguments.
    pub fn args(&self) -> &'static [Arg] {
        match self {
            Spec::Args(a, _) => a,
            Spec::Walk(_, _, files) => files,
            Spec::Clone | Spec::Ptrace => &[],
        }
    }

    /// Return style.
    pub fn ret(&self) -> Ret {
        match self {
            Spec::Args(_, r) | Spec::Walk(_, r, _) => *r,
            Spec::Clone => Ret::Pid(PidType::Tid),
            Spec::Ptrace => Ret::Dec,
        }
    }

    /// Index of the first argument printed at exit.
    pub fn split_point(&self) -> usize {
        let a = self.args();
        a.iter().position(|x| x.is_output()).unwrap_or(a.len())
    }
}

use super::socket::SockArg as S;
use Arg::*;

/// The description for syscall number `nr` with registers `regs` (some calls' arguments depend on an
/// operation code, e.g. `futex` and `fcntl`).
pub fn spec(nr: u64, regs: &[u64; 6]) -> Spec {
    let Some(s) = Sysno::new(nr as usize) else {
        return Spec::Args(&[Hex, Hex, Hex, Hex, Hex, Hex], Ret::Dec);
    };
    match table(s, regs) {
        Spec::Args(a, Ret::Dec) if returns_fd(s) => Spec::Args(a, Ret::Fd),
        other => other,
    }
}

/// Syscalls whose result is a new file descriptor.
fn returns_fd(s: Sysno) -> bool {
    matches!(
        s,
        Sysno::open
            | Sysno::openat
            | Sysno::openat2
            | Sysno::creat
            | Sysno::dup
            | Sysno::dup2
            | Sysno::dup3
            | Sysno::socket
            | Sysno::accept
            | Sysno::accept4
            | Sysno::epoll_create
            | Sysno::epoll_create1
            | Sysno::eventfd
            | Sysno::eventfd2
            | Sysno::inotify_init
            | Sysno::inotify_init1
            | Sysno::pidfd_open
            | Sysno::pidfd_getfd
            | Sysno::memfd_create
            | Sysno::memfd_secret
            | Sysno::timerfd_create
            | Sysno::signalfd
            | Sysno::signalfd4
            | Sysno::fanotify_init
            | Sysno::perf_event_open
            | Sysno::open_by_handle_at
            | Sysno::userfaultfd
            | Sysno::fsopen
            | Sysno::fsmount
            | Sysno::fspick
            | Sysno::open_tree
            | Sysno::mq_open
    )
}

/// The description of a known syscall.
fn table(s: Sysno, regs: &[u64; 6]) -> Spec {
    let d = |a: &'static [Arg]| Spec::Args(a, Ret::Dec);
    let w = |f: super::walk::Walker| Spec::Walk(f, Ret::Dec, &[]);
    match s {
        Sysno::read => d(&[Fd, BufOut, ULong]),
        Sysno::write => d(&[Fd, BufIn(2), ULong]),
        Sysno::pread64 => d(&[Fd, BufOut, ULong, Long]),
        Sysno::pwrite64 => d(&[Fd, BufIn(2), ULong, Long]),
        Sysno::open => d(&[Path, OpenFlags, OpenMode(1)]),
        Sysno::openat => d(&[DirFd, Path, OpenFlags, OpenMode(2)]),
        Sysno::openat2 => d(&[DirFd, Path, Custom(&open_how::OPEN_HOW), ULong]),
        Sysno::creat => d(&[Path, Mode]),
        Sysno::close | Sysno::fchdir | Sysno::dup | Sysno::fsync | Sysno::fdatasync => d(&[Fd]),
        Sysno::dup2 => d(&[Fd, Fd]),
        Sysno::dup3 => d(&[Fd, Fd, Flags(&O_FLAGS)]),
        Sysno::stat | Sysno::lstat => d(&[Path, StatOut]),
        Sysno::fstat => d(&[Fd, StatOut]),
        Sysno::newfstatat => d(&[DirFd, Path, StatOut, Flags(&AT)]),
        Sysno::statfs => d(&[Path, StatfsOut]),
        Sysno::fstatfs => d(&[Fd, StatfsOut]),
        Sysno::statx => d(&[
            DirFd,
            Path,
            StatxFlags,
            Flags(&statx::MASK),
            Custom(&statx::STATX_OUT),
        ]),
        Sysno::lseek => d(&[Fd, Long, Enum(&SEEK)]),
        Sysno::mmap => Spec::Args(&[Ptr, ULong, Flags(&PROT), MmapFlags, Fd, Off], Ret::Hex),
        Sysno::mprotect => d(&[Ptr, ULong, Flags(&PROT)]),
        Sysno::munmap => d(&[Ptr, ULong]),
        Sysno::brk => Spec::Args(&[Ptr], Ret::Hex),
        Sysno::mremap => Spec::Args(&[Ptr, ULong, ULong, Flags(&MREMAP), NewAddr(3)], Ret::Hex),
        Sysno::msync => d(&[Ptr, ULong, Flags(&MS)]),
        Sysno::madvise => d(&[Ptr, ULong, Enum(&MADV)]),
        Sysno::rt_sigaction => d(&[Sig, SigactionIn, SigactionOut, ULong]),
        // A signal set whose size is not the kernel's 8 bytes is shown as its address.
        Sysno::rt_sigprocmask if regs[3] != 8 => d(&[Enum(&SIG_HOW), Ptr, Ptr, ULong]),
        Sysno::rt_sigprocmask => d(&[Enum(&SIG_HOW), SigsetIn, SigsetOut, ULong]),
        Sysno::rt_sigreturn => d(&[]),
        Sysno::ioctl => d(&[Fd, IoctlReq, Ptr]),
        Sysno::readv => d(&[Fd, Custom(&iovec::IOV_OUT), ULong]),
        Sysno::writev => d(&[Fd, Custom(&iovec::IOV_IN), ULong]),
        Sysno::preadv => d(&[Fd, Custom(&iovec::IOV_OUT), ULong, Long]),
        Sysno::pwritev => d(&[Fd, Custom(&iovec::IOV_IN), ULong, Long]),
        Sysno::preadv2 => d(&[
            Fd,
            Custom(&iovec::IOV_OUT),
            ULong,
            Long,
            Hidden,
            Flags(&iovec::RWF),
        ]),
        Sysno::pwritev2 => d(&[
            Fd,
            Custom(&iovec::IOV_IN),
            ULong,
            Long,
            Hidden,
            Flags(&iovec::RWF),
        ]),
        Sysno::process_vm_readv => d(&[
            Int,
            Custom(&iovec::IOV_OUT),
            ULong,
            Custom(&iovec::IOV_ADDRS),
            ULong,
            ULong,
        ]),
        Sysno::process_vm_writev => d(&[
            Int,
            Custom(&iovec::IOV_IN),
            ULong,
            Custom(&iovec::IOV_ADDRS),
            ULong,
            ULong,
        ]),
        Sysno::process_madvise => d(&[Fd, Custom(&iovec::IOV_ADDRS), ULong, Enum(&MADV), Hex32]),
        Sysno::access => d(&[Path, Flags(&ACCESS)]),
        Sysno::faccessat => d(&[DirFd, Path, Flags(&ACCESS)]),
        Sysno::faccessat2 => d(&[DirFd, Path, Flags(&ACCESS), Flags(&AT_ACCESS)]),
        Sysno::pipe => d(&[FdPairOut]),
        Sysno::pipe2 => d(&[FdPairOut, Flags(&O_FLAGS)]),
        Sysno::getpid | Sysno::getppid | Sysno::fork | Sysno::vfork => {
            Spec::Args(&[], Ret::Pid(PidType::Tgid))
        }
        Sysno::gettid => Spec::Args(&[], Ret::Pid(PidType::Tid)),
        Sysno::getpgrp => Spec::Args(&[], Ret::Pid(PidType::Pgid)),
        Sysno::getuid
        | Sysno::geteuid
        | Sysno::getgid
        | Sysno::getegid
        | Sysno::setsid
        | Sysno::sched_yield
        | Sysno::pause
        | Sysno::restart_syscall => d(&[]),
        Sysno::exit | Sysno::exit_group => d(&[Int]),
        Sysno::wait4 => Spec::Args(
            &[
                PidTgidPgid,
                WaitStatusOut,
                Flags(&WAIT),
                Custom(&wait::WAIT4_RUSAGE),
            ],
            Ret::Pid(PidType::Tgid),
        ),
        Sysno::waitid if regs[0] as u32 == 3 => d(&[
            Enum(&wait::ID_TYPES),
            Fd,
            Custom(&wait::SIGINFO),
            Flags(&WAIT),
            Custom(&wait::RUSAGE),
        ]),
        Sysno::waitid => d(&[
            Enum(&wait::ID_TYPES),
            Int,
            Custom(&wait::SIGINFO),
            Flags(&WAIT),
            Custom(&wait::RUSAGE),
        ]),
        Sysno::kill => d(&[PidTgidPgid, Sig]),
        Sysno::tkill => d(&[Pid(PidType::Tid), Sig]),
        Sysno::tgkill => d(&[Pid(PidType::Tgid), Pid(PidType::Tid), Sig]),
        Sysno::execve => d(&[Path, Argv, Envp]),
        Sysno::execveat => d(&[DirFd, Path, Argv, Envp, Flags(&AT)]),
        Sysno::chdir | Sysno::rmdir | Sysno::unlink | Sysno::chroot => d(&[Path]),
        Sysno::mkdir | Sysno::chmod => d(&[Path, Mode]),
        Sysno::mkdirat | Sysno::fchmodat => d(&[DirFd, Path, Mode]),
        Sysno::unlinkat => d(&[DirFd, Path, Flags(&AT)]),
        Sysno::rename | Sysno::link | Sysno::symlink => d(&[Path, Path]),
        Sysno::renameat => d(&[DirFd, Path, DirFd, Path]),
        Sysno::readlink => d(&[Path, BufOut, ULong]),
        Sysno::readlinkat => d(&[DirFd, Path, BufOut, ULong]),
        Sysno::getcwd => d(&[StrOut, ULong]),
        Sysno::umask => Spec::Args(&[Mode], Ret::Octal),
        // ARCH_GET_FS/ARCH_GET_GS write the base address where the second argument points.
        Sysno::arch_prctl if matches!(regs[0] & 0xffff_ffff, 0x1003 | 0x1004) => {
            d(&[Enum(&ARCH), AddrOut])
        }
        Sysno::arch_prctl if regs[0] & 0xffff_ffff == 0x1011 => d(&[Enum(&ARCH)]),
        Sysno::arch_prctl if matches!(regs[0] & 0xffff_ffff, 0x1021 | 0x1022 | 0x1024) => {
            d(&[Enum(&ARCH), Custom(&arch_prctl::XFEATURE_MASK_OUT)])
        }
        Sysno::arch_prctl if matches!(regs[0] & 0xffff_ffff, 0x1023 | 0x1025) => Spec::Args(
            &[Enum(&ARCH), Custom(&arch_prctl::XFEATURE_IN)],
            Ret::Custom(&arch_prctl::XFEATURE_MASK_RET),
        ),
        Sysno::arch_prctl => d(&[Enum(&ARCH), Hex]),
        Sysno::set_tid_address => d(&[Ptr]),
        Sysno::set_robust_list => d(&[Ptr, ULong]),
        Sysno::rseq => d(&[Ptr, Hex, Int, Hex]),
        Sysno::prlimit64 => d(&[Pid(PidType::Tgid), Enum(&RLIMIT), RlimitIn, RlimitOut]),
        Sysno::getrlimit => d(&[Enum(&RLIMIT), RlimitOut]),
        Sysno::setrlimit => d(&[Enum(&RLIMIT), RlimitIn]),
        Sysno::getrandom => d(&[BufOutHex, ULong, Flags(&GRND)]),
        Sysno::futex => d(futex_args(regs[1])),
        Sysno::getdents => d(&[Fd, Custom(&dirents::DIRENTS), UInt]),
        Sysno::getdents64 => d(&[Fd, Custom(&dirents::DIRENTS64), UInt]),
        Sysno::uname => d(&[UtsOut]),
        Sysno::fcntl => super::fcntl::spec(regs[1] as u32),
        Sysno::_sysctl => d(&[SysctlArgs]),
        Sysno::modify_ldt => Spec::Args(&[Int, UserDesc(2), ULong], Ret::ModifyLdt),
        Sysno::sysinfo => d(&[SysinfoOut]),
        Sysno::sched_getaffinity => d(&[Pid(PidType::Tgid), ULong, CpuSetOut]),
        Sysno::nanosleep => d(&[TimespecIn, TimespecRem(NO_FLAGS)]),
        Sysno::clock_nanosleep => d(&[Enum(&CLOCK), Flags(&TIMER), TimespecIn, TimespecRem(1)]),
        Sysno::clock_gettime | Sysno::clock_getres => d(&[Enum(&CLOCK), TimespecOut]),
        Sysno::clock_settime => d(&[Enum(&CLOCK), TimespecIn]),
        Sysno::time => Spec::Args(&[TimeOut], Ret::Time),
        Sysno::sigaltstack => d(&[StackIn, StackOut]),
        Sysno::socket => d(&[Sock(S::Family), Sock(S::Type), Sock(S::Protocol)]),
        Sysno::socketpair => d(&[Sock(S::Family), Sock(S::Type), UInt, FdPairOut]),
        Sysno::getsockopt => d(&[
            Fd,
            Sock(S::Level),
            Sock(S::OptName(true)),
            Sock(S::GetOptVal),
            Sock(S::GetOptLen),
        ]),
        Sysno::setsockopt => d(&[
            Fd,
            Sock(S::Level),
            Sock(S::OptName(false)),
            Sock(S::SetOptVal),
            Int,
        ]),
        Sysno::sendto => d(&[
            Fd,
            SockBufIn(2),
            ULong,
            Sock(S::MsgFlags),
            Sock(S::AddrIn { at: 4, len: 5 }),
            Int,
        ]),
        Sysno::sendmsg => d(&[Fd, Sock(S::MsgHdrIn), Sock(S::MsgFlags)]),
        Sysno::recvmsg => d(&[Fd, Sock(S::MsgHdrOut), Sock(S::MsgFlags)]),
        Sysno::sendmmsg => d(&[Fd, Sock(S::SendMmsgVec), UInt, Sock(S::MsgFlags)]),
        Sysno::recvmmsg => Spec::Args(
            &[
                Fd,
                Sock(S::RecvMmsgVec),
                UInt,
                Sock(S::MsgFlags),
                Sock(S::EntryTimespec),
            ],
            Ret::TimeLeft,
        ),
        Sysno::recvfrom => d(&[
            Fd,
            Sock(S::RecvBuf),
            ULong,
            Sock(S::MsgFlags),
            SockAddrOut(5),
            SockLenInOut,
        ]),
        Sysno::connect | Sysno::bind => d(&[Fd, Sock(S::AddrIn { at: 1, len: 2 }), UInt]),
        Sysno::poll => Spec::Args(&[Ptr, Int, Int], Ret::Timeout),
        Sysno::clone => Spec::Clone,
        Sysno::clone3 => Spec::Walk(super::clone3::clone3, Ret::Pid(PidType::Tid), &[]),
        Sysno::quotactl => Spec::Walk(super::quotactl::quotactl, Ret::Dec, &[Hidden, Path]),
        Sysno::quotactl_fd => Spec::Walk(super::quotactl::quotactl_fd, Ret::Dec, &[Fd]),
        Sysno::mq_open => Spec::Walk(super::mq::mq_open, Ret::Fd, &[]),
        Sysno::mq_unlink => w(super::mq::mq_unlink),
        Sysno::mq_timedsend => w(super::mq::mq_timedsend),
        Sysno::mq_timedreceive => w(super::mq::mq_timedreceive),
        Sysno::mq_notify => w(super::mq::mq_notify),
        Sysno::mq_getsetattr => w(super::mq::mq_getsetattr),
        Sysno::add_key => w(super::keyctl::add_key),
        Sysno::request_key => w(super::keyctl::request_key),
        Sysno::keyctl => w(super::keyctl::keyctl),
        Sysno::io_uring_setup => Spec::Walk(super::io_uring::io_uring_setup, Ret::Fd, &[]),
        Sysno::io_uring_enter => Spec::Walk(super::io_uring::io_uring_enter, Ret::Dec, &[Fd]),
        Sysno::io_uring_register => Spec::Walk(super::io_uring::io_uring_register, Ret::Dec, &[Fd]),
        Sysno::seccomp => w(super::seccomp::seccomp),
        Sysno::perf_event_open => Spec::Walk(super::perf::perf_event_open, Ret::Fd, &[]),
        Sysno::io_setup => w(super::aio::io_setup),
        Sysno::io_destroy => w(super::aio::io_destroy),
        Sysno::io_submit => w(super::aio::io_submit),
        Sysno::io_cancel => w(super::aio::io_cancel),
        Sysno::io_getevents => w(super::aio::io_getevents),
        Sysno::io_pgetevents => w(super::aio::io_pgetevents),
        Sysno::bpf
            if matches!(
                regs[0] as u32,
                super::bpf::MAP_CREATE | super::bpf::PROG_LOAD
            ) =>
        {
            Spec::Walk(super::bpf::bpf, Ret::Fd, &[])
        }
        Sysno::bpf => w(super::bpf::bpf),
        Sysno::msgget => w(super::ipc::msgget),
        Sysno::msgsnd => w(super::ipc::msgsnd),
        Sysno::msgrcv => w(super::ipc::msgrcv),
        Sysno::msgctl => w(super::ipc::msgctl),
        Sysno::semget => w(super::ipc::semget),
        Sysno::semop => w(super::ipc::semop),
        Sysno::semtimedop => w(super::ipc::semtimedop),
        Sysno::semctl => w(super::ipc::semctl),
        Sysno::shmget => w(super::ipc::shmget),
        Sysno::shmat => Spec::Walk(super::ipc::shmat, Ret::Hex, &[]),
        Sysno::shmdt => w(super::ipc::shmdt),
        Sysno::shmctl => w(super::ipc::shmctl),
        Sysno::getxattr | Sysno::lgetxattr => d(&[Path, Str, Custom(&xattr::VALUE_OUT), ULong]),
        Sysno::fgetxattr => d(&[Fd, Str, Custom(&xattr::VALUE_OUT), ULong]),
        Sysno::setxattr | Sysno::lsetxattr => d(&[
            Path,
            Str,
            Custom(&xattr::VALUE_IN),
            ULong,
            Flags(&xattr::FLAGS),
        ]),
        Sysno::fsetxattr => d(&[
            Fd,
            Str,
            Custom(&xattr::VALUE_IN),
            ULong,
            Flags(&xattr::FLAGS),
        ]),
        Sysno::listxattr | Sysno::llistxattr => d(&[Path, Custom(&xattr::LIST_OUT), ULong]),
        Sysno::flistxattr => d(&[Fd, Custom(&xattr::LIST_OUT), ULong]),
        Sysno::removexattr | Sysno::lremovexattr => d(&[Path, Str]),
        Sysno::fremovexattr => d(&[Fd, Str]),
        Sysno::ptrace => Spec::Ptrace,
        Sysno::fadvise64 => d(&[Fd, Long, Long, Int]),
        Sysno::membarrier => d(&[Int, Int, Int]),
        Sysno::getpgid => Spec::Args(&[Pid(PidType::Tgid)], Ret::Pid(PidType::Pgid)),
        Sysno::getsid => Spec::Args(&[Pid(PidType::Tgid)], Ret::Pid(PidType::Sid)),
        Sysno::setpgid => d(&[Pid(PidType::Tgid), Pid(PidType::Pgid)]),
        Sysno::alarm => d(&[UInt]),
        Sysno::getgroups => d(&[Int, GroupsOut]),
        Sysno::prctl => prctl(regs),
        Sysno::syslog => match regs[0] as i32 {
            0 | 1 | 5 | 6 | 7 | 9 | 10 => d(&[EnumCommented(&SYSLOG_ACTION)]),
            2..=4 => d(&[EnumCommented(&SYSLOG_ACTION), BufOut, Int]),
            8 => d(&[EnumCommented(&SYSLOG_ACTION), Ptr, EnumCommented(&LOGLEVEL)]),
            _ => d(&[EnumCommented(&SYSLOG_ACTION), Ptr, Int]),
        },
        Sysno::mincore => d(&[Ptr, ULong, MincoreOut(1)]),
        Sysno::delete_module => d(&[Str, Flags(&DELETE_MODULE)]),
        Sysno::finit_module => d(&[Fd, Str, Flags(&MODULE_INIT)]),
        Sysno::init_module => d(&[Ptr, ULong, Str]),
        // The kernel takes a pending set of up to 8 bytes and a suspend mask of exactly 8.
        Sysno::rt_sigpending if (1..=8).contains(&regs[1]) => d(&[SigsetOutN(1), ULong]),
        Sysno::rt_sigpending => d(&[Ptr, ULong]),
        Sysno::rt_sigsuspend if regs[1] == 8 => d(&[SigsetIn, ULong]),
        Sysno::rt_sigsuspend => d(&[Ptr, ULong]),
        Sysno::sched_getscheduler => Spec::Args(&[Pid(PidType::Tgid)], Ret::Named(&SCHED)),
        Sysno::sched_setscheduler => d(&[Pid(PidType::Tgid), Enum(&SCHED), IntIn]),
        Sysno::sched_getparam => d(&[Pid(PidType::Tgid), IntOut]),
        Sysno::sched_setparam => d(&[Pid(PidType::Tgid), IntIn]),
        Sysno::sched_setaffinity => d(&[Pid(PidType::Tgid), UInt, CpuSetIn(1)]),
        Sysno::gettimeofday => d(&[TimevalOut, TimezoneOut]),
        Sysno::settimeofday => d(&[TimevalIn, TimezoneIn]),
        Sysno::pidfd_getfd => d(&[Fd, PidfdTargetFd, Hex32]),
        Sysno::process_mrelease | Sysno::landlock_restrict_self => d(&[Fd, Hex32]),
        // With LANDLOCK_CREATE_RULESET_VERSION it returns the ABI version, otherwise a descriptor.
        Sysno::landlock_create_ruleset => Spec::Args(
            &[
                Custom(&landlock::RULESET_ATTR),
                ULong,
                Flags(&LANDLOCK_CREATE),
            ],
            if regs[2] & 1 == 0 { Ret::Fd } else { Ret::Dec },
        ),
        Sysno::landlock_add_rule if regs[1] as u32 == 1 => d(&[
            Fd,
            Enum(&landlock::RULE_TYPES),
            Custom(&landlock::PATH_BENEATH_ATTR),
            Hex32,
        ]),
        Sysno::landlock_add_rule => d(&[Fd, Enum(&landlock::RULE_TYPES), Ptr, Hex32]),
        Sysno::mbind => d(&[
            Ptr,
            ULong,
            Custom(&mempolicy::MODE),
            Custom(&mempolicy::NODEMASK),
            ULong,
            Flags(&mempolicy::MBIND_FLAGS),
        ]),
        Sysno::set_mempolicy => d(&[
            Custom(&mempolicy::MODE32),
            Custom(&mempolicy::NODEMASK),
            ULong,
        ]),
        Sysno::get_mempolicy => d(&[
            Custom(&mempolicy::MODE_OUT),
            Custom(&mempolicy::NODEMASK),
            ULong,
            Ptr,
            Flags(&mempolicy::GET_MEMPOLICY_FLAGS),
        ]),
        Sysno::set_mempolicy_home_node => d(&[Ptr, ULong, ULong, Hex]),
        Sysno::migrate_pages => d(&[
            Int,
            ULong,
            Custom(&mempolicy::NODEMASK_SIZE_AT_1),
            Custom(&mempolicy::NODEMASK_SIZE_AT_1),
        ]),
        Sysno::move_pages => d(&[
            Int,
            ULong,
            Custom(&mempolicy::PAGES),
            Custom(&mempolicy::NODES),
            Custom(&mempolicy::STATUS),
            Flags(&mempolicy::MOVE_PAGES_FLAGS),
        ]),
        Sysno::mount => match mount::type_and_data(regs[3]) {
            (true, true) => d(&[Path, Path, Str, Custom(&mount::MOUNT_FLAGS_ARG), Str]),
            (false, true) => d(&[Path, Path, Ptr, Custom(&mount::MOUNT_FLAGS_ARG), Str]),
            _ => d(&[Path, Path, Ptr, Custom(&mount::MOUNT_FLAGS_ARG), Ptr]),
        },
        Sysno::fsopen => d(&[Str, Flags(&mount_api::FSOPEN_FLAGS)]),
        Sysno::fsmount => d(&[
            Custom(&mount_api::CONTEXT_FD),
            Flags(&mount_api::FSMOUNT_FLAGS),
            Flags(&mount_api::FSMOUNT_ATTR_FLAGS),
        ]),
        Sysno::fspick => d(&[DirFd, Path, Flags(&mount_api::FSPICK_FLAGS)]),
        Sysno::open_tree => d(&[DirFd, Path, Flags(&mount_api::OPEN_TREE_FLAGS)]),
        Sysno::move_mount => d(&[
            DirFd,
            Path,
            DirFd,
            Path,
            Flags(&mount_api::MOVE_MOUNT_FLAGS),
        ]),
        Sysno::mount_setattr => Spec::Args(
            &[
                DirFd,
                Path,
                Flags(&mount_api::MOUNT_SETATTR_FLAGS),
                Custom(&mount_api::MOUNT_ATTR_ARG),
                ULong,
            ],
            Ret::Fd,
        ),
        Sysno::fsconfig => d(match regs[1] as u32 {
            0 => &[CONTEXT_FD, FSCONFIG_CMD, FSCONFIG_STR, Ptr, Int],
            1 => &[CONTEXT_FD, FSCONFIG_CMD, FSCONFIG_STR, FSCONFIG_STR, Int],
            2 if (0..=1 << 20).contains(&(regs[4] as i32)) => {
                &[CONTEXT_FD, FSCONFIG_CMD, FSCONFIG_STR, FSCONFIG_BLOB, Int]
            }
            2 => &[CONTEXT_FD, FSCONFIG_CMD, FSCONFIG_STR, Ptr, Int],
            3 | 4 => &[CONTEXT_FD, FSCONFIG_CMD, FSCONFIG_STR, Path, DirFd],
            5 => &[CONTEXT_FD, FSCONFIG_CMD, FSCONFIG_STR, Ptr, Fd],
            _ => &[CONTEXT_FD, FSCONFIG_CMD, Ptr, Ptr, Int],
        }),
        Sysno::fanotify_init => d(&[Custom(&fanotify::INIT_CLASS_FLAGS), OpenFlags]),
        Sysno::fanotify_mark if regs[3] as i32 == -1 => d(&[
            Fd,
            Flags(&fanotify::MARK_FLAGS),
            Flags(&fanotify::EVENT_FLAGS),
            Custom(&fanotify::NOFD),
            Path,
        ]),
        Sysno::fanotify_mark => d(&[
            Fd,
            Flags(&fanotify::MARK_FLAGS),
            Flags(&fanotify::EVENT_FLAGS),
            DirFd,
            Path,
        ]),
        Sysno::memfd_create => d(&[Custom(&memfd::NAME), Custom(&memfd::MEMFD_FLAGS)]),
        Sysno::remap_file_pages => d(&[Ptr, ULong, Flags(&PROT), ULong, MmapFlags]),
        Sysno::ioprio_get => Spec::Args(&[Enum(&ioprio::WHO), Int], Ret::Custom(&ioprio::PRIO_RET)),
        Sysno::ioprio_set => d(&[Enum(&ioprio::WHO), Int, Custom(&ioprio::PRIO)]),
        Sysno::personality => Spec::Args(
            &[Custom(&personality::PERSONA)],
            Ret::Custom(&personality::PERSONA_RET),
        ),
        Sysno::getitimer => d(&[Enum(&timers::ITIMER_WHICH), Custom(&timers::ITIMERVAL_OUT)]),
        Sysno::setitimer => d(&[
            Enum(&timers::ITIMER_WHICH),
            Custom(&timers::ITIMERVAL_IN),
            Custom(&timers::ITIMERVAL_OUT),
        ]),
        Sysno::timer_create => d(&[Enum(&CLOCK), Custom(&timers::SIGEVENT), IntOut]),
        Sysno::timer_settime => d(&[
            Int,
            Flags(&TIMER),
            Custom(&timers::ITIMERSPEC_IN),
            Custom(&timers::ITIMERSPEC_OUT),
        ]),
        Sysno::timer_gettime => d(&[Int, Custom(&timers::ITIMERSPEC_OUT)]),
        Sysno::timerfd_settime => d(&[
            Fd,
            Flags(&timers::TFD_TIMER_FLAGS),
            Custom(&timers::ITIMERSPEC_IN),
            Custom(&timers::ITIMERSPEC_OUT),
        ]),
        Sysno::timerfd_gettime => d(&[Fd, Custom(&timers::ITIMERSPEC_OUT)]),
        Sysno::adjtimex => Spec::Args(&[Custom(&timers::TIMEX)], Ret::Named(&timers::TIME_STATES)),
        Sysno::clock_adjtime => Spec::Args(
            &[Enum(&CLOCK), Custom(&timers::TIMEX)],
            Ret::Named(&timers::TIME_STATES),
        ),
        Sysno::rt_sigqueueinfo => d(&[Int, Sig, Custom(&rt_sig::SIGINFO_IN)]),
        Sysno::rt_tgsigqueueinfo => d(&[Int, Int, Sig, Custom(&rt_sig::SIGINFO_IN)]),
        Sysno::rt_sigtimedwait => Spec::Args(
            &[
                Custom(&rt_sig::SIGSET_SIZED_BY_ARG3),
                Custom(&wait::SIGINFO),
                TimespecIn,
                ULong,
            ],
            Ret::Custom(&rt_sig::SIGNAL_RET),
        ),
        Sysno::select => Spec::Args(
            &[Int, FD_SET, FD_SET, FD_SET, TimevalIn],
            Ret::Custom(&select::SELECT_RET),
        ),
        Sysno::pselect6 => Spec::Args(
            &[
                Int,
                FD_SET,
                FD_SET,
                FD_SET,
                TimespecIn,
                Custom(&select::PSELECT6_SIGMASK),
            ],
            Ret::Custom(&select::PSELECT6_RET),
        ),
        Sysno::ppoll => Spec::Args(
            &[
                Custom(&select::POLLFDS),
                UInt,
                TimespecIn,
                Custom(&rt_sig::SIGSET_SIZED_BY_NEXT),
                ULong,
            ],
            Ret::Custom(&select::PPOLL_RET),
        ),
        Sysno::ioperm => d(&[Hex, Hex, Int]),
        Sysno::iopl => d(&[Int]),
        Sysno::epoll_pwait => d(&[
            Fd,
            EpollEventsOut,
            Int,
            Int,
            Custom(&rt_sig::SIGSET_SIZED_BY_NEXT),
            ULong,
        ]),
        Sysno::epoll_pwait2 => d(&[
            Fd,
            EpollEventsOut,
            Int,
            Custom(&timers::TIMESPEC_READ_AT_EXIT),
            Custom(&rt_sig::SIGSET_SIZED_BY_NEXT),
            ULong,
        ]),
        Sysno::kcmp => match regs[2] as i32 {
            0 => d(&[Int, Int, Enum(&kcmp::TYPES), Fd, Fd]),
            1..=6 => d(&[Int, Int, Enum(&kcmp::TYPES)]),
            7 => d(&[Int, Int, Enum(&kcmp::TYPES), Fd, Custom(&kcmp::EPOLL_SLOT)]),
            _ => d(&[Int, Int, Enum(&kcmp::TYPES), Hex, Hex]),
        },
        Sysno::inotify_add_watch => d(&[Fd, Path, Flags(&inotify::MASK)]),
        Sysno::inotify_rm_watch => d(&[Fd, Int]),
        Sysno::swapon => d(&[Path, Custom(&misc_args::SWAP_FLAGS_ARG)]),
        Sysno::ustat => d(&[Custom(&misc_args::DEV32), Ptr]),
        Sysno::utime => d(&[Path, Custom(&misc_args::UTIMBUF)]),
        Sysno::get_robust_list => d(&[Int, AddrOut, Custom(&misc_args::ULONG_OUT)]),
        Sysno::vmsplice => d(&[Fd, Custom(&iovec::IOV_IN), ULong, Flags(&SPLICE)]),
        Sysno::reboot if regs[2] as u32 == 0xa1b2_c3d4 => d(&[
            Enum(&misc_args::REBOOT_MAGIC1),
            Enum(&misc_args::REBOOT_MAGIC2),
            Enum(&misc_args::REBOOT_CMD),
            Custom(&misc_args::REBOOT_ARG),
        ]),
        Sysno::reboot => d(&[
            Enum(&misc_args::REBOOT_MAGIC1),
            Enum(&misc_args::REBOOT_MAGIC2),
            Enum(&misc_args::REBOOT_CMD),
        ]),
        Sysno::pidfd_send_signal => d(&[Fd, Sig, Custom(&rt_sig::SIGINFO_IN), Hex32]),
        Sysno::kexec_load => d(&[
            Ptr,
            ULong,
            Custom(&kexec::SEGMENTS),
            Custom(&kexec::LOAD_FLAGS_ARG),
        ]),
        Sysno::kexec_file_load => d(&[Fd, Fd, ULong, BufIn(2), Flags(&kexec::FILE_FLAGS)]),
        Sysno::futex_waitv => d(&[
            Custom(&futex_waitv::WAITERS),
            UInt,
            Hex32,
            TimespecIn,
            Enum(&futex_waitv::CLOCKS),
        ]),
        Sysno::sched_getattr => d(&[Int, Custom(&sched_attr::ATTR_GET), UInt, UInt]),
        Sysno::sched_setattr => d(&[Int, Custom(&sched_attr::ATTR_SET), UInt]),
        Sysno::memfd_secret => d(&[Flags(&MEMFD_SECRET)]),
        Sysno::lookup_dcookie => d(&[ULong, Ptr, ULong]),
        Sysno::accept | Sysno::getsockname | Sysno::getpeername => {
            d(&[Fd, SockAddrOut(2), SockLenInOut])
        }
        Sysno::accept4 => d(&[Fd, SockAddrOut(2), SockLenInOut, Flags(&SOCK_FLAGS)]),
        Sysno::utimensat => d(&[DirFd, Path, TimespecPair, Flags(&AT)]),
        Sysno::utimes => d(&[Path, TimevalPair]),
        Sysno::futimesat => d(&[DirFd, Path, TimevalPair]),
        Sysno::times => d(&[TmsOut]),
        Sysno::sendfile => d(&[Fd, Fd, UOffInOut, ULong]),
        Sysno::copy_file_range => d(&[Fd, OffIn, Fd, OffIn, ULong, UInt]),
        Sysno::splice => d(&[Fd, OffIn, Fd, OffIn, ULong, Flags(&SPLICE)]),
        Sysno::epoll_ctl => d(&[Fd, Enum(&EPOLL_CTL), Fd, EpollEventIn]),
        Sysno::epoll_wait => d(&[Fd, EpollEventsOut, Int, Int]),
        Sysno::sched_rr_get_interval => d(&[Pid(PidType::Tgid), TimespecOut]),
        Sysno::pkey_alloc => d(&[Hex, Flags(&PKEY)]),
        Sysno::pkey_free => d(&[Int]),
        Sysno::pkey_mprotect => d(&[Ptr, ULong, Flags(&PROT), Int]),
        Sysno::userfaultfd => d(&[Flags(&UFFD)]),
        Sysno::setgroups => d(&[Int, Custom(&misc_args::GROUPS_IN)]),
        Sysno::sethostname | Sysno::setdomainname => d(&[HostName(1), UInt]),
        Sysno::signalfd4 if regs[2] != 8 => d(&[Fd, Ptr, ULong, Flags(&SFD)]),
        Sysno::signalfd4 => d(&[Fd, SigsetIn, ULong, Flags(&SFD)]),
        Sysno::getrusage => d(&[Enum(&RUSAGE), RusageOut]),
        Sysno::setuid | Sysno::setgid | Sysno::setfsuid | Sysno::setfsgid => d(&[Uid]),
        Sysno::setreuid | Sysno::setregid => d(&[Uid, Uid]),
        Sysno::setresuid | Sysno::setresgid => d(&[Uid, Uid, Uid]),
        Sysno::getresuid | Sysno::getresgid => d(&[UIntOut, UIntOut, UIntOut]),
        Sysno::getcpu => d(&[UIntOut, UIntOut, Ptr]),
        Sysno::flock => d(&[Fd, Flags(&LOCK)]),
        Sysno::truncate => d(&[Path, Long]),
        Sysno::ftruncate => d(&[Fd, Long]),
        Sysno::chown | Sysno::lchown => d(&[Path, Uid, Uid]),
        Sysno::fchown => d(&[Fd, Uid, Uid]),
        Sysno::fchownat => d(&[DirFd, Path, Uid, Uid, Flags(&AT)]),
        Sysno::fchmod => d(&[Fd, Mode]),
        Sysno::mknod => d(&[Path, ModeType, Dev(1)]),
        Sysno::mknodat => d(&[DirFd, Path, ModeType, Dev(2)]),
        Sysno::linkat => d(&[DirFd, Path, DirFd, Path, Flags(&AT)]),
        Sysno::symlinkat => d(&[Path, DirFd, Path]),
        Sysno::renameat2 => d(&[DirFd, Path, DirFd, Path, Flags(&RENAME)]),
        Sysno::sync | Sysno::vhangup | Sysno::munlockall | Sysno::inotify_init => d(&[]),
        Sysno::syncfs => d(&[Fd]),
        Sysno::epoll_create => d(&[Int]),
        Sysno::epoll_create1 => d(&[Flags(&EPOLL_CREATE)]),
        Sysno::inotify_init1 => d(&[Flags(&IN_INIT)]),
        Sysno::eventfd => d(&[UInt]),
        Sysno::eventfd2 => d(&[UInt, Flags(&EFD)]),
        Sysno::close_range => d(&[UInt, UInt, Flags(&CLOSE_RANGE)]),
        Sysno::pidfd_open => d(&[Pid(PidType::Tgid), Flags(&PIDFD)]),
        Sysno::setns => d(&[Fd, Flags(&SETNS)]),
        Sysno::unshare => d(&[Flags(&UNSHARE)]),
        Sysno::shutdown => d(&[Fd, Enum(&SHUT)]),
        Sysno::listen => d(&[Fd, Int]),
        Sysno::getpriority => d(&[Enum(&PRIO), PrioWho]),
        Sysno::setpriority => d(&[Enum(&PRIO), PrioWho, Int]),
        Sysno::sched_get_priority_min | Sysno::sched_get_priority_max => d(&[Enum(&SCHED)]),
        Sysno::mlockall => d(&[Flags(&MCL)]),
        Sysno::mlock | Sysno::munlock => d(&[Ptr, ULong]),
        Sysno::mlock2 => d(&[Ptr, ULong, Flags(&MLOCK)]),
        Sysno::fallocate => d(&[Fd, Flags(&FALLOC), Long, Long]),
        Sysno::readahead => d(&[Fd, Long, ULong]),
        Sysno::sync_file_range => d(&[Fd, Long, Long, Flags(&SYNC_FILE_RANGE)]),
        Sysno::tee => d(&[Fd, Fd, ULong, Flags(&SPLICE)]),
        Sysno::timerfd_create => d(&[Enum(&CLOCK), Flags(&TFD)]),
        Sysno::acct | Sysno::swapoff => d(&[Path]),
        _ => d(&[Hex, Hex, Hex, Hex, Hex, Hex][..generic_nargs(s)]),
    }
}

fn futex_args(op: u64) -> &'static [Arg] {
    match op & 0x7f {
        0 => &[Ptr, FutexOp, Int, TimespecIn],
        1 | 2 => &[Ptr, FutexOp, Int],
        3 => &[Ptr, FutexOp, Int, ULong, Ptr],
        4 | 12 => &[Ptr, FutexOp, Int, ULong, Ptr, Int],
        6 | 13 => &[Ptr, FutexOp, TimespecIn],
        7 | 8 => &[Ptr, FutexOp],
        9 => &[Ptr, FutexOp, Int, TimespecIn, Hidden, Bitset],
        10 => &[Ptr, FutexOp, Int, Hidden, Hidden, Bitset],
        11 => &[Ptr, FutexOp, Int, TimespecIn, Ptr],
        _ => &[Ptr, FutexOp, Int, Hex, Ptr, Hex],
    }
}

/// `prctl`'s arguments by option.
fn prctl(regs: &[u64; 6]) -> Spec {
    let d = |a: &'static [Arg]| Spec::Args(a, Ret::Dec);
    match regs[0] & 0xffff_ffff {
        3 => Spec::Args(&[Enum(&PR)], Ret::Named(&SUID_DUMP)),
        7 | 13 | 21 | 30 | 31 | 32 | 39 | 42 => d(&[Enum(&PR)]),
        // Options that write an int where their second argument points.
        9 | 11 | 19 | 37 => d(&[Enum(&PR), IntOut]),
        46 => Spec::Args(&[Enum(&PR)], Ret::NamedFlags(&PR_FP_MODE)),
        22 => Spec::Walk(super::seccomp::prctl_set_seccomp, Ret::Dec, &[]),
        38 | 41 | 57 => d(&[Enum(&PR), ULong, Hex, Hex, Hex]),
        1 => d(&[Enum(&PR), SigLong]),
        2 => d(&[Enum(&PR), SigOut]),
        4 => d(&[Enum(&PR), Enum(&SUID_DUMP)]),
        6 => d(&[Enum(&PR), Flags(&PR_UNALIGN)]),
        5 => d(&[Enum(&PR), FlagsOut(&PR_UNALIGN)]),
        15 => d(&[Enum(&PR), Comm]),
        16 => d(&[Enum(&PR), StrOut]),
        26 => d(&[Enum(&PR), Enum(&PR_TSC)]),
        25 => d(&[Enum(&PR), EnumOut(&PR_TSC)]),
        40 => d(&[Enum(&PR), AddrOut]),
        0x5961_6d61 => d(&[Enum(&PR), Ptracer]),
        27 => Spec::Args(&[Enum(&PR)], Ret::NamedFlags(&SECBIT)),
        28 => d(&[Enum(&PR), Flags(&SECBIT)]),
        23 | 24 => d(&[Enum(&PR), Enum(&CAP)]),
        47 => match regs[1] {
            1..=3 => d(&[Enum(&PR), Enum(&PR_CAP_AMBIENT), Enum(&CAP), Hex, Hex]),
            _ => d(&[Enum(&PR), Enum(&PR_CAP_AMBIENT), Hex, Hex, Hex]),
        },
        33 => match regs[1] {
            1 => d(&[
                Enum(&PR),
                Enum(&PR_MCE_KILL),
                Enum(&PR_MCE_POLICY),
                Hex,
                Hex,
            ]),
            _ => d(&[Enum(&PR), Enum(&PR_MCE_KILL), Hex, Hex, Hex]),
        },
        34 => Spec::Args(&[Enum(&PR), Hex, Hex, Hex, Hex], Ret::Named(&PR_MCE_POLICY)),
        45 => d(&[Enum(&PR), Flags(&PR_FP_MODE)]),
        54 => d(&[Enum(&PR), Flags(&PR_PAC_KEYS), Hex, Hex, Hex]),
        55 => d(&[Enum(&PR), TaggedAddr, Hex, Hex, Hex]),
        56 => Spec::Args(&[Enum(&PR), Hex, Hex, Hex, Hex], Ret::TaggedAddr),
        62 => match regs[1] & 0xffff_ffff {
            0 => d(&[
                Enum(&PR),
                Enum(&PR_SCHED_CORE),
                SchedCorePid(3),
                EnumCommented(&PIDTYPE),
                AddrOut,
            ]),
            _ => d(&[
                Enum(&PR),
                Enum(&PR_SCHED_CORE),
                SchedCorePid(3),
                EnumCommented(&PIDTYPE),
                Ptr,
            ]),
        },
        60 => d(&[
            Enum(&PR),
            Flags(&PR_PAC_ENABLED_KEYS),
            Flags(&PR_PAC_ENABLED_KEYS),
            Hex,
            Hex,
        ]),
        61 => Spec::Args(
            &[Enum(&PR), Hex, Hex, Hex, Hex],
            Ret::NamedFlags(&PR_PAC_ENABLED_KEYS),
        ),
        50 => Spec::Args(
            &[Enum(&PR), VectorLength(&PR_SVE_VL)],
            Ret::VectorLength(&PR_SVE_VL),
        ),
        51 => Spec::Args(&[Enum(&PR)], Ret::VectorLength(&PR_SVE_VL)),
        63 => Spec::Args(
            &[Enum(&PR), VectorLength(&PR_SME_VL)],
            Ret::VectorLength(&PR_SME_VL),
        ),
        64 => Spec::Args(&[Enum(&PR)], Ret::VectorLength(&PR_SME_VL)),
        52 if regs[1] <= 2 => Spec::Args(
            &[Enum(&PR), Enum(&prctl_more::SPEC_CMDS)],
            Ret::Custom(&prctl_more::SPEC_GET_RET),
        ),
        52 => d(&[Enum(&PR), Enum(&prctl_more::SPEC_CMDS)]),
        53 if regs[1] <= 2 => d(&[
            Enum(&PR),
            Enum(&prctl_more::SPEC_CMDS),
            Enum(&prctl_more::SPEC_SET),
        ]),
        53 => d(&[Enum(&PR), Enum(&prctl_more::SPEC_CMDS), Hex]),
        59 if regs[1] == 1 => d(&[Enum(&PR), Enum(&prctl_more::SYS_DISPATCH), Hex, Hex, Ptr]),
        59 => d(&[Enum(&PR), Enum(&prctl_more::SYS_DISPATCH), Hex, Hex, Hex]),
        0x5356_4d41 if regs[1] == 0 => d(&[Enum(&PR), Enum(&prctl_more::SET_VMA), Ptr, ULong, Str]),
        0x5356_4d41 => d(&[Enum(&PR), Enum(&prctl_more::SET_VMA), Ptr, Hex, Ptr]),
        _ => d(&[Enum(&PR), Hex, Hex, Hex, Hex]),
    }
}

const FD_SET: Arg = Custom(&select::FD_SET);
const CONTEXT_FD: Arg = Custom(&mount_api::CONTEXT_FD);
const FSCONFIG_CMD: Arg = Enum(&mount_api::FSCONFIG_CMDS);
const FSCONFIG_STR: Arg = Custom(&mount_api::FSCONFIG_STR);
const FSCONFIG_BLOB: Arg = Custom(&mount_api::FSCONFIG_BLOB);

/// `TimespecRem`'s index for a sleep without flags.
const NO_FLAGS: u8 = u8::MAX;

/// Whether a sleep that ended with `ret` was interrupted with time left (which the kernel then wrote).
fn interrupted(ret: Option<i64>) -> bool {
    matches!(ret, Some(r) if matches!(-r, 4 | 512 | 513 | 514 | 516))
}

/// Number of arguments for syscalls without a description (a rough default; raw hex is printed).
fn generic_nargs(s: Sysno) -> usize {
    match s {
        Sysno::setuid | Sysno::setgid | Sysno::epoll_create1 | Sysno::eventfd => 1,
        Sysno::shutdown | Sysno::listen | Sysno::eventfd2 | Sysno::timerfd_create => 2,
        _ => 6,
    }
}

impl Arg {
    /// Whether this argument is an output printed after the call.
    pub fn is_output(self) -> bool {
        matches!(
            self,
            BufOut
                | BufOutHex
                | StrOut
                | StatOut
                | PtrOut
                | FdPairOut
                | WaitStatusOut
                | DirentsOut
                | UtsOut
                | SigsetOut
                | SigactionOut
                | RlimitOut
                | CpuSetOut
                | StackOut
                | UIntOut
                | TimespecOut
                | OffInOut
                | UOffInOut
                | EpollEventsOut
                | GroupsOut
                | SysinfoOut
                | StatfsOut
                | AddrOut
                | SigOut
                | MincoreOut(_)
                | SigsetOutN(_)
                | IntOut
                | TimevalOut
                | TimezoneOut
                | EnumOut(_)
                | FlagsOut(_)
                | SockAddrOut(_)
                | SockLenInOut
                | TmsOut
                | RusageOut
                | TimespecRem(_)
                | TimeOut
                | FlockOut
                | OwnerExOut
        ) || matches!(self, Sock(s) if s.is_output())
            || matches!(self, Custom(c) if c.phase != custom::Phase::Entry)
    }

    /// Whether this argument is read at entry and written at exit (printed in two halves).
    pub fn is_in_out(self) -> bool {
        matches!(self, OffInOut | UOffInOut)
            || matches!(self, Custom(c) if c.phase == custom::Phase::InOut)
    }

    /// Whether this argument is omitted (an `open` mode without `O_CREAT`).
    pub fn skipped(self, args: &[u64; 6]) -> bool {
        match self {
            OpenMode(i) => args[i as usize] & (flags::O_CREAT | flags::O_TMPFILE_BIT) == 0,
            Hidden => true,
            Dev(mode) => !matches!(args[mode as usize] & 0o170000, 0o020000 | 0o060000),
            NewAddr(f) => args[f as usize] & 2 == 0,
            _ => false,
        }
    }

    /// Adds the memory this argument needs to `out`. `ret` is `Some` at exit.
    pub fn plan(
        self,
        i: usize,
        args: &[u64; 6],
        ret: Option<i64>,
        opts: &Opts,
        out: &mut Vec<FetchReq>,
    ) {
        let addr = args[i];
        if let Custom(c) = self {
            let ctx = custom::Ctx { i, args, ret, opts };
            (c.plan)(&ctx, out);
            return;
        }
        if opts.decode_fds > 0 && matches!(self, Fd | DirFd) {
            if (addr as i32) >= 0 || (self == DirFd && addr as i32 == -100) {
                out.push(FetchReq {
                    slot: i as u8,
                    addr: addr as i32 as u64,
                    kind: FetchKind::FdPath {
                        kinds: opts.decode_fds,
                    },
                });
            }
            return;
        }
        if self == PidfdTargetFd {
            if opts.decode_fds > 0 && (addr as i32) >= 0 {
                out.push(FetchReq {
                    slot: i as u8,
                    addr: addr as i32 as u64,
                    kind: FetchKind::PidfdTargetPath {
                        pidfd: args[0] as i32,
                        kinds: opts.decode_fds,
                    },
                });
            }
            return;
        }
        if let Sock(s) = self {
            return super::socket::plan(s, i, args, ret, opts, out);
        }
        if addr == 0 {
            return;
        }
        let failed = matches!(ret, Some(r) if r < 0);
        let kind = match self {
            // PATH_MAX bytes with the NUL.
            Path => FetchKind::CStr { max: 4095 },
            Str => FetchKind::CStr { max: opts.strsize },
            // `TASK_COMM_LEN` - 1 bytes at most are read.
            Comm => FetchKind::CStrUpto { len: 15 },
            BufIn(len) => FetchKind::Bytes {
                len: (args[len as usize] as usize).min(opts.strsize),
            },
            SockBufIn(len) => FetchKind::SockBuf {
                fd: args[0] as i32,
                len: args[len as usize],
                strsize: opts.strsize,
                fd_kinds: opts.decode_fds,
            },
            BufOut | BufOutHex if !failed => FetchKind::Bytes {
                len: (ret.unwrap_or(0) as usize).min(opts.strsize),
            },
            StrOut if !failed => FetchKind::CStr {
                max: opts.strsize.max(4096),
            },
            // `-v` shows every item, otherwise at most `-s` of them.
            Argv | Envp if self == Argv || opts.verbose => FetchKind::StrArray {
                max_items: if opts.verbose { 1 << 16 } else { opts.strsize },
                max: opts.strsize,
            },
            Envp => FetchKind::PtrCount,
            StatOut if !failed => FetchKind::Bytes {
                len: structs::STAT_SIZE,
            },
            FdPairOut if !failed => FetchKind::Bytes { len: 8 },
            WaitStatusOut if !failed && ret != Some(0) => FetchKind::Bytes { len: 4 },
            DirentsOut if !failed => FetchKind::Bytes {
                len: ret.unwrap_or(0) as usize,
            },
            UtsOut if !failed => FetchKind::Bytes { len: 65 * 6 },
            TimespecIn => FetchKind::Bytes { len: 16 },
            SigsetIn => FetchKind::Bytes { len: 8 },
            SigsetOut if !failed => FetchKind::Bytes { len: 8 },
            SigactionIn => FetchKind::Bytes { len: 32 },
            SigactionOut if !failed => FetchKind::Bytes { len: 32 },
            RlimitIn => FetchKind::Bytes { len: 16 },
            StackIn => FetchKind::Bytes { len: 24 },
            StackOut if !failed => FetchKind::Bytes { len: 24 },
            RlimitOut if !failed => FetchKind::Bytes { len: 16 },
            UIntOut if !failed => FetchKind::Bytes { len: 4 },
            GroupsOut if !failed && ret.unwrap_or(0) > 0 && args[0] != 0 => FetchKind::Bytes {
                len: 4 * (ret.unwrap_or(0) as usize).min(65536),
            },
            GroupsIn(n) if (1..=65536).contains(&(args[n as usize] as i32)) => FetchKind::Bytes {
                len: 4 * args[n as usize] as u32 as usize,
            },
            HostName(n) if args[n as usize] as u32 <= 64 => FetchKind::Bytes {
                len: (args[n as usize] as u32 as usize).min(opts.strsize),
            },
            SysinfoOut if !failed => FetchKind::Bytes { len: 112 },
            StatfsOut if !failed => FetchKind::Bytes { len: 120 },
            TimespecPair | TimevalPair => FetchKind::Bytes { len: 32 },
            TmsOut if !failed => FetchKind::Bytes { len: 32 },
            AddrOut if !failed => FetchKind::Bytes { len: 8 },
            SigOut | EnumOut(_) | FlagsOut(_) | IntOut if !failed => FetchKind::Bytes { len: 4 },
            IntIn => FetchKind::Bytes { len: 4 },
            // One byte per page; strace shows at most as many as `-s` allows.
            MincoreOut(n) if !failed => FetchKind::Bytes {
                len: (args[n as usize].div_ceil(4096) as usize).min(opts.strsize),
            },
            SigsetOutN(n) if !failed => FetchKind::Bytes {
                len: args[n as usize] as usize,
            },
            CpuSetIn(n) if (1..=1024).contains(&(args[n as usize] as u32)) => FetchKind::Bytes {
                len: args[n as usize] as u32 as usize,
            },
            TimevalIn => FetchKind::Bytes { len: 16 },
            TimevalOut if !failed => FetchKind::Bytes { len: 16 },
            TimezoneIn => FetchKind::Bytes { len: 8 },
            TimezoneOut if !failed => FetchKind::Bytes { len: 8 },
            SockAddrOut(_) if !failed => FetchKind::Upto { len: 128 },
            SockLenInOut if ret.is_some() && !failed => FetchKind::Bytes { len: 4 },
            OffInOut | UOffInOut if ret.is_none() || ret.unwrap_or(0) > 0 => {
                FetchKind::Bytes { len: 8 }
            }
            OffIn => FetchKind::Bytes { len: 8 },
            EpollEventIn if args[1] & 0xffff_ffff != 2 => FetchKind::Bytes { len: 12 },
            EpollEventsOut if !failed && ret.unwrap_or(0) > 0 => FetchKind::Bytes {
                len: 12 * (ret.unwrap_or(0) as usize).min(1024),
            },
            RusageOut if !failed => FetchKind::Bytes { len: 144 },
            TimespecOut | TimeOut if !failed => FetchKind::Bytes {
                len: if self == TimeOut { 8 } else { 16 },
            },
            TimespecRem(f) if interrupted(ret) && (f == NO_FLAGS || args[f as usize] & 1 == 0) => {
                FetchKind::Bytes { len: 16 }
            }
            CpuSetOut if !failed => FetchKind::Bytes {
                len: (ret.unwrap_or(0) as usize).min(128),
            },
            FlockIn | FlockOut => FetchKind::Bytes {
                len: super::fcntl::FLOCK_SIZE,
            },
            OwnerExIn | OwnerExOut => FetchKind::Bytes {
                len: super::fcntl::OWNER_EX_SIZE,
            },
            SysctlArgs => FetchKind::Bytes {
                len: super::sysctl::SYSCTL_ARGS_SIZE,
            },
            UserDesc(n) if super::ldt::reads_user_desc(args[n as usize]) => FetchKind::Bytes {
                len: super::ldt::USER_DESC_SIZE,
            },
            _ => return,
        };
        out.push(FetchReq {
            slot: i as u8,
            addr,
            kind,
        });
    }

    /// Appends this argument's text.
    pub fn render(
        self,
        i: usize,
        args: &[u64; 6],
        ret: Option<i64>,
        mem: &Mem,
        opts: &Opts,
        out: &mut String,
    ) {
        let v = args[i];
        let failed = matches!(ret, Some(r) if r < 0);
        let fetched = mem.get(i);
        match self {
            Fd | PidfdTargetFd => super::fd_into(out, v as i32, fetched),
            Sock(s) => {
                let none = Mem::default();
                super::socket::render(s, i, args, ret, &none, mem, opts, out)
            }
            Custom(c) => {
                let ctx = custom::Ctx { i, args, ret, opts };
                let fetches = custom::Fetches {
                    now: mem,
                    entry: mem,
                };
                (c.render)(&ctx, &fetches, out)
            }
            Int => {
                let _ = write!(out, "{}", v as i32);
            }
            DirFd => {
                if v as i32 == -100 {
                    xlat::composed_signed(out, -100, "AT_FDCWD");
                    super::fd_suffix_into(out, fetched);
                } else {
                    super::fd_into(out, v as i32, fetched);
                }
            }
            Long => {
                let _ = write!(out, "{}", v as i64);
            }
            ULong => {
                let _ = write!(out, "{v}");
            }
            Hex => {
                let _ = write!(out, "{}", structs::CHex(v));
            }
            Ptr | NewAddr(_) => ptr(out, v),
            // The kernel reads modes as `umode_t`, 16 bits.
            Mode | OpenMode(_) => structs::octal_into(out, v & 0xffff),
            Comm => match fetched {
                // A name that fills all 15 bytes is shown as cut, whether or not its NUL follows.
                Some(Fetched::Str { bytes, complete }) => {
                    let complete = *complete && bytes.len() < 15;
                    quote_cstr(
                        out,
                        &bytes[..bytes.len().min(15)],
                        complete,
                        None,
                        opts.xflag,
                    )
                }
                _ => ptr(out, v),
            },
            Path | Str | Argv | Envp => match (self, fetched) {
                (_, None) => ptr(out, v),
                (Envp, Some(Fetched::Count(n) | Fetched::UnterminatedCount(n))) => {
                    let unterminated = matches!(fetched, Some(Fetched::UnterminatedCount(_)));
                    let _ = write!(
                        out,
                        "{v:#x} /* {n} var{}{} */",
                        if *n == 1 { "" } else { "s" },
                        if unterminated { ", unterminated" } else { "" }
                    );
                }
                (
                    Argv | Envp,
                    Some(Fetched::StrArray {
                        items,
                        truncated,
                        unreadable,
                        ends_at,
                    }),
                ) => {
                    out.push('[');
                    for (k, (b, complete)) in items.iter().enumerate() {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        match unreadable.iter().find(|(at, _)| *at == k) {
                            Some(&(_, p)) => ptr(out, p),
                            None => quote_cstr(out, b, *complete, Some(opts.strsize), opts.xflag),
                        }
                    }
                    if *truncated {
                        out.push_str(", ...");
                    }
                    if let Some(at) = ends_at {
                        let _ = write!(out, ", ... /* {at:#x} */");
                    }
                    out.push(']');
                }
                (_, Some(Fetched::Str { bytes, complete })) => {
                    let max = if self == Path {
                        None
                    } else {
                        Some(opts.strsize)
                    };
                    quote_cstr(out, bytes, *complete, max, opts.xflag);
                }
                _ => ptr(out, v),
            },
            BufIn(len) | SockBufIn(len) => match fetched {
                Some(Fetched::Bytes(b)) => {
                    quote_buffer(out, b, args[len as usize], opts.strsize, false, opts.xflag)
                }
                Some(Fetched::Netlink {
                    protocol,
                    bytes,
                    fds,
                }) => {
                    let ctx = super::netlink::Ctx::new(v, bytes, *protocol, fds, opts);
                    super::netlink::decode(&ctx, out, v, args[len as usize]);
                }
                _ => ptr(out, v),
            },
            BufOut | BufOutHex => match fetched {
                Some(Fetched::Bytes(b)) if !failed => quote_buffer(
                    out,
                    b,
                    ret.unwrap_or(0) as u64,
                    opts.strsize,
                    self == BufOutHex,
                    opts.xflag,
                ),
                _ => ptr(out, v),
            },
            StrOut => match fetched {
                Some(Fetched::Str { bytes, complete }) if !failed => quote_cstr(
                    out,
                    bytes,
                    *complete,
                    Some(opts.strsize.max(4096)),
                    opts.xflag,
                ),
                _ => ptr(out, v),
            },
            OpenFlags => flags::open_flags_into(out, v),
            FdFlags => flags_into(out, v & 0xffff_ffff, flags::OPEN_FLAGS, "0"),
            MmapFlags => flags::mmap_flags_into(out, v),
            Off => {
                if v == 0 {
                    out.push('0');
                } else {
                    let _ = write!(out, "{v:#x}");
                }
            }
            StatxFlags => flags::statx_flags_into(out, v),
            StatxMask => flags_into(out, v & 0xffff_ffff, flags::STATX_MASK, "0"),
            Sig => {
                let sig = v as i32;
                // Numbers that name no signal are printed as numbers in every style.
                if (1..=64).contains(&sig) {
                    xlat::composed_signed(out, sig as i64, &flags::signal_name(sig));
                } else {
                    let _ = write!(out, "{sig}");
                }
            }
            StatOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed && b.len() >= structs::STAT_SIZE => {
                    structs::stat_into(out, b, opts.verbose)
                }
                _ => ptr(out, v),
            },
            PtrOut => ptr(out, v),
            FdPairOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed && b.len() == 8 => {
                    let a = i32::from_ne_bytes(b[0..4].try_into().unwrap_or_default());
                    let c = i32::from_ne_bytes(b[4..8].try_into().unwrap_or_default());
                    let _ = write!(out, "[{a}, {c}]");
                }
                _ => ptr(out, v),
            },
            WaitStatusOut => match fetched {
                Some(Fetched::Bytes(b)) if b.len() == 4 => structs::wait_status_into(
                    out,
                    i32::from_ne_bytes(b[..4].try_into().unwrap_or_default()),
                ),
                _ => ptr(out, v),
            },
            DirentsOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed => {
                    let n = structs::count_dirents(b);
                    let _ = write!(out, "{v:#x} /* {n} entries */");
                }
                _ => ptr(out, v),
            },
            UtsOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed && b.len() >= 130 => {
                    structs::utsname_into(out, b)
                }
                _ => ptr(out, v),
            },
            Hidden => {}
            UInt => {
                let _ = write!(out, "{}", v as u32);
            }
            Hex32 => {
                let _ = write!(out, "{}", structs::CHex(v & 0xffff_ffff));
            }
            GroupsOut | GroupsIn(_) => match fetched {
                Some(Fetched::Bytes(b)) if !failed || !self.is_output() => {
                    out.push('[');
                    for (k, g) in b.chunks_exact(4).enumerate() {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        match u32::from_ne_bytes([g[0], g[1], g[2], g[3]]) {
                            u32::MAX => out.push_str("-1"),
                            id => {
                                let _ = write!(out, "{id}");
                            }
                        }
                    }
                    out.push(']');
                }
                // No groups: a successful getgroups that returned none, or a setgroups of none.
                None if v != 0
                    && (ret == Some(0)
                        || matches!(self, GroupsIn(n) if args[n as usize] as u32 == 0)) =>
                {
                    out.push_str("[]")
                }
                _ => ptr(out, v),
            },
            HostName(n) => match fetched {
                Some(Fetched::Bytes(b)) => super::strings::quote_buffer(
                    out,
                    b,
                    args[n as usize] as u32 as u64,
                    opts.strsize,
                    false,
                    opts.xflag,
                ),
                _ => ptr(out, v),
            },
            TimespecPair | TimevalPair => match fetched {
                Some(Fetched::Bytes(b)) => structs::time_pair_into(out, b, self == TimevalPair),
                _ => ptr(out, v),
            },
            // Printed by `render_exit`, which has the lengths from before and after the call.
            SockAddrOut(_) | SockLenInOut => ptr(out, v),
            MincoreOut(n) => match fetched {
                Some(Fetched::Bytes(b)) if !failed => {
                    out.push('[');
                    for (k, page) in b.iter().enumerate() {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        let _ = write!(out, "{}", page & 1);
                    }
                    if (b.len() as u64) < args[n as usize].div_ceil(4096) {
                        out.push_str(", ...");
                    }
                    out.push(']');
                }
                _ => ptr(out, v),
            },
            SigsetOutN(_) => match fetched {
                Some(Fetched::Bytes(b)) if !failed => {
                    let mut word = [0u8; 8];
                    word[..b.len().min(8)].copy_from_slice(&b[..b.len().min(8)]);
                    flags::sigset_into(out, u64::from_ne_bytes(word));
                }
                _ => ptr(out, v),
            },
            IntIn | IntOut => match fetched {
                Some(Fetched::Bytes(b)) if b.len() == 4 && (!failed || self == IntIn) => {
                    let _ = write!(out, "[{}]", i32::from_ne_bytes([b[0], b[1], b[2], b[3]]));
                }
                _ => ptr(out, v),
            },
            CpuSetIn(n) => match fetched {
                Some(Fetched::Bytes(b)) => structs::struct_into(CpuSetOut, b, out),
                None if v != 0 && args[n as usize] as u32 == 0 => out.push_str("[]"),
                _ => ptr(out, v),
            },
            TimevalIn | TimevalOut => match fetched {
                Some(Fetched::Bytes(b)) if b.len() == 16 && (!failed || self == TimevalIn) => {
                    let _ = write!(
                        out,
                        "{{tv_sec={}, tv_usec={}}}",
                        structs::i64_at(b, 0),
                        structs::i64_at(b, 8) as u64
                    );
                }
                _ => ptr(out, v),
            },
            TimezoneIn | TimezoneOut => match fetched {
                Some(Fetched::Bytes(b)) if b.len() == 8 && (!failed || self == TimezoneIn) => {
                    let _ = write!(
                        out,
                        "{{tz_minuteswest={}, tz_dsttime={}}}",
                        i32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
                        i32::from_ne_bytes([b[4], b[5], b[6], b[7]])
                    );
                }
                _ => ptr(out, v),
            },
            VectorLength(x) => {
                let (flag_bits, len) = (v & !0xffff, v & 0xffff);
                if flag_bits == 0 {
                    let _ = write!(out, "{}", structs::CHex(len));
                } else {
                    let names = xlat::names_for_return(flag_bits, x)
                        .unwrap_or_else(|| format!("{flag_bits:#x}"));
                    xlat::composed(out, v, &format!("{names}|{}", structs::CHex(len)));
                }
            }
            TaggedAddr => xlat::composed(out, v, &structs::tagged_addr_text(v)),
            Ptracer => {
                let pid = v as u32 as i32;
                if pid == -1 {
                    xlat::composed_signed(out, -1, "PR_SET_PTRACER_ANY");
                } else {
                    super::pid::pid_into(out, pid, PidType::Tgid);
                }
            }
            Pid(kind) => super::pid::pid_into(out, v as i32, kind),
            PidTgidPgid => super::pid::pid_tgid_pgid_into(out, v as i32),
            PrioWho => match args[0] as u32 {
                0 => super::pid::pid_into(out, v as i32, PidType::Tgid),
                1 => super::pid::pid_into(out, v as i32, PidType::Pgid),
                _ => {
                    let _ = write!(out, "{}", v as i32);
                }
            },
            SchedCorePid(t) => {
                let kind = match args[t as usize] as u32 {
                    0 => Some(PidType::Tid),
                    1 => Some(PidType::Tgid),
                    2 => Some(PidType::Pgid),
                    3 => Some(PidType::Sid),
                    _ => None,
                };
                match kind {
                    Some(k) => super::pid::pid_into(out, v as i32, k),
                    None => {
                        let _ = write!(out, "{}", v as i32);
                    }
                }
            }
            SigLong => match v {
                1..=64 => out.push_str(&flags::signal_name(v as i32)),
                _ => {
                    let _ = write!(out, "{v}");
                }
            },
            SigOut | EnumOut(_) | FlagsOut(_) => match fetched {
                Some(Fetched::Bytes(b)) if !failed && b.len() == 4 => {
                    let n = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as u64;
                    out.push('[');
                    match self {
                        EnumOut(x) => xlat::value(out, n, x),
                        FlagsOut(x) => xlat::flags(out, n, x),
                        _ => out.push_str(&flags::signal_name(n as i32)),
                    }
                    out.push(']');
                }
                _ => ptr(out, v),
            },
            AddrOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed => {
                    out.push('[');
                    ptr(out, structs::i64_at(b, 0) as u64);
                    out.push(']');
                }
                _ => ptr(out, v),
            },
            TmsOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed => structs::tms_into(out, b),
                _ => ptr(out, v),
            },
            StatfsOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed => structs::statfs_into(out, b),
                _ => ptr(out, v),
            },
            SysinfoOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed => structs::struct_into(self, b, out),
                _ => ptr(out, v),
            },
            RusageOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed && b.len() >= 144 => {
                    structs::rusage_into(out, b, opts.verbose)
                }
                _ => ptr(out, v),
            },
            OffInOut | UOffInOut => {
                let num = |b: &[u8]| {
                    let n = structs::i64_at(b, 0);
                    if self == UOffInOut {
                        (n as u64).to_string()
                    } else {
                        n.to_string()
                    }
                };
                match (ret, fetched) {
                    (None, Some(Fetched::Bytes(b))) => {
                        let _ = write!(out, "[{}]", num(b));
                    }
                    (None, _) => ptr(out, v),
                    // Only a call that moved data updated the offset.
                    (Some(r), Some(Fetched::Bytes(b))) if r > 0 => {
                        let _ = write!(out, " => [{}]", num(b));
                    }
                    (Some(_), _) => {}
                }
            }
            OffIn => match fetched {
                Some(Fetched::Bytes(b)) => {
                    let _ = write!(out, "[{}]", structs::i64_at(b, 0));
                }
                _ => ptr(out, v),
            },
            EpollEventIn => match fetched {
                Some(Fetched::Bytes(b)) => structs::epoll_event_into(out, b),
                _ => ptr(out, v),
            },
            EpollEventsOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed => {
                    out.push('[');
                    for (k, e) in b.chunks_exact(12).enumerate() {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        structs::epoll_event_into(out, e);
                    }
                    out.push(']');
                }
                None if !failed && v != 0 && ret == Some(0) => out.push_str("[]"),
                _ => ptr(out, v),
            },
            TimespecRem(_) => match fetched {
                Some(Fetched::Bytes(b)) if b.len() == 16 => structs::struct_into(self, b, out),
                _ => ptr(out, v),
            },
            Uid => {
                if v as u32 == u32::MAX {
                    out.push_str("-1");
                } else {
                    let _ = write!(out, "{}", v as u32);
                }
            }
            UIntOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed && b.len() == 4 => {
                    let n = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
                    let _ = write!(out, "[{n}]");
                }
                _ => ptr(out, v),
            },
            Flags(x) => xlat::flags(out, v, x),
            Enum(x) => xlat::value(out, v, x),
            EnumCommented(x) => xlat::value_commented(out, v, x),
            ModeType => structs::mode_into(out, v as u16 as u32),
            Dev(_) => {
                // `mknod` takes a 32-bit `unsigned int` device number.
                structs::makedev_into(out, v & 0xffff_ffff);
            }
            TimespecIn | SigsetIn | SigsetOut | SigactionIn | SigactionOut | RlimitIn
            | RlimitOut | CpuSetOut | StackIn | StackOut | TimespecOut | TimeOut => match fetched {
                Some(Fetched::Bytes(b)) if !failed || !self.is_output() => {
                    structs::struct_into(self, b, out)
                }
                _ => ptr(out, v),
            },
            IoctlReq => super::ioctl::request::request_into(out, v as u32),
            FutexOp => {
                const OPS: [&str; 14] = [
                    "FUTEX_WAIT",
                    "FUTEX_WAKE",
                    "FUTEX_FD",
                    "FUTEX_REQUEUE",
                    "FUTEX_CMP_REQUEUE",
                    "FUTEX_WAKE_OP",
                    "FUTEX_LOCK_PI",
                    "FUTEX_UNLOCK_PI",
                    "FUTEX_TRYLOCK_PI",
                    "FUTEX_WAIT_BITSET",
                    "FUTEX_WAKE_BITSET",
                    "FUTEX_WAIT_REQUEUE_PI",
                    "FUTEX_CMP_REQUEUE_PI",
                    "FUTEX_LOCK_PI2",
                ];
                match OPS.get((v & 0x7f) as usize) {
                    Some(n) => {
                        out.push_str(n);
                        if v & 128 != 0 {
                            out.push_str("_PRIVATE");
                        }
                        if v & 256 != 0 {
                            out.push_str("|FUTEX_CLOCK_REALTIME");
                        }
                    }
                    None => {
                        let _ = write!(out, "{v:#x}");
                    }
                }
            }
            Bitset => {
                if v & 0xffff_ffff == 0xffff_ffff {
                    out.push_str("FUTEX_BITSET_MATCH_ANY");
                } else {
                    let _ = write!(out, "{v:#x}");
                }
            }
            FcntlCmd => super::fcntl::cmd_into(out, v),
            FlockIn | FlockOut => match fetched {
                Some(Fetched::Bytes(b)) if b.len() == super::fcntl::FLOCK_SIZE => {
                    super::fcntl::flock_into(out, b, self == FlockOut)
                }
                _ => ptr(out, v),
            },
            SysctlArgs => match fetched {
                Some(Fetched::Bytes(b)) if b.len() == super::sysctl::SYSCTL_ARGS_SIZE => {
                    super::sysctl::args_into(out, b)
                }
                _ => ptr(out, v),
            },
            UserDesc(n) => match fetched {
                Some(Fetched::Bytes(b))
                    if super::ldt::reads_user_desc(args[n as usize])
                        && b.len() == super::ldt::USER_DESC_SIZE =>
                {
                    super::ldt::user_desc_into(out, b)
                }
                _ => ptr(out, v),
            },
            OwnerExIn | OwnerExOut => match fetched {
                Some(Fetched::Bytes(b)) if b.len() == super::fcntl::OWNER_EX_SIZE => {
                    super::fcntl::owner_ex_into(out, b)
                }
                _ => ptr(out, v),
            },
        }
    }
}

fn ptr(out: &mut String, v: u64) {
    if v == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{v:#x}");
    }
}

/// Memory plan for the syscalls with their own renderer (`None` for the table-driven ones).
pub fn plan_custom(
    spec: &Spec,
    args: &[u64; 6],
    ret: Option<i64>,
    opts: &Opts,
) -> Option<Vec<FetchReq>> {
    match spec {
        Spec::Args(..) => None,
        Spec::Walk(w, ..) => Some(super::walk::plan(*w, args, ret, opts)),
        Spec::Clone => Some(Vec::new()),
        Spec::Ptrace => Some(super::ptrace_req::plan(args, ret)),
    }
}

/// Renders the syscalls with their own renderer; returns false for the table-driven ones.
pub fn render_custom(
    spec: &Spec,
    args: &[u64; 6],
    ret: Option<i64>,
    mem: &Mem,
    entry: Option<&Mem>,
    opts: &Opts,
    out: &mut String,
) -> bool {
    match (spec, ret) {
        (Spec::Args(..), _) => false,
        (Spec::Walk(w, ..), _) => {
            super::walk::render(*w, args, ret, mem, entry, opts, out);
            true
        }
        (Spec::Ptrace, None) => {
            super::ptrace_req::render_entry(args, mem, out);
            true
        }
        (Spec::Ptrace, Some(r)) => {
            super::ptrace_req::render_exit(args, r, mem, out);
            true
        }
        (Spec::Clone, None) => {
            render_clone_entry(args, out);
            true
        }
        (Spec::Clone, Some(_)) => {
            render_clone_exit(args, out);
            true
        }
    }
}

/// `clone(child_stack=..., flags=...` at entry (x86_64 order: flags, stack, parent_tid, child_tid, tls).
pub fn render_clone_entry(args: &[u64; 6], out: &mut String) {
    out.push_str("child_stack=");
    ptr(out, args[1]);
    out.push_str(", flags=");
    flags::clone_flags_into(out, args[0]);
}

/// The keyword arguments strace prints after `clone` returns.
pub fn render_clone_exit(args: &[u64; 6], out: &mut String) {
    let f = args[0];
    if f & 0x100000 != 0 {
        out.push_str(", parent_tid=");
        ptr(out, args[2]);
    }
    if f & (0x1000000 | 0x200000) != 0 {
        out.push_str(", child_tidptr=");
        ptr(out, args[3]);
    }
    if f & 0x80000 != 0 {
        out.push_str(", tls=");
        ptr(out, args[4]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        let mut s = String::new();
        Mode.render(
            0,
            &[0o644, 0, 0, 0, 0, 0],
            None,
            &Mem::default(),
            &Opts::default(),
            &mut s,
        );
        assert_eq!(s, "0644");
        let mut s = String::from("x, ");
        Mode.render(
            0,
            &[0, 0, 0, 0, 0, 0],
            None,
            &Mem::default(),
            &Opts::default(),
            &mut s,
        );
        assert_eq!(s, "x, 000");
        let mut s = String::new();
        Mode.render(
            0,
            &[0o4755, 0, 0, 0, 0, 0],
            None,
            &Mem::default(),
            &Opts::default(),
            &mut s,
        );
        assert_eq!(s, "04755");
    }

    #[test]
    fn clone_text() {
        let args = [0x1200011, 0, 0, 0x7f00, 0, 0];
        let mut s = String::new();
        render_clone_entry(&args, &mut s);
        render_clone_exit(&args, &mut s);
        assert_eq!(s, "child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00");
    }
}
