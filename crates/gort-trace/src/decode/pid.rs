//! Printing process ids with what `--decode-pids` adds: `2 /* 8 in strace's PID NS */`, `8<sleep>`.
//!
//! Design: every renderer prints a process id through [`pid_into`] (or [`pid_tgid_pgid_into`] for
//! `kill`-style ids, where a negative number names a process group). What that adds is decided before
//! rendering, because it needs `/proc` while the tracee is stopped and rendering happens later in the
//! formatter. So under `--decode-pids` the tracer renders each line once more in *collect* mode, which
//! records the ids printed and their kinds ([`collect`]); it looks them up ([`crate::pidns`]) and stores
//! the answers in the event's memory ([`PidNotes`]). The formatter renders with those notes in
//! [`annotated`] mode, and [`pid_into`] appends the notes of each id. The mode lives in a thread-local
//! set only for the duration of one synchronous render call (no goroutine switch can happen inside), so
//! renderers need no extra parameter; with no mode set, ids print bare at the cost of one check.

use super::strings;
use crate::pidns::PidType;
use std::cell::RefCell;
use std::fmt::Write;

/// `--decode-pids=pidns`: ids in another pid namespace get the tracer's id in a comment.
pub const PIDNS: u8 = 1;
/// `--decode-pids=comm` (`-Y`): thread and process ids get the process's name.
pub const COMM: u8 = 2;

/// Parses `--decode-pids=SET`: a comma-separated list of `pidns`, `comm`, `all` and `none`.
pub fn parse_set(value: &str) -> Result<u8, String> {
    let mut mask = 0;
    for item in value.split(',') {
        mask |= match item {
            "pidns" => PIDNS,
            "comm" => COMM,
            "all" => PIDNS | COMM,
            "none" => 0,
            _ => return Err(format!("invalid decode-pids '{item}'")),
        };
    }
    Ok(mask)
}

/// What was found about one id the tracee passed or got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PidNote {
    /// Which id of a process it is.
    pub kind: PidType,
    /// The number as the tracee sees it.
    pub pid: i32,
    /// The same process's id in the tracer's namespace, when it differs.
    pub ours: Option<i32>,
    /// The process's name, under `--decode-pids=comm`.
    pub comm: Option<Vec<u8>>,
}

/// The notes of one syscall stop or signal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PidNotes(pub Vec<PidNote>);

enum Mode {
    /// Record the ids printed.
    Collect(Vec<(PidType, i32)>),
    /// Append the notes found for them.
    Annotate(PidNotes),
}

thread_local! {
    static MODE: RefCell<Option<Mode>> = const { RefCell::new(None) };
}

/// Runs `render` recording the ids it prints; returns them (kind, number), without repeats.
pub fn collect(render: impl FnOnce()) -> Vec<(PidType, i32)> {
    MODE.with(|m| *m.borrow_mut() = Some(Mode::Collect(Vec::new())));
    render();
    match MODE.with(|m| m.borrow_mut().take()) {
        Some(Mode::Collect(v)) => v,
        _ => Vec::new(),
    }
}

/// Runs `render` with `notes` appended to the ids it prints. Without notes this is just `render()`.
pub fn annotated<R>(notes: &PidNotes, render: impl FnOnce() -> R) -> R {
    if notes.0.is_empty() {
        return render();
    }
    MODE.with(|m| *m.borrow_mut() = Some(Mode::Annotate(notes.clone())));
    let r = render();
    MODE.with(|m| *m.borrow_mut() = None);
    r
}

/// Prints id `pid` of kind `kind`, with its notes.
pub fn pid_into(out: &mut String, pid: i32, kind: PidType) {
    let _ = write!(out, "{pid}");
    note_into(out, pid, kind);
}

/// Prints a `kill`-style id: a process when positive, the process group `-pid` when below -1.
pub fn pid_tgid_pgid_into(out: &mut String, pid: i32) {
    let _ = write!(out, "{pid}");
    if pid > 0 {
        note_into(out, pid, PidType::Tgid);
    } else if pid < -1 {
        note_into(out, pid.wrapping_neg(), PidType::Pgid);
    }
}

fn note_into(out: &mut String, pid: i32, kind: PidType) {
    MODE.with(|m| match &mut *m.borrow_mut() {
        None => {}
        Some(Mode::Collect(v)) if pid > 0 && !v.contains(&(kind, pid)) => v.push((kind, pid)),
        Some(Mode::Collect(_)) => {}
        Some(Mode::Annotate(notes)) => {
            if let Some(n) = notes.0.iter().find(|n| n.kind == kind && n.pid == pid) {
                if let Some(comm) = &n.comm {
                    comm_into(out, comm);
                }
                if let Some(ours) = n.ours {
                    let _ = write!(out, " /* {ours} in strace's PID NS */");
                }
            }
        }
    });
}

/// Appends a process name as strace shows it after an id: `<sleep>`, with `<`, `>` and unprintable
/// bytes escaped. Nothing for an empty name.
pub fn comm_into(out: &mut String, comm: &[u8]) {
    if comm.is_empty() {
        return;
    }
    out.push('<');
    strings::quote_bare(out, comm);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_pids_sets_name_pidns_and_comm() {
        assert_eq!(parse_set("pidns"), Ok(PIDNS));
        assert_eq!(parse_set("comm,pidns"), Ok(PIDNS | COMM));
        assert_eq!(parse_set("none"), Ok(0));
        assert_eq!(
            parse_set("pidns,bogus"),
            Err("invalid decode-pids 'bogus'".to_string())
        );
    }

    #[test]
    fn ids_print_bare_without_notes() {
        let mut s = String::new();
        pid_into(&mut s, 42, PidType::Tgid);
        assert_eq!(s, "42");
    }

    #[test]
    fn collected_ids_are_the_positive_ones_printed_with_their_kind() {
        let got = collect(|| {
            let mut s = String::new();
            pid_into(&mut s, 3, PidType::Tid);
            pid_tgid_pgid_into(&mut s, -7);
            pid_tgid_pgid_into(&mut s, -1);
            pid_into(&mut s, 3, PidType::Tid);
        });
        assert_eq!(got, [(PidType::Tid, 3), (PidType::Pgid, 7)]);
    }

    #[test]
    fn notes_follow_the_id_they_belong_to() {
        let notes = PidNotes(vec![
            PidNote {
                kind: PidType::Tgid,
                pid: 2,
                ours: Some(8),
                comm: None,
            },
            PidNote {
                kind: PidType::Pgid,
                pid: 2,
                ours: None,
                comm: Some(b"a<b".to_vec()),
            },
        ]);
        let s = annotated(&notes, || {
            let mut s = String::new();
            pid_tgid_pgid_into(&mut s, 2);
            s.push(' ');
            pid_tgid_pgid_into(&mut s, -2);
            s
        });
        assert_eq!(s, "2 /* 8 in strace's PID NS */ -2<a\\74b>");
    }
}
