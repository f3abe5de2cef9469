//! SIGINT/SIGTERM to gort-trace become a clean detach; and the wake-up that makes a blocked tracer hand
//! over the events it holds.
//!
//! Design: `signal-hook` turns the signals into a stream that a watcher goroutine reads (blocking inside
//! `gort::syscall`). The watcher sets a stop flag and must then wake the tracer, which is usually blocked in
//! `waitpid`: it sends [`WAKE_SIGNAL`] to the tracer's thread with `tgkill`. The wake handler does nothing
//! and is installed *without* `SA_RESTART`, so the tracer's `waitpid` fails with `EINTR` and the tracer sees
//! the flag. Because the flag could be set just after the tracer checked it and just before it blocked,
//! the watcher repeats the wake-up until the tracer acknowledges (or has finished).
//!
//! The same wake-up serves batching: the tracer may block in `wait4` while holding a batch of events
//! (a busy tracee will stop again in microseconds, so handing over every event would cost a cross-thread
//! wake-up per stop). It publishes when its oldest held event was taken ([`set_pending`]); a flusher
//! goroutine ticking every millisecond interrupts the tracer ([`poke_if_stale`]) when that is too old, so
//! a tracee that goes quiet still gets its lines printed within a couple of milliseconds.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::time::Duration;

/// The signal used to interrupt the tracer's `waitpid`.
pub const WAKE_SIGNAL: libc::c_int = libc::SIGUSR2;

static STOP: AtomicBool = AtomicBool::new(false);
static ACK: AtomicBool = AtomicBool::new(false);
static DONE: AtomicBool = AtomicBool::new(false);
static TRACER_TID: AtomicI32 = AtomicI32::new(0);
static PENDING_SINCE: AtomicU64 = AtomicU64::new(0);

extern "C" fn wake_handler(_: libc::c_int) {}

/// Records the calling thread as the tracer's and installs the wake handler. Called by the tracer.
pub fn register_tracer_thread() {
    // SAFETY: `sa` is fully initialised before use; the handler is async-signal-safe (it does nothing).
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = wake_handler as *const () as usize;
        sa.sa_flags = 0; // no SA_RESTART: waitpid must return EINTR
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(WAKE_SIGNAL, &sa, std::ptr::null_mut());
        // The tracer thread must be able to receive the wake-up even if the runtime blocked signals.
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, WAKE_SIGNAL);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
    }
    // Published only now that the handler is in place (the default action of the signal would kill us).
    // SAFETY: gettid has no preconditions.
    let tid = unsafe { libc::syscall(libc::SYS_gettid) } as i32;
    TRACER_TID.store(tid, Ordering::SeqCst);
}

fn wake_tracer() {
    let tid = TRACER_TID.load(Ordering::SeqCst);
    if tid != 0 {
        // SAFETY: getpid has no preconditions.
        let pid = unsafe { libc::getpid() };
        let _ = crate::ptrace::tgkill(pid, tid, WAKE_SIGNAL);
    }
}

/// Records that the tracer is about to block in `wait4` holding events gathered since `since_ns`
/// (monotonic nanoseconds; 0 when it holds none).
pub fn set_pending(since_ns: u64) {
    PENDING_SINCE.store(since_ns, Ordering::SeqCst);
}

/// Whether the tracer has finished.
pub fn tracer_finished() -> bool {
    DONE.load(Ordering::SeqCst)
}

/// Called periodically by the flusher goroutine: if the tracer has been blocked with events older than
/// `max_age_ns`, interrupt its `wait4` so that it hands them to the formatter. A wake-up lost to a race
/// (sent just before the tracer blocked) is simply repeated at the next tick.
pub fn poke_if_stale(now_ns: u64, max_age_ns: u64) {
    let since = PENDING_SINCE.load(Ordering::SeqCst);
    if since != 0 && now_ns.saturating_sub(since) >= max_age_ns {
        wake_tracer();
    }
}

/// Whether a stop (detach) was requested.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// The tracer saw the request.
pub fn acknowledge() {
    ACK.store(true, Ordering::SeqCst);
}

/// The tracer has finished (no more wake-ups needed).
pub fn tracer_done() {
    DONE.store(true, Ordering::SeqCst);
}

/// Requests a detach and wakes the tracer until it acknowledges. Called by the signal watcher goroutine;
/// `sleep` is how the caller sleeps without holding up its runtime (e.g. inside `gort::syscall`).
pub fn request_stop(sleep: impl Fn(Duration)) {
    STOP.store(true, Ordering::SeqCst);
    while !ACK.load(Ordering::SeqCst) && !DONE.load(Ordering::SeqCst) {
        wake_tracer();
        sleep(Duration::from_millis(2));
    }
}
