//! strace's line layout, including the interleaving of several tracees.
//!
//! Design: the formatter replays strace's printing model. A syscall entry opens a line (`[pid N] name(args`)
//! that the matching exit completes (`) = ret`), padded so that ` = ` starts at column 40. If anything
//! else must be printed first — another tracee's syscall, a signal — the open line is closed with
//! ` <unfinished ...>` and the exit later prints `<... name resumed>` instead. The pid prefix follows
//! strace: `NNNNN ` on every line when writing to a file under `-f`, otherwise `[pid NNNNN] ` while more
//! than one tracee is alive. Under `-c` no lines are produced; completed calls go to the [`Summary`].

use crate::cli::Qualifiers;
use crate::decode::{self, flags, pid, structs, Opts};
use crate::event::{Event, Stamp};
use crate::ptrace::Pid;
use crate::qualify::Outcome;
use crate::summary::Summary;
use crate::timestamps;
use crate::tracee::{FormatterSide, Pending};
use std::collections::HashMap;
use std::fmt::Write;

/// Formatter settings.
#[derive(Clone, Debug, Default)]
pub struct FormatOpts {
    /// Decoding options.
    pub decode: Opts,
    /// `-f`.
    pub follow: bool,
    /// Output goes to a file (`-o`), which changes the pid prefix.
    pub to_file: bool,
    /// `-T`.
    pub syscall_times: bool,
    /// `-n`: each line starts with the number of the tracee's latest syscall.
    pub syscall_numbers: bool,
    /// `-t`, `-r`, `--timestamps`, `-T` precision.
    pub stamps: crate::timestamps::Stamps,
    /// `-c`.
    pub summary: bool,
    /// `-a N`: the column where ` = ` starts (strace's default, 40, when `None`).
    pub column: Option<usize>,
    /// `-e signal=`, `status=`, `quiet=`, `read=`, `write=`.
    pub qual: Qualifiers,
}

/// Turns events into text.
pub struct Formatter {
    o: FormatOpts,
    pids: HashMap<Pid, FormatterSide>,
    live: usize,
    open_line: Option<Pid>,
    /// Absolute output position (over all chunks taken so far) where the current line starts.
    line_start: usize,
    /// Bytes handed out by [`Formatter::take`] so far.
    taken: usize,
    out: String,
    summary: Summary,
    /// Messages for the user's terminal (attach/detach notices), not part of the trace.
    pub notices: Vec<String>,
    /// When the previous line began (`-r`).
    last_line_ns: Option<u64>,
}

/// strace's default alignment column for the return value (`-a 40`).
pub const DEFAULT_COLUMN: usize = 40;

impl Formatter {
    /// A formatter with no tracees yet.
    pub fn new(o: FormatOpts) -> Formatter {
        Formatter {
            o,
            pids: HashMap::new(),
            live: 0,
            open_line: None,
            line_start: 0,
            taken: 0,
            out: String::with_capacity(4096),
            summary: Summary::default(),
            notices: Vec::new(),
            last_line_ns: None,
        }
    }

    /// Takes the text produced so far.
    pub fn take(&mut self) -> String {
        self.taken += self.out.len();
        std::mem::take(&mut self.out)
    }

    /// Ends the trace: returns the remaining text (and the `-c` table).
    pub fn finish(&mut self) -> String {
        if self.open_line.take().is_some() {
            self.out.push_str(" <unfinished ...>\n");
        }
        if self.o.summary {
            let t = self.summary.render();
            self.out.push_str(&t);
        }
        std::mem::take(&mut self.out)
    }

    /// Drops the tracee (a leader whose pid a thread's `execve` took over, under `-ff`): the text
    /// still held, its open line ended with ` <detached ...>` as strace ends it.
    pub fn abandon(&mut self) -> String {
        if self.open_line.take().is_some() {
            self.out.push_str(" <detached ...>\n");
        }
        std::mem::take(&mut self.out)
    }

    /// The summary so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    fn close_open_line(&mut self) {
        if let Some(p) = self.open_line.take() {
            self.out.push_str(" <unfinished ...>\n");
            if let Some(Some(pend)) = self.pids.get_mut(&p).map(|s| s.pending.as_mut()) {
                pend.unfinished = true;
            }
        }
    }

    fn begin_line(&mut self, pid: Pid, at: Stamp) {
        self.line_start = self.taken + self.out.len();
        let comm = self.pids.get(&pid).map_or(&[][..], |s| &s.comm[..]);
        if self.o.to_file && (self.o.follow || self.live > 1) {
            // With a name after it, the pid is not padded.
            if comm.is_empty() {
                let _ = write!(self.out, "{pid:<5} ");
            } else {
                let _ = write!(self.out, "{pid}");
                pid::comm_into(&mut self.out, comm);
                self.out.push(' ');
            }
        } else if self.live > 1 {
            let _ = write!(self.out, "[pid {pid:>5}");
            pid::comm_into(&mut self.out, comm);
            self.out.push_str("] ");
        }
        if let Some(digits) = self.o.stamps.relative {
            let since = at
                .mono_ns
                .saturating_sub(self.last_line_ns.unwrap_or(at.mono_ns));
            timestamps::relative_into(&mut self.out, since, digits);
            self.last_line_ns = Some(at.mono_ns);
        }
        if let Some((format, digits)) = self.o.stamps.absolute {
            timestamps::absolute_into(&mut self.out, at.wall_ns, format, digits);
        }
        if self.o.syscall_numbers {
            let nr = self.pids.get(&pid).map_or(0, |s| s.last_nr);
            let _ = write!(self.out, "[{nr:4}] ");
        }
    }

    fn pad_and_equals(&mut self) {
        let col = (self.taken + self.out.len()).saturating_sub(self.line_start);
        let column = self.o.column.unwrap_or(DEFAULT_COLUMN).saturating_sub(1);
        for _ in col..column {
            self.out.push(' ');
        }
        self.out.push_str(" = ");
    }

    /// Processes one event.
    pub fn handle(&mut self, ev: Event) {
        match ev {
            Event::Attached { pid } => {
                if self.pids.insert(pid, FormatterSide::default()).is_none() {
                    self.live += 1;
                }
            }
            Event::Entry {
                pid,
                at,
                nr,
                args,
                mem,
            } => {
                self.pids.entry(pid).or_default().last_nr = nr;
                let defer = !self.o.qual.status.is_all();
                if !defer && !self.o.summary {
                    self.close_open_line();
                    self.begin_line(pid, at);
                    self.out.push_str(&decode::syscall_name(nr));
                    self.out.push('(');
                    let (o, out) = (&self.o.decode, &mut self.out);
                    pid::annotated(&mem.pids, || decode::render_entry(nr, &args, &mem, o, out));
                    self.open_line = Some(pid);
                }
                let side = self.pids.entry(pid).or_default();
                side.pending = Some(Pending {
                    nr,
                    args,
                    entered: at,
                    unfinished: false,
                    deferred: defer,
                    entry_mem: mem,
                });
            }
            Event::Exit {
                pid,
                at,
                nr: _,
                ret,
                mem,
                injected,
                poked,
            } => {
                let Some(p) = self.pids.get_mut(&pid).and_then(|s| s.pending.take()) else {
                    return;
                };
                if self.o.summary {
                    self.summary
                        .record(p.nr, ret, at.cpu_ns.saturating_sub(p.entered.cpu_ns));
                    return;
                }
                if p.deferred {
                    let outcome = if (-4095..0).contains(&ret) {
                        Outcome::Failed
                    } else {
                        Outcome::Successful
                    };
                    if !self.o.qual.status.contains(outcome) {
                        return;
                    }
                    self.close_open_line();
                    self.begin_line(pid, p.entered);
                    self.out.push_str(&decode::syscall_name(p.nr));
                    self.out.push('(');
                    let (o, out) = (&self.o.decode, &mut self.out);
                    pid::annotated(&p.entry_mem.pids, || {
                        decode::render_entry(p.nr, &p.args, &p.entry_mem, o, out)
                    });
                } else if self.open_line != Some(pid) {
                    self.close_open_line();
                    self.begin_line(pid, at);
                    let _ = write!(self.out, "<... {} resumed>", decode::syscall_name(p.nr));
                }
                self.open_line = None;
                let (o, out) = (&self.o.decode, &mut self.out);
                pid::annotated(&mem.pids, || {
                    decode::render_exit(p.nr, &p.args, ret, &p.entry_mem, &mem, o, out)
                });
                self.out.push(')');
                self.pad_and_equals();
                let (o, out) = (&self.o.decode, &mut self.out);
                pid::annotated(&mem.pids, || {
                    decode::render_return(p.nr, &p.args, ret, &mem, o, out)
                });
                match (injected, poked) {
                    (true, true) => self.out.push_str(" (INJECTED: args, retval)"),
                    (false, true) => self.out.push_str(" (INJECTED: args)"),
                    (true, false) => self.out.push_str(" (INJECTED)"),
                    (false, false) => {}
                }
                if self.o.syscall_times {
                    let ns = at.mono_ns.saturating_sub(p.entered.mono_ns);
                    self.out.push_str(" <");
                    timestamps::seconds_into(&mut self.out, ns, self.o.stamps.duration_digits);
                    self.out.push('>');
                }
                self.out.push('\n');
                let dumped = mem.get(decode::dump::SLOT);
                decode::dump::dumped_into(&mut self.out, pid, p.nr, &p.args, ret, dumped);
            }
            Event::Signal {
                pid,
                at,
                info,
                pids,
            } => {
                if self.o.summary {
                    return;
                }
                let signo = i32::from_ne_bytes([info[0], info[1], info[2], info[3]]);
                if !self.o.qual.signals.contains(signo) {
                    return;
                }
                self.close_open_line();
                self.begin_line(pid, at);
                let _ = write!(self.out, "--- {} ", flags::signal_name(signo));
                let out = &mut self.out;
                pid::annotated(&pids, || structs::siginfo_into(out, &info[..]));
                self.out.push_str(" ---\n");
            }
            Event::Stopped { pid, at, sig } => {
                if self.o.summary || !self.o.qual.signals.contains(sig) {
                    return;
                }
                self.close_open_line();
                self.begin_line(pid, at);
                let _ = writeln!(self.out, "--- stopped by {} ---", flags::signal_name(sig));
            }
            Event::Superseded { pid, former, at } => {
                // The exec'ing thread takes the leader's pid; the leader's own state goes, as does the
                // line each had open: the thread's `execve` resumes on a line of its own.
                let mut moved = self.pids.remove(&former);
                if self.open_line == Some(former) {
                    self.open_line = None;
                    if !self.o.summary {
                        let _ = writeln!(self.out, " <pid changed to {pid} ...>");
                    }
                    if let Some(Some(p)) = moved.as_mut().map(|s| s.pending.as_mut()) {
                        p.unfinished = true;
                    }
                } else if self.open_line == Some(pid) {
                    self.open_line = None;
                    self.out.push_str(" <detached ...>\n");
                }
                self.forget(pid);
                if let Some(state) = moved {
                    self.pids.insert(pid, state);
                }
                if !self.o.summary && !self.o.qual.quiet.thread_execve {
                    self.begin_line(pid, at);
                    let _ = writeln!(self.out, "+++ superseded by execve in pid {former} +++");
                }
            }
            Event::Exiting { pid, at } => {
                if self.pids.get(&pid).is_some_and(|s| s.pending.is_some()) {
                    self.end_of_tracee(pid, at);
                }
            }
            Event::Exited { pid, at, code } => {
                self.end_of_tracee(pid, at);
                if !self.o.summary && !self.o.qual.quiet.exit {
                    self.begin_line(pid, at);
                    let _ = writeln!(self.out, "+++ exited with {code} +++");
                }
                self.forget(pid);
            }
            Event::Killed { pid, at, sig, core } => {
                self.end_of_tracee(pid, at);
                if !self.o.summary && !self.o.qual.quiet.exit {
                    self.begin_line(pid, at);
                    let _ = writeln!(
                        self.out,
                        "+++ killed by {}{} +++",
                        flags::signal_name(sig),
                        if core { " (core dumped)" } else { "" }
                    );
                }
                self.forget(pid);
            }
            Event::Comm { pid, comm } => {
                if let Some(side) = self.pids.get_mut(&pid) {
                    side.comm = comm;
                }
            }
            Event::LastSyscall { pid, nr } => {
                if let Some(side) = self.pids.get_mut(&pid) {
                    side.last_nr = nr;
                }
            }
            Event::DetachedUnknown { pid } => {
                if !self.o.qual.quiet.attach {
                    self.notices
                        .push(format!("gort-trace: Detached unknown pid {pid}"));
                }
            }
            Event::Detached { pid } => {
                if self.open_line == Some(pid) {
                    self.close_open_line();
                }
                self.notices
                    .push(format!("gort-trace: Process {pid} detached"));
                self.forget(pid);
            }
        }
    }

    fn forget(&mut self, pid: Pid) {
        if self.pids.remove(&pid).is_some() {
            self.live = self.live.saturating_sub(1);
        }
    }

    /// A tracee is gone while a syscall (typically `exit_group`) was in progress: print `= ?`.
    fn end_of_tracee(&mut self, pid: Pid, at: Stamp) {
        let Some(p) = self.pids.get_mut(&pid).and_then(|s| s.pending.take()) else {
            if self.open_line != Some(pid) {
                self.close_open_line();
            }
            return;
        };
        if self.o.summary {
            return;
        }
        if p.deferred {
            if !self.o.qual.status.contains(Outcome::Unfinished) {
                return;
            }
            self.close_open_line();
            self.begin_line(pid, p.entered);
            self.out.push_str(&decode::syscall_name(p.nr));
            self.out.push('(');
            let (o, out) = (&self.o.decode, &mut self.out);
            pid::annotated(&p.entry_mem.pids, || {
                decode::render_entry(p.nr, &p.args, &p.entry_mem, o, out)
            });
        } else if self.open_line == Some(pid) {
            self.open_line = None;
        } else {
            self.close_open_line();
            self.begin_line(pid, at);
            let _ = write!(self.out, "<... {} resumed>", decode::syscall_name(p.nr));
        }
        // What the call would have printed on return will not come.
        if decode::prints_at_exit(p.nr, &p.args) {
            self.out.push_str(" <unfinished ...>");
        }
        self.out.push(')');
        self.pad_and_equals();
        self.out.push_str("?\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Mem;

    fn entry(pid: Pid, nr: u64, args: [u64; 6]) -> Event {
        Event::Entry {
            pid,
            at: Stamp::default(),
            nr,
            args,
            mem: Mem::default(),
        }
    }
    fn exit(pid: Pid, nr: u64, ret: i64) -> Event {
        Event::Exit {
            pid,
            at: Stamp::default(),
            nr,
            ret,
            mem: Mem::default(),
            injected: false,
            poked: false,
        }
    }

    #[test]
    fn single_line_padding() {
        let mut f = Formatter::new(FormatOpts::default());
        f.handle(Event::Attached { pid: 10 });
        f.handle(entry(10, 12, [0; 6]));
        f.handle(exit(10, 12, 0x55c2161c1000));
        f.handle(entry(10, 231, [0; 6]));
        f.handle(Event::Exited {
            pid: 10,
            at: Stamp::default(),
            code: 0,
        });
        assert_eq!(
            f.finish(),
            "brk(NULL)                               = 0x55c2161c1000\n\
             exit_group(0)                           = ?\n+++ exited with 0 +++\n"
        );
    }

    #[test]
    fn unfinished_and_resumed() {
        let mut f = Formatter::new(FormatOpts {
            follow: true,
            ..Default::default()
        });
        f.handle(Event::Attached { pid: 4571 });
        f.handle(Event::Attached { pid: 4572 });
        f.handle(entry(4571, 3, [4, 0, 0, 0, 0, 0]));
        f.handle(entry(4572, 0, [3, 0, 10, 0, 0, 0]));
        f.handle(exit(4571, 3, 0));
        f.handle(exit(4572, 0, -11));
        let text = f.finish();
        assert_eq!(
            text,
            "[pid  4571] close(4 <unfinished ...>\n\
             [pid  4572] read(3,  <unfinished ...>\n\
             [pid  4571] <... close resumed>)        = 0\n\
             [pid  4572] <... read resumed>NULL, 10) = -1 EAGAIN (Resource temporarily unavailable)\n"
        );
    }

    #[test]
    fn a_dying_thread_completes_its_syscall_at_once() {
        let mut f = Formatter::new(FormatOpts {
            follow: true,
            to_file: true,
            ..Default::default()
        });
        f.handle(Event::Attached { pid: 6 });
        f.handle(Event::Attached { pid: 7 });
        // nanosleep's second argument would be printed at exit.
        f.handle(entry(6, 35, [0x1000, 0, 0, 0, 0, 0]));
        f.handle(entry(7, 60, [42, 0, 0, 0, 0, 0]));
        f.handle(Event::Exiting {
            pid: 7,
            at: Stamp::default(),
        });
        f.handle(Event::Exiting {
            pid: 6,
            at: Stamp::default(),
        });
        assert_eq!(
            f.finish(),
            "6     nanosleep(0x1000,  <unfinished ...>\n\
             7     exit(42)                          = ?\n\
             6     <... nanosleep resumed> <unfinished ...>) = ?\n"
        );
    }

    #[test]
    fn an_execve_in_another_thread_moves_the_line_to_the_leaders_pid() {
        let mut f = Formatter::new(FormatOpts {
            follow: true,
            to_file: true,
            ..Default::default()
        });
        f.handle(Event::Attached { pid: 6 });
        f.handle(Event::Attached { pid: 7 });
        f.handle(entry(7, 59, [0; 6]));
        f.handle(Event::Superseded {
            pid: 6,
            former: 7,
            at: Stamp::default(),
        });
        f.handle(exit(6, 59, 0));
        assert_eq!(
            f.finish(),
            "7     execve(NULL, NULL, NULL <pid changed to 6 ...>\n\
             6     +++ superseded by execve in pid 7 +++\n\
             6     <... execve resumed>)             = 0\n"
        );
    }

    #[test]
    fn file_prefix_and_summary() {
        let mut f = Formatter::new(FormatOpts {
            follow: true,
            to_file: true,
            ..Default::default()
        });
        f.handle(Event::Attached { pid: 7 });
        f.handle(entry(7, 3, [1, 0, 0, 0, 0, 0]));
        f.handle(exit(7, 3, 0));
        assert_eq!(f.finish(), "7     close(1)                          = 0\n");
        let mut f = Formatter::new(FormatOpts {
            summary: true,
            ..Default::default()
        });
        f.handle(Event::Attached { pid: 7 });
        f.handle(entry(7, 3, [1, 0, 0, 0, 0, 0]));
        f.handle(exit(7, 3, -9));
        assert_eq!(f.summary().counts("close"), Some((1, 1)));
    }
}
