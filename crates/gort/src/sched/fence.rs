//! An asymmetric fence: the frequent side pays nothing, the rare side pays a `membarrier(2)`.
//!
//! An M switches goroutines millions of times a second; sysmon takes a P away from a stuck M a few
//! times a second at most. Their agreement on who owns a P is a Dekker pattern: the M stores its
//! switch count, then loads the P's state word; sysmon swaps the state word, then loads the switch
//! count. On x86 (and everywhere else) a store followed by a load of another location may be
//! reordered, so each side would need a full fence (a locked instruction, which a switch would
//! otherwise not need at all) between the two. With `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)` the rare side
//! makes every running thread of the process execute a full barrier before the call returns, which
//! stands in for the frequent side's fence: once [`heavy`] returns, a store that an M made before it
//! last loaded the state word is visible to the caller; and if the M has not made it yet, the M's
//! load comes after the barrier and sees the caller's swap. `MLocal::execute` and
//! `sysmon::steal_running` are the two sides; `runnext.rs` uses the same pattern for a P's
//! next-G slot (its owner against thieves). This file only wraps the system call.
//!
//! The kernel needs the process to register once (`MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED`, Linux
//! 4.14). Where that fails, [`enabled`] says so and the M takes the locked-instruction path at every
//! switch instead.

use std::sync::atomic::{AtomicU8, Ordering};

/// `MEMBARRIER_CMD_PRIVATE_EXPEDITED` and its registration, from `linux/membarrier.h`.
const CMD_PRIVATE_EXPEDITED: libc::c_int = 1 << 3;
const CMD_REGISTER_PRIVATE_EXPEDITED: libc::c_int = 1 << 4;

const UNKNOWN: u8 = 0;
const YES: u8 = 1;
const NO: u8 = 2;

/// Whether this process registered for expedited private membarriers. Relaxed: registration is
/// idempotent, so two threads racing to do it both get the same answer.
static REGISTERED: AtomicU8 = AtomicU8::new(UNKNOWN);

fn membarrier(cmd: libc::c_int) -> bool {
    // SAFETY: membarrier takes two integers and touches no memory of ours.
    unsafe {
        libc::syscall(
            libc::SYS_membarrier,
            cmd,
            0 as libc::c_uint,
            0 as libc::c_int,
        ) == 0
    }
}

/// Whether [`heavy`] works in this process (registering for it on the first call).
#[cfg(not(loom))]
pub(crate) fn enabled() -> bool {
    match REGISTERED.load(Ordering::Relaxed) {
        YES => true,
        NO => false,
        _ => {
            let ok = membarrier(CMD_REGISTER_PRIVATE_EXPEDITED);
            REGISTERED.store(if ok { YES } else { NO }, Ordering::Relaxed);
            ok
        }
    }
}

/// Makes every running thread of the process execute a full memory barrier (see the module
/// comment). Only valid once [`enabled`] returned true; returns false if the call failed, and then
/// the caller must not rely on it.
#[cfg(not(loom))]
pub(crate) fn heavy() -> bool {
    membarrier(CMD_PRIVATE_EXPEDITED)
}

/// The light side's barrier: only the compiler's, since [`heavy`] makes the CPU's part for it.
#[cfg(not(loom))]
#[inline(always)]
pub(crate) fn light() {
    std::sync::atomic::compiler_fence(Ordering::SeqCst);
}

// Under loom, the asymmetric pair is modelled as what it guarantees: a full fence on each side.
// (loom cannot run `membarrier`; a SeqCst fence on the light side is the strongest reading of
// "every running thread executes a full barrier", which is what the protocols rely on.)

/// Loom build: as the real one, always there.
#[cfg(loom)]
pub(crate) fn enabled() -> bool {
    true
}

/// Loom build: a SeqCst fence.
#[cfg(loom)]
pub(crate) fn heavy() -> bool {
    crate::loom::atomic::fence(Ordering::SeqCst);
    true
}

/// Loom build: a SeqCst fence (see `heavy`).
#[cfg(loom)]
pub(crate) fn light() {
    crate::loom::atomic::fence(Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membarrier_registers_and_runs_on_this_kernel() {
        // The machine this project targets runs Linux 6.x, where both calls must succeed.
        assert!(enabled());
        assert!(heavy());
    }
}
