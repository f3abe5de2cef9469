//! Keeping two Ms that hand work to each other off one CPU.
//!
//! A wired goroutine and its partner take turns on two threads: each hand-off is one thread
//! setting the other's wake-up token while that thread spins on it (`wake.rs`). That costs a
//! cache-line transfer when the two threads run on two CPUs. When Linux has put both on the same
//! CPU, the waiter's spinning holds the very CPU the other thread needs: each hand-off then waits
//! for the spinner to yield, and a round trip takes tens of times longer. Linux puts them
//! there itself: waking a sleeping thread, it prefers the waker's CPU, and once both threads spin
//! neither sleeps again, so nothing moves them until the load balancer does, milliseconds later: a
//! benchmark of wired ping-pongs then turns bimodal (commit c5b3856 has the figures).
//!
//! The fix is to notice and move. A waiter records the CPU it spins on in its signal; whoever
//! notifies a spinning waiter on its own CPU knows that they share it, and before its own next
//! spin moves itself to another CPU its affinity mask allows ([`move_off`]): it narrows its mask
//! to exclude the shared CPU (Linux migrates it at once) and puts the mask back as it was (the
//! thread stays where it now is). A thread whose mask allows one CPU, or that moved less than
//! [`MOVE_EVERY`] ago, stays: when more threads spin than there are CPUs, moving cannot separate
//! them all, and moving over and over would only cost.
//!
//! With the move, the slow runs went away (before and after: commit c5b3856).
//!
//! The same placement strands a thread that sleeps between turns. An M woken from the kernel
//! goes back where it last ran, and if another of our Ms runs goroutines there without a break,
//! it waits for that thread's time slice (milliseconds) even while the other CPU idles: a wired
//! goroutine sleeping 20 µs at max_procs 2, whose M and the M that hands it the P take turns,
//! ended one run in five or six with those turns on the CPU of the M running the other P, and
//! 1-2% of its sleeps 1-8 ms late. So a thread that finds, once woken, that it waited for a CPU
//! longer than [`LATE_WAKE`] moves off it the same way ([`move_off_after_late_wake`]); Linux then
//! wakes it on its new CPU, where the thread that wakes it runs.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// No CPU recorded: the thread is not spinning.
pub(crate) const NONE: u32 = u32::MAX;

/// A thread moves off a shared CPU at most this often.
const MOVE_EVERY: Duration = Duration::from_millis(10);

/// A thread that ran this long after it was woken waited for its CPU: far longer than a wake-up
/// from the kernel takes, even of a halted virtual CPU (tens of microseconds), and far shorter
/// than the time slice of a thread that keeps the CPU.
pub(crate) const LATE_WAKE: Duration = Duration::from_micros(250);

/// The CPU the calling thread runs on now (`NONE` if unknown). glibc answers from the thread's
/// `rseq` area or the vDSO, without a system call.
pub(crate) fn current() -> u32 {
    // SAFETY: sched_getcpu takes no arguments and only reads the calling thread's state.
    let cpu = unsafe { libc::sched_getcpu() };
    u32::try_from(cpu).unwrap_or(NONE)
}

thread_local! {
    /// This thread notified a waiter spinning on its CPU, and should move before it spins itself.
    static SHARED: Cell<bool> = const { Cell::new(false) };
    /// When this thread last moved.
    static LAST_MOVE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Notes that the calling thread just notified a thread spinning on its own CPU. (Thread-locals
/// here and below are read through functions that are never inlined, as everywhere in the runtime:
/// these may be called from a goroutine, which may change threads between calls.)
#[inline(never)]
pub(crate) fn note_shared() {
    SHARED.with(|s| s.set(true));
}

/// Before the calling thread spins on CPU `cpu`: if it last notified a thread spinning on that
/// CPU, moves it to another CPU (see the module comment). Returns the CPU it runs on afterwards.
#[inline(never)]
pub(crate) fn move_off_if_shared(cpu: u32) -> u32 {
    if !SHARED.with(|s| s.replace(false)) || !move_off_unless_recent(cpu) {
        return cpu;
    }
    current()
}

/// After a wake-up from the kernel that the calling thread waited for longer than [`LATE_WAKE`]
/// (another thread held its CPU): moves it to another CPU, as [`move_off_if_shared`] does, at
/// most once every [`MOVE_EVERY`]. True if it moved.
#[inline(never)]
pub(crate) fn move_off_after_late_wake() -> bool {
    move_off_unless_recent(current())
}

/// Moves the calling thread off CPU `cpu` ([`move_off`]) unless it moved less than
/// [`MOVE_EVERY`] ago or `cpu` is unknown. True if it moved.
fn move_off_unless_recent(cpu: u32) -> bool {
    if cpu == NONE {
        return false;
    }
    let now = Instant::now();
    if LAST_MOVE.with(|t| t.get().is_some_and(|t| now - t < MOVE_EVERY)) || !move_off(cpu as usize)
    {
        return false;
    }
    LAST_MOVE.with(|t| t.set(Some(now)));
    true
}

/// How many CPUs the calling thread's affinity mask allows (0 if it cannot be read).
#[cfg(test)]
pub(crate) fn cpus_allowed() -> usize {
    // SAFETY: an all-zero `cpu_set_t` is a valid, empty set.
    let mut mask: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `mask` is a live `cpu_set_t` of the size passed; pid 0 names the calling thread.
    if unsafe { libc::sched_getaffinity(0, std::mem::size_of_val(&mask), &mut mask) } != 0 {
        return 0;
    }
    // SAFETY: `mask` is a valid set.
    unsafe { libc::CPU_COUNT(&mask) as usize }
}

/// Whether the calling thread moved off a CPU less than `ago` ago.
#[cfg(test)]
pub(crate) fn moved_within(ago: Duration) -> bool {
    LAST_MOVE.with(|t| t.get().is_some_and(|t| t.elapsed() < ago))
}

/// Moves the calling thread off CPU `cpu` to another CPU that its affinity mask allows, and
/// restores the mask. False if it could not (the mask allows no other CPU, or a call failed).
fn move_off(cpu: usize) -> bool {
    let size = std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: an all-zero `cpu_set_t` is a valid, empty set (it is a plain bit array).
    let mut mask: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `mask` is a live `cpu_set_t` of `size` bytes; the call writes only into it, and
    // pid 0 names the calling thread.
    if unsafe { libc::sched_getaffinity(0, size, &mut mask) } != 0 {
        return false;
    }
    if cpu >= libc::CPU_SETSIZE as usize {
        return false;
    }
    // SAFETY: `cpu` is below CPU_SETSIZE, so the bit lies inside `mask`.
    let (allowed, count) = unsafe { (libc::CPU_ISSET(cpu, &mask), libc::CPU_COUNT(&mask)) };
    if !allowed || count < 2 {
        return false;
    }
    let original = mask;
    // SAFETY: as above.
    unsafe { libc::CPU_CLR(cpu, &mut mask) };
    // SAFETY: as above; the set is non-empty (it held at least two CPUs), so the kernel migrates
    // the thread to one of the others before returning.
    if unsafe { libc::sched_setaffinity(0, size, &mask) } != 0 {
        return false;
    }
    // SAFETY: as above; restoring the mask read at the start leaves the thread where it is now.
    unsafe { libc::sched_setaffinity(0, size, &original) };
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask() -> libc::cpu_set_t {
        // SAFETY: as in `move_off`.
        let mut m: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: as in `move_off`.
        let r = unsafe { libc::sched_getaffinity(0, std::mem::size_of_val(&m), &mut m) };
        assert_eq!(r, 0);
        m
    }

    fn same(a: &libc::cpu_set_t, b: &libc::cpu_set_t) -> bool {
        // SAFETY: both are valid sets.
        unsafe { libc::CPU_EQUAL(a, b) }
    }

    /// Runs `f` on a fresh thread (whose moves and their times are its own), if that thread may
    /// run on two CPUs or more: elsewhere there is nowhere to move to.
    fn on_a_thread_that_can_move(f: impl FnOnce() + Send + 'static) {
        std::thread::spawn(|| {
            if cpus_allowed() >= 2 {
                f();
            }
        })
        .join()
        .unwrap();
    }

    /// Moving off a CPU lands the thread on another one and leaves its affinity mask as it was.
    #[test]
    fn moving_off_a_cpu_changes_the_cpu_and_keeps_the_mask() {
        on_a_thread_that_can_move(|| {
            let before = mask();
            let cpu = current();
            assert!(move_off(cpu as usize));
            assert_ne!(current(), cpu, "still on CPU {cpu}");
            assert!(same(&mask(), &before), "the affinity mask changed");
        });
    }

    /// A thread allowed on one CPU only stays there.
    #[test]
    fn a_thread_pinned_to_one_cpu_does_not_move() {
        std::thread::spawn(|| {
            let cpu = current();
            // SAFETY: as in `move_off`.
            let mut one: libc::cpu_set_t = unsafe { std::mem::zeroed() };
            // SAFETY: `cpu` is a CPU this thread runs on, inside the set.
            unsafe { libc::CPU_SET(cpu as usize, &mut one) };
            // SAFETY: as in `move_off`.
            let r = unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(&one), &one) };
            assert_eq!(r, 0);
            assert!(!move_off(cpu as usize));
            assert_eq!(current(), cpu);
            assert!(same(&mask(), &one));
        })
        .join()
        .unwrap();
    }

    /// A thread moves after a late wake-up, and not again within `MOVE_EVERY`.
    #[test]
    fn a_late_wake_up_moves_the_thread_but_not_twice_in_a_row() {
        on_a_thread_that_can_move(|| {
            let before = mask();
            let cpu = current();
            assert!(
                move_off_after_late_wake(),
                "did not move after a late wake-up"
            );
            assert_ne!(current(), cpu, "still on CPU {cpu}");
            assert!(same(&mask(), &before), "the affinity mask changed");
            assert!(!move_off_after_late_wake(), "moved twice in a row");
        });
    }

    /// Only a thread that noted a shared CPU moves, and then not again within `MOVE_EVERY`.
    #[test]
    fn a_thread_moves_only_when_it_shared_its_cpu_and_not_twice_in_a_row() {
        on_a_thread_that_can_move(|| {
            let cpu = current();
            assert_eq!(move_off_if_shared(cpu), cpu, "moved without sharing");
            note_shared();
            let moved_to = move_off_if_shared(cpu);
            assert_ne!(moved_to, cpu, "did not move off a shared CPU");
            note_shared();
            assert_eq!(
                move_off_if_shared(moved_to),
                moved_to,
                "moved twice in a row"
            );
        });
    }
}
