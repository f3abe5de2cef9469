//! Spawning goroutines and waiting for them: [`spawn`], [`Handle`], [`JoinHandle`].

use std::any::Any;
use std::fmt;
use std::panic::{self, AssertUnwindSafe, Location};
use std::sync::Arc;

use crate::park::{self};
use crate::sched::body::Body;
use crate::sched::g::{cancelled_payload, Cancelled, G};
use crate::sched::m::MLocal;
use crate::sched::{current, Runtime};
use crate::wait_reason::WaitReason;

/// An owned permission to join a goroutine (wait for it to finish and take its value), like
/// `std::thread::JoinHandle`. Dropping it detaches the goroutine.
///
/// ```
/// gort::run(|| {
///     let h = gort::spawn(|| "hello");
///     assert_eq!(h.join().unwrap(), "hello");
/// });
/// ```
pub struct JoinHandle<T> {
    /// The goroutine itself: its result lands in it (`G::complete`), so a goroutine costs no separate
    /// allocation for it while it runs or parks.
    g: Arc<G>,
    /// Turns the type-erased result back into `T`. Made by [`spawn`], where `T: 'static` is known,
    /// so that the handle's methods need no bound of their own (as `std::thread::JoinHandle`'s).
    unbox: fn(Box<dyn Any + Send>) -> std::thread::Result<T>,
}

/// The `unbox` of a `JoinHandle<T>`: the result a goroutine spawned for `T` left in its G.
fn unbox_result<T: 'static>(r: Box<dyn Any + Send>) -> std::thread::Result<T> {
    *r.downcast::<std::thread::Result<T>>()
        .expect("a goroutine's result has the type its JoinHandle names")
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("id", &self.g.id())
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl<T> JoinHandle<T> {
    /// Waits for the goroutine to finish; parks the calling goroutine (or blocks the calling thread)
    /// meanwhile. Returns its value, or `Err` with the panic payload if it panicked (the panic hook has
    /// printed the message with the goroutine's id). A goroutine cancelled because the runtime shut
    /// down returns `Err` with a `&str` payload saying so.
    ///
    /// ```
    /// gort::run(|| {
    ///     let h = gort::spawn(|| -> u32 { panic!("boom") });
    ///     let err = h.join().unwrap_err();
    ///     assert_eq!(*err.downcast_ref::<&str>().unwrap(), "boom");
    /// });
    /// ```
    #[track_caller]
    pub fn join(self) -> std::thread::Result<T> {
        loop {
            if let Some(r) = self.g.take_result(park::current()) {
                return (self.unbox)(r);
            }
            park::park(WaitReason::Join);
        }
    }

    /// The goroutine's id (as in `gort::dump` and `gort::goroutine_id`).
    ///
    /// ```
    /// gort::run(|| {
    ///     let h = gort::spawn(gort::goroutine_id);
    ///     let id = h.id();
    ///     assert_eq!(h.join().unwrap(), id);
    /// });
    /// ```
    pub fn id(&self) -> u64 {
        self.g.id()
    }

    /// True once the goroutine has finished (returned, panicked or been cancelled).
    ///
    /// ```
    /// gort::run(|| {
    ///     let h = gort::spawn(|| ());
    ///     while !h.is_finished() {
    ///         gort::yield_now();
    ///     }
    ///     assert!(h.join().is_ok());
    /// });
    /// ```
    pub fn is_finished(&self) -> bool {
        self.g.is_done()
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        self.g.detach();
    }
}

/// Spawns a goroutine on the current runtime and returns its [`JoinHandle`].
///
/// Never blocks, and never runs the goroutine inline: it goes to the current P's `runnext` slot and
/// usually runs when the caller next blocks or yields (semantics 1.1).
///
/// # Panics
/// Outside a gort runtime (on a plain OS thread): use [`run`](crate::run), or a [`Handle`] taken
/// inside the runtime.
///
/// # Thread-locals
/// A goroutine may resume on a different OS thread after any blocking point (a channel operation,
/// `yield_now`, `join`, a mutex, a sleep). A `thread_local!` read across such a point can see another
/// thread's value, and LLVM may even reuse a thread-local's address computed before the switch. Keep
/// per-goroutine state in [`goroutine_local!`](crate::goroutine_local), which moves with the goroutine,
/// or wire the goroutine with [`lock_os_thread`](crate::lock_os_thread) when it needs thread-affine
/// state (ptrace, thread-bound C libraries, per-thread namespaces).
///
/// ```
/// gort::run(|| {
///     let handles: Vec<_> = (0..4).map(|i| gort::spawn(move || i * 10)).collect();
///     let results: Vec<i32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
///     assert_eq!(results, [0, 10, 20, 30]);
/// });
/// ```
#[track_caller]
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let at = Location::caller();
    // Spawn through our M's handle on the runtime: cloning it would bounce the runtime's reference
    // count between cores at every spawn.
    let mut f = Some(f);
    let spawned = current::with_m(|m| {
        let parent = current::goroutine_id().unwrap_or(0);
        spawn_on(m.rt(), Some(m), f.take().expect("taken once"), parent, at)
    });
    let Some(handle) = spawned else {
        panic!(
            "gort::spawn called outside a gort runtime: start one with gort::run, or spawn from a plain \
             thread with a gort::Handle taken inside the runtime"
        );
    };
    handle
}

/// Starts `f` as a new goroutine and returns nothing, like Go's `go` statement: nobody can join it,
/// so nothing of it outlives its end. Use a channel or a [`WaitGroup`](crate::sync::WaitGroup) to
/// learn that it finished. The cheapest way to start a goroutine: `spawn` also sets up the result's
/// hand-over to the `JoinHandle`, and dropping the handle costs two atomic operations more.
///
/// A panic in `f` is printed by the panic hook with the goroutine's id, as for `spawn`, and then
/// dropped (Go would end the program).
///
/// # Panics
/// Outside a gort runtime, as [`spawn`].
///
/// ```
/// gort::run(|| {
///     let done = gort::Chan::new(0);
///     let d = done.clone();
///     gort::go(move || d.send("hi").unwrap());
///     assert_eq!(done.recv(), Some("hi"));
/// });
/// ```
#[track_caller]
pub fn go<F>(f: F)
where
    F: FnOnce() + Send + 'static,
{
    let at = Location::caller();
    let mut f = Some(f);
    let started = current::with_m(|m| {
        let parent = current::goroutine_id().unwrap_or(0);
        let f = f.take().expect("taken once");
        let body = Body::new(move |me: &G, cancelled: bool| {
            if cancelled {
                drop(f);
            } else {
                // The hook has printed a panic's message; a cancellation unwinds silently.
                drop(panic::catch_unwind(AssertUnwindSafe(f)));
            }
            me.complete_detached();
        });
        m.rt().spawn_g(Some(m), body, parent, at, false);
    });
    if started.is_none() {
        panic!(
            "gort::go called outside a gort runtime: start one with gort::run, or spawn from a plain \
             thread with a gort::Handle taken inside the runtime"
        );
    }
}

/// Spawns on `rt`; `m` is the calling thread's M, if it is one (spares looking it up again).
fn spawn_on<F, T>(
    rt: &Arc<Runtime>,
    m: Option<&MLocal>,
    f: F,
    parent: u64,
    at: &'static Location<'static>,
) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let body = Body::new(move |me: &G, cancelled: bool| {
        let r: std::thread::Result<T> = if cancelled {
            drop(f);
            Err(cancelled_payload())
        } else {
            panic::catch_unwind(AssertUnwindSafe(f)).map_err(|e| {
                if e.is::<Cancelled>() {
                    cancelled_payload()
                } else {
                    e
                }
            })
        };
        // `me` is the goroutine itself: the body runs on it, or, for a goroutine discarded unstarted
        // at the end of `run`, on the thread that discards it.
        if me.is_detached() {
            // Nobody can join it any more: the result (or panic payload) is dropped right here.
            drop(r);
            me.complete_detached();
        } else {
            me.complete(Box::new(r));
        }
    });
    let g = rt
        .spawn_g(m, body, parent, at, true)
        .expect("asked for a handle");
    JoinHandle {
        g,
        unbox: unbox_result::<T>,
    }
}

/// A handle to a running runtime, for spawning goroutines from plain OS threads.
///
/// ```
/// gort::run(|| {
///     let handle = gort::Handle::current();
///     let from_thread = std::thread::spawn(move || handle.spawn(|| 7).join().unwrap());
///     assert_eq!(from_thread.join().unwrap(), 7);
/// });
/// ```
#[derive(Clone)]
pub struct Handle {
    rt: Arc<Runtime>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("max_procs", &self.rt.ps.len())
            .finish()
    }
}

impl Handle {
    /// The handle of the runtime the caller runs on.
    ///
    /// # Panics
    /// Outside a gort runtime.
    ///
    /// ```
    /// gort::run(|| {
    ///     let h = gort::Handle::current();
    ///     assert_eq!(h.spawn(|| 1).join().unwrap(), 1);
    /// });
    /// ```
    pub fn current() -> Handle {
        Handle::try_current().expect("gort::Handle::current called outside a gort runtime")
    }

    /// The handle of the runtime the caller runs on, or `None` on a plain thread.
    ///
    /// ```
    /// assert!(gort::Handle::try_current().is_none());
    /// gort::run(|| assert!(gort::Handle::try_current().is_some()));
    /// ```
    pub fn try_current() -> Option<Handle> {
        current::with_m(|m| Handle { rt: m.rt().clone() })
    }

    /// Spawns a goroutine on this handle's runtime, from any thread. If the runtime is shutting down
    /// the goroutine is cancelled before it starts, and its `join` says so.
    ///
    /// ```
    /// gort::run(|| {
    ///     let h = gort::Handle::current();
    ///     let t = std::thread::spawn(move || h.spawn(|| 2 + 2).join().unwrap());
    ///     assert_eq!(t.join().unwrap(), 4);
    /// });
    /// ```
    #[track_caller]
    pub fn spawn<F, T>(&self, f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        // SAFETY: `current_ptr` is null or this thread's `MLocal`, alive for this whole call.
        let m = unsafe { current::current_ptr().as_ref() };
        spawn_on(
            &self.rt,
            m,
            f,
            current::goroutine_id().unwrap_or(0),
            Location::caller(),
        )
    }
}
