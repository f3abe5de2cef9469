//! Why a goroutine waits: Go's wait-reason words, shown by `gort::dump()` (semantics 4.5). A leaf:
//! the scheduler records the reason, the dump prints it, and neither needs the other for it.

use std::fmt;

/// Why a goroutine waits, in the words of Go's goroutine dumps (semantics 4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum WaitReason {
    /// Blocked in `Chan::recv` or ranging over a channel.
    ChanReceive,
    /// Blocked in `Chan::send`.
    ChanSend,
    /// Blocked in `select!` with at least one case.
    Select,
    /// Blocked in a `select!` with no cases: forever.
    SelectNoCases,
    /// Sleeping in `gort::time::sleep`.
    Sleep,
    /// Waiting for I/O readiness.
    IoWait,
    /// Waiting for `sync::Mutex::lock`.
    MutexLock,
    /// Waiting for `sync::RwLock::read`.
    RwMutexRLock,
    /// Waiting for `sync::RwLock::write`.
    RwMutexLock,
    /// Waiting in `sync::WaitGroup::wait`.
    WaitGroupWait,
    /// Waiting in `sync::Condvar::wait`.
    CondWait,
    /// Waiting for a semaphore, a `sync::Once` or a `JoinHandle`.
    Semacquire,
    /// Inside `gort::syscall`.
    Syscall,
    /// Waiting for another goroutine to finish (`JoinHandle::join`), reported as Go reports it.
    Join,
}

impl WaitReason {
    pub(crate) fn from_u8(v: u8) -> WaitReason {
        const ALL: [WaitReason; 14] = [
            WaitReason::ChanReceive,
            WaitReason::ChanSend,
            WaitReason::Select,
            WaitReason::SelectNoCases,
            WaitReason::Sleep,
            WaitReason::IoWait,
            WaitReason::MutexLock,
            WaitReason::RwMutexRLock,
            WaitReason::RwMutexLock,
            WaitReason::WaitGroupWait,
            WaitReason::CondWait,
            WaitReason::Semacquire,
            WaitReason::Syscall,
            WaitReason::Join,
        ];
        ALL.get(v as usize)
            .copied()
            .unwrap_or(WaitReason::Semacquire)
    }

    /// The words Go's runtime prints for this reason.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitReason::ChanReceive => "chan receive",
            WaitReason::ChanSend => "chan send",
            WaitReason::Select => "select",
            WaitReason::SelectNoCases => "select (no cases)",
            WaitReason::Sleep => "sleep",
            WaitReason::IoWait => "IO wait",
            WaitReason::MutexLock => "sync.Mutex.Lock",
            WaitReason::RwMutexRLock => "sync.RWMutex.RLock",
            WaitReason::RwMutexLock => "sync.RWMutex.Lock",
            WaitReason::WaitGroupWait => "sync.WaitGroup.Wait",
            WaitReason::CondWait => "sync.Cond.Wait",
            WaitReason::Semacquire | WaitReason::Join => "semacquire",
            WaitReason::Syscall => "syscall",
        }
    }
}

impl fmt::Display for WaitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
