//! The scheduler (placeholder module header; the design comment lands with the scheduler).
pub(crate) mod park;
pub(crate) mod timers;
