//! The deadlock check (semantics 4.3) and the goroutine dump it reports with.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::g::G;
use super::{current, park, Phase, Runtime, Sched};

impl Runtime {
    /// Semantics 4.3, under the scheduler lock: is every goroutine blocked on something only another
    /// goroutine could release? Returns the report if so.
    pub(crate) fn check_dead(&self, s: &Sched) -> Option<String> {
        if self.phase() != Phase::Running {
            return None;
        }
        let idle = s.idle_ms.len() + s.nm_wired_idle + s.nm_netpoll;
        if s.mcount > idle
            || self.in_syscall.load(Ordering::SeqCst) > 0
            || self.netpoll_waiting().is_some()
            || self.timers.armed() > 0
            || park::external_parked() > 0
            || self.live_locked(s) == 0
            || self.global_len() > 0
            || self.ps.iter().any(|p| p.len() > 0)
        {
            return None;
        }
        Some(format!(
            "fatal error: all goroutines are asleep - deadlock!\n\n{}",
            self.dump()
        ))
    }

    pub(crate) fn dump(&self) -> String {
        let mut gs: Vec<Arc<G>> = self.all_gs();
        gs.sort_by_key(|g| g.id());
        let now = self.nanos_since_start();
        let current = current::goroutine_id();
        let views: Vec<_> = gs.iter().map(|g| g.view(current == Some(g.id()))).collect();
        crate::dump::format(&views, now)
    }
}
