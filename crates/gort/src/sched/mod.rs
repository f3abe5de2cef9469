//! The scheduler: goroutines (G) multiplexed on OS threads (M) under `max_procs` processors (P).
//!
//! # Design
//!
//! The vocabulary and most of the policy are Go's (`runtime/proc.go`); the repository's
//! `docs/semantics.md` states the rules, and `docs/walkthroughs.md` follows a goroutine through
//! this module from spawn to exit.
//!
//! **G** (`g.rs`) is a goroutine: a pooled, guard-paged stack with a context saved on it
//! (`crate::context`, gort's own stack switch), plus a park token. A G does not own a stack until it
//! first runs, and keeps its closure inline until then (`body.rs`), so a million
//! queued-but-not-started goroutines cost a G each (at most three cache lines, asserted at compile
//! time in `lib.rs`). An exited G
//! that nobody references goes on its M's free list and carries a later spawn (`gfree.rs`, Go's
//! gFree): no allocation, and no cache line shared between the spawning and the exiting core. The
//! registry of live Gs (`registry.rs`) is sharded by P, and an M unlists the Gs that exit on it in
//! batches.
//!
//! **P** (`p.rs`) is the right to run goroutine code. Each has a local run queue with a `runnext` slot
//! (one atomic pointer: the hand-off at the heart of a ping-pong takes no lock). An M must hold a P to
//! run a G; idle Ps sit on the idle list in [`Sched`].
//!
//! **M** (`m.rs`) is an OS thread running the scheduler loop on its own stack: find a runnable G
//! (`runnext`, local FIFO, every 61st time the global queue first, then the global queue, then steal
//! half of another P's FIFO; a running P's `runnext` and a FIFO of one or two Gs, most likely readied
//! by the G it runs, only once the P stalls: `steal_rule` in `m.rs`), switch to it, and act on what
//! it suspended with (park, yield, need a P). A G from `runnext`, or from the global queue by the
//! 61st-time rule, runs on the current time slice; any other starts a fresh one (1.5). A G that
//! parks on a channel keeps the channel's lock until it is parked (the rule is stated on
//! `park::park_goroutine_unlocking`). A G that parks while
//! its P has a next G ready switches to that G directly instead, and the next G settles the park
//! (`switch.rs`).
//! The thread that called `run` is the first M and holds the first P. Other Ms are created on demand,
//! always by the template thread (`template.rs`, semantics 2.6), and sleep on a [`wake::WakeSignal`]
//! of their own when idle.
//!
//! **Timers** (`timers.rs`) live on the P where they are armed, in a heap of its own; the M running the
//! P fires the due ones each time it looks for work (at every switch, the direct one included), onto
//! the head of the P's local queue (behind only those earlier timers woke). An idle M sleeps until the
//! earliest deadline of an idle P; sysmon fires the timers of Ps whose M is stuck.
//!
//! **Wake-ups and `runnext` chains.** Two goroutines taking turns (a ping-pong) refill their P's
//! `runnext` at every switch and share one time slice (1.5): whatever waits behind that chain waits
//! for the slice's end, 10 ms (and at max_procs 1 with many pairs, for every pair's slice). The G
//! running on a P readying the G it hands over to is what `runnext` is for; a wake-up that comes
//! from elsewhere must not wait behind it. The rule:
//! - A goroutine woken by a timer (wired or not) goes ahead of the chain: it sits at the head of
//!   the P's FIFO, in deadline order among those timers woke (`p::Fifo`), and `P::pop` takes it
//!   before `runnext`, on the current slice. Go readies it into `runnext` and the chain's G to the
//!   tail; here the chain's G keeps `runnext` and takes its turn right after, and several timers
//!   firing at once keep their deadline order. (The first of a firing runs ahead of goroutines
//!   that earlier timers woke and that still wait, unless one of them has waited 2 ms:
//!   "Under overload, the freshest wake-up first" in `timers/mod.rs`.) A wired one first goes to
//!   its M if that M holds a P for it or a P is idle (`hand_to_wired_m`); else whoever takes it
//!   off the queue hands its P to the G's M, before the chain's next turn.
//! - A goroutine woken from outside the runtime's Ms (a plain thread completing a channel
//!   operation, a timer fired by sysmon or an idle M, the network poller: `ready_batch_from_outside`,
//!   `ready_claimed_from_outside`) goes to the head of the global queue, behind those woken that
//!   way before it, and every M takes it before its own `runnext` at its next switch
//!   (`has_global_woken`); an idle P is woken for it as for any work. (The rest of the global queue
//!   is looked at every 61st schedule, 1.3: a yield, a spawn from outside, a G that overflowed.)
//! - A P put on the idle list with timers by an M that will not look for them (a wired M parking)
//!   makes sysmon sleep until their deadline rather than its tick (`Timers::p_went_idle`).
//!
//! A goroutine readied by the G running on the P (a channel operation, an unlock) goes to `runnext`
//! as before, and one displaced from there by that G's next ready goes to the FIFO's tail, as in
//! Go.
//!
//! **Spinning.** When work appears (a spawn, an unpark, a timer) and a P is idle, `wakep` wakes one M
//! to look for it, unless an M is already looking (`nmspinning`). A spinning M that finds work wakes
//! the next one, so wake-ups spread one at a time instead of stampeding. An M gives up its P only after
//! re-checking every queue with the P already published as idle, which closes the race with a
//! concurrent `ready` (that either sees the idle P and wakes someone, or its G is seen by the re-check).
//!
//! **Wiring** (`wire.rs`, semantics 2). A wired G parks with `stay`: its M gives its P away and waits on
//! its own signal. Whoever readies the G hands it an idle P directly; if none is idle, the G is queued,
//! and the M that dequeues it passes its own P to the wired M (Go's `startlockedm`) and goes idle.
//! When nothing else waits to run, the M first keeps its P and spins a few microseconds
//! (`MShared::hold`): a readier that comes meanwhile only flips a flag, so two wired goroutines taking
//! turns on two Ps trade a cache line, not two futex calls. The other way round, a G that a wired G
//! readies cannot run on the wired G's M: it goes to the global queue when an M is spinning for
//! work, and while goroutines are wired a spinning M keeps its P a few microseconds for such work
//! (`MLocal::spin_for_work`), so a wired goroutine serving an unwired one hands over no P at all.
//! When other goroutines wait on the P, a goroutine readied across the wire (the one a wired G
//! readied as it parks; at max_procs 1 every one a wired G wakes, and a wired G readied by an
//! unwired one) goes to the head of the global queue with those woken from outside: the next
//! goroutine the wired G wakes, or a timer-woken goroutine's chain, would otherwise push it out
//! of `runnext` to the tail (`MLocal::pass_on_runnext`, `Runtime::ready_woken`,
//! `Runtime::ready_wired`).
//!
//! **Syscalls and stuck goroutines** (`syscall.rs`, `sysmon.rs`, semantics 1.7 and 3). A G inside
//! `gort::syscall` marks its P `Syscall`; sysmon takes such a P after 20 µs if work is waiting and hands
//! it to another M. Sysmon does the same to a P whose G blocks in a plain call (say, a plain
//! `std::thread::sleep`; sysmon reads the thread's state from `/proc` once the G has run 20 µs with
//! work waiting) or has run 10 ms without a scheduling point: the G keeps its thread, the P and its
//! queue move on. An M learns that it lost its P at its next scheduling point: from a failed CAS on
//! the P's state word, or, when it goes straight on to another G, from a plain load of it, which
//! sysmon makes enough by marking the P `Stolen` and running a `membarrier` before it decides
//! (`fence.rs`, `sysmon::steal_running`): a switch costs no locked instruction for it.
//!
//! **Ending** (semantics 4). When the main G returns, every other G is cancelled: marked, and unparked,
//! so that it unwinds from its park point (on its own thread if wired). When the last one is gone,
//! every M leaves its loop and `run` joins the threads. The deadlock check runs whenever an M goes idle
//! (and on sysmon's ticks): no M running, no G in a syscall, no timer armed, no outside thread parked
//! on a gort primitive, yet goroutines alive — then the dump is taken and everything is cancelled.
//!
//! # Locks
//! `Runtime::sched` (idle Ps and Ms, M counts) is taken before the global queue's lock and the
//! registry lock (the deadlock check dumps under it), never after. The global queue's lock and a P's
//! queue lock are spin locks (`crate::spinlock`) around a few instructions each; the P's is a leaf.
//! No lock is needed for the lost-wake-up argument: a pusher stores a queue length, then reads
//! `npidle`; an M going idle increments `npidle`, then reads the lengths (all SeqCst; see
//! `release_p`).

pub(crate) mod body;
pub(crate) mod cpu;
pub(crate) mod current;
pub(crate) mod deadlock;
pub(crate) mod exit;
pub(crate) mod fence;
pub(crate) mod g;
pub(crate) mod gfree;
pub(crate) mod global;
pub(crate) mod handoff;
pub(crate) mod hold;
pub(crate) mod idle;
pub(crate) mod m;
pub(crate) mod netpoll;
pub(crate) mod p;
pub(crate) mod park;
pub(crate) mod park_token;
pub(crate) mod prefetch;
pub(crate) mod ready;
pub(crate) mod registry;
pub(crate) mod run;
pub(crate) mod runnext;
pub(crate) mod steal;
pub(crate) mod switch;
pub(crate) mod syscall;
pub(crate) mod sysmon;
pub(crate) mod template;
pub(crate) mod timers;
pub(crate) mod wake;
pub(crate) mod wire;

use std::collections::VecDeque;
use std::panic::Location;
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::Instant;

use crossbeam_utils::CachePadded;

use crate::spinlock::{SpinGuard, SpinLock};

use g::G;
use global::GlobalQueue;
use m::{MLocal, MShared};
use p::P;
use timers::Timers;

use crate::config::Config;
use crate::stack::StackPool;

/// Shards of the goroutine registry.
const REGISTRY_SHARDS: usize = 16;
const _: () = assert!(REGISTRY_SHARDS <= registry::MAX_SHARDS && REGISTRY_SHARDS <= 32);

/// A runtime's lifecycle (`Runtime::phase`): it only moves forward, each step by one CAS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Phase {
    /// Goroutines run; `spawn` works.
    Running = 0,
    /// Main returned (or a deadlock was found): goroutines are being cancelled.
    Draining = 1,
    /// Every goroutine is gone: Ms leave their loops.
    Stopping = 2,
}

impl Phase {
    fn from_u8(v: u8) -> Phase {
        match v {
            0 => Phase::Running,
            1 => Phase::Draining,
            _ => Phase::Stopping,
        }
    }
}

/// State under the scheduler lock.
pub(crate) struct Sched {
    pub(crate) idle_ps: Vec<usize>,
    /// Idle Ms, waiting for `startm` to hand them a P.
    pub(crate) idle_ms: Vec<Arc<MShared>>,
    /// Every M alive (for the stop broadcast).
    pub(crate) all_ms: Vec<Arc<MShared>>,
    /// Wired Ms asleep waiting for their G (they count as idle for the deadlock check, 2.10).
    /// Changed only through `count_wired_idle`, which mirrors it in `wired_idle`.
    pub(crate) nm_wired_idle: usize,
    /// `nm_wired_idle`, readable without the lock (`Runtime::wired_idle` is the same counter).
    wired_idle: Arc<AtomicUsize>,
    /// Ms alive or being created, the main thread's included.
    pub(crate) mcount: usize,
    /// Ms blocked in the network poller (0 or 1): off the idle list, so that nobody hands them a
    /// P they would not see, but idle for the deadlock check.
    pub(crate) nm_netpoll: usize,
    /// Threads started by this runtime (Ms, sysmon, template), to be joined by `run`.
    pub(crate) threads: Vec<(Option<Arc<MShared>>, JoinHandle<()>)>,
}

impl Sched {
    /// Counts one more (`up`) or one fewer wired M in `nm_wired_idle` and its lock-free mirror.
    pub(crate) fn count_wired_idle(&mut self, up: bool) {
        if up {
            self.nm_wired_idle += 1;
        } else {
            self.nm_wired_idle -= 1;
        }
        // Relaxed: readers use it as a hint (`MLocal::spin_for_work`).
        self.wired_idle.store(self.nm_wired_idle, Ordering::Relaxed);
    }
}

/// Why the runtime is ending.
#[derive(Default)]
pub(crate) struct Outcome {
    /// The deadlock report (message and dump), if that is why.
    pub(crate) deadlock: Option<String>,
}

pub(crate) struct Runtime {
    pub(crate) config: Config,
    /// One cache line (pair) each: an M writes its P's state and schedtick at every switch, and Ps
    /// side by side would make two Ms on two cores invalidate each other's line at every switch.
    pub(crate) ps: Box<[CachePadded<P>]>,
    sched: Mutex<Sched>,
    /// Taken inside `sched` where both are held, never the other way round; a P's queue lock is
    /// taken inside it.
    global: SpinLock<GlobalQueue>,
    /// Length of `global`, readable without the lock. SeqCst: a pusher's store of it and an idle
    /// M's `npidle` increment are the two sides of the lost-wake-up argument (see `release_p`).
    global_len: AtomicUsize,
    /// `GlobalQueue::woken`, readable without the lock, stored under it after every change. Every
    /// M reads it (Relaxed) at each switch: non-zero, it takes the global queue's head before its
    /// own `runnext` (a stale zero costs at most one more turn of a `runnext` chain, and the store
    /// is followed by a wake-up for idle Ps). On a line of its own: read at every switch, written
    /// only when such Gs come and go.
    global_woken: CachePadded<AtomicUsize>,
    /// Bumped under `global`'s lock whenever Gs leave the global queue to run. Sysmon reads it
    /// (Relaxed: a hint) to tell global work that moves from work that waits.
    global_taken: AtomicU64,
    /// Idle Ps. SeqCst: the lost-wake-up argument pairs it with the queue lengths (see `release_p`).
    pub(crate) npidle: AtomicUsize,
    /// Ms looking for work. SeqCst for the same reason.
    pub(crate) nmspinning: AtomicUsize,
    /// Wired Ms asleep waiting for their G: `Sched::nm_wired_idle`, readable without the lock.
    pub(crate) wired_idle: Arc<AtomicUsize>,
    /// Goroutines wired to their thread (`lock_os_thread`) right now. A hint (Relaxed).
    pub(crate) wired_gs: AtomicUsize,
    pub(crate) stacks: StackPool,
    pub(crate) timers: Arc<Timers>,
    /// The network poller, made when a goroutine first waits on a descriptor (`None` inside if
    /// the epoll instance could not be made: descriptors then wait in `poll(2)`).
    netpoll: OnceLock<Option<Arc<netpoll::Poller>>>,
    /// Live goroutines, sharded by id so that Ms spawning and exiting goroutines at once rarely
    /// contend for the same lock. Spin locks: held for an insert, a removal or a batch of exited
    /// Gs, and a thread that slept on a mutex here would look to sysmon's probe like one blocked
    /// in a plain call and lose its P (at max_procs 2 a spawning goroutine and the M running its
    /// children did, dozens of times a second). Only `dump` holds one for long (a copy of the
    /// shard's list), and it is rare.
    registry: Box<[SpinLock<registry::Registry>]>,
    /// The next goroutine id not handed out yet. Ms take ids from it in batches (`MLocal::next_goroutine_id`,
    /// as Go's per-P goid cache), so ids are unique but not in spawn order across Ms. On a line of its
    /// own, away from what every M reads.
    next_gid: CachePadded<AtomicU64>,
    /// Free Gs that Ms pass between them (see `gfree.rs`).
    pub(crate) free_gs: gfree::GlobalFree,
    next_mid: AtomicU64,
    /// Goroutines created, and goroutines gone: `live()` is the difference between `spawned` and
    /// the exits, counted by each M on its own line (`MShared::exits`), plus `exited`, which holds
    /// the exits of Ms that have ended and of goroutines discarded unrun. Apart, so that a spawning
    /// M and an M whose goroutines exit do not bounce one line between them.
    spawned: CachePadded<AtomicUsize>,
    exited: CachePadded<AtomicUsize>,
    /// Goroutines inside `gort::syscall`.
    pub(crate) in_syscall: AtomicUsize,
    /// A [`Phase`]; SeqCst: read by every M loop and by `spawn`.
    pub(crate) phase: AtomicU8,
    pub(crate) outcome: Mutex<Outcome>,
    pub(crate) start: Instant,
    /// Written by sysmon each tick (Relaxed: a clock reading, it orders nothing).
    pub(crate) coarse_now: AtomicU64,
    /// Sends thread-creation requests to the template thread (None once stopped).
    pub(crate) template: Mutex<Option<std::sync::mpsc::Sender<template::NewM>>>,
    /// The main thread's M, woken when the runtime stops.
    pub(crate) main_m: Mutex<Option<Arc<MShared>>>,
    /// Sysmon's hand-offs of Ps from threads blocked in plain calls, counted for tests.
    pub(crate) sysmon_stats: sysmon::Stats,
}

impl Runtime {
    pub(crate) fn new(config: Config) -> Runtime {
        let procs = config.max_procs;
        let wired_idle = Arc::new(AtomicUsize::new(0));
        Runtime {
            ps: (0..procs).map(|_| CachePadded::new(P::new())).collect(),
            sched: Mutex::new(Sched {
                idle_ps: (0..procs).rev().collect(),
                idle_ms: Vec::new(),
                all_ms: Vec::new(),
                nm_wired_idle: 0,
                wired_idle: wired_idle.clone(),
                mcount: 0,
                nm_netpoll: 0,
                threads: Vec::new(),
            }),
            global: SpinLock::new(GlobalQueue {
                gs: VecDeque::new(),
                woken: 0,
                closed: false,
            }),
            global_len: AtomicUsize::new(0),
            global_woken: CachePadded::new(AtomicUsize::new(0)),
            global_taken: AtomicU64::new(0),
            npidle: AtomicUsize::new(procs),
            nmspinning: AtomicUsize::new(0),
            wired_idle,
            wired_gs: AtomicUsize::new(0),
            stacks: StackPool::new(config.stack_size),
            timers: Timers::new(procs),
            netpoll: OnceLock::new(),
            registry: (0..REGISTRY_SHARDS)
                .map(|_| SpinLock::new(registry::Registry::default()))
                .collect(),
            next_gid: CachePadded::new(AtomicU64::new(1)),
            free_gs: gfree::GlobalFree::new(),
            next_mid: AtomicU64::new(1),
            spawned: CachePadded::new(AtomicUsize::new(0)),
            exited: CachePadded::new(AtomicUsize::new(0)),
            in_syscall: AtomicUsize::new(0),
            phase: AtomicU8::new(Phase::Running as u8),
            outcome: Mutex::new(Outcome::default()),
            start: Instant::now(),
            coarse_now: AtomicU64::new(0),
            template: Mutex::new(None),
            main_m: Mutex::new(None),
            sysmon_stats: sysmon::Stats::default(),
            config,
        }
    }

    pub(crate) fn sched(&self) -> MutexGuard<'_, Sched> {
        self.sched.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn registry_shard(&self, shard: usize) -> SpinGuard<'_, registry::Registry> {
        self.registry[shard].lock()
    }

    /// Lists `g` in shard `shard` (any number; taken modulo the shard count).
    fn register(&self, g: &Arc<G>, shard: usize) {
        let shard = shard % REGISTRY_SHARDS;
        g.registry_slot
            .store(registry::pack_shard(shard), Ordering::Relaxed);
        self.registry_shard(shard)
            .insert(g.clone(), &g.registry_slot);
    }

    /// Unlists `g`.
    pub(crate) fn unregister(&self, g: &G) {
        let shard = registry::slot_shard(g.registry_slot.load(Ordering::Relaxed));
        self.registry_shard(shard).remove(g);
    }

    /// Deals with Gs whose goroutines exited (all of `gs`, which it empties), taking each registry
    /// shard's lock once: a G that nobody else references stays listed (as `Dead`) and goes to
    /// `free` as a [`gfree::FreeG`] for a later spawn; any other is unlisted, and goes when its last
    /// owner (a `JoinHandle`, a timer entry) does. Once the runtime stops, nothing is kept.
    pub(crate) fn release_exited(&self, gs: &mut Vec<Arc<G>>, free: &mut Vec<gfree::FreeG>) {
        let keep = self.phase() != Phase::Stopping;
        let shard_of = |g: &Arc<G>| registry::slot_shard(g.registry_slot.load(Ordering::Relaxed));
        let mut rest = Vec::new();
        while let Some(first) = gs.first() {
            let shard = shard_of(first);
            let mut reg = self.registry_shard(shard);
            let mut k = 0;
            while k < gs.len() {
                if shard_of(&gs[k]) != shard {
                    k += 1;
                    continue;
                }
                let g = gs.swap_remove(k);
                let g = if keep {
                    // SAFETY: we hold the lock of the shard that lists `g`, whose goroutine exited.
                    match unsafe { gfree::FreeG::new(g) } {
                        Ok(f) => {
                            free.push(f);
                            continue;
                        }
                        Err(g) => g,
                    }
                } else {
                    g
                };
                reg.remove(&g);
                rest.push(g);
            }
        }
        // The last references of the unlisted ones may go here: outside every lock.
        drop(rest);
    }

    /// Every live goroutine.
    fn all_gs(&self) -> Vec<Arc<G>> {
        let mut all = Vec::new();
        for shard in self.registry.iter() {
            all.extend(shard.lock().all());
        }
        all
    }

    /// Goroutines alive. Takes the scheduler lock (the list of Ms).
    pub(crate) fn live(&self) -> usize {
        self.live_locked(&self.sched())
    }

    /// `live` under the scheduler lock `s`. The exits are read first: a goroutine spawned and gone
    /// between the reads then counts as alive, never the other way round, so the count errs high,
    /// which is the safe side for the stop and deadlock checks (and it never underflows: an exit
    /// seen was spawned before, and its count published with Release).
    pub(crate) fn live_locked(&self, s: &Sched) -> usize {
        let exited = self.exited.load(Ordering::SeqCst)
            + s.all_ms
                .iter()
                .map(|m| m.exits.load(Ordering::Acquire))
                .sum::<usize>();
        let spawned = self.spawned.load(Ordering::SeqCst);
        spawned - exited
    }

    /// Waits until M `id`'s `runnext` window is closed (see `runnext.rs`), for a thief or sysmon
    /// past its barrier. An M no longer listed has ended, and holds no window open.
    pub(crate) fn wait_out_window(&self, id: u64) {
        let m = self.sched().all_ms.iter().find(|m| m.id == id).cloned();
        if let Some(m) = m {
            m.window.wait_closed();
        }
    }

    /// Takes the ended M `id` off the list of Ms, its exits into `exited` first (both under the
    /// scheduler lock `s`, so that `live` never misses them).
    pub(crate) fn forget_m(&self, s: &mut Sched, id: u64) {
        if let Some(m) = s.all_ms.iter().find(|m| m.id == id) {
            self.exited
                .fetch_add(m.exits.load(Ordering::Acquire), Ordering::SeqCst);
        }
        s.all_ms.retain(|m| m.id != id);
    }

    pub(crate) fn nanos_since_start(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }

    /// `nanos_since_start` as of sysmon's last tick (at most 5 ms old): cheap enough for every park,
    /// where it only dates waits for the dump's "N minutes".
    pub(crate) fn coarse_nanos(&self) -> u64 {
        self.coarse_now.load(Ordering::Relaxed)
    }

    pub(crate) fn phase(&self) -> Phase {
        Phase::from_u8(self.phase.load(Ordering::SeqCst))
    }

    /// The network poller, made on first use. `None` if it could not be made, or the runtime has
    /// stopped.
    pub(crate) fn poller(&self) -> Option<&Arc<netpoll::Poller>> {
        if self.phase() == Phase::Stopping {
            return None;
        }
        self.netpoll
            .get_or_init(|| netpoll::Poller::new().ok().map(Arc::new))
            .as_ref()
            .filter(|p| !p.is_closed())
    }

    /// The network poller, if goroutines wait on it. One load when no poller was ever made.
    #[inline]
    pub(crate) fn netpoll_waiting(&self) -> Option<&netpoll::Poller> {
        let p = self.netpoll.get()?.as_deref()?;
        (p.waiters() > 0).then_some(p)
    }

    pub(crate) fn next_mid(&self) -> u64 {
        self.next_mid.fetch_add(1, Ordering::Relaxed)
    }

    // ---- goroutine creation -------------------------------------------------------------------

    /// Creates a G and makes it runnable. From an M of this runtime holding a P it goes to that P's
    /// `runnext` (semantics 1.1); from anywhere else to the global queue. `m` is the calling thread's
    /// M, if it is one. Returns a reference to the G if `handle` (for a `JoinHandle`); without one,
    /// the new G's only reference goes to the run queue (`gort::go`).
    pub(crate) fn spawn_g(
        self: &Arc<Self>,
        m: Option<&MLocal>,
        start: body::Body,
        parent: u64,
        at: &'static Location<'static>,
        handle: bool,
    ) -> Option<Arc<G>> {
        let g = self.new_g_from(m, start, parent, at);
        let h = handle.then(|| g.clone());
        self.ready_from(m, g, true);
        h
    }

    /// Creates and registers a G, not yet queued.
    pub(crate) fn new_g(
        self: &Arc<Self>,
        start: body::Body,
        parent: u64,
        at: &'static Location<'static>,
    ) -> Arc<G> {
        // SAFETY: `current_ptr` is null or this thread's `MLocal`, which lives on the M's stack for
        // the whole scheduler loop, so for this call.
        let m = unsafe { current::current_ptr().as_ref() };
        self.new_g_from(m, start, parent, at)
    }

    /// [`new_g`](Self::new_g) when the caller already has the current thread's M (`None`: not an M).
    fn new_g_from(
        self: &Arc<Self>,
        m: Option<&MLocal>,
        start: body::Body,
        parent: u64,
        at: &'static Location<'static>,
    ) -> Arc<G> {
        // On one of our Ms: an id from its cache, a free G of its own, and the registry shard of
        // its P. Elsewhere (a plain thread with a `Handle`): a fresh id and G.
        let (id, free, shard) = match m.filter(|m| Arc::ptr_eq(m.rt(), self)) {
            Some(m) => {
                let id = m.next_goroutine_id(&self.next_gid);
                (
                    id,
                    m.free_gs.get(&self.free_gs),
                    m.p().unwrap_or(id as usize),
                )
            }
            None => {
                let id = self.next_gid.fetch_add(1, Ordering::Relaxed);
                (id, None, id as usize)
            }
        };
        let g = match free {
            // Still listed in the registry, where it waited as `Dead`.
            Some(free) => free.reuse(id, start, parent, at),
            None => {
                let g = Arc::new(G::new(id, self.clone(), start, parent, at));
                self.register(&g, shard);
                g
            }
        };
        self.spawned.fetch_add(1, Ordering::SeqCst);
        if self.phase() != Phase::Running {
            // Spawned while the runtime ends: it is cancelled before it starts (its body is dropped
            // and its JoinHandle reports the cancellation).
            g.cancel();
        }
        g
    }
}

/// A fatal runtime error (Go's `throw`): the message, `fatal error: WHAT`, the goroutine dump, exit 2.
pub(crate) fn fatal(rt: &Runtime, msg: &str, what: &str) -> ! {
    use std::io::Write;
    let dump = rt.dump();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{msg}\nfatal error: {what}\n\n{dump}");
    let _ = err.flush();
    std::process::exit(2)
}
