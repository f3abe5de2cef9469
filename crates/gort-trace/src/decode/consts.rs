//! The named-constant and flag tables of the syscalls decoded through [`super::xlat`], grouped by the
//! syscall family that uses them. Values are the kernel's x86_64 ABI; names and their order are the
//! ones strace prints.

use super::xlat::Xlat;

// --- files -------------------------------------------------------------------------------------

/// `*at` flags.
pub const AT: Xlat = Xlat::hex(
    &[
        (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x200, "AT_REMOVEDIR"),
        (0x400, "AT_SYMLINK_FOLLOW"),
        (0x800, "AT_NO_AUTOMOUNT"),
        (0x1000, "AT_EMPTY_PATH"),
        (0x8000, "AT_RECURSIVE"),
    ],
    "AT_???",
);

/// `access` modes.
pub const ACCESS: Xlat = Xlat::hex(
    &[(0, "F_OK"), (4, "R_OK"), (2, "W_OK"), (1, "X_OK")],
    "?_OK",
);

/// `faccessat2` flags.
pub const AT_ACCESS: Xlat = Xlat::hex(
    &[
        (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x200, "AT_EACCESS"),
        (0x1000, "AT_EMPTY_PATH"),
    ],
    "AT_???",
);

/// `renameat2` flags.
pub const RENAME: Xlat = Xlat::hex(
    &[
        (1, "RENAME_NOREPLACE"),
        (2, "RENAME_EXCHANGE"),
        (4, "RENAME_WHITEOUT"),
    ],
    "RENAME_???",
);

/// `flock` operations.
pub const LOCK: Xlat = Xlat::hex(
    &[
        (1, "LOCK_SH"),
        (2, "LOCK_EX"),
        (4, "LOCK_NB"),
        (8, "LOCK_UN"),
    ],
    "LOCK_???",
);

/// `fallocate` modes.
pub const FALLOC: Xlat = Xlat::hex(
    &[
        (0x01, "FALLOC_FL_KEEP_SIZE"),
        (0x02, "FALLOC_FL_PUNCH_HOLE"),
        (0x04, "FALLOC_FL_NO_HIDE_STALE"),
        (0x08, "FALLOC_FL_COLLAPSE_RANGE"),
        (0x10, "FALLOC_FL_ZERO_RANGE"),
        (0x20, "FALLOC_FL_INSERT_RANGE"),
        (0x40, "FALLOC_FL_UNSHARE_RANGE"),
    ],
    "FALLOC_FL_???",
);

/// `sync_file_range` flags.
pub const SYNC_FILE_RANGE: Xlat = Xlat::hex(
    &[
        (1, "SYNC_FILE_RANGE_WAIT_BEFORE"),
        (2, "SYNC_FILE_RANGE_WRITE"),
        (4, "SYNC_FILE_RANGE_WAIT_AFTER"),
    ],
    "SYNC_FILE_RANGE_???",
);

/// `splice`/`tee`/`vmsplice` flags.
pub const SPLICE: Xlat = Xlat::hex(
    &[
        (1, "SPLICE_F_MOVE"),
        (2, "SPLICE_F_NONBLOCK"),
        (4, "SPLICE_F_MORE"),
        (8, "SPLICE_F_GIFT"),
    ],
    "SPLICE_F_???",
);

/// The open flags `dup3` and `pipe2` accept, printed with the `open` table.
pub const O_FLAGS: Xlat = Xlat::hex(super::flags::OPEN_FLAGS, "O_???");

// --- descriptors -------------------------------------------------------------------------------

/// `epoll_create1` flags.
pub const EPOLL_CREATE: Xlat = Xlat::hex(&[(0o2000000, "EPOLL_CLOEXEC")], "EPOLL_???");

/// `inotify_init1` flags.
pub const IN_INIT: Xlat = Xlat::hex(
    &[(0o4000, "IN_NONBLOCK"), (0o2000000, "IN_CLOEXEC")],
    "IN_???",
);

/// `eventfd2` flags.
pub const EFD: Xlat = Xlat::hex(
    &[
        (1, "EFD_SEMAPHORE"),
        (0o4000, "EFD_NONBLOCK"),
        (0o2000000, "EFD_CLOEXEC"),
    ],
    "EFD_???",
);

/// `close_range` flags.
pub const CLOSE_RANGE: Xlat = Xlat::hex(
    &[(2, "CLOSE_RANGE_UNSHARE"), (4, "CLOSE_RANGE_CLOEXEC")],
    "CLOSE_RANGE_???",
);

/// `pidfd_open` flags.
pub const PIDFD: Xlat = Xlat::hex(&[(0o4000, "PIDFD_NONBLOCK")], "PIDFD_???");

/// `shutdown` directions.
pub const SHUT: Xlat = Xlat::dec(
    &[(0, "SHUT_RD"), (1, "SHUT_WR"), (2, "SHUT_RDWR")],
    "SHUT_???",
);

// --- processes ---------------------------------------------------------------------------------

/// Namespace and sharing flags of `unshare` and `setns`.
pub const UNSHARE: Xlat = Xlat::wide(
    &[
        (0x80, "CLONE_NEWTIME"),
        (0x200, "CLONE_FS"),
        (0x400, "CLONE_FILES"),
        (0x800, "CLONE_SIGHAND"),
        (0x10000, "CLONE_THREAD"),
        (0x20000, "CLONE_NEWNS"),
        (0x40000, "CLONE_SYSVSEM"),
        (0x0200_0000, "CLONE_NEWCGROUP"),
        (0x0400_0000, "CLONE_NEWUTS"),
        (0x0800_0000, "CLONE_NEWIPC"),
        (0x1000_0000, "CLONE_NEWUSER"),
        (0x2000_0000, "CLONE_NEWPID"),
        (0x4000_0000, "CLONE_NEWNET"),
    ],
    "CLONE_???",
);

/// `setns` namespace types.
pub const SETNS: Xlat = Xlat::hex(
    &[
        (0x80, "CLONE_NEWTIME"),
        (0x20000, "CLONE_NEWNS"),
        (0x0200_0000, "CLONE_NEWCGROUP"),
        (0x0400_0000, "CLONE_NEWUTS"),
        (0x0800_0000, "CLONE_NEWIPC"),
        (0x1000_0000, "CLONE_NEWUSER"),
        (0x2000_0000, "CLONE_NEWPID"),
        (0x4000_0000, "CLONE_NEWNET"),
    ],
    "CLONE_NEW???",
);

/// `getpriority`/`setpriority` targets.
pub const PRIO: Xlat = Xlat::dec(
    &[(0, "PRIO_PROCESS"), (1, "PRIO_PGRP"), (2, "PRIO_USER")],
    "PRIO_???",
);

/// Scheduling policies.
pub const SCHED: Xlat = Xlat::hex(
    &[
        (0, "SCHED_OTHER"),
        (1, "SCHED_FIFO"),
        (2, "SCHED_RR"),
        (3, "SCHED_BATCH"),
        (4, "SCHED_ISO"),
        (5, "SCHED_IDLE"),
        (6, "SCHED_DEADLINE"),
    ],
    "SCHED_???",
);

// --- memory ------------------------------------------------------------------------------------

/// `mlockall` flags.
pub const MCL: Xlat = Xlat::hex(
    &[(1, "MCL_CURRENT"), (2, "MCL_FUTURE"), (4, "MCL_ONFAULT")],
    "MCL_???",
);

/// `mlock2` flags.
pub const MLOCK: Xlat = Xlat::hex(&[(1, "MLOCK_ONFAULT")], "MLOCK_???");

// --- time --------------------------------------------------------------------------------------

/// Clock ids.
pub const CLOCK: Xlat = Xlat::dec(
    &[
        (0, "CLOCK_REALTIME"),
        (1, "CLOCK_MONOTONIC"),
        (2, "CLOCK_PROCESS_CPUTIME_ID"),
        (3, "CLOCK_THREAD_CPUTIME_ID"),
        (4, "CLOCK_MONOTONIC_RAW"),
        (5, "CLOCK_REALTIME_COARSE"),
        (6, "CLOCK_MONOTONIC_COARSE"),
        (7, "CLOCK_BOOTTIME"),
        (8, "CLOCK_REALTIME_ALARM"),
        (9, "CLOCK_BOOTTIME_ALARM"),
        (10, "CLOCK_SGI_CYCLE"),
        (11, "CLOCK_TAI"),
    ],
    "CLOCK_???",
);

/// `timerfd_create` flags.
pub const TFD: Xlat = Xlat::hex(
    &[(0o2000000, "TFD_CLOEXEC"), (0o4000, "TFD_NONBLOCK")],
    "TFD_???",
);

/// `clock_nanosleep`/`timer_settime` flags.
pub const TIMER: Xlat = Xlat::hex(&[(1, "TIMER_ABSTIME")], "TIMER_???");

// --- files, continued ----------------------------------------------------------------------------

/// `lseek` origins.
pub const SEEK: Xlat = Xlat::hex(
    &[
        (0, "SEEK_SET"),
        (1, "SEEK_CUR"),
        (2, "SEEK_END"),
        (3, "SEEK_DATA"),
        (4, "SEEK_HOLE"),
    ],
    "SEEK_???",
);

/// `getrandom` flags.
pub const GRND: Xlat = Xlat::hex(
    &[
        (1, "GRND_NONBLOCK"),
        (2, "GRND_RANDOM"),
        (4, "GRND_INSECURE"),
    ],
    "GRND_???",
);

// --- memory, continued ---------------------------------------------------------------------------

/// Memory protection (an `unsigned long` for the kernel).
pub const PROT: Xlat = Xlat::wide(
    &[
        (0, "PROT_NONE"),
        (1, "PROT_READ"),
        (2, "PROT_WRITE"),
        (4, "PROT_EXEC"),
        (0x10, "PROT_SEM"),
        (0x0100_0000, "PROT_GROWSDOWN"),
        (0x0200_0000, "PROT_GROWSUP"),
    ],
    "PROT_???",
);

/// `madvise` advice.
pub const MADV: Xlat = Xlat::hex(
    &[
        (0, "MADV_NORMAL"),
        (1, "MADV_RANDOM"),
        (2, "MADV_SEQUENTIAL"),
        (3, "MADV_WILLNEED"),
        (4, "MADV_DONTNEED"),
        (8, "MADV_FREE"),
        (9, "MADV_REMOVE"),
        (10, "MADV_DONTFORK"),
        (11, "MADV_DOFORK"),
        (12, "MADV_MERGEABLE"),
        (13, "MADV_UNMERGEABLE"),
        (14, "MADV_HUGEPAGE"),
        (15, "MADV_NOHUGEPAGE"),
        (16, "MADV_DONTDUMP"),
        (17, "MADV_DODUMP"),
        (18, "MADV_WIPEONFORK"),
        (19, "MADV_KEEPONFORK"),
        (20, "MADV_COLD"),
        (21, "MADV_PAGEOUT"),
        (22, "MADV_POPULATE_READ"),
        (23, "MADV_POPULATE_WRITE"),
        (24, "MADV_DONTNEED_LOCKED"),
        (25, "MADV_COLLAPSE"),
        (100, "MADV_HWPOISON"),
        (101, "MADV_SOFT_OFFLINE"),
    ],
    "MADV_???",
);

// --- processes, continued ------------------------------------------------------------------------

/// `wait4`/`waitid` options.
pub const WAIT: Xlat = Xlat::hex(
    &[
        (1, "WNOHANG"),
        (4, "WEXITED"),
        (2, "WSTOPPED"),
        (8, "WCONTINUED"),
        (0x0100_0000, "WNOWAIT"),
        (0x8000_0000, "__WCLONE"),
        (0x4000_0000, "__WALL"),
        (0x2000_0000, "__WNOTHREAD"),
    ],
    "W???",
);

/// `arch_prctl` codes.
pub const ARCH: Xlat = Xlat::hex(
    &[
        (0x1001, "ARCH_SET_GS"),
        (0x1002, "ARCH_SET_FS"),
        (0x1003, "ARCH_GET_FS"),
        (0x1004, "ARCH_GET_GS"),
        (0x1011, "ARCH_GET_CPUID"),
        (0x1012, "ARCH_SET_CPUID"),
        (0x1021, "ARCH_GET_XCOMP_SUPP"),
        (0x1022, "ARCH_GET_XCOMP_PERM"),
        (0x1023, "ARCH_REQ_XCOMP_PERM"),
        (0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
        (0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
        (0x2001, "ARCH_MAP_VDSO_X32"),
        (0x2002, "ARCH_MAP_VDSO_32"),
        (0x2003, "ARCH_MAP_VDSO_64"),
    ],
    "ARCH_???",
);

/// Resource limits.
pub const RLIMIT: Xlat = Xlat::hex(
    &[
        (0, "RLIMIT_CPU"),
        (1, "RLIMIT_FSIZE"),
        (2, "RLIMIT_DATA"),
        (3, "RLIMIT_STACK"),
        (4, "RLIMIT_CORE"),
        (5, "RLIMIT_RSS"),
        (6, "RLIMIT_NPROC"),
        (7, "RLIMIT_NOFILE"),
        (8, "RLIMIT_MEMLOCK"),
        (9, "RLIMIT_AS"),
        (10, "RLIMIT_LOCKS"),
        (11, "RLIMIT_SIGPENDING"),
        (12, "RLIMIT_MSGQUEUE"),
        (13, "RLIMIT_NICE"),
        (14, "RLIMIT_RTPRIO"),
        (15, "RLIMIT_RTTIME"),
    ],
    "RLIMIT_???",
);

// --- signals -------------------------------------------------------------------------------------

/// `rt_sigprocmask` operations.
pub const SIG_HOW: Xlat = Xlat::hex(
    &[(0, "SIG_BLOCK"), (1, "SIG_UNBLOCK"), (2, "SIG_SETMASK")],
    "SIG_???",
);

/// `signalfd4` flags.
pub const SFD: Xlat = Xlat::hex(
    &[(0o2000000, "SFD_CLOEXEC"), (0o4000, "SFD_NONBLOCK")],
    "SFD_???",
);

/// `getrusage` targets.
pub const RUSAGE: Xlat = Xlat::dec(
    &[
        (0, "RUSAGE_SELF"),
        (0xffff_ffff, "RUSAGE_CHILDREN"),
        (1, "RUSAGE_THREAD"),
    ],
    "RUSAGE_???",
);

/// `pkey_alloc` access rights.
pub const PKEY: Xlat = Xlat::wide(
    &[
        (1, "PKEY_DISABLE_ACCESS"),
        (2, "PKEY_DISABLE_WRITE"),
        (4, "PKEY_DISABLE_EXECUTE"),
    ],
    "PKEY_???",
);

/// `userfaultfd` flags.
pub const UFFD: Xlat = Xlat::hex(
    &[
        (1, "UFFD_USER_MODE_ONLY"),
        (0o4000, "O_NONBLOCK"),
        (0o2000000, "O_CLOEXEC"),
    ],
    "UFFD_???",
);

/// `msync` flags.
pub const MS: Xlat = Xlat::hex(
    &[(1, "MS_ASYNC"), (2, "MS_INVALIDATE"), (4, "MS_SYNC")],
    "MS_???",
);

/// `mremap` flags.
pub const MREMAP: Xlat = Xlat::hex(
    &[
        (1, "MREMAP_MAYMOVE"),
        (2, "MREMAP_FIXED"),
        (4, "MREMAP_DONTUNMAP"),
    ],
    "MREMAP_???",
);

/// `epoll_ctl` operations.
pub const EPOLL_CTL: Xlat = Xlat::dec(
    &[
        (1, "EPOLL_CTL_ADD"),
        (2, "EPOLL_CTL_DEL"),
        (3, "EPOLL_CTL_MOD"),
    ],
    "EPOLL_CTL_???",
);

/// `epoll_event` events.
pub const EPOLL_EVENTS: Xlat = Xlat::hex(
    &[
        (0x1, "EPOLLIN"),
        (0x2, "EPOLLPRI"),
        (0x4, "EPOLLOUT"),
        (0x8, "EPOLLERR"),
        (0x10, "EPOLLHUP"),
        (0x20, "EPOLLNVAL"),
        (0x40, "EPOLLRDNORM"),
        (0x80, "EPOLLRDBAND"),
        (0x100, "EPOLLWRNORM"),
        (0x200, "EPOLLWRBAND"),
        (0x400, "EPOLLMSG"),
        (0x2000, "EPOLLRDHUP"),
        (0x0800_0000, "EPOLL_URING_WAKE"),
        (0x1000_0000, "EPOLLEXCLUSIVE"),
        (0x2000_0000, "EPOLLWAKEUP"),
        (0x4000_0000, "EPOLLONESHOT"),
        (0x8000_0000, "EPOLLET"),
    ],
    "EPOLL???",
);

/// Filesystem magic numbers (`statfs`'s `f_type`), the common ones.
pub const FS_MAGIC: Xlat = Xlat::wide(
    &[
        (0xef53, "EXT2_SUPER_MAGIC"),
        (0x9fa0, "PROC_SUPER_MAGIC"),
        (0x0102_1994, "TMPFS_MAGIC"),
        (0x794c_7630, "OVERLAYFS_SUPER_MAGIC"),
        (0x6265_6572, "SYSFS_MAGIC"),
        (0x1cd1, "DEVPTS_SUPER_MAGIC"),
        (0x5846_5342, "XFS_SB_MAGIC"),
        (0x9123_683e, "BTRFS_SUPER_MAGIC"),
        (0x6367_7270, "CGROUP2_SUPER_MAGIC"),
        (0x0027_e0eb, "CGROUP_SUPER_MAGIC"),
        (0x6969, "NFS_SUPER_MAGIC"),
        (0x858_458f6, "RAMFS_MAGIC"),
        (0x7363_6673, "SECURITYFS_MAGIC"),
        (0x6462_6720, "DEBUGFS_MAGIC"),
        (0x7472_6163, "TRACEFS_MAGIC"),
        (0xcafe_4a11, "BPF_FS_MAGIC"),
        (0x6573_5546, "FUSE_SUPER_MAGIC"),
        (0x1373, "DEVFS_SUPER_MAGIC"),
        (0x9660, "ISOFS_SUPER_MAGIC"),
        (0x4d44, "MSDOS_SUPER_MAGIC"),
        (0x5346_544e, "NTFS_SB_MAGIC"),
        (0x0187, "AUTOFS_SUPER_MAGIC"),
        (0x7371_7368, "SQUASHFS_MAGIC"),
        (0x2fc1_2fc1, "ZFS_SUPER_MAGIC"),
        (0x1111_2222, "NSFS_MAGIC"),
        (0x5049_5045, "PIPEFS_MAGIC"),
        (0x534f_434b, "SOCKFS_MAGIC"),
        (0x0904_1934, "ANON_INODE_FS_MAGIC"),
    ],
    "???_MAGIC",
);

/// `statfs`'s `f_flags`, in the order strace prints them.
pub const ST: Xlat = Xlat::wide(
    &[
        (0x20, "ST_VALID"),
        (0x1, "ST_RDONLY"),
        (0x2, "ST_NOSUID"),
        (0x4, "ST_NODEV"),
        (0x8, "ST_NOEXEC"),
        (0x10, "ST_SYNCHRONOUS"),
        (0x40, "ST_MANDLOCK"),
        (0x80, "ST_WRITE"),
        (0x100, "ST_APPEND"),
        (0x200, "ST_IMMUTABLE"),
        (0x400, "ST_NOATIME"),
        (0x800, "ST_NODIRATIME"),
        (0x1000, "ST_RELATIME"),
        (0x2000, "ST_NOSYMFOLLOW"),
    ],
    "ST_???",
);

// --- sockets -------------------------------------------------------------------------------------

/// `accept4`/`socket` flags.
pub const SOCK_FLAGS: Xlat = Xlat::hex(
    &[(0o2000000, "SOCK_CLOEXEC"), (0o4000, "SOCK_NONBLOCK")],
    "SOCK_???",
);

/// Address families.
pub const AF: Xlat = Xlat::dec(super::netlink::names::ADDRFAMS, "AF_???");

/// `landlock_create_ruleset` flags.
pub const LANDLOCK_CREATE: Xlat = Xlat::hex(
    &[(1, "LANDLOCK_CREATE_RULESET_VERSION")],
    "LANDLOCK_CREATE_RULESET_???",
);

/// `memfd_secret` flags.
pub const MEMFD_SECRET: Xlat = Xlat::hex(&[(0o2000000, "O_CLOEXEC")], "");

// --- prctl ---------------------------------------------------------------------------------------

/// `prctl` options.
pub const PR: Xlat = Xlat::hex(
    &[
        (1, "PR_SET_PDEATHSIG"),
        (2, "PR_GET_PDEATHSIG"),
        (3, "PR_GET_DUMPABLE"),
        (4, "PR_SET_DUMPABLE"),
        (5, "PR_GET_UNALIGN"),
        (6, "PR_SET_UNALIGN"),
        (7, "PR_GET_KEEPCAPS"),
        (8, "PR_SET_KEEPCAPS"),
        (9, "PR_GET_FPEMU"),
        (10, "PR_SET_FPEMU"),
        (11, "PR_GET_FPEXC"),
        (12, "PR_SET_FPEXC"),
        (13, "PR_GET_TIMING"),
        (14, "PR_SET_TIMING"),
        (15, "PR_SET_NAME"),
        (16, "PR_GET_NAME"),
        (19, "PR_GET_ENDIAN"),
        (20, "PR_SET_ENDIAN"),
        (21, "PR_GET_SECCOMP"),
        (22, "PR_SET_SECCOMP"),
        (23, "PR_CAPBSET_READ"),
        (24, "PR_CAPBSET_DROP"),
        (25, "PR_GET_TSC"),
        (26, "PR_SET_TSC"),
        (27, "PR_GET_SECUREBITS"),
        (28, "PR_SET_SECUREBITS"),
        (29, "PR_SET_TIMERSLACK"),
        (30, "PR_GET_TIMERSLACK"),
        (31, "PR_TASK_PERF_EVENTS_DISABLE"),
        (32, "PR_TASK_PERF_EVENTS_ENABLE"),
        (33, "PR_MCE_KILL"),
        (34, "PR_MCE_KILL_GET"),
        (35, "PR_SET_MM"),
        (36, "PR_SET_CHILD_SUBREAPER"),
        (37, "PR_GET_CHILD_SUBREAPER"),
        (38, "PR_SET_NO_NEW_PRIVS"),
        (39, "PR_GET_NO_NEW_PRIVS"),
        (40, "PR_GET_TID_ADDRESS"),
        (41, "PR_SET_THP_DISABLE"),
        (42, "PR_GET_THP_DISABLE"),
        (43, "PR_MPX_ENABLE_MANAGEMENT"),
        (44, "PR_MPX_DISABLE_MANAGEMENT"),
        (45, "PR_SET_FP_MODE"),
        (46, "PR_GET_FP_MODE"),
        (47, "PR_CAP_AMBIENT"),
        (50, "PR_SVE_SET_VL"),
        (51, "PR_SVE_GET_VL"),
        (52, "PR_GET_SPECULATION_CTRL"),
        (53, "PR_SET_SPECULATION_CTRL"),
        (54, "PR_PAC_RESET_KEYS"),
        (55, "PR_SET_TAGGED_ADDR_CTRL"),
        (56, "PR_GET_TAGGED_ADDR_CTRL"),
        (57, "PR_SET_IO_FLUSHER"),
        (58, "PR_GET_IO_FLUSHER"),
        (59, "PR_SET_SYSCALL_USER_DISPATCH"),
        (60, "PR_PAC_SET_ENABLED_KEYS"),
        (61, "PR_PAC_GET_ENABLED_KEYS"),
        (62, "PR_SCHED_CORE"),
        (63, "PR_SME_SET_VL"),
        (64, "PR_SME_GET_VL"),
        (65, "PR_SET_MDWE"),
        (66, "PR_GET_MDWE"),
        (0x5356_4d41, "PR_SET_VMA"),
        (0x5961_6d61, "PR_SET_PTRACER"),
    ],
    "PR_???",
);

/// `PR_SET_DUMPABLE` values.
pub const SUID_DUMP: Xlat = Xlat::wide(
    &[
        (0, "SUID_DUMP_DISABLE"),
        (1, "SUID_DUMP_USER"),
        (2, "SUID_DUMP_ROOT"),
    ],
    "SUID_DUMP_???",
);

/// `PR_SET_TSC` values.
pub const PR_TSC: Xlat = Xlat::hex(&[(1, "PR_TSC_ENABLE"), (2, "PR_TSC_SIGSEGV")], "PR_TSC_???");

/// `PR_SET_UNALIGN` flags.
pub const PR_UNALIGN: Xlat = Xlat::hex(
    &[(1, "PR_UNALIGN_NOPRINT"), (2, "PR_UNALIGN_SIGBUS")],
    "PR_UNALIGN_???",
);

// --- system --------------------------------------------------------------------------------------

/// `delete_module` flags.
pub const DELETE_MODULE: Xlat = Xlat::hex(&[(0o4000, "O_NONBLOCK"), (0o1000, "O_TRUNC")], "O_???");

/// `finit_module` flags.
pub const MODULE_INIT: Xlat = Xlat::hex(
    &[
        (1, "MODULE_INIT_IGNORE_MODVERSIONS"),
        (2, "MODULE_INIT_IGNORE_VERMAGIC"),
        (4, "MODULE_INIT_COMPRESSED_FILE"),
    ],
    "MODULE_INIT_???",
);

/// `syslog` actions (strace prints them as numbers with their names in a comment).
pub const SYSLOG_ACTION: Xlat = Xlat::dec(
    &[
        (0, "SYSLOG_ACTION_CLOSE"),
        (1, "SYSLOG_ACTION_OPEN"),
        (2, "SYSLOG_ACTION_READ"),
        (3, "SYSLOG_ACTION_READ_ALL"),
        (4, "SYSLOG_ACTION_READ_CLEAR"),
        (5, "SYSLOG_ACTION_CLEAR"),
        (6, "SYSLOG_ACTION_CONSOLE_OFF"),
        (7, "SYSLOG_ACTION_CONSOLE_ON"),
        (8, "SYSLOG_ACTION_CONSOLE_LEVEL"),
        (9, "SYSLOG_ACTION_SIZE_UNREAD"),
        (10, "SYSLOG_ACTION_SIZE_BUFFER"),
    ],
    "SYSLOG_ACTION_???",
);

/// Console log levels of `SYSLOG_ACTION_CONSOLE_LEVEL`.
pub const LOGLEVEL: Xlat = Xlat::dec(
    &[
        (0, "LOGLEVEL_EMERG"),
        (1, "LOGLEVEL_ALERT"),
        (2, "LOGLEVEL_CRIT"),
        (3, "LOGLEVEL_ERR"),
        (4, "LOGLEVEL_WARNING"),
        (5, "LOGLEVEL_NOTICE"),
        (6, "LOGLEVEL_INFO"),
        (7, "LOGLEVEL_DEBUG"),
        (8, "LOGLEVEL_DEBUG+1"),
    ],
    "LOGLEVEL_???",
);

/// Capabilities.
pub const CAP: Xlat = Xlat::wide(
    &[
        (0, "CAP_CHOWN"),
        (1, "CAP_DAC_OVERRIDE"),
        (2, "CAP_DAC_READ_SEARCH"),
        (3, "CAP_FOWNER"),
        (4, "CAP_FSETID"),
        (5, "CAP_KILL"),
        (6, "CAP_SETGID"),
        (7, "CAP_SETUID"),
        (8, "CAP_SETPCAP"),
        (9, "CAP_LINUX_IMMUTABLE"),
        (10, "CAP_NET_BIND_SERVICE"),
        (11, "CAP_NET_BROADCAST"),
        (12, "CAP_NET_ADMIN"),
        (13, "CAP_NET_RAW"),
        (14, "CAP_IPC_LOCK"),
        (15, "CAP_IPC_OWNER"),
        (16, "CAP_SYS_MODULE"),
        (17, "CAP_SYS_RAWIO"),
        (18, "CAP_SYS_CHROOT"),
        (19, "CAP_SYS_PTRACE"),
        (20, "CAP_SYS_PACCT"),
        (21, "CAP_SYS_ADMIN"),
        (22, "CAP_SYS_BOOT"),
        (23, "CAP_SYS_NICE"),
        (24, "CAP_SYS_RESOURCE"),
        (25, "CAP_SYS_TIME"),
        (26, "CAP_SYS_TTY_CONFIG"),
        (27, "CAP_MKNOD"),
        (28, "CAP_LEASE"),
        (29, "CAP_AUDIT_WRITE"),
        (30, "CAP_AUDIT_CONTROL"),
        (31, "CAP_SETFCAP"),
        (32, "CAP_MAC_OVERRIDE"),
        (33, "CAP_MAC_ADMIN"),
        (34, "CAP_SYSLOG"),
        (35, "CAP_WAKE_ALARM"),
        (36, "CAP_BLOCK_SUSPEND"),
        (37, "CAP_AUDIT_READ"),
        (38, "CAP_PERFMON"),
        (39, "CAP_BPF"),
        (40, "CAP_CHECKPOINT_RESTORE"),
    ],
    "CAP_???",
);

/// `PR_SET_SECUREBITS` bits.
pub const SECBIT: Xlat = Xlat::wide(
    &[
        (0x1, "SECBIT_NOROOT"),
        (0x2, "SECBIT_NOROOT_LOCKED"),
        (0x4, "SECBIT_NO_SETUID_FIXUP"),
        (0x8, "SECBIT_NO_SETUID_FIXUP_LOCKED"),
        (0x10, "SECBIT_KEEP_CAPS"),
        (0x20, "SECBIT_KEEP_CAPS_LOCKED"),
        (0x40, "SECBIT_NO_CAP_AMBIENT_RAISE"),
        (0x80, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED"),
    ],
    "SECBIT_???",
);

/// `PR_CAP_AMBIENT` operations.
pub const PR_CAP_AMBIENT: Xlat = Xlat::wide(
    &[
        (1, "PR_CAP_AMBIENT_IS_SET"),
        (2, "PR_CAP_AMBIENT_RAISE"),
        (3, "PR_CAP_AMBIENT_LOWER"),
        (4, "PR_CAP_AMBIENT_CLEAR_ALL"),
    ],
    "PR_CAP_AMBIENT_???",
);

/// `PR_MCE_KILL` operations.
pub const PR_MCE_KILL: Xlat = Xlat::wide(
    &[(0, "PR_MCE_KILL_CLEAR"), (1, "PR_MCE_KILL_SET")],
    "PR_MCE_KILL_???",
);

/// `PR_MCE_KILL_SET` policies.
pub const PR_MCE_POLICY: Xlat = Xlat::wide(
    &[
        (0, "PR_MCE_KILL_LATE"),
        (1, "PR_MCE_KILL_EARLY"),
        (2, "PR_MCE_KILL_DEFAULT"),
    ],
    "PR_MCE_KILL_???",
);

/// `PR_SET_FP_MODE` bits.
pub const PR_FP_MODE: Xlat = Xlat::wide(
    &[(1, "PR_FP_MODE_FR"), (2, "PR_FP_MODE_FRE")],
    "PR_FP_MODE_???",
);

/// `PR_SVE_SET_VL` flags (above the 16-bit vector length).
pub const PR_SVE_VL: Xlat = Xlat::wide(
    &[
        (0x40000, "PR_SVE_SET_VL_ONEXEC"),
        (0x20000, "PR_SVE_VL_INHERIT"),
    ],
    "",
);

/// `PR_SME_SET_VL` flags (above the 16-bit vector length).
pub const PR_SME_VL: Xlat = Xlat::wide(
    &[
        (0x40000, "PR_SME_SET_VL_ONEXEC"),
        (0x20000, "PR_SME_VL_INHERIT"),
    ],
    "",
);

/// Pointer-authentication keys of `PR_PAC_RESET_KEYS`.
pub const PR_PAC_KEYS: Xlat = Xlat::wide(
    &[
        (1, "PR_PAC_APIAKEY"),
        (2, "PR_PAC_APIBKEY"),
        (4, "PR_PAC_APDAKEY"),
        (8, "PR_PAC_APDBKEY"),
        (16, "PR_PAC_APGAKEY"),
    ],
    "PR_PAC_???",
);

/// Pointer-authentication keys of `PR_PAC_SET_ENABLED_KEYS` (the generic key cannot be disabled).
pub const PR_PAC_ENABLED_KEYS: Xlat = Xlat::wide(
    &[
        (1, "PR_PAC_APIAKEY"),
        (2, "PR_PAC_APIBKEY"),
        (4, "PR_PAC_APDAKEY"),
        (8, "PR_PAC_APDBKEY"),
    ],
    "PR_PAC_???",
);

/// `PR_SCHED_CORE` operations.
pub const PR_SCHED_CORE: Xlat = Xlat::hex(
    &[
        (0, "PR_SCHED_CORE_GET"),
        (1, "PR_SCHED_CORE_CREATE"),
        (2, "PR_SCHED_CORE_SHARE_TO"),
        (3, "PR_SCHED_CORE_SHARE_FROM"),
    ],
    "PR_SCHED_CORE_???",
);

/// Process id types (`PR_SCHED_CORE`), printed as numbers with their names in comments.
pub const PIDTYPE: Xlat = Xlat::hex(
    &[
        (0, "PIDTYPE_PID"),
        (1, "PIDTYPE_TGID"),
        (2, "PIDTYPE_PGID"),
        (3, "PIDTYPE_SID"),
    ],
    "PIDTYPE_???",
);
