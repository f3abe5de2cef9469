//! What a coroutine switch costs, and why: the return-stack buffer.
//!
//! A CPU predicts each `ret` from a small stack of the return addresses its `call`s pushed. A
//! switch to another stack leaves that buffer holding the old stack's addresses, so the first
//! returns after a switch are mispredicted, unless both sides run the same code, whose return
//! addresses are the same numbers. This benchmark shows it with four ways of passing control back
//! and forth 10 million times:
//!
//! 1. corosensei, the coroutine suspending from its own body (no call between the switch points);
//! 2. corosensei, the coroutine suspending from inside a function it called, as a goroutine always
//!    does (it parks deep inside a channel operation);
//! 3. a direct switch between two stacks (no scheduler stack in between) whose two sides run
//!    different functions;
//! 4. the same, both sides running the same function, as the two sides of a channel ping-pong or
//!    two yielding goroutines do inside the runtime.
//!
//! Cases 1 and 4 cost a few nanoseconds; 2 and 3, with their mispredicted returns, several times
//! more (figures in `bench/HISTORY.md`). gort's scheduler used to be case 2 (a goroutine parked to
//! its M's stack, which resumed the next one with corosensei). It now has its own switch (`src/context/`):
//! inline assembly that resumes a context by a jump rather than a `ret`, so the switch itself
//! pops nothing off the return-stack buffer, and a goroutine that parks with a next goroutine
//! ready switches straight to it (case 4; `src/sched/switch.rs`). In the runtime that halved a
//! yield; a channel ping-pong did not get faster, because its time goes to locked instructions,
//! not to switches (commit 78952a5).
//!
//! Run: `cargo bench -p gort --bench switch`. x86_64 only (the direct switch is written for it).

#[cfg(target_arch = "x86_64")]
mod direct {
    use std::arch::global_asm;

    // `gort_bench_switch(save, to)`: saves the callee-saved registers on the current stack, stores
    // the stack pointer at `save`, loads `to` as the stack pointer, restores the registers saved
    // there and returns into that stack. `gort_bench_entry` starts a fresh stack: it calls the
    // function in r12 with the arguments in rbx and r13 (see `Stack::new`).
    global_asm!(
        ".text",
        ".global gort_bench_switch",
        "gort_bench_switch:",
        "push rbp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        "mov [rdi], rsp",
        "mov rsp, rsi",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
        ".global gort_bench_entry",
        "gort_bench_entry:",
        "mov rdi, rbx",
        "mov rsi, r13",
        "call r12",
        "ud2",
    );

    extern "C" {
        fn gort_bench_switch(save: *mut usize, to: usize);
        fn gort_bench_entry();
    }

    /// The saved stack pointers: 0 is the benchmark's own stack, 1 and 2 the two sides.
    pub struct Switches {
        sp: [usize; 3],
        left: u64,
    }

    /// A side's function: the shared state, and which side it is (1 or 2).
    type Body = extern "C" fn(*mut Switches, usize) -> !;

    /// A 64 KiB stack whose first switch-in calls `body(arg, side)`.
    struct Stack {
        /// Owned only to be freed after the last switch away from it (`run`).
        _mem: Vec<u128>,
    }

    impl Stack {
        fn new(body: Body, arg: *mut Switches, side: usize) -> (Stack, usize) {
            let mut mem = vec![0u128; 4096];
            let words = mem.len() * 2;
            let base = mem.as_mut_ptr().cast::<usize>();
            // The frame `gort_bench_switch` pops: r15, r14, r13 (side), r12 (body), rbx (arg),
            // rbp, and the return address (`gort_bench_entry`). After that return the stack
            // pointer sits on a 16-byte boundary, as `gort_bench_entry`'s `call` needs.
            let frame = [
                0,
                0,
                side,
                body as *const () as usize,
                arg as usize,
                0,
                gort_bench_entry as *const () as usize,
            ];
            let start = words - 2 - frame.len();
            for (i, w) in frame.iter().enumerate() {
                // SAFETY: `start + i < words - 2`, inside the allocation `mem` owns.
                unsafe { base.add(start + i).write(*w) };
            }
            // SAFETY: as above; the stack pointer is the frame's first word.
            let sp = unsafe { base.add(start) } as usize;
            (Stack { _mem: mem }, sp)
        }
    }

    /// Passes control from side `me` to side `other` (or to the benchmark, once `left` runs out).
    #[inline(never)]
    fn park(s: *mut Switches, me: usize, other: usize) {
        // SAFETY: `s` outlives both sides (`run` keeps it until they are switched away from for
        // good); only the running side touches it.
        unsafe {
            let target = if (*s).left == 0 { 0 } else { other };
            (*s).left = (*s).left.saturating_sub(1);
            gort_bench_switch(&raw mut (*s).sp[me], (*s).sp[target]);
        }
    }

    /// Case 4: both sides run this function.
    extern "C" fn same(s: *mut Switches, me: usize) -> ! {
        loop {
            park(s, me, 3 - me);
            std::hint::black_box(me);
        }
    }

    /// Case 3: each side runs its own function (same work, different return addresses).
    extern "C" fn side_a(s: *mut Switches, me: usize) -> ! {
        loop {
            park(s, me, 3 - me);
            std::hint::black_box(1);
        }
    }
    extern "C" fn side_b(s: *mut Switches, me: usize) -> ! {
        loop {
            park(s, me, 3 - me);
            std::hint::black_box(2);
        }
    }

    /// Nanoseconds per switch between two stacks running `a` and `b`.
    pub fn run(n: u64, a: Body, b: Body) -> f64 {
        let mut s = Box::new(Switches {
            sp: [0; 3],
            left: n,
        });
        let sp: *mut Switches = &mut *s;
        let (_sa, spa) = Stack::new(a, sp, 1);
        let (_sb, spb) = Stack::new(b, sp, 2);
        // SAFETY: `sp` points into `s`, which lives to the end of this function.
        unsafe { (*sp).sp = [0, spa, spb] };
        let t = std::time::Instant::now();
        // SAFETY: side 1's stack was built by `Stack::new` and is alive; control comes back here
        // through `park` once `left` runs out. The stacks are dropped only after that.
        unsafe { gort_bench_switch(&raw mut (*sp).sp[0], (*sp).sp[1]) };
        t.elapsed().as_nanos() as f64 / n as f64
    }

    pub fn same_fn() -> Body {
        same
    }
    pub fn different_fns() -> (Body, Body) {
        (side_a, side_b)
    }
}

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, Yielder};

/// Suspends from a function of its own, as a parking goroutine does.
#[inline(never)]
fn suspend_deep(y: &Yielder<(), ()>) {
    y.suspend(());
    std::hint::black_box(());
}

/// Nanoseconds per resume-and-suspend of a corosensei coroutine, suspending inline or `deep`.
fn corosensei_case(n: u64, deep: bool) -> f64 {
    let mut co = Coroutine::with_stack(
        DefaultStack::new(64 * 1024).expect("a stack"),
        move |y: &Yielder<(), ()>, ()| loop {
            if deep {
                suspend_deep(y);
            } else {
                y.suspend(());
            }
        },
    );
    let t = std::time::Instant::now();
    for _ in 0..n {
        co.resume(());
    }
    let ns = t.elapsed().as_nanos() as f64 / n as f64;
    // The coroutine never returns: dropping it, suspended, unwinds its stack (corosensei's
    // forced unwind).
    drop(co);
    ns
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n: u64 = if quick { 100_000 } else { 10_000_000 };
    println!(
        "corosensei resume+suspend, suspend in the body: {:.2} ns",
        corosensei_case(n, false)
    );
    println!(
        "corosensei resume+suspend, suspend from a called function: {:.2} ns",
        corosensei_case(n, true)
    );
    #[cfg(target_arch = "x86_64")]
    {
        let (a, b) = direct::different_fns();
        println!(
            "direct switch, the two sides in different functions: {:.2} ns",
            direct::run(n, a, b)
        );
        let f = direct::same_fn();
        println!(
            "direct switch, both sides in the same function: {:.2} ns",
            direct::run(n, f, f)
        );
    }
}
