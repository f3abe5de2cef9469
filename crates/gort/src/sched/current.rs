//! The current M, read through one thread-local pointer.
//!
//! A goroutine may resume on another OS thread after any switch, and LLVM may keep a thread-local's
//! address computed before the switch (llvm issue 98479). So the runtime never holds a reference derived
//! from the thread-local across a switch: every read goes through [`current_ptr`], which is
//! `#[inline(never)]` so that the address is recomputed on each call, and the accessors below hand out
//! references only to closures that cannot switch (nothing in them parks).

use std::cell::Cell;
use std::sync::Arc;

use super::g::G;
use super::m::MLocal;

thread_local! {
    static CURRENT: Cell<*const MLocal> = const { Cell::new(std::ptr::null()) };
}

/// The M running on this thread, or null on a plain thread.
#[inline(never)]
pub(crate) fn current_ptr() -> *const MLocal {
    CURRENT.with(|c| c.get())
}

#[inline(never)]
pub(crate) fn set_current(m: *const MLocal) {
    CURRENT.with(|c| c.set(m));
}

/// Runs `f` with this thread's M, if it is one. `f` must not park or yield.
#[inline]
pub(crate) fn with_m<R>(f: impl FnOnce(&MLocal) -> R) -> Option<R> {
    let m = current_ptr();
    // SAFETY: a non-null pointer was set by `MLocal::run_loop` for this thread and stays valid until
    // that loop returns, which cannot happen while code on this thread is inside `f`.
    unsafe { m.as_ref() }.map(f)
}

/// The goroutine running on this thread, or null. The G stays alive while it runs (its M holds it), so a
/// goroutine may keep this pointer to itself across switches; nobody else may.
#[inline(never)]
pub(crate) fn current_g_ptr() -> *const G {
    with_m(|m| m.current_g()).unwrap_or(std::ptr::null())
}

/// The running goroutine, as a counted reference.
pub(crate) fn current_g() -> Option<Arc<G>> {
    with_m(|m| m.current_g_arc()).flatten()
}

/// The running goroutine's id, or `None` on a plain thread.
pub(crate) fn goroutine_id() -> Option<u64> {
    let g = current_g_ptr();
    // SAFETY: see `current_g_ptr`: the running G is alive.
    unsafe { g.as_ref() }.map(|g| g.id())
}
