//! The set of live goroutines, for `dump`, cancellation at shutdown and the deadlock report.
//!
//! A slab: each G remembers its slot, so insert and remove are O(1) with no hashing, which matters
//! because every spawn and every exit goes through here.
//!
//! The runtime keeps several of these shards. A spawn registers its G in the shard of the P it runs
//! on, whose lock then stays in that core's cache; an M where goroutines exit does not take a shard
//! lock per exit but collects its dead Gs and unregisters them in batches (`MLocal::g_exit`), one lock
//! per shard and batch. Until then a dead G stays listed, with status `Dead`: every reader skips it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use super::g::{Status, G};

#[derive(Default)]
pub(crate) struct Registry {
    slots: Vec<Option<Arc<G>>>,
    free: Vec<usize>,
}

impl Registry {
    pub(crate) fn insert(&mut self, g: Arc<G>, slot: &AtomicU32) {
        let i = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        // Relaxed: the slot is only read under the registry lock, which orders it. The shard's number
        // rides in the top bits (see `pack_slot`), put there by the caller.
        let shard = slot.load(Ordering::Relaxed) & SHARD_MASK;
        slot.store(shard | i as u32, Ordering::Relaxed);
        self.slots[i] = Some(g);
    }

    pub(crate) fn remove(&mut self, g: &G) {
        let i = slot_index(g.registry_slot.load(Ordering::Relaxed));
        if self
            .slots
            .get(i)
            .and_then(|s| s.as_ref())
            .is_some_and(|s| std::ptr::eq(Arc::as_ptr(s), g))
        {
            self.slots[i] = None;
            self.free.push(i);
        }
    }

    /// Every G listed that has not exited.
    pub(crate) fn all(&self) -> Vec<Arc<G>> {
        self.slots
            .iter()
            .flatten()
            .filter(|g| g.status() != Status::Dead)
            .cloned()
            .collect()
    }
}

/// Bits of `G::registry_slot` that hold the shard's number; the rest is the index in the shard.
const SHARD_SHIFT: u32 = 28;
const SHARD_MASK: u32 = !0 << SHARD_SHIFT;

/// Most shards a runtime may have (what fits in the top bits of a slot).
pub(crate) const MAX_SHARDS: usize = 1 << (u32::BITS - SHARD_SHIFT);

/// The value of `G::registry_slot` before the G is inserted into shard `shard`.
pub(crate) fn pack_shard(shard: usize) -> u32 {
    debug_assert!(shard < MAX_SHARDS);
    (shard as u32) << SHARD_SHIFT
}

/// The shard a G is registered in.
pub(crate) fn slot_shard(slot: u32) -> usize {
    (slot >> SHARD_SHIFT) as usize
}

fn slot_index(slot: u32) -> usize {
    (slot & !SHARD_MASK) as usize
}
