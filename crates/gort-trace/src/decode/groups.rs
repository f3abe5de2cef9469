//! Syscall classes for `-e trace=%file`, `%process`, `%network`, `%signal`, `%memory`, `%desc`, and
//! the smaller ones (`%pure`, `%stat`, `%%statfs`...).
//!
//! Design: a class is a list of syscall names resolved through the `syscalls` crate (so a name that does
//! not exist on this architecture simply drops out). The lists follow strace's documented meaning of each
//! class: `%file` takes a file name, `%process` creates, runs or ends processes, `%network` is the socket
//! API, `%signal` handles signals, `%memory` maps memory, `%desc` takes a file descriptor.

use std::str::FromStr;
use syscalls::Sysno;

const FILE: &[&str] = &[
    "open",
    "creat",
    "link",
    "unlink",
    "execve",
    "chdir",
    "mknod",
    "chmod",
    "lchown",
    "stat",
    "lstat",
    "access",
    "rename",
    "mkdir",
    "rmdir",
    "chown",
    "readlink",
    "utime",
    "utimes",
    "statfs",
    "truncate",
    "chroot",
    "acct",
    "mount",
    "umount2",
    "swapon",
    "swapoff",
    "pivot_root",
    "setxattr",
    "lsetxattr",
    "getxattr",
    "lgetxattr",
    "listxattr",
    "llistxattr",
    "removexattr",
    "lremovexattr",
    "inotify_add_watch",
    "openat",
    "mkdirat",
    "mknodat",
    "fchownat",
    "futimesat",
    "newfstatat",
    "unlinkat",
    "renameat",
    "linkat",
    "symlink",
    "symlinkat",
    "readlinkat",
    "fchmodat",
    "faccessat",
    "utimensat",
    "fanotify_mark",
    "name_to_handle_at",
    "renameat2",
    "execveat",
    "statx",
    "open_tree",
    "move_mount",
    "fsopen",
    "fspick",
    "faccessat2",
    "mount_setattr",
    "openat2",
    "fchmodat2",
    "quotactl",
];

const PROCESS: &[&str] = &[
    "clone",
    "clone3",
    "fork",
    "vfork",
    "execve",
    "execveat",
    "exit",
    "exit_group",
    "wait4",
    "waitid",
    "kill",
    "tkill",
    "tgkill",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "pidfd_open",
    "pidfd_send_signal",
    "unshare",
];

const NETWORK: &[&str] = &[
    "socket",
    "connect",
    "accept",
    "accept4",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "sendmmsg",
    "recvmmsg",
    "shutdown",
    "bind",
    "listen",
    "getsockname",
    "getpeername",
    "socketpair",
    "setsockopt",
    "getsockopt",
];

const SIGNAL: &[&str] = &[
    "kill",
    "tkill",
    "tgkill",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "rt_sigpending",
    "rt_sigtimedwait",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "rt_sigsuspend",
    "sigaltstack",
    "pause",
    "signalfd",
    "signalfd4",
    "pidfd_send_signal",
];

const MEMORY: &[&str] = &[
    "brk",
    "mmap",
    "mprotect",
    "munmap",
    "mremap",
    "msync",
    "mincore",
    "madvise",
    "mlock",
    "mlock2",
    "munlock",
    "mlockall",
    "munlockall",
    "remap_file_pages",
    "mbind",
    "set_mempolicy",
    "get_mempolicy",
    "migrate_pages",
    "move_pages",
    "pkey_mprotect",
    "shmat",
    "shmdt",
    "process_madvise",
];

const DESC: &[&str] = &[
    "read",
    "write",
    "close",
    "fstat",
    "poll",
    "lseek",
    "mmap",
    "ioctl",
    "pread64",
    "pwrite64",
    "readv",
    "writev",
    "select",
    "dup",
    "dup2",
    "dup3",
    "fcntl",
    "flock",
    "fsync",
    "fdatasync",
    "ftruncate",
    "getdents",
    "getdents64",
    "fchdir",
    "fchmod",
    "fchown",
    "fstatfs",
    "readahead",
    "fsetxattr",
    "fgetxattr",
    "flistxattr",
    "fremovexattr",
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    "openat",
    "newfstatat",
    "pipe",
    "pipe2",
    "eventfd2",
    "sendfile",
    "fadvise64",
    "statx",
    "faccessat2",
    "execveat",
];

/// `%ipc`: System V IPC.
const IPC: &[&str] = &[
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "semget",
    "semop",
    "semctl",
    "semtimedop",
    "shmget",
    "shmat",
    "shmctl",
    "shmdt",
];

/// `%creds`: reading and changing user and group ids and capabilities.
const CREDS: &[&str] = &[
    "capget",
    "capset",
    "getuid",
    "getgid",
    "geteuid",
    "getegid",
    "getgroups",
    "setgroups",
    "getresuid",
    "getresgid",
    "setuid",
    "setgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "setfsuid",
    "setfsgid",
];

/// `%clock`: reading and setting clocks and timers.
const CLOCK: &[&str] = &[
    "adjtimex",
    "clock_adjtime",
    "clock_getres",
    "clock_gettime",
    "clock_nanosleep",
    "clock_settime",
    "gettimeofday",
    "settimeofday",
    "time",
    "timer_create",
    "timer_delete",
    "timer_getoverrun",
    "timer_gettime",
    "timer_settime",
    "timerfd_create",
    "timerfd_gettime",
    "timerfd_settime",
];

/// `%pure`: calls that take no arguments and always succeed.
const PURE: &[&str] = &[
    "getpid", "getuid", "getgid", "geteuid", "getegid", "getppid", "getpgrp", "gettid",
];

/// The syscalls of class `name` (without the `%`; any case), or `None` for an unknown class. The stat
/// classes: `stat`, `lstat`, `fstat` (a descriptor's or a dirfd-relative path's: `newfstatat`,
/// `statx`), `%stat` (all of them), and likewise `statfs`, `fstatfs`, `%statfs`.
pub fn class(name: &str) -> Option<Vec<Sysno>> {
    let list = match name.to_ascii_lowercase().as_str() {
        "file" => FILE,
        "process" => PROCESS,
        "network" | "net" => NETWORK,
        "signal" => SIGNAL,
        "memory" => MEMORY,
        "desc" => DESC,
        "ipc" => IPC,
        "clock" => CLOCK,
        "creds" => CREDS,
        "pure" => PURE,
        "stat" => &["stat"],
        "lstat" => &["lstat"],
        "fstat" => &["fstat", "newfstatat", "statx"],
        "%stat" => &["stat", "fstat", "lstat", "newfstatat", "statx"],
        "statfs" => &["statfs"],
        "fstatfs" => &["fstatfs"],
        "%statfs" => &["statfs", "fstatfs", "ustat"],
        _ => return None,
    };
    Some(
        list.iter()
            .filter_map(|n| Sysno::from_str(n).ok())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_resolve() {
        let f = class("file").unwrap();
        assert!(
            f.contains(&Sysno::openat) && f.contains(&Sysno::execve) && !f.contains(&Sysno::read)
        );
        assert!(class("process").unwrap().contains(&Sysno::clone));
        assert!(class("network").unwrap().contains(&Sysno::connect));
        assert!(class("bogus").is_none());
    }
}
