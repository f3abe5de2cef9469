//! A goroutine's exit: its result to its `JoinHandle`, its stack back to the M's cache, its G to
//! the M's free list (after the registry lets it go, in batches), and the count of live goroutines
//! (per M, so that exits on different cores share no cache line).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::g::{Exec, Status, G};
use super::m::{MLocal, DEAD_BATCH};
use super::Phase;

impl MLocal {
    #[inline]
    pub(super) fn g_exit(&self, g: Arc<G>) {
        let rt = &self.rt;
        // SAFETY: as in `enter`; the goroutine has switched away for good, so nothing runs on its
        // stack.
        let exec = unsafe { g.exec() };
        if let Exec::Running { stack, .. } = std::mem::replace(exec, Exec::Done) {
            self.put_stack(stack);
        }
        let wired = g.is_wired();
        g.wired_m.store(std::ptr::null_mut(), Ordering::Release);
        if wired {
            rt.wired_gs.fetch_sub(1, Ordering::Relaxed);
            self.settle_p();
            // 2.5: the thread dies with its wired G. Its P goes on first.
            if let Some(pi) = self.p.take() {
                rt.handoff_p(pi);
            }
            self.exit_thread.set(true);
        }
        g.set_status(Status::Dead);
        self.count_exit(g.id() == 1);
        let full = {
            let mut dead = self.dead.borrow_mut();
            dead.push(g);
            dead.len() >= DEAD_BATCH
        };
        if full || wired {
            self.release_dead();
        }
    }

    /// Counts the exit of a goroutine here (`main`: goroutine 1), and stops the runtime if it was
    /// the last one that matters.
    ///
    /// Only this M writes its counter, so a plain load and store do, with no locked instruction
    /// (which slowed a fan-out measurably, commit dd9df3c: the M running the children is the slower
    /// side).
    /// What must not be missed is the last exit after main returned: the exiting M sees the phase
    /// is no longer `RUNNING` and checks, or whoever ended `RUNNING` sees the count. Here, the
    /// store, then the phase load; on main's exit, the phase CAS and the heavy fence in
    /// `begin_shutdown`, then the count loads of the `maybe_stop` after it: the fence makes one of
    /// the two sides see the other (`fence.rs`). (A shutdown begun otherwise, on a deadlock,
    /// leaves main to exit later, and its exit checks again.) Without the heavy fence the count
    /// takes a locked add, which is a full fence of its own, as the phase CAS is.
    #[inline]
    pub(super) fn count_exit(&self, main: bool) {
        let rt = &self.rt;
        let exits = &self.shared.exits;
        if self.fast_switch {
            // Release: a reader that sees the count (Acquire) sees what the goroutine did.
            exits.store(exits.load(Ordering::Relaxed) + 1, Ordering::Release);
        } else {
            exits.fetch_add(1, Ordering::SeqCst);
        }
        if main {
            rt.begin_shutdown(None);
        }
        if rt.phase() != Phase::Running {
            // After `RUNNING`: exits on several Ms at once each store, fence, then add up the
            // counts, so the last of them sees them all.
            std::sync::atomic::fence(Ordering::SeqCst);
            rt.maybe_stop();
        }
    }

    /// Unlists the Gs that exited here or keeps them for the next spawns (see
    /// `Runtime::release_exited`).
    pub(super) fn release_dead(&self) {
        let mut dead = std::mem::take(&mut *self.dead.borrow_mut());
        if dead.is_empty() {
            return;
        }
        self.free_gs.put_all(
            |list| self.rt.release_exited(&mut dead, list),
            &self.rt.free_gs,
        );
        // Give the (empty) buffer back, so that the next batch needs no allocation.
        *self.dead.borrow_mut() = dead;
    }
}
