//! Helpers shared by gort's integration tests: `go` starts a concurrent task; waits on observable
//! state, never on time (`wait_for`, a thread blocked on a futex, a goroutine's wait in the dump);
//! child processes, `/proc/self/task`, a park-based gate, a watchdog that turns a hang into a
//! failure, a pipe for plain blocking reads (`pipe`), and sockets and "IO wait" for the network
//! tests (`net`).
#![allow(dead_code)]

pub mod go_ports;
pub mod net;
pub mod pipe;

use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use gort::__park::{current, park, Unparker};

/// Starts `f` concurrently (Go's `go` statement) on a plain OS thread: gort's primitives park threads
/// and goroutines through the same interface, so the rules tested with it hold for both.
pub fn go<F: FnOnce() -> R + Send + 'static, R: Send + 'static>(f: F) -> Task<R> {
    let tid = Arc::new(OnceLock::new());
    let t = tid.clone();
    let handle = std::thread::spawn(move || {
        t.set(my_tid()).expect("set once, here");
        f()
    });
    Task { handle, tid }
}

/// A task started by [`go`]: a plain OS thread whose kernel id is known, so that a test can wait for
/// it to block.
pub struct Task<R> {
    handle: std::thread::JoinHandle<R>,
    tid: Arc<OnceLock<u64>>,
}

impl<R> Task<R> {
    pub fn join(self) -> std::thread::Result<R> {
        self.handle.join()
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits until the task's thread is blocked in the kernel on a futex: a plain thread that waits
    /// on a gort primitive parks there (`std::thread::park`). Used to let the other side reach its
    /// blocking point before a test checks that it stays blocked, or that what comes next releases
    /// it; no assertion depends on the wait having been needed.
    pub fn wait_blocked(&self) {
        let tid = wait_for("the task's thread to start", || self.tid.get().copied());
        wait_thread_blocked(tid);
    }
}

/// The calling thread's kernel id, for [`wait_thread_blocked`] in another thread.
pub fn my_tid() -> u64 {
    // SAFETY: `gettid` has no preconditions.
    unsafe { libc::gettid() as u64 }
}

/// Waits until thread `tid` of this process is blocked in a `futex` wait (where a plain thread
/// parked on a gort primitive sleeps), read from `/proc/self/task/<tid>/syscall`.
pub fn wait_thread_blocked(tid: u64) {
    let path = format!("/proc/self/task/{tid}/syscall");
    wait_for(&format!("thread {tid} to block on a futex"), || {
        let now = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e} (the test needs /proc)"));
        let nr: i64 = now.split_whitespace().next()?.parse().ok()?;
        (nr == libc::SYS_futex).then_some(())
    });
}

/// Waits until goroutine `id` shows in `gort::dump()` waiting for `reason` (Go's words, as the
/// dump prints them: "chan receive", "select", "sync.Mutex.Lock"...).
pub fn wait_goroutine_waiting(id: u64, reason: &str) {
    let head = format!("goroutine {id} [{reason}");
    wait_for(&format!("goroutine {id} to wait in [{reason}]"), || {
        gort::dump()
            .lines()
            .any(|l| l.starts_with(&head) && l[head.len()..].starts_with([']', ',']))
            .then_some(())
    });
}

/// Polls `cond` until it returns `Some`, giving the core away between looks (to other goroutines
/// when called on one, else to other threads). Panics, naming `what`, if that takes 30 s: a bound
/// for a loaded machine, not a timing the test checks.
pub fn wait_for<T>(what: &str, mut cond: impl FnMut() -> Option<T>) -> T {
    let since = Instant::now();
    loop {
        if let Some(v) = cond() {
            return v;
        }
        assert!(
            since.elapsed() < Duration::from_secs(30),
            "waited 30 s for {what}"
        );
        if gort::goroutine_id() != 0 {
            gort::yield_now();
        } else {
            std::thread::yield_now();
        }
    }
}

/// Reads a scale factor for long-running tests from `GORT_STRESS_SCALE` (default 1).
pub fn scale() -> usize {
    std::env::var("GORT_STRESS_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// Set in a child process to the name of the test it is to run as the child.
pub const CHILD_ENV: &str = "GORT_TEST_CHILD";

/// True in the child process started by [`run_child`] for test `name`.
pub fn is_child(name: &str) -> bool {
    std::env::var(CHILD_ENV).as_deref() == Ok(name)
}

/// Re-runs this test binary with only test `name`, marked as the child, and returns its output.
pub fn run_child(name: &str) -> Output {
    Command::new(std::env::current_exe().expect("the test binary's path"))
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, name)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the child process runs")
}

/// The kernel ids of this process's threads.
pub fn tasks() -> Vec<u64> {
    std::fs::read_dir("/proc/self/task")
        .expect("/proc/self/task")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect()
}

/// True while thread `tid` of this process exists (and is not yet reaped).
pub fn task_alive(tid: u64) -> bool {
    std::path::Path::new(&format!("/proc/self/task/{tid}")).exists()
}

/// Polls `cond` until it holds or `timeout` passes; returns whether it held.
pub fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A one-way gate on gort's park primitive: goroutines (or threads) `wait` until someone `open`s it.
#[derive(Default)]
pub struct Gate {
    open: AtomicBool,
    waiters: Mutex<Vec<Unparker>>,
}

impl Gate {
    pub fn new() -> Arc<Gate> {
        Arc::new(Gate::default())
    }

    /// Parks until the gate opens.
    #[track_caller]
    pub fn wait(&self) {
        {
            let mut w = self.waiters.lock().unwrap();
            if self.open.load(Ordering::SeqCst) {
                return;
            }
            w.push(current());
        }
        while !self.open.load(Ordering::SeqCst) {
            park();
        }
    }

    pub fn open(&self) {
        let waiters = {
            let mut w = self.waiters.lock().unwrap();
            self.open.store(true, Ordering::SeqCst);
            std::mem::take(&mut *w)
        };
        for u in waiters {
            u.unpark();
        }
    }

    /// How many have registered to wait (they may not be parked yet).
    pub fn waiting(&self) -> usize {
        self.waiters.lock().unwrap().len()
    }

    pub fn is_open(&self) -> bool {
        self.open.load(Ordering::SeqCst)
    }
}

/// Parks the calling goroutine for good (Go's `select {}`).
pub fn park_forever() -> ! {
    gort::select! {}
}

/// Aborts the process with a message if not dropped within `limit`: a hang becomes a failure.
pub struct Watchdog {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    pub fn new(what: &'static str, limit: Duration) -> Watchdog {
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        let thread = std::thread::spawn(move || {
            let end = Instant::now() + limit;
            while !d.load(Ordering::SeqCst) {
                let now = Instant::now();
                if now >= end {
                    eprintln!("watchdog: `{what}` still running after {limit:?}: hung");
                    std::process::abort();
                }
                std::thread::park_timeout(end - now);
            }
        });
        Watchdog {
            done,
            thread: Some(thread),
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

/// The message of a panic payload (`&str` or `String`).
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic payload>".to_string()
    }
}
