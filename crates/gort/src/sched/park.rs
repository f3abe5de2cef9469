//! The scheduler side of `crate::park`: parking a goroutine (switch away, free the thread) or a plain
//! OS thread (block on its futex), behind one interface.
//!
//! ## Parking while holding a channel's lock
//!
//! (The rule itself, what may and may not happen while the lock is held, is stated once, on
//! [`park_goroutine_unlocking`]; this section says why it works.)
//!
//! A goroutine that parks on a plain channel `send` or `recv` (no deadline, not wired) keeps the
//! channel's lock through its switch: whoever runs next on its M marks it parked and only then
//! releases the lock ([`park_goroutine_unlocking`], `MLocal::finish_park`), as Go's `gopark` has
//! its unlock function called once the goroutine is off its stack. The one party that can end
//! such a wait, the channel operation that completes it, takes that lock first, so it always finds
//! the goroutine parked; and the marking needs no compare-and-swap: a plain store of `PARKED`,
//! where the general protocol (`G`'s module comment) spends a locked instruction against an unpark
//! that might land mid-switch. An unbuffered ping-pong does two such parks per round trip.
//!
//! Other unparks are harmless or handled:
//! - a stale token (a timer or an unparker of an earlier wait, which finished) that lands
//!   mid-switch is overwritten: it was spurious, and the waiter sleeps on until its completer
//!   comes. One that lands after the store finds the goroutine `PARKED` and wakes it spuriously,
//!   as today: its cell is not done, so it parks again (the general way).
//! - the runtime's cancellation at the end of `run` (4.1) must not be lost: `begin_shutdown` marks
//!   every goroutine cancelled, then runs [`fence::heavy`](super::fence::heavy), then unparks
//!   them all. The parker stores `PARKED` and then reads its cancelled flag, with only a compiler
//!   fence between. Either it sees the flag, and unparks itself, or the store was visible before the
//!   heavy fence returned, and the shutdown's unpark finds the goroutine `PARKED`.
//!
//! Where the heavy fence is not available (`MLocal::fast_switch` off), the lock is released before
//! the park, and the park takes the general path.

use std::panic::Location;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::current;
use super::g::{Cancelled, Suspend, G};
use super::m::MLocal;
use super::park_token::Notify;
use crate::spinlock::HeldLock;
use crate::wait_reason::WaitReason;

/// OS threads outside any runtime parked on a gort primitive right now. While one is, no runtime reports
/// a deadlock (semantics 4.3): that thread may yet release a goroutine. A count, not a synchronisation
/// point; SeqCst to keep the deadlock check's reasoning simple.
static EXTERNAL_PARKED: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn external_parked() -> usize {
    EXTERNAL_PARKED.load(Ordering::SeqCst)
}

/// Wakes one parker: a goroutine or a plain thread.
#[derive(Clone)]
pub(crate) enum Unparker {
    G(Arc<G>),
    Thread(std::thread::Thread),
}

impl std::fmt::Debug for Unparker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unparker::G(g) => write!(f, "Unparker(goroutine {})", g.id()),
            Unparker::Thread(t) => write!(f, "Unparker(thread {:?})", t.id()),
        }
    }
}

impl Unparker {
    pub(crate) fn from_g(g: Arc<G>) -> Unparker {
        Unparker::G(g)
    }

    /// Sets the parker's token; makes it runnable if it is parked.
    pub(crate) fn unpark(&self) {
        match self {
            Unparker::Thread(t) => t.unpark(),
            Unparker::G(g) => {
                if let Some(w) = claim_wakeup(g) {
                    w.run();
                }
            }
        }
    }
}

/// What to do once a completer has released its lock: queue a goroutine it took over from its park
/// ([`claim_wakeup`]), or unpark a thread. Run on the thread that made it, before that thread parks
/// or switches (every user runs it right after releasing the lock it completed under).
pub(crate) enum Wakeup {
    /// The G, and the M of its runtime that took it over, when that is the calling thread (the
    /// pointer spares `run` a second look at the thread-local; it is why a `Wakeup` is not `Send`).
    Goroutine(Arc<G>, Option<NonNull<MLocal>>),
    Thread(std::thread::Thread),
}

impl Wakeup {
    pub(crate) fn run(self) {
        match self {
            Wakeup::Thread(t) => t.unpark(),
            // `g` moves into the queue, where another M may run it to its end at once, so nothing
            // of it may be borrowed across the call: ready it through our M's handle on the
            // runtime when it is the G's, else through a handle of our own.
            Wakeup::Goroutine(g, Some(m)) => {
                // SAFETY: `m` is this thread's `MLocal` (see `claim_wakeup`), which lives on the M's
                // stack for the whole scheduler loop; the `Wakeup` never left this thread (it is
                // not `Send`) and is run before the thread switches goroutines.
                let m = unsafe { m.as_ref() };
                m.rt().ready_woken(m, g);
            }
            // Not one of the G's runtime's Ms: woken from outside (see `Runtime::ready_claimed_from_outside`).
            Wakeup::Goroutine(g, None) => {
                let rt = g.rt.clone();
                rt.ready_claimed_from_outside(g);
            }
        }
    }
}

/// Sets `g`'s token. If `g` was parked, returns the [`Wakeup`] that queues it, taken over from its
/// park (`G::take_park_ref`), carrying this thread's M when that is one of the G's runtime's (the
/// common case: a goroutine completing another's channel operation). From a thread that is not, a
/// parked G is queued here instead (and `None` returned): under the scheduler lock, so that the
/// deadlock check, which runs under it too, never sees the G neither parked nor queued.
///
/// `g` need only be alive for the duration of the call: that is what lets a channel waiter keep a
/// plain pointer to its G (`chan/waiter.rs`).
#[inline]
pub(crate) fn claim_wakeup(g: &G) -> Option<Wakeup> {
    let m = current::current_ptr();
    // SAFETY: `current_ptr` is null or this thread's `MLocal`, which outlives this call.
    let own = unsafe { m.as_ref() }.filter(|m| Arc::ptr_eq(m.rt(), &g.rt));
    if own.is_none() && g.park.is_parked() {
        g.rt.ready_batch_from_outside([g]);
        return None;
    }
    // SAFETY: `set_token` returns true only when it has just won PARKED -> IDLE.
    set_token(g).then(|| Wakeup::Goroutine(unsafe { g.take_park_ref() }, own.map(NonNull::from)))
}

/// Sets `g`'s park token. True if `g` was parked and the caller, having moved it to IDLE, now owns
/// its park reference (`G::take_park_ref`) and must queue it; false if it was running (the token
/// makes its next park return at once) or had its token already.
pub(crate) fn set_token(g: &G) -> bool {
    g.park.notify() == Notify::Readied
}

/// Unparks many goroutines at once (timers firing), queueing them under one scheduler lock.
pub(crate) fn unpark_batch(gs: Vec<Arc<G>>) {
    let Some(first) = gs.first() else {
        return;
    };
    let rt = first.rt.clone();
    rt.ready_batch_from_outside(gs.iter().map(|g| &**g));
}

/// The current parker.
pub(crate) fn current() -> Unparker {
    match current::current_g() {
        Some(g) => Unparker::G(g),
        None => Unparker::Thread(std::thread::current()),
    }
}

/// Parks the caller until unparked (spurious returns possible).
#[track_caller]
pub(crate) fn park(reason: WaitReason) {
    park_inner(reason, None, Location::caller())
}

/// Parks the caller until unparked or `deadline` (spurious returns possible).
#[track_caller]
pub(crate) fn park_until(reason: WaitReason, deadline: Instant) {
    park_inner(reason, Some(deadline), Location::caller())
}

fn park_inner(reason: WaitReason, deadline: Option<Instant>, at: &'static Location<'static>) {
    let g = current::current_g_ptr();
    if g.is_null() {
        park_thread(deadline);
        return;
    }
    // SAFETY: the running G is alive while it runs, and we are it (see `current_g_ptr`).
    let g = unsafe { &*g };
    let _ = park_g(g, reason, deadline.map(Deadline::Check), at);
}

/// Parks the caller until unparked or `deadline`; true if the deadline has passed. `fresh`: the
/// caller has just read the clock and found `deadline` ahead (a sleep), so a goroutine parks
/// without reading it again, and learns that the deadline passed from its timer having fired.
/// A sleep in a loop is a hot path, and each clock reading a good share of it.
#[track_caller]
pub(crate) fn park_until_passed(reason: WaitReason, deadline: Instant, fresh: bool) -> bool {
    let g = current::current_g_ptr();
    if g.is_null() {
        park_thread(Some(deadline));
        return Instant::now() >= deadline;
    }
    // SAFETY: the running G is alive while it runs, and we are it (see `current_g_ptr`).
    let g = unsafe { &*g };
    let d = if fresh {
        Deadline::Ahead(deadline)
    } else {
        Deadline::Check(deadline)
    };
    park_g(g, reason, Some(d), Location::caller()) == Parked::TimerFired
}

/// A park's deadline, and what the parker knows of it.
#[derive(Clone, Copy)]
enum Deadline {
    /// Not known to be ahead: a deadline already passed returns at once.
    Check(Instant),
    /// Just found ahead by the caller, from the clock.
    Ahead(Instant),
}

impl Deadline {
    fn at(self) -> Instant {
        match self {
            Deadline::Check(d) | Deadline::Ahead(d) => d,
        }
    }
}

/// How a park of a goroutine ended.
#[derive(PartialEq, Eq)]
#[must_use]
enum Parked {
    /// Its park timer fired (or its deadline had passed when it came to park): the deadline has
    /// passed. (The timer fires only once the timers' clock reads the deadline or later.)
    TimerFired,
    /// Anything else: an unpark, its token already set, or a spurious return.
    Other,
}

/// [`park`] / [`park_until`] for a caller that is a plain thread, and knows it.
pub(crate) fn park_thread(deadline: Option<Instant>) {
    EXTERNAL_PARKED.fetch_add(1, Ordering::SeqCst);
    match deadline {
        None => std::thread::park(),
        Some(d) => {
            let now = Instant::now();
            if d > now {
                std::thread::park_timeout(d - now);
            }
        }
    }
    EXTERNAL_PARKED.fetch_sub(1, Ordering::SeqCst);
}

/// [`park`] / [`park_until`] for a caller that knows it is the running goroutine `g` (a channel
/// waiter records its G anyway): spares looking it up again.
#[inline]
pub(crate) fn park_goroutine(
    g: &G,
    reason: WaitReason,
    deadline: Option<Instant>,
    at: &'static Location<'static>,
) {
    debug_assert!(std::ptr::eq(g, current::current_g_ptr()));
    let _ = park_g(g, reason, deadline.map(Deadline::Check), at);
}

/// Parks the running goroutine `g` on a channel whose lock `held` it holds, having queued its
/// waiter entry, with no deadline: the lock is released once `g` is parked (see the module
/// comment), or before anything else where that cannot be done (a wired or panicking G, no heavy
/// fence). Like every park it may return spuriously; the caller re-checks its cell.
///
/// # The one park that holds a lock
///
/// This is the only place in gort where a goroutine parks holding a lock, and the rule every
/// other lock comment points to:
/// - the lock is one channel's spin lock, the one whose queue holds `g`'s waiter entry (a plain
///   `send` or `recv` with no deadline; `select!` and timed operations release their locks
///   before they park);
/// - it is held across the switch only, never across the wait: the first code that runs on the
///   M after `g`'s context is saved (`MLocal::finish_park`, on the next G or in the scheduler
///   loop) marks `g` parked and releases it, before any other goroutine code runs;
/// - meanwhile the M may take only locks below a channel lock in the lock order (its P's run
///   queue, the global queue, the scheduler lock to wake an idle M), never another channel's,
///   and runs no user code.
#[inline]
pub(crate) fn park_goroutine_unlocking(
    g: &G,
    reason: WaitReason,
    at: &'static Location<'static>,
    held: HeldLock,
) {
    debug_assert!(std::ptr::eq(g, current::current_g_ptr()));
    if g.is_wired() || g.is_cancelled() || std::thread::panicking() || !fast_switch_here() {
        // SAFETY: we hold the lock, and release it once.
        unsafe { held.release() };
        let _ = park_g(g, reason, None, at);
        return;
    }
    // A token left by an earlier wait: this park returns at once, as `park_g` would.
    if g.park.take_notification() {
        // SAFETY: as above.
        unsafe { held.release() };
        return;
    }
    g.set_wait(reason, at);
    // SAFETY: we are the goroutine `g`, on its stack.
    unsafe {
        g.suspend(Suspend::Park {
            stay: false,
            unlock: Some(held),
        })
    };
    check_cancel(g);
}

/// Whether this thread's M switches with the heavy fence at hand (`MLocal::fast_switch`).
fn fast_switch_here() -> bool {
    // SAFETY: `current_ptr` is null or this thread's `MLocal`, which outlives this call.
    unsafe { current::current_ptr().as_ref() }.is_some_and(|m| m.fast_switch)
}

/// Unwinds the calling goroutine if the runtime has cancelled it (4.1). Not while it is already
/// unwinding: a destructor that parks must get a normal (possibly spurious) return.
pub(crate) fn check_cancel(g: &G) {
    if g.is_cancelled() && !std::thread::panicking() {
        std::panic::resume_unwind(Box::new(Cancelled));
    }
}

#[inline]
fn park_g(
    g: &G,
    reason: WaitReason,
    deadline: Option<Deadline>,
    at: &'static Location<'static>,
) -> Parked {
    check_cancel(g);
    if g.park.take_notification() {
        return Parked::Other;
    }
    if let Some(Deadline::Check(d)) = deadline {
        if d <= Instant::now() {
            return Parked::TimerFired;
        }
    }
    let deadline = deadline.map(Deadline::at);
    let timer = deadline.map(|d| {
        let me = current::current_g().expect("a running goroutine");
        g.rt.timers.start_unpark(d, me)
    });
    g.set_wait(reason, at);
    // A G that unwinds a panic stays on its thread: std counts panics per thread (see the README).
    let pinned = !g.is_wired() && std::thread::panicking();
    if pinned {
        pin_to_current_m(g);
    }
    let stay = pinned || g.is_wired();
    if stay && deadline.is_some() {
        // For the M's wait (`MLocal::wired_wait`).
        current::with_m(|m| m.wired_due.set(deadline));
    }
    // SAFETY: we are the goroutine `g`, on its stack.
    unsafe { g.suspend(Suspend::Park { stay, unlock: None }) };
    if pinned {
        g.wired_m.store(std::ptr::null_mut(), Ordering::Release);
    }
    // Cancelling fails only if the timer fired first (exactly one of the two wins its entry).
    let fired = timer.is_some_and(|seq| !g.rt.timers.cancel_unpark(g, seq));
    check_cancel(g);
    if fired {
        Parked::TimerFired
    } else {
        Parked::Other
    }
}

/// Makes `g` run only on the current M until unpinned (used for wiring and panicking Gs).
pub(crate) fn pin_to_current_m(g: &G) {
    current::with_m(|m| {
        g.wired_m
            .store(Arc::as_ptr(&m.shared).cast_mut(), Ordering::Release);
    });
}

/// `yield_now`: to the global queue tail (1.6). A wired G is queued the same way; its M hands its P
/// on and waits until whoever dequeues the G passes a P back (`MLocal::execute`).
pub(crate) fn yield_now() {
    let g = current::current_g_ptr();
    if g.is_null() {
        std::thread::yield_now();
        return;
    }
    // SAFETY: the running G is alive, and we are it.
    let g = unsafe { &*g };
    check_cancel(g);
    let pinned = !g.is_wired() && std::thread::panicking();
    if pinned {
        pin_to_current_m(g);
    }
    // SAFETY: we are the goroutine `g`, on its stack.
    unsafe { g.suspend(Suspend::Yield) };
    if pinned {
        g.wired_m.store(std::ptr::null_mut(), Ordering::Release);
    }
    check_cancel(g);
}
