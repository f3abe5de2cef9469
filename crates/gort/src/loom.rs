//! The atomics of the lock-free protocols that are model-checked with loom (tokio's `crate::loom`).
//!
//! The protocol types (`sched::park_token::ParkToken`, `sched::netpoll::Slot`, `chan::claim::Claim`)
//! take their atomics from here. A normal build gets std's; a build with `RUSTFLAGS="--cfg loom"`
//! gets loom's, and the models beside each type (`#[cfg(all(test, loom))]`) explore every
//! interleaving of their operations that the memory model allows. Only the models may run such a
//! build: loom's atomics panic outside `loom::model`. Run them with `scripts/loom.sh`.

#[cfg(not(loom))]
pub(crate) use std::sync::atomic;

#[cfg(loom)]
pub(crate) use loom::sync::atomic;
