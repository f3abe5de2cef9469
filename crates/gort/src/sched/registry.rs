//! The set of live goroutines, for `dump`, cancellation at shutdown and the deadlock report.
//!
//! A slab: each G remembers its slot, so insert and remove are O(1) with no hashing, which matters
//! because every spawn and every exit goes through here.
//!
//! The runtime keeps several of these shards. A new G is registered in the shard of the P it is
//! spawned on. An M where goroutines exit does not take a shard lock per exit but deals with its dead
//! Gs in batches, one lock per shard and batch (`Runtime::release_exited`): a G that nobody else
//! references stays listed and goes on a free list (`gfree.rs`), so a later spawn that reuses it
//! takes no registry lock at all; any other G is unlisted. A listed G whose status is `Dead` (exited,
//! free, or waiting for its batch) is skipped by every reader, and never lent out.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use super::g::G;

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
            .filter(|g| !g.is_dead())
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
