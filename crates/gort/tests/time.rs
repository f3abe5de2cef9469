//! `gort::time`: sleeps and timers never end early; odd durations behave.

mod common;

use common::go;
use gort::time::{after, sleep, Ticker};
use gort::Chan;
use std::time::{Duration, Instant};

#[test]
fn sleep_is_never_early() {
    for ms in [0u64, 1, 2, 5] {
        let d = Duration::from_millis(ms);
        let start = Instant::now();
        sleep(d);
        assert!(start.elapsed() >= d);
    }
}

#[test]
fn sleep_zero_returns() {
    sleep(Duration::ZERO);
}

#[test]
fn after_fires_once_and_never_early() {
    let d = Duration::from_millis(3);
    let start = Instant::now();
    let c = after(d);
    let fired = c.recv().unwrap();
    assert!(fired >= start + d);
    assert!(Instant::now() >= start + d);
    assert_eq!(
        c.recv_timeout(Duration::from_millis(5)),
        Err(gort::RecvTimeoutError::Timeout)
    );
}

#[test]
fn after_zero_fires_at_once() {
    assert!(after(Duration::ZERO).recv().is_some());
}

#[test]
fn after_max_never_fires_and_does_not_overflow() {
    let c = after(Duration::MAX);
    assert!(c.recv_timeout(Duration::from_millis(5)).is_err());
    let r = gort::select! {
        recv(after(Duration::MAX)) -> _ => false,
        default(Duration::from_millis(1)) => true,
    };
    assert!(r);
}

#[test]
fn sleep_and_timeouts_with_max_duration_do_not_panic() {
    // Duration::MAX as a timeout means "forever"; a partner makes it return.
    let c: Chan<u8> = Chan::new(0);
    let c1 = c.clone();
    let h = go(move || c1.recv_timeout(Duration::MAX));
    h.wait_blocked();
    c.send_timeout(1, Duration::MAX).unwrap();
    assert_eq!(h.join().unwrap(), Ok(1));
    c.close();
    let r = gort::select! {
        recv(c) -> v => v,
        default(Duration::MAX) => Some(9),
    };
    assert_eq!(
        r, None,
        "a closed channel is ready; default(MAX) never times out"
    );
}

#[test]
fn timers_fire_in_deadline_order() {
    // Started in reverse order of their deadlines. Each timer's channel carries the instant it fired,
    // so the check is on the timers, not on how soon the OS runs the threads they wake.
    let start = Instant::now();
    let deadline = |i: u32| start + Duration::from_millis(2 + 4 * i as u64);
    let timers: Vec<(u32, Chan<Instant>)> = (0..5u32)
        .rev()
        .map(|i| {
            (
                i,
                after(deadline(i).saturating_duration_since(Instant::now())),
            )
        })
        .collect();
    let hs: Vec<_> = timers
        .into_iter()
        .map(|(i, t)| go(move || (i, t.recv().unwrap())))
        .collect();
    let mut fired: Vec<(u32, Instant)> = hs.into_iter().map(|h| h.join().unwrap()).collect();
    for &(i, at) in &fired {
        assert!(at >= deadline(i), "timer {i} fired early");
    }
    // Ties (two timers fired in one batch within the clock's resolution) count as in order.
    fired.sort_by_key(|&(i, at)| (at, i));
    let order: Vec<u32> = fired.iter().map(|&(i, _)| i).collect();
    assert_eq!(order, [0, 1, 2, 3, 4], "firing order");
}

#[test]
fn many_timers_each_fire_not_early() {
    let start = Instant::now();
    let chans: Vec<(Duration, Chan<Instant>)> = (0..1000u64)
        .map(|i| {
            let d = Duration::from_micros(i * 7 % 3000);
            (d, after(d))
        })
        .collect();
    for (d, c) in chans {
        let t = c.recv().unwrap();
        assert!(t >= start + d, "fired {:?} early", (start + d) - t);
    }
}

#[test]
#[should_panic(expected = "non-positive interval for NewTicker")]
fn ticker_with_zero_period_panics_like_go() {
    let _ = Ticker::new(Duration::ZERO);
}

#[test]
fn ticker_ticks_at_multiples_of_its_period_and_stops() {
    let period = Duration::from_millis(2);
    let start = Instant::now();
    let t = Ticker::new(period);
    let ch = t.chan();
    let mut last = start;
    for k in 1..=5u32 {
        let tick = ch.recv().unwrap();
        assert!(tick >= start + period * k, "tick {k} early");
        assert!(tick > last || k == 1);
        last = tick;
    }
    t.stop();
    let _ = ch.try_recv(); // one tick may have been buffered before stop
    assert!(
        ch.recv_timeout(Duration::from_millis(10)).is_err(),
        "tick after stop"
    );
    assert!(!ch.is_closed(), "stop does not close the channel (Go)");
}

#[test]
fn a_slow_ticker_reader_gets_dropped_ticks_not_a_burst() {
    let t = Ticker::new(Duration::from_millis(1));
    std::thread::sleep(Duration::from_millis(20));
    let ch = t.chan();
    assert!(ch.len() <= 1);
    drop(t);
}

#[test]
fn dropping_an_unread_after_channel_is_harmless() {
    for _ in 0..100 {
        drop(after(Duration::from_micros(100)));
    }
    std::thread::sleep(Duration::from_millis(2));
}
