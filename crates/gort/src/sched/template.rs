//! The template thread: the one clean thread that creates every M (semantics 2.6).
//!
//! A new OS thread inherits some state from the thread that creates it (signal mask, and with some
//! clone flags more). If a wired goroutine changed its thread's state and then caused an M to be made,
//! the new M would carry that state to unrelated goroutines. So no M is ever created by an M: `startm`
//! sends a request here, and this thread — started before any goroutine runs, and running no goroutine
//! code — spawns the thread.

use std::sync::mpsc;
use std::sync::Arc;

use super::m::{MLocal, MShared};
use super::Runtime;

pub(crate) struct NewM {
    shared: Arc<MShared>,
    p: usize,
    spinning: bool,
}

/// Starts the template thread of `rt`.
pub(crate) fn start(rt: &Arc<Runtime>) {
    let (tx, rx) = mpsc::channel::<NewM>();
    *rt.template.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx);
    let rt2 = rt.clone();
    let h = std::thread::Builder::new()
        .name("gort-template".into())
        .spawn(move || {
            for req in rx {
                spawn_m(&rt2, req);
            }
        })
        .unwrap_or_else(|e| {
            super::fatal(
                rt,
                &format!("runtime: failed to create new OS thread: {e}"),
                "newosproc",
            )
        });
    rt.sched().threads.push((None, h));
}

/// Asks for a new M to run P `p`. The caller has counted it in `Sched::mcount` already.
pub(crate) fn request_m(rt: &Arc<Runtime>, p: usize, spinning: bool) {
    let mcount = rt.sched().mcount;
    // Ms plus sysmon and the template thread, as Go counts its threads.
    if mcount + 2 > rt.config.max_threads {
        super::fatal(
            rt,
            &format!(
                "runtime: program exceeds {}-thread limit",
                rt.config.max_threads
            ),
            "thread exhaustion",
        );
    }
    let shared = MShared::new(rt.next_mid());
    rt.sched().all_ms.push(shared.clone());
    let sent = rt
        .template
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map(|tx| {
            tx.send(NewM {
                shared: shared.clone(),
                p,
                spinning,
            })
            .is_ok()
        })
        .unwrap_or(false);
    if !sent {
        // The runtime is stopping: nobody needs the M.
        let mut s = rt.sched();
        s.mcount -= 1;
        rt.forget_m(&mut s, shared.id);
        drop(s);
        if spinning {
            rt.nmspinning
                .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        }
        rt.release_p(p);
    }
}

fn spawn_m(rt: &Arc<Runtime>, req: NewM) {
    let rt2 = rt.clone();
    let shared = req.shared.clone();
    let h = std::thread::Builder::new()
        .name(format!("gort-m{}", req.shared.id))
        .spawn(move || m_thread(rt2, req))
        .unwrap_or_else(|e| {
            super::fatal(
                rt,
                &format!("runtime: failed to create new OS thread: {e}"),
                "newosproc",
            )
        });
    rt.sched().threads.push((Some(shared), h));
}

/// The body of every M thread but the main one.
fn m_thread(rt: Arc<Runtime>, req: NewM) {
    crate::stack::ensure_altstack();
    let _slack = super::wake::FineTimerSlack::set();
    let local = MLocal::new(rt.clone(), req.shared.clone());
    local.start_with(req.p, req.spinning);
    local.run_loop(None);
    let mut s = rt.sched();
    s.mcount -= 1;
    rt.forget_m(&mut s, req.shared.id);
}
