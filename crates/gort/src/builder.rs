//! Configuring and starting a runtime: [`Builder`], [`run`] and the errors of bad configuration.

use std::fmt;
use std::panic::Location;

use crate::config::Config;

/// Smallest goroutine stack accepted (16 KiB).
pub const MIN_STACK_SIZE: usize = 16 * 1024;
/// Largest goroutine stack accepted (1 GiB).
pub const MAX_STACK_SIZE: usize = 1 << 30;
/// Default goroutine stack: 256 KiB of address space, of which only the touched pages cost memory.
pub const DEFAULT_STACK_SIZE: usize = 256 * 1024;
/// Default thread limit (Go's default for `debug.SetMaxThreads`).
pub const DEFAULT_MAX_THREADS: usize = 10_000;
/// Threads a runtime needs besides the Ms of goroutines: the main thread, sysmon and the template.
pub const MIN_THREADS: usize = 3;

/// A configuration that [`Builder::try_run`] refuses, with what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// `max_procs(0)`: at least one P is needed to run anything.
    ZeroProcs,
    /// The stack size is below [`MIN_STACK_SIZE`].
    StackTooSmall {
        /// The size asked for.
        requested: usize,
    },
    /// The stack size is above [`MAX_STACK_SIZE`].
    StackTooLarge {
        /// The size asked for.
        requested: usize,
    },
    /// The thread limit is below [`MIN_THREADS`].
    TooFewThreads {
        /// The limit asked for.
        requested: usize,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::ZeroProcs => write!(f, "gort: max_procs must be at least 1, got 0"),
            BuildError::StackTooSmall { requested } => write!(
                f,
                "gort: stack_size {requested} bytes is too small: the minimum is {MIN_STACK_SIZE} bytes (16 KiB)"
            ),
            BuildError::StackTooLarge { requested } => write!(
                f,
                "gort: stack_size {requested} bytes is too large: the maximum is {MAX_STACK_SIZE} bytes (1 GiB)"
            ),
            BuildError::TooFewThreads { requested } => write!(
                f,
                "gort: max_threads {requested} is too small: a runtime needs at least {MIN_THREADS} threads \
                 (the main thread, sysmon and the template thread)"
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// Configures a runtime, then runs a main goroutine on it.
///
/// ```
/// let sum = gort::Builder::new()
///     .max_procs(2)
///     .stack_size(64 * 1024)
///     .run(|| {
///         let hs: Vec<_> = (0..10u64).map(|i| gort::spawn(move || i * i)).collect();
///         hs.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
///     });
/// assert_eq!(sum, 285);
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    max_procs: Option<usize>,
    stack_size: usize,
    max_threads: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A builder with the defaults: `max_procs` = the machine's available parallelism, 256 KiB stacks,
    /// a limit of 10,000 threads.
    ///
    /// ```
    /// let b = gort::Builder::new();
    /// assert_eq!(b.run(|| 1 + 1), 2);
    /// ```
    pub fn new() -> Builder {
        Builder {
            max_procs: None,
            stack_size: DEFAULT_STACK_SIZE,
            max_threads: DEFAULT_MAX_THREADS,
        }
    }

    /// How many goroutines may run user code at once (Go's GOMAXPROCS).
    ///
    /// ```
    /// gort::Builder::new().max_procs(1).run(|| {
    ///     let main_thread = gort::thread_id();
    ///     // With one P and no wiring or syscalls, every goroutine runs on the thread that called run.
    ///     assert_eq!(gort::spawn(gort::thread_id).join().unwrap(), main_thread);
    /// });
    /// ```
    pub fn max_procs(mut self, n: usize) -> Builder {
        self.max_procs = Some(n);
        self
    }

    /// The size of each goroutine's stack, in bytes (rounded up to whole pages). Stacks are reserved,
    /// not committed: a goroutine costs only the pages it touches.
    ///
    /// ```
    /// gort::Builder::new().stack_size(1 << 20).run(|| {
    ///     let big = [0u8; 512 * 1024]; // fits in a 1 MiB stack
    ///     assert_eq!(big.len(), 512 * 1024);
    /// });
    /// ```
    pub fn stack_size(mut self, bytes: usize) -> Builder {
        self.stack_size = bytes;
        self
    }

    /// The most OS threads the runtime may use (Go's `debug.SetMaxThreads`); every wired goroutine
    /// holds one. Exceeding it is fatal: `runtime: program exceeds N-thread limit`, then
    /// `fatal error: thread exhaustion`, and the process exits with status 2.
    ///
    /// ```
    /// gort::Builder::new().max_threads(64).run(|| {});
    /// ```
    pub fn max_threads(mut self, n: usize) -> Builder {
        self.max_threads = n;
        self
    }

    fn config(&self) -> Result<Config, BuildError> {
        let max_procs = match self.max_procs {
            Some(0) => return Err(BuildError::ZeroProcs),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        if self.stack_size < MIN_STACK_SIZE {
            return Err(BuildError::StackTooSmall {
                requested: self.stack_size,
            });
        }
        if self.stack_size > MAX_STACK_SIZE {
            return Err(BuildError::StackTooLarge {
                requested: self.stack_size,
            });
        }
        if self.max_threads < MIN_THREADS {
            return Err(BuildError::TooFewThreads {
                requested: self.max_threads,
            });
        }
        Ok(Config {
            max_procs,
            stack_size: self.stack_size,
            max_threads: self.max_threads,
        })
    }

    /// Runs `f` as the main goroutine (id 1) on a new runtime and returns its value, or the
    /// configuration error.
    ///
    /// ```
    /// let err = gort::Builder::new().max_procs(0).try_run(|| ()).unwrap_err();
    /// assert_eq!(err, gort::BuildError::ZeroProcs);
    /// assert!(err.to_string().contains("max_procs must be at least 1"));
    /// ```
    #[track_caller]
    pub fn try_run<'a, F, T>(self, f: F) -> Result<T, BuildError>
    where
        F: FnOnce() -> T + Send + 'a,
        T: Send + 'a,
    {
        let config = self.config()?;
        Ok(crate::sched::run::run_main(config, f, Location::caller()))
    }

    /// Like [`Builder::try_run`], but panics with the error's message on a bad configuration.
    ///
    /// ```should_panic
    /// gort::Builder::new().stack_size(1024).run(|| ()); // panics: stack_size ... too small
    /// ```
    #[track_caller]
    pub fn run<'a, F, T>(self, f: F) -> T
    where
        F: FnOnce() -> T + Send + 'a,
        T: Send + 'a,
    {
        match self.config() {
            Ok(config) => crate::sched::run::run_main(config, f, Location::caller()),
            Err(e) => panic!("{e}"),
        }
    }
}

/// Runs `f` as the main goroutine (id 1) on a new runtime with the default configuration, and returns
/// its value once every other goroutine has been unwound and the runtime's threads joined.
///
/// `f` may borrow from the caller, as with `std::thread::scope`. Several runtimes may run at once in one
/// process, each on its own calling thread.
///
/// When `f` returns, every goroutine still alive is cancelled: it unwinds from the point where it is
/// parked (its destructors run), on its own thread if it is wired. A goroutine inside
/// [`syscall`](crate::syscall) is unwound when the call returns; `run` does not wait for it. A goroutine
/// that runs without ever reaching a scheduling point (no park, yield, or spawn... a busy loop) is
/// waited for: gort cannot interrupt it.
///
/// If every goroutine blocks forever, `run` panics with
/// `fatal error: all goroutines are asleep - deadlock!` and a dump of every goroutine. If `f` panics,
/// the panic resumes out of `run` after the other goroutines are unwound.
///
/// ```
/// let data = vec![1, 2, 3];
/// let total = gort::run(|| data.iter().sum::<i32>()); // borrows `data`
/// assert_eq!(total, 6);
/// ```
#[track_caller]
pub fn run<'a, F, T>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'a,
    T: Send + 'a,
{
    Builder::new().run(f)
}
