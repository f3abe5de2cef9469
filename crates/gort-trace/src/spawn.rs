//! Starting a traced command.
//!
//! Design: the command is resolved on `PATH` and every C string is built *before* `fork`, because the child
//! of a multi-threaded process may only make async-signal-safe calls. The child asks to be traced
//! (`PTRACE_TRACEME`), stops itself with a raw `kill(getpid(), SIGSTOP)` (no libc wrapper that could make
//! traced syscalls after the stop), then `execve`s — so the first syscall the tracer sees is the `execve`,
//! exactly as in strace's output. `fork` runs on the wired tracer thread: with `PTRACE_TRACEME` the tracer
//! is the thread that forked, which is why [`spawn_traced`] demands the capability.

use crate::ptrace::{Pid, PtraceCap};
use std::ffi::{CString, OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A command resolved and converted for `execve`, ready to fork.
pub struct Prepared {
    path: CString,
    argv: Vec<CString>,
    envp: Vec<CString>,
    /// `--seccomp-bpf`: the filter the command installs before its `execve`.
    seccomp: Option<Vec<libc::sock_filter>>,
}

impl Prepared {
    /// Has the command install this seccomp filter (see [`crate::seccomp`]) before its `execve`.
    pub fn set_seccomp(&mut self, program: Vec<libc::sock_filter>) {
        self.seccomp = Some(program);
    }
}

/// Resolves `cmd[0]` like a shell does and checks it can be executed.
pub fn prepare(cmd: &[OsString]) -> Result<Prepared, String> {
    let name = cmd.first().ok_or("must have PROG [ARGS] or -p PID")?;
    let path = resolve(name)?;
    let cstr = |s: &OsStr| {
        CString::new(s.as_bytes()).map_err(|_| format!("argument contains a NUL byte: {s:?}"))
    };
    let argv = cmd.iter().map(|a| cstr(a)).collect::<Result<Vec<_>, _>>()?;
    let envp = std::env::vars_os()
        .map(|(k, v)| {
            let mut kv = k.into_vec();
            kv.push(b'=');
            kv.extend_from_slice(v.as_bytes());
            CString::new(kv).map_err(|_| "environment contains a NUL byte".to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Prepared {
        path: CString::new(path.into_os_string().into_vec()).map_err(|e| e.to_string())?,
        argv,
        envp,
        seccomp: None,
    })
}

fn resolve(name: &OsStr) -> Result<PathBuf, String> {
    let shown = name.to_string_lossy();
    let executable = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    };
    if name.as_bytes().contains(&b'/') {
        let p = PathBuf::from(name);
        return match std::fs::metadata(&p) {
            Err(e) => Err(format!(
                "Can't stat '{shown}': {}",
                crate::decode::flags::strerror(e.raw_os_error().unwrap_or(0))
            )),
            Ok(_) if !executable(&p) => Err(format!("Can't execute '{shown}': Permission denied")),
            Ok(_) => Ok(p),
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    for dir in std::env::split_paths(&path) {
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let p = dir.join(name);
        if executable(&p) {
            return Ok(p);
        }
    }
    Err(format!("Can't stat '{shown}': No such file or directory"))
}

/// Forks and execs the prepared command as a tracee of the calling (wired) thread.
///
/// Returns the child's pid; the child is left in a signal-delivery-stop for `SIGSTOP` before its `execve`.
pub fn spawn_traced(_cap: &PtraceCap, p: &Prepared) -> std::io::Result<Pid> {
    let mut argv: Vec<*const libc::c_char> = p.argv.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    let mut envp: Vec<*const libc::c_char> = p.envp.iter().map(|a| a.as_ptr()).collect();
    envp.push(std::ptr::null());
    let fprog = p.seccomp.as_ref().map(|prog| libc::sock_fprog {
        len: prog.len() as u16,
        filter: prog.as_ptr().cast_mut(),
    });
    // SAFETY: fork has no preconditions; the child below only makes async-signal-safe raw syscalls on
    // memory prepared before the fork and never returns into Rust code.
    let pid = unsafe { libc::fork() };
    match pid {
        -1 => Err(std::io::Error::last_os_error()),
        0 => {
            // SAFETY: child side of fork: signal, sigemptyset, sigprocmask, PTRACE_TRACEME, getpid, kill,
            // prctl, seccomp, execve and _exit are async-signal-safe; `argv`/`envp` are NULL-terminated arrays of valid C
            // strings built before the fork.
            unsafe {
                // Undo what this process changed and exec would keep: Rust ignores SIGPIPE, and runtime
                // threads may block signals.
                libc::signal(libc::SIGPIPE, libc::SIG_DFL);
                let mut empty: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut empty);
                libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
                libc::ptrace(
                    libc::PTRACE_TRACEME,
                    0,
                    std::ptr::null_mut::<libc::c_void>(),
                    std::ptr::null_mut::<libc::c_void>(),
                );
                libc::syscall(
                    libc::SYS_kill,
                    libc::syscall(libc::SYS_getpid),
                    libc::SIGSTOP,
                );
                // `fprog` points into `p.seccomp`, built before the fork. If the kernel refuses the
                // filter, the command runs without it and is traced syscall by syscall.
                if let Some(fprog) = &fprog {
                    libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                    libc::syscall(
                        libc::SYS_seccomp,
                        libc::SECCOMP_SET_MODE_FILTER,
                        0,
                        fprog as *const libc::sock_fprog,
                    );
                }
                libc::syscall(
                    libc::SYS_execve,
                    p.path.as_ptr(),
                    argv.as_ptr(),
                    envp.as_ptr(),
                );
                libc::_exit(127)
            }
        }
        child => Ok(child),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_and_rejects() {
        assert!(prepare(&["true".into()]).is_ok());
        let e = prepare(&["definitely-not-a-command-xyz".into()])
            .err()
            .unwrap();
        assert!(e.contains("No such file"), "{e}");
        let e = prepare(&["/nonexistent/x".into()]).err().unwrap();
        assert!(e.contains("Can't stat"), "{e}");
    }
}
