//! A descriptor that goroutines wait on through the poller: the layer under `gort::net` and
//! [`PollFd`](super::PollFd) (Go's `internal/poll.FD` and its `fdMutex`).
//!
//! - **Non-blocking underneath.** The kernel descriptor is put in `O_NONBLOCK` mode once, when it
//!   is wrapped, and stays so (toggling it on a registered descriptor would lose edges). A call
//!   that gets `WouldBlock` waits for readiness and tries again; `set_nonblocking(true)` only
//!   makes the call return `WouldBlock` to its caller instead of waiting.
//! - **Where it waits.** A goroutine of a runtime waits in that runtime's poller (`sched::netpoll`);
//!   the descriptor is registered with it the first time one has to wait. Anywhere else (a plain
//!   thread, a goroutine of another runtime, after the runtime stopped) the call waits in
//!   `poll(2)` on its one descriptor, inside `gort::syscall` on a goroutine, and looks again at
//!   `close` and deadlines every [`OUTSIDE_RECHECK`].
//! - **Deadlines** (Go's) and **timeouts** (std's): per direction, a deadline applies to the call
//!   in progress and to later ones (changing it wakes the waiter, which looks again); a timeout
//!   starts afresh with each call. Either expiring gives `ErrorKind::TimedOut`, and a call
//!   started after its deadline fails so at once, even if it could make progress (Go's rule).
//! - **`close(&self)`** marks the descriptor closing and wakes every waiter; calls in progress and
//!   later ones fail with "use of closed ..."; the kernel descriptor is closed (after being
//!   deregistered) only when the last call in progress has left, so a reused descriptor number
//!   is never touched. Calls count themselves in `state` ([`Op`]).
//! - **One call per direction at a time**: each direction has a `gort::sync::Mutex`, held for the
//!   whole call, so that a write is whole (two goroutines writing never interleave) and each
//!   direction's slot has at most one waiter.

use std::cell::UnsafeCell;
use std::io;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::sync::atomic::{fence, AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::sched::current;
use crate::sched::netpoll::{poll_one, PollDesc, Poller, Prepared, Slot, Token};
use crate::wait_reason::WaitReason;

/// A waiter outside any poller looks again at `close` and deadline changes this often.
const OUTSIDE_RECHECK: Duration = Duration::from_millis(20);

/// `state`: the descriptor is closing (no new calls).
const CLOSING: u64 = 1 << 63;
/// `state`: the kernel descriptor has been closed (or handed back out by `into_inner`).
const DESTROYED: u64 = 1 << 62;
/// `state`: calls in progress, in the low bits.
const REFS: u64 = DESTROYED - 1;

/// Which way a call goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    Read = 0,
    Write = 1,
}

/// One direction's state.
struct Direction {
    /// Held for a whole call: one waiter per slot, whole writes.
    lock: crate::sync::Mutex<()>,
    /// Go's deadline, and std's timeout.
    limits: std::sync::Mutex<Limits>,
    /// Bumped whenever a waiter must look again (a deadline changed, the descriptor is closing).
    /// SeqCst, with a full fence on the waiter's side between installing itself and reading it:
    /// either the waiter sees the bump, or the bumper sees the waiter in the slot and wakes it.
    seq: AtomicU64,
}

#[derive(Clone, Copy, Default)]
struct Limits {
    deadline: Option<Instant>,
    timeout: Option<Duration>,
}

impl Direction {
    fn new() -> Direction {
        Direction {
            lock: crate::sync::Mutex::new(()),
            limits: std::sync::Mutex::new(Limits::default()),
            seq: AtomicU64::new(0),
        }
    }

    fn limits(&self) -> Limits {
        *self.limits.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, f: impl FnOnce(&mut Limits)) {
        f(&mut self.limits.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

/// The descriptor's registration with one runtime's poller.
struct Registration {
    poller: Arc<Poller>,
    token: Token,
}

impl Registration {
    fn desc(&self) -> &PollDesc {
        self.poller.desc(self.token)
    }
}

/// What a closed descriptor's calls return.
pub(crate) fn closed_error(what: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::NotConnected, format!("use of closed {what}"))
}

pub(crate) fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "i/o timeout")
}

/// A descriptor owned by `T` (a std socket, a pipe...), waited on through the poller.
pub(crate) struct PolledFd<T: AsFd> {
    inner: UnsafeCell<ManuallyDrop<T>>,
    fd: RawFd,
    /// `CLOSING`, `DESTROYED`, and the calls in progress. AcqRel: the last call's exit (or
    /// `close`) destroys the descriptor after every other call's use of it.
    state: AtomicU64,
    reg: OnceLock<Option<Registration>>,
    dirs: [Direction; 2],
    /// `set_nonblocking(true)`: return `WouldBlock` instead of waiting. Relaxed: a mode flag.
    nonblocking: AtomicBool,
    /// What the error messages call it ("network connection", "file").
    what: &'static str,
    /// The blocking mode of the open file description, shared with the handles made by
    /// [`new_duplicate`](Self::new_duplicate); `None` for a readiness-only wrapper, which leaves
    /// the mode alone.
    mode: Option<Arc<SharedMode>>,
}

// SAFETY: `inner` is only reached through `&T` while a call holds a reference count, or by value
// once no call can (destroy / into_inner), so sharing a `PolledFd<T>` shares `&T` across threads,
// which `T: Sync` allows; everything else is atomics and locks.
unsafe impl<T: AsFd + Send + Sync> Sync for PolledFd<T> {}
// SAFETY: moving it moves a `T`, which `T: Send` allows.
unsafe impl<T: AsFd + Send> Send for PolledFd<T> {}

/// The non-blocking mode of one open file description, which every gort handle to it (a socket
/// and its `try_clone` duplicates) needs: `O_NONBLOCK` belongs to the description, not to a
/// descriptor. The last handle to be unwrapped (`into_inner`) puts back the mode the description
/// had when first wrapped; one unwrapped while others live leaves it non-blocking, or their calls
/// would block their threads.
struct SharedMode {
    /// Handles that still need the description non-blocking. AcqRel: the last one out restores.
    holders: AtomicU64,
    was_nonblocking: bool,
}

/// A call in progress: the descriptor stays open while it lives.
pub(crate) struct Op<'a, T: AsFd> {
    fd: &'a PolledFd<T>,
}

impl<T: AsFd> Deref for Op<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: while an `Op` lives the reference count is not zero, so `inner` is neither
        // destroyed nor taken (both wait for the count to reach zero).
        unsafe { &*self.fd.inner.get() }
    }
}

impl<T: AsFd> Drop for Op<'_, T> {
    fn drop(&mut self) {
        // AcqRel: our use of the descriptor happens before whoever destroys it.
        let before = self.fd.state.fetch_sub(1, Ordering::AcqRel);
        if before & REFS == 1 && before & CLOSING != 0 {
            self.fd.destroy();
        }
    }
}

impl<T: AsFd> PolledFd<T> {
    /// Wraps `t`, putting its descriptor in non-blocking mode.
    pub(crate) fn new(t: T, what: &'static str) -> io::Result<PolledFd<T>> {
        let fd = t.as_fd().as_raw_fd();
        let was_nonblocking = set_nonblocking(fd, true)?;
        let mode = SharedMode {
            holders: AtomicU64::new(1),
            was_nonblocking,
        };
        Ok(Self::wrap(t, fd, what, Some(Arc::new(mode))))
    }

    /// Wraps `t`, a duplicate of `of`'s descriptor (the same open file description), sharing its
    /// non-blocking mode (see [`SharedMode`]).
    pub(crate) fn new_duplicate(t: T, of: &PolledFd<T>, what: &'static str) -> PolledFd<T> {
        let fd = t.as_fd().as_raw_fd();
        let mode = of.mode.clone();
        if let Some(m) = &mode {
            m.holders.fetch_add(1, Ordering::AcqRel);
        }
        Self::wrap(t, fd, what, mode)
    }

    /// Wraps `t` to wait for its readiness only ([`ready`](Self::ready)), leaving its blocking
    /// mode alone.
    pub(crate) fn for_readiness(t: T, what: &'static str) -> PolledFd<T> {
        let fd = t.as_fd().as_raw_fd();
        Self::wrap(t, fd, what, None)
    }

    fn wrap(t: T, fd: RawFd, what: &'static str, mode: Option<Arc<SharedMode>>) -> PolledFd<T> {
        PolledFd {
            inner: UnsafeCell::new(ManuallyDrop::new(t)),
            fd,
            state: AtomicU64::new(0),
            reg: OnceLock::new(),
            dirs: [Direction::new(), Direction::new()],
            nonblocking: AtomicBool::new(false),
            what,
            mode,
        }
    }

    /// The wrapped value, for an owner that never calls [`close`](Self::close) (`PollFd`).
    pub(crate) fn value(&self) -> &T {
        // SAFETY: without `close`, `inner` is destroyed only by `Drop` or taken by `into_inner`,
        // both of which need the `PolledFd` by value, so not while `&self` is borrowed.
        unsafe { &*self.inner.get() }
    }

    pub(crate) fn raw(&self) -> RawFd {
        self.fd
    }

    /// Starts a call: fails once the descriptor is closing.
    pub(crate) fn op(&self) -> io::Result<Op<'_, T>> {
        let mut s = self.state.load(Ordering::Acquire);
        loop {
            if s & CLOSING != 0 {
                return Err(closed_error(self.what));
            }
            match self
                .state
                .compare_exchange_weak(s, s + 1, Ordering::Acquire, Ordering::Acquire)
            {
                Ok(_) => return Ok(Op { fd: self }),
                Err(x) => s = x,
            }
        }
    }

    /// The wrapped value, for calls that do not wait (options, addresses). Fails once closed.
    pub(crate) fn get(&self) -> io::Result<Op<'_, T>> {
        self.op()
    }

    fn is_closing(&self) -> bool {
        self.state.load(Ordering::SeqCst) & CLOSING != 0
    }

    /// Runs `f` until it does not return `WouldBlock`, waiting for `dir` readiness in between
    /// (unless in non-blocking mode), under `dir`'s lock, within its deadline and timeout.
    #[track_caller]
    pub(crate) fn io<R>(&self, dir: Dir, mut f: impl FnMut(&T) -> io::Result<R>) -> io::Result<R> {
        let op = self.op()?;
        let _turn = self.dirs[dir as usize].lock.lock();
        let call_deadline = self.start_call(dir)?;
        loop {
            if self.is_closing() {
                return Err(closed_error(self.what));
            }
            match f(&op) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => return r,
            }
            if self.nonblocking.load(Ordering::Relaxed) {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            self.wait(dir, call_deadline)?;
        }
    }

    /// Writes all of `buf` with `f` (one `write`-like call per try), waiting as [`io`](Self::io)
    /// does, under the write lock for the whole of it: a write is whole. Returns how much was
    /// written: all of it, or, if an error (a timeout, say) came after some was, that much.
    #[track_caller]
    pub(crate) fn write_whole(
        &self,
        buf: &[u8],
        mut f: impl FnMut(&T, &[u8]) -> io::Result<usize>,
    ) -> io::Result<usize> {
        let op = self.op()?;
        let _turn = self.dirs[Dir::Write as usize].lock.lock();
        let call_deadline = self.start_call(Dir::Write)?;
        let mut done = 0;
        loop {
            let r = if self.is_closing() {
                Err(closed_error(self.what))
            } else {
                f(&op, &buf[done..])
            };
            match r {
                Ok(0) if !buf.is_empty() => {
                    return Err(io::ErrorKind::WriteZero.into());
                }
                Ok(n) => {
                    done += n;
                    if done >= buf.len() {
                        return Ok(done);
                    }
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return if done > 0 { Ok(done) } else { Err(e) },
            }
            if self.nonblocking.load(Ordering::Relaxed) {
                return if done > 0 {
                    Ok(done)
                } else {
                    Err(io::ErrorKind::WouldBlock.into())
                };
            }
            if let Err(e) = self.wait(Dir::Write, call_deadline) {
                return if done > 0 { Ok(done) } else { Err(e) };
            }
        }
    }

    /// Waits until `dir` is ready (or the deadline passes), without a call in between: for
    /// `PollFd::readable`. Returns at once if the descriptor is ready now.
    #[track_caller]
    pub(crate) fn ready(&self, dir: Dir, deadline: Option<Instant>) -> io::Result<()> {
        let _op = self.op()?;
        let _turn = self.dirs[dir as usize].lock.lock();
        loop {
            if self.is_closing() {
                return Err(closed_error(self.what));
            }
            // Level-triggered look first: an edge consumed earlier may have left it ready.
            if poll_one(self.fd, dir == Dir::Write, Some(Duration::ZERO))? {
                return Ok(());
            }
            self.wait(dir, deadline)?;
        }
    }

    /// At the start of a call (holding `dir`'s lock): fails with `TimedOut` if `dir`'s deadline
    /// has passed, as Go's calls do even when they could make progress (data waiting, room to
    /// write, a connection queued); else returns the call's own deadline from std's timeout.
    fn start_call(&self, dir: Dir) -> io::Result<Option<Instant>> {
        let limits = self.dirs[dir as usize].limits();
        if limits.deadline.is_some_and(|dl| dl <= Instant::now()) {
            return Err(timed_out());
        }
        Ok(limits.timeout.and_then(|t| Instant::now().checked_add(t)))
    }

    /// One wait for `dir` readiness. `Ok` means "try again" (an edge, a spurious wake-up, a
    /// deadline change); errors are the deadline passing and the descriptor closing.
    #[track_caller]
    fn wait(&self, dir: Dir, call_deadline: Option<Instant>) -> io::Result<()> {
        let d = &self.dirs[dir as usize];
        let seq = d.seq.load(Ordering::SeqCst);
        if self.is_closing() {
            return Err(closed_error(self.what));
        }
        let deadline = earliest(d.limits().deadline, call_deadline);
        if deadline.is_some_and(|dl| dl <= Instant::now()) {
            return Err(timed_out());
        }
        let Some(reg) = self.registration_here() else {
            return self.wait_outside(dir, deadline);
        };
        let g = current::current_g().expect("registration_here is only Some on a goroutine");
        let slot = slot_of(reg.desc(), dir);
        if slot.prepare(&g) == Prepared::Ready {
            return Ok(());
        }
        drop(g);
        let mut waiting = Waiting {
            slot,
            poller: &reg.poller,
            counted: false,
        };
        // Pairs with the fence in `wake_waiters`: see `Direction::seq`.
        fence(Ordering::SeqCst);
        if self.is_closing() || d.seq.load(Ordering::SeqCst) != seq {
            return Ok(()); // `waiting` withdraws us
        }
        reg.poller.add_waiter();
        waiting.counted = true;
        match deadline {
            Some(dl) => crate::park::park_until(WaitReason::IoWait, dl),
            None => crate::park::park(WaitReason::IoWait),
        }
        Ok(())
    }

    /// A wait in `poll(2)`, for a caller that has no poller here.
    #[track_caller]
    fn wait_outside(&self, dir: Dir, deadline: Option<Instant>) -> io::Result<()> {
        let mut timeout = OUTSIDE_RECHECK;
        if let Some(dl) = deadline {
            timeout = timeout.min(dl.saturating_duration_since(Instant::now()));
        }
        let fd = self.fd;
        crate::syscall(|| poll_one(fd, dir == Dir::Write, Some(timeout))).map(|_| ())
    }

    /// This descriptor's registration with the poller of the runtime whose goroutine is calling,
    /// made on first need; `None` on a plain thread, from another runtime, once the runtime has
    /// stopped, or if the descriptor cannot be polled.
    fn registration_here(&self) -> Option<&Registration> {
        if current::current_g_ptr().is_null() {
            return None;
        }
        if let Some(reg) = self.reg.get() {
            // Registered (or found unpollable) already: no new reference to the poller, whose
            // count every M would otherwise bounce at every wait.
            let reg = reg.as_ref()?;
            let here =
                current::with_m(|m| m.rt().poller().is_some_and(|p| Arc::ptr_eq(p, &reg.poller)));
            return (here == Some(true) && !reg.poller.is_closed()).then_some(reg);
        }
        let poller = current::with_m(|m| m.rt().poller().cloned()).flatten()?;
        let reg = self
            .reg
            .get_or_init(|| {
                let token = poller.register(self.fd).ok()?;
                Some(Registration {
                    poller: poller.clone(),
                    token,
                })
            })
            .as_ref()?;
        (Arc::ptr_eq(&reg.poller, &poller) && !reg.poller.is_closed()).then_some(reg)
    }

    /// Wakes `dir`'s waiter, if any, to look again (a deadline changed, or closing).
    fn wake_waiters(&self, dir: Dir) {
        self.dirs[dir as usize].seq.fetch_add(1, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        if let Some(Some(reg)) = self.reg.get() {
            if let Some(g) = slot_of(reg.desc(), dir).unblock(false) {
                crate::park::Unparker::from_g(g).unpark();
            }
        }
    }

    /// Sets Go's deadline for `dir` (or both), for the call in progress and later ones.
    pub(crate) fn set_deadline(&self, dirs: &[Dir], deadline: Option<Instant>) -> io::Result<()> {
        let _op = self.op()?;
        for &dir in dirs {
            self.dirs[dir as usize].set(|l| l.deadline = deadline);
            self.wake_waiters(dir);
        }
        Ok(())
    }

    /// `shutdown(2)` with `f`, then wakes the waiters of the directions shut down to try their
    /// calls again (which then see end of file or `EPIPE`): the kernel does not always give an
    /// edge for it (a Unix stream whose write side is shut down while its send buffer is full
    /// polls as before, where a blocking write would fail at once).
    pub(crate) fn shutdown(
        &self,
        how: std::net::Shutdown,
        f: impl FnOnce(&T) -> io::Result<()>,
    ) -> io::Result<()> {
        let op = self.get()?;
        f(&op)?;
        let dirs: &[Dir] = match how {
            std::net::Shutdown::Read => &[Dir::Read],
            std::net::Shutdown::Write => &[Dir::Write],
            std::net::Shutdown::Both => &[Dir::Read, Dir::Write],
        };
        for &dir in dirs {
            self.wake_waiters(dir);
        }
        Ok(())
    }

    /// Sets std's timeout for `dir`. `Some(0)` is refused, as std does.
    pub(crate) fn set_timeout(&self, dir: Dir, t: Option<Duration>) -> io::Result<()> {
        if t == Some(Duration::ZERO) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "cannot set a 0 duration timeout",
            ));
        }
        let _op = self.op()?;
        self.dirs[dir as usize].set(|l| l.timeout = t);
        Ok(())
    }

    pub(crate) fn timeout(&self, dir: Dir) -> io::Result<Option<Duration>> {
        let _op = self.op()?;
        Ok(self.dirs[dir as usize].limits().timeout)
    }

    pub(crate) fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        let _op = self.op()?;
        self.nonblocking.store(on, Ordering::Relaxed);
        Ok(())
    }

    /// Go's `Close`: wakes every waiter; calls fail from now on; the kernel descriptor is closed
    /// once no call is using it. A second close fails.
    pub(crate) fn close(&self) -> io::Result<()> {
        let before = self.state.fetch_or(CLOSING, Ordering::AcqRel);
        if before & CLOSING != 0 {
            return Err(closed_error(self.what));
        }
        self.wake_waiters(Dir::Read);
        self.wake_waiters(Dir::Write);
        if before & REFS == 0 {
            self.destroy();
        }
        Ok(())
    }

    /// Closes the kernel descriptor, deregistered first; once. Called with no call in progress
    /// and none possible (closing, or by the owner's drop).
    fn destroy(&self) {
        let s = self.state.fetch_or(DESTROYED, Ordering::AcqRel);
        if s & DESTROYED != 0 {
            return;
        }
        self.deregister();
        if let Some(m) = &self.mode {
            m.holders.fetch_sub(1, Ordering::AcqRel);
        }
        // SAFETY: no call is in progress and none can start (see the callers), and `DESTROYED`
        // makes this the only drop of `inner`.
        unsafe { ManuallyDrop::drop(&mut *self.inner.get()) };
    }

    fn deregister(&self) {
        if let Some(Some(reg)) = self.reg.get() {
            reg.poller.deregister(self.fd, reg.token);
        }
    }

    /// Unwraps: deregistered, its blocking mode as it was when wrapped, unless other gort handles
    /// to the same open file description live on (they need it non-blocking). Fails if closed.
    pub(crate) fn into_inner(self) -> io::Result<T> {
        let this = ManuallyDrop::new(self);
        let s = this.state.fetch_or(DESTROYED, Ordering::AcqRel);
        if s & (CLOSING | DESTROYED) != 0 {
            // SAFETY: `this` is never used again; drop its other fields (the value is gone).
            unsafe { drop_rest(&this) };
            return Err(closed_error(this.what));
        }
        this.deregister();
        if let Some(m) = &this.mode {
            if m.holders.fetch_sub(1, Ordering::AcqRel) == 1 {
                let _ = set_nonblocking(this.fd, m.was_nonblocking);
            }
        }
        // SAFETY: `&self` was consumed, so no call is in progress; `DESTROYED` keeps `Drop` and
        // `destroy` away; the value is taken out once.
        let t = unsafe { ManuallyDrop::take(&mut *this.inner.get()) };
        // SAFETY: as above: `this` is not used again.
        unsafe { drop_rest(&this) };
        Ok(t)
    }
}

/// Drops the fields of a `PolledFd` other than its value.
///
/// # Safety
/// `fd` must not be used afterwards (it sits in a `ManuallyDrop` that is never dropped).
unsafe fn drop_rest<T: AsFd>(fd: &ManuallyDrop<PolledFd<T>>) {
    // SAFETY: the caller's promise: these fields are read out once and never touched again.
    unsafe {
        drop(std::ptr::read(&fd.reg));
        drop(std::ptr::read(&fd.dirs));
    }
}

impl<T: AsFd> Drop for PolledFd<T> {
    fn drop(&mut self) {
        self.destroy();
    }
}

/// A waiter's place in a slot, withdrawn when it stops waiting (woken, timed out, unwinding).
struct Waiting<'a> {
    slot: &'a Slot,
    poller: &'a Poller,
    counted: bool,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        // An edge that came while we waited stays for the retry to find: the call is retried
        // whatever `finish` says.
        let _ = self.slot.finish();
        if self.counted {
            self.poller.remove_waiter();
        }
    }
}

fn slot_of(d: &PollDesc, dir: Dir) -> &Slot {
    match dir {
        Dir::Read => &d.read,
        Dir::Write => &d.write,
    }
}

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Sets or clears `O_NONBLOCK` on `fd`; returns whether it was set before.
pub(crate) fn set_nonblocking(fd: RawFd, on: bool) -> io::Result<bool> {
    // SAFETY: F_GETFL takes no argument; the kernel validates `fd`.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    let was = flags & libc::O_NONBLOCK != 0;
    let new = if on {
        flags | libc::O_NONBLOCK
    } else {
        flags & !libc::O_NONBLOCK
    };
    if new != flags {
        // SAFETY: F_SETFL with an int flag word derived from the descriptor's own.
        if unsafe { libc::fcntl(fd, libc::F_SETFL, new) } < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(was)
}
