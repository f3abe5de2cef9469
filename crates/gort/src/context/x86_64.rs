//! The context switch for x86_64 (System V ABI): see `context/mod.rs`.
//!
//! A saved context, from its stack pointer up:
//!
//! ```text
//! sp ->  resume-address  rbx  rbp
//! ```
//!
//! `switch` is inline assembly: it pushes rbp, rbx and the address just after itself, stores the
//! stack pointer, loads the other one, pops that context's three words and jumps to its resume
//! address. The other callee-saved registers (r12–r15) are declared clobbered, so the compiler
//! saves those it has live around the switch, in the function's own frame. [`prepare`] writes the
//! three words onto a fresh stack, with `gort_context_start` as the resume address and the entry
//! function and its argument in the slots of rbx and rbp.

use std::arch::global_asm;

use super::Entry;

global_asm!(
    // The first switch to a prepared stack jumps here, with the stack pointer 16-aligned, the
    // entry function in rbx and its argument in rbp. The return address is undefined: unwinders
    // and debuggers stop at this frame.
    ".text",
    ".p2align 4",
    ".globl gort_context_start",
    ".hidden gort_context_start",
    ".type gort_context_start, @function",
    "gort_context_start:",
    ".cfi_startproc",
    ".cfi_undefined rip",
    "mov rdi, rbp",
    "xor ebp, ebp",
    "call rbx",
    "ud2",
    ".cfi_endproc",
    ".size gort_context_start, . - gort_context_start",
);

extern "C" {
    fn gort_context_start();
}

/// See `super::switch`.
///
/// # Safety
/// As for `super::switch`.
#[inline(always)]
pub(super) unsafe fn switch(save: *mut usize, to: usize) {
    // SAFETY: the asm saves what the C calling convention makes callee-saved and the compiler
    // cannot be told about (rbx, rbp; r12-r15 are declared clobbered, so the compiler saves them
    // where they are live), with the address to resume at, on our stack; it stores that stack
    // pointer at `save` (writable, by the caller's contract) and resumes `to` (a live context, by
    // the same contract) by popping the same three words and jumping. The jump, not a `ret`,
    // leaves the CPU's return-address predictor alone (see `context/mod.rs`).
    unsafe {
        std::arch::asm!(
            "lea rax, [rip + 2f]",
            "push rbp",
            "push rbx",
            "push rax",
            "mov [rdi], rsp",
            "mov rsp, rsi",
            "pop rax",
            "pop rbx",
            "pop rbp",
            "jmp rax",
            "2:",
            in("rdi") save,
            in("rsi") to,
            lateout("r12") _, lateout("r13") _, lateout("r14") _, lateout("r15") _,
            clobber_abi("sysv64"),
        )
    }
}

/// See `super::prepare`.
///
/// # Safety
/// As for `super::prepare`.
pub(super) unsafe fn prepare(top: usize, entry: Entry, arg: usize) -> usize {
    // Three words of saved context, placed so that once a switch has popped them the stack
    // pointer is `top - 16`: 16-aligned, as `call` in the start routine needs it to be.
    let sp = top - 16 - 3 * 8;
    let words: [usize; 3] = [
        gort_context_start as *const () as usize, // where the first switch jumps
        entry as usize,                           // rbx: the entry function
        arg,                                      // rbp: its argument
    ];
    // SAFETY: `[sp, top)` lies within the 128 bytes below `top` that the caller gives us.
    unsafe { std::ptr::copy_nonoverlapping(words.as_ptr(), sp as *mut usize, words.len()) };
    sp
}
