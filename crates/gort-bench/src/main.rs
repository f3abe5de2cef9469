//! gort-bench: runs the workloads of the side-by-side benchmark (issue 4) on
//! one peer and prints one line per measurement, `peer workload value unit`,
//! exactly like the Go program in `bench/go`. A case that makes no sense on a
//! peer prints `peer workload skip reason`, one that crashes or times out
//! prints `peer workload fail reason`.
//!
//! ```text
//! gort-bench --peer tokio-mt --workload pingpong --procs 2 [--quick]
//! gort-bench --peer may --workload all --procs 1 --quick
//! gort-bench peers [WORKLOAD] | workloads
//! gort-bench report --raw raw.tsv --md results.md --svg chart.svg
//! gort-bench serve PEER echo|echo_deadline|http ADDR PROCS
//! ```
//!
//! A workload is one or more cases (`parked_mem` is `parked_mem_100k` and
//! `parked_mem_1m`); each case runs in a subprocess of this binary (`--case`)
//! so that a crash or a hang is reported as `fail` for that case only.
//!
//! The network workloads (`net`) run a server process per case, which this
//! binary also is for its Rust peers (`serve`), and load it from the case's
//! subprocess; `--peer go` names bench/go's servers there.

mod common;
mod net;
mod peers;
mod report;

use common::{Cfg, Outcome};
use std::io::Read;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Workloads and the cases each is made of.
const WORKLOADS: &[(&str, &[&str])] = &[
    ("spawn", &["spawn"]),
    ("skynet", &["skynet"]),
    ("pingpong", &["pingpong"]),
    (
        "locked_pingpong",
        &["locked_pingpong_one", "locked_pingpong_both"],
    ),
    ("yield", &["yield"]),
    ("chan_buffered", &["chan_buffered"]),
    ("select4", &["select4"]),
    ("parked_mem", &["parked_mem_100k", "parked_mem_1m"]),
    ("sleepers", &["sleepers"]),
    (
        "syscall_handoff",
        &["syscall_handoff_wrapped", "syscall_handoff_plain"],
    ),
    ("scale", &["scale"]),
    ("sleep_under_load", &["sleep_under_load"]),
    ("wired_sleep_under_load", &["wired_sleep_under_load"]),
    (
        "wired_roundtrip_under_load",
        &["wired_roundtrip_under_load"],
    ),
    ("mutex_under_load", &["mutex_under_load"]),
    (
        "wake_from_thread_under_load",
        &["wake_from_thread_under_load"],
    ),
    ("tracer_under_load", &["tracer_under_load"]),
];

/// Every workload: the in-process ones, then the network ones.
fn all_workloads() -> impl Iterator<Item = &'static (&'static str, &'static [&'static str])> {
    WORKLOADS.iter().chain(net::WORKLOADS)
}

/// The cases of a workload name (`all` for every workload, or a case name).
fn cases_of(workload: &str) -> Option<Vec<&'static str>> {
    if workload == "all" {
        return Some(
            all_workloads()
                .flat_map(|(_, c)| c.iter().copied())
                .collect(),
        );
    }
    if let Some((_, c)) = all_workloads().find(|(w, _)| *w == workload) {
        return Some(c.to_vec());
    }
    all_workloads()
        .flat_map(|(_, c)| c.iter())
        .find(|c| **c == workload)
        .map(|c| vec![*c])
}

/// Every peer name this binary accepts: its in-process peers, `go` (whose
/// in-process workloads are bench/go's, its servers started from here) and
/// the network-only library peers.
fn known_peer(peer: &str) -> bool {
    peer == "go" || peers::PEERS.contains(&peer) || net::NET_ONLY_PEERS.contains(&peer)
}

/// The peers that run any case of `workload`, in table order.
fn peers_running(workload: &str) -> Option<Vec<&'static str>> {
    let cases = cases_of(workload)?;
    let mut out: Vec<&'static str> = Vec::new();
    for case in cases {
        let ps: Vec<&'static str> = if net::is_case(case) {
            net::peers_of(case).to_vec()
        } else {
            std::iter::once("go")
                .chain(peers::PEERS.iter().copied())
                .collect()
        };
        for p in ps {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    Some(out)
}

/// Runs one case in this process.
fn run_case(peer: &str, case: &str, cfg: &Cfg) -> Outcome {
    if net::is_case(case) {
        net::run_case(peer, case, cfg)
    } else if peer == "go" {
        Outcome::Skip("Go's in-process workloads are bench/go's (gort-bench-go)".into())
    } else if net::NET_ONLY_PEERS.contains(&peer) {
        Outcome::Skip(format!("{peer} only runs the http workload"))
    } else {
        peers::run_case(peer, case, cfg)
    }
}

/// `gort-bench serve PEER KIND ADDR PROCS`: one server of the network
/// workloads, serving until it is killed.
fn serve(mut args: impl Iterator<Item = String>) -> ExitCode {
    let (Some(peer), Some(kind), Some(addr), Some(procs)) =
        (args.next(), args.next(), args.next(), args.next())
    else {
        eprintln!("usage: gort-bench serve PEER echo|echo_deadline|http ADDR PROCS");
        return ExitCode::from(2);
    };
    let Some(k) = net::servers::Kind::parse(&kind) else {
        eprintln!("gort-bench serve: unknown server {kind} (echo, echo_deadline, http)");
        return ExitCode::from(2);
    };
    let procs: usize = match procs.parse() {
        Ok(p) if p > 0 => p,
        _ => {
            eprintln!("gort-bench serve: PROCS must be a positive number, not {procs}");
            return ExitCode::from(2);
        }
    };
    match net::servers::serve(&peer, k, &addr, procs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gort-bench serve {peer} {kind} {addr}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Parsed command line of a benchmark run.
struct Args {
    peer: String,
    workload: Option<String>,
    case: Option<String>,
    cfg: Cfg,
    timeout: Duration,
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: gort-bench --peer PEER --workload WORKLOAD [--procs N] [--quick] [--timeout SECS]\n\
         \x20      gort-bench peers [WORKLOAD] | workloads\n\
         \x20      gort-bench report --raw RAW.tsv [--md OUT.md] [--svg OUT.svg]\n\
         \x20      gort-bench serve PEER echo|echo_deadline|http ADDR PROCS"
    );
    ExitCode::from(2)
}

fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        peer: String::new(),
        workload: None,
        case: None,
        cfg: Cfg {
            procs: 1,
            quick: false,
        },
        timeout: Duration::from_secs(300),
    };
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--peer" => a.peer = val()?,
            "--workload" => a.workload = Some(val()?),
            "--case" => a.case = Some(val()?),
            "--procs" => a.cfg.procs = val()?.parse().map_err(|e| format!("--procs: {e}"))?,
            "--timeout" => {
                a.timeout = Duration::from_secs(val()?.parse().map_err(|e| format!("{e}"))?)
            }
            "--quick" => a.cfg.quick = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.peer.is_empty() || (a.workload.is_none() && a.case.is_none()) {
        return Err("--peer and --workload are required".into());
    }
    Ok(a)
}

fn print_outcome(peer: &str, case: &str, o: &Outcome) {
    match o {
        Outcome::Values(ms) => {
            for m in ms {
                println!("{peer} {} {} {}", m.name, fmt_value(m.value), m.unit);
            }
        }
        Outcome::Skip(why) => println!("{peer} {case} skip {}", one_line(why)),
    }
}

/// A value with enough digits for ratios, without exponent notation.
fn fmt_value(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs one case in a subprocess, forwarding its lines, and turns a crash,
/// an error exit or a timeout into a `fail` line.
fn run_isolated(a: &Args, case: &str) -> bool {
    let exe = std::env::current_exe().expect("current exe");
    let mut cmd = Command::new(exe);
    cmd.args(["--peer", &a.peer, "--case", case, "--procs"])
        .arg(a.cfg.procs.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if a.cfg.quick {
        cmd.arg("--quick");
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            println!(
                "{} {case} fail cannot start: {}",
                a.peer,
                one_line(&e.to_string())
            );
            return false;
        }
    };
    // Drain both pipes on threads so a chatty child never blocks.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) if start.elapsed() > a.timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => break None,
        }
    };
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    print!("{stdout}");
    let ok = matches!(status, Some(st) if st.success()) && !stdout.trim().is_empty();
    if !ok {
        let why = match status {
            None => format!("timeout after {} s", a.timeout.as_secs()),
            Some(st) => {
                use std::os::unix::process::ExitStatusExt;
                let last = panic_message(&stderr);
                match st.signal() {
                    Some(sig) => format!("killed by signal {sig} {}", one_line(&last)),
                    None => format!("exit {} {}", st.code().unwrap_or(-1), one_line(&last)),
                }
            }
        };
        println!("{} {case} fail {}", a.peer, why.trim());
    }
    ok
}

/// The most telling line of a failed child's stderr: the panic message when
/// there is one (the line after `panicked at`), else the last line.
fn panic_message(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    if let Some(i) = lines.iter().position(|l| l.contains("panicked at")) {
        return lines.get(i + 1).copied().unwrap_or(lines[i]).to_string();
    }
    lines
        .iter()
        .rev()
        .find(|l| !l.contains("RUST_BACKTRACE"))
        .copied()
        .unwrap_or("")
        .to_string()
}

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1).peekable();
    match argv.peek().map(String::as_str) {
        Some("peers") => {
            argv.next();
            // Without a workload: this binary's peers (not go, whose
            // in-process workloads are bench/go's); with one: every peer
            // that runs it, go included.
            let list = match argv.next() {
                None => peers::PEERS
                    .iter()
                    .chain(net::NET_ONLY_PEERS)
                    .copied()
                    .collect(),
                Some(w) => match peers_running(&w) {
                    Some(l) => l,
                    None => {
                        eprintln!("gort-bench: unknown workload {w} (try `gort-bench workloads`)");
                        return ExitCode::from(2);
                    }
                },
            };
            for p in list {
                println!("{p}");
            }
            return ExitCode::SUCCESS;
        }
        Some("workloads") => {
            for (w, _) in all_workloads() {
                println!("{w}");
            }
            return ExitCode::SUCCESS;
        }
        Some("serve") => {
            argv.next();
            return serve(argv);
        }
        Some("report") => {
            argv.next();
            return match report::main(argv) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("report: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Some("-h") | Some("--help") | None => return usage(),
        _ => {}
    }
    let a = match parse(argv) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gort-bench: {e}");
            return usage();
        }
    };
    if !known_peer(&a.peer) {
        eprintln!(
            "gort-bench: unknown peer {} (try `gort-bench peers`)",
            a.peer
        );
        return ExitCode::from(2);
    }
    if let Some(case) = &a.case {
        // Child mode: one case, in this process. Any panic, on any thread,
        // ends the process at once: unwinding through a runtime that has
        // just run out of mappings can hang instead of exiting.
        std::panic::set_hook(Box::new(|info| {
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            let loc = info.location().map(|l| l.to_string()).unwrap_or_default();
            eprintln!("panicked at {loc}:\n{}", one_line(&msg));
            // SAFETY: _exit ends the process without running destructors or
            // atexit handlers, which is the point; it has no preconditions.
            unsafe { libc::_exit(101) };
        }));
        let o = run_case(&a.peer, case, &a.cfg);
        print_outcome(&a.peer, case, &o);
        return ExitCode::SUCCESS;
    }
    let w = a.workload.clone().unwrap_or_default();
    let Some(cases) = cases_of(&w) else {
        eprintln!("gort-bench: unknown workload {w} (try `gort-bench workloads`)");
        return ExitCode::from(2);
    };
    let mut all_ok = true;
    for case in cases {
        all_ok &= run_isolated(&a, case);
    }
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
