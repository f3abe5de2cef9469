//! The tracer loop: the only code that makes ptrace requests.
//!
//! Design: [`run`] executes inside the wired goroutine and receives the [`PtraceCap`] by reference; it
//! starts or attaches the tracees, then loops on `waitpid(-1, __WALL)`. Each stop is classified
//! (syscall entry/exit, ptrace event, group-stop, signal delivery, exit) and turned into [`Event`]s. Syscall
//! stops are told apart by a per-thread toggle checked against `rax == -ENOSYS` (the kernel's entry
//! marker), so a stray exit after attaching mid-call is ignored. Memory for decoding is fetched right here
//! while the tracee is stopped (see [`crate::decode`]).
//!
//! Events are batched, because handing every event to the formatter would cost a cross-thread wake-up
//! per stop. When no stop is ready the tracer first polls `wait4(WNOHANG)` for up to 200 µs, yielding the
//! CPU between polls (a busy tracee stops again within microseconds, and a tracer that does not sleep
//! saves a wake-up per stop). If the tracee is still running, the tracer blocks in `wait4` inside
//! `gort::syscall` (its P goes to the other goroutines) *keeping* a batch younger than 1 ms; a flusher
//! goroutine interrupts that `wait4` with a signal once the held events are 1 ms old (see
//! [`crate::signals`]), so a quiet tracee's lines still appear within about 2 ms. Batches are also
//! handed over at 256 events. `GORT_TRACE_WAIT=poll` (flush before every block) and `=block` (no
//! polling) select the two halves alone, and `GORT_TRACE_SPIN_US` changes the polling time, for the
//! benchmark. 200 µs is long enough that a tracee on a busy machine usually stops again within it;
//! at a quarter of that the tracer blocked often and every wake-up had to win the P back, which made
//! it much slower than strace (`bench/trace-overhead.sh`; commit ae16ab0).
//!
//! Detaching (SIGINT/SIGTERM) stops every tracee — `PTRACE_INTERRUPT` for seized ones, a `SIGSTOP` for the
//! others — and detaches each at its next stop, re-injecting any signal that was about to be delivered, so
//! attached processes keep running untouched.

use crate::decode::pid::{self as pids, PidNote, PidNotes};
use crate::decode::{self, Opts};
use crate::event::{mono_ns, Event, Stamp};
use crate::filter::Filter;
use crate::pidns::{PidResolver, PidType};
use crate::ptrace::{self, Pid, PtraceCap, WaitStatus};
use crate::qualify::{FdSet, InjectRule, Injection};
use crate::rt;
use crate::signals;
use crate::spawn::{self, Prepared};
use crate::tracee::TracerSide;
use std::collections::HashMap;
use syscalls::Sysno;

/// What to start tracing.
pub enum Start {
    /// Fork and exec this command.
    Spawn(Prepared),
    /// Attach to these pids.
    Attach(Vec<Pid>),
}

/// Tracer settings.
#[derive(Clone)]
pub struct Settings {
    /// `-f`.
    pub follow: bool,
    /// `-n`: lines that are not a syscall's show the tracee's latest syscall number too.
    pub syscall_numbers: bool,
    /// `--seccomp-bpf`: the started command has a seccomp filter (see [`crate::seccomp`]).
    pub seccomp: bool,
    /// `-e trace=`.
    pub filter: Filter,
    /// Decoding options.
    pub opts: Opts,
    /// Whether to record wall-clock stamps (`-tt`).
    pub wall: bool,
    /// `-e inject=` rules; for a syscall several rules name, the last one applies, as in strace.
    pub inject: Vec<InjectRule>,
    /// `-e read=`: descriptors whose reads are dumped in hex.
    pub read_fds: FdSet,
    /// `-e write=`: descriptors whose writes are dumped in hex.
    pub write_fds: FdSet,
    /// `-P`: only syscalls that name one of these paths (all when empty).
    pub paths: Vec<Vec<u8>>,
}

const SYSCALL_STOP: i32 = libc::SIGTRAP | 0x80;
const BATCH_MAX: usize = 256;
const SPIN: std::time::Duration = std::time::Duration::from_micros(200);
/// Events older than this are handed to the formatter even if the tracee keeps the tracer busy.
pub const FLUSH_AFTER_NS: u64 = 1_000_000;

/// How the tracer waits for the next stop (`GORT_TRACE_WAIT=hybrid|poll|block`, for benchmarking).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WaitMode {
    /// Poll up to 200 µs, then block holding a young batch (the default).
    Hybrid,
    /// Poll up to 200 µs, then flush and block.
    Poll,
    /// Block at once holding a young batch.
    Block,
}

impl WaitMode {
    fn from_env() -> WaitMode {
        match std::env::var("GORT_TRACE_WAIT").as_deref() {
            Ok("poll") => WaitMode::Poll,
            Ok("block") => WaitMode::Block,
            _ => WaitMode::Hybrid,
        }
    }
}

struct Tracer<'c, S: FnMut(Vec<Event>)> {
    cap: &'c PtraceCap,
    set: Settings,
    tracees: HashMap<Pid, TracerSide>,
    batch: Vec<Event>,
    sink: S,
    root: Option<Pid>,
    root_status: i32,
    detaching: bool,
    /// When the oldest event in `batch` was pushed (monotonic ns).
    batch_started: u64,
    /// How to wait for stops.
    mode: WaitMode,
    /// How long to poll before blocking.
    spin: std::time::Duration,
    /// `--decode-pids` lookups.
    resolver: PidResolver,
}

/// Runs the tracer to completion; returns the exit status gort-trace should exit with.
pub fn run(
    cap: &PtraceCap,
    start: Start,
    set: Settings,
    sink: impl FnMut(Vec<Event>),
) -> Result<i32, String> {
    signals::register_tracer_thread();
    let mut t = Tracer {
        cap,
        set,
        tracees: HashMap::new(),
        batch: Vec::with_capacity(BATCH_MAX),
        sink,
        root: None,
        root_status: 0,
        detaching: false,
        batch_started: 0,
        mode: WaitMode::from_env(),
        spin: std::env::var("GORT_TRACE_SPIN_US")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(SPIN, std::time::Duration::from_micros),
        resolver: PidResolver::new(),
    };
    match start {
        Start::Spawn(p) => t.spawn(&p)?,
        Start::Attach(pids) => t.attach(&pids)?,
    }
    t.event_loop()?;
    t.flush();
    Ok(t.root_status)
}

impl<S: FnMut(Vec<Event>)> Tracer<'_, S> {
    fn push(&mut self, e: Event) {
        if self.batch.is_empty() {
            self.batch_started = mono_ns();
        }
        self.batch.push(e);
        if self.batch.len() >= BATCH_MAX {
            self.flush();
        }
    }

    /// Announces a new tracee (and its name, under `--decode-pids=comm`).
    fn attached(&mut self, pid: Pid) {
        self.push(Event::Attached { pid });
        self.load_comm(pid);
    }

    /// Under `--decode-pids=comm`, sends the tracee's current name (its lines are prefixed with it).
    fn load_comm(&mut self, pid: Pid) {
        if self.set.opts.decode_pids & pids::COMM == 0 {
            return;
        }
        let comm = self
            .resolver
            .proc_pid(pid)
            .and_then(crate::pidns::comm_of)
            .unwrap_or_default();
        self.push(Event::Comm { pid, comm });
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let b = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_MAX));
            (self.sink)(b);
        }
    }

    fn spawn(&mut self, p: &Prepared) -> Result<(), String> {
        // The first time this wired goroutine blocks in a syscall, the runtime starts a thread for the
        // other goroutines. Blocking once now, before the fork, keeps that thread from taking a pid in
        // the tracee's pid namespace later (its children would then get other pids than under strace).
        rt::syscall(|| std::thread::sleep(std::time::Duration::from_millis(2)));
        let pid = spawn::spawn_traced(self.cap, p).map_err(|e| format!("fork: {e}"))?;
        // Wait for the child's self-inflicted SIGSTOP.
        let mut status = 0;
        loop {
            // SAFETY: `status` is a valid out-pointer.
            let r = rt::syscall(|| unsafe { libc::waitpid(pid, &mut status, libc::__WALL) });
            if r == pid {
                break;
            }
            if r == -1 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                return Err(format!("waitpid: {}", std::io::Error::last_os_error()));
            }
        }
        if !libc::WIFSTOPPED(status) {
            return Err("the child did not start".into());
        }
        self.cap
            .set_options(
                pid,
                ptrace::trace_options(self.set.follow, self.set.seccomp),
            )
            .map_err(|e| format!("ptrace(PTRACE_SETOPTIONS): {e}"))?;
        self.tracees.insert(
            pid,
            TracerSide {
                before_exec: true,
                ..Default::default()
            },
        );
        self.root = Some(pid);
        self.attached(pid);
        self.resume(pid, 0);
        Ok(())
    }

    fn attach(&mut self, pids: &[Pid]) -> Result<(), String> {
        let opts = ptrace::trace_options(self.set.follow, self.set.seccomp);
        for &pid in pids {
            let mut tids = vec![pid];
            if self.set.follow {
                if let Ok(rd) = std::fs::read_dir(format!("/proc/{pid}/task")) {
                    tids = rd
                        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                        .collect();
                    tids.sort_unstable();
                }
            }
            for tid in tids {
                if self.tracees.contains_key(&tid) {
                    continue;
                }
                if let Err(e) = self.cap.seize(tid, opts) {
                    if tid == pid {
                        self.detach_all_now();
                        return Err(format!(
                            "attach: ptrace(PTRACE_SEIZE, {pid}): {}",
                            errno_text(&e)
                        ));
                    }
                    continue;
                }
                let _ = self.cap.interrupt(tid);
                self.tracees.insert(
                    tid,
                    TracerSide {
                        seized: true,
                        awaiting_first_stop: true,
                        ..Default::default()
                    },
                );
                eprintln!("gort-trace: Process {tid} attached");
                self.attached(tid);
            }
        }
        Ok(())
    }

    /// Used when attaching fails half-way: detach what we already seized.
    fn detach_all_now(&mut self) {
        self.begin_detach();
        while !self.tracees.is_empty() {
            match rt::syscall(|| self.cap.wait_any(false)) {
                WaitStatus::Changed(pid, status, cpu) => self.handle(pid, status, cpu),
                WaitStatus::Error(libc::EINTR) | WaitStatus::None => {}
                WaitStatus::Error(_) => break,
            }
        }
        self.batch.clear();
    }

    fn resume(&mut self, pid: Pid, sig: i32) {
        // Between syscalls, a tracee with a seccomp filter runs on to its next traced syscall.
        let between = self
            .tracees
            .get(&pid)
            .is_some_and(|t| t.seccomp && !t.in_syscall);
        // ESRCH here means the tracee died under us; its exit is reported by waitpid.
        let _ = if between {
            self.cap.cont(pid, sig)
        } else {
            self.cap.syscall(pid, sig)
        };
    }

    fn event_loop(&mut self) -> Result<(), String> {
        while !self.tracees.is_empty() {
            if signals::stop_requested() && !self.detaching {
                self.begin_detach();
                continue;
            }
            let ws = self.wait_next();
            match ws {
                WaitStatus::Changed(pid, status, cpu) => self.handle(pid, status, cpu),
                WaitStatus::None | WaitStatus::Error(libc::EINTR) => {}
                WaitStatus::Error(libc::ECHILD) => break,
                WaitStatus::Error(e) => {
                    return Err(format!("waitpid: {}", decode::flags::strerror(e)))
                }
            }
        }
        Ok(())
    }

    /// Waits for the next stop (see the module comment for the strategies).
    fn wait_next(&mut self) -> WaitStatus {
        if self.mode != WaitMode::Block {
            let mut ws = self.cap.wait_any(true);
            if matches!(ws, WaitStatus::None) && !self.batch.is_empty() {
                let t0 = std::time::Instant::now();
                while matches!(ws, WaitStatus::None) && t0.elapsed() < self.spin {
                    // Yield rather than spin: on a small machine the tracee may need this very CPU.
                    std::thread::yield_now();
                    ws = self.cap.wait_any(true);
                }
            }
            if !matches!(ws, WaitStatus::None) {
                return ws;
            }
        }
        let old = mono_ns().saturating_sub(self.batch_started) >= FLUSH_AFTER_NS;
        if self.mode == WaitMode::Poll || old {
            self.flush();
        }
        signals::set_pending(if self.batch.is_empty() {
            0
        } else {
            self.batch_started.max(1)
        });
        let cap = self.cap;
        let ws = rt::syscall(|| cap.wait_any(false));
        signals::set_pending(0);
        if let WaitStatus::Error(libc::EINTR) = ws {
            // Woken by the flusher (the held events got old) or by a detach request.
            self.flush();
        }
        ws
    }

    fn handle(&mut self, pid: Pid, status: i32, cpu_ns: u64) {
        let at = Stamp {
            cpu_ns,
            ..Stamp::now(self.set.wall)
        };
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            if let Some(t) = self.tracees.remove(&pid) {
                if self.set.syscall_numbers {
                    self.push(Event::LastSyscall { pid, nr: t.nr });
                }
                if libc::WIFEXITED(status) {
                    let code = libc::WEXITSTATUS(status);
                    if Some(pid) == self.root {
                        self.root_status = code;
                    }
                    self.push(Event::Exited { pid, at, code });
                } else {
                    let sig = libc::WTERMSIG(status);
                    if Some(pid) == self.root {
                        self.root_status = 128 + sig;
                    }
                    self.push(Event::Killed {
                        pid,
                        at,
                        sig,
                        core: libc::WCOREDUMP(status),
                    });
                }
            }
            return;
        }
        if !libc::WIFSTOPPED(status) {
            return;
        }
        let sig = libc::WSTOPSIG(status);
        let event = (status >> 16) & 0xff;
        if !self.tracees.contains_key(&pid) && !self.set.follow {
            // Not asked for: a child its parent cloned with CLONE_PTRACE, which the kernel attached to
            // us. Without -f it is let go, as strace does.
            let _ = self.cap.detach(pid, 0);
            self.push(Event::DetachedUnknown { pid });
            return;
        }
        if !self.tracees.contains_key(&pid) {
            // A new child whose first stop beat its parent's fork/clone event.
            let seized = self.tracees.values().any(|t| t.seized);
            self.tracees.insert(
                pid,
                TracerSide {
                    awaiting_first_stop: true,
                    seized,
                    ..Default::default()
                },
            );
            self.attached(pid);
        }
        let t = self.tracees.get_mut(&pid).expect("inserted above");
        if t.awaiting_first_stop
            && sig != SYSCALL_STOP
            && (sig == libc::SIGSTOP || event == libc::PTRACE_EVENT_STOP)
        {
            t.awaiting_first_stop = false;
            if t.detaching {
                let _ = self.cap.detach(pid, 0);
                self.tracees.remove(&pid);
                self.push(Event::Detached { pid });
            } else {
                self.resume(pid, 0);
            }
            return;
        }
        t.awaiting_first_stop = false;
        if t.detaching {
            self.detach_at_stop(pid, sig, event);
            return;
        }
        if self.set.syscall_numbers && sig != SYSCALL_STOP {
            let nr = self.tracees.get(&pid).map_or(0, |t| t.nr);
            self.push(Event::LastSyscall { pid, nr });
        }
        if sig == SYSCALL_STOP {
            self.syscall_stop(pid, at);
        } else if sig == libc::SIGTRAP && event == libc::PTRACE_EVENT_SECCOMP {
            // The first seccomp stop only shows the tracee has the filter: its syscall-entry stop came
            // first and was handled. Later ones are the entries of traced syscalls.
            let t = self.tracees.get_mut(&pid).expect("known tracee");
            if t.seccomp {
                self.syscall_stop(pid, at);
            } else {
                t.seccomp = true;
                self.resume(pid, 0);
            }
        } else if sig == libc::SIGTRAP && event != 0 {
            self.ptrace_event(pid, event, at);
        } else if event == libc::PTRACE_EVENT_STOP {
            if matches!(
                sig,
                libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
            ) {
                self.push(Event::Stopped { pid, at, sig });
                let _ = self.cap.listen(pid);
            } else {
                self.resume(pid, 0);
            }
        } else {
            match self.cap.siginfo(pid) {
                Some(info) => {
                    let pids =
                        pid_notes(&mut self.resolver, self.set.opts.decode_pids, pid, || {
                            decode::structs::siginfo_into(&mut String::new(), &info)
                        });
                    self.push(Event::Signal {
                        pid,
                        at,
                        info: Box::new(info),
                        pids,
                    });
                    self.resume(pid, sig);
                }
                None => {
                    // Group-stop of a tracee that was not seized: report it and keep it traced.
                    self.push(Event::Stopped { pid, at, sig });
                    self.resume(pid, 0);
                }
            }
        }
    }

    fn syscall_stop(&mut self, pid: Pid, at: Stamp) {
        let Ok(regs) = self.cap.syscall_regs(pid) else {
            return;
        };
        let cap = self.cap;
        let t = self.tracees.get_mut(&pid).expect("known tracee");
        if !t.in_syscall {
            if regs.ret != -(libc::ENOSYS as i64) {
                // An exit stop whose entry we never saw (attached mid-call): skip it.
                self.resume(pid, 0);
                return;
            }
            t.in_syscall = true;
            t.nr = regs.nr;
            t.args = regs.args;
            // What the started command does before its first execve (such as installing the seccomp
            // filter) is gort-trace's own code: not shown, as strace does not show it.
            if t.before_exec {
                t.before_exec = !matches!(
                    Sysno::new(regs.nr as usize),
                    Some(Sysno::execve | Sysno::execveat)
                );
            }
            t.reported = !t.before_exec
                && self.set.filter.traced(regs.nr)
                && (self.set.paths.is_empty()
                    || decode::pathtrace::matches(
                        regs.nr,
                        &regs.args,
                        &self.set.paths,
                        &mut cap.memory(pid),
                    ));
            t.injected = None;
            t.poked = false;
            t.exit_pokes.clear();
            // As in strace, only the syscalls that are traced (and pass -P) are tampered with.
            let rule = self
                .set
                .inject
                .iter()
                .rev()
                .find(|r| r.syscalls.get(regs.nr as usize).copied().unwrap_or(false));
            if let Some(rule) = rule.filter(|_| t.reported) {
                let n = t.inject_counts.entry(regs.nr).or_insert(0);
                *n += 1;
                // The kernel skips a syscall whose number is -1 and returns -ENOSYS; the exit stop
                // then replaces that with the injected result.
                if rule.applies_to(*n) {
                    if let Some(what) = rule.what {
                        if cap.set_syscall_nr(pid, u64::MAX).is_ok() {
                            t.injected = Some(what);
                        }
                    }
                    for p in &rule.pokes {
                        if !p.at_entry {
                            t.exit_pokes.push(p.clone());
                        } else if let Some(&addr) = regs.args.get(p.arg) {
                            t.poked |= cap.write_mem(pid, addr, &p.data).is_ok();
                        }
                    }
                }
            }
            if t.reported {
                let plan = decode::plan_entry(regs.nr, &regs.args, &self.set.opts);
                let mut mem: decode::Mem = if plan.is_empty() {
                    Default::default()
                } else {
                    decode::fetch(&plan, &mut cap.memory(pid))
                };
                let opts = &self.set.opts;
                if opts.decode_pids != 0 {
                    mem.pids = pid_notes(&mut self.resolver, opts.decode_pids, pid, || {
                        decode::render_entry(regs.nr, &regs.args, &mem, opts, &mut String::new())
                    });
                    t.entry_mem = Some(mem.clone());
                }
                self.push(Event::Entry {
                    pid,
                    at,
                    nr: regs.nr,
                    args: regs.args,
                    mem,
                });
            }
        } else {
            t.in_syscall = false;
            let mut ret = regs.ret;
            // A successful execve or PR_SET_NAME renames the tracee, traced or not.
            let renamed = ret >= 0
                && match Sysno::new(t.nr as usize) {
                    Some(Sysno::execve | Sysno::execveat) => true,
                    Some(Sysno::prctl) => t.args[0] == libc::PR_SET_NAME as u64,
                    _ => false,
                };
            if let Some(what) = t.injected {
                ret = match what {
                    Injection::Error(e) => -(e as i64),
                    Injection::Retval(v) => v,
                };
                let _ = cap.set_return(pid, ret);
            }
            for p in std::mem::take(&mut t.exit_pokes) {
                if let Some(&addr) = t.args.get(p.arg) {
                    t.poked |= cap.write_mem(pid, addr, &p.data).is_ok();
                }
            }
            let reported = t.reported;
            if renamed {
                self.load_comm(pid);
            }
            let t = self.tracees.get_mut(&pid).expect("known tracee");
            if reported {
                let (nr, args, injected, poked) = (t.nr, t.args, t.injected.is_some(), t.poked);
                let mut plan = decode::plan_exit(nr, &args, ret, &self.set.opts);
                if let Some(req) =
                    decode::dump::plan(nr, &args, ret, &self.set.read_fds, &self.set.write_fds)
                {
                    plan.push(req);
                }
                let mut mem: decode::Mem = if plan.is_empty() {
                    Default::default()
                } else {
                    decode::fetch(&plan, &mut cap.memory(pid))
                };
                let opts = &self.set.opts;
                if opts.decode_pids != 0 {
                    let entry = t.entry_mem.take().unwrap_or_default();
                    mem.pids = pid_notes(&mut self.resolver, opts.decode_pids, pid, || {
                        let mut s = String::new();
                        decode::render_exit(nr, &args, ret, &entry, &mem, opts, &mut s);
                        decode::render_return(nr, &args, ret, &mem, opts, &mut s);
                    });
                }
                self.push(Event::Exit {
                    pid,
                    at,
                    nr,
                    ret,
                    mem,
                    injected,
                    poked,
                });
            }
        }
        self.resume(pid, 0);
    }

    fn ptrace_event(&mut self, pid: Pid, event: i32, at: Stamp) {
        match event {
            libc::PTRACE_EVENT_FORK | libc::PTRACE_EVENT_VFORK | libc::PTRACE_EVENT_CLONE => {
                if let Ok(msg) = self.cap.event_msg(pid) {
                    let child = msg as Pid;
                    let seized = self.tracees.get(&pid).is_some_and(|t| t.seized);
                    if !self.tracees.contains_key(&child) {
                        let detaching = self.detaching;
                        self.tracees.insert(
                            child,
                            TracerSide {
                                awaiting_first_stop: true,
                                seized,
                                detaching,
                                ..Default::default()
                            },
                        );
                        self.attached(child);
                    }
                }
            }
            libc::PTRACE_EVENT_EXIT => self.push(Event::Exiting { pid, at }),
            libc::PTRACE_EVENT_EXEC => {
                if let Ok(msg) = self.cap.event_msg(pid) {
                    let former = msg as Pid;
                    if former != pid {
                        if let Some(state) = self.tracees.remove(&former) {
                            self.tracees.insert(pid, state);
                        }
                        self.push(Event::Superseded { pid, former, at });
                    }
                }
            }
            _ => {}
        }
        self.resume(pid, 0);
    }

    fn begin_detach(&mut self) {
        self.detaching = true;
        signals::acknowledge();
        let pids: Vec<Pid> = self.tracees.keys().copied().collect();
        for pid in pids {
            let t = self.tracees.get_mut(&pid).expect("listed");
            t.detaching = true;
            if t.awaiting_first_stop {
                continue;
            }
            if t.seized {
                let _ = self.cap.interrupt(pid);
            } else {
                t.sent_sigstop = true;
                let tgid = ptrace::tgid_of(pid).unwrap_or(pid);
                let _ = ptrace::tgkill(tgid, pid, libc::SIGSTOP);
            }
        }
    }

    fn detach_at_stop(&mut self, pid: Pid, sig: i32, event: i32) {
        let t = self.tracees.get(&pid).expect("known tracee");
        let delivering = event == 0 && sig != SYSCALL_STOP && self.cap.siginfo(pid).is_some();
        if t.seized {
            let pass = if delivering { sig } else { 0 };
            let _ = self.cap.detach(pid, pass);
        } else if delivering && sig == libc::SIGSTOP && t.sent_sigstop {
            let _ = self.cap.detach(pid, 0);
        } else {
            // Let it run (passing on any real signal) until our SIGSTOP arrives.
            let _ = self.cap.cont(pid, if delivering { sig } else { 0 });
            return;
        }
        self.tracees.remove(&pid);
        self.push(Event::Detached { pid });
    }
}

/// What `--decode-pids` adds to the ids that `render` prints for `tracee`: their ids in the tracer's
/// namespace when the tracee lives in another, and their names under `comm`.
fn pid_notes(
    resolver: &mut PidResolver,
    decode_pids: u8,
    tracee: Pid,
    render: impl FnOnce(),
) -> PidNotes {
    let pidns = decode_pids & pids::PIDNS != 0 && resolver.foreign(tracee);
    let comm = decode_pids & pids::COMM != 0;
    if !pidns && !comm {
        return PidNotes::default();
    }
    let notes = pids::collect(render)
        .into_iter()
        .filter_map(|(kind, id)| {
            let found = resolver.translate(tracee, id, kind)?;
            Some(PidNote {
                kind,
                pid: id,
                ours: (pidns && found.ours != id).then_some(found.ours),
                comm: (comm && matches!(kind, PidType::Tid | PidType::Tgid))
                    .then(|| crate::pidns::comm_of(found.proc_pid))
                    .flatten(),
            })
        })
        .collect();
    PidNotes(notes)
}

fn errno_text(e: &std::io::Error) -> String {
    decode::flags::strerror(e.raw_os_error().unwrap_or(0))
}
