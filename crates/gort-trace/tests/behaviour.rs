//! gort-trace's behaviour as a tool: exit statuses, signals, attaching and detaching, output options,
//! and bad input — each on 1 and 2 processors.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PROCS: [&str; 2] = ["1", "2"];

/// Polls `cond` every 20 ms for up to 20 s (a bound for slow machines, not a timing assertion).
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let t0 = Instant::now();
    while !cond() {
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Kills and reaps a spawned child when dropped, so a failing test leaves no process behind.
struct Guard(std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl std::ops::Deref for Guard {
    type Target = std::process::Child;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Guard {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// Kills a process that is not our child (a grandchild) if the test panics.
struct KillIfPanicking(u32);

impl Drop for KillIfPanicking {
    fn drop(&mut self) {
        if std::thread::panicking() {
            cleanup_kill(self.0);
        }
    }
}

/// Whether thread `tid` belongs to process `pid`.
fn is_thread_of(tid: i32, pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}/task/{tid}")).exists()
}

/// Sends `sig` to `pid`.
fn signal(pid: u32, sig: i32) {
    // SAFETY: kill(2) takes plain integers.
    let rc = unsafe { libc::kill(pid as i32, sig) };
    assert_eq!(rc, 0, "kill({pid}, {sig})");
}

/// Kills `pid` if it is still there (cleanup; the result does not matter).
fn cleanup_kill(pid: u32) {
    // SAFETY: kill(2) takes plain integers.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
}

fn stderr_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn exit_status_is_the_tracees() {
    for p in PROCS {
        let o = gort_trace(&["--procs", p, "-o", "/dev/null", "sh", "-c", "exit 7"]);
        assert_eq!(o.status.code(), Some(7));
        let o = gort_trace(&["--procs", p, "-o", "/dev/null", "/bin/true"]);
        assert_eq!(o.status.code(), Some(0));
        let o = gort_trace(&["--procs", p, "-o", "/dev/null", "/bin/false"]);
        assert_eq!(o.status.code(), Some(1));
    }
}

#[test]
fn killed_by_signal() {
    let crash = c_fixture("crash");
    for p in PROCS {
        let (text, out) = trace_with(
            "gort",
            Some(p.parse().unwrap()),
            &[],
            &[crash.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(128 + 11), "{}", stderr_of(&out));
        let lines: Vec<&str> = text.lines().collect();
        let n = lines.len();
        assert!(
            lines[n - 2]
                .ends_with("--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---"),
            "{text}"
        );
        assert!(lines[n - 1].starts_with("+++ killed by SIGSEGV"), "{text}");

        let (text, out) = trace_with(
            "gort",
            Some(p.parse().unwrap()),
            &[],
            &[crash.to_str().unwrap(), "term"],
        );
        assert_eq!(out.status.code(), Some(128 + 15));
        assert!(
            text.contains("--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid="),
            "{text}"
        );
        assert!(
            text.trim_end().ends_with("+++ killed by SIGTERM +++"),
            "{text}"
        );
    }
}

#[test]
fn sigchld_is_reported() {
    let (text, _) = trace_with("gort", None, &["-f"], &["sh", "-c", "/bin/true; /bin/true"]);
    assert!(
        text.contains("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid="),
        "no SIGCHLD line:\n{text}"
    );
}

#[test]
fn stderr_layout_without_o() {
    // Without -o the trace goes to stderr; under -f lines of concurrent tracees get `[pid N] `.
    for p in PROCS {
        let o = gort_trace(&["--procs", p, "-f", "sh", "-c", "/bin/true; echo hi"]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(String::from_utf8_lossy(&o.stdout), "hi\n");
        let err = stderr_of(&o);
        assert!(err.starts_with("execve(\""), "{err}");
        assert!(err.contains("[pid "), "{err}");
        assert!(
            err.contains("= ") && err.trim_end().ends_with("+++ exited with 0 +++"),
            "{err}"
        );
        let first = err.lines().next().unwrap();
        assert_eq!(
            first.find(" = "),
            Some(first.len() - " = 0".len()),
            "{first}"
        );
    }
}

#[test]
fn output_file_and_timing_options() {
    let f = tmpfile("o.txt");
    let o = gort_trace(&["-T", "-tt", "-o", f.to_str().unwrap(), "/bin/true"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        o.stderr.is_empty(),
        "trace leaked to stderr: {}",
        stderr_of(&o)
    );
    let text = std::fs::read_to_string(&f).unwrap();
    let first = text.lines().next().unwrap();
    // 12:34:56.123456 execve("/bin/true", ["/bin/true"], 0x... /* N vars */) = 0 <0.000123>
    let (ts, rest) = first.split_once(' ').unwrap();
    assert_eq!(ts.len(), 15, "{first}");
    assert!(
        ts.as_bytes()[2] == b':' && ts.as_bytes()[5] == b':' && ts.as_bytes()[8] == b'.',
        "{first}"
    );
    assert!(
        rest.starts_with("execve(\"/bin/true\", [\"/bin/true\"], 0x"),
        "{first}"
    );
    let t = rest.rsplit_once(" <").unwrap().1;
    assert!(t.ends_with('>') && t.contains('.'), "{first}");
    assert!(text.trim_end().ends_with("+++ exited with 0 +++"));
}

#[test]
fn trace_filter() {
    let d = ls_dir();
    let (text, _) = trace_with(
        "gort",
        None,
        &["-e", "trace=openat,close"],
        &["ls", d.to_str().unwrap()],
    );
    for l in text.lines().filter(|l| !l.starts_with("+++")) {
        assert!(
            l.starts_with("openat(") || l.starts_with("close("),
            "unexpected line {l}"
        );
    }
    assert!(text.contains(&format!(
        "openat(AT_FDCWD, \"{}\", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3",
        d.display()
    )));
    let (text, _) = trace_with(
        "gort",
        None,
        &["-e", "trace=%process"],
        &["sh", "-c", "exit 3"],
    );
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once('(').map(|x| x.0))
        .collect();
    assert_eq!(names, ["execve", "exit_group"], "{text}");
}

#[test]
fn summary_table_layout() {
    let (text, out) = trace_with("gort", None, &["-c"], &["/bin/true"]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "% time     seconds  usecs/call     calls    errors syscall"
    );
    assert_eq!(
        lines[1],
        "------ ----------- ----------- --------- --------- ----------------"
    );
    assert!(lines.last().unwrap().ends_with(" total"), "{text}");
    assert!(
        !text.contains("exit_group"),
        "exit_group never returns and is not counted"
    );
}

fn proc_state(pid: u32) -> Option<(char, i32)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let state = status
        .lines()
        .find_map(|l| l.strip_prefix("State:"))?
        .trim()
        .chars()
        .next()?;
    let tracer = status
        .lines()
        .find_map(|l| l.strip_prefix("TracerPid:"))?
        .trim()
        .parse()
        .ok()?;
    Some((state, tracer))
}

#[test]
fn attach_and_detach_on_sigint() {
    let looper = c_fixture("looper");
    for p in PROCS {
        let out_file = tmpfile("looper-out");
        let mut target = Guard(
            Command::new(&looper)
                .stdout(std::fs::File::create(&out_file).unwrap())
                .spawn()
                .unwrap(),
        );
        let pid = target.id();
        let trace = tmpfile("attach.txt");
        let mut tracer = Guard(
            Command::new(bin())
                .args([
                    "--procs",
                    p,
                    "-o",
                    trace.to_str().unwrap(),
                    "-p",
                    &pid.to_string(),
                ])
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
        wait_until("the trace to show the looper's writes", || {
            std::fs::read_to_string(&trace)
                .unwrap_or_default()
                .contains("write(1, \".\", 1)")
        });
        let traced_by = proc_state(pid).map(|s| s.1).unwrap_or(0);
        assert!(
            is_thread_of(traced_by, tracer.id()),
            "looper is traced by a gort-trace thread"
        );
        signal(tracer.id(), libc::SIGINT);
        let mut status = None;
        wait_until("gort-trace to exit after SIGINT", || {
            status = tracer.try_wait().unwrap();
            status.is_some()
        });
        assert_eq!(status.unwrap().code(), Some(0));
        let mut err = String::new();
        std::io::Read::read_to_string(tracer.stderr.as_mut().unwrap(), &mut err).unwrap();
        assert!(err.contains(&format!("Process {pid} attached")), "{err}");
        assert!(err.contains(&format!("Process {pid} detached")), "{err}");
        // The looper keeps running, untraced and not stopped: its output keeps growing.
        let (state, tracer_pid) = proc_state(pid).expect("looper still alive");
        assert_eq!(tracer_pid, 0, "still traced after detach");
        assert!(
            !matches!(state, 't' | 'T' | 'Z'),
            "looper left in state {state}"
        );
        let len = std::fs::metadata(&out_file).unwrap().len();
        wait_until("the looper to keep writing", || {
            std::fs::metadata(&out_file).unwrap().len() > len + 3
        });
        target.kill().unwrap();
        target.wait().unwrap();
    }
}

#[test]
fn attach_follows_threads_of_a_process() {
    // -f -p on a running shell pipeline parent: attach, see its syscalls, detach on SIGTERM.
    let looper = c_fixture("looper");
    let mut target = Guard(Command::new(&looper).stdout(Stdio::null()).spawn().unwrap());
    let trace = tmpfile("attach-f.txt");
    let mut tracer = Guard(
        Command::new(bin())
            .args([
                "-f",
                "-o",
                trace.to_str().unwrap(),
                "-p",
                &target.id().to_string(),
            ])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until("trace lines", || {
        std::fs::read_to_string(&trace)
            .unwrap_or_default()
            .contains("nanosleep")
    });
    signal(tracer.id(), libc::SIGTERM);
    let mut status = None;
    wait_until("gort-trace to exit after SIGTERM", || {
        status = tracer.try_wait().unwrap();
        status.is_some()
    });
    assert_eq!(status.unwrap().code(), Some(0));
    assert_eq!(proc_state(target.id()).map(|s| s.1), Some(0));
    target.kill().unwrap();
    target.wait().unwrap();
}

fn assert_one_line_error(o: &std::process::Output, needle: &str) {
    let err = stderr_of(o);
    assert_ne!(o.status.code(), Some(0), "{err}");
    assert!(o.status.code().is_some(), "killed by a signal: {err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    assert!(err.starts_with("gort-trace: "), "{err}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_input() {
    assert_one_line_error(
        &gort_trace(&["no-such-command-xyz"]),
        "No such file or directory",
    );
    assert_one_line_error(&gort_trace(&["/no/such/path"]), "No such file or directory");
    assert_one_line_error(&gort_trace(&["-p", "999999999"]), "no such process");
    assert_one_line_error(&gort_trace(&["-p", "notapid"]), "invalid value");
    assert_one_line_error(&gort_trace(&["--bogus-option", "true"]), "--bogus-option");
    assert_one_line_error(
        &gort_trace(&["-e", "trace=nosuchcall", "true"]),
        "invalid system call 'nosuchcall'",
    );
    assert_one_line_error(
        &gort_trace(&["-e", "trace=%nosuchclass", "true"]),
        "invalid system call",
    );
    assert_one_line_error(&gort_trace(&[]), "must have PROG");
    assert_one_line_error(
        &gort_trace(&["-o", "/no/such/dir/file", "true"]),
        "Can't fopen",
    );
}

#[test]
fn untraceable_pid() {
    // A process already traced (by strace) cannot be traced again.
    let looper = c_fixture("looper");
    let held = tmpfile("held.txt");
    let mut strace = Guard(
        Command::new("strace")
            .args(["-o", held.to_str().unwrap()])
            .arg(&looper)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("strace is required: run scripts/setup-trace-deps.sh"),
    );
    let mut child = None;
    // strace forks short-lived probe children at startup: wait for the one that runs the looper and is
    // traced.
    let looper_name = looper.file_name().unwrap().to_string_lossy().into_owned();
    wait_until("strace's child", || {
        let kids = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", strace.id()))
            .unwrap_or_default();
        child = kids.split_whitespace().map(str::to_string).find(|c| {
            let cmd = std::fs::read(format!("/proc/{c}/cmdline")).unwrap_or_default();
            String::from_utf8_lossy(&cmd).contains(&looper_name)
                && proc_state(c.parse().unwrap_or(0)).is_some_and(|s| s.1 != 0)
        });
        child.is_some()
    });
    let _child_guard = KillIfPanicking(child.as_ref().unwrap().parse().unwrap());
    let o = gort_trace(&["-p", child.as_ref().unwrap()]);
    assert_one_line_error(&o, "Operation not permitted");
    strace.kill().unwrap();
    strace.wait().unwrap();
    cleanup_kill(child.as_ref().unwrap().parse().unwrap());
}

#[test]
fn sigint_detaches_a_spawned_command() {
    let looper = c_fixture("looper");
    for p in PROCS {
        let out_file = tmpfile("spawned-out");
        let trace = tmpfile("spawned.txt");
        let mut tracer = Guard(
            Command::new(bin())
                .args(["--procs", p, "-o", trace.to_str().unwrap()])
                .arg(&looper)
                .stdout(std::fs::File::create(&out_file).unwrap())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        wait_until("the looper's writes in the trace", || {
            std::fs::read_to_string(&trace)
                .unwrap_or_default()
                .contains("write(1, \".\", 1)")
        });
        let looper_pid: u32 =
            std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", tracer.id()))
                .ok()
                .and_then(|s| s.split_whitespace().next()?.parse().ok())
                .or_else(|| {
                    // The tracer thread is not the main thread: look through all of gort-trace's threads.
                    std::fs::read_dir(format!("/proc/{}/task", tracer.id()))
                        .ok()?
                        .find_map(|t| {
                            let t = t.ok()?.file_name();
                            std::fs::read_to_string(format!(
                                "/proc/{}/task/{}/children",
                                tracer.id(),
                                t.to_str()?
                            ))
                            .ok()?
                            .split_whitespace()
                            .next()?
                            .parse()
                            .ok()
                        })
                })
                .expect("the looper is gort-trace's child");
        let _looper_guard = KillIfPanicking(looper_pid);
        signal(tracer.id(), libc::SIGINT);
        let mut status = None;
        wait_until("gort-trace to exit after SIGINT", || {
            status = tracer.try_wait().unwrap();
            status.is_some()
        });
        let (state, tracer_pid) = proc_state(looper_pid).expect("looper still alive after detach");
        assert_eq!(tracer_pid, 0);
        assert!(
            !matches!(state, 't' | 'T' | 'Z'),
            "looper left in state {state}"
        );
        let len = std::fs::metadata(&out_file).unwrap().len();
        wait_until("the looper to keep writing", || {
            std::fs::metadata(&out_file).unwrap().len() > len + 3
        });
        cleanup_kill(looper_pid);
    }
}
