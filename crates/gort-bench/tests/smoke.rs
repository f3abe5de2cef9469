//! Smoke test: every workload runs at quick size on every peer of the
//! binary (gort, tokio multi- and current-thread, may, OS threads), through
//! the real binary and its per-case subprocesses, and prints a value or a
//! `skip` for every case, never a `fail`; the network workloads among them
//! start real servers and load them over loopback (wrk for http, which
//! scripts/setup.sh installs; gort's http server is its example, which
//! `cargo test --workspace` builds). The Go peer runs in bench/compare.sh.

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
    "echo_1",
    "echo_100",
    "echo_100_deadline",
    "echo_10k",
    "idle_10k",
    "http_c64",
    "http_c256",
];

fn run_all(peer: &str, procs: &str) {
    run(peer, "all", procs, CASES);
}

fn run(peer: &str, workload: &str, procs: &str, cases: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_gort-bench"))
        .args(["--peer", peer, "--workload", workload, "--procs", procs])
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
    for case in cases {
        // A case prints its own name or metrics named after it (sleepers_p99, idle_10k_cpu).
        assert!(
            text.lines().any(|l| l
                .split_whitespace()
                .nth(1)
                .is_some_and(|m| m == *case || m.starts_with(&format!("{case}_")))),
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
fn library_http_servers_answer_wrk() {
    for peer in ["tokio-hyper", "may-minihttp"] {
        run(peer, "http", "2", &["http_c64", "http_c256"]);
    }
}

#[test]
fn peers_are_listed_per_workload() {
    let list = |w: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_gort-bench"))
            .args(["peers", w])
            .output()
            .unwrap();
        assert!(out.status.success(), "peers {w}");
        String::from_utf8(out.stdout).unwrap()
    };
    let http = list("http");
    for p in [
        "gort",
        "go",
        "go-nethttp",
        "tokio-hyper",
        "may-minihttp",
        "threads",
    ] {
        assert!(http.lines().any(|l| l == p), "{p} missing from {http}");
    }
    let echo = list("echo");
    assert!(echo.lines().any(|l| l == "go"));
    assert!(!echo.lines().any(|l| l == "tokio-hyper"), "{echo}");
    let spawn = list("spawn");
    assert!(!spawn.lines().any(|l| l == "may-minihttp"), "{spawn}");
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
