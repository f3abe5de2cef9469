//! Stealing: a spinning M takes half of another P's queue (semantics 1.4), under a rule that leaves
//! a running P's freshly readied goroutines to it for a moment ([`steal_rule`]).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::g::G;
use super::m::MLocal;
use super::p::{is_state, PState};

impl MLocal {
    /// Steals from another P. Only a spinning M steals, and at most half as many Ms spin as Ps are busy
    /// (1.4).
    pub(super) fn steal(&self, pi: usize) -> Option<Arc<G>> {
        let rt = &self.rt;
        let n = rt.ps.len();
        if n == 1 {
            return None;
        }
        if !self.spinning.get() {
            let busy = n - rt.npidle.load(Ordering::SeqCst);
            if 2 * rt.nmspinning.load(Ordering::SeqCst) >= busy {
                return None;
            }
            self.spinning.set(true);
            rt.nmspinning.fetch_add(1, Ordering::SeqCst);
        }
        for round in 0..4 {
            let start = self.next_rand() as usize % n;
            for k in 0..n {
                let vi = (start + k) % n;
                if vi == pi {
                    continue;
                }
                let victim = &rt.ps[vi];
                let st = victim.state.load(Ordering::Relaxed);
                let busy = is_state(st, PState::Running) || is_state(st, PState::Sched);
                // While goroutines are wired, a queued G may wait on a P whose M holds it for its
                // wired G and will not run it (`spin_holding_p`): take short queues at once then.
                let short = if rt.wired_gs.load(Ordering::Relaxed) > 0 {
                    0
                } else {
                    SHORT_QUEUE
                };
                let with_next = match steal_rule(
                    busy,
                    short,
                    victim.fifo_len(),
                    victim.has_next(Ordering::Relaxed),
                    round == 3,
                    || watch(victim),
                ) {
                    Take::Nothing => continue,
                    Take::Fifo => false,
                    Take::FifoOrNext => true,
                };
                let mut batch = victim.steal(with_next, |m| rt.wait_out_window(m));
                if batch.is_empty() {
                    continue;
                }
                let first = batch.remove(0);
                let rest = rt.ps[pi].push_batch(batch);
                if !rest.is_empty() {
                    rt.push_global(rest);
                }
                return Some(first);
            }
        }
        None
    }
}

/// A running P's FIFO this short is left to its own M by thieves until the P stalls (`steal_rule`).
const SHORT_QUEUE: usize = 2;

/// What a spinning M may take from a P it looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Take {
    Nothing,
    /// Half its FIFO.
    Fifo,
    /// Half its FIFO, or its `runnext` if the FIFO is empty.
    FifoOrNext,
}

/// The stealing rule for one look at a victim P: `busy` if its M runs a G (or is between two),
/// `short` the longest FIFO that counts as short (below), `fifo` and `has_next` what it has
/// queued, `last_round` on the last of the thief's four rounds, and `watch` a look at what the P
/// does during a short pause (asked only on the last round, since it costs that pause).
///
/// - A P that is not busy (idle, in a syscall, taken by sysmon) gives everything.
/// - A busy P's FIFO beyond `short` Gs ([`SHORT_QUEUE`]) is a backlog (a fan-out): half of it goes
///   at once. While goroutines are wired `short` is 0 and every look takes from the FIFO, as Go
///   does: a wired G's M holds its P for it and runs nothing else, so short queues left to it
///   only wait (the one-side-wired ping-pong was slower with them: commit 3428bc1).
/// - A busy P will most likely run its `runnext` in a moment (its running G readied it): that is
///   taken only if the P starts no goroutine during the pause, as Go does.
/// - A busy P's FIFO of one or two Gs (up to `short`) is taken only if the P takes nothing from it
///   during the pause. Such Gs are, as a rule, goroutines the running G readied a moment ago (a
///   consumer that took values from several parked senders readies each, and each pushes the
///   previous one out of `runnext`); they run on this P as soon as the running G blocks. Stolen,
///   each exchange with them crosses cores: four producers feeding one `select!` consumer were
///   stolen from about every other value, and the rule made that workload markedly faster on 2 and
///   on 16 cores (commit 792fdd5; `bench/cores16/steal-rule-final-ab.txt`). The FIFO is what is
///   watched, not the P's switches: a first version that watched switches kept a goroutine queued
///   behind a pair taking turns through `runnext` from an idle P for up to a whole time slice
///   (commit 7287591 has the latencies).
fn steal_rule(
    busy: bool,
    short: usize,
    fifo: usize,
    has_next: bool,
    last_round: bool,
    watch: impl FnOnce() -> Watched,
) -> Take {
    if !busy {
        return Take::FifoOrNext;
    }
    if short == 0 {
        // No short queues: every look takes from the FIFO, as Go does, and `runnext` too on the
        // last round once the P starts nothing.
        if last_round && (fifo > 0 || has_next) && watch().started_nothing {
            return Take::FifoOrNext;
        }
        return Take::Fifo;
    }
    if fifo > short {
        return Take::Fifo;
    }
    if (fifo == 0 && !has_next) || !last_round {
        return Take::Nothing;
    }
    let seen = watch();
    let take = if fifo > 0 {
        seen.fifo_untouched
    } else {
        seen.started_nothing
    };
    if take {
        Take::FifoOrNext
    } else {
        Take::Nothing
    }
}

/// What a thief saw a busy P do during a short pause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Watched {
    /// No G started running on it.
    started_nothing: bool,
    /// No G left its FIFO.
    fifo_untouched: bool,
}

/// How long a thief watches a busy P before it takes what the P left alone ([`watch`]).
const WATCH: Duration = Duration::from_micros(4);

/// Watches `p` for [`WATCH`]. A clock, not a count of `pause` instructions, whose length differs
/// several-fold between CPUs: a count tuned on one host watched a fraction as long on another,
/// and thieves there took a running P's short FIFO far more often.
fn watch(p: &super::p::P) -> Watched {
    let tick = p.schedtick.load(Ordering::Relaxed);
    let taken = p.fifo_taken.load(Ordering::Relaxed);
    let start = Instant::now();
    while start.elapsed() < WATCH {
        for _ in 0..16 {
            std::hint::spin_loop();
        }
    }
    Watched {
        started_nothing: p.schedtick.load(Ordering::Relaxed) == tick,
        fifo_untouched: p.fifo_taken.load(Ordering::Relaxed) == taken,
    }
}

#[cfg(test)]
mod tests {
    use super::{steal_rule, Take, Watched, SHORT_QUEUE};

    /// A look that must not be taken (it costs a pause).
    fn never_watched() -> Watched {
        panic!("the victim was watched before the last round, or for nothing")
    }

    /// The rule for a P whose M runs a G, with the usual short-queue bound.
    fn busy(
        fifo: usize,
        has_next: bool,
        last_round: bool,
        watch: impl FnOnce() -> Watched,
    ) -> Take {
        steal_rule(true, SHORT_QUEUE, fifo, has_next, last_round, watch)
    }

    fn saw(started_nothing: bool, fifo_untouched: bool) -> impl FnOnce() -> Watched {
        move || Watched {
            started_nothing,
            fifo_untouched,
        }
    }

    #[test]
    fn a_p_that_runs_nothing_gives_everything() {
        for last_round in [false, true] {
            assert_eq!(
                steal_rule(false, SHORT_QUEUE, 0, true, last_round, never_watched),
                Take::FifoOrNext
            );
            assert_eq!(
                steal_rule(false, SHORT_QUEUE, 1, false, last_round, never_watched),
                Take::FifoOrNext
            );
        }
    }

    #[test]
    fn a_running_ps_backlog_goes_at_once() {
        for last_round in [false, true] {
            assert_eq!(
                busy(SHORT_QUEUE + 1, true, last_round, never_watched),
                Take::Fifo
            );
            assert_eq!(busy(200, false, last_round, never_watched), Take::Fifo);
        }
    }

    #[test]
    fn a_running_ps_few_readied_goroutines_stay_while_it_drains_them() {
        for fifo in 1..=SHORT_QUEUE {
            assert_eq!(busy(fifo, true, false, never_watched), Take::Nothing);
            assert_eq!(busy(fifo, false, true, saw(true, false)), Take::Nothing);
            assert_eq!(busy(fifo, false, true, saw(false, false)), Take::Nothing);
        }
    }

    #[test]
    fn a_goroutine_queued_behind_a_pair_taking_turns_is_taken() {
        // The pair switches all the time (something started), but nothing leaves the FIFO.
        for fifo in 1..=SHORT_QUEUE {
            assert_eq!(busy(fifo, true, true, saw(false, true)), Take::FifoOrNext);
            assert_eq!(busy(fifo, false, true, saw(true, true)), Take::FifoOrNext);
        }
    }

    #[test]
    fn a_running_ps_runnext_goes_only_once_it_starts_nothing() {
        assert_eq!(busy(0, true, false, never_watched), Take::Nothing);
        assert_eq!(busy(0, true, true, saw(false, true)), Take::Nothing);
        assert_eq!(busy(0, true, true, saw(true, true)), Take::FifoOrNext);
    }

    #[test]
    fn while_goroutines_are_wired_any_queue_of_a_running_p_goes_at_once() {
        for fifo in 1..=SHORT_QUEUE {
            assert_eq!(
                steal_rule(true, 0, fifo, true, false, never_watched),
                Take::Fifo
            );
        }
        assert_eq!(
            steal_rule(true, 0, 0, true, true, saw(false, true)),
            Take::Fifo
        );
        assert_eq!(
            steal_rule(true, 0, 0, true, true, saw(true, true)),
            Take::FifoOrNext
        );
    }

    #[test]
    fn a_running_p_with_nothing_queued_is_not_watched() {
        assert_eq!(busy(0, false, true, never_watched), Take::Nothing);
    }
}
