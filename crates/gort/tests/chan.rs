//! Channel semantics: Go's rules for `chan`, one test per rule.

mod common;

use common::go;
use gort::{Chan, RecvTimeoutError, SendTimeoutError, TryRecvError, TrySendError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Go's TestChan, for capacities 0..200.
#[test]
fn go_chan_rules_hold_for_capacities_0_to_200() {
    for cap in 0..200usize {
        // A receive from an empty channel blocks.
        let c: Chan<i32> = Chan::new(cap);
        let recv1 = Arc::new(AtomicBool::new(false));
        let (c1, r1) = (c.clone(), recv1.clone());
        let h1 = go(move || {
            let _ = c1.recv();
            r1.store(true, Ordering::SeqCst);
        });
        h1.wait_blocked();
        assert!(
            !recv1.load(Ordering::SeqCst),
            "chan[{cap}]: receive from empty chan"
        );
        // A non-blocking receive does not block.
        assert_eq!(c.try_recv(), Err(TryRecvError::Empty), "chan[{cap}]");
        c.send(0).unwrap();
        h1.join().unwrap();

        // A send to a full channel blocks.
        let c: Chan<usize> = Chan::new(cap);
        for i in 0..cap {
            c.send(i).unwrap();
        }
        let sent = Arc::new(AtomicBool::new(false));
        let (c1, s1) = (c.clone(), sent.clone());
        let h = go(move || {
            c1.send(0).unwrap();
            s1.store(true, Ordering::SeqCst);
        });
        h.wait_blocked();
        assert!(
            !sent.load(Ordering::SeqCst),
            "chan[{cap}]: send to full chan"
        );
        assert!(
            matches!(c.try_send(0), Err(TrySendError::Full(0))),
            "chan[{cap}]"
        );
        c.recv().unwrap();
        h.join().unwrap();

        // Buffered values survive close; then receives get None.
        let c: Chan<usize> = Chan::new(cap);
        for i in 0..cap {
            c.send(i).unwrap();
        }
        c.close();
        for i in 0..cap {
            assert_eq!(c.recv(), Some(i), "chan[{cap}]");
        }
        assert_eq!(c.recv(), None);
        assert_eq!(c.try_recv(), Err(TryRecvError::Closed));

        // Close unblocks a receive.
        let c: Chan<usize> = Chan::new(cap);
        let c1 = c.clone();
        let h = go(move || c1.recv());
        h.wait_blocked();
        c.close();
        assert_eq!(h.join().unwrap(), None, "chan[{cap}]");

        // 100 values arrive uncorrupted, in FIFO order.
        let c: Chan<usize> = Chan::new(cap);
        let c1 = c.clone();
        let h = go(move || (0..100).for_each(|i| c1.send(i).unwrap()));
        for i in 0..100 {
            assert_eq!(c.recv(), Some(i), "chan[{cap}]");
        }
        h.join().unwrap();

        // 4 senders and 4 receivers: every value received once per sender.
        const P: usize = 4;
        const L: usize = if cfg!(debug_assertions) { 100 } else { 1000 };
        let c: Chan<usize> = Chan::new(cap);
        let senders: Vec<_> = (0..P)
            .map(|_| {
                let c = c.clone();
                go(move || (0..L).for_each(|i| c.send(i).unwrap()))
            })
            .collect();
        let receivers: Vec<_> = (0..P)
            .map(|_| {
                let c = c.clone();
                go(move || {
                    let mut m = HashMap::new();
                    for _ in 0..L {
                        *m.entry(c.recv().unwrap()).or_insert(0) += 1;
                    }
                    m
                })
            })
            .collect();
        senders.into_iter().for_each(|h| h.join().unwrap());
        let mut total: HashMap<usize, usize> = HashMap::new();
        for h in receivers {
            for (k, v) in h.join().unwrap() {
                *total.entry(k).or_insert(0) += v;
            }
        }
        assert_eq!(total.len(), L, "chan[{cap}]");
        assert!(total.values().all(|&v| v == P), "chan[{cap}]");

        // len and cap.
        let c: Chan<usize> = Chan::new(cap);
        assert_eq!((c.len(), c.cap()), (0, cap));
        for i in 0..cap {
            c.send(i).unwrap();
        }
        assert_eq!((c.len(), c.cap()), (cap, cap));
    }
}

#[test]
fn unbuffered_send_completes_only_when_a_receiver_takes_the_value() {
    let c: Chan<u32> = Chan::new(0);
    let done = Arc::new(AtomicBool::new(false));
    let (c1, d1) = (c.clone(), done.clone());
    let h = go(move || {
        c1.send(7).unwrap();
        d1.store(true, Ordering::SeqCst);
    });
    h.wait_blocked();
    assert!(!done.load(Ordering::SeqCst));
    assert_eq!(c.recv(), Some(7));
    h.join().unwrap();
    assert!(done.load(Ordering::SeqCst));
}

#[test]
fn each_senders_values_arrive_in_order_through_a_full_buffer() {
    // Senders keep blocking on a full buffer; a receiver refills the buffer from the first queued sender,
    // so each sender's values still arrive in the order it sent them.
    for cap in [0usize, 1, 2, 7] {
        let c: Chan<(usize, usize)> = Chan::new(cap);
        let hs: Vec<_> = (0..4)
            .map(|s| {
                let c = c.clone();
                go(move || (0..500).for_each(|k| c.send((s, k)).unwrap()))
            })
            .collect();
        let mut next = [0usize; 4];
        for _ in 0..4 * 500 {
            let (s, k) = c.recv().unwrap();
            assert_eq!(k, next[s], "cap {cap}: sender {s} out of order");
            next[s] += 1;
        }
        hs.into_iter().for_each(|h| h.join().unwrap());
    }
}

#[test]
fn close_wakes_every_blocked_receiver() {
    let c: Chan<u8> = Chan::new(0);
    let hs: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            go(move || c.recv())
        })
        .collect();
    hs.iter().for_each(common::Task::wait_blocked);
    assert!(c.close());
    for h in hs {
        assert_eq!(h.join().unwrap(), None);
    }
}

#[test]
fn close_wakes_every_blocked_sender_and_hands_its_value_back() {
    let c: Chan<usize> = Chan::new(1);
    c.send(100).unwrap();
    let hs: Vec<_> = (0..8)
        .map(|i| {
            let c = c.clone();
            go(move || c.send(i))
        })
        .collect();
    hs.iter().for_each(common::Task::wait_blocked);
    c.close();
    let mut back: Vec<usize> = hs
        .into_iter()
        .map(|h| h.join().unwrap().unwrap_err().into_inner())
        .collect();
    back.sort();
    assert_eq!(back, (0..8).collect::<Vec<_>>());
    assert_eq!(c.recv(), Some(100)); // the buffered value survives
    assert_eq!(c.recv(), None);
}

#[test]
fn send_on_a_closed_channel_fails_with_the_value() {
    let c = Chan::new(3);
    c.close();
    assert_eq!(c.send(String::from("x")).unwrap_err().into_inner(), "x");
    assert!(c.try_send(1.to_string()).unwrap_err().is_closed());
    assert!(c
        .send_timeout(2.to_string(), Duration::from_secs(1))
        .unwrap_err()
        .is_closed());
}

#[test]
fn close_twice_reports_false() {
    let c: Chan<()> = Chan::new(0);
    assert!(c.close());
    assert!(!c.close());
    assert!(c.is_closed());
}

#[test]
fn range_over_a_channel_ends_at_close() {
    let c = Chan::new(0);
    let c1 = c.clone();
    let h = go(move || {
        for i in 0..10 {
            c1.send(i).unwrap();
        }
        c1.close();
    });
    let mut got = Vec::new();
    for v in &c {
        got.push(v);
    }
    assert_eq!(got, (0..10).collect::<Vec<_>>());
    h.join().unwrap();
}

#[test]
fn recv_timeout_times_out_and_is_never_early() {
    let c: Chan<()> = Chan::new(0);
    let d = Duration::from_millis(5);
    let start = Instant::now();
    assert_eq!(c.recv_timeout(d), Err(RecvTimeoutError::Timeout));
    assert!(start.elapsed() >= d);
    // ...and the channel is clean afterwards: a later pair still meets.
    let c1 = c.clone();
    let h = go(move || c1.send(()).unwrap());
    assert_eq!(c.recv(), Some(()));
    h.join().unwrap();
}

#[test]
fn send_timeout_hands_the_value_back_and_leaves_no_waiter() {
    let c: Chan<u32> = Chan::new(0);
    assert_eq!(
        c.send_timeout(1, Duration::from_millis(2)),
        Err(SendTimeoutError::Timeout(1))
    );
    assert_eq!(c.try_recv(), Err(TryRecvError::Empty)); // the timed-out sender is gone
    let c1 = c.clone();
    let h = go(move || c1.recv_timeout(Duration::from_secs(10)));
    h.wait_blocked();
    c.send(2).unwrap();
    assert_eq!(h.join().unwrap(), Ok(2));
}

#[test]
fn zero_and_max_timeouts_work() {
    let c: Chan<u32> = Chan::new(1);
    assert_eq!(
        c.recv_timeout(Duration::ZERO),
        Err(RecvTimeoutError::Timeout)
    );
    c.send_timeout(1, Duration::ZERO).unwrap();
    assert_eq!(
        c.send_timeout(2, Duration::ZERO),
        Err(SendTimeoutError::Timeout(2))
    );
    assert_eq!(c.recv_timeout(Duration::MAX), Ok(1));
    let c1 = c.clone();
    let h = go(move || c1.recv_timeout(Duration::MAX));
    h.wait_blocked();
    c.close();
    assert_eq!(h.join().unwrap(), Err(RecvTimeoutError::Closed));
}

#[test]
fn timeout_racing_a_sender_loses_no_value() {
    // Receivers with tiny timeouts race senders; every value is either received or handed back.
    let c: Chan<usize> = Chan::new(0);
    const N: usize = 2000;
    let c1 = c.clone();
    let sender = go(move || {
        let mut back = 0;
        for i in 0..N {
            if c1.send_timeout(i, Duration::from_micros(50)).is_err() {
                back += 1;
            }
        }
        back
    });
    let mut got = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !sender.is_finished() && Instant::now() < deadline {
        if c.recv_timeout(Duration::from_micros(30)).is_ok() {
            got += 1;
        }
    }
    let back = sender.join().unwrap();
    assert_eq!(got + back, N);
}

#[test]
fn len_and_cap_follow_the_buffer() {
    let c = Chan::new(3);
    assert_eq!((c.len(), c.cap(), c.is_empty()), (0, 3, true));
    c.send(1).unwrap();
    c.send(2).unwrap();
    assert_eq!(c.len(), 2);
    c.recv();
    assert_eq!(c.len(), 1);
    let u: Chan<()> = Chan::new(0);
    assert_eq!((u.len(), u.cap()), (0, 0));
}

#[test]
fn dropping_a_handle_while_others_live_keeps_the_channel_open() {
    // (That the last handle's drop closes the channel is a unit test inside the crate: no handle is left
    // to observe it from here.)
    let c: Chan<u8> = Chan::new(1);
    let c2 = c.clone();
    drop(c);
    assert!(!c2.is_closed(), "one handle is still alive");
    // Waiters hold a handle themselves; the last *other* handle going away does not close the channel
    // under them. Closing releases them.
    let hs: Vec<_> = (0..3)
        .map(|_| {
            let c = c2.clone();
            go(move || c.recv())
        })
        .collect();
    hs.iter().for_each(common::Task::wait_blocked);
    let closer = c2.clone();
    drop(c2);
    closer.close();
    for h in hs {
        assert_eq!(h.join().unwrap(), None);
    }
}

#[test]
fn a_value_type_with_drop_is_dropped_exactly_once() {
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct D;
    impl Drop for D {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }
    let c = Chan::new(4);
    for _ in 0..4 {
        c.send(D).unwrap();
    }
    drop(c.recv());
    drop(c); // three still buffered
    assert_eq!(DROPS.load(Ordering::SeqCst), 4);
}

#[test]
fn ping_pong_over_unbuffered_channels() {
    let (a, b): (Chan<u64>, Chan<u64>) = (Chan::new(0), Chan::new(0));
    let (a1, b1) = (a.clone(), b.clone());
    let h = go(move || {
        while let Some(v) = a1.recv() {
            b1.send(v + 1).unwrap();
        }
    });
    let mut v = 0;
    for _ in 0..10_000 {
        a.send(v).unwrap();
        v = b.recv().unwrap();
    }
    assert_eq!(v, 10_000);
    a.close();
    h.join().unwrap();
}

#[test]
fn go_multi_consumer_every_value_arrives_once() {
    // Go's TestMultiConsumer.
    common::go_ports::multi_consumer(if cfg!(debug_assertions) {
        5_000
    } else {
        50_000
    });
}
