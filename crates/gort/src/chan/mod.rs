//! Channels: Go's `chan T`, with a single cloneable handle that both sends and receives.
//!
//! ## Design
//!
//! A channel is one heap object ([`Inner`]): a lock, the lock-protected [`State`](queue::State) (ring
//! buffer, queue of blocked receivers, queue of blocked senders, closed flag) and the capacity. Every
//! operation takes the lock, tries to complete at once against the state (`queue.rs`), and only if it
//! cannot, and may block, leaves a waiter entry in the right queue and parks (`waiter.rs`). The party that
//! later completes it (a sender, a receiver, `close`) moves the value straight into or out of the parked
//! operation's slot, so an unbuffered send is a single hand-over from one stack to another, and then
//! unparks the owner. `select!` (`select.rs`) uses the same entries, one per case, sharing one cell, and a
//! compare-and-swap on that cell to let exactly one case win.
//!
//! Blocking works the same for goroutines and plain OS threads because all waiting goes through
//! `crate::park`. A parked operation that is cancelled (its goroutine unwound when `run` ends) removes its
//! entries in a drop guard, so no queue ever holds a dangling waiter.
//!
//! ## Handles and closing on drop
//!
//! Go channels are garbage collected and are never closed implicitly. A `Chan<T>` is a counted handle;
//! the channel object lives while any handle or internal reference does. gort counts *user* handles
//! (`Chan` values) apart from internal references (the `Weak` a `time::after` timer or a `Ticker` holds),
//! and closes the channel when the last user handle is dropped. A blocked operation always borrows a
//! handle, so this never pulls a channel from under a blocked `send`/`recv`; what it buys is that a timer
//! firing into a channel nobody can read any more finds it closed and drops the value, and that every
//! waiter on a channel is released (with `None`/`Err`) no later than its last handle goes away.
//!
//! ## Lock order
//!
//! A single operation takes one channel lock. `select!` takes the locks of all its channels in address
//! order, once each even when a channel appears in several cases, so two selects never deadlock. No
//! user code (not even a value's `Drop`) runs under a channel lock. One park holds a channel lock: a
//! plain `send` or `recv` keeps it through its goroutine's switch, until the goroutine is parked, and
//! the rule for that is stated once, on `sched::park::park_goroutine_unlocking`. A
//! completer sets the owner's park token under the lock (`waiter.rs` says why) and queues the owner
//! after releasing it; from a thread outside the owner's runtime the token and the queueing go together
//! under the scheduler lock, which is therefore taken inside a channel lock, never the other way round;
//! so are a P's run-queue lock and the global queue's, which a goroutine's switch may take while its
//! park still holds the channel lock.
//! The lock is a spin lock (`crate::spinlock`): its critical sections are a few dozen instructions.

mod claim;
mod error;
mod queue;
#[doc(hidden)]
pub mod select;
mod waiter;

pub use error::{RecvTimeoutError, SendError, SendTimeoutError, TryRecvError, TrySendError};

use crate::spinlock::{HeldLock, SpinGuard, SpinLock};
use crate::wait_reason::WaitReason;
use queue::{RecvNow, SendNow, State};
use std::cell::UnsafeCell;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use waiter::{Entry, WaitCell};

/// The shared channel object.
pub(crate) struct Inner<T> {
    /// Protects `state`. Separate from it so that `select!` can hold the locks of channels of
    /// different element types side by side. A spin lock (see `spinlock.rs`): no critical section is
    /// more than a few dozen instructions.
    lock: SpinLock<()>,
    state: UnsafeCell<State<T>>,
    cap: usize,
    /// Live `Chan` handles. The channel is closed when this drops to zero (module comment).
    users: AtomicUsize,
}

// SAFETY: `state` is only reached through `lock` (see `Inner::state`); the raw pointers inside waiter entries
// point into the stacks of parked operations and are used only under the claim protocol of `waiter.rs`.
// Values of `T` move between threads, hence `T: Send`; no `&T` is ever shared, so `T: Sync` is not needed.
unsafe impl<T: Send> Send for Inner<T> {}
// SAFETY: as above: every access to the interior goes through the lock.
unsafe impl<T: Send> Sync for Inner<T> {}

/// The channel lock held, with access to the state.
pub(crate) struct Locked<'a, T> {
    state: &'a mut State<T>,
    _guard: SpinGuard<'a, ()>,
}

impl<T> Locked<'_, T> {
    /// Gives up access to the state but keeps the lock held, for a parking waiter that has it
    /// released once it is parked (`WaitCell::wait_unlocking`).
    fn into_held(self) -> HeldLock {
        self._guard.into_held()
    }
}

impl<T> std::ops::Deref for Locked<'_, T> {
    type Target = State<T>;
    fn deref(&self) -> &State<T> {
        self.state
    }
}

impl<T> std::ops::DerefMut for Locked<'_, T> {
    fn deref_mut(&mut self) -> &mut State<T> {
        self.state
    }
}

impl<T> Inner<T> {
    fn new(cap: usize) -> Inner<T> {
        Inner {
            lock: SpinLock::new(()),
            state: UnsafeCell::new(State::new()),
            cap,
            users: AtomicUsize::new(1),
        }
    }

    /// Takes the lock.
    pub(crate) fn raw_lock(&self) -> SpinGuard<'_, ()> {
        self.lock.lock()
    }

    /// The state.
    ///
    /// # Safety
    /// The caller holds this channel's lock, and holds no other reference obtained from this function.
    #[allow(clippy::mut_from_ref)]
    pub(crate) unsafe fn state(&self) -> &mut State<T> {
        // SAFETY: the caller holds the lock, which makes this the only access to the state (contract above).
        unsafe { &mut *self.state.get() }
    }

    pub(crate) fn lock(&self) -> Locked<'_, T> {
        let guard = self.raw_lock();
        // SAFETY: we hold the lock for as long as `Locked` lives, and `Locked` is the only access.
        let state = unsafe { self.state() };
        Locked {
            state,
            _guard: guard,
        }
    }

    pub(crate) fn try_send(&self, v: T) -> Result<(), TrySendError<T>> {
        let mut st = self.lock();
        match st.try_send(self.cap, v) {
            SendNow::Sent(w) => {
                drop(st);
                if let Some(w) = w {
                    w.run();
                }
                Ok(())
            }
            SendNow::Closed(v) => Err(TrySendError::Closed(v)),
            SendNow::Blocked(v) => Err(TrySendError::Full(v)),
        }
    }

    #[track_caller]
    fn send(&self, v: T, deadline: Option<Instant>) -> Result<(), SendTimeoutError<T>> {
        let mut st = self.lock();
        let v = match st.try_send(self.cap, v) {
            SendNow::Sent(w) => {
                drop(st);
                if let Some(w) = w {
                    w.run();
                }
                return Ok(());
            }
            SendNow::Closed(v) => return Err(SendTimeoutError::Closed(v)),
            SendNow::Blocked(v) => v,
        };
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(SendTimeoutError::Timeout(v));
        }
        let cell = WaitCell::new();
        let slot = UnsafeCell::new(Some(v));
        st.push_sender(Entry::new(&cell, &slot, 0));
        let mut withdraw = Withdraw {
            inner: self,
            cell: &cell,
            armed: true,
        };
        let done = wait_queued(st, &cell, WaitReason::ChanSend, deadline);
        if !done && withdraw.cancel() {
            let v = slot
                .into_inner()
                .expect("an unclaimed sender keeps its value");
            return Err(SendTimeoutError::Timeout(v));
        }
        withdraw.armed = false;
        match slot.into_inner() {
            None => Ok(()),
            Some(v) => Err(SendTimeoutError::Closed(v)),
        }
    }

    fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut st = self.lock();
        match st.try_recv() {
            RecvNow::Value(v, w) => {
                drop(st);
                if let Some(w) = w {
                    w.run();
                }
                Ok(v)
            }
            RecvNow::Closed => Err(TryRecvError::Closed),
            RecvNow::Blocked => Err(TryRecvError::Empty),
        }
    }

    #[track_caller]
    fn recv(&self, deadline: Option<Instant>) -> Result<T, RecvTimeoutError> {
        let mut st = self.lock();
        match st.try_recv() {
            RecvNow::Value(v, w) => {
                drop(st);
                if let Some(w) = w {
                    w.run();
                }
                return Ok(v);
            }
            RecvNow::Closed => return Err(RecvTimeoutError::Closed),
            RecvNow::Blocked => {}
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(RecvTimeoutError::Timeout);
        }
        let cell = WaitCell::new();
        let slot = UnsafeCell::new(None);
        st.push_receiver(Entry::new(&cell, &slot, 0));
        let mut withdraw = Withdraw {
            inner: self,
            cell: &cell,
            armed: true,
        };
        let done = wait_queued(st, &cell, WaitReason::ChanReceive, deadline);
        if !done && withdraw.cancel() {
            return Err(RecvTimeoutError::Timeout);
        }
        withdraw.armed = false;
        slot.into_inner().ok_or(RecvTimeoutError::Closed)
    }

    fn close(&self) -> bool {
        let mut wake = Vec::new();
        let closed = self.lock().close(&mut wake);
        for w in wake {
            w.run();
        }
        closed
    }
}

/// Waits until `cell` is done or `deadline` passes; the caller has just queued the cell's entry
/// under `st`. With no deadline the lock stays held until the waiter is parked (`sched/park.rs`);
/// with one, it is released first. Returns `true` if done.
#[track_caller]
fn wait_queued<T>(
    st: Locked<'_, T>,
    cell: &WaitCell,
    reason: WaitReason,
    deadline: Option<Instant>,
) -> bool {
    match deadline {
        None => cell.wait_unlocking(reason, st.into_held()),
        Some(_) => {
            drop(st);
            cell.wait(reason, deadline)
        }
    }
}

/// Removes a blocked operation's entry when it gives up (timeout) or is unwound (cancellation).
struct Withdraw<'a, T> {
    inner: &'a Inner<T>,
    cell: &'a WaitCell,
    armed: bool,
}

impl<T> Withdraw<'_, T> {
    /// Withdraws the entry; `true` if it was still unclaimed. If `false`, a completer claimed it and, since it
    /// works under the lock we just took, has finished: the cell is done.
    fn cancel(&mut self) -> bool {
        self.armed = false;
        let mut st = self.inner.lock();
        let won = self.cell.cancel();
        if won {
            st.withdraw(self.cell);
        }
        won
    }
}

impl<T> Drop for Withdraw<'_, T> {
    fn drop(&mut self) {
        if self.armed {
            self.cancel();
        }
    }
}

/// A Go channel: a FIFO queue of `T` with capacity `cap` (0: unbuffered, each send waits for its receiver).
///
/// One handle both sends and receives; clone it to share the channel. When the last handle is dropped the
/// channel is closed (see the module notes in the source; Go never closes implicitly, but Go has no handles).
/// Every blocking operation parks the calling goroutine (or OS thread, outside a runtime).
///
/// ```
/// use gort::Chan;
/// gort::run(|| {
///     let ch = Chan::new(0);
///     let tx = ch.clone();
///     gort::spawn(move || {
///         for i in 0..3 {
///             tx.send(i).unwrap(); // parks this goroutine until main receives
///         }
///         tx.close();
///     });
///     let got: Vec<i32> = ch.iter().collect();
///     assert_eq!(got, [0, 1, 2]);
/// });
/// ```
///
/// Plain OS threads may use the same channel (they park the thread):
///
/// ```
/// let ch = gort::Chan::new(0);
/// let tx = ch.clone();
/// let t = std::thread::spawn(move || tx.send("from a thread").unwrap());
/// assert_eq!(ch.recv(), Some("from a thread"));
/// t.join().unwrap();
/// ```
pub struct Chan<T> {
    inner: Arc<Inner<T>>,
}

impl<T> Chan<T> {
    /// A new channel with room for `cap` buffered values; `0` makes it unbuffered (a rendezvous).
    ///
    /// ```
    /// let ch: gort::Chan<u8> = gort::Chan::new(4);
    /// assert_eq!(ch.cap(), 4);
    /// ```
    pub fn new(cap: usize) -> Chan<T> {
        Chan {
            inner: Arc::new(Inner::new(cap)),
        }
    }

    /// Sends `v`, waiting until a receiver takes it (unbuffered) or there is room in the buffer.
    /// Fails, handing `v` back, if the channel is or becomes closed while waiting.
    /// (Go panics on a send to a closed channel; gort returns the error and lets the caller decide.)
    ///
    /// ```
    /// let ch = gort::Chan::new(1);
    /// ch.send("hi").unwrap();
    /// assert_eq!(ch.recv(), Some("hi"));
    /// ```
    #[track_caller]
    pub fn send(&self, v: T) -> Result<(), SendError<T>> {
        self.inner
            .send(v, None)
            .map_err(|e| SendError(e.into_inner()))
    }

    /// Receives a value, waiting for one. `None` once the channel is closed and its buffer drained.
    ///
    /// ```
    /// let ch = gort::Chan::new(2);
    /// ch.send(1).unwrap();
    /// ch.close();
    /// assert_eq!(ch.recv(), Some(1)); // buffered values survive close
    /// assert_eq!(ch.recv(), None);
    /// ```
    #[track_caller]
    pub fn recv(&self) -> Option<T> {
        self.inner.recv(None).ok()
    }

    /// Sends without waiting: succeeds only if a receiver is waiting or the buffer has room.
    ///
    /// ```
    /// use gort::{Chan, TrySendError};
    /// let ch = Chan::new(0);
    /// assert_eq!(ch.try_send(1), Err(TrySendError::Full(1))); // nobody is receiving
    /// ```
    pub fn try_send(&self, v: T) -> Result<(), TrySendError<T>> {
        self.inner.try_send(v)
    }

    /// Receives without waiting.
    ///
    /// ```
    /// use gort::{Chan, TryRecvError};
    /// let ch = Chan::new(1);
    /// assert_eq!(ch.try_recv(), Err(TryRecvError::Empty));
    /// ch.send(3).unwrap();
    /// assert_eq!(ch.try_recv(), Ok(3));
    /// ```
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        self.inner.try_recv()
    }

    /// Like [`send`](Self::send), giving up after `timeout`. `Duration::MAX` waits forever; a zero timeout
    /// makes it a [`try_send`](Self::try_send).
    ///
    /// ```
    /// use std::time::Duration;
    /// let ch = gort::Chan::new(1);
    /// assert!(ch.send_timeout(1, Duration::from_millis(5)).is_ok());
    /// assert!(ch.send_timeout(2, Duration::from_millis(5)).unwrap_err().is_timeout());
    /// ```
    #[track_caller]
    pub fn send_timeout(&self, v: T, timeout: Duration) -> Result<(), SendTimeoutError<T>> {
        self.inner.send(v, Instant::now().checked_add(timeout))
    }

    /// Like [`send`](Self::send), giving up at `deadline`.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// let ch = gort::Chan::new(0);
    /// let r = ch.send_deadline(1, Instant::now() + Duration::from_millis(2));
    /// assert!(r.unwrap_err().is_timeout());
    /// ```
    #[track_caller]
    pub fn send_deadline(&self, v: T, deadline: Instant) -> Result<(), SendTimeoutError<T>> {
        self.inner.send(v, Some(deadline))
    }

    /// Like [`recv`](Self::recv), giving up after `timeout`. `Duration::MAX` waits forever.
    ///
    /// ```
    /// use gort::RecvTimeoutError;
    /// use std::time::Duration;
    /// let ch: gort::Chan<()> = gort::Chan::new(0);
    /// assert_eq!(ch.recv_timeout(Duration::ZERO), Err(RecvTimeoutError::Timeout));
    /// ```
    #[track_caller]
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.inner.recv(Instant::now().checked_add(timeout))
    }

    /// Like [`recv`](Self::recv), giving up at `deadline`.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// let ch: gort::Chan<()> = gort::Chan::new(0);
    /// assert!(ch.recv_deadline(Instant::now() + Duration::from_millis(1)).is_err());
    /// ```
    #[track_caller]
    pub fn recv_deadline(&self, deadline: Instant) -> Result<T, RecvTimeoutError> {
        self.inner.recv(Some(deadline))
    }

    /// Closes the channel: later sends fail, receives drain the buffer and then get `None`, and every blocked
    /// sender and receiver is woken (senders get their value back in the error). Returns `false` if the
    /// channel was closed already (Go panics there).
    ///
    /// ```
    /// let ch: gort::Chan<i32> = gort::Chan::new(0);
    /// assert!(ch.close());
    /// assert!(!ch.close());
    /// ```
    pub fn close(&self) -> bool {
        self.inner.close()
    }

    /// Number of values buffered now.
    ///
    /// ```
    /// let ch = gort::Chan::new(3);
    /// ch.send(1).unwrap();
    /// assert_eq!(ch.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.inner.lock().len()
    }

    /// Whether no value is buffered now.
    ///
    /// ```
    /// let ch: gort::Chan<i32> = gort::Chan::new(3);
    /// assert!(ch.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The buffer capacity given to [`new`](Self::new).
    ///
    /// ```
    /// assert_eq!(gort::Chan::<()>::new(0).cap(), 0);
    /// ```
    pub fn cap(&self) -> usize {
        self.inner.cap
    }

    /// Whether [`close`](Self::close) has been called.
    ///
    /// ```
    /// let ch: gort::Chan<()> = gort::Chan::new(0);
    /// ch.close();
    /// assert!(ch.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.inner.lock().is_closed()
    }

    /// Whether both handles refer to the same channel (Go's `ch1 == ch2`).
    ///
    /// ```
    /// let a: gort::Chan<()> = gort::Chan::new(0);
    /// assert!(a.same_channel(&a.clone()));
    /// assert!(!a.same_channel(&gort::Chan::new(0)));
    /// ```
    pub fn same_channel(&self, other: &Chan<T>) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// A blocking iterator over received values, ending when the channel is closed and drained
    /// (Go's `for v := range ch`).
    ///
    /// ```
    /// let ch = gort::Chan::new(3);
    /// ch.send(1).unwrap();
    /// ch.send(2).unwrap();
    /// ch.close();
    /// assert_eq!(ch.iter().sum::<i32>(), 3);
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { chan: self }
    }

    /// An iterator over the values receivable now, without waiting.
    ///
    /// ```
    /// let ch = gort::Chan::new(3);
    /// ch.send(1).unwrap();
    /// assert_eq!(ch.try_iter().collect::<Vec<_>>(), [1]);
    /// ```
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { chan: self }
    }

    /// A reference that does not keep the channel open (used by timers).
    pub(crate) fn downgrade(&self) -> WeakChan<T> {
        WeakChan {
            inner: Arc::downgrade(&self.inner),
        }
    }

    pub(crate) fn inner(&self) -> &Inner<T> {
        &self.inner
    }
}

impl<T> Clone for Chan<T> {
    /// Another handle to the same channel.
    ///
    /// ```
    /// let a = gort::Chan::new(1);
    /// let b = a.clone();
    /// a.send(1).unwrap();
    /// assert_eq!(b.recv(), Some(1));
    /// ```
    fn clone(&self) -> Self {
        // Relaxed: like `Arc::clone`, a new handle is made from an existing one, which keeps the count above
        // zero; no other memory is published by this increment.
        self.inner.users.fetch_add(1, Ordering::Relaxed);
        Chan {
            inner: self.inner.clone(),
        }
    }
}

impl<T> Drop for Chan<T> {
    fn drop(&mut self) {
        // AcqRel: the last handle's drop must see everything done through the other handles before they
        // were dropped (Release on each decrement, Acquire on the final one), as `Arc` does. `close` takes the
        // channel lock anyway, so this is belt and braces.
        if self.inner.users.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.inner.close();
        }
    }
}

impl<T> PartialEq for Chan<T> {
    fn eq(&self, other: &Self) -> bool {
        self.same_channel(other)
    }
}

impl<T> Eq for Chan<T> {}

impl<T> fmt::Debug for Chan<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.inner.lock();
        f.debug_struct("Chan")
            .field("len", &st.len())
            .field("cap", &self.inner.cap)
            .field("closed", &st.is_closed())
            .finish()
    }
}

/// A reference to a channel that neither keeps it open nor alive.
pub(crate) struct WeakChan<T> {
    inner: Weak<Inner<T>>,
}

impl<T> WeakChan<T> {
    /// Sends without waiting if the channel still exists; drops `v` otherwise.
    pub(crate) fn try_send(&self, v: T) -> Result<(), TrySendError<T>> {
        match self.inner.upgrade() {
            Some(inner) => inner.try_send(v),
            None => Err(TrySendError::Closed(v)),
        }
    }
}

/// Blocking iterator over a channel's values; see [`Chan::iter`].
///
/// ```
/// let ch = gort::Chan::new(1);
/// ch.send('a').unwrap();
/// ch.close();
/// let mut it = ch.iter();
/// assert_eq!(it.next(), Some('a'));
/// assert_eq!(it.next(), None);
/// ```
pub struct Iter<'a, T> {
    chan: &'a Chan<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.chan.recv()
    }
}

/// Non-blocking iterator over a channel's values; see [`Chan::try_iter`].
///
/// ```
/// let ch: gort::Chan<i32> = gort::Chan::new(1);
/// assert_eq!(ch.try_iter().next(), None);
/// ```
pub struct TryIter<'a, T> {
    chan: &'a Chan<T>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.chan.try_recv().ok()
    }
}

/// Owning blocking iterator; see `impl IntoIterator for Chan<T>`.
///
/// ```
/// let ch = gort::Chan::new(2);
/// ch.send(1).unwrap();
/// ch.close();
/// let v: Vec<i32> = ch.into_iter().collect();
/// assert_eq!(v, [1]);
/// ```
pub struct IntoIter<T> {
    chan: Chan<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.chan.recv()
    }
}

impl<'a, T> IntoIterator for &'a Chan<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    /// Ranges over the channel: `for v in &ch { .. }` ends when it is closed and drained.
    ///
    /// ```
    /// let ch = gort::Chan::new(2);
    /// ch.send(5).unwrap();
    /// ch.close();
    /// for v in &ch {
    ///     assert_eq!(v, 5);
    /// }
    /// ```
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for Chan<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter { chan: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_the_last_user_handle_closes_the_channel_for_internal_references() {
        let c: Chan<u8> = Chan::new(1);
        let internal = c.inner.clone(); // what a waiter or timer would hold: not a user handle
        let weak = c.downgrade();
        let c2 = c.clone();
        drop(c);
        assert!(!internal.lock().is_closed());
        drop(c2);
        assert!(internal.lock().is_closed());
        assert!(matches!(weak.try_send(1), Err(TrySendError::Closed(1))));
        drop(internal);
        assert!(matches!(weak.try_send(2), Err(TrySendError::Closed(2))));
    }

    #[test]
    fn dropping_the_last_user_handle_wakes_a_handleless_waiter() {
        let c: Chan<u8> = Chan::new(0);
        let internal = c.inner.clone();
        let t = std::thread::spawn(move || internal.recv(None));
        std::thread::sleep(Duration::from_millis(2));
        drop(c);
        assert_eq!(t.join().unwrap(), Err(RecvTimeoutError::Closed));
    }
}
