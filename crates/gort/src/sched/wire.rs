//! Wiring a goroutine to its OS thread: `lock_os_thread` and friends (semantics 2).
//!
//! Wiring is a counter on the G and a pointer from the G to its M. Both are written only by the G
//! itself, so `lock_os_thread` is O(1) and never blocks, yields or migrates (2.1). The scheduler reads
//! the pointer where it matters: a wired G parks with `stay` (its M keeps waiting for it), `ready` hands a
//! wired G straight to its M, and a G that exits wired takes its thread down (2.5, in `m.rs`).

use std::sync::atomic::Ordering;

use super::current;
use super::park::pin_to_current_m;

/// Deepest nesting of `lock_os_thread` (Go allows 2^32 - 1; a smaller bound keeps the overflow check
/// testable and is far beyond any real use).
pub(crate) const MAX_LOCK_NESTING: u32 = 1 << 20;

pub(crate) fn lock_os_thread() {
    let g = current::current_g_ptr();
    // SAFETY: the running G is alive while it runs, and we are it.
    let Some(g) = (unsafe { g.as_ref() }) else {
        // A plain OS thread is its own thread already: nothing to wire.
        return;
    };
    let n = g.lock_count.load(Ordering::Relaxed);
    if n >= MAX_LOCK_NESTING {
        panic!("lock_os_thread nesting overflow");
    }
    if n == 0 {
        pin_to_current_m(g);
        // Relaxed: a hint for spinning Ms (`MLocal::spin_for_work`).
        g.rt.wired_gs.fetch_add(1, Ordering::Relaxed);
    }
    g.lock_count.store(n + 1, Ordering::Relaxed);
}

pub(crate) fn unlock_os_thread() {
    let g = current::current_g_ptr();
    // SAFETY: as in `lock_os_thread`.
    let Some(g) = (unsafe { g.as_ref() }) else {
        return;
    };
    let n = g.lock_count.load(Ordering::Relaxed);
    if n == 0 {
        return;
    }
    g.lock_count.store(n - 1, Ordering::Relaxed);
    if n == 1 {
        g.wired_m.store(std::ptr::null_mut(), Ordering::Release);
        g.rt.wired_gs.fetch_sub(1, Ordering::Relaxed);
    }
}

pub(crate) fn is_locked_to_thread() -> bool {
    let g = current::current_g_ptr();
    // SAFETY: as in `lock_os_thread`.
    unsafe { g.as_ref() }.is_some_and(|g| g.is_wired())
}
