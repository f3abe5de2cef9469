//! `select!`: wait on several channel operations, complete exactly one.
//!
//! ## Algorithm (Go's `selectgo`, in three passes)
//!
//! The macro evaluates every channel and every value to send, in source order, and builds one case object
//! per case on the caller's stack ([`RecvCase`], [`SendCase`]); [`select`] then runs:
//!
//! 1. **Poll.** Lock every channel involved, in address order and once per channel however many cases name
//!    it. Visit the cases in a fresh random order (uniform choice among ready cases, Go's fairness rule) and
//!    complete the first that can complete now. A closed channel is ready for both receives (`None`) and
//!    sends (`Err`). With all locks held the poll is atomic: a non-blocking select takes `default` only if
//!    no case was ready at one instant.
//! 2. **Enqueue.** Nothing ready and no immediate `default`: put one waiter entry per case, all sharing
//!    one `WaitCell` (`chan/waiter.rs`), into the channels' queues; unlock; park.
//! 3. **Dequeue.** A completer claims the cell for one case (compare-and-swap, so only one case can win),
//!    does the hand-over and unparks us; or the `default(timeout)` deadline passes and we claim the cell
//!    for ourselves. Then lock every channel again and remove the remaining entries.
//!
//! A select never matches its own entries: only an operation that is running (not parked) scans a queue,
//! and a select's own entries are queued only while it is parked. So a goroutine selecting on both sides of
//! one unbuffered channel waits for a partner instead of talking to itself (Go's TestSelfSelect).
//!
//! Cancellation (a goroutine unwound at its park point) runs pass 3 from a drop guard.
//!
//! The random order comes from a small per-thread wyrand generator: select only needs a cheap, well mixed
//! shuffle, not cryptographic quality, so gort carries no RNG dependency for it.

use super::waiter::{Entry, WaitCell};
use super::{Chan, Inner, SendError};
use crate::park::{self, Wakeup};
use crate::wait_reason::WaitReason;
use std::cell::{Cell, UnsafeCell};
use std::time::{Duration, Instant};

/// What a channel expression in a `select!` case may be: a `Chan<T>` or any reference to one.
pub trait AsChan {
    /// The channel's element type.
    type Item;
    /// The channel.
    fn as_chan(&self) -> &Chan<Self::Item>;
}

impl<T> AsChan for Chan<T> {
    type Item = T;
    fn as_chan(&self) -> &Chan<T> {
        self
    }
}

impl<C: AsChan + ?Sized> AsChan for &C {
    type Item = C::Item;
    fn as_chan(&self) -> &Chan<C::Item> {
        (**self).as_chan()
    }
}

/// One case of a select, as the algorithm sees it (element type erased).
pub trait SelectCase {
    /// The channel's identity, for lock ordering and de-duplication.
    fn chan_addr(&self) -> usize;
    /// Takes the channel's lock.
    fn lock(&self) -> crate::spinlock::SpinGuard<'_, ()>;
    /// Tries to complete the case now. `None`: not ready. `Some(w)`: done; unpark `w` after unlocking.
    ///
    /// # Safety
    /// The caller holds the channel's lock.
    unsafe fn poll(&self) -> Option<Wake>;
    /// Queues a waiter entry for `cell`, standing for case number `case`.
    ///
    /// # Safety
    /// The caller holds the channel's lock, and keeps `cell` and `self` in place until the entry is gone
    /// (claimed and done, or withdrawn).
    unsafe fn enqueue(&self, cell: &WaitCell, case: usize);
    /// Removes every entry of `cell` from the channel.
    ///
    /// # Safety
    /// The caller holds the channel's lock.
    unsafe fn withdraw(&self, cell: &WaitCell);
    /// Records that this case was chosen.
    fn set_won(&self);
}

/// Whom a completed poll must wake, once the locks are released.
#[doc(hidden)]
pub struct Wake(Option<Wakeup>);

/// Whether a poll completed the case, and whom to wake if so.
type Ready = Option<Wake>;

/// A `recv(ch) -> v` case; holds the received value (or `None`: closed) once it wins.
#[doc(hidden)]
pub struct RecvCase<'a, T> {
    chan: &'a Inner<T>,
    slot: UnsafeCell<Option<T>>,
    won: Cell<bool>,
}

impl<'a, T> RecvCase<'a, T> {
    /// A receive case on `chan`.
    pub fn new<C: AsChan<Item = T> + ?Sized>(chan: &'a C) -> Self {
        RecvCase {
            chan: chan.as_chan().inner(),
            slot: UnsafeCell::new(None),
            won: Cell::new(false),
        }
    }

    /// Whether this case was chosen.
    pub fn won(&self) -> bool {
        self.won.get()
    }

    /// The case's result: the value, or `None` if the channel was closed.
    pub fn into_result(self) -> Option<T> {
        self.slot.into_inner()
    }
}

impl<T> SelectCase for RecvCase<'_, T> {
    fn chan_addr(&self) -> usize {
        self.chan as *const Inner<T> as usize
    }
    fn lock(&self) -> crate::spinlock::SpinGuard<'_, ()> {
        self.chan.raw_lock()
    }
    unsafe fn poll(&self) -> Ready {
        // SAFETY: the caller holds the lock (contract).
        let st = unsafe { self.chan.state() };
        match st.try_recv() {
            super::queue::RecvNow::Value(v, w) => {
                // SAFETY: the slot is ours and not queued anywhere during the poll.
                unsafe { *self.slot.get() = Some(v) };
                Some(Wake(w))
            }
            super::queue::RecvNow::Closed => Some(Wake(None)),
            super::queue::RecvNow::Blocked => None,
        }
    }
    unsafe fn enqueue(&self, cell: &WaitCell, case: usize) {
        // SAFETY: the caller holds the lock and keeps `cell` and our slot in place (contract).
        unsafe { self.chan.state() }.push_receiver(Entry::new(cell, &self.slot, case));
    }
    unsafe fn withdraw(&self, cell: &WaitCell) {
        // SAFETY: the caller holds the lock (contract).
        unsafe { self.chan.state() }.withdraw(cell);
    }
    fn set_won(&self) {
        self.won.set(true);
    }
}

/// A `send(ch, v) -> res` case; holds the value until it is sent (or handed back: closed).
#[doc(hidden)]
pub struct SendCase<'a, T> {
    chan: &'a Inner<T>,
    slot: UnsafeCell<Option<T>>,
    won: Cell<bool>,
}

impl<'a, T> SendCase<'a, T> {
    /// A send case of `v` on `chan`.
    pub fn new<C: AsChan<Item = T> + ?Sized>(chan: &'a C, v: T) -> Self {
        SendCase {
            chan: chan.as_chan().inner(),
            slot: UnsafeCell::new(Some(v)),
            won: Cell::new(false),
        }
    }

    /// Whether this case was chosen.
    pub fn won(&self) -> bool {
        self.won.get()
    }

    /// The case's result: `Ok` if sent, `Err(v)` if the channel was closed.
    pub fn into_result(self) -> Result<(), SendError<T>> {
        match self.slot.into_inner() {
            None => Ok(()),
            Some(v) => Err(SendError(v)),
        }
    }
}

impl<T> SelectCase for SendCase<'_, T> {
    fn chan_addr(&self) -> usize {
        self.chan as *const Inner<T> as usize
    }
    fn lock(&self) -> crate::spinlock::SpinGuard<'_, ()> {
        self.chan.raw_lock()
    }
    unsafe fn poll(&self) -> Ready {
        // SAFETY: the slot is ours and not queued anywhere during the poll.
        let slot = unsafe { &mut *self.slot.get() };
        let v = slot
            .take()
            .expect("a send case holds its value until it completes");
        // SAFETY: the caller holds the lock (contract).
        let st = unsafe { self.chan.state() };
        match st.try_send(self.chan.cap, v) {
            super::queue::SendNow::Sent(w) => Some(Wake(w)),
            super::queue::SendNow::Closed(v) => {
                *slot = Some(v);
                Some(Wake(None))
            }
            super::queue::SendNow::Blocked(v) => {
                *slot = Some(v);
                None
            }
        }
    }
    unsafe fn enqueue(&self, cell: &WaitCell, case: usize) {
        // SAFETY: the caller holds the lock and keeps `cell` and our slot in place (contract).
        unsafe { self.chan.state() }.push_sender(Entry::new(cell, &self.slot, case));
    }
    unsafe fn withdraw(&self, cell: &WaitCell) {
        // SAFETY: the caller holds the lock (contract).
        unsafe { self.chan.state() }.withdraw(cell);
    }
    fn set_won(&self) {
        self.won.set(true);
    }
}

/// When a select without a ready case gives up and takes `default`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// No `default`: wait for a case.
    Block,
    /// `default`: never wait.
    NonBlock,
    /// `default(timeout)`: wait until this deadline (`None`: the timeout overflowed, never).
    Until(Option<Instant>),
}

impl Mode {
    /// The mode for `default(timeout)`, reading the clock now.
    pub fn timeout(d: Duration) -> Mode {
        Mode::Until(Instant::now().checked_add(d))
    }
}

/// Holds the locks of a select's channels, taken in address order.
struct Locks<'a, const N: usize> {
    cases: &'a [&'a dyn SelectCase; N],
    /// Case indices sorted by channel address.
    order: [usize; N],
    guards: [Option<crate::spinlock::SpinGuard<'a, ()>>; N],
}

impl<'a, const N: usize> Locks<'a, N> {
    fn new(cases: &'a [&'a dyn SelectCase; N]) -> Self {
        let mut order: [usize; N] = std::array::from_fn(|i| i);
        order.sort_unstable_by_key(|&i| cases[i].chan_addr());
        Locks {
            cases,
            order,
            guards: std::array::from_fn(|_| None),
        }
    }

    fn lock(&mut self) {
        let mut last = None;
        for (k, &i) in self.order.iter().enumerate() {
            let addr = self.cases[i].chan_addr();
            if last != Some(addr) {
                self.guards[k] = Some(self.cases[i].lock());
                last = Some(addr);
            }
        }
    }

    fn unlock(&mut self) {
        for g in self.guards.iter_mut().rev() {
            *g = None;
        }
    }
}

/// Pass 3 as a drop guard: withdraws every entry of `cell`.
struct Dequeue<'a, 'b, const N: usize> {
    locks: &'b mut Locks<'a, N>,
    cell: &'b WaitCell,
    /// Still to run: set until `run` has withdrawn the entries.
    armed: bool,
}

impl<const N: usize> Dequeue<'_, '_, N> {
    /// Locks everything, withdraws; returns with the locks held.
    fn run(&mut self, timed_out: bool) -> Option<usize> {
        self.armed = false;
        self.locks.lock();
        let mut winner = self.cell.claimed_case();
        if timed_out && winner.is_none() && !self.cell.cancel() {
            // Claimed between the deadline and our locking; the claimant finished under one of our locks.
            winner = self.cell.claimed_case();
        }
        for c in self.locks.cases.iter() {
            // SAFETY: we hold every lock of this select.
            unsafe { c.withdraw(self.cell) };
        }
        winner
    }
}

impl<const N: usize> Drop for Dequeue<'_, '_, N> {
    fn drop(&mut self) {
        if self.armed {
            // Unwinding out of `park` (cancellation): withdraw so no queue keeps a pointer into our frame.
            self.locks.lock();
            self.cell.cancel();
            for c in self.locks.cases.iter() {
                // SAFETY: we hold every lock of this select.
                unsafe { c.withdraw(self.cell) };
            }
        }
        self.locks.unlock();
    }
}

/// Runs a select over `cases`; returns the winning case's index (also recorded in the case), or `None` if
/// `default` was taken. Used by [`select!`](crate::select); call the macro instead.
#[doc(hidden)]
#[track_caller]
pub fn select<const N: usize>(cases: [&dyn SelectCase; N], mode: Mode) -> Option<usize> {
    if N == 0 {
        match mode {
            Mode::Block | Mode::Until(None) => block_forever(),
            Mode::NonBlock => return None,
            Mode::Until(Some(d)) => {
                while Instant::now() < d {
                    park::park_until(WaitReason::Select, d);
                }
                return None;
            }
        }
    }
    let mut poll_order: [usize; N] = std::array::from_fn(|i| i);
    shuffle(&mut poll_order);
    let mut locks = Locks::new(&cases);

    // Pass 1: poll.
    locks.lock();
    for &i in &poll_order {
        // SAFETY: every channel of this select is locked.
        if let Some(Wake(waker)) = unsafe { cases[i].poll() } {
            locks.unlock();
            if let Some(w) = waker {
                w.run();
            }
            cases[i].set_won();
            return Some(i);
        }
    }
    let deadline = match mode {
        Mode::Block => None,
        Mode::NonBlock => {
            locks.unlock();
            return None;
        }
        Mode::Until(d) => d,
    };
    if deadline.is_some_and(|d| Instant::now() >= d) {
        locks.unlock();
        return None;
    }

    // Pass 2: enqueue on every channel, park.
    let cell = WaitCell::for_select();
    // In the random poll order: when several cases of this select wait on one channel, which of them a
    // partner meets first is random too (Go's TestPseudoRandomSend).
    for &i in &poll_order {
        // SAFETY: the locks are held; `cell` and the cases outlive the entries: `Dequeue` removes them
        // before this frame ends, on every path including unwinding.
        unsafe { cases[i].enqueue(&cell, i) };
    }
    locks.unlock();
    let mut dequeue = Dequeue {
        locks: &mut locks,
        cell: &cell,
        armed: true,
    };
    let done = cell.wait(WaitReason::Select, deadline);

    // Pass 3: dequeue.
    let winner = dequeue.run(!done);
    drop(dequeue);
    let i = winner?;
    cases[i].set_won();
    Some(i)
}

/// A select with no cases: parks for good (Go's `select {}`). Cancellation still unwinds it.
#[doc(hidden)]
#[track_caller]
pub fn block_forever() -> ! {
    loop {
        park::park(WaitReason::SelectNoCases);
    }
}

/// Fisher-Yates shuffle with the per-thread generator.
fn shuffle(v: &mut [usize]) {
    for i in (1..v.len()).rev() {
        let j = rand_below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
}

/// A uniform value in `0..n` (`n > 0`), by Lemire's multiply-shift with rejection.
pub(crate) fn rand_below(n: u64) -> u64 {
    loop {
        let m = (next_u64() as u128) * (n as u128);
        let low = m as u64;
        if low >= n.wrapping_neg() % n {
            return (m >> 64) as u64;
        }
    }
}

/// wyrand: one 64-bit add and one 128-bit multiply per value.
fn next_u64() -> u64 {
    thread_local! {
        static STATE: Cell<u64> = Cell::new(seed());
    }
    STATE.with(|s| {
        let x = s.get().wrapping_add(0xa076_1d64_78bd_642f);
        s.set(x);
        let t = (x as u128) * ((x ^ 0xe703_7ed1_a0b4_28db) as u128);
        ((t >> 64) as u64) ^ (t as u64)
    })
}

fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_usize(&h as *const _ as usize);
    h.finish()
}

/// Waits on several channel operations at once and completes exactly one (Go's `select`).
///
/// Syntax follows crossbeam-channel; semantics follow Go:
///
/// ```text
/// gort::select! {
///     recv(ch) -> v => body,          // v: Option<T>; None if ch is closed
///     send(ch, value) -> res => body, // res: Result<(), SendError<T>>; Err(value back) if closed
///     default => body,                // optional: taken at once if no case is ready
///     default(timeout) => body,       // or: taken if no case became ready within `timeout`
/// }
/// ```
///
/// - Channel expressions and values to send are evaluated once, in source order, before anything else.
///   A channel may be given as `Chan<T>` or `&Chan<T>`, temporaries included
///   (`recv(gort::time::after(d)) -> _`). The macro borrows, never moves, a named channel.
/// - When several cases are ready, one is chosen uniformly at random.
/// - A closed channel is always ready: its receive case gets `None`, its send case `Err`.
/// - Values of send cases that were not chosen are dropped.
/// - `select! {}` blocks forever (`select (no cases)` in a goroutine dump).
/// - The same channel may appear in several cases; a goroutine never receives its own send.
/// - Bodies may `break`, `continue` or `return` out of enclosing code. A body that is a block followed by
///   more expression tokens (`{ a } + b`) must be wrapped in braces.
/// - At most 32 cases.
///
/// ```
/// use gort::{select, Chan};
/// use std::time::Duration;
///
/// let a: Chan<i32> = Chan::new(1);
/// let b: Chan<&str> = Chan::new(1);
/// b.send("hello").unwrap();
/// let got = select! {
///     recv(a) -> v => format!("a: {v:?}"),
///     recv(b) -> v => format!("b: {v:?}"),
///     recv(gort::time::after(Duration::from_secs(1))) -> _ => "timeout".to_string(),
/// };
/// assert_eq!(got, r#"b: Some("hello")"#);
///
/// // Non-blocking send.
/// select! {
///     send(a, 1) -> res => res.unwrap(),
///     default => unreachable!("a has room"),
/// }
/// // Goroutines: a worker answers until told to quit.
/// gort::run(|| {
///     let (jobs, quit): (Chan<u32>, Chan<()>) = (Chan::new(0), Chan::new(0));
///     let results: Chan<u32> = Chan::new(0);
///     let (j, q, r) = (jobs.clone(), quit.clone(), results.clone());
///     gort::spawn(move || loop {
///         select! {
///             recv(j) -> n => r.send(n.unwrap() * 2).unwrap(),
///             recv(q) -> _ => return,
///         }
///     });
///     jobs.send(21).unwrap();
///     assert_eq!(results.recv(), Some(42));
///     quit.close();
/// });
///
/// // Timeout.
/// let empty: Chan<()> = Chan::new(0);
/// let timed_out = select! {
///     recv(empty) -> _ => false,
///     default(Duration::from_millis(5)) => true,
/// };
/// assert!(timed_out);
/// ```
#[macro_export]
macro_rules! select {
    // ---- Parsing: one case at a time into [(kind id (chan) (value) (pattern) {body})...] [default] ----
    (@parse [$($cases:tt)*] [$($def:tt)*] [$id:ident $($ids:ident)*]
        recv($ch:expr) -> $p:pat => $body:block, $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)* (recv $id ($ch) (()) ($p) $body)] [$($def)*] [$($ids)*] $($rest)*)
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] [$id:ident $($ids:ident)*]
        recv($ch:expr) -> $p:pat => $body:block $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)* (recv $id ($ch) (()) ($p) $body)] [$($def)*] [$($ids)*] $($rest)*)
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] [$id:ident $($ids:ident)*]
        recv($ch:expr) -> $p:pat => $body:expr, $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)* (recv $id ($ch) (()) ($p) { $body })] [$($def)*] [$($ids)*] $($rest)*)
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] [$id:ident $($ids:ident)*]
        recv($ch:expr) -> $p:pat => $body:expr) => {
        $crate::select!(@parse [$($cases)* (recv $id ($ch) (()) ($p) { $body })] [$($def)*] [$($ids)*])
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] [$id:ident $($ids:ident)*]
        send($ch:expr, $v:expr) -> $p:pat => $body:block, $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)* (send $id ($ch) ($v) ($p) $body)] [$($def)*] [$($ids)*] $($rest)*)
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] [$id:ident $($ids:ident)*]
        send($ch:expr, $v:expr) -> $p:pat => $body:block $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)* (send $id ($ch) ($v) ($p) $body)] [$($def)*] [$($ids)*] $($rest)*)
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] [$id:ident $($ids:ident)*]
        send($ch:expr, $v:expr) -> $p:pat => $body:expr, $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)* (send $id ($ch) ($v) ($p) { $body })] [$($def)*] [$($ids)*] $($rest)*)
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] [$id:ident $($ids:ident)*]
        send($ch:expr, $v:expr) -> $p:pat => $body:expr) => {
        $crate::select!(@parse [$($cases)* (send $id ($ch) ($v) ($p) { $body })] [$($def)*] [$($ids)*])
    };
    (@parse [$($cases:tt)*] [] $ids:tt default => $body:block, $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)*] [($crate::__select::Mode::NonBlock) $body] $ids $($rest)*)
    };
    (@parse [$($cases:tt)*] [] $ids:tt default => $body:block $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)*] [($crate::__select::Mode::NonBlock) $body] $ids $($rest)*)
    };
    (@parse [$($cases:tt)*] [] $ids:tt default => $body:expr, $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)*] [($crate::__select::Mode::NonBlock) { $body }] $ids $($rest)*)
    };
    (@parse [$($cases:tt)*] [] $ids:tt default => $body:expr) => {
        $crate::select!(@parse [$($cases)*] [($crate::__select::Mode::NonBlock) { $body }] $ids)
    };
    (@parse [$($cases:tt)*] [] $ids:tt default($d:expr) => $body:block, $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)*] [($crate::__select::Mode::timeout($d)) $body] $ids $($rest)*)
    };
    (@parse [$($cases:tt)*] [] $ids:tt default($d:expr) => $body:block $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)*] [($crate::__select::Mode::timeout($d)) $body] $ids $($rest)*)
    };
    (@parse [$($cases:tt)*] [] $ids:tt default($d:expr) => $body:expr, $($rest:tt)*) => {
        $crate::select!(@parse [$($cases)*] [($crate::__select::Mode::timeout($d)) { $body }] $ids $($rest)*)
    };
    (@parse [$($cases:tt)*] [] $ids:tt default($d:expr) => $body:expr) => {
        $crate::select!(@parse [$($cases)*] [($crate::__select::Mode::timeout($d)) { $body }] $ids)
    };
    (@parse [$($cases:tt)*] [$($def:tt)+] $ids:tt default $($rest:tt)*) => {
        ::core::compile_error!("select!: more than one `default` case")
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] [] recv $($rest:tt)*) => {
        ::core::compile_error!("select!: too many cases (at most 32)")
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] [] send $($rest:tt)*) => {
        ::core::compile_error!("select!: too many cases (at most 32)")
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] $ids:tt) => {
        $crate::select!(@emit [$($cases)*] [$($def)*])
    };
    (@parse [$($cases:tt)*] [$($def:tt)*] $ids:tt $($rest:tt)+) => {
        ::core::compile_error!(::core::concat!(
            "select!: expected `recv(ch) -> pat => body`, `send(ch, value) -> pat => body`, ",
            "`default => body` or `default(timeout) => body`, found: ",
            ::core::stringify!($($rest)+)
        ))
    };

    // ---- Building case objects ----
    (@case recv $id:ident) => { $crate::__select::RecvCase::new($id.0) };
    (@case send $id:ident) => { $crate::__select::SendCase::new($id.0, $id.1) };
    (@mode) => { $crate::__select::Mode::Block };
    (@mode ($mode:expr) $body:block) => { $mode };
    (@default) => { ::core::unreachable!("select!: no case won and there is no default") };
    (@default ($mode:expr) $body:block) => { $body };

    // ---- Emitting ----
    (@emit [$(($kind:ident $id:ident ($ch:expr) ($v:expr) ($p:pat) $body:block))*] [$($def:tt)*]) => {
        // Evaluate channels and values in source order; temporaries live to the end of the `match`.
        match ($((&$ch, $v),)*) {
            ($($id,)*) => {
                $(let $id = $crate::select!(@case $kind $id);)*
                let _ = $crate::__select::select(
                    [$(&$id as &dyn $crate::__select::SelectCase),*],
                    $crate::select!(@mode $($def)*),
                );
                $(if $id.won() {
                    let $p = $id.into_result();
                    $body
                } else)* {
                    $crate::select!(@default $($def)*)
                }
            }
        }
    };

    // ---- Entry ----
    () => { $crate::__select::block_forever() };
    ($($tokens:tt)+) => {
        $crate::select!(@parse [] [] [
            __gort_c0 __gort_c1 __gort_c2 __gort_c3 __gort_c4 __gort_c5 __gort_c6 __gort_c7
            __gort_c8 __gort_c9 __gort_c10 __gort_c11 __gort_c12 __gort_c13 __gort_c14 __gort_c15
            __gort_c16 __gort_c17 __gort_c18 __gort_c19 __gort_c20 __gort_c21 __gort_c22 __gort_c23
            __gort_c24 __gort_c25 __gort_c26 __gort_c27 __gort_c28 __gort_c29 __gort_c30 __gort_c31
        ] $($tokens)+)
    };
}
