//! The network poller: goroutines wait for a descriptor's readiness without holding a thread
//! (Go's `runtime/netpoll.go` and `netpoll_epoll.go`). The rules it keeps are semantics 6.
//!
//! # Design
//!
//! **One epoll instance per runtime** ([`Poller`], made the first time a goroutine of the runtime
//! waits on a descriptor), edge-triggered, with an eventfd that breaks a blocking wait
//! (`sys.rs`, the one file that names epoll). A descriptor is registered once, for both
//! directions (`IN|OUT|RDHUP|ET`), the first time a goroutine must wait on it, and deregistered
//! before it is closed.
//!
//! **Descriptors** ([`PollDesc`]) live in a table of chunks that are never freed while the poller
//! lives, so a `&PollDesc` taken from it stays valid; a closed descriptor's entry goes back to a
//! free list with its generation bumped. An event's `epoll_event.data` carries the entry's index
//! and generation, never a pointer: an event queued for a descriptor that was closed meanwhile
//! (and whose entry now serves another) names an old generation and is dropped.
//!
//! **Waiting** (`slot.rs`): each direction has a slot holding `EMPTY`, `READY` (an edge nobody has
//! consumed) or the waiting goroutine. A goroutine whose call returned EAGAIN installs itself and
//! parks (`WaitReason::IoWait`); the poller's edge either finds it there (and the poller readies
//! it) or leaves `READY` for it to find. Deadlines and `close` take the waiter out the same way
//! with no edge, and it looks at why it woke (`crate::io`'s descriptor layer).
//!
//! **Who polls** (the scheduler's side: `m.rs`, `sysmon.rs`, `Runtime::handoff_p`), as in Go:
//! - an M that finds no work on its P or the global queue polls without blocking before it steals;
//! - one idle M at a time (the one that claims [`Poller::try_block`]) blocks in `epoll_pwait2`
//!   until the earliest timer deadline it watches (nanoseconds: timers keep their precision). It
//!   is off the idle-M list meanwhile, and takes an idle P for what it finds;
//! - the last busy P handed off while goroutines wait on I/O starts an M, which finds nothing else
//!   to do and becomes that poller;
//! - sysmon polls when nobody has for 10 ms (every M busy with goroutines that do not yield).
//!
//! A goroutine waiting on I/O is never reported as a deadlock ([`Poller::waiters`] counts them
//! until they run again), and an M blocked in the poller counts as idle for the deadlock check,
//! so a program that used the network and then deadlocks on a channel is still reported.
//! A wired goroutine parks with its M (as for any wait) and is readied straight to it; a wired
//! M never becomes the poller. When the runtime stops, the waiters are cancelled like every
//! parked goroutine and unwind; the blocked poller is woken through the eventfd.

mod slot;
mod sys;

pub(crate) use slot::{Prepared, Slot};
pub(crate) use sys::poll_one;

use std::io;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::g::G;
use sys::{Epoll, Event};

/// Descriptors per table chunk.
const CHUNK: usize = 256;
/// Chunks at most: `CHUNK * MAX_CHUNKS` descriptors registered at once (about 4 million, far
/// beyond any `RLIMIT_NOFILE` a machine gives).
const MAX_CHUNKS: usize = 16 * 1024;

/// What the poller keeps of one registered descriptor.
pub(crate) struct PollDesc {
    /// Bumped each time the entry is freed, so that stale events (and tokens) are told apart.
    /// Relaxed: compared by the poller as a filter; a stale event that slips past it only wakes
    /// a waiter spuriously, which every waiter tolerates.
    gen: AtomicU32,
    /// The reader's and the writer's slot.
    pub(crate) read: Slot,
    pub(crate) write: Slot,
}

impl PollDesc {
    fn new() -> PollDesc {
        PollDesc {
            gen: AtomicU32::new(0),
            read: Slot::new(),
            write: Slot::new(),
        }
    }
}

/// A descriptor's place in the poller's table: index and generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    index: u32,
    gen: u32,
}

impl Token {
    fn to_u64(self) -> u64 {
        ((self.gen as u64) << 32) | self.index as u64
    }

    fn from_u64(v: u64) -> Token {
        Token {
            index: v as u32,
            gen: (v >> 32) as u32,
        }
    }
}

/// The table of descriptors: chunks that never move or go away while the poller lives.
struct Table {
    chunks: Box<[AtomicPtr<PollDesc>]>,
    /// Free entries, and how many entries have ever been handed out.
    free: Mutex<(Vec<u32>, u32)>,
}

impl Table {
    fn new() -> Table {
        Table {
            chunks: (0..MAX_CHUNKS)
                .map(|_| AtomicPtr::new(std::ptr::null_mut()))
                .collect(),
            free: Mutex::new((Vec::new(), 0)),
        }
    }

    /// The entry at `index`, if its chunk exists.
    fn get(&self, index: u32) -> Option<&PollDesc> {
        let (c, i) = (index as usize / CHUNK, index as usize % CHUNK);
        // Acquire: pairs with the Release that published the chunk's initialised entries.
        let chunk = self.chunks.get(c)?.load(Ordering::Acquire);
        // SAFETY: a non-null chunk pointer is a leaked `Box<[PollDesc; CHUNK]>`'s first element,
        // freed only in `Drop`, which cannot run while `&self` is borrowed; `i < CHUNK`.
        (!chunk.is_null()).then(|| unsafe { &*chunk.add(i) })
    }

    /// A free entry.
    fn alloc(&self) -> io::Result<Token> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        let index = match free.0.pop() {
            Some(i) => i,
            None => {
                let i = free.1;
                let c = i as usize / CHUNK;
                if c >= MAX_CHUNKS {
                    return Err(io::Error::other("gort: too many descriptors in the poller"));
                }
                if i as usize % CHUNK == 0 {
                    let chunk: Box<[PollDesc]> = (0..CHUNK).map(|_| PollDesc::new()).collect();
                    let ptr = Box::into_raw(chunk) as *mut PollDesc;
                    // Release: the entries are initialised before anyone can see the chunk.
                    self.chunks[c].store(ptr, Ordering::Release);
                }
                free.1 += 1;
                i
            }
        };
        let d = self.get(index).expect("an allocated entry's chunk exists");
        Ok(Token {
            index,
            gen: d.gen.load(Ordering::Relaxed),
        })
    }

    /// Returns an entry, its generation bumped.
    fn release(&self, t: Token) {
        if let Some(d) = self.get(t.index) {
            d.read.reset();
            d.write.reset();
            d.gen.fetch_add(1, Ordering::Relaxed);
        }
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        free.0.push(t.index);
    }
}

impl Drop for Table {
    fn drop(&mut self) {
        for c in self.chunks.iter() {
            let p = c.load(Ordering::Acquire);
            if !p.is_null() {
                // SAFETY: made by `Box::into_raw` of a `Box<[PollDesc]>` of CHUNK entries in
                // `alloc`, freed only here, once.
                drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, CHUNK)) });
            }
        }
    }
}

/// A runtime's poller.
pub(crate) struct Poller {
    epoll: Epoll,
    table: Table,
    /// Goroutines installed in a slot and not yet running again. SeqCst: the scheduler's
    /// decisions (poll or not, deadlock or not) read it beside its other SeqCst counters.
    waiters: AtomicUsize,
    /// An M is in a blocking wait (`try_block` to `end_block`). SeqCst, as `waiters`.
    blocking: AtomicBool,
    /// When anyone last polled (runtime nanoseconds; sysmon's 10 ms rule). Relaxed: a hint.
    last_poll: AtomicU64,
    /// The runtime has stopped: nothing waits here any more.
    closed: AtomicBool,
}

impl Poller {
    pub(crate) fn new() -> io::Result<Poller> {
        Ok(Poller {
            epoll: Epoll::new()?,
            table: Table::new(),
            waiters: AtomicUsize::new(0),
            blocking: AtomicBool::new(false),
            last_poll: AtomicU64::new(0),
            closed: AtomicBool::new(false),
        })
    }

    /// Registers `fd` (non-blocking already) for both directions.
    pub(crate) fn register(&self, fd: RawFd) -> io::Result<Token> {
        let t = self.table.alloc()?;
        if let Err(e) = self.epoll.add(fd, t.to_u64()) {
            self.table.release(t);
            return Err(e);
        }
        Ok(t)
    }

    /// Deregisters `fd` (registered as `t`) before it is closed. No goroutine may wait on it.
    pub(crate) fn deregister(&self, fd: RawFd, t: Token) {
        // Fails only if the descriptor is already gone, and then so is its registration.
        let _ = self.epoll.delete(fd);
        self.table.release(t);
    }

    /// The entry of a registered descriptor.
    pub(crate) fn desc(&self, t: Token) -> &PollDesc {
        self.table
            .get(t.index)
            .expect("a registered descriptor's entry exists")
    }

    /// Goroutines waiting on a descriptor (installed and not yet running again).
    pub(crate) fn waiters(&self) -> usize {
        self.waiters.load(Ordering::SeqCst)
    }

    /// A goroutine is about to park on a slot.
    pub(crate) fn add_waiter(&self) {
        self.waiters.fetch_add(1, Ordering::SeqCst);
    }

    /// A goroutine that parked on a slot runs again.
    pub(crate) fn remove_waiter(&self) {
        self.waiters.fetch_sub(1, Ordering::SeqCst);
    }

    /// Whether an M is blocked in the poller now.
    pub(crate) fn is_blocking(&self) -> bool {
        self.blocking.load(Ordering::SeqCst)
    }

    /// Claims the role of the one M that blocks in the poller. True if it was free.
    #[must_use]
    pub(crate) fn try_block(&self) -> bool {
        !self.closed.load(Ordering::SeqCst)
            && self
                .blocking
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
    }

    /// Gives the role back.
    pub(crate) fn end_block(&self) {
        self.blocking.store(false, Ordering::SeqCst);
    }

    /// When anyone last polled, in runtime nanoseconds.
    pub(crate) fn last_poll(&self) -> u64 {
        self.last_poll.load(Ordering::Relaxed)
    }

    /// Whether the runtime that owns this poller has stopped.
    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Waits for readiness (at most `timeout`; `None`: until an edge or a break; zero: just look)
    /// and appends the goroutines it makes runnable to `out`: taken out of their slots, not yet
    /// readied (the caller claims their park tokens and queues them). `now` is the runtime's
    /// clock, for [`last_poll`](Self::last_poll).
    pub(crate) fn poll(&self, timeout: Option<Duration>, now: u64, out: &mut Vec<Arc<G>>) {
        let mut events: Vec<Event> = Vec::new();
        if let Err(e) = self.epoll.wait(&mut events, timeout) {
            // EBADF or EINVAL would be a bug in the poller itself, not something to go on from.
            panic!("gort: netpoll: epoll_wait failed: {e}");
        }
        self.last_poll.store(now, Ordering::Relaxed);
        for ev in &events {
            if ev.token == Epoll::WAKE_TOKEN {
                self.epoll.drain_wake();
                continue;
            }
            let t = Token::from_u64(ev.token);
            let Some(d) = self.table.get(t.index) else {
                continue;
            };
            if d.gen.load(Ordering::Relaxed) != t.gen {
                continue; // for a descriptor closed since; its entry serves another now
            }
            if ev.ready.read {
                out.extend(d.read.unblock(true));
            }
            if ev.ready.write {
                out.extend(d.write.unblock(true));
            }
        }
    }

    /// The runtime stops: later waits use `poll(2)`, and a blocked M returns.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.epoll.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_through_the_event_word() {
        let t = Token {
            index: 12345,
            gen: 0xdead_beef,
        };
        assert_eq!(Token::from_u64(t.to_u64()), t);
        assert_ne!(t.to_u64(), Epoll::WAKE_TOKEN);
    }

    #[test]
    fn a_freed_entry_comes_back_with_a_new_generation() {
        let table = Table::new();
        let a = table.alloc().unwrap();
        table.release(a);
        let b = table.alloc().unwrap();
        assert_eq!(a.index, b.index);
        assert_ne!(a.gen, b.gen, "a stale event for `a` must not match `b`");
    }

    #[test]
    fn entries_beyond_one_chunk_are_distinct_and_stable() {
        let table = Table::new();
        let ts: Vec<Token> = (0..CHUNK * 2 + 3).map(|_| table.alloc().unwrap()).collect();
        let first = table.get(ts[0].index).unwrap() as *const PollDesc;
        let last = table.get(ts[ts.len() - 1].index).unwrap() as *const PollDesc;
        assert_ne!(first, last);
        assert_eq!(table.get(ts[0].index).unwrap() as *const PollDesc, first);
    }
}
