//! Goroutine-local storage: [`GoroutineLocal`] and [`goroutine_local!`](crate::goroutine_local).
//!
//! The replacement for `thread_local!` in goroutine code (semantics 5): the value belongs to the
//! goroutine and moves with it from thread to thread. Each goroutine has a small map from the address of
//! a `GoroutineLocal` static to a boxed value, created on first use and dropped, on the goroutine, when
//! it exits. On a plain OS thread (outside any runtime) the same API falls back to a per-thread map.

use std::cell::RefCell;

use crate::local_map::LocalMap;
use crate::sched::current;

thread_local! {
    static THREAD_FALLBACK: RefCell<LocalMap> = RefCell::new(LocalMap::default());
}

/// A goroutine-local variable: each goroutine sees its own value, initialised on first use. Declare
/// one with [`goroutine_local!`](crate::goroutine_local). Like `thread_local!`, access goes through
/// [`with`](GoroutineLocal::with), and interior mutability (`Cell`, `RefCell`) makes it writable.
///
/// ```
/// use std::cell::Cell;
/// gort::goroutine_local! {
///     static COUNTER: Cell<u32> = Cell::new(0);
/// }
/// gort::run(|| {
///     COUNTER.with(|c| c.set(5));
///     gort::yield_now(); // may resume on another thread: the value comes along
///     assert_eq!(COUNTER.with(|c| c.get()), 5);
///     // A new goroutine starts with its own value.
///     assert_eq!(gort::spawn(|| COUNTER.with(|c| c.get())).join().unwrap(), 0);
/// });
/// ```
pub struct GoroutineLocal<T: Send + 'static> {
    init: fn() -> T,
}

impl<T: Send + 'static> GoroutineLocal<T> {
    /// A key whose value starts as `init()` in each goroutine. Prefer the macro.
    ///
    /// ```
    /// static NAME: gort::GoroutineLocal<String> = gort::GoroutineLocal::new(String::new);
    /// gort::run(|| NAME.with(|n| assert!(n.is_empty())));
    /// ```
    pub const fn new(init: fn() -> T) -> GoroutineLocal<T> {
        GoroutineLocal { init }
    }

    /// Runs `f` with a reference to the current goroutine's value (the current thread's, outside a
    /// runtime). `f` may block or yield: the value belongs to the goroutine, not to the thread.
    ///
    /// ```
    /// use std::cell::RefCell;
    /// gort::goroutine_local! { static LOG: RefCell<Vec<&'static str>> = RefCell::new(Vec::new()); }
    /// gort::run(|| {
    ///     LOG.with(|l| l.borrow_mut().push("a"));
    ///     LOG.with(|l| assert_eq!(*l.borrow(), ["a"]));
    /// });
    /// ```
    pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        let key = self as *const Self as usize;
        let g = current::current_g_ptr();
        // SAFETY: the running G is alive and we are it.
        let ptr = match unsafe { g.as_ref() } {
            // SAFETY: we are the goroutine; the map borrow ends before `f` runs.
            Some(g) => unsafe { g.locals() }.get_or_init(key, self.init),
            None => THREAD_FALLBACK.with(|m| m.borrow_mut().get_or_init(key, self.init)),
        };
        // SAFETY: values are boxed and live until their goroutine (or thread) ends, which cannot
        // happen while it runs `f`; only shared references are handed out.
        f(unsafe { &*ptr })
    }
}

/// Declares goroutine-local statics, with the syntax of `thread_local!`.
///
/// ```
/// use std::cell::Cell;
/// gort::goroutine_local! {
///     /// Requests handled by this goroutine.
///     pub static HANDLED: Cell<u64> = Cell::new(0);
/// }
/// gort::run(|| {
///     HANDLED.with(|h| h.set(h.get() + 1));
///     assert_eq!(HANDLED.with(Cell::get), 1);
/// });
/// ```
#[macro_export]
macro_rules! goroutine_local {
    ($($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr;)+) => {
        $(
            $(#[$attr])*
            $vis static $name: $crate::GoroutineLocal<$t> = $crate::GoroutineLocal::new({
                fn __gort_local_init() -> $t {
                    $init
                }
                __gort_local_init
            });
        )+
    };
}
