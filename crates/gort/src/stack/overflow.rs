//! Reporting goroutine stack overflow (semantics rule 4.4).
//!
//! A goroutine that overflows its stack touches the guard page below it and takes a SIGSEGV. The
//! handler installed by [`install_overflow_handler`] compares the fault address with the guard of
//! the goroutine that this thread is running, which the scheduler records with [`set_running`] on
//! every switch. On a match it prints Go's report and aborts, as Rust does for an overflowing
//! thread; any other fault is passed on to the handler that was installed before ours (normally
//! std's, which reports overflow of the thread's own stack and otherwise restores the default
//! action so that the fault re-executes and kills the process with SIGSEGV).
//!
//! Signal-handler constraints:
//! * The handler runs on the thread's alternate signal stack (`SA_ONSTACK`): the faulting stack is
//!   exhausted. std gives one to the main thread and to every thread it spawns, as long as std
//!   installed its own SIGSEGV handler at start-up; [`ensure_altstack`] adds one where missing.
//! * It only does async-signal-safe things: reads a thread-local with `const` init and no
//!   destructor (a plain TLS load, no lazy initialisation or registration), formats into a stack
//!   buffer, and calls `write(2)`, `sigaction(2)` and `abort(3)`. No allocation, no locks, no
//!   `std::io` (its stderr lock could be held by the interrupted code).
//! * The running-goroutine record is written by the same thread that faults, and the fault is
//!   synchronous, so the handler sees it without atomics; an `active` flag written last (and
//!   cleared first), with compiler fences, keeps a fault in the middle of an update from reading a
//!   half-written record.
use std::cell::Cell;
use std::sync::atomic::{compiler_fence, Ordering};
use std::sync::{Once, OnceLock};

use super::GoroutineStack;

/// The goroutine now running on this thread, as the overflow handler needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RunningStack {
    /// Goroutine id, as printed in the report.
    pub goroutine_id: u64,
    /// `[guard_lo, guard_hi)`: the guard of its stack ([`GoroutineStack::guard_range`]).
    pub guard_lo: usize,
    pub guard_hi: usize,
    /// Usable bytes of its stack, printed as the limit.
    pub size: usize,
}

thread_local! {
    // A `const`-initialised pointer without a destructor: accessing it is a plain TLS access,
    // which is async-signal-safe.
    static RUNNING: Cell<*const RunningStack> = const { Cell::new(std::ptr::null()) };
}

/// Records the goroutine this OS thread now runs (null: none, the thread is in the scheduler).
/// Called by the scheduler on every switch into and out of a goroutine: one pointer store, which a
/// signal on this thread sees either before or after, never half-done.
///
/// # Safety
/// `info` is null or points to a record that stays valid and unchanged until the next call on
/// this thread (the scheduler keeps it in the running goroutine's G).
#[inline]
pub(crate) unsafe fn set_running(info: *const RunningStack) {
    // Keep the record's writes ahead of this store, and this store ahead of the context switch
    // that follows.
    compiler_fence(Ordering::SeqCst);
    RUNNING.with(|r| r.set(info));
    compiler_fence(Ordering::SeqCst);
}

/// What [`set_running`] last recorded on this thread. Async-signal-safe.
fn running() -> Option<RunningStack> {
    let info = RUNNING.try_with(Cell::get).unwrap_or(std::ptr::null());
    // SAFETY: non-null only while the record it points to is valid (`set_running`'s contract).
    unsafe { info.as_ref() }.copied()
}

/// The actions that were installed for SIGSEGV and SIGBUS before ours.
struct Previous {
    segv: libc::sigaction,
    bus: libc::sigaction,
}

static PREVIOUS: OnceLock<Previous> = OnceLock::new();

/// Installs the goroutine stack-overflow handler for SIGSEGV and SIGBUS (once per process;
/// idempotent and thread-safe).
pub(crate) fn install_overflow_handler() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Read the previous actions first and publish them, so that the handler can chain from the
        // moment it is installed.
        let prev = Previous {
            segv: current_action(libc::SIGSEGV),
            bus: current_action(libc::SIGBUS),
        };
        if PREVIOUS.set(prev).is_err() {
            return; // unreachable: only this Once sets it
        }
        // SAFETY: an all-zero sigaction is a valid value (no handler, empty mask, no flags).
        let mut act: libc::sigaction = unsafe { std::mem::zeroed() };
        let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = on_fault;
        act.sa_sigaction = handler as libc::sighandler_t;
        act.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        for sig in [libc::SIGSEGV, libc::SIGBUS] {
            // SAFETY: `act` is a valid action whose handler only does async-signal-safe work (see
            // the module docs); `sa_mask` is a valid (empty) set. Replacing the disposition
            // of SIGSEGV/SIGBUS breaks no Rust invariant: we chain to the previous handler.
            let r = unsafe { libc::sigaction(sig, &act, std::ptr::null_mut()) };
            debug_assert_eq!(r, 0, "sigaction: {}", std::io::Error::last_os_error());
        }
    });
}

/// The action now installed for `sig`.
fn current_action(sig: libc::c_int) -> libc::sigaction {
    // SAFETY: an all-zero sigaction is a valid value; sigaction with a null new action only
    // writes the current one into `old`, a valid, exclusive out-pointer.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old);
        old
    }
}

/// The SIGSEGV/SIGBUS handler. Runs on the alternate signal stack; async-signal-safe only.
extern "C" fn on_fault(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for a SA_SIGINFO handler; for SIGSEGV and
    // SIGBUS `si_addr` is the member that the union holds.
    let addr = unsafe { (*info).si_addr() } as usize;
    if let Some(g) = running() {
        if g.guard_lo <= addr && addr < g.guard_hi {
            report_overflow(g);
        }
    }
    chain(sig, info, ctx);
}

/// Prints Go's stack-overflow report and aborts. Async-signal-safe.
fn report_overflow(g: RunningStack) -> ! {
    let mut buf = Buf {
        bytes: [0; 160],
        len: 0,
    };
    buf.push(b"runtime: goroutine ");
    buf.push_u64(g.goroutine_id);
    buf.push(b" stack exceeds ");
    buf.push_u64(g.size as u64);
    buf.push(b"-byte limit\nfatal error: stack overflow\n");
    write_all(2, &buf.bytes[..buf.len]);
    // SAFETY: abort is async-signal-safe and never returns.
    unsafe { libc::abort() }
}

/// Passes a fault that is not a goroutine overflow to the previous handler. Async-signal-safe.
fn chain(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let prev = PREVIOUS
        .get()
        .map(|p| if sig == libc::SIGBUS { p.bus } else { p.segv });
    match prev {
        Some(p) if p.sa_sigaction != libc::SIG_DFL && p.sa_sigaction != libc::SIG_IGN => {
            if p.sa_flags & libc::SA_SIGINFO != 0 {
                // SAFETY: with SA_SIGINFO, `sa_sigaction` holds a three-argument handler
                // installed by someone else for exactly this signal; we call it on the same
                // thread, in signal context, with the arguments the kernel gave us.
                let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    unsafe { std::mem::transmute(p.sa_sigaction) };
                f(sig, info, ctx);
            } else {
                // SAFETY: without SA_SIGINFO, `sa_sigaction` holds a one-argument handler
                // installed for this signal; called as the kernel would have called it.
                let f: extern "C" fn(libc::c_int) = unsafe { std::mem::transmute(p.sa_sigaction) };
                f(sig);
            }
        }
        _ => {
            // No previous handler (or SIG_IGN, which a synchronous fault cannot honour): restore
            // the default action and return; the faulting instruction runs again and the kernel
            // kills the process with the signal, core dump included.
            // SAFETY: an all-zero sigaction with SIG_DFL (0) is a valid action; sigaction is
            // async-signal-safe.
            unsafe {
                let mut dfl: libc::sigaction = std::mem::zeroed();
                dfl.sa_sigaction = libc::SIG_DFL;
                libc::sigaction(sig, &dfl, std::ptr::null_mut());
            }
        }
    }
}

/// A fixed buffer to format the report without allocating.
struct Buf {
    bytes: [u8; 160],
    len: usize,
}

impl Buf {
    fn push(&mut self, s: &[u8]) {
        let n = s.len().min(self.bytes.len() - self.len);
        self.bytes[self.len..self.len + n].copy_from_slice(&s[..n]);
        self.len += n;
    }

    fn push_u64(&mut self, mut v: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.push(&digits[i..]);
    }
}

/// `write(2)` all of `bytes` to `fd`, retrying partial writes and EINTR. Async-signal-safe.
fn write_all(fd: libc::c_int, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: `bytes` is a valid, initialised buffer of the given length.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n > 0 {
            bytes = &bytes[n as usize..];
        } else if n < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            continue;
        } else {
            return;
        }
    }
}

/// Size of the alternate signal stacks made by [`ensure_altstack`]: ample for our handler and for
/// std's (which formats the thread name), whatever the CPU's signal-frame size.
const ALTSTACK_SIZE: usize = 64 << 10;

/// An alternate signal stack that this module made for this thread; disabled and unmapped when
/// the thread exits.
struct OwnAltStack {
    /// `None` only while being leaked.
    stack: Option<GoroutineStack>,
}

impl Drop for OwnAltStack {
    fn drop(&mut self) {
        let Some(stack) = self.stack.as_ref() else {
            return;
        };
        let (_, usable_lo) = stack.guard_range();
        // SAFETY: an all-zero stack_t is a valid value.
        let mut cur: libc::stack_t = unsafe { std::mem::zeroed() };
        // SAFETY: a null new stack only reads the current one into `cur`, a valid out-pointer.
        let r = unsafe { libc::sigaltstack(std::ptr::null(), &mut cur) };
        if r != 0 || cur.ss_flags & libc::SS_ONSTACK != 0 {
            // Cannot tell or we are on it: keep the memory rather than free a live stack.
            std::mem::forget(self.stack.take());
            return;
        }
        if cur.ss_sp as usize == usable_lo && cur.ss_flags & libc::SS_DISABLE == 0 {
            // SAFETY: an all-zero stack_t with SS_DISABLE is a valid request to disable the
            // altstack; we are not running on it (checked above).
            let mut off: libc::stack_t = unsafe { std::mem::zeroed() };
            off.ss_flags = libc::SS_DISABLE;
            // SAFETY: as above.
            unsafe { libc::sigaltstack(&off, std::ptr::null_mut()) };
        }
        // `self.stack` is now unused by the kernel and unmapped by its own Drop.
    }
}

thread_local! {
    static OWN_ALTSTACK: std::cell::RefCell<Option<OwnAltStack>> = const { std::cell::RefCell::new(None) };
}

/// Makes sure this thread has an alternate signal stack, so that the overflow handler can run when
/// a goroutine exhausts its stack here. std sets one up for the threads it spawns when it owns the
/// SIGSEGV handler; this adds one (freed at thread exit) where there is none. Cheap when one is
/// there already (one system call); the scheduler calls it at the start of every M.
pub(crate) fn ensure_altstack() {
    // SAFETY: an all-zero stack_t is a valid value.
    let mut cur: libc::stack_t = unsafe { std::mem::zeroed() };
    // SAFETY: a null new stack only reads the current one into `cur`, a valid out-pointer.
    if unsafe { libc::sigaltstack(std::ptr::null(), &mut cur) } != 0 {
        return;
    }
    if cur.ss_flags & libc::SS_DISABLE == 0 {
        return; // already has one
    }
    // Room for the largest signal frame this CPU may need (AVX-512 state), and then some.
    // SAFETY: getauxval has no preconditions; it returns 0 for an unknown key.
    let min = unsafe { libc::getauxval(libc::AT_MINSIGSTKSZ) } as usize;
    let size = super::round_to_pages(ALTSTACK_SIZE.max(libc::SIGSTKSZ).max(min * 4));
    let Ok(stack) = GoroutineStack::new(size) else {
        return; // no memory: overflow then ends in a plain SIGSEGV
    };
    let (_, usable_lo) = stack.guard_range();
    let new = libc::stack_t {
        ss_sp: usable_lo as *mut libc::c_void,
        ss_flags: 0,
        ss_size: stack.size(),
    };
    // Hand the memory to this thread's OwnAltStack first, so that it is owned (and disabled before
    // being unmapped) from the moment the kernel knows it; in a thread already tearing down its
    // thread-locals, do nothing.
    let _ = OWN_ALTSTACK.try_with(|own| {
        let mut own = own.borrow_mut();
        if own.is_some() {
            return; // ours, disabled by someone else since: leave it be
        }
        // SAFETY: `new` describes the usable part of `stack`, which the OwnAltStack stored below
        // owns until the thread exits; its Drop disables the altstack before unmapping it.
        if unsafe { libc::sigaltstack(&new, std::ptr::null_mut()) } == 0 {
            *own = Some(OwnAltStack { stack: Some(stack) });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::StackPool;
    use super::*;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Command;

    /// Environment variable that tells `child_entry` which scenario to run in the child.
    const CHILD_ENV: &str = "GORT_STACK_TEST_CHILD";

    /// Recurses until the stack runs out (the bound is never reached).
    #[inline(never)]
    fn deep(n: u64) -> u64 {
        if n == u64::MAX {
            return 0;
        }
        let mut frame = [0u8; 512];
        std::hint::black_box(&mut frame);
        frame[0] = n as u8;
        deep(n + 1) + std::hint::black_box(frame[0]) as u64
    }

    /// Alternate-stack state of the calling thread.
    fn altstack() -> libc::stack_t {
        // SAFETY: sigaltstack with a null new stack only writes the current one into `cur`.
        unsafe {
            let mut cur: libc::stack_t = std::mem::zeroed();
            assert_eq!(libc::sigaltstack(std::ptr::null(), &mut cur), 0);
            cur
        }
    }

    fn disable_altstack() {
        // SAFETY: an all-zero stack_t with SS_DISABLE asks to disable the altstack; we are not on it.
        unsafe {
            let mut off: libc::stack_t = std::mem::zeroed();
            off.ss_flags = libc::SS_DISABLE;
            assert_eq!(libc::sigaltstack(&off, std::ptr::null_mut()), 0);
        }
    }

    /// Runs a goroutine (id 7) that overflows a pooled stack, after the stack went through a cold
    /// put/get cycle, so that the guard is the one that survived MADV_DONTNEED.
    fn overflow_goroutine() -> ! {
        install_overflow_handler();
        let pool = StackPool::with_limits(64 << 10, 0, 4);
        let s = pool.get().unwrap();
        let lo = s.guard_range().0;
        pool.put(s);
        let s = pool.get().unwrap();
        assert_eq!(s.guard_range().0, lo, "reused stack");
        let (guard_lo, guard_hi) = s.guard_range();
        let info = RunningStack {
            goroutine_id: 7,
            guard_lo,
            guard_hi,
            size: s.size(),
        };
        // SAFETY: the stack is ours and unused; `s` lives on (this function never returns).
        let sp = unsafe { crate::context::prepare(s.top(), overflow_entry, 0) };
        // SAFETY: `info` lives on (this function never returns).
        unsafe { set_running(&info) };
        let mut back = 0usize;
        // SAFETY: `sp` is the context just prepared; `back` outlives it.
        unsafe { crate::context::switch(&mut back, sp) };
        unreachable!("the goroutine returned from infinite recursion");
    }

    /// A goroutine's body that overflows its stack.
    unsafe extern "C" fn overflow_entry(_: usize) -> ! {
        deep(0);
        unreachable!("the goroutine returned from infinite recursion");
    }

    /// The child side of the subprocess tests; does nothing in a normal test run.
    #[test]
    fn child_entry() {
        let Ok(mode) = std::env::var(CHILD_ENV) else {
            return;
        };
        match mode.as_str() {
            "overflow" => overflow_goroutine(),
            "overflow_own_altstack" => {
                let t = std::thread::spawn(|| {
                    disable_altstack();
                    ensure_altstack();
                    assert_eq!(altstack().ss_flags & libc::SS_DISABLE, 0);
                    overflow_goroutine()
                });
                let _ = t.join();
                unreachable!();
            }
            "overflow_mprotect" => {
                super::super::mmap::force_mprotect_guards();
                let maps = super::super::test_util::map_count();
                let stacks: Vec<_> = (0..10)
                    .map(|_| GoroutineStack::new(64 << 10).unwrap())
                    .collect();
                assert!(
                    super::super::test_util::map_count() >= maps + 20,
                    "two VMAs per stack"
                );
                for s in &stacks {
                    s.release_memory();
                    assert!(!super::super::test_util::kernel_can_read(s.guard_range().0));
                }
                assert_eq!(
                    super::super::mmap::guard_kind(),
                    Some(super::super::mmap::GuardKind::Mprotect)
                );
                overflow_goroutine()
            }
            "segv" => {
                install_overflow_handler();
                let s = GoroutineStack::new(64 << 10).unwrap();
                let (guard_lo, guard_hi) = s.guard_range();
                let info = RunningStack {
                    goroutine_id: 7,
                    guard_lo,
                    guard_hi,
                    size: s.size(),
                };
                // SAFETY: `info` lives until the process dies below.
                unsafe { set_running(&info) };
                // A fault that is not in the running goroutine's guard: another stack's guard.
                let other = GoroutineStack::new(64 << 10).unwrap();
                // SAFETY: none: this deliberately faults; the test expects death by SIGSEGV.
                unsafe { (other.guard_range().0 as *mut u8).write_volatile(1) };
                unreachable!();
            }
            "thread_overflow" => {
                install_overflow_handler();
                let t = std::thread::Builder::new()
                    .name("deep-thread".into())
                    .stack_size(256 << 10)
                    .spawn(|| {
                        let s = GoroutineStack::new(64 << 10).unwrap();
                        let (guard_lo, guard_hi) = s.guard_range();
                        let info = RunningStack {
                            goroutine_id: 7,
                            guard_lo,
                            guard_hi,
                            size: s.size(),
                        };
                        // SAFETY: `info` lives until the process dies in `deep`.
                        unsafe { set_running(&info) };
                        deep(0)
                    })
                    .unwrap();
                let _ = t.join();
                unreachable!();
            }
            other => panic!("unknown child mode {other}"),
        }
    }

    /// Runs `child_entry` in a child process in `mode`; returns (signal, stderr).
    fn run_child(mode: &str) -> (Option<i32>, String) {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "stack::overflow::tests::child_entry",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, mode)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        eprintln!("child {mode}: {:?}\n{stderr}", out.status);
        (out.status.signal(), stderr)
    }

    /// The child `mode` overflows goroutine 7's 64 KiB stack: Go's message, then SIGABRT.
    fn assert_goroutine_7_overflow_reported(mode: &str) {
        let (sig, err) = run_child(mode);
        assert!(
            err.contains("runtime: goroutine 7 stack exceeds 65536-byte limit\n"),
            "{err}"
        );
        assert!(err.contains("fatal error: stack overflow\n"), "{err}");
        assert_eq!(sig, Some(libc::SIGABRT));
    }

    #[test]
    fn goroutine_overflow_is_reported() {
        assert_goroutine_7_overflow_reported("overflow");
    }

    #[test]
    fn goroutine_overflow_on_own_altstack() {
        assert_goroutine_7_overflow_reported("overflow_own_altstack");
    }

    #[test]
    fn goroutine_overflow_with_mprotect_guard() {
        assert_goroutine_7_overflow_reported("overflow_mprotect");
    }

    #[test]
    fn other_faults_chain_to_default() {
        let (sig, err) = run_child("segv");
        assert!(!err.contains("runtime: goroutine"), "{err}");
        assert_eq!(sig, Some(libc::SIGSEGV));
    }

    #[test]
    fn thread_overflow_chains_to_std() {
        let (sig, err) = run_child("thread_overflow");
        // std's report: "thread 'deep-thread' (TID) has overflowed its stack" (TID since 1.9x).
        assert!(err.contains("thread 'deep-thread'"), "{err}");
        assert!(err.contains("has overflowed its stack"), "{err}");
        assert!(!err.contains("runtime: goroutine"), "{err}");
        assert_eq!(sig, Some(libc::SIGABRT));
    }

    #[test]
    fn std_threads_have_altstack() {
        assert_eq!(altstack().ss_flags & libc::SS_DISABLE, 0, "test thread");
        std::thread::spawn(|| {
            assert_eq!(altstack().ss_flags & libc::SS_DISABLE, 0, "spawned thread")
        })
        .join()
        .unwrap();
    }

    #[test]
    fn ensure_altstack_adds_one_once() {
        std::thread::spawn(|| {
            disable_altstack();
            ensure_altstack();
            let a = altstack();
            assert_eq!(a.ss_flags & libc::SS_DISABLE, 0);
            assert!(a.ss_size >= ALTSTACK_SIZE);
            ensure_altstack();
            assert_eq!(altstack().ss_sp, a.ss_sp, "idempotent");
        })
        .join()
        .unwrap();
    }

    #[test]
    fn set_running_round_trip() {
        assert_eq!(running(), None);
        let r = RunningStack {
            goroutine_id: 42,
            guard_lo: 4096,
            guard_hi: 8192,
            size: 65536,
        };
        // SAFETY: `r` outlives the record (it is cleared below).
        unsafe { set_running(&r) };
        assert_eq!(running(), Some(r));
        std::thread::spawn(|| assert_eq!(running(), None, "per thread"))
            .join()
            .unwrap();
        // SAFETY: null is always allowed.
        unsafe { set_running(std::ptr::null()) };
        assert_eq!(running(), None);
    }

    #[test]
    fn report_formatting() {
        let mut b = Buf {
            bytes: [0; 160],
            len: 0,
        };
        b.push_u64(0);
        b.push(b" ");
        b.push_u64(u64::MAX);
        assert_eq!(&b.bytes[..b.len], b"0 18446744073709551615");
        install_overflow_handler();
        install_overflow_handler();
    }
}
