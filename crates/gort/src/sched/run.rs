//! `run`: a runtime's whole life, on the thread that called it.
//!
//! 1. Build the runtime, start the template thread and sysmon (before any goroutine can wire: 2.6).
//! 2. Make this thread the first M, holding the first P, and run the main goroutine (id 1) on it first
//!    (2.8: if it wires before blocking, it stays here for good).
//! 3. Run the scheduler loop here like on any M, until the runtime stops: main returned and every other
//!    goroutine unwound (or a deadlock was found and everything was cancelled).
//! 4. Join every thread the runtime started, but those stuck in `gort::syscall` (4.1), and hand back
//!    main's value, its panic, or the deadlock report.

use std::panic::{self, AssertUnwindSafe, Location};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Once};

use super::body::Body;
use super::g::cancelled_payload;
use super::g::G;
use super::m::{MLocal, MShared};
use super::p::PState;
use super::{fence, g, park};
use super::{sysmon, template, Phase, Runtime};
use crate::config::Config;

/// Goroutine 1's body, borrowing from `run`'s caller for `'a`.
type MainBody<'a> = Box<dyn FnOnce(&G, bool) + Send + 'a>;

pub(crate) fn run_main<'a, F, T>(config: Config, f: F, at: &'static Location<'static>) -> T
where
    F: FnOnce() -> T + Send + 'a,
    T: Send + 'a,
{
    install_panic_hook();
    crate::stack::install_overflow_handler();
    crate::stack::ensure_altstack();
    let _slack = crate::sched::wake::FineTimerSlack::set();

    let rt = Arc::new(Runtime::new(config));
    template::start(&rt);
    sysmon::start(&rt);

    let result: Arc<Mutex<Option<std::thread::Result<T>>>> = Arc::new(Mutex::new(None));
    let slot = result.clone();
    let body: MainBody<'a> = Box::new(move |_g: &G, _cancelled: bool| {
        // Goroutine 1 starts before anything can cancel it.
        let r = panic::catch_unwind(AssertUnwindSafe(f)).map_err(|e| {
            if e.is::<super::g::Cancelled>() {
                cancelled_payload()
            } else {
                e
            }
        });
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
    });
    // SAFETY: the body may borrow from the caller for 'a. It runs only as goroutine 1 of this runtime,
    // and `run_main` does not return before the runtime has stopped; the runtime stops only once
    // goroutine 1 has exited (it is never left behind in a syscall: its exit is what starts the
    // shutdown, or, on deadlock, it is parked and gets cancelled like the rest). So every use of the
    // borrowed data ends before 'a does.
    let body: MainBody<'static> = unsafe { std::mem::transmute(body) };

    let main_shared = MShared::new(rt.next_mid());
    {
        let mut s = rt.sched();
        s.mcount += 1;
        s.all_ms.push(main_shared.clone());
    }
    *rt.main_m.lock().unwrap_or_else(|e| e.into_inner()) = Some(main_shared.clone());
    let main_g = rt.new_g(Body::new(move |g: &G, c: bool| body(g, c)), 0, at);
    let p0 = rt.take_idle_p().expect("a new runtime has idle Ps");
    let local = MLocal::new(rt.clone(), main_shared.clone());
    local.set_main();
    local.adopt_p(p0, PState::Sched);
    local.run_loop(Some(main_g));
    if local.exited_wired() {
        // 2.5: the main thread is never exited; it runs no goroutine again until `run` returns.
        let mut s = rt.sched();
        s.mcount -= 1;
        rt.forget_m(&mut s, main_shared.id);
    }
    while rt.phase() != Phase::Stopping {
        main_shared.wake.wait(None);
    }
    drop(local);
    rt.drain_leftovers();

    // Join: the template thread first (it may still push the handles of Ms it just made).
    loop {
        let batch: Vec<_> = std::mem::take(&mut rt.sched().threads);
        if batch.is_empty() {
            break;
        }
        let (service, ms): (Vec<_>, Vec<_>) = batch.into_iter().partition(|(m, _)| m.is_none());
        for (_, h) in service {
            let _ = h.join();
        }
        for (m, h) in ms {
            let in_syscall = m
                .as_ref()
                .is_some_and(|m| m.in_syscall.load(std::sync::atomic::Ordering::SeqCst));
            if in_syscall {
                drop(h); // detached: it unwinds its goroutine when the call returns (4.1)
            } else {
                let _ = h.join();
            }
        }
    }

    let deadlock = rt
        .outcome
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .deadlock
        .take();
    if let Some(report) = deadlock {
        panic!("{report}");
    }
    let r = result.lock().unwrap_or_else(|e| e.into_inner()).take();
    match r {
        Some(Ok(v)) => v,
        Some(Err(payload)) => panic::resume_unwind(payload),
        None => unreachable!("gort: the main goroutine ended without a result"),
    }
}

/// Prefixes panic messages from goroutines with the goroutine's id (4.2), then defers to the hook that
/// was installed before (std's default prints the message and location).
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let prev = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if let Some(id) = super::current::goroutine_id() {
                eprintln!("panic in goroutine {id}:");
            }
            prev(info)
        }));
    });
}

// ---- ending (semantics 4) ----------------------------------------------------------------------

impl Runtime {
    /// After main returns: stop once only goroutines stuck in `gort::syscall` remain (4.1).
    pub(crate) fn maybe_stop(&self) {
        if self.phase() != Phase::Draining {
            return;
        }
        let live = self.live();
        let sys = self.in_syscall.load(Ordering::SeqCst);
        if live <= sys
            && self
                .phase
                .compare_exchange(
                    Phase::Draining as u8,
                    Phase::Stopping as u8,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
        {
            let ms: Vec<Arc<MShared>> = self.sched().all_ms.clone();
            for m in ms {
                m.wake.notify();
            }
            if let Some(m) = self
                .main_m
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
            {
                m.wake.notify();
            }
            self.timers.shutdown();
            if let Some(Some(p)) = self.netpoll.get() {
                p.close();
            }
            self.template
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
        }
    }

    /// Cancels every goroutine but main (or every one, on deadlock) and moves to DRAINING.
    pub(crate) fn begin_shutdown(&self, deadlock: Option<String>) {
        let is_deadlock = deadlock.is_some();
        if let Some(report) = deadlock {
            self.outcome
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .deadlock
                .get_or_insert(report);
        }
        if self
            .phase
            .compare_exchange(
                Phase::Running as u8,
                Phase::Draining as u8,
                Ordering::SeqCst,
                Ordering::SeqCst,
            )
            .is_err()
        {
            return;
        }
        let gs: Vec<Arc<G>> = self
            .all_gs()
            .into_iter()
            .filter(|g| g.id() != 1 || is_deadlock)
            .collect();
        for g in &gs {
            g.cancel();
        }
        // Every cancellation is visible to a G parking with a plain store from here on, or its
        // store to us (`park.rs`, "Parking while holding a channel's lock"). Without the heavy
        // fence no G parks that way.
        if fence::enabled() {
            // After registration (which `enabled` did) the call has no way to fail.
            let fenced = fence::heavy();
            debug_assert!(fenced, "membarrier failed after registration");
        }
        for g in gs {
            park::Unparker::from_g(g).unpark();
        }
    }

    /// After the stop: goroutines spawned (from outside) in the instant the runtime stopped never got
    /// to run. Their bodies are told they were cancelled, so their closures drop and their `JoinHandle`s
    /// report it instead of waiting forever.
    pub(crate) fn drain_leftovers(&self) {
        let mut left: Vec<Arc<G>> = {
            let mut q = self.global.lock();
            // From here on `push_global` cancels what it is given (a `Handle::spawn` racing the end).
            q.closed = true;
            q.woken = 0;
            std::mem::take(&mut q.gs).into()
        };
        self.global_woken.store(0, Ordering::Relaxed);
        self.free_gs.close();
        self.global_len.store(0, Ordering::SeqCst);
        for p in self.ps.iter() {
            left.extend(p.drain(|m| self.wait_out_window(m)));
        }
        for g in left {
            self.discard(g);
        }
    }

    /// Cancels a G that never ran and never will: its body drops its closure and reports the
    /// cancellation to its `JoinHandle`.
    pub(super) fn discard(&self, g: Arc<G>) {
        // SAFETY: the runtime has stopped and `g` is on no queue: no M runs or will run it.
        let exec = unsafe { g.exec() };
        if let g::Exec::New(start) = std::mem::replace(exec, g::Exec::Done) {
            start.run(&g, true);
            self.unregister(&g);
            self.exited.fetch_add(1, Ordering::SeqCst);
        }
    }
}
