//! The `-e` qualifiers other than `trace=`: `signal=`, `status=`, `quiet=`, `inject=`, `read=` and
//! `write=`, with strace's syntax and meaning, plus the short options that are spellings of them
//! (`-z`, `-Z`, `-q`).
//!
//! Design: each qualifier parses into a small plain value that the tracer (injection) or the formatter
//! (everything else) consults per event; parsing is the only place that knows the text syntax, so a bad
//! expression gets one clear error before any process is touched. A set written with a leading `!` is
//! the complement, `all` and `none` are the whole and the empty set, as in strace.

use crate::decode::flags;

/// Splits a set expression into its negation flag and items.
fn items(value: &str) -> (bool, impl Iterator<Item = &str>) {
    let (negate, list) = match value.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    (negate, list.split(',').map(str::trim))
}

/// `-e signal=SET`: the signals whose delivery lines (`--- SIGCHLD {...} ---`) are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignalSet(u128);

impl Default for SignalSet {
    fn default() -> Self {
        SignalSet(u128::MAX)
    }
}

impl SignalSet {
    /// Whether signal `sig` is shown.
    pub fn contains(self, sig: i32) -> bool {
        (0..128).contains(&sig) && self.0 & (1u128 << sig) != 0
    }

    /// Parses `SIGUSR1,10,all,none` with an optional leading `!`.
    pub fn parse(value: &str) -> Result<SignalSet, String> {
        let (negate, list) = items(value);
        let mut bits = 0u128;
        for item in list {
            match item {
                "all" => bits = u128::MAX,
                "none" | "" => {}
                _ => {
                    let sig = match item.parse::<i32>() {
                        Ok(n) if (1..=64).contains(&n) => n,
                        Ok(_) => return Err(format!("invalid signal '{item}'")),
                        Err(_) => flags::signal_by_name(&item.to_ascii_uppercase())
                            .ok_or_else(|| format!("invalid signal '{item}'"))?,
                    };
                    bits |= 1u128 << sig;
                }
            }
        }
        Ok(SignalSet(if negate { !bits } else { bits }))
    }
}

/// How a syscall ended, for `-e status=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Returned without an error.
    Successful,
    /// Returned an error.
    Failed,
    /// Never returned (the tracee exited or was killed in it).
    Unfinished,
    /// Returned, but its result could not be read.
    Unavailable,
}

/// `-e status=SET` (and `-z`, `-Z`): which syscalls are printed by how they ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusSet(u8);

impl Default for StatusSet {
    fn default() -> Self {
        StatusSet(0xff)
    }
}

impl StatusSet {
    /// Only successful calls (`-z`).
    pub const SUCCESSFUL: StatusSet = StatusSet(1);
    /// Only failed calls (`-Z`).
    pub const FAILED: StatusSet = StatusSet(2);

    fn bit(o: Outcome) -> u8 {
        match o {
            Outcome::Successful => 1,
            Outcome::Failed => 2,
            Outcome::Unfinished => 4,
            Outcome::Unavailable => 8,
        }
    }

    /// Whether every outcome is printed (lines then need not wait for the return).
    pub fn is_all(self) -> bool {
        self.0 & 0xf == 0xf
    }

    /// Whether calls that ended this way are printed.
    pub fn contains(self, o: Outcome) -> bool {
        self.0 & Self::bit(o) != 0
    }

    /// Parses `successful,failed,unfinished,unavailable,detached`, `all`, `none`, `!...`.
    pub fn parse(value: &str) -> Result<StatusSet, String> {
        let (negate, list) = items(value);
        let mut bits = 0u8;
        for item in list {
            bits |= match item {
                "all" => 0xff,
                "none" => 0,
                "successful" => 1,
                "failed" => 2,
                "unfinished" => 4,
                "unavailable" => 8,
                "detached" => 16,
                _ => return Err(format!("invalid status '{item}'")),
            };
        }
        Ok(StatusSet(if negate { !bits } else { bits }))
    }
}

/// `-q`, `-qq`, `-qqq` and `-e quiet=SET`: messages that are not printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quiet {
    /// "Process N attached/detached".
    pub attach: bool,
    /// `+++ exited with N +++` and `+++ killed by SIG +++`.
    pub exit: bool,
    /// `+++ superseded by execve +++`.
    pub thread_execve: bool,
    /// Personality-change notes.
    pub personality: bool,
    /// Path-resolution notes of `-P`.
    pub path_resolution: bool,
}

impl Quiet {
    /// The level set by `-q` repeated `n` times.
    pub fn level(n: u8) -> Quiet {
        Quiet {
            attach: n >= 1,
            personality: n >= 1,
            exit: n >= 2,
            thread_execve: n >= 3,
            path_resolution: n >= 3,
        }
    }

    /// Adds `-e quiet=SET` to these settings.
    pub fn parse_into(&mut self, value: &str) -> Result<(), String> {
        let (negate, list) = items(value);
        let mut q = Quiet::default();
        for item in list {
            match item {
                "all" => q = Quiet::level(3),
                "none" => {}
                "attach" => q.attach = true,
                "exit" | "exits" => q.exit = true,
                "thread-execve" | "superseded" => q.thread_execve = true,
                "personality" => q.personality = true,
                "path-resolution" => q.path_resolution = true,
                _ => return Err(format!("invalid quiet qualifier '{item}'")),
            }
        }
        if negate {
            q = Quiet {
                attach: !q.attach,
                exit: !q.exit,
                thread_execve: !q.thread_execve,
                personality: !q.personality,
                path_resolution: !q.path_resolution,
            };
        }
        self.attach |= q.attach;
        self.exit |= q.exit;
        self.thread_execve |= q.thread_execve;
        self.personality |= q.personality;
        self.path_resolution |= q.path_resolution;
        Ok(())
    }
}

/// What an injection does to a syscall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Injection {
    /// The call is skipped and fails with this errno.
    Error(i32),
    /// The call is skipped and returns this value.
    Retval(i64),
}

/// Bytes written into tracee memory where a syscall argument points
/// (`poke_enter=@arg3=0000` / `poke_exit=...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poke {
    /// Written before the call runs (otherwise after it returned, before its result is decoded).
    pub at_entry: bool,
    /// The argument (0-based) whose value is the address.
    pub arg: usize,
    /// The bytes.
    pub data: Vec<u8>,
}

/// One `-e inject=SET:error=E|retval=V[:poke_enter=...][:poke_exit=...][:when=W]` rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InjectRule {
    /// Syscalls it applies to, by number.
    pub syscalls: Vec<bool>,
    /// What it does to the call, if anything (a rule may only poke).
    pub what: Option<Injection>,
    /// Memory it writes.
    pub pokes: Vec<Poke>,
    /// First matching call (1-based) it applies to.
    pub first: u64,
    /// Then every `step` calls (0: only the first).
    pub step: u64,
    /// Last call it applies to (inclusive), if any.
    pub last: Option<u64>,
}

impl InjectRule {
    /// Whether the `n`th (1-based) call of a matching syscall is injected.
    pub fn applies_to(&self, n: u64) -> bool {
        if n < self.first || self.last.is_some_and(|l| n > l) {
            return false;
        }
        if self.step == 0 {
            return n == self.first || self.last.is_some();
        }
        (n - self.first) % self.step == 0
    }

    /// Parses `SET:error=ENOSYS`, `SET:retval=42`, with `:when=N`, `N+`, `N+S`, `N..M`.
    pub fn parse(value: &str) -> Result<InjectRule, String> {
        let mut parts = value.split(':');
        let set = parts.next().unwrap_or("");
        let filter = crate::filter::Filter::parse(&[format!("trace={set}")])?;
        let syscalls = (0..crate::filter::MAX_NR as u64)
            .map(|nr| filter.traced(nr))
            .collect();
        let mut what = None;
        let mut pokes = Vec::new();
        let (mut first, mut step, mut last) = (1, 1, None);
        for part in parts {
            let (key, v) = part
                .split_once('=')
                .ok_or_else(|| format!("invalid inject option '{part}'"))?;
            match key {
                "error" => {
                    let e = match v.parse::<i32>() {
                        Ok(n) if n > 0 && n < 4096 => n,
                        _ => errno_by_name(v).ok_or_else(|| format!("invalid error '{v}'"))?,
                    };
                    what = Some(Injection::Error(e));
                }
                "retval" => {
                    let r = parse_number(v).ok_or_else(|| format!("invalid retval '{v}'"))?;
                    what = Some(Injection::Retval(r));
                }
                "when" => {
                    if let Some((a, b)) = v.split_once("..") {
                        first = a.parse().map_err(|_| format!("invalid when '{v}'"))?;
                        last = Some(b.parse().map_err(|_| format!("invalid when '{v}'"))?);
                        step = 1;
                    } else if let Some((a, b)) = v.split_once('+') {
                        first = a.parse().map_err(|_| format!("invalid when '{v}'"))?;
                        step = if b.is_empty() {
                            1
                        } else {
                            b.parse().map_err(|_| format!("invalid when '{v}'"))?
                        };
                    } else {
                        first = v.parse().map_err(|_| format!("invalid when '{v}'"))?;
                        step = 0;
                    }
                    if first == 0 {
                        return Err(format!("invalid when '{v}'"));
                    }
                }
                "poke_enter" | "poke_exit" => {
                    let at_entry = key == "poke_enter";
                    if pokes.iter().any(|p: &Poke| p.at_entry == at_entry) {
                        return Err(format!("invalid inject option '{part}': {key} given twice"));
                    }
                    for item in v.split(',') {
                        pokes.push(parse_poke(item, at_entry).ok_or_else(|| {
                            format!("invalid {key} '{item}' (want @argN=HEX, N from 1 to 7)")
                        })?);
                    }
                }
                _ => return Err(format!("unsupported inject option '{key}'")),
            }
        }
        if what.is_none() && pokes.is_empty() {
            return Err(format!(
                "inject '{value}' needs error=, retval=, poke_enter= or poke_exit="
            ));
        }
        Ok(InjectRule {
            syscalls,
            what,
            pokes,
            first,
            step,
            last,
        })
    }
}

/// `@argN=HEX`: the argument (1 to 7, as strace numbers them) and at most 1024 bytes in hex.
fn parse_poke(item: &str, at_entry: bool) -> Option<Poke> {
    let rest = item.strip_prefix("@arg")?;
    let (n, hex) = rest.split_once('=')?;
    let arg = n.parse::<usize>().ok().filter(|n| (1..=7).contains(n))?;
    if hex.is_empty() || hex.len() % 2 != 0 || hex.len() > 2048 {
        return None;
    }
    let data = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some(Poke {
        at_entry,
        arg: arg - 1,
        data,
    })
}

fn parse_number(v: &str) -> Option<i64> {
    match v.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok().map(|u| u as i64),
        None => v
            .parse::<i64>()
            .ok()
            .or_else(|| v.parse::<u64>().ok().map(|u| u as i64)),
    }
}

/// The errno with this name (`ENOSYS`).
pub fn errno_by_name(name: &str) -> Option<i32> {
    (1..4096).find(|&e| flags::errno_name(e) == Some(name))
}

/// `-e read=SET` / `-e write=SET`: descriptors whose data is also dumped in hex.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FdSet {
    all_but: Option<Vec<i32>>,
    listed: Vec<i32>,
}

impl FdSet {
    /// Whether `fd` is in the set.
    pub fn contains(&self, fd: i32) -> bool {
        match &self.all_but {
            Some(excluded) => !excluded.contains(&fd),
            None => self.listed.contains(&fd),
        }
    }

    /// Whether the set is empty (the common case: nothing to dump).
    pub fn is_empty(&self) -> bool {
        self.all_but.is_none() && self.listed.is_empty()
    }

    /// Parses `3,4`, `all`, `none`, `!3`.
    pub fn parse(value: &str) -> Result<FdSet, String> {
        let (negate, list) = items(value);
        let mut all = false;
        let mut listed = Vec::new();
        for item in list {
            match item {
                "all" => all = true,
                "none" => {}
                _ => listed.push(
                    item.parse::<i32>()
                        .ok()
                        .filter(|&n| n >= 0)
                        .ok_or_else(|| format!("invalid descriptor '{item}'"))?,
                ),
            }
        }
        Ok(match (all, negate) {
            (true, false) => FdSet {
                all_but: Some(Vec::new()),
                listed: Vec::new(),
            },
            (true, true) => FdSet::default(),
            (false, false) => FdSet {
                all_but: None,
                listed,
            },
            (false, true) => FdSet {
                all_but: Some(listed),
                listed: Vec::new(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_sets_follow_strace_syntax() {
        let s = SignalSet::parse("none").unwrap();
        assert!(!s.contains(17));
        let s = SignalSet::parse("!SIGCHLD,usr1").unwrap();
        assert!(!s.contains(17) && !s.contains(10) && s.contains(2));
        assert!(SignalSet::parse("SIGBOGUS").is_err());
    }

    #[test]
    fn inject_when_counts_from_one() {
        let r = InjectRule::parse("chdir:error=ENOENT:when=2+3").unwrap();
        assert_eq!(r.what, Some(Injection::Error(2)));
        assert!(!r.applies_to(1) && r.applies_to(2) && !r.applies_to(3) && r.applies_to(5));
        let r = InjectRule::parse("chdir:retval=42:when=3").unwrap();
        assert!(r.applies_to(3) && !r.applies_to(4));
        assert!(InjectRule::parse("chdir:when=3").is_err());
    }

    #[test]
    fn pokes_name_an_argument_and_hex_bytes() {
        let r = InjectRule::parse("all:poke_enter=@arg3=00ff:poke_exit=@arg1=ab,@arg2=cd").unwrap();
        assert_eq!(r.what, None);
        assert_eq!(
            r.pokes[0],
            Poke {
                at_entry: true,
                arg: 2,
                data: vec![0, 0xff]
            }
        );
        assert_eq!(r.pokes.len(), 3);
        assert!(!r.pokes[2].at_entry && r.pokes[2].arg == 1);
        for bad in [
            "@arg0=00", "@arg8=00", "@arg1=0", "@arg1=zz", "arg1=00", "@arg1=",
        ] {
            assert!(
                InjectRule::parse(&format!("all:poke_enter={bad}")).is_err(),
                "{bad}"
            );
        }
        assert!(InjectRule::parse("all:poke_enter=@arg1=00:poke_enter=@arg2=00").is_err());
    }

    #[test]
    fn status_and_fd_sets() {
        let s = StatusSet::parse("!failed").unwrap();
        assert!(s.contains(Outcome::Successful) && !s.contains(Outcome::Failed));
        let f = FdSet::parse("!3").unwrap();
        assert!(f.contains(4) && !f.contains(3));
        assert!(FdSet::parse("x").is_err());
    }
}
