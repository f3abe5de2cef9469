//! Ports of Go's channel tests whose body is the same on plain threads and on goroutines: each test
//! file calls them in its setting (outside a runtime, or inside `gort::run` at max_procs 1 and 2).

use std::sync::Arc;

use gort::{select, Chan};

/// A concurrent task: a goroutine inside a runtime, a plain OS thread outside one.
pub enum Task {
    Goroutine(gort::JoinHandle<()>),
    Thread(std::thread::JoinHandle<()>),
}

impl Task {
    pub fn join(self) {
        match self {
            Task::Goroutine(h) => h.join().unwrap(),
            Task::Thread(h) => h.join().unwrap(),
        }
    }
}

/// Starts `f` as a goroutine if the caller runs on a gort runtime, else on a new OS thread.
pub fn go_here(f: impl FnOnce() + Send + 'static) -> Task {
    match gort::Handle::try_current() {
        Some(h) => Task::Goroutine(h.spawn(f)),
        None => Task::Thread(std::thread::spawn(f)),
    }
}

/// Go's TestSelectStress: plain sends and receives and two selects (one sending, one receiving) on
/// 4 channels of capacities 0, 0, 2, 3 interleave without deadlock or loss, `n` values per channel.
pub fn select_stress(n: usize) {
    let c: [Chan<i32>; 4] = [Chan::new(0), Chan::new(0), Chan::new(2), Chan::new(3)];
    let mut hs = Vec::new();
    for ch in &c {
        let ck = ch.clone();
        hs.push(go_here(move || (0..n).for_each(|_| ck.send(0).unwrap())));
        let ck = ch.clone();
        hs.push(go_here(move || {
            (0..n).for_each(|_| assert!(ck.recv().is_some()))
        }));
    }
    // A case is disabled by swapping in a channel nobody else uses (Go sets it to nil).
    let mut cs = c.clone();
    hs.push(go_here(move || {
        let mut cnt = [0; 4];
        for _ in 0..4 * n {
            let k = select! {
                send(cs[3], 0) -> _ => 3,
                send(cs[2], 0) -> _ => 2,
                send(cs[0], 0) -> _ => 0,
                send(cs[1], 0) -> _ => 1,
            };
            cnt[k] += 1;
            if cnt[k] == n {
                cs[k] = Chan::new(0);
            }
        }
    }));
    let mut cs = c;
    hs.push(go_here(move || {
        let mut cnt = [0; 4];
        for _ in 0..4 * n {
            let k = select! {
                recv(cs[0]) -> _ => 0,
                recv(cs[1]) -> _ => 1,
                recv(cs[2]) -> _ => 2,
                recv(cs[3]) -> _ => 3,
            };
            cnt[k] += 1;
            if cnt[k] == n {
                cs[k] = Chan::new(0);
            }
        }
    }));
    hs.into_iter().for_each(Task::join);
}

/// Go's TestMultiConsumer: 23 workers move `niter` values from one channel to another; every value
/// arrives exactly once (count and sum match).
pub fn multi_consumer(niter: usize) {
    const NWORK: usize = 23;
    let pn = [2u64, 3, 7, 11, 13, 17, 19, 23, 27, 31];
    let q: Chan<u64> = Chan::new(NWORK * 3);
    let r: Chan<u64> = Chan::new(NWORK * 3);
    let wg = Arc::new(gort::sync::WaitGroup::new());
    for w in 0..NWORK {
        wg.add(1);
        let (q, r, wg) = (q.clone(), r.clone(), wg.clone());
        go_here(move || {
            for v in &q {
                if pn[w % pn.len()] == v {
                    gort::yield_now();
                }
                r.send(v).unwrap();
            }
            wg.done();
        });
    }
    let expect: u64 = (0..niter).map(|i| pn[i % pn.len()]).sum();
    let (q1, r1) = (q.clone(), r.clone());
    go_here(move || {
        for i in 0..niter {
            q1.send(pn[i % pn.len()]).unwrap();
        }
        q1.close();
        wg.wait();
        r1.close();
    });
    drop(q);
    let (mut n, mut s) = (0, 0);
    for v in &r {
        n += 1;
        s += v;
    }
    assert_eq!((n, s), (niter, expect));
}
