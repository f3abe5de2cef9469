//! The seed use case (issue 2): a wired goroutine is a ptrace tracer. Linux accepts ptrace requests
//! about a tracee only from the thread that became its tracer (for PTRACE_TRACEME: the thread that
//! forked it), so every request must come from one OS thread while the goroutine parks, yields and
//! lets 100+ other goroutines run. The same workload without wiring fails with ESRCH as soon as the
//! goroutine resumes on another thread, which shows that wiring is what makes it work.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use gort::__park::Signal;

/// A value the tracer reads back from the tracee's memory (fork copies it to the same address).
static MAGIC: u64 = 0x6f72_7467_5f67_6f72;

const REQUESTS: usize = 4000;
const OTHERS: usize = 120;

/// Forks a child that stops itself under PTRACE_TRACEME; waits until it is stopped.
fn fork_stopped_tracee() -> libc::pid_t {
    // SAFETY: the child calls only async-signal-safe functions (ptrace, raise, _exit) before exiting,
    // as required after fork in a multi-threaded process.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed: {}", std::io::Error::last_os_error());
    if pid == 0 {
        // SAFETY: see above; the child never returns into Rust code.
        unsafe {
            libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0);
            libc::raise(libc::SIGSTOP);
            libc::_exit(0);
        }
    }
    let mut status = 0;
    // A blocking call: run it without holding a P.
    // SAFETY: waitpid writes the status into our local.
    let r = gort::syscall(|| unsafe { libc::waitpid(pid, &mut status, 0) });
    assert_eq!(r, pid, "waitpid: {}", std::io::Error::last_os_error());
    assert!(
        libc::WIFSTOPPED(status),
        "tracee did not stop: status {status:#x}"
    );
    pid
}

fn kill_tracee(pid: libc::pid_t) {
    // SAFETY: plain syscalls on our own child.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
        let mut status = 0;
        libc::waitpid(pid, &mut status, 0);
    }
}

/// One PEEKDATA and one GETREGS. Returns the errno of the first failure.
fn ptrace_requests(pid: libc::pid_t) -> Result<(), i32> {
    // SAFETY: PEEKDATA reads a word of the (stopped) tracee; errno is reset first so that a word equal
    // to -1 is not mistaken for an error.
    let word = unsafe {
        *libc::__errno_location() = 0;
        libc::ptrace(libc::PTRACE_PEEKDATA, pid, &MAGIC as *const u64, 0)
    };
    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    if word == -1 && errno != 0 {
        return Err(errno);
    }
    assert_eq!(word as u64, MAGIC, "PEEKDATA read the wrong word");
    // SAFETY: `user_regs_struct` is plain integers, for which all zeroes is a valid value.
    let mut regs: libc::user_regs_struct = unsafe { std::mem::zeroed() };
    // SAFETY: GETREGS writes a user_regs_struct into `regs`, which is large enough.
    let r = unsafe { libc::ptrace(libc::PTRACE_GETREGS, pid, 0, &mut regs as *mut _) };
    if r == -1 {
        return Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0));
    }
    Ok(())
}

struct Outcome {
    ok: usize,
    esrch: usize,
    threads_seen: usize,
}

/// The tracer goroutine's work: fork a tracee, then REQUESTS rounds of ptrace requests, each followed by
/// a yield or a park (joining a short-lived goroutine), while OTHERS goroutines churn.
fn trace_workload(procs: usize, wire: bool) -> Outcome {
    gort::Builder::new().max_procs(procs).run(|| {
        let stop = Arc::new(AtomicBool::new(false));
        let churn = Arc::new(AtomicU64::new(0));
        let others: Vec<_> = (0..OTHERS)
            .map(|i| {
                let stop = stop.clone();
                let churn = churn.clone();
                gort::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        churn.fetch_add(1, Ordering::Relaxed);
                        if i % 3 == 0 {
                            gort::spawn(|| ()).join().unwrap();
                        }
                        // Yield every round: a goroutine that only spawns and joins would keep its P
                        // through `runnext` for a whole 10 ms slice (semantics 1.5).
                        gort::yield_now();
                    }
                })
            })
            .collect();
        // A wired pinger: each round it wakes the tracer, which then becomes runnable on the pinger's
        // P; the pinger's thread cannot run it, so it resumes wherever that P goes next. This is the
        // park/unpark hand-off between goroutines on different threads that wiring must survive.
        let (to_tracer, to_pinger) = (Signal::new(), Signal::new());
        let (tt, tp) = (to_tracer.clone(), to_pinger.clone());
        let pinger = gort::spawn(move || {
            gort::lock_os_thread();
            tp.register();
            for _ in 0..REQUESTS / 4 {
                tp.wait();
                tt.notify();
            }
        });
        let tracer = gort::spawn(move || {
            if wire {
                gort::lock_os_thread();
            }
            to_tracer.register();
            let pid = fork_stopped_tracee();
            let mut out = Outcome {
                ok: 0,
                esrch: 0,
                threads_seen: 0,
            };
            let mut tids = std::collections::HashSet::new();
            for i in 0..REQUESTS {
                tids.insert(gort::thread_id());
                match ptrace_requests(pid) {
                    Ok(()) => out.ok += 1,
                    Err(libc::ESRCH) => out.esrch += 1,
                    Err(e) => panic!("ptrace failed with errno {e}"),
                }
                match i % 4 {
                    0 | 2 => gort::yield_now(),
                    1 => {
                        // Park: wait for another goroutine to finish.
                        gort::spawn(gort::yield_now).join().unwrap();
                    }
                    _ => {
                        // Park until the wired pinger wakes us.
                        to_pinger.notify();
                        to_tracer.wait();
                    }
                }
            }
            out.threads_seen = tids.len();
            kill_tracee(pid);
            if wire {
                gort::unlock_os_thread();
            }
            out
        });
        let out = tracer.join().unwrap();
        pinger.join().unwrap();
        stop.store(true, Ordering::Relaxed);
        for h in others {
            h.join().unwrap();
        }
        assert!(churn.load(Ordering::Relaxed) > 0);
        out
    })
}

#[test]
fn wired_tracer_every_ptrace_request_succeeds_with_one_proc() {
    let out = trace_workload(1, true);
    assert_eq!(out.ok, REQUESTS);
    assert_eq!(out.threads_seen, 1);
}

#[test]
fn wired_tracer_every_ptrace_request_succeeds_with_two_procs() {
    let out = trace_workload(2, true);
    assert_eq!(out.ok, REQUESTS);
    assert_eq!(out.threads_seen, 1);
}

#[test]
fn unwired_tracer_migrates_and_gets_esrch() {
    // Where an unwired goroutine resumes is the scheduler's choice, and a fast scheduler may keep
    // it on one thread for a whole run now and then (about one run in five on the 2-core machine):
    // try a few runs for one in which it moved.
    let mut runs = 0;
    let out = loop {
        runs += 1;
        let out = trace_workload(2, false);
        if out.threads_seen > 1 || runs == 5 {
            break out;
        }
    };
    assert!(
        out.threads_seen > 1,
        "the unwired goroutine never changed threads in {runs} runs"
    );
    assert!(
        out.esrch > 0,
        "no ESRCH although the goroutine ran on {} threads",
        out.threads_seen
    );
    assert_eq!(out.ok + out.esrch, REQUESTS);
}
