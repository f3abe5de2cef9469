//! Helpers shared by gort's integration tests: `go` starts a concurrent task; child processes,
//! `/proc/self/task`, a park-based gate, a watchdog that turns a hang into a failure, and a pipe
//! for plain blocking reads (`pipe`); sockets and "IO wait" for the network tests (`net`).
#![allow(dead_code)]

pub mod go_ports;
pub mod net;
pub mod pipe;

use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gort::__park::{current, park, Unparker};

/// Starts `f` concurrently (Go's `go` statement) on a plain OS thread: gort's primitives park threads
/// and goroutines through the same interface, so the rules tested with it hold for both.
pub fn go<F: FnOnce() -> R + Send + 'static, R: Send + 'static>(
    f: F,
) -> std::thread::JoinHandle<R> {
    std::thread::spawn(f)
}

/// Lets the other side reach its blocking point. Only ever used to make a test *more* demanding
/// (a check that something stays blocked), never to make one pass.
pub fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(1));
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
