//! The rules live in the repository: every "semantics N" or "semantics N.M" cited in the code, the
//! tests and the documents names a section or rule of `docs/semantics.md`, and the README links it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The repository's root (this crate is `crates/gort`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The sections ("N") and rules ("N.M") of `docs/semantics.md`: headings `## N. ...` and, inside
/// section N, list items `M. ...` at the start of a line.
fn rules(doc: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut section = None;
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            section = leading_number(h);
            if let Some(n) = section {
                out.insert(n.to_string());
            }
        } else if let (Some(n), Some(m)) = (section, leading_number(line)) {
            out.insert(format!("{n}.{m}"));
        }
    }
    out
}

/// `Some(12)` for "12. ..." (digits, then a dot, then a space).
fn leading_number(s: &str) -> Option<u32> {
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &s[digits..];
    if digits == 0 || !rest.starts_with(". ") {
        return None;
    }
    s[..digits].parse().ok()
}

/// Every rule number cited in `text`: after "semantics" (any case, an optional "rule"), a list
/// such as "1.7", "4.3, 2.10" or "1 and 3". "semantics.md" cites nothing.
fn citations(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for (at, _) in lower.match_indices("semantics") {
        let mut rest = &lower[at + "semantics".len()..];
        rest = rest.trim_start_matches(' ');
        rest = rest.strip_prefix("rule ").unwrap_or(rest);
        loop {
            let len = rest
                .char_indices()
                .take_while(|&(i, c)| {
                    c.is_ascii_digit()
                        || (c == '.'
                            && i > 0
                            && rest[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
                })
                .count();
            if len == 0 {
                break;
            }
            out.push(rest[..len].to_string());
            rest = &rest[len..];
            match [", ", " and "].iter().find(|sep| rest.starts_with(**sep)) {
                Some(sep) => rest = &rest[sep.len()..],
                None => break,
            }
        }
    }
    out
}

/// The files that may cite rules: sources, tests, benches and documents of every crate, and the
/// top-level documents.
fn citing_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = e.expect("a directory entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    walk(&path, out);
                }
            } else if path
                .extension()
                .is_some_and(|x| x == "rs" || x == "md" || x == "sh")
            {
                out.push(path);
            }
        }
    }
    let root = root();
    let mut out = vec![root.join("README.md")];
    walk(&root.join("crates"), &mut out);
    walk(&root.join("docs"), &mut out);
    walk(&root.join("bench"), &mut out);
    out
}

#[test]
fn every_semantics_citation_names_a_rule_of_docs_semantics_md() {
    let doc = std::fs::read_to_string(root().join("docs/semantics.md")).expect("docs/semantics.md");
    let known = rules(&doc);
    assert!(
        known.contains("1.1") && known.contains("4.5"),
        "parsed {known:?}"
    );
    let mut cited = 0;
    let mut missing = Vec::new();
    for path in citing_files() {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for c in citations(&text) {
            cited += 1;
            if !known.contains(&c) {
                missing.push(format!("{}: semantics {c}", path.display()));
            }
        }
    }
    assert!(
        cited > 40,
        "found only {cited} citations: is the scan broken?"
    );
    assert!(
        missing.is_empty(),
        "cited but not in docs/semantics.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_readme_links_the_rules_and_nothing_points_outside_the_repository() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(
        readme.contains("(docs/semantics.md)"),
        "README.md does not link docs/semantics.md"
    );
    for path in citing_files() {
        let text = std::fs::read_to_string(&path).expect("readable");
        // Spelled in two pieces so that this file does not match itself.
        for outside in [concat!("../", "shared"), concat!("/work", "/")] {
            assert!(
                !text.contains(outside),
                "{} names {outside}",
                path.display()
            );
        }
    }
}

#[test]
fn the_citation_scanner_reads_lists_and_skips_the_file_name() {
    assert_eq!(citations("(semantics 4.3, 2.10): x"), ["4.3", "2.10"]);
    assert_eq!(citations("Semantics 1 and 3."), ["1", "3"]);
    assert_eq!(citations("semantics rule 4.4)."), ["4.4"]);
    assert_eq!(
        citations("see semantics.md; Go's semantics."),
        Vec::<String>::new()
    );
    assert_eq!(
        rules("## 2. Wiring\n\n1. a\n   2. not a rule\n10. b\n"),
        ["2", "2.1", "2.10"].map(String::from).into()
    );
}
