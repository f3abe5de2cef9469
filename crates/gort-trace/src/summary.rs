//! The `-c` summary table, in strace's layout.
//!
//! Design: calls are counted when they complete (at the exit stop), as strace does, so `exit_group` —
//! which never returns — does not appear, and an interrupted call counts once. Time is system CPU time
//! spent by the tracee between the entry and exit stops (from `wait4`'s rusage), which is strace's
//! default measure. Rows are sorted by time, then by syscall number.

use crate::decode::syscall_name;
use std::collections::HashMap;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, Default)]
struct Row {
    calls: u64,
    errors: u64,
    ns: u64,
}

/// Accumulated per-syscall counts.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    rows: HashMap<u64, Row>,
}

impl Summary {
    /// Counts one completed call of syscall `nr` that returned `ret` after `ns` nanoseconds.
    pub fn record(&mut self, nr: u64, ret: i64, ns: u64) {
        let r = self.rows.entry(nr).or_default();
        r.calls += 1;
        r.ns += ns;
        if (-4095..0).contains(&ret) {
            r.errors += 1;
        }
    }

    /// Calls and errors of syscall `name` (for tests).
    pub fn counts(&self, name: &str) -> Option<(u64, u64)> {
        self.rows
            .iter()
            .find(|(nr, _)| syscall_name(**nr) == name)
            .map(|(_, r)| (r.calls, r.errors))
    }

    /// The table as strace prints it.
    pub fn render(&self) -> String {
        let mut rows: Vec<(u64, Row)> = self.rows.iter().map(|(nr, r)| (*nr, *r)).collect();
        // By time, ties by syscall number (strace's order).
        rows.sort_by(|a, b| b.1.ns.cmp(&a.1.ns).then(a.0.cmp(&b.0)));
        let rows: Vec<(String, Row)> = rows
            .into_iter()
            .map(|(nr, r)| (syscall_name(nr).into_owned(), r))
            .collect();
        let total_ns: u64 = rows.iter().map(|r| r.1.ns).sum();
        let total_calls: u64 = rows.iter().map(|r| r.1.calls).sum();
        let total_errors: u64 = rows.iter().map(|r| r.1.errors).sum();
        let sep = "------ ----------- ----------- --------- --------- ----------------\n";
        let mut s = String::from("% time     seconds  usecs/call     calls    errors syscall\n");
        s.push_str(sep);
        let line = |s: &mut String, pct: f64, ns: u64, calls: u64, errors: u64, name: &str| {
            let errs = if errors == 0 {
                String::new()
            } else {
                errors.to_string()
            };
            let per = ns.checked_div(calls).unwrap_or(0) / 1000;
            let _ = writeln!(
                s,
                "{pct:>6.2} {:>11.6} {per:>11} {calls:>9} {errs:>9} {name}",
                ns as f64 / 1e9
            );
        };
        for (name, r) in &rows {
            let pct = if total_ns == 0 {
                0.0
            } else {
                r.ns as f64 * 100.0 / total_ns as f64
            };
            line(&mut s, pct, r.ns, r.calls, r.errors, name);
        }
        s.push_str(sep);
        line(&mut s, 100.0, total_ns, total_calls, total_errors, "total");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_layout() {
        let mut s = Summary::default();
        s.record(61, 5, 6_144_000);
        s.record(61, -10, 0);
        s.record(257, 3, 782_000);
        let t = s.render();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "% time     seconds  usecs/call     calls    errors syscall"
        );
        assert_eq!(
            lines[2],
            " 88.71    0.006144        3072         2         1 wait4"
        );
        assert_eq!(
            lines[3],
            " 11.29    0.000782         782         1           openat"
        );
        assert_eq!(
            lines[5],
            "100.00    0.006926        2308         3         1 total"
        );
        assert_eq!(s.counts("wait4"), Some((2, 1)));
    }
}
