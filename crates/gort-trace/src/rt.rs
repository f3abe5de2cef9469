//! The runtime operations gort-trace uses, from gort: a leaf, so that the modules that run on the
//! runtime (the tracer, the ptrace wrapper, the pipeline) need not reach into each other for it.

pub use gort::{lock_os_thread, spawn, syscall, Chan};

/// Runs `f` as the main goroutine of a runtime with `procs` processors.
pub fn run<T: Send + 'static>(procs: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
    gort::Builder::new().max_procs(procs).run(f)
}
