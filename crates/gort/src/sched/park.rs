//! INTERIM: thread-only parking until the scheduler lands (replaced by the goroutine-aware version).
use crate::park::WaitReason;
use std::time::Instant;

#[derive(Clone, Debug)]
pub(crate) struct Unparker(std::thread::Thread);

impl Unparker {
    pub(crate) fn unpark(&self) {
        self.0.unpark()
    }
}

pub(crate) fn current() -> Unparker {
    Unparker(std::thread::current())
}

pub(crate) fn park(_reason: WaitReason) {
    std::thread::park()
}

pub(crate) fn park_until(_reason: WaitReason, deadline: Instant) {
    let now = Instant::now();
    if deadline > now {
        std::thread::park_timeout(deadline - now)
    }
}
