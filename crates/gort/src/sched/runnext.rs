//! `runnext`: a P's one-G slot for the goroutine to run next, which its owner M fills and empties
//! without a locked instruction.
//!
//! In a ping-pong every hand-off puts the readied G into the readier's P's `runnext` and takes it
//! out again a moment later, on the same thread. With an atomic swap each way those two locked
//! instructions are a sizeable share of a ping-pong's round trip (commit 9e20b6e measured it). So
//! the owner — the M whose id the P's state word holds, in `Running` or `Sched` — uses plain loads and
//! stores, and the rare other parties pay instead, as with the state word itself (`fence.rs`):
//!
//! - **The owner** opens its *window* (its M's [`Window`]), then checks, with plain loads, that it
//!   still owns the P and that no thief has claimed the slot; if so it loads and stores the slot
//!   and closes the window. If it lost the P, it does nothing (the caller queues elsewhere); if a
//!   thief has claimed the slot, it uses an atomic swap, as the thief does.
//! - **A thief** (a spinning M stealing, the end of `run`) announces a claim (`claims += 1`), makes
//!   every thread pass a full barrier (`fence::heavy`), reads which M owns the P now, waits until
//!   that M's window is closed, and only then swaps the slot atomically. The barrier is the Dekker
//!   argument: an owner that opened its window before it sees the claim and is waited for; one
//!   that opens it after sees the claim.
//! - **Sysmon**, taking a P from its M, waits out that M's window after its own barrier: an M that
//!   checked "still mine" just before the P was marked `Stolen` must finish before the P gets a new
//!   owner.
//! - **Whoever holds the P exclusively** with no owner running on it (handing it off, dropping it)
//!   swaps atomically: only thieves can be about, and they swap atomically too.
//!
//! **A window belongs to an M, not to a P.** An M that lost its P to sysmon does not know it until
//! its next check, and at its next switch it still calls the owner's methods on that P: they open
//! and close *its* window and fail. Were the window a flag of the P, that close could clear the
//! flag while the P's new owner was inside its own window, and a thief or sysmon would then swap
//! the slot under the owner's plain accesses: the same G taken twice, run on two Ms at once (issue
//! 16's crash; `model::a_former_owner_never_hides_the_owners_window_from_a_thief` finds it in
//! that design). A former owner's window needs no waiting out: once a barrier has followed the
//! change of the state word, its check fails before it touches the slot; and one that checked
//! before that barrier is the M that whoever took the P waited out.
//!
//! Where `membarrier` is missing (`fence::enabled` is false), every party swaps atomically.

use crate::loom::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use crossbeam_utils::CachePadded;
use std::sync::Arc;

use super::fence;
use super::g::G;
use super::p::{owner_of, pack, PState};

/// An M's window: open while the M is between its check that it owns a P and its last access of
/// that P's `runnext` (see the module comment). Written only by its M; read by thieves and sysmon
/// after a barrier. Its own cache line: the M writes it at every switch.
pub(crate) struct Window(CachePadded<AtomicBool>);

impl Window {
    pub(crate) fn new() -> Window {
        Window(CachePadded::new(AtomicBool::new(false)))
    }

    #[inline(always)]
    fn open(&self) {
        self.0.store(true, Ordering::Relaxed);
        // The loads that follow (ownership, claims) must not move above the store; the CPU's
        // store buffer is the barrier's business (`fence.rs`).
        fence::light();
    }

    #[inline(always)]
    fn close(&self) {
        fence::light();
        // Release: the window's accesses happen-before a thief's or sysmon's Acquire load of it.
        self.0.store(false, Ordering::Release);
    }

    /// Waits until the window is closed, for a caller that has made every thread pass a barrier
    /// since the P stopped being this M's (or since it claimed the slot). The window holds no
    /// blocking call: it closes within a few instructions of the M's thread running again.
    pub(crate) fn wait_closed(&self) {
        let mut spins = 0u32;
        // Acquire: pairs with `close`, so the M's last store to the slot is seen.
        while self.0.load(Ordering::Acquire) {
            spins += 1;
            if cfg!(loom) {
                #[cfg(loom)]
                loom::thread::yield_now();
            } else if spins < 100 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}

/// The M calling an owner's method: its id, as the P's state word holds it, and its window.
#[derive(Clone, Copy)]
pub(crate) struct Owner<'a> {
    pub(crate) id: u64,
    pub(crate) window: &'a Window,
}

/// The slot; `T` is a G but for the tests.
pub(crate) struct RunNext<T = G> {
    /// The G: an `Arc<G>` turned into a raw pointer (one strong count), or null.
    slot: AtomicPtr<T>,
    /// Thieves that want the slot: while non-zero the owner swaps atomically.
    claims: AtomicUsize,
    /// `membarrier` works here, so the owner may use plain accesses (`fence::enabled`).
    plain: bool,
}

impl<T> RunNext<T> {
    pub(crate) fn new() -> RunNext<T> {
        RunNext {
            slot: AtomicPtr::new(std::ptr::null_mut()),
            claims: AtomicUsize::new(0),
            plain: fence::enabled(),
        }
    }

    /// Whether a G waits here (a hint, except for the owner).
    pub(crate) fn is_set(&self, order: Ordering) -> bool {
        !self.slot.load(order).is_null()
    }

    /// Puts `g` (or nothing) here and returns the previous occupant, for a caller that may race only
    /// with thieves (see the module comment). SeqCst, as it was when every access was a swap: it
    /// carries the G (Release/Acquire) and orders with the `npidle` checks of `Runtime::release_p`.
    pub(crate) fn swap(&self, g: Option<Arc<T>>) -> Option<Arc<T>> {
        let new = into_ptr(g);
        // SAFETY: the swap took the previous pointer out, so we own its count.
        unsafe { from_ptr(self.slot.swap(new, Ordering::SeqCst)) }
    }

    /// The owner's swap: puts `g` (or nothing) here and returns the previous occupant, if M
    /// `owner` owns P state word `state`; otherwise gives `g` back as `Err`.
    #[inline(always)]
    pub(crate) fn owner_swap(
        &self,
        state: &AtomicU64,
        owner: Owner<'_>,
        g: Option<Arc<T>>,
    ) -> Result<Option<Arc<T>>, Option<Arc<T>>> {
        if !self.plain {
            if !owns(state, owner.id) {
                return Err(g);
            }
            return Ok(self.swap(g));
        }
        owner.window.open();
        let r = if !owns(state, owner.id) {
            Err(g)
        } else if self.claims.load(Ordering::Acquire) != 0 {
            Ok(self.swap(g))
        } else {
            let old = self.slot.load(Ordering::Relaxed);
            // Release: a thief that acquires the slot after our window sees the G's state.
            self.slot.store(into_ptr(g), Ordering::Release);
            // SAFETY: inside our window, with no claim, nobody else touches the slot: its count
            // is now ours.
            Ok(unsafe { from_ptr(old) })
        };
        owner.window.close();
        r
    }

    /// The owner's take: the G here, if any, if M `owner` owns P state word `state`.
    #[inline(always)]
    pub(crate) fn owner_take(&self, state: &AtomicU64, owner: Owner<'_>) -> Option<Arc<T>> {
        if !self.is_set(Ordering::Relaxed) {
            return None;
        }
        self.owner_swap(state, owner, None).ok().flatten()
    }

    /// A thief's take: the G here, if any, whoever owns the P (state word `state`).
    /// `wait_out(m)` waits until M `m`'s window is closed.
    pub(crate) fn steal(&self, state: &AtomicU64, wait_out: impl FnOnce(u64)) -> Option<Arc<T>> {
        if !self.is_set(Ordering::Acquire) {
            return None;
        }
        if !self.plain {
            return self.swap(None);
        }
        // SeqCst: ordered before the barrier, which the owner's check comes after or is waited for.
        self.claims.fetch_add(1, Ordering::SeqCst);
        let g = if fence::heavy() {
            // Past the barrier, the owner that may have checked before our claim is the one the
            // word names now: a former one was waited out by whoever took the P from it (sysmon),
            // or gave it up between goroutines, outside any window.
            let owner = owner_of(state.load(Ordering::SeqCst));
            if owner != 0 {
                wait_out(owner);
            }
            self.swap(None)
        } else {
            // Without the barrier the owner may be mid-window unseen: leave the G to it.
            None
        };
        self.claims.fetch_sub(1, Ordering::Release);
        g
    }
}

impl<T> Drop for RunNext<T> {
    fn drop(&mut self) {
        drop(self.swap(None));
    }
}

/// Whether M `owner` owns P state word `state` (`Running` or `Sched`).
#[inline(always)]
fn owns(state: &AtomicU64, owner: u64) -> bool {
    // Relaxed: inside a window (see the module comment); the word only ever leaves these values
    // by sysmon's CAS, which the barrier orders with this load.
    let st = state.load(Ordering::Relaxed);
    st == pack(owner, PState::Running) || st == pack(owner, PState::Sched)
}

fn into_ptr<T>(g: Option<Arc<T>>) -> *mut T {
    g.map_or(std::ptr::null_mut(), |g| Arc::into_raw(g).cast_mut())
}

/// # Safety
/// `p` is null or came from `into_ptr` and carries a count nobody else will claim.
unsafe fn from_ptr<T>(p: *mut T) -> Option<Arc<T>> {
    // SAFETY: as the function's contract says.
    (!p.is_null()).then(|| unsafe { Arc::from_raw(p) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::thread;

    pub(super) const OWNER: u64 = 7;
    pub(super) const FORMER: u64 = 8;

    /// The windows of the two Ms of these tests (and of the loom models), and a thief's way to
    /// wait one out.
    pub(super) struct Ms {
        owner: Window,
        former: Window,
    }

    impl Ms {
        pub(super) fn new() -> Ms {
            Ms {
                owner: Window::new(),
                former: Window::new(),
            }
        }

        pub(super) fn owner(&self) -> Owner<'_> {
            Owner {
                id: OWNER,
                window: &self.owner,
            }
        }

        pub(super) fn former(&self) -> Owner<'_> {
            Owner {
                id: FORMER,
                window: &self.former,
            }
        }

        pub(super) fn wait_out(&self, m: u64) {
            match m {
                OWNER => self.owner.wait_closed(),
                FORMER => self.former.wait_closed(),
                _ => {}
            }
        }
    }

    /// A P's state word (owned by `OWNER`), its slot, the two Ms, and when the threads stop.
    struct Shared {
        state: AtomicU64,
        slot: RunNext<u64>,
        ms: Ms,
        stop: AtomicBool,
    }

    /// `Shared`, a thief stealing from the slot until `stop` (its loot comes back from its join),
    /// and one more thread that plays against the owner.
    struct Stress<R> {
        sh: Arc<Shared>,
        thief: thread::JoinHandle<Vec<u64>>,
        other: thread::JoinHandle<R>,
    }

    impl<R: Send + 'static> Stress<R> {
        fn start(other: impl FnOnce(&Shared) -> R + Send + 'static) -> Stress<R> {
            let sh = Arc::new(Shared {
                state: AtomicU64::new(pack(OWNER, PState::Running)),
                slot: RunNext::new(),
                ms: Ms::new(),
                stop: AtomicBool::new(false),
            });
            let thief = {
                let sh = sh.clone();
                thread::spawn(move || {
                    let mut got = Vec::new();
                    while !sh.stop.load(Ordering::Relaxed) {
                        got.extend(sh.slot.steal(&sh.state, |m| sh.ms.wait_out(m)).map(|v| *v));
                    }
                    got
                })
            };
            let other = {
                let sh = sh.clone();
                thread::spawn(move || other(&sh))
            };
            Stress { sh, thief, other }
        }

        /// Stops the threads: `got` (the owner's values) with the thief's and what is left in the
        /// slot, sorted, and what the other thread returned.
        fn finish(self, mut got: Vec<u64>) -> (Vec<u64>, R) {
            self.sh.stop.store(true, Ordering::Relaxed);
            got.extend(self.thief.join().unwrap());
            let r = self.other.join().unwrap();
            got.extend(self.sh.slot.swap(None).map(|v| *v));
            got.sort_unstable();
            (got, r)
        }
    }

    /// An owner fills and empties the slot as fast as it can while a thief steals from it and a
    /// "sysmon" now and then takes the P away and gives it back: every value put in comes out
    /// exactly once, through the owner's swaps and takes, the thief, or the final drain.
    #[test]
    fn every_g_put_in_runnext_comes_out_once_despite_thieves_and_lost_ownership() {
        const N: u64 = 3_000_000;
        let stress = Stress::start(|sh| {
            let mut got = Vec::new();
            let mine = pack(OWNER, PState::Running);
            while !sh.stop.load(Ordering::Relaxed) {
                let stolen = pack(OWNER, PState::Stolen);
                sh.state.store(stolen, Ordering::SeqCst);
                assert!(fence::heavy());
                sh.ms.wait_out(OWNER);
                // Ours now, as for `handoff_p`: an exclusive holder swaps.
                got.extend(sh.slot.swap(None).map(|v| *v));
                sh.state.store(mine, Ordering::SeqCst);
                thread::yield_now();
            }
            got
        });
        let sh = stress.sh.clone();
        let mut got = Vec::new();
        let mut lost = 0u64;
        for i in 0..N {
            match sh
                .slot
                .owner_swap(&sh.state, sh.ms.owner(), Some(Arc::new(i)))
            {
                Ok(old) => got.extend(old.map(|v| *v)),
                Err(back) => {
                    lost += 1;
                    got.extend(back.map(|v| *v));
                }
            }
            if i % 3 == 0 {
                got.extend(sh.slot.owner_take(&sh.state, sh.ms.owner()).map(|v| *v));
            }
        }
        let (mut got, sysmon_got) = stress.finish(got);
        got.extend(sysmon_got);
        got.sort_unstable();
        assert_eq!(
            got.len() as u64,
            N,
            "values lost or duplicated ({lost} swaps found the P gone)"
        );
        assert!(got.iter().copied().eq(0..N), "each value exactly once");
    }

    /// An M that lost the P without knowing yet (sysmon took it while the M ran a G) still calls
    /// the owner's methods on it at its next switch: they fail, and the real owner's window stays
    /// as it is: every value put in still comes out exactly once. (The thief's double take this
    /// guards against needs the owner preempted between two instructions, so this test rarely
    /// caught it; the loom model of the same name does.)
    #[test]
    fn a_former_owner_never_hides_the_owners_window_from_a_thief() {
        const N: u64 = 3_000_000;
        let stress = Stress::start(|sh| {
            let mut tries = 0u64;
            while !sh.stop.load(Ordering::Relaxed) {
                let r = sh
                    .slot
                    .owner_swap(&sh.state, sh.ms.former(), Some(Arc::new(u64::MAX)));
                assert_eq!(r.map_err(|g| g.map(|v| *v)), Err(Some(u64::MAX)));
                tries += 1;
            }
            tries
        });
        let sh = stress.sh.clone();
        let mut got = Vec::new();
        for i in 0..N {
            if let Ok(old) = sh
                .slot
                .owner_swap(&sh.state, sh.ms.owner(), Some(Arc::new(i)))
            {
                got.extend(old.map(|v| *v));
            }
            got.extend(sh.slot.owner_take(&sh.state, sh.ms.owner()).map(|v| *v));
        }
        let (mut got, tries) = stress.finish(got);
        let n = got.len();
        got.dedup();
        assert_eq!(
            n,
            got.len(),
            "a value came out twice ({tries} tries by the former owner)"
        );
        assert_eq!(n as u64, N, "values lost");
    }

    #[test]
    fn an_owner_that_lost_its_p_gets_its_g_back() {
        let state = AtomicU64::new(pack(FORMER, PState::Running));
        let slot: RunNext<u64> = RunNext::new();
        let ms = Arc::new(Ms::new());
        let back = slot.owner_swap(&state, ms.owner(), Some(Arc::new(5)));
        assert_eq!(back.map_err(|g| g.map(|v| *v)), Err(Some(5)));
        assert!(!slot.is_set(Ordering::SeqCst));
        assert_eq!(slot.owner_take(&state, ms.owner()), None);
    }
}

#[cfg(all(test, loom))]
mod model {
    use super::tests::{Ms, OWNER};
    use super::*;
    use loom::sync::Arc as LoomArc;
    use loom::thread;

    /// The owner fills the slot and takes it back with plain accesses inside its window while a
    /// thief claims the slot, fences and swaps: each G put in comes out exactly once, to the
    /// owner or to the thief (or stays for the final drain), whichever way they interleave.
    #[test]
    fn a_g_in_runnext_comes_out_once_despite_a_thief() {
        loom::model(|| {
            let rn: LoomArc<RunNext<u32>> = LoomArc::new(RunNext::new());
            let state = LoomArc::new(AtomicU64::new(pack(OWNER, PState::Running)));
            let ms = LoomArc::new(Ms::new());
            let thief = {
                let (rn, state, ms) = (rn.clone(), state.clone(), ms.clone());
                thread::spawn(move || rn.steal(&state, |m| ms.wait_out(m)).map(|g| *g))
            };
            let mut out = Vec::new();
            let put = rn.owner_swap(&state, ms.owner(), Some(Arc::new(1)));
            assert!(matches!(put, Ok(None)), "the slot was empty and the P ours");
            if let Some(g) = rn.owner_take(&state, ms.owner()) {
                out.push(*g);
            }
            if let Some(g) = thief.join().unwrap() {
                out.push(g);
            }
            if let Some(g) = rn.swap(None) {
                out.push(*g);
            }
            assert_eq!(out, vec![1], "the G came out {} times", out.len());
        });
    }

    /// An M that lost the P without knowing yet (sysmon took it, another M owns it now) calls the
    /// owner's take at its next switch while the real owner takes from the slot and a thief
    /// steals: the former owner gets nothing and the G comes out exactly once. (With the window a
    /// flag of the P, as it first was, the former owner's close cleared the owner's open window,
    /// the thief swapped under the owner's plain load and store, and both had the G.)
    #[test]
    fn a_former_owner_never_hides_the_owners_window_from_a_thief() {
        loom::model(|| {
            let rn: LoomArc<RunNext<u32>> = LoomArc::new(RunNext::new());
            let state = LoomArc::new(AtomicU64::new(pack(OWNER, PState::Running)));
            let ms = LoomArc::new(Ms::new());
            let put = rn.owner_swap(&state, ms.owner(), Some(Arc::new(1)));
            assert!(matches!(put, Ok(None)), "the slot was empty and the P ours");
            let thief = {
                let (rn, state, ms) = (rn.clone(), state.clone(), ms.clone());
                thread::spawn(move || rn.steal(&state, |m| ms.wait_out(m)).map(|g| *g))
            };
            let former = {
                let (rn, state, ms) = (rn.clone(), state.clone(), ms.clone());
                thread::spawn(move || rn.owner_take(&state, ms.former()).map(|g| *g))
            };
            let mut out = Vec::new();
            if let Some(g) = rn.owner_take(&state, ms.owner()) {
                out.push(*g);
            }
            out.extend(thief.join().unwrap());
            out.extend(former.join().unwrap());
            if let Some(g) = rn.swap(None) {
                out.push(*g);
            }
            assert_eq!(out, vec![1], "the G came out {} times", out.len());
        });
    }
}
