use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[test]
fn spawn_join_many() {
    for procs in [1, 2] {
        let sum = gort::Builder::new().max_procs(procs).run(|| {
            let hs: Vec<_> = (0..1000u64).map(|i| gort::spawn(move || i)).collect();
            hs.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
        });
        assert_eq!(sum, 999 * 1000 / 2);
    }
}

#[test]
fn yield_pingpong() {
    let n = Arc::new(AtomicUsize::new(0));
    gort::Builder::new().max_procs(2).run(|| {
        let hs: Vec<_> = (0..4)
            .map(|_| {
                let n = n.clone();
                gort::spawn(move || {
                    for _ in 0..1000 {
                        n.fetch_add(1, Ordering::Relaxed);
                        gort::yield_now();
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
    });
    assert_eq!(n.load(Ordering::Relaxed), 4000);
}
