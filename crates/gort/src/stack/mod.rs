//! Goroutine stacks: allocation, pooling and stack-overflow reporting.
//!
//! Every goroutine runs on a stack of its own, a [`GoroutineStack`]: one anonymous `mmap` region of
//! `guard + size` bytes whose lowest page is a guard page. The stack grows down from the high end; a
//! goroutine that overflows it touches the guard page and faults, and the SIGSEGV handler in
//! [`overflow`] turns that fault into Go's report (`runtime: goroutine N stack exceeds SIZE-byte
//! limit`, `fatal error: stack overflow`) and aborts the process (semantics rule 4.4).
//!
//! The design is driven by one number: `vm.max_map_count`, 65530 by default, caps the number of
//! memory mappings (VMAs) a process may hold, and gort must hold a million live goroutines.
//!
//! * The guard is installed with `madvise(MADV_GUARD_INSTALL)` (Linux 6.13+): the guard markers
//!   live in the page tables, not in the VMA, so a stack stays one VMA with uniform flags, and the
//!   kernel merges neighbouring stacks into a single VMA. A `mprotect(PROT_NONE)` guard would split
//!   every stack into two VMAs that can never merge, capping the process at ~32,000 stacks. On
//!   older kernels (`EINVAL`) we fall back to `mprotect` anyway, since correctness comes first.
//! * Mappings are `MAP_NORESERVE` (a million 64 KiB stacks must not be charged against overcommit
//!   up front) and `MAP_STACK` (Linux 6.7+ then also disables transparent huge pages for them, so
//!   a touched stack costs 4 KiB pages, not a 2 MiB huge page).
//! * [`StackPool`] reuses mappings instead of calling `mmap`/`munmap` per goroutine; see `pool.rs`
//!   for the caching policy.

mod mmap;
mod overflow;
mod pool;

// The interface the scheduler uses (unused until it lands; the tests reach the items directly).
#[allow(unused_imports)]
pub(crate) use mmap::GoroutineStack;
#[allow(unused_imports)]
pub(crate) use overflow::{ensure_altstack, install_overflow_handler, set_running, RunningStack};
#[allow(unused_imports)]
pub(crate) use pool::{StackPool, IDLE_RELEASE_NS};

use std::sync::atomic::{AtomicUsize, Ordering};

/// The system page size, read once.
pub(crate) fn page_size() -> usize {
    static PAGE: AtomicUsize = AtomicUsize::new(0);
    let p = PAGE.load(Ordering::Relaxed);
    if p != 0 {
        return p;
    }
    // SAFETY: sysconf has no memory-safety preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let p = if p > 0 { p as usize } else { 4096 };
    PAGE.store(p, Ordering::Relaxed);
    p
}

/// Rounds `n` up to a whole number of pages (at least one page).
pub(crate) fn round_to_pages(n: usize) -> usize {
    let page = page_size();
    n.max(1).div_ceil(page) * page
}

/// Helpers shared by the stack tests.
#[cfg(test)]
pub(crate) mod test_util {
    use std::sync::{Mutex, MutexGuard, PoisonError};

    /// Serialises the tests that measure process-wide memory (RSS, mapping count), so that they do
    /// not disturb each other's figures.
    pub(crate) fn memory_lock() -> MutexGuard<'static, ()> {
        static LOCK: Mutex<()> = Mutex::new(());
        LOCK.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the kernel can read the byte at `addr`: write(2) it into a pipe. A guard page gives
    /// EFAULT instead of a signal, so guards can be checked without dying.
    pub(crate) fn kernel_can_read(addr: usize) -> bool {
        let mut fds = [0; 2];
        // SAFETY: `fds` is a valid out-array of two ints.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: the kernel checks the source address itself and answers EFAULT if it is not
        // readable; user space never dereferences `addr` here.
        let n = unsafe { libc::write(fds[1], addr as *const libc::c_void, 1) };
        let err = std::io::Error::last_os_error();
        // SAFETY: closing the two descriptors pipe() just gave us.
        unsafe {
            libc::close(fds[0]);
            libc::close(fds[1]);
        }
        match n {
            1 => true,
            _ => {
                assert_eq!(err.raw_os_error(), Some(libc::EFAULT), "write: {err}");
                false
            }
        }
    }

    /// Resident set size of this process in bytes, from /proc/self/statm.
    pub(crate) fn rss_bytes() -> usize {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
        let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        pages * super::page_size()
    }

    /// Number of mappings (VMAs) of this process, from /proc/self/maps.
    pub(crate) fn map_count() -> usize {
        std::fs::read_to_string("/proc/self/maps")
            .unwrap()
            .lines()
            .count()
    }

    /// How many pages of `[addr, addr + len)` are resident (mincore).
    pub(crate) fn resident_pages(addr: usize, len: usize) -> usize {
        let page = super::page_size();
        let mut vec = vec![0u8; len.div_ceil(page)];
        // SAFETY: the range is page-aligned and mapped (callers pass a stack's usable part), and
        // `vec` has one byte per page of it.
        let r = unsafe { libc::mincore(addr as *mut libc::c_void, len, vec.as_mut_ptr()) };
        assert_eq!(r, 0, "mincore: {}", std::io::Error::last_os_error());
        vec.iter().filter(|&&b| b & 1 != 0).count()
    }
}
