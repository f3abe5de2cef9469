//! Prefetch hints: start loading a G's memory before it is needed.
//!
//! A G queued on one core and run on another (a fan-out: one goroutine spawns, idle Ps steal)
//! reaches the running core as a string of cache misses, each a cross-core transfer, which costs
//! far more than running a short goroutine. An M that takes a G from its FIFO knows which Gs run
//! after it, and asks the CPU to fetch their lines while the current one runs. (Fetching them with
//! intent to write, `prefetchw`, did no better: commit a860a97.)
//!
//! A hint only: it changes no memory and no ordering, and on an architecture other than x86_64 it
//! is nothing.

use super::g::G;
use std::sync::Arc;

/// How many of a G's cache lines to fetch: those the scheduler touches when it starts a G.
const G_LINES: usize = 4;

/// Hints that `g`'s header lines will soon be used.
#[inline(always)]
pub(crate) fn g_soon(g: &Arc<G>) {
    #[cfg(target_arch = "x86_64")]
    {
        let base = Arc::as_ptr(g).cast::<i8>();
        for line in 0..G_LINES {
            // SAFETY: `prefetcht0` is a hint: it never faults, even on an address that is not
            // mapped, and changes no memory; `wrapping_add` keeps the address computation defined.
            unsafe {
                core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
                    base.wrapping_add(line * 64),
                )
            };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = g;
}

/// Hints that the top of `g`'s stack, where its saved context lies (what resuming it reads first),
/// will soon be used: a goroutine that has slept has a cold stack as well as a cold G.
///
/// # Safety
/// The caller holds the lock of the queue `g` waits in, so that no M owns `g`'s execution state
/// meanwhile (`G::saved_sp`).
#[inline(always)]
pub(crate) unsafe fn stack_soon(g: &G) {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: the caller's obligation, passed on.
        let Some(sp) = (unsafe { g.saved_sp() }) else {
            return;
        };
        let top = sp as *const i8;
        for line in 0..2 {
            // SAFETY: as in `g_soon`: a hint that never faults and changes no memory.
            unsafe {
                core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
                    top.wrapping_add(line * 64),
                )
            };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = g;
}
