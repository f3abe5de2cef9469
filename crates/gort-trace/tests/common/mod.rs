//! Shared helpers for the integration tests: building fixtures, running gort-trace and strace, and
//! parsing/normalising `-f -o` traces so the two can be compared.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The gort-trace binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gort-trace")
}

/// A scratch directory for this test binary.
pub fn scratch() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gort-trace-tests");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A fresh file path in the scratch directory.
pub fn tmpfile(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    scratch().join(format!("{}-{}-{name}", std::process::id(), n))
}

fn fixture_src(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn require(tool: &str) {
    let ok = Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        ok,
        "`{tool}` is required by the gort-trace tests: run scripts/setup-trace-deps.sh"
    );
}

/// Compiles a C fixture once per test binary; returns the executable.
pub fn c_fixture(name: &str) -> PathBuf {
    static BUILT: OnceLock<std::sync::Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let m = BUILT.get_or_init(Default::default);
    let mut m = m.lock().unwrap();
    if let Some(p) = m.get(name) {
        return p.clone();
    }
    require("gcc");
    let out = scratch().join(format!("{}-{name}", std::process::id()));
    let st = Command::new("gcc")
        .args(["-O1", "-pthread", "-o"])
        .arg(&out)
        .arg(fixture_src(&format!("{name}.c")))
        .status()
        .unwrap();
    assert!(st.success(), "gcc failed for {name}");
    m.insert(name.to_string(), out.clone());
    out
}

/// Compiles the Rust fixture once per test binary.
pub fn rust_fixture() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let out = scratch().join(format!("{}-hello-rs", std::process::id()));
            let st = Command::new("rustc")
                .args(["-O", "-o"])
                .arg(&out)
                .arg(fixture_src("hello.rs"))
                .status()
                .unwrap();
            assert!(st.success(), "rustc failed");
            out
        })
        .clone()
}

/// A directory with a few files for `ls`.
pub fn ls_dir() -> PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = scratch().join(format!("{}-lsdir", std::process::id()));
        std::fs::create_dir_all(d.join("sub")).unwrap();
        for f in ["alpha", "beta", "gamma.txt"] {
            std::fs::write(d.join(f), f).unwrap();
        }
        d
    })
    .clone()
}

/// Runs gort-trace with `args` and returns its output.
pub fn gort_trace(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Runs `tool` (`strace` or gort-trace) with `-f -o FILE EXTRA... -- CMD...` and returns the trace text
/// and the process output.
pub fn trace_with(
    tool: &str,
    procs: Option<usize>,
    extra: &[&str],
    cmd: &[&str],
) -> (String, Output) {
    if tool == "strace" {
        require("strace");
    }
    let file = tmpfile("trace.txt");
    let mut c = Command::new(if tool == "strace" { "strace" } else { bin() });
    if let Some(p) = procs {
        c.arg("--procs").arg(p.to_string());
    }
    // One malloc arena: otherwise a thread's first malloc maps a new heap and trims it with one or two
    // munmaps depending on where ASLR put it, which would make the oracle runs differ.
    c.env("MALLOC_ARENA_MAX", "1");
    c.arg("-o")
        .arg(&file)
        .args(extra)
        .arg("--")
        .args(cmd)
        .stdin(Stdio::null());
    let out = c.output().unwrap();
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let _ = std::fs::remove_file(&file);
    (text, out)
}

/// One parsed trace record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rec {
    /// A syscall: name, argument text, return text.
    Call {
        name: String,
        args: String,
        ret: String,
    },
    /// `--- SIG... ---`.
    Signal(String),
    /// `+++ ... +++`.
    End(String),
}

/// A trace split per pid, in order.
pub type PerPid = BTreeMap<i64, Vec<Rec>>;

/// Parses a `-f -o` trace (`PID  text` lines). `<unfinished ...>`/`resumed` pairs are joined.
pub fn parse(text: &str) -> (Vec<i64>, PerPid) {
    let mut order = Vec::new();
    let mut per: PerPid = BTreeMap::new();
    let mut pending: HashMap<i64, (String, String)> = HashMap::new();
    for line in text.lines() {
        let line = line.trim_end();
        let Some((pid, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(pid) = pid.parse::<i64>() else {
            continue;
        };
        let rest = rest.trim_start();
        if !order.contains(&pid) {
            order.push(pid);
        }
        let recs = per.entry(pid).or_default();
        if rest.starts_with("---") {
            recs.push(Rec::Signal(rest.to_string()));
        } else if rest.starts_with("+++") {
            recs.push(Rec::End(rest.to_string()));
        } else if let Some(r) = rest.strip_prefix("<... ") {
            let (name, after) = r.split_once(" resumed>").expect("resumed line");
            let (head, args0) = pending
                .remove(&pid)
                .unwrap_or((name.to_string(), String::new()));
            let (args1, ret) = split_ret(after);
            recs.push(Rec::Call {
                name: head,
                args: format!("{args0}{args1}"),
                ret,
            });
        } else if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
            let (name, args) = head.split_once('(').expect("syscall line");
            pending.insert(pid, (name.to_string(), args.to_string()));
        } else if let Some((name, after)) = rest.split_once('(') {
            let (args, ret) = split_ret(after);
            recs.push(Rec::Call {
                name: name.to_string(),
                args,
                ret,
            });
        }
    }
    // Calls still unfinished at the end (rare): record them without a return.
    for (pid, (name, args)) in pending {
        per.entry(pid).or_default().push(Rec::Call {
            name,
            args,
            ret: "?".into(),
        });
    }
    (order, per)
}

fn split_ret(after: &str) -> (String, String) {
    match after.rfind(" = ") {
        Some(i) => {
            let args = after[..i].trim_end();
            let args = args.strip_suffix(')').unwrap_or(args);
            (args.to_string(), after[i + 3..].trim().to_string())
        }
        None => (after.trim_end_matches(')').to_string(), String::new()),
    }
}

/// Maps real pids to `P0, P1, ...` by structure: the root first, then children in the order their
/// parents' clone/fork calls returned them (breadth-first). Independent of scheduling.
pub fn pid_map(order: &[i64], per: &PerPid) -> Vec<(i64, String)> {
    let mut map = Vec::new();
    let Some(&root) = order.first() else {
        return map;
    };
    let mut q = VecDeque::from([root]);
    let mut seen = vec![root];
    while let Some(p) = q.pop_front() {
        map.push((p, format!("P{}", map.len())));
        for r in per.get(&p).into_iter().flatten() {
            if let Rec::Call { name, ret, .. } = r {
                if matches!(name.as_str(), "clone" | "clone3" | "fork" | "vfork") {
                    if let Ok(child) = ret.parse::<i64>() {
                        if child > 0 && !seen.contains(&child) {
                            seen.push(child);
                            q.push_back(child);
                        }
                    }
                }
            }
        }
    }
    map
}

/// Calls that take or return a pid or tid.
const PID_CALLS: &[&str] = &[
    "clone",
    "clone3",
    "fork",
    "vfork",
    "wait4",
    "waitid",
    "kill",
    "tkill",
    "tgkill",
    "getpid",
    "getppid",
    "gettid",
    "set_tid_address",
    "ptrace",
    "setpgid",
    "getpgid",
    "getsid",
    "prlimit64",
    "pidfd_open",
    "sched_setaffinity",
    "sched_getaffinity",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
];

/// Replaces addresses with `ADDR` and pids with their structural names.
pub fn normalize(s: &str, map: &[(i64, String)]) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'0'
            && i + 1 < b.len()
            && b[i + 1] == b'x'
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
        {
            let mut j = i + 2;
            while j < b.len() && b[j].is_ascii_hexdigit() {
                j += 1;
            }
            out.push_str("ADDR");
            i = j;
        } else if b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let num: i64 = s[i..j].parse().unwrap_or(-1);
            match map.iter().find(|(p, _)| *p == num) {
                Some((_, name)) => out.push_str(name),
                None => out.push_str(&s[i..j]),
            }
            i = j;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// Syscalls whose presence or count depends on timing (lock contention, signals interrupting a call)
/// rather than on the program: left out of sequence comparisons.
pub const TIMING_DEPENDENT: &[&str] = &["futex", "restart_syscall", "rt_sigreturn"];

/// The per-pid syscall name sequences, pids renamed structurally; calls interrupted for a signal
/// (`ERESTART*`, restarted by the kernel) and [`TIMING_DEPENDENT`] calls are dropped.
pub fn name_sequences(text: &str) -> BTreeMap<String, Vec<String>> {
    let (order, per) = parse(text);
    let map = pid_map(&order, &per);
    let mut out = BTreeMap::new();
    for (pid, recs) in &per {
        let key = map
            .iter()
            .find(|(p, _)| p == pid)
            .map(|(_, n)| n.clone())
            .unwrap_or(format!("unmapped-{pid}"));
        let names = recs
            .iter()
            .filter_map(|r| match r {
                Rec::Call { name, ret, .. }
                    if !TIMING_DEPENDENT.contains(&name.as_str())
                        && !ret.starts_with("? ERESTART") =>
                {
                    Some(name.clone())
                }
                _ => None,
            })
            .collect();
        out.insert(key, names);
    }
    out
}

/// The normalised `name(args) = ret` texts of the calls named in `names`, per structural pid.
pub fn decoded_calls(text: &str, names: &[&str]) -> BTreeMap<String, Vec<String>> {
    let (order, per) = parse(text);
    let map = pid_map(&order, &per);
    let mut out = BTreeMap::new();
    for (pid, recs) in &per {
        let key = map
            .iter()
            .find(|(p, _)| p == pid)
            .map(|(_, n)| n.clone())
            .unwrap_or(format!("unmapped-{pid}"));
        // Descriptors open on /proc files: their contents (addresses, counters) differ from run to run,
        // so the data read from them is masked.
        let mut proc_fds: Vec<String> = Vec::new();
        let mut calls = Vec::new();
        for r in recs {
            let Rec::Call { name, args, ret } = r else {
                continue;
            };
            let fd = args.split(',').next().unwrap_or("").to_string();
            if matches!(name.as_str(), "open" | "openat") && args.contains("\"/proc/") {
                proc_fds.push(ret.clone());
            }
            let mut args = args.clone();
            if name == "read" && proc_fds.contains(&fd) {
                args = format!(
                    "{fd}, <proc data>{}",
                    &args[args.rfind(',').unwrap_or(args.len())..]
                );
            }
            if name == "close" {
                proc_fds.retain(|f| *f != fd);
            }
            if names.contains(&name.as_str()) && !ret.starts_with("? ERESTART") {
                // Pids are renamed only where a call takes or returns one: elsewhere a number
                // that happens to equal a pid of this run (a read of 832 bytes, say) is data.
                let pids: &[(i64, String)] = if PID_CALLS.contains(&name.as_str()) {
                    &map
                } else {
                    &[]
                };
                calls.push(normalize(&format!("{name}({args}) = {ret}"), pids));
            }
        }
        out.insert(key, calls);
    }
    out
}

/// The `+++`/`---` lines per structural pid, normalised.
pub fn ends(text: &str) -> BTreeMap<String, Vec<String>> {
    let (order, per) = parse(text);
    let map = pid_map(&order, &per);
    let mut out = BTreeMap::new();
    for (pid, recs) in &per {
        let key = map
            .iter()
            .find(|(p, _)| p == pid)
            .map(|(_, n)| n.clone())
            .unwrap_or(format!("unmapped-{pid}"));
        let v = recs
            .iter()
            .filter_map(|r| match r {
                Rec::End(s) => Some(normalize(s, &map)),
                _ => None,
            })
            .collect();
        out.insert(key, v);
    }
    out
}

/// Parses a `-c` table into name -> (calls, errors).
pub fn summary_counts(text: &str) -> BTreeMap<String, (u64, u64)> {
    let mut m = BTreeMap::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.starts_with("% time") {
            in_table = true;
            continue;
        }
        if !in_table || line.starts_with("------") {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let (calls, errors, name) = match f.len() {
            6 => (f[3], f[4], f[5]),
            5 => (f[3], "0", f[4]),
            _ => continue,
        };
        if name == "total" {
            continue;
        }
        if let (Ok(c), Ok(e)) = (calls.parse(), errors.parse()) {
            m.insert(name.to_string(), (c, e));
        }
    }
    m
}

/// Asserts two maps are equal, printing a readable first difference.
pub fn assert_same<T: std::fmt::Debug + PartialEq + Clone>(
    what: &str,
    gort: &BTreeMap<String, Vec<T>>,
    strace: &BTreeMap<String, Vec<T>>,
) {
    if gort == strace {
        return;
    }
    let keys: Vec<_> = gort.keys().chain(strace.keys()).collect();
    for k in keys {
        let (g, s) = (gort.get(k), strace.get(k));
        if g != s {
            let (g, s) = (g.cloned_or_empty(), s.cloned_or_empty());
            let i = g
                .iter()
                .zip(s.iter())
                .position(|(a, b)| a != b)
                .unwrap_or(g.len().min(s.len()));
            panic!(
                "{what}: {k} differs at index {i} (gort {} items, strace {} items)\n  gort:   {:?}\n  strace: {:?}",
                g.len(),
                s.len(),
                g.get(i.saturating_sub(2)..(i + 3).min(g.len())),
                s.get(i.saturating_sub(2)..(i + 3).min(s.len()))
            );
        }
    }
}

trait OrEmpty<T> {
    fn cloned_or_empty(self) -> Vec<T>;
}

impl<T: Clone> OrEmpty<T> for Option<&Vec<T>> {
    fn cloned_or_empty(self) -> Vec<T> {
        self.cloned().unwrap_or_default()
    }
}
