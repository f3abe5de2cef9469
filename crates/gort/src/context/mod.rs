//! Execution contexts: how the CPU moves from one stack to another.
//!
//! A suspended context is one word, the stack pointer at which [`switch`] saved the registers the
//! platform's calling convention makes callee-saved. Switching saves ours the same way, stores our
//! stack pointer, loads the other one and restores its registers: to each side, `switch` is a
//! plain function call that returns when someone switches back. Everything the scheduler needs is
//! built from this one operation:
//!
//! - an M resumes a goroutine, and a goroutine returns to its M (as Go's `gogo` and `mcall`);
//! - a goroutine that blocks hands its thread straight to the next goroutine of its P, without
//!   passing through the M's stack (see `sched/switch.rs`).
//!
//! The second is why gort has its own switch rather than a coroutine library's resume/suspend
//! pair, which always goes through the resumer. A CPU predicts each `ret` from the return
//! addresses its `call`s pushed; after a stack switch that buffer holds the other stack's
//! addresses, and every return the resumed side makes mispredicts until the two call chains agree
//! again. Two goroutines that block in the same place (the two ends of a channel, two yielders)
//! have identical chains, so a direct switch between them costs no misprediction at all, while a
//! detour through the M costs several (`benches/switch.rs` measures both).
//!
//! A fresh stack is made to look like a context that saved itself just before calling an entry
//! function ([`prepare`]): the first switch to it "returns" into a small start routine, which calls
//! `entry(arg)`. The start routine's unwind information marks it as the outermost frame, so
//! backtraces taken on a goroutine end there instead of running off the top of its stack. `entry`
//! must never return: a finished goroutine switches away for good.
//!
//! What is not saved: the floating-point control words (x87 CW, MXCSR). They are callee-saved too,
//! but Rust code does not change them, and Go does not save them either; a goroutine that changes
//! them changes them for whatever runs next on its thread.
//!
//! Only x86_64 is written (the architecture gort and gort-trace are built and tested on); another
//! architecture needs its own `switch` and start routine in a sibling file.

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
use x86_64 as arch;

#[cfg(not(target_arch = "x86_64"))]
compile_error!("gort's context switch is written for x86_64 only (see context/mod.rs)");

/// The function a fresh context starts in. It receives the `arg` given to [`prepare`] and must
/// never return.
pub(crate) type Entry = unsafe extern "C" fn(arg: usize) -> !;

/// Saves the current context at `*save` and resumes the context saved at `to`. Returns when
/// another switch resumes the context saved here, maybe on another thread.
///
/// # Safety
/// `save` is valid for a write and stays so until the context saved there is resumed or abandoned.
/// `to` was written by a switch (or returned by [`prepare`]) and has not been resumed since: each
/// saved context is resumed at most once, and its stack is still mapped. The caller holds no
/// reference derived from a thread-local across the call (it may return on another thread).
#[inline(always)]
pub(crate) unsafe fn switch(save: *mut usize, to: usize) {
    // SAFETY: the caller's contract is `arch::switch`'s.
    unsafe { arch::switch(save, to) }
}

/// Turns the stack whose highest address is `top` into a context that, when first switched to,
/// calls `entry(arg)`. Returns the context's saved stack pointer. `top` must be 16-aligned.
///
/// # Safety
/// `[top - 128, top)` is writable memory of a stack that nothing else uses.
pub(crate) unsafe fn prepare(top: usize, entry: Entry, arg: usize) -> usize {
    debug_assert_eq!(top % 16, 0, "a stack's top must be 16-aligned");
    // SAFETY: the caller's contract is `arch::prepare`'s.
    unsafe { arch::prepare(top, entry, arg) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A test's shared state: the two saved contexts and a trace of who ran when.
    struct Pair {
        main: Cell<usize>,
        side: Cell<usize>,
        trace: Cell<u64>,
    }

    unsafe extern "C" fn side(arg: usize) -> ! {
        // SAFETY: `arg` is the `Pair` on the test's stack, which outlives this context.
        let pair = unsafe { &*(arg as *const Pair) };
        for i in 0..3u64 {
            pair.trace.set(pair.trace.get() * 10 + 2 + i);
            // SAFETY: `main` was saved by the switch that resumed us; `side` is ours.
            unsafe { switch(pair.side.as_ptr(), pair.main.get()) };
        }
        // Never resumed again: the test abandons this context.
        // SAFETY: as above.
        unsafe { switch(pair.side.as_ptr(), pair.main.get()) };
        unreachable!("an abandoned context was resumed");
    }

    #[test]
    fn a_switch_returns_when_the_other_side_switches_back_with_every_register_intact() {
        let mut stack = vec![0u128; 4096];
        let top = stack.as_mut_ptr() as usize + stack.len() * 16;
        let pair = Pair {
            main: Cell::new(0),
            side: Cell::new(0),
            trace: Cell::new(1),
        };
        // SAFETY: the vector is ours, 64 KiB, and outlives every switch into it.
        pair.side
            .set(unsafe { prepare(top, side, &pair as *const Pair as usize) });
        // Values live across the switches, in callee-saved registers or on our stack.
        let (a, b, c) = (
            std::hint::black_box(7u64),
            std::hint::black_box(11u64),
            13u64,
        );
        for i in 0..3u64 {
            // SAFETY: `side` holds a context prepared above or saved by its last switch.
            unsafe { switch(pair.main.as_ptr(), pair.side.get()) };
            pair.trace.set(pair.trace.get() * 10 + 6 + i);
        }
        assert_eq!(
            pair.trace.get(),
            1_263_748,
            "the two sides took turns, in order"
        );
        assert_eq!((a, b, c), (7, 11, 13));
        assert!(
            stack.iter().rev().take(8).any(|w| *w != 0),
            "the side ran on its own stack"
        );
    }
}
