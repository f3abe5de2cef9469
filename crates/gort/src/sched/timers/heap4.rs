//! A P's timer heap: a 4-ary min-heap of deadlines.

use super::*;

pub(super) struct PEntry {
    /// Deadline, nanoseconds since `Timers::epoch`.
    pub(super) when: u64,
    /// The timer's number (see `Timers`).
    pub(super) seq: u64,
    pub(super) job: Job,
}

impl PEntry {
    pub(super) fn before(&self, other: &PEntry) -> bool {
        (self.when, self.seq) < (other.when, other.seq)
    }
}

/// A 4-ary min-heap (Go's choice too: shallower than a binary heap, and the four children of a node
/// share a cache line or two).
#[derive(Default)]
pub(super) struct Heap4 {
    pub(super) v: Vec<PEntry>,
}

impl Heap4 {
    pub(super) fn earliest(&self) -> u64 {
        self.v.first().map_or(NONE, |e| e.when)
    }

    pub(super) fn push(&mut self, e: PEntry) {
        self.v.push(e);
        let mut i = self.v.len() - 1;
        while i > 0 {
            let parent = (i - 1) / 4;
            if !self.v[i].before(&self.v[parent]) {
                break;
            }
            self.v.swap(i, parent);
            i = parent;
        }
    }

    pub(super) fn pop(&mut self) -> Option<PEntry> {
        let last = self.v.pop()?;
        if self.v.is_empty() {
            return Some(last);
        }
        let top = std::mem::replace(&mut self.v[0], last);
        self.sift_down(0);
        Some(top)
    }

    pub(super) fn sift_down(&mut self, mut i: usize) {
        let n = self.v.len();
        loop {
            let first = 4 * i + 1;
            if first >= n {
                return;
            }
            let mut best = first;
            for c in first + 1..(first + 4).min(n) {
                if self.v[c].before(&self.v[best]) {
                    best = c;
                }
            }
            if !self.v[best].before(&self.v[i]) {
                return;
            }
            self.v.swap(i, best);
            i = best;
        }
    }

    /// Drops the cancelled entries and restores the heap order. Returns how many were dropped.
    pub(super) fn purge(&mut self) -> usize {
        let before = self.v.len();
        self.v.retain(|e| e.job.live(e.seq));
        if self.v.len() > 1 {
            for i in (0..=(self.v.len() - 2) / 4).rev() {
                self.sift_down(i);
            }
        }
        before - self.v.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sched::timers::Job;

    fn entry(when: u64, seq: u64) -> PEntry {
        let slot = Arc::new(Slot {
            callback: Mutex::new(Some(Box::new(|| {}))),
        });
        PEntry {
            when,
            seq,
            job: Job::Call(slot),
        }
    }

    #[test]
    fn heap4_pops_in_deadline_then_arming_order() {
        let mut h = Heap4::default();
        let mut x = 12345u64;
        let mut want = Vec::new();
        for seq in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let when = (x >> 33) % 500; // many equal deadlines
            h.push(entry(when, seq));
            want.push((when, seq));
        }
        want.sort();
        let mut got = Vec::new();
        while let Some(e) = h.pop() {
            got.push((e.when, e.seq));
        }
        assert_eq!(got, want);
        assert_eq!(h.earliest(), NONE);
    }

    #[test]
    fn purge_drops_cancelled_entries_and_keeps_the_order() {
        let mut h = Heap4::default();
        let mut slots = Vec::new();
        for seq in 0..300u64 {
            let e = entry((seq * 7919) % 1000, seq);
            if let Job::Call(s) = &e.job {
                slots.push(s.clone());
            }
            h.push(e);
        }
        for s in slots.iter().step_by(3) {
            s.lock().take();
        }
        assert_eq!(h.purge(), 100);
        let mut last = (0, 0);
        let mut n = 0;
        while let Some(e) = h.pop() {
            assert!(e.job.live(e.seq));
            assert!((e.when, e.seq) >= last);
            last = (e.when, e.seq);
            n += 1;
        }
        assert_eq!(n, 200);
    }
}
