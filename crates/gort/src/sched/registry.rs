//! The set of live goroutines, for `dump`, cancellation at shutdown and the deadlock report.
//!
//! A slab: each G remembers its slot, so insert and remove are O(1) with no hashing, which matters
//! because every spawn and every exit goes through here.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::g::G;

#[derive(Default)]
pub(crate) struct Registry {
    slots: Vec<Option<Arc<G>>>,
    free: Vec<usize>,
}

impl Registry {
    pub(crate) fn insert(&mut self, g: Arc<G>, slot: &AtomicUsize) {
        let i = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        // Relaxed: the slot index is only read under the registry lock, which orders it.
        slot.store(i, Ordering::Relaxed);
        self.slots[i] = Some(g);
    }

    pub(crate) fn remove(&mut self, g: &G) {
        let i = g.registry_slot.load(Ordering::Relaxed);
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

    pub(crate) fn all(&self) -> Vec<Arc<G>> {
        self.slots.iter().flatten().cloned().collect()
    }
}
