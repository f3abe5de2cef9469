//! Free Gs (Go's gFree): Gs whose goroutine has exited, kept to carry the next spawned ones.
//!
//! A spawn that finds a free G skips two allocations' worth of work (the G and its reference to the
//! runtime) and, more importantly on several cores, the cache-line traffic they cause: a G freed by
//! the M where it exited and allocated again by the M that spawns makes the allocator and the runtime's
//! reference count bounce between cores at every spawn.
//!
//! Each M keeps up to [`LOCAL_MAX`] free Gs of its own, with no lock. An M with more moves half to the
//! runtime-wide list; an M with none takes a batch from it. When goroutines are spawned on one M and
//! exit on another (the usual fan-out), Gs flow back through the global list, one lock per
//! [`BATCH`] Gs.
//!
//! Only a G that nobody but the registry references is freed (`FreeG::new` checks it under the
//! registry lock): one whose `JoinHandle` still exists, or that a lazily deleted timer entry still
//! names, is unlisted and dropped the usual way when its last reference goes. A free G stays listed
//! in the registry as `Dead` (readers skip it and never lend it out), so reusing it takes no registry
//! lock; a `FreeG` dropped unused unlists it. A free G holds its runtime (`G::rt`), and the runtime
//! holds the global list: `close` breaks that cycle at the end of `run`.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::body::Body;
use super::g::G;
use crate::spinlock::{SpinGuard, SpinLock};

/// A G on a free list: its goroutine has exited, it has been reset, and it stays listed in the
/// registry as `Dead` (so a spawn that reuses it needs no registry lock). Its only references are
/// this one and the registry's, which lends no `Dead` G to anyone; `new` checks that under the
/// registry lock, and nothing can break it afterwards. Dropped unused, it leaves the registry.
pub(crate) struct FreeG(std::mem::ManuallyDrop<Arc<G>>);

impl FreeG {
    /// Resets `g` for reuse if nobody but the registry and the caller references it; gives it back
    /// otherwise.
    ///
    /// # Safety
    /// The caller holds the lock of the registry shard that lists `g`, and `g` is `Dead` (its
    /// goroutine has exited): then no new reference can appear while we look.
    pub(crate) unsafe fn new(g: Arc<G>) -> Result<FreeG, Arc<G>> {
        // The registry's reference and ours; a `Weak` could be upgraded behind our back.
        if Arc::strong_count(&g) != 2 || Arc::weak_count(&g) != 0 {
            return Err(g);
        }
        // Acquire: whoever dropped the other references did so with a Release decrement (as in
        // `Arc`'s own drop); this makes what they wrote to the G (a join slot used and emptied)
        // visible to `reset`.
        std::sync::atomic::fence(std::sync::atomic::Ordering::Acquire);
        // SAFETY: the references are ours and the registry's, which lends no `Dead` G, and the
        // goroutine has exited: nothing else touches the G.
        unsafe { g.reset() };
        Ok(FreeG(std::mem::ManuallyDrop::new(g)))
    }

    /// The G, set up to carry a new goroutine (still listed in the registry).
    pub(crate) fn reuse(
        self,
        id: u64,
        start: Body,
        parent: u64,
        at: &'static std::panic::Location<'static>,
    ) -> Arc<G> {
        let mut this = std::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never used or dropped again, so the `Arc` is moved out exactly once.
        let g = unsafe { std::mem::ManuallyDrop::take(&mut this.0) };
        // SAFETY: our reference and the registry's are the only ones (the type's invariant).
        unsafe { g.reuse(id, start, parent, at) };
        g
    }
}

impl Drop for FreeG {
    fn drop(&mut self) {
        // SAFETY: dropped once, here.
        let g = unsafe { std::mem::ManuallyDrop::take(&mut self.0) };
        g.rt.unregister(&g);
    }
}

/// Most free Gs an M keeps.
pub(crate) const LOCAL_MAX: usize = 64;
/// Gs moved between an M's list and the global one at a time.
pub(crate) const BATCH: usize = LOCAL_MAX / 2;

/// The runtime-wide list.
pub(crate) struct GlobalFree {
    /// The Gs, or `None` once closed (freed Gs are then dropped). A spin lock, not a mutex: held
    /// for a batch's move, and a thread that slept on it would look to sysmon's probe like one
    /// blocked in a plain call, and lose its P (see `sysmon.rs`).
    list: SpinLock<Option<Vec<FreeG>>>,
    /// The list's length, stored under the lock; read without it (Relaxed) only to skip taking the
    /// lock when the list is empty: a stale answer costs a fresh allocation, nothing else.
    len: AtomicUsize,
}

impl GlobalFree {
    pub(crate) fn new() -> GlobalFree {
        GlobalFree {
            list: SpinLock::new(Some(Vec::new())),
            len: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> SpinGuard<'_, Option<Vec<FreeG>>> {
        self.list.lock()
    }

    /// Moves up to [`BATCH`] Gs into `to`.
    fn take_batch(&self, to: &mut Vec<FreeG>) {
        if self.len.load(Ordering::Relaxed) == 0 {
            return;
        }
        let mut l = self.lock();
        if let Some(list) = l.as_mut() {
            let n = list.len().min(BATCH);
            to.extend(list.drain(list.len() - n..));
            self.len.store(list.len(), Ordering::Relaxed);
        }
    }

    /// Takes the Gs of `from` (or drops them, once closed).
    fn put_batch(&self, from: impl Iterator<Item = FreeG>) {
        let mut l = self.lock();
        if let Some(list) = l.as_mut() {
            list.extend(from);
            self.len.store(list.len(), Ordering::Relaxed);
        }
    }

    /// Drops every free G and keeps none from now on (end of `run`).
    pub(crate) fn close(&self) {
        let list = self.lock().take();
        self.len.store(0, Ordering::Relaxed);
        drop(list);
    }
}

/// One M's list. Only its M touches it.
#[derive(Default)]
pub(crate) struct LocalFree {
    list: RefCell<Vec<FreeG>>,
}

impl LocalFree {
    /// A free G (this M's, else a batch from `global`), if there is one.
    pub(crate) fn get(&self, global: &GlobalFree) -> Option<FreeG> {
        let mut list = self.list.borrow_mut();
        if list.is_empty() {
            global.take_batch(&mut list);
        }
        let g = list.pop();
        // The G after next: its lines most likely sit in the cache of the M where it exited.
        if let Some(after) = list.len().checked_sub(2).map(|i| &list[i]) {
            super::prefetch::g_soon(&after.0);
        }
        g
    }

    /// Keeps the Gs that `fill` adds to the list for later spawns, moving [`BATCH`] at a time to
    /// `global` while the list holds more than [`LOCAL_MAX`]. (`fill` appends straight to the
    /// list: no vector of its own per batch of exits.)
    pub(crate) fn put_all(&self, fill: impl FnOnce(&mut Vec<FreeG>), global: &GlobalFree) {
        let mut list = self.list.borrow_mut();
        fill(&mut list);
        while list.len() > LOCAL_MAX {
            let keep = list.len() - BATCH;
            global.put_batch(list.drain(keep..));
        }
    }
}
