//! `runnext`: a P's one-G slot for the goroutine to run next, which its owner M fills and empties
//! without a locked instruction.
//!
//! In a ping-pong every hand-off puts the readied G into the readier's P's `runnext` and takes it
//! out again a moment later, on the same thread. With an atomic swap each way those two locked
//! instructions are a sizeable share of a ping-pong's round trip (commit 9e20b6e measured it). So
//! the owner — the M whose id the P's state word holds, in `Running` or `Sched` — uses plain loads and
//! stores, and the rare other parties pay instead, as with the state word itself (`fence.rs`):
//!
//! - **The owner** opens a *window* (`window = true`), then checks, with plain loads, that it
//!   still owns the P and that no thief has claimed the slot; if so it loads and stores the slot
//!   and closes the window. If it lost the P, it does nothing (the caller queues elsewhere); if a
//!   thief has claimed the slot, it uses an atomic swap, as the thief does.
//! - **A thief** (a spinning M stealing, the end of `run`) announces a claim (`claims += 1`), makes
//!   every thread pass a full barrier (`fence::heavy`), waits until no window is open, and only
//!   then swaps the slot atomically. The barrier is the Dekker argument: an owner that opened its
//!   window before it sees the claim and is waited for; one that opens it after sees the claim.
//! - **Sysmon**, taking a P from its M, waits out an open window after its own barrier
//!   (`wait_for_owner`): an M that checked "still mine" just before the P was marked `Stolen` must
//!   finish before the P gets a new owner.
//! - **Whoever holds the P exclusively** with no owner running on it (handing it off, dropping it)
//!   swaps atomically: only thieves can be about, and they swap atomically too.
//!
//! Where `membarrier` is missing (`fence::enabled` is false), every party swaps atomically.

use crate::loom::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use super::fence;
use super::g::G;
use super::p::{pack, PState};

/// The slot; `T` is a G but for the tests.
pub(crate) struct RunNext<T = G> {
    /// The G: an `Arc<G>` turned into a raw pointer (one strong count), or null.
    slot: AtomicPtr<T>,
    /// The owner is between its check and its last access of `slot` (see the module comment).
    /// Written only by the owner; read by thieves and sysmon after a barrier.
    window: AtomicBool,
    /// Thieves that want the slot: while non-zero the owner swaps atomically.
    claims: AtomicUsize,
    /// `membarrier` works here, so the owner may use plain accesses (`fence::enabled`).
    plain: bool,
}

impl<T> RunNext<T> {
    pub(crate) fn new() -> RunNext<T> {
        RunNext {
            slot: AtomicPtr::new(std::ptr::null_mut()),
            window: AtomicBool::new(false),
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
        owner: u64,
        g: Option<Arc<T>>,
    ) -> Result<Option<Arc<T>>, Option<Arc<T>>> {
        if !self.plain {
            if !owns(state, owner) {
                return Err(g);
            }
            return Ok(self.swap(g));
        }
        self.open();
        let r = if !owns(state, owner) {
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
        self.close();
        r
    }

    /// The owner's take: the G here, if any, if M `owner` owns P state word `state`.
    #[inline(always)]
    pub(crate) fn owner_take(&self, state: &AtomicU64, owner: u64) -> Option<Arc<T>> {
        if !self.is_set(Ordering::Relaxed) {
            return None;
        }
        self.owner_swap(state, owner, None).ok().flatten()
    }

    /// A thief's take: the G here, if any, whoever owns the P.
    pub(crate) fn steal(&self) -> Option<Arc<T>> {
        if !self.is_set(Ordering::Acquire) {
            return None;
        }
        if !self.plain {
            return self.swap(None);
        }
        // SeqCst: ordered before the barrier, which the owner's check comes after or is waited for.
        self.claims.fetch_add(1, Ordering::SeqCst);
        let g = if fence::heavy() {
            self.wait_for_owner();
            self.swap(None)
        } else {
            // Without the barrier the owner may be mid-window unseen: leave the G to it.
            None
        };
        self.claims.fetch_sub(1, Ordering::Release);
        g
    }

    /// Waits until the owner has closed its window, for a caller that has made every thread pass a
    /// barrier since the P stopped being the owner's (or the slot was claimed). The window holds no
    /// blocking call: it closes within a few instructions of the owner's thread running again.
    pub(crate) fn wait_for_owner(&self) {
        let mut spins = 0u32;
        // Acquire: pairs with `close`, so the owner's last store to the slot is seen.
        while self.window.load(Ordering::Acquire) {
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

    #[inline(always)]
    fn open(&self) {
        self.window.store(true, Ordering::Relaxed);
        // The loads that follow (ownership, claims) must not move above the store; the CPU's
        // store buffer is the barrier's business (`fence.rs`).
        fence::light();
    }

    #[inline(always)]
    fn close(&self) {
        fence::light();
        // Release: the window's accesses happen-before a thief's or sysmon's Acquire load of it.
        self.window.store(false, Ordering::Release);
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

    const OWNER: u64 = 7;

    /// An owner fills and empties the slot as fast as it can while a thief steals from it and a
    /// "sysmon" now and then takes the P away and gives it back: every value put in comes out
    /// exactly once, through the owner's swaps and takes, the thief, or the final drain.
    #[test]
    fn every_g_put_in_runnext_comes_out_once_despite_thieves_and_lost_ownership() {
        const N: u64 = 3_000_000;
        let state = Arc::new(AtomicU64::new(pack(OWNER, PState::Running)));
        let slot: Arc<RunNext<u64>> = Arc::new(RunNext::new());
        let stop = Arc::new(AtomicBool::new(false));
        let thief = {
            let (slot, stop) = (slot.clone(), stop.clone());
            thread::spawn(move || {
                let mut got = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    got.extend(slot.steal().map(|v| *v));
                }
                got
            })
        };
        let sysmon = {
            let (state, slot, stop) = (state.clone(), slot.clone(), stop.clone());
            thread::spawn(move || {
                let mut got = Vec::new();
                let mine = pack(OWNER, PState::Running);
                while !stop.load(Ordering::Relaxed) {
                    let stolen = pack(OWNER, PState::Stolen);
                    state.store(stolen, Ordering::SeqCst);
                    assert!(fence::heavy());
                    slot.wait_for_owner();
                    // Ours now, as for `handoff_p`: an exclusive holder swaps.
                    got.extend(slot.swap(None).map(|v| *v));
                    state.store(mine, Ordering::SeqCst);
                    thread::yield_now();
                }
                got
            })
        };
        let mut got = Vec::new();
        let mut lost = 0u64;
        for i in 0..N {
            match slot.owner_swap(&state, OWNER, Some(Arc::new(i))) {
                Ok(old) => got.extend(old.map(|v| *v)),
                Err(back) => {
                    lost += 1;
                    got.extend(back.map(|v| *v));
                }
            }
            if i % 3 == 0 {
                got.extend(slot.owner_take(&state, OWNER).map(|v| *v));
            }
        }
        stop.store(true, Ordering::Relaxed);
        got.extend(thief.join().unwrap());
        got.extend(sysmon.join().unwrap());
        got.extend(slot.swap(None).map(|v| *v));
        got.sort_unstable();
        assert_eq!(
            got.len() as u64,
            N,
            "values lost or duplicated ({lost} swaps found the P gone)"
        );
        assert!(got.iter().copied().eq(0..N), "each value exactly once");
    }

    #[test]
    fn an_owner_that_lost_its_p_gets_its_g_back() {
        let state = AtomicU64::new(pack(OWNER + 1, PState::Running));
        let slot: RunNext<u64> = RunNext::new();
        let back = slot.owner_swap(&state, OWNER, Some(Arc::new(5)));
        assert_eq!(back.map_err(|g| g.map(|v| *v)), Err(Some(5)));
        assert!(!slot.is_set(Ordering::SeqCst));
        assert_eq!(slot.owner_take(&state, OWNER), None);
    }
}

#[cfg(all(test, loom))]
mod model {
    use super::*;
    use loom::sync::Arc as LoomArc;
    use loom::thread;

    const OWNER: u64 = 7;

    /// The owner fills the slot and takes it back with plain accesses inside its window while a
    /// thief claims the slot, fences and swaps: each G put in comes out exactly once, to the
    /// owner or to the thief (or stays for the final drain), whichever way they interleave.
    #[test]
    fn a_g_in_runnext_comes_out_once_despite_a_thief() {
        loom::model(|| {
            let rn: LoomArc<RunNext<u32>> = LoomArc::new(RunNext::new());
            let state = LoomArc::new(AtomicU64::new(pack(OWNER, PState::Running)));
            let thief = {
                let rn = rn.clone();
                thread::spawn(move || rn.steal().map(|g| *g))
            };
            let mut out = Vec::new();
            let put = rn.owner_swap(&state, OWNER, Some(Arc::new(1)));
            assert!(matches!(put, Ok(None)), "the slot was empty and the P ours");
            if let Some(g) = rn.owner_take(&state, OWNER) {
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
}
