//! `-ff -o LOG` (`--output-separately`): each tracee's lines go to a file of its own, `LOG.PID`.
//!
//! Design: every tracee gets its own [`Formatter`], which sees only that tracee, so its lines carry no
//! pid prefix and are never cut by another tracee's (`<unfinished ...>` then only means the tracee
//! itself printed something else first, such as a signal). [`Separate`] routes each event to the
//! formatter of its pid and tags the text with the pid, whose file the writer opens when the tracee
//! appears. When a thread other than the leader calls `execve` and takes the leader's pid, the thread's
//! formatter carries on under that pid: its `<pid changed to N ...>` still ends the line in the
//! thread's own file and the rest goes to the leader's file, as strace swaps the two files; the
//! leader's formatter is dropped, its open line ended with `<detached ...>`.

use crate::event::Event;
use crate::format::{FormatOpts, Formatter};
use crate::ptrace::Pid;
use std::collections::HashMap;

/// Text for one file: `LOG.pid`.
pub struct Chunk {
    /// The tracee whose file it goes to.
    pub pid: Pid,
    /// The text (empty: only make sure the file exists).
    pub text: String,
}

/// Per-tracee formatting for `--output-separately`.
pub struct Separate {
    o: FormatOpts,
    each: HashMap<Pid, Formatter>,
    /// Text produced so far, by file.
    out: Vec<Chunk>,
    /// Messages for the user's terminal.
    pub notices: Vec<String>,
}

impl Separate {
    /// No tracees yet; `o` is the options of every tracee's formatter.
    pub fn new(o: FormatOpts) -> Separate {
        Separate {
            o: FormatOpts {
                follow: false,
                to_file: true,
                ..o
            },
            each: HashMap::new(),
            out: Vec::new(),
            notices: Vec::new(),
        }
    }

    fn pid_of(ev: &Event) -> Pid {
        match ev {
            Event::Attached { pid }
            | Event::Entry { pid, .. }
            | Event::Exit { pid, .. }
            | Event::Signal { pid, .. }
            | Event::Stopped { pid, .. }
            | Event::Superseded { pid, .. }
            | Event::Exiting { pid, .. }
            | Event::Exited { pid, .. }
            | Event::Killed { pid, .. }
            | Event::LastSyscall { pid, .. }
            | Event::Comm { pid, .. }
            | Event::DetachedUnknown { pid }
            | Event::Detached { pid } => *pid,
        }
    }

    fn collect(&mut self, pid: Pid) {
        if let Some(f) = self.each.get_mut(&pid) {
            let text = f.take();
            self.notices.append(&mut f.notices);
            if !text.is_empty() {
                self.out.push(Chunk { pid, text });
            }
        }
    }

    /// Processes one event.
    pub fn handle(&mut self, ev: Event) {
        let pid = Self::pid_of(&ev);
        match ev {
            Event::Attached { .. } if !self.each.contains_key(&pid) => {
                self.each.insert(pid, Formatter::new(self.o.clone()));
                self.out.push(Chunk {
                    pid,
                    text: String::new(),
                });
            }
            Event::Superseded { former, .. } => {
                if let Some(mut leader) = self.each.remove(&pid) {
                    let text = leader.abandon();
                    if !text.is_empty() {
                        self.out.push(Chunk { pid, text });
                    }
                }
                let Some(mut f) = self.each.remove(&former) else {
                    return;
                };
                f.handle(ev);
                let text = f.take();
                // The line the thread had open ends in its own file.
                let (own, rest) = match text.strip_prefix(" <pid changed") {
                    Some(_) => text.split_at(text.find('\n').map_or(text.len(), |n| n + 1)),
                    None => ("", text.as_str()),
                };
                if !own.is_empty() {
                    self.out.push(Chunk {
                        pid: former,
                        text: own.to_string(),
                    });
                }
                if !rest.is_empty() {
                    self.out.push(Chunk {
                        pid,
                        text: rest.to_string(),
                    });
                }
                self.each.insert(pid, f);
                return;
            }
            _ => {}
        }
        let Some(f) = self.each.get_mut(&pid) else {
            return;
        };
        let gone = matches!(
            ev,
            Event::Exited { .. } | Event::Killed { .. } | Event::Detached { .. }
        );
        f.handle(ev);
        self.collect(pid);
        if gone {
            if let Some(mut f) = self.each.remove(&pid) {
                let text = f.finish();
                if !text.is_empty() {
                    self.out.push(Chunk { pid, text });
                }
            }
        }
    }

    /// Takes the text produced so far.
    pub fn take(&mut self) -> Vec<Chunk> {
        std::mem::take(&mut self.out)
    }

    /// Ends the trace: the text still held for each tracee.
    pub fn finish(&mut self) -> Vec<Chunk> {
        let mut pids: Vec<Pid> = self.each.keys().copied().collect();
        pids.sort_unstable();
        for pid in pids {
            if let Some(mut f) = self.each.remove(&pid) {
                let text = f.finish();
                if !text.is_empty() {
                    self.out.push(Chunk { pid, text });
                }
            }
        }
        self.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Mem;
    use crate::event::Stamp;

    #[test]
    fn each_tracee_has_its_own_text_without_pid_prefix() {
        let mut s = Separate::new(FormatOpts::default());
        s.handle(Event::Attached { pid: 5 });
        s.handle(Event::Attached { pid: 6 });
        s.handle(Event::Entry {
            pid: 5,
            at: Stamp::default(),
            nr: 3,
            args: [4, 0, 0, 0, 0, 0],
            mem: Mem::default(),
        });
        s.handle(Event::Exited {
            pid: 6,
            at: Stamp::default(),
            code: 0,
        });
        s.handle(Event::Exit {
            pid: 5,
            at: Stamp::default(),
            nr: 3,
            ret: 0,
            mem: Mem::default(),
            injected: false,
            poked: false,
        });
        let mut text: HashMap<Pid, String> = HashMap::new();
        for c in s.finish() {
            text.entry(c.pid).or_default().push_str(&c.text);
        }
        assert_eq!(text[&6], "+++ exited with 0 +++\n");
        assert_eq!(text[&5], "close(4)                                = 0\n");
    }
}
