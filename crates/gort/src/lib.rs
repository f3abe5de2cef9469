//! # gort: Go's goroutine runtime, in Rust
//!
//! Cheap stackful goroutines multiplexed on a few OS threads by a Go-style scheduler (Ps with local
//! run queues, work stealing, hand-off around blocking calls, a monitor thread), deadlock detection,
//! goroutine dumps, and exact, fast wiring of a goroutine to its OS thread
//! ([`lock_os_thread`]) — the feature Go added in 2009 so that its debugger could make every ptrace
//! call from one thread.
//!
//! ```
//! gort::run(|| {
//!     let h = gort::spawn(|| 6 * 7);
//!     assert_eq!(h.join().unwrap(), 42);
//! });
//! ```
//!
//! The rules the runtime keeps are in the repository's `docs/semantics.md`, numbered (the code and
//! tests cite them as "semantics N.M"); `docs/walkthroughs.md` follows a goroutine and a channel send
//! through the functions that carry them. Start reading the source at `src/sched/mod.rs`, whose
//! module comment explains the scheduler's design.
//!
//! ## Goroutines and thread-locals
//! A goroutine that is not wired may resume on another OS thread after any blocking point, so a
//! `thread_local!` read across such a point may see another thread's value. Use
//! [`goroutine_local!`] for per-goroutine state, or wire the goroutine with [`lock_os_thread`].
#![warn(missing_docs)]

mod builder;
mod config;
mod context;
mod dump;
mod handle;
mod local;
mod local_map;
mod loom;
pub(crate) mod park;
pub(crate) mod sched;
mod wait_reason;

// What a goroutine costs before it first runs is its G, closure included (`sched/body.rs`), and no
// stack. The README and `sched/mod.rs` promise at most three cache lines (192 bytes); growing the
// G past them must be a decision, not an accident.
const _: () = assert!(std::mem::size_of::<sched::g::G>() <= 192);
mod spinlock;
pub(crate) mod stack;

pub use builder::{
    run, BuildError, Builder, DEFAULT_MAX_THREADS, DEFAULT_STACK_SIZE, MAX_STACK_SIZE,
    MIN_STACK_SIZE, MIN_THREADS,
};
pub use handle::{go, spawn, Handle, JoinHandle};
pub use local::GoroutineLocal;
pub use park::WaitReason;
mod chan;
#[doc(hidden)]
pub use chan::select as __select;
pub use chan::{
    Chan, IntoIter, Iter, RecvTimeoutError, SendError, SendTimeoutError, TryIter, TryRecvError,
    TrySendError,
};
pub mod io;
pub mod net;
pub mod sync;
pub mod time;

/// The most nested [`lock_os_thread`] calls one goroutine may make.
pub const MAX_LOCK_NESTING: u32 = sched::wire::MAX_LOCK_NESTING;

/// Lets other goroutines run: the caller goes to the tail of the global run queue (semantics 1.6).
/// On a plain OS thread it is `std::thread::yield_now`.
///
/// ```
/// gort::Builder::new().max_procs(1).run(|| {
///     let h = gort::spawn(|| 1);
///     while !h.is_finished() {
///         gort::yield_now(); // lets the spawned goroutine run on our only P
///     }
/// });
/// ```
pub fn yield_now() {
    sched::park::yield_now()
}

/// Wires the calling goroutine to the OS thread it runs on now (Go's `runtime.LockOSThread`).
///
/// Until a matching number of [`unlock_os_thread`] calls, the goroutine runs only on this thread and
/// the thread runs no other goroutine (semantics 2). Calls nest. O(1): it never blocks, yields or
/// migrates. If the goroutine exits while wired, its thread exits too, so thread state it changed
/// (`unshare`, `setns`, signal masks, ptrace relationships…) cannot leak to other goroutines.
/// On a plain OS thread it does nothing.
///
/// # Panics
/// With `lock_os_thread nesting overflow` beyond [`MAX_LOCK_NESTING`] nested calls.
///
/// ```
/// gort::run(|| {
///     gort::lock_os_thread();
///     let tid = gort::thread_id();
///     gort::yield_now();
///     assert_eq!(gort::thread_id(), tid); // still on the same thread
///     gort::unlock_os_thread();
/// });
/// ```
pub fn lock_os_thread() {
    sched::wire::lock_os_thread()
}

/// Undoes one [`lock_os_thread`]. When the count reaches zero the goroutine is unwired and its thread
/// rejoins the pool at once. Without a matching lock it does nothing.
///
/// ```
/// gort::run(|| {
///     gort::unlock_os_thread(); // no-op: not wired
///     gort::lock_os_thread();
///     gort::lock_os_thread();
///     gort::unlock_os_thread();
///     assert!(gort::is_locked_to_thread()); // still one level deep
///     gort::unlock_os_thread();
///     assert!(!gort::is_locked_to_thread());
/// });
/// ```
pub fn unlock_os_thread() {
    sched::wire::unlock_os_thread()
}

/// True if the calling goroutine is wired to its thread.
///
/// ```
/// gort::run(|| {
///     assert!(!gort::is_locked_to_thread());
///     gort::lock_os_thread();
///     assert!(gort::is_locked_to_thread());
///     gort::unlock_os_thread();
/// });
/// ```
pub fn is_locked_to_thread() -> bool {
    sched::wire::is_locked_to_thread()
}

/// The kernel's id (`gettid`) of the OS thread running the caller.
///
/// ```
/// let tid = gort::thread_id();
/// assert!(std::path::Path::new(&format!("/proc/self/task/{tid}")).exists());
/// ```
pub fn thread_id() -> u64 {
    // SAFETY: gettid has no preconditions and cannot fail.
    unsafe { libc::gettid() as u64 }
}

/// The calling goroutine's id (the main goroutine is 1), or 0 on a plain OS thread.
///
/// ```
/// gort::run(|| {
///     assert_eq!(gort::goroutine_id(), 1);
///     assert_ne!(gort::spawn(gort::goroutine_id).join().unwrap(), 1);
/// });
/// assert_eq!(gort::goroutine_id(), 0);
/// ```
pub fn goroutine_id() -> u64 {
    sched::current::goroutine_id().unwrap_or(0)
}

/// How many goroutines of the current runtime are alive (0 on a plain thread).
///
/// ```
/// gort::run(|| {
///     assert_eq!(gort::num_goroutine(), 1);
/// });
/// ```
pub fn num_goroutine() -> usize {
    sched::current::with_m(|m| m.rt().live()).unwrap_or(0)
}

/// Runs `f`, a blocking call (a system call, a blocking C function), without holding a P: while it
/// blocks, other goroutines run in its place (semantics 3). `f` runs on the calling OS thread, which
/// matters for wired goroutines. One exception: an unwired goroutine other than main that calls it on
/// the thread that called [`run`] first moves to another thread, because `run` must be
/// able to return while the call blocks (semantics 4.1). On a plain OS thread it just calls `f`.
///
/// ```
/// gort::Builder::new().max_procs(1).run(|| {
///     let sleeper = gort::spawn(|| gort::syscall(|| std::thread::sleep(std::time::Duration::from_millis(50))));
///     // Meanwhile this goroutine keeps running on the only P.
///     let h = gort::spawn(|| 2 + 2);
///     assert_eq!(h.join().unwrap(), 4);
///     sleeper.join().unwrap();
/// });
/// ```
#[track_caller]
pub fn syscall<R>(f: impl FnOnce() -> R) -> R {
    sched::syscall::syscall(f)
}

/// A dump of every goroutine of the current runtime in Go's layout: id, state (with Go's wait reasons:
/// `chan receive`, `sleep`, `sync.Mutex.Lock`…), `N minutes` after a minute of waiting,
/// `locked to thread`, where it blocked and where it was created. Empty on a plain thread.
///
/// ```
/// gort::run(|| {
///     let d = gort::dump();
///     assert!(d.starts_with("goroutine 1 [running]:"));
/// });
/// ```
pub fn dump() -> String {
    sched::current::with_m(|m| m.rt().dump()).unwrap_or_default()
}

/// Sysmon's counters of the current runtime, exposed for gort's own tests only: not a stable API.
/// Both read 0 on a plain thread.
#[doc(hidden)]
pub mod __sysmon {
    use std::sync::atomic::Ordering;

    /// How many times sysmon read the kernel state of a thread whose P had work waiting behind a
    /// goroutine that ran on.
    pub fn thread_probes() -> u64 {
        crate::sched::current::with_m(|m| m.rt().sysmon_stats.probes.load(Ordering::Relaxed))
            .unwrap_or(0)
    }

    /// How many Ps sysmon took from a thread it found asleep in the kernel (a plain blocking call).
    pub fn blocked_handoffs() -> u64 {
        crate::sched::current::with_m(|m| {
            m.rt().sysmon_stats.blocked_handoffs.load(Ordering::Relaxed)
        })
        .unwrap_or(0)
    }

    /// How many Ps sysmon took from a goroutine that ran 10 ms without a scheduling point.
    pub fn stuck_handoffs() -> u64 {
        crate::sched::current::with_m(|m| {
            m.rt().sysmon_stats.stuck_handoffs.load(Ordering::Relaxed)
        })
        .unwrap_or(0)
    }
}

/// The parking primitive, exposed for gort's own benchmarks and tests only: not a stable API.
#[doc(hidden)]
pub mod __park {
    /// Wakes one parked goroutine or thread.
    #[derive(Clone, Debug)]
    pub struct Unparker(crate::park::Unparker);

    impl Unparker {
        /// Sets the token; readies the parker if it is parked.
        pub fn unpark(&self) {
            self.0.unpark()
        }
    }

    /// The current goroutine's (or thread's) unparker.
    pub fn current() -> Unparker {
        Unparker(crate::park::current())
    }

    /// Parks until unparked (spurious returns possible).
    #[track_caller]
    pub fn park() {
        crate::park::park(crate::WaitReason::Semacquire)
    }

    /// A one-way wake-up between two goroutines on park/unpark alone (no channel): a flag and the
    /// waiter's unparker. The benchmarks and tests use it to measure and exercise bare parking.
    pub struct Signal {
        flag: std::sync::atomic::AtomicBool,
        waiter: std::sync::Mutex<Option<Unparker>>,
    }

    impl Signal {
        /// A signal with no waiter yet.
        pub fn new() -> std::sync::Arc<Signal> {
            std::sync::Arc::new(Signal {
                flag: std::sync::atomic::AtomicBool::new(false),
                waiter: std::sync::Mutex::new(None),
            })
        }

        /// Makes the calling goroutine (or thread) the one that waits on this signal.
        pub fn register(&self) {
            *self.waiter.lock().unwrap() = Some(current());
        }

        /// Raises the flag and wakes the waiter.
        pub fn notify(&self) {
            // Release: what we wrote before notifying is visible to the waiter after its Acquire.
            self.flag.store(true, std::sync::atomic::Ordering::Release);
            if let Some(w) = self.waiter.lock().unwrap().as_ref() {
                w.unpark();
            }
        }

        /// Parks until the flag is raised, then lowers it.
        pub fn wait(&self) {
            while !self.flag.swap(false, std::sync::atomic::Ordering::Acquire) {
                park();
            }
        }
    }
}
