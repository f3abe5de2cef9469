//! One goroutine stack: an anonymous mapping with a guard page at its low end.
//!
//! Layout, low addresses first:
//!
//! ```text
//! lo              lo + guard                        lo + guard + size
//! | guard (1 page) | usable stack (size bytes) ...  |  <- base(): the stack grows down from here
//! ```
//!
//! The whole region is mapped read/write in one `mmap` call, then the guard page is turned into a
//! guard with `madvise(MADV_GUARD_INSTALL)`. That leaves the VMA untouched (the markers live in the
//! page tables), so the stack stays a single VMA and merges with its neighbours: this is what lets
//! a process hold a million stacks under `vm.max_map_count`. Guard markers survive
//! `MADV_DONTNEED` (only `MADV_GUARD_REMOVE` and `munmap` remove them), so the pool may hand the
//! memory back to the OS and reuse the mapping with its guard intact. Kernels older than 6.13
//! answer `EINVAL`; from then on every stack gets an `mprotect(PROT_NONE)` guard instead, which
//! costs a second VMA per stack.
use std::io;
use std::sync::atomic::{AtomicU8, Ordering};

use super::page_size;

/// `madvise` advice that installs guard markers (Linux 6.13+, `include/uapi/asm-generic/mman-common.h`).
const MADV_GUARD_INSTALL: libc::c_int = 102;

/// How guard pages are made in this process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))] // inspected by the tests
pub(crate) enum GuardKind {
    /// `madvise(MADV_GUARD_INSTALL)`: one VMA per stack, mergeable with its neighbours.
    Madvise,
    /// `mprotect(PROT_NONE)` fallback for kernels without guard markers: two VMAs per stack.
    Mprotect,
}

const GUARD_UNKNOWN: u8 = 0;
const GUARD_MADVISE: u8 = 1;
const GUARD_MPROTECT: u8 = 2;

/// Which guard mechanism works here; learned from the first stack and kept for the process.
static GUARD_MODE: AtomicU8 = AtomicU8::new(GUARD_UNKNOWN);

/// The guard mechanism this process uses, once a stack has been made (`None` before).
#[cfg_attr(not(test), allow(dead_code))] // inspected by the tests
pub(crate) fn guard_kind() -> Option<GuardKind> {
    match GUARD_MODE.load(Ordering::Relaxed) {
        GUARD_MADVISE => Some(GuardKind::Madvise),
        GUARD_MPROTECT => Some(GuardKind::Mprotect),
        _ => None,
    }
}

/// Makes every later stack use the `mprotect` fallback, as on a kernel without guard markers.
#[cfg(test)]
pub(crate) fn force_mprotect_guards() {
    GUARD_MODE.store(GUARD_MPROTECT, Ordering::Relaxed);
}

/// One goroutine stack: an mmap'd region with a guard page at its low end.
///
/// Owns its mapping and unmaps it on drop. It is a plain pair of addresses, so it may move between
/// threads (`Send`); what runs on it is the scheduler's business.
#[derive(Debug)]
pub(crate) struct GoroutineStack {
    /// Lowest address of the mapping (start of the guard).
    lo: usize,
    /// Bytes of guard at `lo`.
    guard: usize,
    /// Usable bytes above the guard.
    size: usize,
}

impl GoroutineStack {
    /// Maps a new stack with `size` usable bytes (a multiple of the page size) plus one guard page.
    pub(crate) fn new(size: usize) -> io::Result<GoroutineStack> {
        let mut one = GoroutineStack::new_many(size, 1)?;
        Ok(one.pop().expect("one stack was mapped"))
    }

    /// Maps `n` stacks of `size` usable bytes each with one `mmap`, back to back, and installs their
    /// guards with one `process_madvise` where the kernel allows (else one call each). The pool asks
    /// for stacks this way when it runs out: a burst of new goroutines then costs a few system calls
    /// per batch rather than two per goroutine.
    pub(crate) fn new_many(size: usize, n: usize) -> io::Result<Vec<GoroutineStack>> {
        let page = page_size();
        debug_assert!(
            size > 0 && size % page == 0 && n > 0,
            "stack size must be whole pages"
        );
        let guard = page;
        let each = size
            .checked_add(guard)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "stack size overflows"))?;
        let len = each
            .checked_mul(n)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "stack size overflows"))?;
        // SAFETY: as in `new`: a fresh anonymous private mapping aliases nothing.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_STACK,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(map_error(len, io::Error::last_os_error(), "mmap"));
        }
        // Each stack owns its slice of the mapping from here on: dropping them unmaps it all.
        let stacks: Vec<GoroutineStack> = (0..n)
            .map(|i| GoroutineStack {
                lo: p as usize + i * each,
                guard,
                size,
            })
            .collect();
        if GUARD_MODE.load(Ordering::Relaxed) == GUARD_MADVISE {
            let guards: Vec<(usize, usize)> = stacks.iter().map(|s| (s.lo, s.guard)).collect();
            if advise_all(&guards, MADV_GUARD_INSTALL) {
                return Ok(stacks);
            }
        }
        for s in &stacks {
            s.install_guard()?;
        }
        Ok(stacks)
    }

    /// Turns `[lo, lo + guard)` into a guard, with guard markers where the kernel has them.
    fn install_guard(&self) -> io::Result<()> {
        let lo = self.lo as *mut libc::c_void;
        if GUARD_MODE.load(Ordering::Relaxed) != GUARD_MPROTECT {
            let mut tries = 0;
            loop {
                // SAFETY: `[lo, lo + guard)` lies inside the mapping this stack owns, and nothing
                // refers to that memory yet; installing guard markers only makes it inaccessible.
                let r = unsafe { libc::madvise(lo, self.guard, MADV_GUARD_INSTALL) };
                if r == 0 {
                    GUARD_MODE.store(GUARD_MADVISE, Ordering::Relaxed);
                    return Ok(());
                }
                let err = io::Error::last_os_error();
                match err.raw_os_error() {
                    Some(libc::EINTR) | Some(libc::EAGAIN) if tries < 100 => tries += 1,
                    // Unknown advice (kernel < 6.13) or a mapping the kernel refuses to guard
                    // (e.g. mlockall(MCL_FUTURE)): use the classic guard.
                    Some(libc::EINVAL) => break,
                    _ => {
                        return Err(map_error(
                            self.mapping_len(),
                            err,
                            "madvise(MADV_GUARD_INSTALL)",
                        ))
                    }
                }
            }
        }
        // SAFETY: as above, the guard range belongs to this stack's own, still unused, mapping.
        let r = unsafe { libc::mprotect(lo, self.guard, libc::PROT_NONE) };
        if r != 0 {
            // ENOMEM here usually means the split pushed the process past vm.max_map_count.
            return Err(map_error(
                self.mapping_len(),
                io::Error::last_os_error(),
                "mprotect",
            ));
        }
        GUARD_MODE.store(GUARD_MPROTECT, Ordering::Relaxed);
        Ok(())
    }

    /// `[lo, hi)` of the guard page(s).
    pub(crate) fn guard_range(&self) -> (usize, usize) {
        (self.lo, self.lo + self.guard)
    }

    /// Usable bytes.
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// Bytes mapped in all, guard included.
    fn mapping_len(&self) -> usize {
        self.guard + self.size
    }

    /// Lowest usable address (just above the guard).
    pub(crate) fn usable_lo(&self) -> usize {
        self.lo + self.guard
    }

    /// High end of the stack, where it starts growing down (page-aligned, so 16-aligned as every
    /// ABI wants a stack pointer).
    pub(crate) fn top(&self) -> usize {
        self.lo + self.guard + self.size
    }

    /// Gives the memory of the usable part back to the OS; the mapping and its guard stay. The next
    /// touch of each page gets a fresh zero page.
    ///
    /// Must only be called while nothing runs on the stack (the pool calls it on stacks it owns).
    pub(crate) fn release_memory(&self) {
        // SAFETY: the range is this stack's own usable part, and the caller owns the stack by value
        // or by exclusive borrow with no goroutine running on it, so no live Rust object is in that
        // memory: discarding its contents cannot invalidate a reference. MADV_DONTNEED keeps
        // guard markers (mprotect guards are outside the range anyway).
        let r = unsafe {
            libc::madvise(
                self.usable_lo() as *mut libc::c_void,
                self.size,
                libc::MADV_DONTNEED,
            )
        };
        // It can only fail for a bad range, which would be a bug here; the memory is then merely
        // kept, so do not take the process down for it in release builds.
        debug_assert_eq!(
            r,
            0,
            "madvise(MADV_DONTNEED): {}",
            io::Error::last_os_error()
        );
    }
}

/// Runs of stacks that lie back to back in memory, as `(first index, count)` into `stacks`, which this
/// sorts by address. Stacks mapped one after another usually are adjacent (the kernel places new
/// mappings next to the previous ones), so a batch of them makes few runs.
fn adjacent_runs(stacks: &mut [GoroutineStack]) -> Vec<(usize, usize)> {
    stacks.sort_unstable_by_key(|s| s.lo);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, s) in stacks.iter().enumerate() {
        match runs.last_mut() {
            Some((first, n))
                if stacks[*first + *n - 1].lo + stacks[*first + *n - 1].mapping_len() == s.lo =>
            {
                *n += 1
            }
            _ => runs.push((i, 1)),
        }
    }
    runs
}

/// [`GoroutineStack::release_memory`] for many stacks, with one `madvise` per run of adjacent stacks
/// instead of one per stack. Each call flushes the TLB of every CPU running one of our threads (an
/// inter-processor interrupt): batching is what keeps a burst of exiting goroutines from spending
/// its time in those.
///
/// Only with guard markers (`MADV_GUARD_INSTALL`), which survive `MADV_DONTNEED` and sit inside one
/// mapping with the stacks: with `mprotect` guards, each stack is released on its own.
pub(crate) fn release_memory_batch(stacks: &mut [GoroutineStack]) {
    // One call for the whole batch where the kernel can (`process_madvise` on ourselves, Linux 5.10+
    // for the call, recent kernels for MADV_DONTNEED and for flushing the TLB once per call): the
    // stacks of a batch are rarely adjacent, goroutines exit in no particular order. One call
    // costs one TLB shootdown for the batch instead of one per stack, an order of magnitude less
    // per stack (commit d53a536).
    let ranges: Vec<(usize, usize)> = stacks.iter().map(|s| (s.usable_lo(), s.size)).collect();
    if advise_all(&ranges, libc::MADV_DONTNEED) {
        return;
    }
    if GUARD_MODE.load(Ordering::Relaxed) != GUARD_MADVISE {
        stacks.iter().for_each(GoroutineStack::release_memory);
        return;
    }
    for (first, n) in adjacent_runs(stacks) {
        let lo = stacks[first].usable_lo();
        let hi = stacks[first + n - 1].top();
        // SAFETY: `[lo, hi)` is covered by the stacks of the run, which we own by exclusive borrow
        // with nothing running on them (as for `release_memory`); the guard pages in between keep
        // their markers across MADV_DONTNEED.
        let r = unsafe { libc::madvise(lo as *mut libc::c_void, hi - lo, libc::MADV_DONTNEED) };
        debug_assert_eq!(
            r,
            0,
            "madvise(MADV_DONTNEED): {}",
            io::Error::last_os_error()
        );
    }
}

/// This process's pidfd, for `process_madvise` (opened on first use; opened again in a forked child,
/// whose pid differs). `None` if the kernel has no `pidfd_open`.
fn self_pidfd() -> Option<libc::c_int> {
    static PIDFD: std::sync::Mutex<Option<(libc::pid_t, libc::c_int)>> =
        std::sync::Mutex::new(None);
    let mut slot = PIDFD.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() };
    if let Some((p, fd)) = *slot {
        if p == pid {
            return Some(fd);
        }
    }
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1; no memory is passed.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return None;
    }
    let fd = fd as libc::c_int;
    // In a forked child the parent's pidfd (inherited) stays open: a few bytes, once per fork.
    *slot = Some((pid, fd));
    Some(fd)
}

/// `advice` on every `(address, length)` range with one `process_madvise` call (per 1024 ranges).
/// False if the kernel could not do it all (no such call, or not for this advice): the caller then
/// falls back to `madvise`, which is harmless for ranges already done (both advices used here are
/// idempotent).
fn advise_all(ranges: &[(usize, usize)], advice: libc::c_int) -> bool {
    if ranges.is_empty() {
        return true;
    }
    let Some(pidfd) = self_pidfd() else {
        return false;
    };
    // Advices the kernel refused once (bit 0: DONTNEED, bit 1: guard install).
    static UNSUPPORTED: AtomicU8 = AtomicU8::new(0);
    let bit = if advice == libc::MADV_DONTNEED { 1 } else { 2 };
    if UNSUPPORTED.load(Ordering::Relaxed) & bit != 0 {
        return false;
    }
    let iov: Vec<libc::iovec> = ranges
        .iter()
        .map(|&(lo, len)| libc::iovec {
            iov_base: lo as *mut libc::c_void,
            iov_len: len,
        })
        .collect();
    let total: usize = ranges.iter().map(|r| r.1).sum();
    let mut done = 0usize;
    for chunk in iov.chunks(1024) {
        // SAFETY: every range lies in a stack the caller owns with nothing running on it (the usable
        // part, to release its memory as `release_memory` does, or the guard page of a new stack);
        // `chunk` is a valid iovec array of `chunk.len()` (≤ IOV_MAX) entries that outlives the call.
        let r = unsafe {
            libc::syscall(
                libc::SYS_process_madvise,
                pidfd,
                chunk.as_ptr(),
                chunk.len(),
                advice,
                0,
            )
        };
        if r < 0 {
            if matches!(
                io::Error::last_os_error().raw_os_error(),
                Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EPERM)
            ) {
                UNSUPPORTED.fetch_or(bit, Ordering::Relaxed);
            }
            return false;
        }
        done += r as usize;
    }
    done == total
}

/// Unmaps every stack of `stacks`, with one `munmap` per run of adjacent stacks (see
/// [`release_memory_batch`] for why).
pub(crate) fn unmap_batch(mut stacks: Vec<GoroutineStack>) {
    for (first, n) in adjacent_runs(&mut stacks) {
        let lo = stacks[first].lo;
        let hi = stacks[first + n - 1].lo + stacks[first + n - 1].mapping_len();
        // SAFETY: `[lo, hi)` is exactly the mappings of the run's stacks, which we own by value with
        // nothing running on them; they are forgotten below, so nothing unmaps them twice.
        let r = unsafe { libc::munmap(lo as *mut libc::c_void, hi - lo) };
        let _ = r; // as in `Drop`: a failure leaves the region mapped, a leak, not a fault
    }
    for s in stacks {
        std::mem::forget(s);
    }
}

impl Drop for GoroutineStack {
    fn drop(&mut self) {
        // SAFETY: the stack owns `[lo, lo + len)`, obtained from mmap, and is being dropped, so no
        // goroutine runs on it any more (a G owns its stack until the goroutine has exited).
        let r = unsafe { libc::munmap(self.lo as *mut libc::c_void, self.mapping_len()) };
        // munmap fails only for a bad range, or with ENOMEM when punching a hole into a merged VMA
        // would exceed vm.max_map_count; the region then just stays mapped (a leak, not a fault).
        let _ = r;
    }
}

/// Builds a readable error for a failed stack mapping.
fn map_error(len: usize, err: io::Error, what: &str) -> io::Error {
    if err.raw_os_error() != Some(libc::ENOMEM) {
        return io::Error::new(
            err.kind(),
            format!("gort: cannot map a {len}-byte goroutine stack: {what}: {err}"),
        );
    }
    let max = std::fs::read_to_string("/proc/sys/vm/max_map_count")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok());
    let now = std::fs::read_to_string("/proc/self/maps")
        .ok()
        .map(|s| s.lines().count());
    let limit = match (now, max) {
        (Some(n), Some(m)) => format!("{n} of vm.max_map_count={m} mappings in use"),
        (None, Some(m)) => format!("vm.max_map_count={m}"),
        _ => "vm.max_map_count unknown".to_string(),
    };
    io::Error::new(
        io::ErrorKind::OutOfMemory,
        format!(
            "gort: cannot map a {len}-byte goroutine stack: {what}: {err} \
             (out of memory or address space, or at the mapping limit: {limit})"
        ),
    )
}

const _: () = {
    // The scheduler moves stacks between Ms.
    const fn assert_send<T: Send>() {}
    assert_send::<GoroutineStack>();
};

#[cfg(test)]
mod tests {
    use super::super::test_util::{kernel_can_read, map_count, memory_lock, resident_pages};
    use super::*;

    #[test]
    fn layout_and_whole_range_writable() {
        let page = page_size();
        let s = GoroutineStack::new(64 << 10).unwrap();
        assert_eq!(s.size(), 64 << 10);
        let (glo, ghi) = s.guard_range();
        assert_eq!(ghi - glo, page);
        assert_eq!(glo % page, 0);
        assert_eq!(
            s.usable_lo(),
            ghi,
            "usable part starts right above the guard"
        );
        assert_eq!(s.top() - s.usable_lo(), s.size());
        assert_eq!(s.top() % 16, 0);
        let lo = s.usable_lo() as *mut u8;
        // SAFETY: `[limit, base)` is the stack's usable, writable memory and nothing runs on it.
        let usable = unsafe { std::slice::from_raw_parts_mut(lo, s.size()) };
        for (i, b) in usable.iter_mut().enumerate() {
            *b = i as u8;
        }
        assert!(usable.iter().enumerate().all(|(i, &b)| b == i as u8));
        assert!(kernel_can_read(ghi), "lowest usable byte is readable");
        assert!(
            kernel_can_read(s.top() - 1),
            "highest usable byte is readable"
        );
        assert!(!kernel_can_read(glo), "guard is not");
        assert!(!kernel_can_read(ghi - 1), "guard is not");
        assert!(guard_kind().is_some());
        eprintln!("guard kind: {:?}", guard_kind());
    }

    #[test]
    fn release_memory_keeps_guard_and_zeroes() {
        let s = GoroutineStack::new(256 << 10).unwrap();
        let lo = s.usable_lo();
        // SAFETY: the usable part is writable and unused.
        unsafe { std::ptr::write_bytes(lo as *mut u8, 0xAB, s.size()) };
        assert_eq!(resident_pages(lo, s.size()), s.size() / page_size());
        s.release_memory();
        assert_eq!(
            resident_pages(lo, s.size()),
            0,
            "memory went back to the OS"
        );
        // SAFETY: still mapped and writable; DONTNEED'd anonymous pages read back as zero.
        let usable = unsafe { std::slice::from_raw_parts(lo as *const u8, s.size()) };
        assert!(usable.iter().all(|&b| b == 0));
        let (glo, ghi) = s.guard_range();
        assert!(
            !kernel_can_read(glo) && !kernel_can_read(ghi - 1),
            "guard survives MADV_DONTNEED"
        );
    }

    #[test]
    fn stacks_mapped_together_each_have_a_guard_and_their_own_memory() {
        let size = 64 << 10;
        let stacks = GoroutineStack::new_many(size, 8).unwrap();
        assert_eq!(stacks.len(), 8);
        for (i, s) in stacks.iter().enumerate() {
            assert_eq!(s.size(), size);
            let (glo, ghi) = s.guard_range();
            assert!(
                !kernel_can_read(glo) && !kernel_can_read(ghi - 1),
                "stack {i}: guard"
            );
            // SAFETY: the usable part is writable and unused.
            unsafe { std::ptr::write_bytes(s.usable_lo() as *mut u8, i as u8 + 1, s.size()) };
        }
        for (i, s) in stacks.iter().enumerate() {
            // SAFETY: reading the stack's own usable memory.
            let usable =
                unsafe { std::slice::from_raw_parts(s.usable_lo() as *const u8, s.size()) };
            assert!(
                usable.iter().all(|&b| b == i as u8 + 1),
                "stack {i} was written by another"
            );
        }
    }

    #[test]
    fn batch_release_returns_every_stacks_memory_and_keeps_every_guard() {
        const N: usize = 40;
        let size = 64 << 10;
        let mut all: Vec<GoroutineStack> =
            (0..N).map(|_| GoroutineStack::new(size).unwrap()).collect();
        for s in &all {
            // SAFETY: the usable part is writable and unused.
            unsafe { std::ptr::write_bytes(s.usable_lo() as *mut u8, 0xCD, s.size()) };
        }
        // Every other one: the batch is not one run of adjacent stacks.
        let mut batch: Vec<GoroutineStack> = (0..N / 2).map(|i| all.remove(i)).collect();
        release_memory_batch(&mut batch);
        for s in &batch {
            assert_eq!(
                resident_pages(s.usable_lo(), s.size()),
                0,
                "memory went back"
            );
            let (glo, ghi) = s.guard_range();
            assert!(
                !kernel_can_read(glo) && !kernel_can_read(ghi - 1),
                "guard kept"
            );
        }
        for s in &all {
            assert_eq!(
                resident_pages(s.usable_lo(), s.size()),
                s.size() / page_size(),
                "stacks outside the batch keep their memory"
            );
        }
        // (Whether the ranges are gone cannot be checked reliably here: tests running alongside may
        // map the same addresses at once.)
        batch.append(&mut all);
        unmap_batch(batch);
    }

    #[test]
    fn hundred_thousand_stacks_do_not_split_mappings() {
        let _mem = memory_lock();
        const N: usize = 100_000;
        let before = map_count();
        let mut stacks = Vec::with_capacity(N);
        for i in 0..N {
            let s = GoroutineStack::new(64 << 10).unwrap_or_else(|e| panic!("stack {i}: {e}"));
            // Touch the top of each, as a goroutine's first frame would.
            // SAFETY: the byte below base() is in the usable, writable part.
            unsafe { ((s.top() - 1) as *mut u8).write_volatile(1) };
            stacks.push(s);
        }
        let after = map_count();
        eprintln!(
            "{N} stacks: {before} -> {after} mappings ({:?} guards)",
            guard_kind()
        );
        if guard_kind() == Some(GuardKind::Madvise) {
            assert!(
                after - before.min(after) < 1000,
                "guard markers must not split VMAs"
            );
        }
        for s in stacks.iter().step_by(997) {
            let (glo, ghi) = s.guard_range();
            assert!(
                !kernel_can_read(glo) && !kernel_can_read(ghi - 1),
                "every guard is in place"
            );
        }
        drop(stacks);
        assert!(map_count() < before + 100, "stacks were unmapped");
    }

    /// The goal: a million live goroutines. Touches one page of each (4 GiB resident), so it is
    /// not run by default (`cargo test --release -- --ignored million_stacks --nocapture`).
    #[test]
    #[ignore = "needs ~4.5 GiB of memory"]
    fn million_stacks() {
        let _mem = memory_lock();
        const N: usize = 1_000_000;
        let before = map_count();
        let t = std::time::Instant::now();
        let mut stacks = Vec::with_capacity(N);
        for i in 0..N {
            let s = GoroutineStack::new(64 << 10).unwrap_or_else(|e| panic!("stack {i}: {e}"));
            // SAFETY: the byte below base() is in the usable, writable part.
            unsafe { ((s.top() - 1) as *mut u8).write_volatile(1) };
            stacks.push(s);
        }
        let took = t.elapsed();
        let after = map_count();
        eprintln!("{N} stacks in {took:?}: {before} -> {after} mappings");
        assert!(after < before + 1000);
    }
}
