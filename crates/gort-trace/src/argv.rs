//! strace's command-line spellings, rewritten into the one form the clap parser accepts.
//!
//! Design: strace parses with getopt, so `-a10`, `-etrace=open`, `-Xraw` and clusters such as `-yy` or
//! `-qqf` are all valid, and most options also have a long form (`--trace=open`, `--decode-fds`). Before
//! clap sees the arguments, [`normalize`] splits every short option from its attached value and turns
//! the long forms gort-trace supports into their short equivalents (`--trace=X` becomes `-e trace=X`).
//! Like strace, option parsing stops at the first argument that is not an option (the command), so the
//! traced command's own arguments are never touched.

use std::ffi::OsString;

/// Short options that take a value (the rest of the token, or the next argument).
const WITH_VALUE: &[u8] = b"abeEIoOpPsSuUX";

/// Long options whose value may be the next argument.
const LONG_WITH_VALUE: &[&str] = &[
    "procs",
    "trace",
    "signal",
    "status",
    "inject",
    "fault",
    "read",
    "write",
    "trace-path",
    "columns",
    "string-limit",
    "output",
    "attach",
    "const-print-style",
    "decode-pids",
];

/// Long options and the short form they stand for; `Some(prefix)` values become `-e prefix=VALUE`.
fn long_form(name: &str, value: Option<&str>) -> Option<Vec<String>> {
    let short = |flag: &str| Some(vec![flag.to_string()]);
    let with = |flag: &str| value.map(|v| vec![flag.to_string(), v.to_string()]);
    let qualifier = |q: &str| value.map(|v| vec!["-e".to_string(), format!("{q}={v}")]);
    match name {
        "trace" | "signal" | "signals" | "status" | "inject" | "fault" | "read" | "write"
        | "raw" | "abbrev" | "verbose" | "quiet" | "silent" | "silence" | "decode-fds"
        | "decode-pids" => match (name, value) {
            ("decode-fds", None) => short("-y"),
            ("decode-fds", Some(_)) => qualifier("decode-fds"),
            ("signals", _) => qualifier("signal"),
            ("silent" | "silence", _) => qualifier("quiet"),
            ("quiet", None) => short("-q"),
            _ => qualifier(name),
        },
        "timestamps" | "absolute-timestamps" => Some(vec![format!(
            "--absolute-timestamps={}",
            value.unwrap_or("")
        )]),
        "relative-timestamps" => Some(match value {
            Some(p) => vec!["-r".into(), format!("--relative-precision={p}")],
            None => vec!["-r".into()],
        }),
        "syscall-times" => Some(match value {
            Some(p) => vec!["-T".into(), format!("--syscall-times-precision={p}")],
            None => vec!["-T".into()],
        }),
        "strings-in-hex" => match value {
            None | Some("all") => short("-xx"),
            Some("non-ascii") => short("-x"),
            Some("non-ascii-chars") => short("--hex-chars"),
            Some("none") => Some(Vec::new()),
            _ => None,
        },
        "trace-path" => with("-P"),
        "columns" => with("-a"),
        "string-limit" => with("-s"),
        "output" => with("-o"),
        "attach" => with("-p"),
        "const-print-style" => with("-X"),
        "follow-forks" => short("-f"),
        "syscall-number" => short("-n"),
        "no-abbrev" => short("-v"),
        "successful-only" => short("-z"),
        "failed-only" => short("-Z"),
        "summary-only" => short("-c"),
        _ => None,
    }
}

/// Rewrites `args` (program name first) into separate short options with separate values.
pub fn normalize<I: IntoIterator<Item = OsString>>(args: I) -> Vec<OsString> {
    let mut it = args.into_iter();
    let mut out: Vec<OsString> = it.next().into_iter().collect();
    let mut rest = it.peekable();
    while let Some(arg) = rest.next() {
        let Some(text) = arg.to_str().map(str::to_owned) else {
            // Not UTF-8: not an option gort-trace knows; the command starts here.
            out.push(arg);
            break;
        };
        if text == "--" {
            out.push(arg);
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            // `--name VALUE` as getopt_long accepts it, for the options that need a value.
            let value = match value {
                None if LONG_WITH_VALUE.contains(&name) => {
                    rest.next().and_then(|v| v.into_string().ok())
                }
                v => v,
            };
            if name == "procs" {
                out.push(arg);
                out.extend(value.map(OsString::from));
                continue;
            }
            match long_form(name, value.as_deref()) {
                Some(v) => out.extend(v.into_iter().map(OsString::from)),
                None => out.push(arg),
            }
            continue;
        }
        let bytes = text.as_bytes();
        if bytes.len() < 2 || bytes[0] != b'-' {
            // The command: it and everything after it belong to the traced program.
            out.push(OsString::from("--"));
            out.push(arg);
            break;
        }
        let mut k = 1;
        while k < bytes.len() {
            let c = bytes[k];
            out.push(OsString::from(format!("-{}", c as char)));
            k += 1;
            if WITH_VALUE.contains(&c) {
                if k < bytes.len() {
                    out.push(OsString::from(&text[k..]));
                } else if let Some(v) = rest.next() {
                    out.push(v);
                }
                break;
            }
        }
    }
    out.extend(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(args: &[&str]) -> Vec<String> {
        normalize(args.iter().map(OsString::from))
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn attached_values_are_split_and_clusters_expanded() {
        assert_eq!(
            n(&[
                "t",
                "-a10",
                "-etrace=umask",
                "-yyf",
                "-s",
                "12",
                "prog",
                "-x"
            ]),
            [
                "t",
                "-a",
                "10",
                "-e",
                "trace=umask",
                "-y",
                "-y",
                "-f",
                "-s",
                "12",
                "--",
                "prog",
                "-x"
            ]
        );
    }

    #[test]
    fn long_options_become_short_ones() {
        assert_eq!(
            n(&[
                "t",
                "--trace=open",
                "--trace-path=x",
                "--decode-fds",
                "--",
                "p"
            ]),
            ["t", "-e", "trace=open", "-P", "x", "-y", "--", "p"]
        );
    }

    #[test]
    fn long_options_take_the_next_argument_as_value() {
        assert_eq!(
            n(&["t", "--procs", "1", "-o", "x", "sh", "-c", "exit 7"]),
            ["t", "--procs", "1", "-o", "x", "--", "sh", "-c", "exit 7"]
        );
    }

    #[test]
    fn unknown_long_options_are_left_for_the_parser_to_reject() {
        assert_eq!(n(&["t", "--bogus", "p"]), ["t", "--bogus", "--", "p"]);
    }
}
