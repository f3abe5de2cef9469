//! The network workloads (issue 15): gort's `gort::net` against Go's `net`,
//! tokio, may and OS threads on loopback, each server a process of its own
//! loaded by a client process, so that the server's CPU time and memory can
//! be read from `/proc/PID` alone.
//!
//! For one case the driver (this module, in the per-case subprocess that
//! `main.rs` starts) raises its open-file limit, starts the peer's server
//! ([`server_process`]), loads it with the closed-loop echo client
//! ([`echo_client`]) or with `wrk` ([`wrk`]), and prints the metrics. The
//! configuration follows `--procs`:
//!
//! - `--procs 1`, *pinned*: the server runs with one scheduler thread
//!   (`max_procs`, `GOMAXPROCS`, workers) and all its threads on CPU 1, the
//!   client on CPU 0;
//! - `--procs P > 1`, *unpinned*: the server runs with P scheduler threads,
//!   nothing is pinned.
//!
//! On a machine with a single CPU nothing is pinned.
//!
//! Cases and their metrics (a full-size run; `--quick` runs for a fraction of
//! a second and uses 1,000 connections where the name says 10k):
//!
//! | case | load | metrics |
//! |---|---|---|
//! | `echo_1`, `echo_100`, `echo_10k` | N connections, 64-byte messages, closed loop | round trips/s, p50 and p99 latency (µs), server CPU per round trip (µs); `echo_10k_rss`, server RSS (MiB) |
//! | `echo_100_deadline` | as `echo_100`, the server re-arms a read deadline before every read | as `echo_100` |
//! | `idle_10k` | 10,000 open connections that send nothing | server CPU (% of one CPU) over 10 s, RSS |
//! | `http_c64`, `http_c256` | `wrk -t1 -c64`/`-c256`, keep-alive GETs | requests/s, p99 (µs), server CPU per request (µs) |
//!
//! Peers: `gort`, `go` (bench/go), `tokio-mt`, `tokio-ct`, `may`, `threads`
//! run every case (`threads` skips the 10k ones: 10,000 OS threads); the
//! http cases add the library servers `go-nethttp` (Go's `net/http`),
//! `tokio-hyper` and `may-minihttp`. gort's http server is its example,
//! `crates/gort/examples/http.rs`.

mod echo_client;
pub mod server_process;
pub mod servers;
mod wrk;

use crate::common::{Cfg, Metric, Outcome};
use echo_client::Load;
use server_process::{pin_to, raise_fd_limit, ServerProcess};
use servers::Kind;
use std::time::Duration;

/// The network workloads and their cases.
pub const WORKLOADS: &[(&str, &[&str])] = &[
    ("echo", &["echo_1", "echo_100", "echo_100_deadline"]),
    ("echo_10k", &["echo_10k"]),
    ("idle_10k", &["idle_10k"]),
    ("http", &["http_c64", "http_c256"]),
];

/// Peers that run the echo and idle cases, in table order.
const ECHO_PEERS: &[&str] = &["gort", "go", "tokio-mt", "tokio-ct", "may", "threads"];
/// Peers that run the http cases: every peer, in the report's column order.
const HTTP_PEERS: &[&str] = crate::report::COLUMNS;

/// Peers that exist only for the network workloads (their servers are
/// libraries' own): this binary knows them, but they run nothing else.
pub const NET_ONLY_PEERS: &[&str] = &["go-nethttp", "tokio-hyper", "may-minihttp"];

/// Whether `case` is a network case.
pub fn is_case(case: &str) -> bool {
    WORKLOADS.iter().any(|(_, cs)| cs.contains(&case))
}

/// The peers that run a network case, in table order.
pub fn peers_of(case: &str) -> &'static [&'static str] {
    if case.starts_with("http") {
        HTTP_PEERS
    } else {
        ECHO_PEERS
    }
}

/// Sizes of the network cases.
struct NetSizes {
    warmup: Duration,
    measure: Duration,
    /// Connections of the cases named 10k.
    many: usize,
    idle_settle: Duration,
    idle_window: Duration,
    wrk: Duration,
}

impl NetSizes {
    fn of(cfg: &Cfg) -> NetSizes {
        if cfg.quick {
            NetSizes {
                warmup: Duration::from_millis(50),
                measure: Duration::from_millis(200),
                many: 1_000,
                idle_settle: Duration::from_millis(100),
                idle_window: Duration::from_millis(500),
                wrk: Duration::from_secs(1),
            }
        } else {
            NetSizes {
                warmup: Duration::from_millis(500),
                measure: Duration::from_secs(3),
                many: 10_000,
                idle_settle: Duration::from_secs(1),
                idle_window: Duration::from_secs(10),
                wrk: Duration::from_secs(3),
            }
        }
    }
}

/// CPU of the server and of the client in the pinned configuration.
fn placement(cfg: &Cfg) -> (Option<usize>, Option<usize>) {
    let ncpu = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    if cfg.procs == 1 && ncpu >= 2 {
        (Some(1), Some(0))
    } else {
        (None, None)
    }
}

/// Runs one network case of `peer`, in this process (the driver), and
/// panics with the reason if it cannot (the caller turns that into `fail`).
pub fn run_case(peer: &str, case: &str, cfg: &Cfg) -> Outcome {
    if !peers_of(case).contains(&peer) {
        return Outcome::Skip(format!("{peer} has no server for {case}"));
    }
    let sz = NetSizes::of(cfg);
    if peer == "threads" && (case == "echo_10k" || case == "idle_10k") {
        return Outcome::Skip(format!("needs {} OS threads", sz.many));
    }
    let fail = |what: &str, e: std::io::Error| -> ! { panic!("{peer} {case}: {what}: {e}") };
    if let Err(e) = raise_fd_limit() {
        fail("raising the open-file limit", e);
    }
    let (server_cpu, client_cpu) = placement(cfg);
    let kind = match case {
        "echo_100_deadline" => Kind::EchoDeadline,
        c if c.starts_with("http") => Kind::Http,
        _ => Kind::Echo,
    };
    let mut server = ServerProcess::start(peer, kind, cfg.procs.max(1), server_cpu)
        .unwrap_or_else(|e| fail("starting the server", e));
    if let Some(cpu) = client_cpu {
        pin_to(cpu).unwrap_or_else(|e| fail("pinning the client", e));
    }
    let metrics = match case {
        "echo_1" | "echo_100" | "echo_100_deadline" | "echo_10k" => {
            let conns = match case {
                "echo_1" => 1,
                "echo_10k" => sz.many,
                _ => 100,
            };
            let load = Load {
                conns,
                warmup: sz.warmup,
                measure: sz.measure,
            };
            let m = echo_client::run(&server, load).unwrap_or_else(|e| fail("echo client", e));
            let rts = m.round_trips.max(1) as f64;
            let mut v = vec![
                Metric::new(case, rts / m.elapsed.as_secs_f64(), "rt/s"),
                Metric::new(
                    &format!("{case}_p50"),
                    m.latency_ns.value_at_quantile(0.50) as f64 / 1e3,
                    "us",
                ),
                Metric::new(
                    &format!("{case}_p99"),
                    m.latency_ns.value_at_quantile(0.99) as f64 / 1e3,
                    "us",
                ),
                Metric::new(
                    &format!("{case}_cpu"),
                    m.server_cpu.as_secs_f64() * 1e6 / rts,
                    "us/rt",
                ),
            ];
            if case == "echo_10k" {
                v.push(Metric::new(
                    "echo_10k_rss",
                    m.server_rss as f64 / (1 << 20) as f64,
                    "MiB",
                ));
            }
            v
        }
        "idle_10k" => {
            let m = echo_client::idle(&server, sz.many, sz.idle_settle, sz.idle_window)
                .unwrap_or_else(|e| fail("idle client", e));
            vec![
                Metric::new(
                    "idle_10k_cpu",
                    100.0 * m.server_cpu.as_secs_f64() / m.elapsed.as_secs_f64(),
                    "%cpu",
                ),
                Metric::new(
                    "idle_10k_rss",
                    m.server_rss as f64 / (1 << 20) as f64,
                    "MiB",
                ),
            ]
        }
        "http_c64" | "http_c256" => {
            let conns = if case == "http_c64" { 64 } else { 256 };
            let url = format!("http://{}/", server.addr);
            let cpu0 = server
                .cpu_time()
                .unwrap_or_else(|e| fail("reading server CPU", e));
            let r = wrk::run(&url, conns, sz.wrk, client_cpu).unwrap_or_else(|e| fail("wrk", e));
            let cpu1 = server
                .cpu_time()
                .unwrap_or_else(|e| fail("reading server CPU", e));
            vec![
                Metric::new(case, r.per_second, "req/s"),
                Metric::new(&format!("{case}_p99"), r.p99_us, "us"),
                Metric::new(
                    &format!("{case}_cpu"),
                    cpu1.saturating_sub(cpu0).as_secs_f64() * 1e6 / r.requests.max(1) as f64,
                    "us/req",
                ),
            ]
        }
        other => return Outcome::Skip(format!("unknown network case {other}")),
    };
    server
        .check_alive()
        .unwrap_or_else(|e| fail("after the load", e));
    Outcome::Values(metrics)
}
