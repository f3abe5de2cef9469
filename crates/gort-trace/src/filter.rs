//! `-e trace=SET`: which syscalls are reported.
//!
//! Design: the filter is a bitmap indexed by syscall number, built once from the option text and then
//! copied into the tracer, which consults it at every entry stop (so unreported syscalls cost no memory
//! reads and no channel traffic). Names are checked against the `syscalls` crate; classes come from
//! [`crate::decode::groups`]. A leading `!` inverts the set, as in strace. An item may also be a
//! syscall number, or `/REGEX`: every syscall whose name the (POSIX extended) regular expression
//! matches somewhere.

use crate::decode::groups;
use std::str::FromStr;
use syscalls::Sysno;

/// Syscall numbers the filter covers.
pub const MAX_NR: usize = 1024;

/// The set of reported syscalls.
#[derive(Clone, Debug)]
pub struct Filter {
    bits: Option<Box<[bool]>>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter::all()
    }
}

impl Filter {
    /// Reports everything.
    pub fn all() -> Filter {
        Filter { bits: None }
    }

    /// Whether syscall `nr` is reported.
    #[inline]
    pub fn traced(&self, nr: u64) -> bool {
        match &self.bits {
            None => true,
            Some(b) => b.get(nr as usize).copied().unwrap_or(false),
        }
    }

    /// Parses the `-e` expressions (`trace=open,close`, `trace=%file`, `open`, `trace=!write`).
    pub fn parse(exprs: &[String]) -> Result<Filter, String> {
        let mut f = Filter::all();
        for e in exprs {
            let (key, value) = match e.split_once('=') {
                Some((k, v)) => (k, v),
                None => ("trace", e.as_str()),
            };
            if key != "trace" && key != "t" {
                return Err(format!(
                    "invalid -e qualifier '{key}' (only trace= is supported)"
                ));
            }
            let (negate, list) = match value.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, value),
            };
            let mut bits = vec![false; MAX_NR];
            for item in list.split(',') {
                let item = item.trim();
                // strace ignores empty items (`-e trace=,mmap`).
                if item.is_empty() {
                    continue;
                }
                // `?name`: a name this architecture lacks is ignored rather than an error.
                let (optional, item) = match item.strip_prefix('?') {
                    Some(rest) => (true, rest),
                    None => (false, item),
                };
                if let Some(pattern) = item.strip_prefix('/') {
                    if !select_matching(pattern, &mut bits)? && !optional {
                        return Err(format!("invalid system call '{item}'"));
                    }
                    continue;
                }
                if let Ok(nr) = item.parse::<usize>() {
                    match bits.get_mut(nr) {
                        Some(b) => *b = true,
                        None => return Err(format!("invalid system call '{item}'")),
                    }
                    continue;
                }
                let class = item.strip_prefix('%').or_else(|| {
                    // strace still accepts the old class names without `%`.
                    matches!(
                        item,
                        "file" | "process" | "network" | "signal" | "ipc" | "desc" | "memory"
                    )
                    .then_some(item)
                });
                if item == "all" {
                    bits.iter_mut().for_each(|b| *b = true);
                } else if item == "none" {
                } else if let Some(class) = class {
                    let set = groups::class(class)
                        .ok_or_else(|| format!("invalid system call '{item}'"))?;
                    for s in set {
                        bits[s.id() as usize] = true;
                    }
                } else {
                    match Sysno::from_str(item) {
                        Ok(s) => bits[s.id() as usize] = true,
                        // A name of another architecture's ABI (i386's `mmap2`) is accepted, as
                        // strace accepts it, and selects nothing here.
                        Err(_) if optional || other_abi(item) => {}
                        Err(_) => return Err(format!("invalid system call '{item}'")),
                    }
                }
            }
            if negate {
                bits.iter_mut().for_each(|b| *b = !*b);
            }
            f.bits = Some(bits.into_boxed_slice());
        }
        Ok(f)
    }
}

/// Selects in `bits` every syscall whose name `pattern` matches; returns whether any syscall name (of
/// any ABI strace knows) matched.
fn select_matching(pattern: &str, bits: &mut [bool]) -> Result<bool, String> {
    let re = regex::Regex::new(pattern).map_err(|e| {
        let why = e.to_string();
        let why = why.lines().last().unwrap_or("invalid pattern").trim();
        format!("regcomp: {pattern}: {}", why.trim_start_matches("error: "))
    })?;
    let mut found = false;
    for s in Sysno::iter() {
        if re.is_match(s.name()) {
            bits[s.id() as usize] = true;
            found = true;
        }
    }
    use syscalls::{aarch64, arm, x86};
    Ok(found
        || x86::Sysno::iter().any(|s| re.is_match(s.name()))
        || arm::Sysno::iter().any(|s| re.is_match(s.name()))
        || aarch64::Sysno::iter().any(|s| re.is_match(s.name())))
}

/// Whether `name` is a syscall of an ABI other than x86_64's.
fn other_abi(name: &str) -> bool {
    use syscalls::{aarch64, arm, x86};
    x86::Sysno::from_str(name).is_ok()
        || arm::Sysno::from_str(name).is_ok()
        || aarch64::Sysno::from_str(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        let f = Filter::parse(&["trace=openat,close".into()]).unwrap();
        assert!(
            f.traced(Sysno::openat as u64)
                && f.traced(Sysno::close as u64)
                && !f.traced(Sysno::read as u64)
        );
        let f = Filter::parse(&["trace=%file".into()]).unwrap();
        assert!(f.traced(Sysno::openat as u64) && !f.traced(Sysno::read as u64));
        let f = Filter::parse(&["trace=!write".into()]).unwrap();
        assert!(!f.traced(Sysno::write as u64) && f.traced(Sysno::read as u64));
        assert_eq!(
            Filter::parse(&["trace=bogus".into()]).unwrap_err(),
            "invalid system call 'bogus'"
        );
        assert!(Filter::all().traced(0));
    }

    #[test]
    fn a_regex_selects_every_name_it_matches_anywhere() {
        let f = Filter::parse(&["trace=/^(.*_)?statv?fs".into()]).unwrap();
        assert!(f.traced(Sysno::statfs as u64));
        assert!(!f.traced(Sysno::fstatfs as u64) && !f.traced(Sysno::stat as u64));
        let f = Filter::parse(&["trace=/sched".into()]).unwrap();
        assert!(f.traced(Sysno::sched_yield as u64) && !f.traced(Sysno::read as u64));
        assert_eq!(
            Filter::parse(&["trace=/^nosuchcall$".into()]).unwrap_err(),
            "invalid system call '/^nosuchcall$'"
        );
        assert!(Filter::parse(&["trace=/(".into()])
            .unwrap_err()
            .starts_with("regcomp: (: "));
    }

    #[test]
    fn a_number_selects_that_syscall() {
        let f = Filter::parse(&["trace=39".into()]).unwrap();
        assert!(f.traced(Sysno::getpid as u64) && !f.traced(Sysno::read as u64));
        assert!(Filter::parse(&["trace=99999".into()]).is_err());
    }
}
