//! gort: Go's goroutine runtime in Rust.
#![deny(unsafe_op_in_unsafe_fn)]
pub(crate) mod park;
pub(crate) mod sched;
pub(crate) mod stack;
pub use park::WaitReason;
