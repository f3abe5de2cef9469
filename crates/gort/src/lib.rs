//! gort: Go's goroutine runtime in Rust.
#![deny(unsafe_op_in_unsafe_fn)]
pub(crate) mod park;
pub(crate) mod sched;
pub use park::WaitReason;
mod chan;
#[doc(hidden)]
pub use chan::select as __select;
pub use chan::{
    Chan, IntoIter, Iter, RecvTimeoutError, SendError, SendTimeoutError, TryIter, TryRecvError,
    TrySendError,
};
pub mod sync;
pub mod time;
