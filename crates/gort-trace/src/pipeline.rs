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
use crate::rt;
use crate::tracer::{self, Settings, Start};
use std::io::Write;

/// Runs a whole trace; returns the exit status.
pub fn run(cfg: Config) -> Result<i32, String> {
    let out: Box<dyn Write + Send> = match &cfg.output {
        // -ff: one file per tracee, opened by `separate_writer`.
        Some(_) if cfg.separately => Box::new(std::io::sink()),
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

/// `-ff -o BASE`: formats each tracee's events on their own and writes them to `BASE.PID`.
fn separate_writer(fopts: FormatOpts, base: &std::path::Path, events: &rt::Chan<Vec<Event>>) {
    let mut s = crate::separate::Separate::new(fopts);
    let mut files: std::collections::HashMap<crate::ptrace::Pid, Option<std::fs::File>> =
        std::collections::HashMap::new();
    let mut write = |chunks: Vec<crate::separate::Chunk>| {
        for c in chunks {
            let file = files.entry(c.pid).or_insert_with(|| {
                let mut name = base.as_os_str().to_owned();
                name.push(format!(".{}", c.pid));
                match std::fs::File::create(&name) {
                    Ok(f) => Some(f),
                    Err(e) => {
                        eprintln!(
                            "gort-trace: Can't fopen '{}': {}",
                            std::path::Path::new(&name).display(),
                            crate::decode::flags::strerror(e.raw_os_error().unwrap_or(0))
                        );
                        None
                    }
                }
            });
            if let Some(f) = file {
                let _ = f.write_all(c.text.as_bytes());
            }
        }
    };
    for batch in events {
        for ev in batch {
            s.handle(ev);
        }
        for n in s.notices.drain(..) {
            eprintln!("{n}");
        }
        write(s.take());
    }
    write(s.finish());
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
        for mut chunk in &writer_in {
            // Coalesce whatever else is already queued into one write.
            while let Ok(more) = writer_in.try_recv() {
                chunk.push_str(&more);
            }
            // After an error (closed pipe, full disk) keep draining so the pipeline can finish.
            if ok && out.write_all(chunk.as_bytes()).is_err() {
                ok = false;
            }
        }
        let _ = out.flush();
    });

    crate::decode::xlat::set_style(cfg.const_style);
    let fopts = FormatOpts {
        decode: cfg.opts,
        follow: cfg.follow,
        to_file: cfg.output.is_some(),
        syscall_times: cfg.syscall_times,
        syscall_numbers: cfg.syscall_numbers,
        stamps: cfg.stamps,
        summary: cfg.summary,
        column: cfg.column,
        qual: cfg.qual.clone(),
    };
    let fmt_in = events.clone();
    let fmt_out = text.clone();
    let separately = cfg.output.clone().filter(|_| cfg.separately);
    let formatter = rt::spawn(move || {
        if let Some(base) = separately {
            // Nothing goes through `text`: the tracees' files are written here.
            let _ = fmt_out.close();
            return separate_writer(fopts, &base, &fmt_in);
        }
        let mut f = Formatter::new(fopts);
        for batch in &fmt_in {
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
        let _ = fmt_out.close();
    });

    let handle = signals.handle();
    let watcher = rt::spawn(move || {
        while rt::syscall(|| signals.forever().next()).is_some() {
            crate::signals::request_stop(|d| rt::syscall(|| std::thread::sleep(d)));
        }
    });

    let settings = Settings {
        follow: cfg.follow,
        syscall_numbers: cfg.syscall_numbers,
        seccomp: cfg.seccomp,
        filter: cfg.filter,
        opts: cfg.opts,
        wall: cfg.stamps.needs_wall_clock(),
        inject: cfg.qual.inject.clone(),
        read_fds: cfg.qual.read_fds.clone(),
        write_fds: cfg.qual.write_fds.clone(),
        paths: crate::decode::pathtrace::selected(&cfg.paths),
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
        let _ = tracer_out.close();
        r
    });

    // Hands a blocked tracer's old events to the formatter (see `signals`).
    let flusher = rt::spawn(|| {
        while !crate::signals::tracer_finished() {
            gort::time::sleep(std::time::Duration::from_millis(1));
            crate::signals::poke_if_stale(crate::event::mono_ns(), tracer::FLUSH_AFTER_NS);
        }
    });

    let result = tracer
        .join()
        .unwrap_or_else(|_| Err("the tracer goroutine panicked".into()));
    let _ = formatter.join();
    let _ = writer.join();
    handle.close();
    let _ = watcher.join();
    let _ = flusher.join();
    result
}
