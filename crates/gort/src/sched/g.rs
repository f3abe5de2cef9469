//! G: one goroutine, a stack and its saved context, plus the bookkeeping the scheduler and `dump`
//! need.
//!
//! A G's execution state (its stack and saved context, or the closure it has not started yet) sits
//! in an `UnsafeCell` that only one M touches at a time: the M that took the G off a run queue (or
//! was handed it as a wired G). Everything other threads read (status, wait reason, park token,
//! cancellation) is atomic.
//!
//! The park token (`park`, a [`ParkToken`]) implements the protocol of `crate::park`; its states and
//! transitions, and who makes each, are in `park_token.rs`.
//!
//! **The park reference.** A parked G owns one strong count of itself. The M that parks it turns the
//! reference it ran the G with into that count instead of dropping it, and the unparker that wins
//! PARKED -> IDLE takes it over ([`G::take_park_ref`]) and queues it. So a park and its wake-up cost
//! no reference-count traffic at all, and an unparker needs no counted reference of its own: a
//! channel waiter records a plain pointer to its G (see `chan/waiter.rs` for why it stays valid).

use std::any::Any;
use std::cell::UnsafeCell;
use std::panic::Location;
use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use super::body::Body;
use super::m::MShared;
use super::park::Unparker;
use super::park_token::ParkToken;
use super::Runtime;
use crate::local_map::LocalMap;
use crate::spinlock::HeldLock;
use crate::stack::{GoroutineStack, RunningStack};
use crate::wait_reason::WaitReason;

/// What a goroutine tells its M when it suspends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Suspend {
    /// Blocked: park it. `stay` keeps it on this M (wired, or unwinding a panic). `unlock`: the
    /// lock (a channel's) that the G holds as it parks, to release once it is parked (`park.rs`).
    Park {
        stay: bool,
        unlock: Option<HeldLock>,
    },
    /// `yield_now`: to the tail of the global queue.
    Yield,
    /// Back from `gort::syscall`, and no P could be had: queue it until one frees up.
    NeedP { stay: bool },
    /// About to enter `gort::syscall` on the thread that called `run`: move to another M first, so
    /// that `run` never has to wait for the call (4.1). Only for unwired goroutines.
    LeaveMain,
    /// The body has finished: the G's stack may be reused, and the goroutine is never resumed.
    Exit,
}

/// The payload a cancelled goroutine unwinds with (semantics 4.1). `resume_unwind` does not call the
/// panic hook, so cancellation prints nothing.
pub(crate) struct Cancelled;

/// The payload a `JoinHandle::join` returns for a goroutine the runtime cancelled.
pub(crate) fn cancelled_payload() -> Box<dyn Any + Send> {
    Box::new("gort: goroutine cancelled: the runtime shut down before it finished")
}

/// Scheduling status, for `dump` and the scheduler's own checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Status {
    /// In a run queue (a P's `runnext` or FIFO, the global queue) or in a waker's hands on its
    /// way there. Owned by the queue: whoever takes it out (its P's M, a thief, an M taking from
    /// the global queue) owns it next; nobody touches its execution state meanwhile.
    Runnable = 0,
    /// Running on an M, which owns it and its execution state; the goroutine itself runs its
    /// code. Only that M (on the goroutine's behalf) changes this status.
    Running = 1,
    /// Parked (its park token reads `PARKED`, or it is settling its park): owned by nobody until
    /// the one unparker that wins `ParkToken::notify` takes over its park reference and queues it.
    /// Its wait reason says on what it waits (channel, timer, I/O...).
    Waiting = 2,
    /// Inside `gort::syscall` on its M's thread, which owns it; its P may be taken by sysmon
    /// meanwhile. On return it takes a P back (or queues itself for one).
    Syscall = 3,
    /// Exited: its body has finished and it will never run again. Owned by the M's free list
    /// (or by its last `JoinHandle`), reused by a later spawn (`gfree.rs`).
    Dead = 4,
}

/// What only the executing M touches: the goroutine's body until it first runs, then its stack.
pub(crate) enum Exec {
    /// Not started yet.
    New(Body),
    /// Started: its stack, while it is not running the context saved on that stack (see
    /// `crate::context`; written by the switch that suspends it), and what the stack-overflow
    /// handler needs to know about it while it runs.
    Running {
        sp: usize,
        stack: GoroutineStack,
        info: RunningStack,
    },
    /// Finished, or discarded before it started.
    Done,
}

/// Where `JoinHandle::join` finds a goroutine's result.
#[derive(Default)]
enum JoinSlot {
    /// The body runs, and nobody waits yet.
    #[default]
    Empty,
    /// The body runs, and this joiner waits.
    Waiting(Unparker),
    /// The body has finished with this result (until `join` takes it).
    Done(Box<dyn Any + Send>),
}

/// Bits of `G::flags`.
const AVOID_MAIN: u8 = 1;
const CANCELLED: u8 = 2;
const DONE: u8 = 4;
const DETACHED: u8 = 8;
const JOIN_USED: u8 = 16;

pub(crate) struct G {
    /// The goroutine's id, and (below) its parent's id and where it was created: atomics, because a
    /// G is reused (`gfree.rs`) while `dump` may be reading the registry, which lists free Gs too.
    /// Readers skip a G whose status is `Dead`; a reuse writes these, then sets the status with
    /// Release (`reuse`), so a reader that sees it alive (Acquire) sees them.
    id: AtomicU64,
    pub(crate) rt: Arc<Runtime>,
    exec: UnsafeCell<Exec>,
    /// Goroutine-local storage; touched only by the goroutine itself (through `crate::local`).
    locals: UnsafeCell<LocalMap>,
    /// The park token (`park_token.rs`): whether the G is parked, and who readies it.
    pub(crate) park: ParkToken,
    status: AtomicU8,
    wait_reason: AtomicU8,
    /// One-bit facts, each set and cleared on its own (one byte keeps the G small):
    /// - `AVOID_MAIN`: the G must not run on the main thread's M (it is on its way into a syscall, see
    ///   `Suspend::LeaveMain`). Written by the G, read by Ms after dequeuing it (the queue orders them).
    /// - `CANCELLED`: set once when the runtime cancels the G (Release; read with Acquire at every park
    ///   and on return from `syscall`).
    /// - `DONE`: set once the body has finished and `join` can take its result (Release, pairs with
    ///   the Acquire of `is_done`).
    /// - `DETACHED`: the `JoinHandle` was dropped without joining: nobody will ever take the result,
    ///   so the body drops it instead of boxing it (Relaxed: a stale "no" only costs that box).
    /// - `JOIN_USED`: `join` holds something (a result or a waiter), set under its lock; `reset`
    ///   clears the slot only then, so a goroutine started with `go` costs no lock at its end.
    flags: AtomicU8,
    /// Milliseconds since the runtime started, when the current wait began (for the dump's
    /// "N minutes"; wraps after 49 days, which only makes that figure wrong).
    wait_since: AtomicU32,
    /// Where the current wait began (a `&'static Location`), or null.
    blocked_at: AtomicPtr<Location<'static>>,
    /// `lock_os_thread` nesting depth. Written only by the G itself; read by `dump` (Relaxed).
    pub(crate) lock_count: AtomicU32,
    /// The M this G must run on while wired (or while it unwinds a panic), else null. Written by the G
    /// while it runs (Release), read by whoever readies it after it parked (Acquire); the M outlives the
    /// wiring, since a wired M only exits after its G does.
    pub(crate) wired_m: AtomicPtr<MShared>,
    /// The finished body's result (a boxed `std::thread::Result<T>`), and who waits for it.
    join: Mutex<JoinSlot>,
    /// The number of this G's armed park timer, 0 if none (see `timers.rs`).
    pub(crate) timer_seq: AtomicU64,
    /// This G's slot in the runtime's registry (see `registry.rs`).
    pub(crate) registry_slot: AtomicU32,
    parent: AtomicU64,
    created_at: AtomicPtr<Location<'static>>,
}

// SAFETY: the only non-Sync parts are `exec` and `locals`. `exec` is used by one M at a time: the M that
// dequeued the G (queues hand it over with a lock or a CAS, which orders the previous M's writes before the
// next M's reads). `locals` is used only by code running on the G's own stack, which runs on one thread at
// a time for the same reason.
unsafe impl Sync for G {}
// SAFETY: as above; the raw pointers inside `Exec` point into the G's own stack, which moves with it.
unsafe impl Send for G {}

impl G {
    pub(crate) fn new(
        id: u64,
        rt: Arc<Runtime>,
        start: Body,
        parent: u64,
        created_at: &'static Location<'static>,
    ) -> G {
        G {
            id: AtomicU64::new(id),
            rt,
            exec: UnsafeCell::new(Exec::New(start)),
            locals: UnsafeCell::new(LocalMap::default()),
            park: ParkToken::new(),
            status: AtomicU8::new(Status::Runnable as u8),
            wait_reason: AtomicU8::new(0),
            flags: AtomicU8::new(0),
            wait_since: AtomicU32::new(0),
            blocked_at: AtomicPtr::new(std::ptr::null_mut()),
            lock_count: AtomicU32::new(0),
            wired_m: AtomicPtr::new(std::ptr::null_mut()),
            join: Mutex::new(JoinSlot::default()),
            timer_seq: AtomicU64::new(0),
            registry_slot: AtomicU32::new(u32::MAX),
            parent: AtomicU64::new(parent),
            created_at: AtomicPtr::new(created_at as *const _ as *mut _),
        }
    }

    pub(crate) fn id(&self) -> u64 {
        self.id.load(Ordering::Relaxed)
    }

    /// The id of the goroutine that spawned this one (0: spawned from outside the runtime).
    pub(crate) fn parent(&self) -> u64 {
        self.parent.load(Ordering::Relaxed)
    }

    /// Where this goroutine was spawned.
    pub(crate) fn created_at(&self) -> &'static Location<'static> {
        let at = self.created_at.load(Ordering::Relaxed);
        // SAFETY: `created_at` only ever holds a `&'static Location` (see `new` and `reuse`).
        unsafe { &*at }
    }

    /// Clears what the goroutine that ran in this G left behind, so that the G can go on a free list
    /// (Go's gFree) and carry another goroutine: no allocation, and no touch of the runtime's
    /// reference count, per spawn. The G stays in the registry (as `Dead`).
    ///
    /// # Safety
    /// The goroutine has exited and nothing but the registry (which lends no `Dead` G) and the caller
    /// references the G, so nobody else touches its execution state or its locals.
    pub(crate) unsafe fn reset(&self) {
        // SAFETY: nobody else uses the execution state or the locals (the function's contract).
        unsafe {
            *self.exec.get() = Exec::Done;
            *self.locals.get() = LocalMap::default();
        }
        self.park.reset();
        self.wait_reason.store(0, Ordering::Relaxed);
        self.wait_since.store(0, Ordering::Relaxed);
        self.blocked_at
            .store(std::ptr::null_mut(), Ordering::Relaxed);
        self.lock_count.store(0, Ordering::Relaxed);
        self.wired_m.store(std::ptr::null_mut(), Ordering::Relaxed);
        if self.flags.load(Ordering::Relaxed) & JOIN_USED != 0 {
            *self.join.lock().unwrap_or_else(|e| e.into_inner()) = JoinSlot::default();
        }
        self.flags.store(0, Ordering::Relaxed);
        self.timer_seq.store(0, Ordering::Relaxed);
    }

    /// Readies a G taken from a free list (see [`reset`](Self::reset)) for a new goroutine.
    ///
    /// # Safety
    /// As for `reset`: the caller holds the G's only reference besides the registry's.
    pub(crate) unsafe fn reuse(
        &self,
        id: u64,
        start: Body,
        parent: u64,
        created_at: &'static Location<'static>,
    ) {
        self.id.store(id, Ordering::Relaxed);
        self.parent.store(parent, Ordering::Relaxed);
        self.created_at
            .store(created_at as *const _ as *mut _, Ordering::Relaxed);
        // SAFETY: nobody else uses the execution state (the function's contract).
        unsafe { *self.exec.get() = Exec::New(start) };
        // Release: a registry reader that sees the G alive (Acquire in `is_dead`) sees the fields
        // written above.
        self.status.store(Status::Runnable as u8, Ordering::Release);
    }

    /// Whether the goroutine has exited (or the G is free). Acquire: pairs with `reuse`.
    pub(crate) fn is_dead(&self) -> bool {
        self.status.load(Ordering::Acquire) == Status::Dead as u8
    }

    /// # Safety
    /// The caller is the M that currently owns this G's execution (see the `Sync` impl), and does not
    /// let the reference outlive that ownership or alias another `exec` reference.
    #[allow(clippy::mut_from_ref)]
    pub(crate) unsafe fn exec(&self) -> &mut Exec {
        // SAFETY: exclusivity is the caller's obligation, stated above.
        unsafe { &mut *self.exec.get() }
    }

    /// Where the goroutine's saved context lies on its stack, if it has run and is suspended.
    ///
    /// # Safety
    /// No M owns this G's execution state: the caller holds the lock of the queue the G waits in,
    /// which the M that queued it took after its last write of that state (the switch away from
    /// it), and which any M that takes it out must take before its first.
    pub(crate) unsafe fn saved_sp(&self) -> Option<usize> {
        // SAFETY: the caller's obligation above: nobody writes `exec` meanwhile.
        match unsafe { &*self.exec.get() } {
            Exec::Running { sp, .. } => Some(*sp),
            _ => None,
        }
    }

    /// # Safety
    /// Must be called from code running on this goroutine's own stack, without overlapping borrows.
    #[allow(clippy::mut_from_ref)]
    pub(crate) unsafe fn locals(&self) -> &mut LocalMap {
        // SAFETY: only the goroutine itself gets here, and it runs on one thread at a time.
        unsafe { &mut *self.locals.get() }
    }

    /// Switches from this goroutine to another (its M's scheduler, or the next goroutine of its
    /// P); returns when it is resumed (maybe on another thread). See `switch.rs`.
    ///
    /// # Safety
    /// Must be called by the goroutine itself, on its own stack.
    pub(crate) unsafe fn suspend(&self, why: Suspend) {
        // SAFETY: the caller's contract is `switch::suspend`'s.
        unsafe { super::switch::suspend(self, why) }
    }

    /// The reference a parked G holds on itself (see the module comment).
    ///
    /// # Safety
    /// The caller has just won this G's PARKED -> IDLE compare-and-swap, and calls this once for it.
    pub(crate) unsafe fn take_park_ref(&self) -> Arc<G> {
        // SAFETY: the M that parked the G left one strong count behind for whoever unparks it
        // (`MLocal::execute`), and the winner of the CAS is the only one to claim it.
        unsafe { Arc::from_raw(self) }
    }

    /// Stores the body's result and wakes a waiting `join`.
    pub(crate) fn complete(&self, result: Box<dyn Any + Send>) {
        let waiter = {
            let mut j = self.join.lock().unwrap_or_else(|e| e.into_inner());
            let before = std::mem::replace(&mut *j, JoinSlot::Done(result));
            // Release: pairs with the Acquire in `is_done`.
            self.flags.fetch_or(DONE | JOIN_USED, Ordering::Release);
            match before {
                JoinSlot::Waiting(w) => Some(w),
                _ => None,
            }
        };
        if let Some(w) = waiter {
            w.unpark();
        }
    }

    /// Marks the goroutine done without a result: its `JoinHandle` was dropped (see `flags`).
    pub(crate) fn complete_detached(&self) {
        // Release: pairs with the Acquire in `is_done` (nobody can call it now, but the rule is kept).
        self.flags.fetch_or(DONE, Ordering::Release);
    }

    /// The `JoinHandle` is gone.
    pub(crate) fn detach(&self) {
        self.flags.fetch_or(DETACHED, Ordering::Relaxed);
    }

    pub(crate) fn is_detached(&self) -> bool {
        self.flags.load(Ordering::Relaxed) & DETACHED != 0
    }

    /// Takes the result if the body has finished; otherwise records `waiter` to be woken when it does.
    pub(crate) fn take_result(&self, waiter: Unparker) -> Option<Box<dyn Any + Send>> {
        let mut j = self.join.lock().unwrap_or_else(|e| e.into_inner());
        match std::mem::take(&mut *j) {
            JoinSlot::Done(r) => Some(r),
            _ => {
                *j = JoinSlot::Waiting(waiter);
                self.flags.fetch_or(JOIN_USED, Ordering::Relaxed);
                None
            }
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        self.flags.load(Ordering::Acquire) & DONE != 0
    }

    /// Cancels the goroutine (semantics 4.1): it unwinds at its next park, or never starts.
    pub(crate) fn cancel(&self) {
        // Release: pairs with the Acquire in `is_cancelled`.
        self.flags.fetch_or(CANCELLED, Ordering::Release);
    }

    /// Marks whether the G must keep off the main thread's M (`Suspend::LeaveMain`).
    pub(crate) fn set_avoid_main(&self, avoid: bool) {
        // Relaxed: read by the M that dequeues the G, after the queue ordered them.
        if avoid {
            self.flags.fetch_or(AVOID_MAIN, Ordering::Relaxed);
        } else {
            self.flags.fetch_and(!AVOID_MAIN, Ordering::Relaxed);
        }
    }

    pub(crate) fn avoids_main(&self) -> bool {
        self.flags.load(Ordering::Relaxed) & AVOID_MAIN != 0
    }

    pub(crate) fn status(&self) -> Status {
        match self.status.load(Ordering::Relaxed) {
            0 => Status::Runnable,
            1 => Status::Running,
            2 => Status::Waiting,
            3 => Status::Syscall,
            _ => Status::Dead,
        }
    }

    /// Status is informational (dump, deadlock report); the park token and queues carry the ordering.
    pub(crate) fn set_status(&self, s: Status) {
        self.status.store(s as u8, Ordering::Relaxed);
    }

    /// `is_cancelled` with a plain load, for the one reader whose ordering comes from a heavy
    /// fence on the cancelling side (`MLocal::finish_park_unlocking`).
    pub(crate) fn cancelled_relaxed(&self) -> bool {
        self.flags.load(Ordering::Relaxed) & CANCELLED != 0
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        // Acquire: pairs with the Release in `cancel`.
        self.flags.load(Ordering::Acquire) & CANCELLED != 0
    }

    /// Records why and where the G is about to wait.
    pub(crate) fn set_wait(&self, reason: WaitReason, at: &'static Location<'static>) {
        self.wait_reason.store(reason as u8, Ordering::Relaxed);
        let ms = self.rt.coarse_nanos() / 1_000_000;
        self.wait_since.store(ms as u32, Ordering::Relaxed);
        self.blocked_at
            .store(at as *const _ as *mut _, Ordering::Relaxed);
    }

    /// The goroutine as `gort::dump()` shows it (`is_current`: the caller is this goroutine).
    pub(crate) fn view(&self, is_current: bool) -> crate::dump::GoroutineView {
        use crate::dump::State;
        let (reason, since, at) = self.wait_info();
        let state = match (is_current, self.status()) {
            (true, _) | (false, Status::Running) => State::Running,
            (false, Status::Runnable) => State::Runnable,
            (false, Status::Waiting) => State::Waiting(reason),
            (false, Status::Syscall) => State::Syscall,
            (false, Status::Dead) => State::Dead,
        };
        crate::dump::GoroutineView {
            id: self.id(),
            parent: self.parent(),
            state,
            since,
            blocked_at: at,
            wired: self.is_wired(),
            created_at: self.created_at(),
        }
    }

    pub(crate) fn wait_info(&self) -> (WaitReason, u64, Option<&'static Location<'static>>) {
        let reason = WaitReason::from_u8(self.wait_reason.load(Ordering::Relaxed));
        let since = u64::from(self.wait_since.load(Ordering::Relaxed)) * 1_000_000;
        let at = self.blocked_at.load(Ordering::Relaxed);
        // SAFETY: `blocked_at` only ever holds null or a `&'static Location` (see `set_wait`).
        let at = unsafe { at.cast_const().as_ref() };
        (reason, since, at)
    }

    pub(crate) fn is_wired(&self) -> bool {
        self.lock_count.load(Ordering::Relaxed) > 0
    }

    /// The M a wired (or pinned) G must run on.
    pub(crate) fn wired_m(&self) -> Option<&MShared> {
        let m = self.wired_m.load(Ordering::Acquire);
        // SAFETY: non-null only while the G is wired or pinned to a live M (see the field's comment);
        // callers are the readier of a parked G, which runs while that M waits for it.
        unsafe { m.cast_const().as_ref() }
    }
}
