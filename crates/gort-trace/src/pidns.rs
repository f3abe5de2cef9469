//! Process ids across pid namespaces, and process names, looked up in `/proc` for `--decode-pids`.
//!
//! Design: a tracee in a pid namespace below the tracer's passes ids that mean something else to the
//! tracer (`getpid() = 2` is process 8 here). `--decode-pids=pidns` prints, after each such id, the id
//! the same process (thread, process group, session) has in the tracer's namespace, and
//! `--decode-pids=comm` prints the process's name. Both must be looked up while the tracee is stopped
//! (a process that exits takes its namespace links with it, and a zombie's cannot be read), so the
//! tracer does it ([`PidResolver`]) and ships the answers with the event; see [`crate::decode::pid`]
//! for how the formatter prints them.
//!
//! Translating id `N` of type T from namespace `ns`: every process P in `/proc` is a candidate. Its
//! namespace chain (`/proc/P/ns/pid`, then `NS_GET_PARENT` up to the tracer's namespace, where the
//! kernel answers `EPERM`) says at which depth `ns` sits, and its `/proc/P/status` line for T
//! (`NSpid:`, `NStgid:`, `NSpgid:`, `NSsid:`: the ids from `/proc`'s namespace down to P's own) gives
//! its id at that depth and at the tracer's depth. P is the one when its id in `ns` is `N`. A
//! translation found once is remembered as the `/proc` entry that gave it and checked again on the
//! next use (pids are reused), so a tracee that keeps naming the same process costs two file reads.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;

/// Which id of a process a number is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PidType {
    /// A thread id (`NSpid:`).
    Tid,
    /// A thread group id, i.e. a process id (`NStgid:`).
    Tgid,
    /// A process group id (`NSpgid:`).
    Pgid,
    /// A session id (`NSsid:`).
    Sid,
}

impl PidType {
    /// The `/proc/PID/status` field that lists this id in every namespace.
    fn status_field(self) -> &'static str {
        match self {
            PidType::Tid => "NSpid:",
            PidType::Tgid => "NStgid:",
            PidType::Pgid => "NSpgid:",
            PidType::Sid => "NSsid:",
        }
    }
}

/// `NS_GET_PARENT` (`_IO(0xb7, 0x2)`, linux/nsfs.h): a descriptor of the parent pid namespace.
const NS_GET_PARENT: libc::c_ulong = 0xb702;
/// Namespace nesting is limited to 32 levels by the kernel.
const MAX_DEPTH: usize = 32;

/// The namespace chain of `/proc/PROC_PID`: the inode of its pid namespace, then of each parent up to
/// the tracer's own (innermost first). Empty when the process is gone.
fn ns_chain(proc_pid: i32) -> Vec<u64> {
    let path = if proc_pid == 0 {
        "/proc/self/ns/pid".to_string()
    } else {
        format!("/proc/{proc_pid}/ns/pid")
    };
    let Ok(mut file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let mut chain = Vec::new();
    while chain.len() < MAX_DEPTH {
        let Ok(meta) = file.metadata() else { break };
        chain.push(meta.ino());
        use std::os::fd::{AsRawFd, FromRawFd};
        // SAFETY: `file` is an open namespace descriptor; NS_GET_PARENT takes no argument and returns a
        // new descriptor (or -1, with EPERM above the caller's own namespace).
        let parent = unsafe { libc::ioctl(file.as_raw_fd(), NS_GET_PARENT) };
        if parent < 0 {
            break;
        }
        // SAFETY: `parent` is a descriptor the kernel just returned to us, owned by nothing else.
        file = unsafe { std::fs::File::from_raw_fd(parent) };
    }
    chain
}

/// The ids of type `kind` of `/proc/PROC_PID` (`/proc/self` for 0), from `/proc`'s namespace down to
/// the process's own.
fn id_list(proc_pid: i32, kind: PidType) -> Vec<i32> {
    let path = if proc_pid == 0 {
        "/proc/self/status".to_string()
    } else {
        format!("/proc/{proc_pid}/status")
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .find_map(|l| l.strip_prefix(kind.status_field()))
        .map(|rest| {
            rest.split_whitespace()
                .map_while(|n| n.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The name of `/proc/PROC_PID` (its `comm`), without the newline.
pub fn comm_of(proc_pid: i32) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(format!("/proc/{proc_pid}/comm")).ok()?;
    while bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    Some(bytes)
}

/// What a translation found: the id in the tracer's namespace and the `/proc` entry of the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// The id in the tracer's pid namespace.
    pub ours: i32,
    /// The process's directory name in `/proc`.
    pub proc_pid: i32,
}

/// Looks ids up in `/proc`; owned by the tracer.
#[derive(Debug, Default)]
pub struct PidResolver {
    /// The tracer's own pid namespace (0 until read).
    our_ns: u64,
    /// Whether `/proc` shows the tracer's namespace (its ids there are the tracer's ids).
    proc_is_ours: Option<bool>,
    /// `(namespace, id, type)` → the `/proc` entry that translated it last time.
    cache: HashMap<(u64, i32, PidType), i32>,
}

impl PidResolver {
    /// A resolver with nothing looked up yet.
    pub fn new() -> PidResolver {
        PidResolver::default()
    }

    /// The tracer's pid namespace.
    pub fn our_ns(&mut self) -> u64 {
        if self.our_ns == 0 {
            self.our_ns = ns_chain(0).first().copied().unwrap_or(0);
        }
        self.our_ns
    }

    fn proc_is_ours(&mut self) -> bool {
        *self
            .proc_is_ours
            .get_or_insert_with(|| id_list(0, PidType::Tid).len() <= 1)
    }

    /// The `/proc` entry of `pid`, a thread id in the tracer's namespace.
    pub fn proc_pid(&mut self, pid: i32) -> Option<i32> {
        if self.proc_is_ours() {
            return Some(pid);
        }
        let ns = self.our_ns();
        self.translate_in(ns, pid, PidType::Tid).map(|f| f.proc_pid)
    }

    /// The pid namespace of the tracee whose thread id (in the tracer's namespace) is `tracee`.
    pub fn ns_of(&mut self, tracee: i32) -> Option<u64> {
        let proc_pid = self.proc_pid(tracee)?;
        std::fs::metadata(format!("/proc/{proc_pid}/ns/pid"))
            .ok()
            .map(|m| m.ino())
    }

    /// Whether ids that `tracee` passes need translating (it lives in another pid namespace).
    pub fn foreign(&mut self, tracee: i32) -> bool {
        let ours = self.our_ns();
        self.ns_of(tracee).is_some_and(|ns| ns != ours)
    }

    /// The process that `tracee` calls `id` (of type `kind`), as the tracer sees it.
    pub fn translate(&mut self, tracee: i32, id: i32, kind: PidType) -> Option<Found> {
        if id <= 0 {
            return None;
        }
        let ns = self.ns_of(tracee)?;
        if ns == self.our_ns() && self.proc_is_ours() {
            return Some(Found {
                ours: id,
                proc_pid: id,
            });
        }
        self.translate_in(ns, id, kind)
    }

    fn translate_in(&mut self, ns: u64, id: i32, kind: PidType) -> Option<Found> {
        let key = (ns, id, kind);
        if let Some(&proc_pid) = self.cache.get(&key) {
            if let Some(found) = match_entry(proc_pid, ns, id, kind) {
                return Some(found);
            }
            self.cache.remove(&key);
        }
        let found = scan("/proc", true, &mut |p| match_entry(p, ns, id, kind))?;
        self.cache.insert(key, found.proc_pid);
        Some(found)
    }
}

/// Whether `/proc/PROC_PID` has id `id` of type `kind` in namespace `ns`, and its id in ours.
fn match_entry(proc_pid: i32, ns: u64, id: i32, kind: PidType) -> Option<Found> {
    let chain = ns_chain(proc_pid);
    let depth = chain.iter().position(|&n| n == ns)?;
    let ids = id_list(proc_pid, kind);
    // `ids` runs from /proc's namespace down; `chain` from the process's up to ours.
    if chain.is_empty() || ids.len() < chain.len() {
        return None;
    }
    let in_ns = ids[ids.len() - 1 - depth];
    (in_ns == id).then(|| Found {
        ours: ids[ids.len() - chain.len()],
        proc_pid,
    })
}

/// Runs `test` on every numbered entry of `dir` (and, with `tasks`, first on each one's threads) until
/// it finds something.
fn scan(dir: &str, tasks: bool, test: &mut dyn FnMut(i32) -> Option<Found>) -> Option<Found> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
            .filter(|&p| p > 0)
        else {
            continue;
        };
        if tasks {
            if let Some(f) = scan(&format!("/proc/{pid}/task"), false, test) {
                return Some(f);
            }
        }
        if let Some(f) = test(pid) {
            return Some(f);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ids_translate_to_themselves_in_our_namespace() {
        let me = std::process::id() as i32;
        let mut r = PidResolver::new();
        assert!(!r.foreign(me));
        let f = r.translate(me, me, PidType::Tgid).unwrap();
        assert_eq!(f.ours, me);
        assert_eq!(r.translate(me, 0, PidType::Tgid), None);
        assert_eq!(r.translate(me, -5, PidType::Tid), None);
    }

    #[test]
    fn a_process_found_by_scanning_is_the_one_with_that_id() {
        let me = std::process::id() as i32;
        let mut r = PidResolver::new();
        let ns = r.our_ns();
        assert_ne!(ns, 0);
        let f = r.translate_in(ns, me, PidType::Tgid).unwrap();
        assert_eq!(f.ours, me);
        // The second lookup comes from the cache and is checked again.
        assert_eq!(r.translate_in(ns, me, PidType::Tgid), Some(f));
    }

    #[test]
    fn comm_is_the_process_name_without_newline() {
        let me = std::process::id() as i32;
        let name = comm_of(me).unwrap();
        assert!(!name.is_empty() && !name.contains(&b'\n'));
    }
}
