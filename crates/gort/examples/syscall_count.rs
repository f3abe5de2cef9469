//! A wired goroutine traces a command with ptrace and counts its system calls, while ordinary
//! goroutines keep working and receive the counts.
//!
//! ```text
//! cargo run --release -p gort --example syscall_count -- ls /
//! ```
//!
//! Linux answers ptrace requests about a tracee only from the thread that is its tracer. Here the
//! tracer goroutine wires itself with `gort::lock_os_thread` before forking, so every ptrace call it
//! makes comes from that one thread, however often it blocks (each `waitpid` runs in `gort::syscall`,
//! which lets other goroutines use the P meanwhile).

use std::collections::BTreeMap;
use std::ffi::CString;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = if args.is_empty() {
        vec!["ls".to_string(), "/".to_string()]
    } else {
        args
    };
    let code = gort::Builder::new().max_procs(2).run(|| {
        let ticks = Arc::new(AtomicU64::new(0));
        // Ordinary goroutines that keep running while the tracer works.
        let workers: Vec<_> = (0..8)
            .map(|_| {
                let ticks = ticks.clone();
                gort::spawn(move || {
                    for _ in 0..10_000 {
                        ticks.fetch_add(1, Ordering::Relaxed);
                        gort::yield_now();
                    }
                })
            })
            .collect();
        let tracer = gort::spawn(move || trace(&args));
        let (code, counts) = match tracer.join() {
            Ok(r) => r,
            Err(_) => (1, BTreeMap::new()),
        };
        for w in workers {
            w.join().unwrap();
        }
        let total: u64 = counts.values().sum();
        eprintln!(
            "\n{total} system calls, {} distinct; tracer thread stayed wired;",
            counts.len()
        );
        eprintln!(
            "{} worker steps ran meanwhile",
            ticks.load(Ordering::Relaxed)
        );
        let mut top: Vec<_> = counts.into_iter().collect();
        top.sort_by_key(|e| std::cmp::Reverse(e.1));
        for (nr, n) in top.into_iter().take(8) {
            eprintln!("  syscall {nr:>4}: {n}");
        }
        code
    });
    std::process::exit(code);
}

/// Runs `args` under ptrace; returns its exit code and the count of each syscall number.
fn trace(args: &[String]) -> (i32, BTreeMap<u64, u64>) {
    gort::lock_os_thread();
    let tid = gort::thread_id();
    let cargs: Vec<CString> = args
        .iter()
        .map(|a| CString::new(a.as_str()).expect("no NUL in args"))
        .collect();
    let mut argv: Vec<*const libc::c_char> = cargs.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    // SAFETY: after fork the child calls only async-signal-safe functions (ptrace, raise, execvp, _exit).
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        // SAFETY: see above; argv is a NULL-terminated array of valid C strings.
        unsafe {
            libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0);
            libc::raise(libc::SIGSTOP);
            libc::execvp(argv[0], argv.as_ptr());
            libc::_exit(127);
        }
    }
    let mut counts = BTreeMap::new();
    let mut status = 0;
    let mut entering = true;
    loop {
        // SAFETY: waitpid writes only `status`.
        let r = gort::syscall(|| unsafe { libc::waitpid(pid, &mut status, 0) });
        assert_eq!(r, pid, "waitpid: {}", std::io::Error::last_os_error());
        assert_eq!(
            gort::thread_id(),
            tid,
            "a wired goroutine never changes threads"
        );
        if libc::WIFEXITED(status) {
            return (libc::WEXITSTATUS(status), counts);
        }
        if libc::WIFSIGNALED(status) {
            return (128 + libc::WTERMSIG(status), counts);
        }
        let sig = libc::WSTOPSIG(status);
        let mut deliver = 0;
        if sig == libc::SIGTRAP | 0x80 {
            if entering {
                // SAFETY: the tracee is stopped and traced by this very thread; regs is large enough.
                let mut regs: libc::user_regs_struct = unsafe { std::mem::zeroed() };
                let ok = unsafe { libc::ptrace(libc::PTRACE_GETREGS, pid, 0, &mut regs) } == 0;
                assert!(ok, "GETREGS: {}", std::io::Error::last_os_error());
                *counts.entry(regs.orig_rax).or_insert(0) += 1;
            }
            entering = !entering;
        } else if sig == libc::SIGSTOP && counts.is_empty() {
            // The initial stop: ask for syscall stops marked with 0x80.
            // SAFETY: plain ptrace request on our stopped tracee.
            unsafe { libc::ptrace(libc::PTRACE_SETOPTIONS, pid, 0, libc::PTRACE_O_TRACESYSGOOD) };
        } else if sig != libc::SIGTRAP {
            deliver = sig;
        }
        gort::yield_now(); // let the other goroutines run; we come back on the same thread
                           // SAFETY: resume the stopped tracee until its next syscall stop.
        unsafe { libc::ptrace(libc::PTRACE_SYSCALL, pid, 0, deliver) };
    }
}
