//! Smoke test: every workload runs at quick size on every peer of the
//! binary (gort, tokio multi- and current-thread, may, OS threads), through
//! the real binary and its per-case subprocesses, and prints a value or a
//! `skip` for every case, never a `fail`.

use std::process::Command;

const CASES: &[&str] = &[
    "spawn",
    "skynet",
    "pingpong",
    "locked_pingpong_one",
    "locked_pingpong_both",
    "yield",
    "chan_buffered",
    "select4",
    "parked_mem_100k",
    "parked_mem_1m",
    "sleepers",
    "syscall_handoff_wrapped",
    "syscall_handoff_plain",
    "scale",
    "sleep_under_load",
    "wired_sleep_under_load",
    "wired_roundtrip_under_load",
    "mutex_under_load",
    "wake_from_thread_under_load",
];

fn run_all(peer: &str, procs: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_gort-bench"))
        .args(["--peer", peer, "--workload", "all", "--procs", procs])
        .args(["--quick", "--timeout", "120"])
        .output()
        .expect("run gort-bench");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{peer}: exit {:?}\n{text}",
        out.status
    );
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert!(f.len() >= 4, "{peer}: malformed line {line:?}");
        assert_eq!(f[0], peer, "{line}");
        assert_ne!(f[2], "fail", "{line}");
        if f[2] != "skip" {
            let v: f64 = f[2].parse().unwrap_or_else(|_| panic!("{line}"));
            assert!(v.is_finite() && v >= 0.0, "{line}");
        }
    }
    for case in CASES {
        // A case with several metrics is found by its p99 (a skip line carries the case's name).
        let p99 = format!("{case}_p99");
        let named = |n: &str| n == *case || n == p99;
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().nth(1).is_some_and(named)),
            "{peer}: no line for {case}\n{text}"
        );
    }
}

#[test]
fn gort_runs_every_workload() {
    run_all("gort", "2");
    run_all("gort", "1");
}

#[test]
fn tokio_multi_thread_runs_every_workload() {
    run_all("tokio-mt", "2");
}

#[test]
fn tokio_current_thread_runs_every_workload() {
    run_all("tokio-ct", "1");
}

#[test]
fn may_runs_every_workload() {
    run_all("may", "2");
}

#[test]
fn threads_run_every_workload() {
    run_all("threads", "1");
}

#[test]
fn unknown_peer_and_workload_are_rejected() {
    let bin = env!("CARGO_BIN_EXE_gort-bench");
    let st = Command::new(bin)
        .args(["--peer", "nope", "--workload", "spawn"])
        .output()
        .unwrap();
    assert!(!st.status.success());
    let st = Command::new(bin)
        .args(["--peer", "may", "--workload", "nope"])
        .output()
        .unwrap();
    assert!(!st.status.success());
}
