//! `gort::syscall`: run a blocking call without holding a P (semantics 3).
//!
//! Entering marks the G `syscall` and its P `Syscall` (one CAS on the P's state word). The closure runs
//! on the same OS thread, which matters for wired goroutines. Meanwhile sysmon may take the P for other
//! work (after ~20 µs if work waits). Leaving tries, in order: the old P (a CAS back to `Running`; the
//! common, cheap case), any idle P, and else suspends the G with `NeedP` so that its M queues it and
//! idles until a P frees up.

use std::panic::Location;
use std::sync::atomic::Ordering;

use super::current;
use super::g::{Status, Suspend, G};
use super::p::{pack, PState};
use super::park::{check_cancel, pin_to_current_m};
use super::Phase;
use crate::wait_reason::WaitReason;

/// Runs `f` as a blocking system call: see `gort::syscall`.
#[track_caller]
pub(crate) fn syscall<R>(f: impl FnOnce() -> R) -> R {
    let g = current::current_g_ptr();
    if g.is_null() {
        return f();
    }
    // SAFETY: the running G is alive while it runs, and we are it.
    let g = unsafe { &*g };
    leave_main_thread(g);
    enter(g, Location::caller());
    struct Leave<'a>(&'a G);
    impl Drop for Leave<'_> {
        fn drop(&mut self) {
            leave(self.0);
        }
    }
    let guard = Leave(g);
    let r = f();
    drop(guard);
    r
}

/// `run` returns on the thread that called it, so that thread must never be stuck in another
/// goroutine's syscall when the runtime ends (4.1: `run` does not wait for syscalls). An unwired G about
/// to make a syscall there moves to another M first. A wired G cannot move; only the main goroutine
/// wires to the main thread in practice, and `run` waits for it anyway.
fn leave_main_thread(g: &G) {
    let on_main = current::with_m(|m| m.is_main()).unwrap_or(false);
    // Goroutine 1 stays: `run` waits for it in any case.
    if !on_main || g.id() == 1 || g.is_wired() || std::thread::panicking() {
        return;
    }
    g.set_avoid_main(true);
    // SAFETY: we are the goroutine `g`, on its stack.
    unsafe { g.suspend(Suspend::LeaveMain) };
    g.set_avoid_main(false);
    check_cancel(g);
}

fn enter(g: &G, at: &'static Location<'static>) {
    g.set_wait(WaitReason::Syscall, at);
    g.set_status(Status::Syscall);
    g.rt.in_syscall.fetch_add(1, Ordering::SeqCst);
    current::with_m(|m| {
        m.shared.in_syscall.store(true, Ordering::SeqCst);
        if let Some(pi) = m.p() {
            let p = &g.rt.ps[pi];
            p.syscall_since
                .store(g.rt.nanos_since_start(), Ordering::Relaxed);
            let from = pack(m.id(), PState::Running);
            while p
                .state
                .compare_exchange(
                    from,
                    pack(m.id(), PState::Syscall),
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_err()
            {
                if !m.still_owns(pi, from) {
                    // Sysmon took it already (we ran long before this call).
                    m.drop_p();
                    break;
                }
            }
        }
    });
}

fn leave(g: &G) {
    let rt = &g.rt;
    let got_p = current::with_m(|m| {
        m.shared.in_syscall.store(false, Ordering::SeqCst);
        if let Some(pi) = m.p() {
            let st = &rt.ps[pi].state;
            if st
                .compare_exchange(
                    pack(m.id(), PState::Syscall),
                    pack(m.id(), PState::Running),
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
            {
                return true;
            }
            m.drop_p();
        }
        if rt.phase() != Phase::Running && g.is_cancelled() {
            // The runtime is ending and will not wait for us: unwind at once, P or not (4.1).
            return true;
        }
        match rt.take_idle_p() {
            Some(p) => {
                m.adopt_p(p, PState::Running);
                true
            }
            None => false,
        }
    })
    .unwrap_or(true);
    rt.in_syscall.fetch_sub(1, Ordering::SeqCst);
    g.set_status(Status::Running);
    if !got_p {
        let pinned = !g.is_wired() && std::thread::panicking();
        if pinned {
            pin_to_current_m(g);
        }
        let stay = pinned || g.is_wired();
        // SAFETY: we are the goroutine `g`, on its stack.
        unsafe { g.suspend(Suspend::NeedP { stay }) };
        if pinned {
            g.wired_m.store(std::ptr::null_mut(), Ordering::Release);
        }
    }
    rt.maybe_stop();
    check_cancel(g);
}
