//! A per-runtime pool of goroutine stacks of one size.
//!
//! Mapping a stack costs `mmap` + `madvise`, unmapping it `munmap`; and once a stack's memory has
//! been returned to the OS, the next goroutine on it page-faults its first frames back in. Worse,
//! both `munmap` and `MADV_DONTNEED` must flush the TLB of every CPU running one of our threads
//! (inter-processor interrupts), which costs microseconds in a busy multi-threaded runtime. So a
//! returned stack goes to one of two tiers:
//!
//! * **hot** (at most `hot_max`, by default as many as fit in [`HOT_BYTES`], or half as many as
//!   are in use if that is more): kept as is, memory and all. A goroutine that exits and one that
//!   starts soon after trade the stack with no system call and no page fault. This bounds the
//!   memory the pool holds on to at `HOT_BYTES` (stacks are charged at their full size even if only
//!   partly touched, so the real figure is far lower: a goroutine typically touches one or two
//!   pages of its stack), or at half what the goroutines running hold. The second bound is for
//!   programs with many goroutines that end and start in waves, a generation of ten thousand
//!   sleepers ending as the next starts: with the first alone, most of each wave went to the cold
//!   tier, each stack paying a share of a `madvise` on its way there and a page fault on its way
//!   out. What goes beyond `hot_max` is given back once it has sat unused for a while: sysmon
//!   calls [`StackPool::release_idle`] every [`IDLE_RELEASE_NS`], which sends to the cold tier the
//!   hot stacks beyond `hot_max` that no `get` reached since its last call. (Shrinking the tier as
//!   the stacks in use fell instead, one hot stack out for each stack put back, undid the gain: the
//!   count in use dips at the end of each wave, just before the next one needs the stacks.)
//! * **cold** (at most `cold_max`, by default [`COLD_MAX`]): the stack's memory is handed back with
//!   `MADV_DONTNEED` (guard markers survive it), the mapping is kept for reuse. A cold stack costs
//!   only address space and its page-table remains.
//!
//! Beyond both, the stack is unmapped. `get` takes hot stacks first (most recently used: their pages
//! are resident and likely cached), then cold ones, then maps a new one. System calls are made
//! outside the pool's lock, and the lists allocate under it only when the hot tier's bound grows
//! past what it ever held (capacity reserved up front otherwise).
//!
//! A stack that does not fit the hot tier waits in a short `pending` list (still resident, and the
//! first choice of `get` after the hot tier) until [`RELEASE_BATCH`] of them have gathered; then the
//! whole batch goes cold or is unmapped at once, with one `madvise` or `munmap` per run of stacks that
//! lie back to back in memory (`mmap::release_memory_batch`, `mmap::unmap_batch`). Goroutines exit
//! in bursts (the end of a fan-out, 100,000 sleepers finishing), and one TLB shootdown per stack made
//! such a burst spend a fifth of its time in inter-processor interrupts. The pool's own end unmaps
//! everything it holds the same way. When it runs out, it maps 16 new stacks with one `mmap` and
//! installs their guards with one call (`GoroutineStack::new_many`).
use std::io;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{round_to_pages, GoroutineStack};

/// Memory budget of the hot tier (stacks kept with their memory), counting whole stacks. At the
/// default 256 KiB stacks that is 256 stacks: with fewer (16, from a 4 MiB budget), a spawn-heavy
/// program at max_procs 2 (skynet) sent most exiting stacks to the cold tier, and the TLB-shootdown
/// interrupts of their `MADV_DONTNEED` took a third of its time.
pub(crate) const HOT_BYTES: usize = 64 << 20;
/// Most hot stacks, whatever their size, but see [`HOT_SHARE_OF_IN_USE`].
const HOT_MAX: usize = 256;
/// Beyond [`HOT_MAX`], the hot tier may hold one stack for every this many in use.
const HOT_SHARE_OF_IN_USE: usize = 2;
/// Most cold stacks (memory returned, mapping kept). A cold stack costs address space and about half
/// a KiB of page tables; unmapping one costs a TLB shootdown that cannot be batched, so keep many
/// (the burst of a fan-out such as skynet has some 13,000 goroutines live at once).
pub(crate) const COLD_MAX: usize = 16384;
/// How often sysmon gives back the hot stacks beyond [`HOT_MAX`] that sat unused
/// (`StackPool::release_idle`).
pub(crate) const IDLE_RELEASE_NS: u64 = 1_000_000_000;
/// Stacks released to the OS together (see the module comment).
pub(crate) const RELEASE_BATCH: usize = 64;
/// Stacks mapped together when the pool runs out (one `mmap` and one guard-installing call).
const NEW_BATCH: usize = 16;

/// A pool of stacks of one size (one per runtime). Thread-safe.
#[derive(Debug)]
pub(crate) struct StackPool {
    stack_size: usize,
    hot_max: usize,
    cold_max: usize,
    /// Stacks gathered in `pending` before they are released together.
    batch: usize,
    lists: Mutex<Lists>,
}

#[derive(Debug)]
struct Lists {
    /// Stacks handed out by `get` and not yet given back by `put`.
    in_use: usize,
    /// The fewest stacks the hot tier has held since the last `release_idle`: those below that
    /// mark sat unused all that time.
    hot_low: usize,
    hot: Vec<GoroutineStack>,
    /// Beyond the hot tier, waiting for a batch to be released (memory still resident).
    pending: Vec<GoroutineStack>,
    cold: Vec<GoroutineStack>,
}

impl StackPool {
    /// A pool of stacks with `stack_size` usable bytes, rounded up to whole pages, and the default
    /// cache bounds.
    pub(crate) fn new(stack_size: usize) -> StackPool {
        let stack_size = round_to_pages(stack_size);
        let hot_max = (HOT_BYTES / stack_size).min(HOT_MAX);
        let mut pool = StackPool::with_limits(stack_size, hot_max, COLD_MAX);
        pool.batch = RELEASE_BATCH;
        pool.lists
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .pending
            .reserve(RELEASE_BATCH);
        pool
    }

    /// A pool that keeps at most `hot_max` stacks with their memory and `cold_max` stacks without,
    /// releasing each stack beyond the hot tier at once (no batching).
    pub(crate) fn with_limits(stack_size: usize, hot_max: usize, cold_max: usize) -> StackPool {
        StackPool {
            stack_size: round_to_pages(stack_size),
            hot_max,
            cold_max,
            batch: 1,
            lists: Mutex::new(Lists {
                in_use: 0,
                hot_low: 0,
                hot: Vec::with_capacity(hot_max),
                pending: Vec::with_capacity(1),
                cold: Vec::with_capacity(cold_max),
            }),
        }
    }

    /// How many stacks the hot tier may hold while `in_use` are handed out: `hot_max`, or half
    /// the stacks in use if that is more (see the module comment).
    fn hot_bound(&self, in_use: usize) -> usize {
        self.hot_max.max(in_use / HOT_SHARE_OF_IN_USE)
    }

    /// Usable bytes of each stack of this pool.
    pub(crate) fn stack_size(&self) -> usize {
        self.stack_size
    }

    fn lock(&self) -> MutexGuard<'_, Lists> {
        // Nothing panics while the lock is held, but a poisoned pool is still consistent.
        self.lists.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A stack: a pooled one if there is one, else a newly mapped one. Fails with a readable error
    /// when the mapping cannot be made (out of memory, address space, or `vm.max_map_count`).
    pub(crate) fn get(&self) -> io::Result<GoroutineStack> {
        let pooled = {
            let mut l = self.lock();
            l.in_use += 1;
            match l.hot.pop() {
                Some(s) => {
                    l.hot_low = l.hot_low.min(l.hot.len());
                    Some(s)
                }
                None => l.pending.pop().or_else(|| l.cold.pop()),
            }
        };
        if let Some(s) = pooled {
            return Ok(s);
        }
        // A failed mapping hands out nothing.
        let failed = |e| {
            self.lock().in_use -= 1;
            e
        };
        if self.batch == 1 {
            return GoroutineStack::new(self.stack_size).map_err(failed);
        }
        // Out of stacks: map a batch (fresh, memory-less: the rest go to the cold tier).
        let mut fresh = GoroutineStack::new_many(self.stack_size, NEW_BATCH).map_err(failed)?;
        let s = fresh.pop().expect("a batch is not empty");
        let mut l = self.lock();
        let fit = self.cold_max.saturating_sub(l.cold.len()).min(fresh.len());
        let extra = fresh.split_off(fit);
        l.cold.append(&mut fresh);
        drop(l);
        super::mmap::unmap_batch(extra);
        Ok(s)
    }

    /// Takes back a stack nothing runs on any more: keeps it hot, or returns its memory to the OS
    /// and keeps the mapping, or unmaps it, as described in the module docs.
    pub(crate) fn put(&self, s: GoroutineStack) {
        if s.size() != self.stack_size {
            debug_assert!(
                false,
                "stack of {} bytes put into a {}-byte pool",
                s.size(),
                self.stack_size
            );
            return; // dropped: unmapped
        }
        let mut batch = {
            let mut l = self.lock();
            // Every stack put here came from `get` (or from an M's cache, which `get` filled).
            debug_assert!(
                l.in_use > 0,
                "a stack put back that the pool did not hand out"
            );
            l.in_use = l.in_use.saturating_sub(1);
            let hot_bound = self.hot_bound(l.in_use);
            if l.hot.len() < hot_bound {
                l.hot.push(s);
                return;
            }
            l.pending.push(s);
            if l.pending.len() < self.batch {
                return;
            }
            std::mem::take(&mut l.pending)
        };
        self.retire(&mut batch);
    }

    /// Gives the hot stacks beyond `hot_max` that no `get` reached since the last call back to
    /// the OS (they go cold, or are unmapped), so that the hot tier a wave of goroutines left
    /// behind does not hold its memory for good. Sysmon calls it now and then
    /// ([`IDLE_RELEASE_NS`]).
    pub(crate) fn release_idle(&self) {
        let mut idle: Vec<GoroutineStack> = {
            let mut l = self.lock();
            let n = l.hot_low.saturating_sub(self.hot_max).min(l.hot.len());
            // The bottom of the hot tier: the stacks put there longest ago.
            let idle = l.hot.drain(..n).collect();
            l.hot_low = l.hot.len();
            idle
        };
        if !idle.is_empty() {
            self.retire(&mut idle);
        }
    }

    /// Hands the memory of the stacks of `batch` (emptied) back to the OS: as many as the cold
    /// tier has room for lose their memory and go cold; the rest are unmapped. Called without the
    /// lock.
    fn retire(&self, batch: &mut Vec<GoroutineStack>) {
        let room = {
            let l = self.lock();
            self.cold_max.saturating_sub(l.cold.len())
        };
        let unmap = batch.split_off(room.min(batch.len()));
        super::mmap::release_memory_batch(batch);
        super::mmap::unmap_batch(unmap);
        let extra = {
            let mut l = self.lock();
            let fit = self.cold_max.saturating_sub(l.cold.len()).min(batch.len());
            // Another thread filled the cold tier meanwhile: those few are unmapped after all
            // (a rare allocation under the lock).
            let extra: Vec<GoroutineStack> = batch.drain(fit..).collect();
            l.cold.append(batch);
            if l.pending.is_empty() && l.pending.capacity() < batch.capacity() {
                // The drained batch's buffer becomes `pending` again, so `put` does not allocate.
                l.pending = std::mem::take(batch);
            }
            extra
        };
        super::mmap::unmap_batch(extra);
    }

    /// How many stacks are cached: (hot, cold).
    #[cfg_attr(not(test), allow(dead_code))] // inspected by the tests
    pub(crate) fn cached(&self) -> (usize, usize) {
        let l = self.lock();
        (l.hot.len(), l.cold.len())
    }
}

impl Drop for StackPool {
    fn drop(&mut self) {
        // Every stack at once, in runs of adjacent ones (see the module comment): a runtime that
        // ends with 100,000 stacks pooled unmaps them with a handful of calls.
        let l = self.lists.get_mut().unwrap_or_else(PoisonError::into_inner);
        let mut all = std::mem::take(&mut l.hot);
        all.append(&mut l.pending);
        all.append(&mut l.cold);
        super::mmap::unmap_batch(all);
    }
}

#[cfg(test)]
mod tests {
    use super::super::page_size;
    use super::super::test_util::{kernel_can_read, memory_lock, resident_pages, rss_bytes};
    use super::*;

    fn touch_all(s: &GoroutineStack) {
        // SAFETY: the usable part `[limit, base)` is writable and nothing runs on the stack.
        unsafe { std::ptr::write_bytes(s.usable_lo() as *mut u8, 0x5A, s.size()) };
    }

    #[test]
    fn size_is_rounded_to_pages() {
        let pool = StackPool::new(10_000);
        assert_eq!(pool.stack_size() % page_size(), 0);
        assert!(pool.stack_size() >= 10_000);
        assert_eq!(pool.get().unwrap().size(), pool.stack_size());
    }

    #[test]
    fn hot_reuse_keeps_memory() {
        let pool = StackPool::new(64 << 10);
        let s = pool.get().unwrap();
        touch_all(&s);
        let lo = s.usable_lo();
        let (_, cold) = pool.cached(); // the rest of the batch `get` mapped
        pool.put(s);
        assert_eq!(pool.cached(), (1, cold));
        let s = pool.get().unwrap();
        assert_eq!(s.usable_lo(), lo, "the pooled stack is reused");
        assert_eq!(
            resident_pages(lo, s.size()),
            s.size() / page_size(),
            "hot: memory kept"
        );
        assert!(!kernel_can_read(s.guard_range().0));
    }

    #[test]
    fn cold_put_returns_memory_and_keeps_guard() {
        let _mem = memory_lock();
        const SIZE: usize = 32 << 20;
        let pool = StackPool::with_limits(SIZE, 0, 4);
        let s = pool.get().unwrap();
        touch_all(&s);
        let lo = s.usable_lo();
        let rss_touched = rss_bytes();
        pool.put(s);
        let rss_put = rss_bytes();
        eprintln!("RSS: {rss_touched} after touching a {SIZE}-byte stack, {rss_put} after put");
        assert!(
            rss_touched - rss_put.min(rss_touched) >= SIZE * 3 / 4,
            "RSS dropped after put"
        );
        assert_eq!(pool.cached(), (0, 1));
        let s = pool.get().unwrap();
        assert_eq!(s.usable_lo(), lo, "the mapping is reused");
        assert_eq!(resident_pages(lo, s.size()), 0);
        // SAFETY: reading the stack's own usable memory, which nothing runs on.
        let first = unsafe { *(lo as *const u8) };
        assert_eq!(first, 0, "reused memory is fresh zero pages");
        let (glo, ghi) = s.guard_range();
        assert!(
            !kernel_can_read(glo) && !kernel_can_read(ghi - 1),
            "guard survives put"
        );
    }

    #[test]
    fn caches_are_bounded() {
        let pool = StackPool::with_limits(16 << 10, 2, 3);
        let stacks: Vec<_> = (0..10).map(|_| pool.get().unwrap()).collect();
        for s in stacks {
            pool.put(s);
        }
        // Three hot, not two: the third went back while seven were in use (the hot tier may
        // hold half the stacks in use).
        assert_eq!(pool.cached(), (3, 3));
        let again: Vec<_> = (0..7).map(|_| pool.get().unwrap()).collect();
        assert_eq!(pool.cached(), (0, 0));
        drop(again);
        let default = StackPool::new(64 << 10);
        assert_eq!(default.hot_max, (HOT_BYTES / (64 << 10)).min(HOT_MAX));
        assert_eq!(default.cold_max, COLD_MAX);
    }

    /// Beyond `hot_max`, a stack put back stays hot while the hot tier holds fewer than half as
    /// many as are in use.
    #[test]
    fn the_hot_tier_grows_to_half_the_stacks_in_use() {
        let pool = StackPool::with_limits(16 << 10, 2, 100);
        let mut out: Vec<_> = (0..20).map(|_| pool.get().unwrap()).collect();
        let mut most_hot = 0;
        while let Some(s) = out.pop() {
            let (hot, _) = pool.cached();
            pool.put(s);
            let (hot_after, _) = pool.cached();
            let in_use = out.len();
            assert_eq!(hot_after > hot, hot < 2.max(in_use / 2), "{in_use} in use");
            most_hot = most_hot.max(hot_after);
        }
        assert_eq!(most_hot, 6, "the hot tier grew past hot_max");
        assert_eq!(pool.cached(), (6, 14));
    }

    /// `release_idle` sends to the cold tier the hot stacks beyond `hot_max` that no `get` reached
    /// since its previous call, the longest-kept first; those taken meanwhile stay hot.
    #[test]
    fn hot_stacks_beyond_hot_max_that_sat_unused_go_cold() {
        let pool = StackPool::with_limits(16 << 10, 2, 100);
        let mut out: Vec<_> = (0..20).map(|_| pool.get().unwrap()).collect();
        // Six back while 14 or more stay in use: all six hot.
        for s in out.drain(..6) {
            pool.put(s);
        }
        assert_eq!(pool.cached(), (6, 0));
        // The first call starts the watch: nothing sat unused since a previous one.
        pool.release_idle();
        assert_eq!(pool.cached(), (6, 0));
        // Two taken and put back: the bottom four of the six were never reached.
        let a = pool.get().unwrap();
        let b = pool.get().unwrap();
        pool.put(b);
        pool.put(a);
        assert_eq!(pool.cached(), (6, 0));
        pool.release_idle();
        assert_eq!(
            pool.cached(),
            (4, 2),
            "the two reached stay hot, and two of the four unused (hot_max)"
        );
        // Nothing reached since: what is beyond hot_max goes.
        pool.release_idle();
        assert_eq!(pool.cached(), (2, 4));
        for s in out {
            pool.put(s);
        }
    }

    #[test]
    fn concurrent_get_put() {
        let pool = StackPool::with_limits(16 << 10, 4, 8);
        std::thread::scope(|sc| {
            for t in 0..8u8 {
                let pool = &pool;
                sc.spawn(move || {
                    for i in 0..2_000 {
                        let s = pool.get().unwrap();
                        let top = (s.top() - 1) as *mut u8;
                        // SAFETY: this thread owns the stack; the byte below base() is usable.
                        unsafe { top.write_volatile(t ^ i as u8) };
                        // SAFETY: as above.
                        assert_eq!(unsafe { top.read_volatile() }, t ^ i as u8);
                        pool.put(s);
                    }
                });
            }
        });
        let (hot, cold) = pool.cached();
        assert!(hot <= 4 && cold <= 8);
    }

    /// Prints the cost of each path (`cargo test --release -- --ignored pool_timings --nocapture`).
    #[test]
    #[ignore = "timing figures, not a check"]
    fn pool_timings() {
        use std::time::Instant;
        const N: u32 = 20_000;
        let touch = |s: &GoroutineStack| {
            // SAFETY: the byte below base() is usable and nothing runs on the stack.
            unsafe { ((s.top() - 1) as *mut u8).write_volatile(1) }
        };
        let t = Instant::now();
        let fresh: Vec<_> = (0..N)
            .map(|_| GoroutineStack::new(64 << 10).unwrap())
            .collect();
        let map = t.elapsed() / N;
        let t = Instant::now();
        drop(fresh);
        let unmap = t.elapsed() / N;
        let hot = StackPool::new(64 << 10);
        let t = Instant::now();
        for _ in 0..N {
            let s = hot.get().unwrap();
            touch(&s);
            hot.put(s);
        }
        let hot_cycle = t.elapsed() / N;
        let cold = StackPool::with_limits(64 << 10, 0, 16);
        let t = Instant::now();
        for _ in 0..N {
            let s = cold.get().unwrap();
            touch(&s);
            cold.put(s);
        }
        let cold_cycle = t.elapsed() / N;
        eprintln!(
            "64 KiB stacks: mmap+guard {map:?}, munmap {unmap:?}, \
             hot get+touch+put {hot_cycle:?}, cold get+touch+put (DONTNEED, refault) {cold_cycle:?}"
        );
    }
}
