//! The runtime-facing layer: goroutines and channels wired together.
//!
//! Design (the whole of gort-trace's concurrency lives here):
//!
//! ```text
//!   tracer goroutine (wired, holds PtraceCap) --Chan<Vec<Event>>--> formatter goroutine
//!       ^ tgkill(WAKE) on SIGINT/SIGTERM                                 | Chan<String>
//!   signal watcher goroutine                                          writer goroutine -> file/stderr
//! ```
//!
//! The tracer is the only goroutine wired to a thread; the formatter and writer are ordinary goroutines
//! that run wherever the scheduler puts them (with `max_procs` 1 they share the single P with the tracer,
//! which gives its P away whenever it blocks in `waitpid` inside `gort::syscall`). Closing a channel is how
//! the end of input propagates downstream.

use crate::cli::{Config, Target};
use crate::event::Event;
use crate::format::{FormatOpts, Formatter};
use crate::ptrace::PtraceCap;
use crate::tracer::{self, Settings, Start};
use std::io::Write;

/// The runtime operations gort-trace uses, from gort.
pub mod rt {
    pub use gort::{lock_os_thread, spawn, syscall};
    pub use stopgap_chan::Chan;

    /// Runs `f` as the main goroutine of a runtime with `procs` processors.
    pub fn run<T: Send + 'static>(procs: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
        gort::Builder::new().max_procs(procs).run(f)
    }

    /// TEMPORARY stand-in for `gort::Chan` until the channel issue lands in main: a bounded channel on a
    /// std `Mutex`/`Condvar` whose blocking waits run inside `gort::syscall`, so a blocked goroutine never
    /// holds a P. Same API subset as `gort::Chan` (`new`, `send`, `recv`, `close`, `Clone`).
    mod stopgap_chan {
        use std::collections::VecDeque;
        use std::sync::{Arc, Condvar, Mutex, MutexGuard};

        struct State<T> {
            q: VecDeque<T>,
            closed: bool,
        }

        struct Inner<T> {
            m: Mutex<State<T>>,
            not_empty: Condvar,
            not_full: Condvar,
            cap: usize,
        }

        /// A bounded multi-producer multi-consumer channel.
        pub struct Chan<T> {
            inner: Arc<Inner<T>>,
        }

        impl<T> Clone for Chan<T> {
            fn clone(&self) -> Self {
                Chan {
                    inner: self.inner.clone(),
                }
            }
        }

        impl<T> Chan<T> {
            /// A channel holding up to `cap` values (at least 1).
            pub fn new(cap: usize) -> Self {
                Chan {
                    inner: Arc::new(Inner {
                        m: Mutex::new(State {
                            q: VecDeque::new(),
                            closed: false,
                        }),
                        not_empty: Condvar::new(),
                        not_full: Condvar::new(),
                        cap: cap.max(1),
                    }),
                }
            }

            fn lock(&self) -> MutexGuard<'_, State<T>> {
                self.inner.m.lock().unwrap_or_else(|e| e.into_inner())
            }

            /// Sends `v`, blocking while full; gives `v` back if the channel is closed.
            pub fn send(&self, v: T) -> Result<(), T> {
                let mut g = self.lock();
                if g.q.len() >= self.inner.cap && !g.closed {
                    g = super::syscall(|| {
                        let mut g = g;
                        while g.q.len() >= self.inner.cap && !g.closed {
                            g = self
                                .inner
                                .not_full
                                .wait(g)
                                .unwrap_or_else(|e| e.into_inner());
                        }
                        g
                    });
                }
                if g.closed {
                    return Err(v);
                }
                g.q.push_back(v);
                drop(g);
                self.inner.not_empty.notify_one();
                Ok(())
            }

            /// Receives a value, blocking while empty; `None` once closed and drained.
            pub fn recv(&self) -> Option<T> {
                let mut g = self.lock();
                if g.q.is_empty() && !g.closed {
                    g = super::syscall(|| {
                        let mut g = g;
                        while g.q.is_empty() && !g.closed {
                            g = self
                                .inner
                                .not_empty
                                .wait(g)
                                .unwrap_or_else(|e| e.into_inner());
                        }
                        g
                    });
                }
                let v = g.q.pop_front();
                drop(g);
                if v.is_some() {
                    self.inner.not_full.notify_one();
                }
                v
            }

            /// Closes the channel: receivers drain what is left, then get `None`.
            pub fn close(&self) {
                self.lock().closed = true;
                self.inner.not_empty.notify_all();
                self.inner.not_full.notify_all();
            }
        }
    }
}

/// Runs a whole trace; returns the exit status.
pub fn run(cfg: Config) -> Result<i32, String> {
    let out: Box<dyn Write + Send> = match &cfg.output {
        Some(p) => Box::new(std::fs::File::create(p).map_err(|e| {
            format!(
                "Can't fopen '{}': {}",
                p.display(),
                crate::decode::flags::strerror(e.raw_os_error().unwrap_or(0))
            )
        })?),
        None => Box::new(std::io::stderr()),
    };
    let signals = signal_hook::iterator::Signals::new([libc::SIGINT, libc::SIGTERM])
        .map_err(|e| format!("cannot install signal handlers: {e}"))?;
    rt::run(cfg.procs, move || main_goroutine(cfg, out, signals))
}

fn main_goroutine(
    cfg: Config,
    mut out: Box<dyn Write + Send>,
    mut signals: signal_hook::iterator::Signals,
) -> Result<i32, String> {
    let events: rt::Chan<Vec<Event>> = rt::Chan::new(4);
    let text: rt::Chan<String> = rt::Chan::new(64);

    let writer_in = text.clone();
    let writer = rt::spawn(move || {
        let mut ok = true;
        while let Some(chunk) = writer_in.recv() {
            // After an error (closed pipe, full disk) keep draining so the pipeline can finish.
            if ok && out.write_all(chunk.as_bytes()).is_err() {
                ok = false;
            }
        }
        let _ = out.flush();
    });

    let fopts = FormatOpts {
        decode: cfg.opts,
        follow: cfg.follow,
        to_file: cfg.output.is_some(),
        syscall_times: cfg.syscall_times,
        timestamps: cfg.timestamps,
        summary: cfg.summary,
    };
    let fmt_in = events.clone();
    let fmt_out = text.clone();
    let formatter = rt::spawn(move || {
        let mut f = Formatter::new(fopts);
        while let Some(batch) = fmt_in.recv() {
            for ev in batch {
                f.handle(ev);
            }
            for n in f.notices.drain(..) {
                eprintln!("{n}");
            }
            let s = f.take();
            if !s.is_empty() && fmt_out.send(s).is_err() {
                break;
            }
        }
        let s = f.finish();
        if !s.is_empty() {
            let _ = fmt_out.send(s);
        }
        fmt_out.close();
    });

    let handle = signals.handle();
    let watcher = rt::spawn(move || {
        while rt::syscall(|| signals.forever().next()).is_some() {
            crate::signals::request_stop(|d| rt::syscall(|| std::thread::sleep(d)));
        }
    });

    let settings = Settings {
        follow: cfg.follow,
        filter: cfg.filter,
        opts: cfg.opts,
        wall: cfg.timestamps > 0,
    };
    let start = match cfg.target {
        Target::Spawn(p) => Start::Spawn(p),
        Target::Attach(pids) => Start::Attach(pids),
    };
    let tracer_out = events.clone();
    let tracer = rt::spawn(move || {
        let cap = PtraceCap::acquire();
        let r = tracer::run(&cap, start, settings, |batch| {
            let _ = tracer_out.send(batch);
        });
        crate::signals::tracer_done();
        tracer_out.close();
        r
    });

    let result = tracer
        .join()
        .unwrap_or_else(|_| Err("the tracer goroutine panicked".into()));
    let _ = formatter.join();
    let _ = writer.join();
    handle.close();
    let _ = watcher.join();
    result
}
