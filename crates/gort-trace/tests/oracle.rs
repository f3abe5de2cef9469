//! gort-trace against strace as the oracle: per-pid syscall name sequences, decoded arguments and return
//! values of the common calls, exit lines, and `-c` counts, with gort running on 1 and 2 processors.

mod common;
use common::*;

/// The calls whose decoded arguments and return values must equal strace's.
const DECODED: &[&str] = &[
    "open",
    "openat",
    "read",
    "write",
    "close",
    "execve",
    "exit_group",
];

fn compare(cmd: &[&str], extra: &[&str]) {
    let (st, st_out) = trace_with("strace", None, extra, cmd);
    assert!(
        !st.is_empty(),
        "strace produced no trace for {cmd:?}: {}",
        String::from_utf8_lossy(&st_out.stderr)
    );
    for procs in [1, 2] {
        let (gt, gt_out) = trace_with("gort", Some(procs), extra, cmd);
        let ctx = format!("{cmd:?} {extra:?} procs={procs}");
        assert_eq!(
            gt_out.status.code(),
            st_out.status.code(),
            "exit status, {ctx}"
        );
        assert_eq!(gt_out.stdout, st_out.stdout, "tracee stdout, {ctx}");
        assert_same(
            &format!("syscall names, {ctx}"),
            &name_sequences(&gt),
            &name_sequences(&st),
        );
        assert_same(
            &format!("decoded calls, {ctx}"),
            &decoded_calls(&gt, DECODED),
            &decoded_calls(&st, DECODED),
        );
        assert_same(&format!("exit lines, {ctx}"), &ends(&gt), &ends(&st));
    }
}

#[test]
fn bin_true() {
    compare(&["/bin/true"], &["-f"]);
}

#[test]
fn ls_fixture_dir() {
    let d = ls_dir();
    compare(&["ls", "-a", d.to_str().unwrap()], &["-f"]);
}

#[test]
fn sh_pipeline() {
    let d = ls_dir();
    let script = format!("ls {} | cat | wc -l; echo done | cat", d.display());
    compare(&["sh", "-c", &script], &["-f"]);
}

#[test]
fn c_threads_and_forks() {
    let p = c_fixture("threads_forks");
    compare(&[p.to_str().unwrap(), "4", "3"], &["-f"]);
}

#[test]
fn many_threads() {
    let p = c_fixture("threads_forks");
    compare(&[p.to_str().unwrap(), "64", "1"], &["-f"]);
}

#[test]
fn rust_program() {
    let p = rust_fixture();
    let d = ls_dir();
    compare(
        &[p.to_str().unwrap(), d.join("alpha").to_str().unwrap()],
        &["-f"],
    );
}

#[test]
fn string_limit() {
    let d = ls_dir();
    compare(
        &["cat", d.join("gamma.txt").to_str().unwrap(), "/etc/passwd"],
        &["-f", "-s", "5"],
    );
}

#[test]
fn trace_filter_names_and_classes() {
    let d = ls_dir();
    let ds = d.to_str().unwrap();
    compare(&["ls", ds], &["-f", "-e", "trace=openat,close,read"]);
    compare(&["ls", ds], &["-f", "-e", "trace=%file"]);
    compare(
        &["sh", "-c", "echo x | cat"],
        &["-f", "-e", "trace=%process"],
    );
}

fn compare_counts(cmd: &[&str], extra: &[&str]) {
    let (st, _) = trace_with("strace", None, &[&["-c"], extra].concat(), cmd);
    // Timing-dependent calls (futex under contention, restarts) are left out on both sides.
    let counts = |t: &str| {
        let mut m = summary_counts(t);
        m.retain(|k, _| !TIMING_DEPENDENT.contains(&k.as_str()));
        m
    };
    let want = counts(&st);
    assert!(!want.is_empty(), "strace -c table not parsed:\n{st}");
    for procs in [1, 2] {
        let (gt, _) = trace_with("gort", Some(procs), &[&["-c"], extra].concat(), cmd);
        assert!(
            gt.starts_with("% time     seconds  usecs/call     calls    errors syscall\n"),
            "{gt}"
        );
        assert_eq!(
            counts(&gt),
            want,
            "-c counts for {cmd:?}, procs={procs}\n{gt}"
        );
    }
}

#[test]
fn summary_counts_match() {
    let d = ls_dir();
    compare_counts(&["/bin/true"], &[]);
    compare_counts(&["ls", "-l", d.to_str().unwrap()], &[]);
    compare_counts(&["sh", "-c", "echo a; echo b; cd /nonexistent"], &[]);
    let p = rust_fixture();
    compare_counts(&[p.to_str().unwrap(), "/nonexistent"], &[]);
}
