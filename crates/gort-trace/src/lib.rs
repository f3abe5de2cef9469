//! gort-trace: an strace-like syscall tracer built on the gort goroutine runtime.
//!
//! Design: one goroutine wired to its OS thread with `gort::lock_os_thread` owns every tracee and is the
//! only code that can make ptrace requests — it alone holds the `!Send` [`ptrace::PtraceCap`] that every
//! ptrace wrapper demands. It turns stops into [`event::Event`]s (with the tracee memory the decoder will
//! need already fetched) and sends them over a gort channel; an ordinary goroutine decodes and formats them
//! ([`mod@format`], [`summary`]) and another writes the text. Modules that do not touch the runtime are plain
//! library code with unit tests.

#![warn(missing_docs)]

pub mod argv;
pub mod cli;
pub mod decode;
pub mod event;
pub mod filter;
pub mod format;
pub mod pidns;
pub mod pipeline;
pub mod ptrace;
pub mod qualify;
pub mod rt;
pub mod seccomp;
pub mod separate;
pub mod signals;
pub mod sockdiag;
pub mod spawn;
pub mod summary;
pub mod timestamps;
pub mod tracee;
pub mod tracer;
