//! `select!`: Go's select semantics (fairness, atomicity, self-select, duplicates), crossbeam's syntax.

mod common;

use common::go;
use gort::{select, Chan, SendError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
fn select_receives_from_the_ready_case() {
    let a: Chan<i32> = Chan::new(1);
    let b: Chan<i32> = Chan::new(1);
    b.send(2).unwrap();
    let got = select! {
        recv(a) -> v => ("a", v),
        recv(b) -> v => ("b", v),
    };
    assert_eq!(got, ("b", Some(2)));
}

#[test]
fn select_sends_on_the_ready_case() {
    let a: Chan<i32> = Chan::new(0);
    let b: Chan<i32> = Chan::new(1);
    let r = select! {
        send(a, 1) -> _ => unreachable!("no receiver on a"),
        send(b, 2) -> res => res,
    };
    assert_eq!(r, Ok(()));
    assert_eq!(b.recv(), Some(2));
}

#[test]
fn select_blocks_until_a_case_becomes_ready() {
    let a: Chan<i32> = Chan::new(0);
    let b: Chan<&str> = Chan::new(0);
    let b1 = b.clone();
    let main = common::my_tid();
    let h = go(move || {
        // The select below is waiting before the case becomes ready.
        common::wait_thread_blocked(main);
        b1.send("late").unwrap();
    });
    let got = select! {
        recv(a) -> _ => None,
        recv(b) -> v => v,
    };
    assert_eq!(got, Some("late"));
    h.join().unwrap();
}

#[test]
fn blocked_select_send_completes_with_a_later_receiver() {
    let a: Chan<i32> = Chan::new(0);
    let a1 = a.clone();
    let h = go(move || {
        select! {
            send(a1, 5) -> res => res,
        }
    });
    h.wait_blocked();
    assert_eq!(a.recv(), Some(5));
    assert_eq!(h.join().unwrap(), Ok(()));
}

#[test]
fn default_is_taken_only_when_no_case_is_ready() {
    let a: Chan<i32> = Chan::new(1);
    let took_default = select! {
        recv(a) -> _ => false,
        default => true,
    };
    assert!(took_default);
    a.send(1).unwrap();
    let took_default = select! {
        recv(a) -> _ => false,
        default => true,
    };
    assert!(!took_default);
}

#[test]
fn default_with_timeout_waits_and_is_never_early() {
    let a: Chan<i32> = Chan::new(0);
    let d = Duration::from_millis(5);
    let start = Instant::now();
    let r = select! {
        recv(a) -> _ => "recv",
        default(d) => "timeout",
    };
    assert_eq!(r, "timeout");
    assert!(start.elapsed() >= d);
    // The timed-out select left nothing behind on `a`.
    assert!(a.try_send(1).is_err());
}

#[test]
fn default_with_timeout_takes_a_case_that_becomes_ready() {
    let a: Chan<i32> = Chan::new(0);
    let a1 = a.clone();
    let main = common::my_tid();
    let h = go(move || {
        // The select below is waiting before the case becomes ready.
        common::wait_thread_blocked(main);
        a1.send(3).unwrap();
    });
    let r = select! {
        recv(a) -> v => v,
        default(Duration::from_secs(30)) => None,
    };
    assert_eq!(r, Some(3));
    h.join().unwrap();
}

#[test]
fn a_closed_channel_is_always_ready_in_select() {
    let a: Chan<i32> = Chan::new(0);
    let never: Chan<i32> = Chan::new(0);
    a.close();
    for _ in 0..100 {
        let r = select! {
            recv(never) -> _ => unreachable!(),
            recv(a) -> v => v,
        };
        assert_eq!(r, None);
        let r = select! {
            send(a, 9) -> res => res,
            default => unreachable!("a closed channel is ready"),
        };
        assert_eq!(r, Err(SendError(9)));
    }
}

#[test]
fn close_wakes_a_blocked_select() {
    let a: Chan<i32> = Chan::new(0);
    let b: Chan<i32> = Chan::new(0);
    let (a1, b1) = (a.clone(), b.clone());
    let h = go(move || {
        select! {
            recv(a1) -> v => ("a", v),
            send(b1, 1) -> r => ("b", r.err().map(|e| e.0)),
        }
    });
    h.wait_blocked();
    b.close();
    assert_eq!(h.join().unwrap(), ("b", Some(1)));
}

#[test]
fn select_accepts_references_temporaries_and_after() {
    let a: Chan<i32> = Chan::new(1);
    let r = &a;
    a.send(1).unwrap();
    let v = select! {
        recv(r) -> v => v,
        recv(gort::time::after(Duration::from_secs(60))) -> _ => None,
    };
    assert_eq!(v, Some(1));
    let start = Instant::now();
    let timed_out = select! {
        recv(&a) -> _ => false,
        recv(gort::time::after(Duration::from_millis(3))) -> t => {
            assert!(t.unwrap() >= start + Duration::from_millis(3));
            true
        }
    };
    assert!(timed_out);
    // Named channels are borrowed, not moved: `a` is still usable.
    assert!(a.try_send(2).is_ok());
}

#[test]
fn select_with_no_cases_but_default_runs_default() {
    let r = select! { default => 1 };
    assert_eq!(r, 1);
    let start = Instant::now();
    select! { default(Duration::from_millis(2)) => {} }
    assert!(start.elapsed() >= Duration::from_millis(2));
}

#[test]
fn select_bodies_can_break_out_of_loops() {
    let a: Chan<i32> = Chan::new(3);
    for i in 0..3 {
        a.send(i).unwrap();
    }
    a.close();
    let mut seen = vec![];
    loop {
        select! {
            recv(a) -> v => match v {
                Some(v) => seen.push(v),
                None => break,
            },
        }
    }
    assert_eq!(seen, [0, 1, 2]);
}

#[test]
fn send_values_of_unchosen_cases_are_dropped() {
    let a: Chan<String> = Chan::new(1);
    let b: Chan<String> = Chan::new(0);
    let r = select! {
        send(a, "a".to_string()) -> r => r.is_ok(),
        send(b, "b".to_string()) -> _ => false,
    };
    assert!(r);
    assert_eq!(a.recv().as_deref(), Some("a"));
}

/// Go's TestSelectFairness: with 2 of 4 cases always ready, each is picked half the time.
#[test]
fn select_picks_uniformly_among_ready_cases() {
    const TRIALS: usize = 10_000;
    let c1: Chan<u8> = Chan::new(TRIALS + 1);
    let c2: Chan<u8> = Chan::new(TRIALS + 1);
    for _ in 0..TRIALS + 1 {
        c1.send(1).unwrap();
        c2.send(2).unwrap();
    }
    let c3: Chan<u8> = Chan::new(0);
    let c4: Chan<u8> = Chan::new(0);
    let out: Chan<u8> = Chan::new(0);
    let done: Chan<u8> = Chan::new(0);
    let (o, d) = (out.clone(), done.clone());
    let h = go(move || loop {
        let b = select! {
            recv(c3) -> b => b,
            recv(c4) -> b => b,
            recv(c1) -> b => b,
            recv(c2) -> b => b,
        };
        select! {
            send(o, b.unwrap()) -> _ => {},
            recv(d) -> _ => return,
        }
    });
    let (mut cnt1, mut cnt2) = (0, 0);
    for _ in 0..TRIALS {
        match out.recv() {
            Some(1) => cnt1 += 1,
            Some(2) => cnt2 += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    let r = cnt1 as f64 / TRIALS as f64;
    let e = (r - 0.5).abs();
    // 99.9999% confidence, as Go.
    assert!(
        e <= 4.891676 / (2.0 * (TRIALS as f64).sqrt()),
        "unfair select: in {TRIALS} trials, results were {cnt1}, {cnt2}"
    );
    done.close();
    h.join().unwrap();
}

/// Go's TestPseudoRandomSend.
#[test]
fn select_send_picks_pseudo_randomly() {
    const N: usize = 100;
    for cap in [0, N] {
        let c: Chan<usize> = Chan::new(cap);
        let c1 = c.clone();
        let h = go(move || {
            (0..N)
                .map(|_| {
                    std::thread::yield_now();
                    c1.recv().unwrap()
                })
                .collect::<Vec<_>>()
        });
        for _ in 0..N {
            select! {
                send(c, 1) -> r => r.unwrap(),
                send(c, 0) -> r => r.unwrap(),
            }
        }
        let l = h.join().unwrap();
        let n1: usize = l.iter().sum();
        let n0 = N - n1;
        assert!(
            n0 > N / 10 && n1 > N / 10,
            "want pseudorandom, got {n0} zeros and {n1} ones (cap {cap})"
        );
    }
}

/// Go's TestNonblockRecvRace: a non-blocking select never misses a value that is ready.
#[test]
fn nonblocking_select_sees_a_ready_value_even_while_the_channel_closes() {
    let n = if cfg!(debug_assertions) { 500 } else { 5000 };
    for _ in 0..n {
        let c: Chan<i32> = Chan::new(1);
        c.send(1).unwrap();
        let c1 = c.clone();
        let h = go(move || {
            select! {
                recv(c1) -> _ => true,
                default => false,
            }
        });
        c.close();
        c.recv();
        assert!(h.join().unwrap(), "chan is not ready");
    }
}

fn nonblock_select_race(close_second: bool) {
    let n = if cfg!(debug_assertions) { 500 } else { 5000 };
    let done: Chan<bool> = Chan::new(1);
    for _ in 0..n {
        let c1: Chan<i32> = Chan::new(1);
        let c2: Chan<i32> = Chan::new(1);
        c1.send(1).unwrap();
        let (a, b, d) = (c1.clone(), c2.clone(), done.clone());
        let h = go(move || {
            let ok = select! {
                recv(a) -> _ => true,
                recv(b) -> _ => true,
                default => false,
            };
            d.send(ok).unwrap();
        });
        if close_second {
            c2.close();
        } else {
            c2.send(1).unwrap();
        }
        select! {
            recv(c1) -> _ => {},
            default => {},
        }
        assert!(done.recv().unwrap(), "no chan is ready");
        h.join().unwrap();
    }
}

/// Go's TestNonblockSelectRace: select is atomic across its channels.
#[test]
fn nonblocking_select_is_atomic_across_channels() {
    nonblock_select_race(false);
}

/// Go's TestNonblockSelectRace2.
#[test]
fn nonblocking_select_is_atomic_across_channels_with_close() {
    nonblock_select_race(true);
}

/// Go's TestSelfSelect: a goroutine never receives its own send.
#[test]
fn select_never_receives_its_own_send() {
    for cap in [0usize, 10] {
        let c: Chan<usize> = Chan::new(cap);
        let bad = Arc::new(AtomicBool::new(false));
        let hs: Vec<_> = (0..2usize)
            .map(|p| {
                let (c, bad) = (c.clone(), bad.clone());
                go(move || {
                    for i in 0..1000 {
                        let got = if p == 0 || i % 2 == 0 {
                            select! {
                                send(c, p) -> _ => None,
                                recv(c) -> v => v,
                            }
                        } else {
                            select! {
                                recv(c) -> v => v,
                                send(c, p) -> _ => None,
                            }
                        };
                        if cap == 0 && got == Some(p) {
                            bad.store(true, Ordering::SeqCst);
                            return;
                        }
                    }
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        assert!(!bad.load(Ordering::SeqCst), "self receive (cap {cap})");
    }
}

/// Go's TestSelectStress: plain ops and selects on 4 channels interleave without deadlock or loss.
#[test]
fn selects_and_plain_operations_interleave_without_deadlock() {
    common::go_ports::select_stress(if cfg!(debug_assertions) { 1000 } else { 10_000 });
}

/// Go's TestSelectDuplicateChannel: one select may wait on the same channel in several cases.
#[test]
fn the_same_channel_may_appear_in_several_cases() {
    let c: Chan<i32> = Chan::new(0);
    let d: Chan<i32> = Chan::new(0);
    let e: Chan<i32> = Chan::new(0);
    let (c1, d1, e1) = (c.clone(), d.clone(), e.clone());
    let a = go(move || {
        select! {
            recv(c1) -> _ => {},
            recv(c1) -> _ => {},
            recv(d1) -> _ => {},
        }
        e1.send(9).unwrap();
    });
    a.wait_blocked(); // A queues first on c
    let c2 = c.clone();
    let b = go(move || c2.recv());
    b.wait_blocked(); // B queues on c behind A
    d.send(7).unwrap(); // wakes A, which dequeues itself from c (twice)
    assert_eq!(e.recv(), Some(9));
    c.send(8).unwrap(); // must reach B
    assert_eq!(b.join().unwrap(), Some(8));
    a.join().unwrap();
}

#[test]
fn same_channel_in_several_cases_closes_cleanly() {
    let c: Chan<i32> = Chan::new(0);
    let c1 = c.clone();
    let h = go(move || {
        select! {
            recv(c1) -> v => v,
            recv(c1) -> v => v,
            send(c1, 3) -> _ => Some(-1),
        }
    });
    h.wait_blocked();
    c.close();
    let r = h.join().unwrap();
    assert!(r.is_none() || r == Some(-1));
}

/// Go's TestTimerFairness: a timer case fires even when another case is always ready.
#[test]
fn timer_case_fires_while_other_cases_stay_busy() {
    let done: Chan<bool> = Chan::new(0);
    let c: Chan<bool> = Chan::new(0);
    let hs: Vec<_> = (0..2)
        .map(|_| {
            let (done, c) = (done.clone(), c.clone());
            go(move || loop {
                select! {
                    send(c, true) -> _ => {},
                    recv(done) -> _ => return,
                }
            })
        })
        .collect();
    let timer = gort::time::after(Duration::from_millis(20));
    loop {
        let fired = select! {
            recv(c) -> _ => false,
            recv(timer) -> _ => true,
        };
        if fired {
            break;
        }
    }
    done.close();
    hs.into_iter().for_each(|h| h.join().unwrap());
}

/// Go's TestTimerFairness2.
#[test]
fn timer_cases_fire_in_goroutines_that_also_send_and_receive() {
    let done: Chan<bool> = Chan::new(0);
    let c: Chan<bool> = Chan::new(0);
    let hs: Vec<_> = (0..2)
        .map(|_| {
            let (done, c) = (done.clone(), c.clone());
            go(move || {
                let timer = gort::time::after(Duration::from_millis(20));
                loop {
                    select! {
                        send(c, true) -> _ => {},
                        recv(c) -> _ => {},
                        recv(timer) -> _ => {
                            done.send(true).unwrap();
                            return;
                        }
                    }
                }
            })
        })
        .collect();
    done.recv();
    done.recv();
    hs.into_iter().for_each(|h| h.join().unwrap());
}

#[test]
fn many_cases_and_types_in_one_select() {
    let a: Chan<u8> = Chan::new(0);
    let b: Chan<String> = Chan::new(0);
    let c: Chan<(i32, i32)> = Chan::new(1);
    let d: Chan<Vec<u8>> = Chan::new(0);
    c.send((1, 2)).unwrap();
    let r = select! {
        recv(a) -> _ => 0,
        recv(b) -> _ => 1,
        recv(c) -> v => { assert_eq!(v, Some((1, 2))); 2 }
        send(d, vec![1]) -> _ => 3,
        send(a, 1) -> _ => 4,
        default => 5,
    };
    assert_eq!(r, 2);
}
