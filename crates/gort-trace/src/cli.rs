//! Command-line interface (clap derive) and its validation into a [`Config`].
//!
//! Design: clap parses; [`parse`] then validates everything that can be checked before any process is
//! touched (the command exists and is executable, pids exist, syscall names exist) so that bad input gets
//! one clear line and a non-zero exit, never a panic. clap's multi-line errors are reduced to their first
//! line.

use crate::decode::{FdKinds, Opts};
use crate::filter::Filter;
use crate::ptrace::Pid;
use crate::qualify::{FdSet, InjectRule, Quiet, SignalSet, StatusSet};
use crate::spawn::{self, Prepared};
use clap::Parser;
use std::ffi::OsString;
use std::path::PathBuf;

/// An strace-like syscall tracer whose ptrace work runs in one wired goroutine.
#[derive(Parser, Debug)]
#[command(
    name = "gort-trace",
    version,
    about,
    override_usage = "gort-trace [OPTIONS] -- CMD [ARGS...]\n       gort-trace [OPTIONS] -p PID [-p PID...]"
)]
pub struct Cli {
    /// Follow forks, vforks and clones (threads); -ff with -o: each process's trace to FILE.PID
    #[arg(short = 'f', action = clap::ArgAction::Count)]
    pub follow: u8,
    /// With -f and -o FILE: each process's trace goes to FILE.PID
    #[arg(long = "output-separately")]
    pub output_separately: bool,
    /// Print a summary table (% time, seconds, usecs/call, calls, errors, syscall) instead of the trace
    #[arg(short = 'c')]
    pub summary: bool,
    /// Write the trace to FILE instead of standard error
    #[arg(short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Filter expression: trace=SET (names, %file, %process, %network, %signal, %memory, %desc, !negation)
    #[arg(short = 'e', value_name = "EXPR")]
    pub expr: Vec<String>,
    /// Longest string printed
    #[arg(
        short = 's',
        value_name = "N",
        default_value_t = 32,
        overrides_with = "strsize"
    )]
    pub strsize: usize,
    /// Align return values in column N (default 40)
    #[arg(short = 'a', value_name = "N", overrides_with = "column")]
    pub column: Option<usize>,
    /// Show the time spent in each syscall
    #[arg(short = 'T')]
    pub syscall_times: bool,
    /// Stop the command only at traced syscalls, with a seccomp filter (needs -f)
    #[arg(long = "seccomp-bpf")]
    pub seccomp_bpf: bool,
    /// Print the syscall number before each line
    #[arg(short = 'n')]
    pub syscall_numbers: bool,
    /// Prefix lines with the wall-clock time (-tt: with microseconds)
    #[arg(short = 't', action = clap::ArgAction::Count)]
    pub timestamps: u8,
    /// How named constants are printed: abbrev (names), raw (numbers) or verbose (both)
    #[arg(short = 'X', value_name = "STYLE", overrides_with = "const_style")]
    pub const_style: Option<String>,
    /// Print structures in full (stat), not abbreviated
    #[arg(short = 'v')]
    pub verbose: bool,
    /// Print the paths of file descriptors (-yy: also device numbers and pidfd processes)
    #[arg(short = 'y', action = clap::ArgAction::Count)]
    pub decode_fds: u8,
    /// Print the name of the process a pid refers to (--decode-pids=comm)
    #[arg(short = 'Y')]
    pub decode_pid_comm: bool,
    /// Trace only syscalls that access PATH (repeatable)
    #[arg(short = 'P', value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print non-ASCII strings in hex (-xx: every string)
    #[arg(short = 'x', action = clap::ArgAction::Count)]
    pub hex: u8,
    /// --strings-in-hex=non-ascii-chars: escaped bytes in hex, the rest of a string as text
    #[arg(long = "hex-chars", hide = true)]
    pub hex_chars: bool,
    /// --strings-in-hex=WHICH: only reaches clap (to be rejected) when WHICH is not a known value
    #[arg(long = "strings-in-hex", value_name = "WHICH", hide = true, value_parser = ["all", "non-ascii", "non-ascii-chars", "none"])]
    pub strings_in_hex_unknown: Option<String>,
    /// Print only syscalls that returned without an error (-e status=successful)
    #[arg(short = 'z')]
    pub successful_only: bool,
    /// Print only syscalls that returned an error (-e status=failed)
    #[arg(short = 'Z')]
    pub failed_only: bool,
    /// Suppress attach/detach messages (-qq: also exit messages, -qqq: every suppressible message)
    #[arg(short = 'q', action = clap::ArgAction::Count)]
    pub quiet: u8,
    /// Prefix lines with the time since the previous line
    #[arg(short = 'r')]
    pub relative: bool,
    /// --timestamps=FORMAT,PRECISION (time|unix|none, s|ms|us|ns)
    #[arg(long = "absolute-timestamps", value_name = "SPEC", hide = true)]
    pub absolute_timestamps: Vec<String>,
    /// --relative-timestamps=PRECISION
    #[arg(long = "relative-precision", value_name = "P", hide = true)]
    pub relative_precision: Option<String>,
    /// --syscall-times=PRECISION
    #[arg(long = "syscall-times-precision", value_name = "P", hide = true)]
    pub syscall_times_precision: Option<String>,
    /// Attach to a running process (repeatable)
    #[arg(short = 'p', value_name = "PID")]
    pub pids: Vec<i32>,
    /// Number of gort processors (max_procs): default 1, or 2 with 4 or more CPUs
    #[arg(
        long = "procs",
        value_name = "N",
        env = "GORT_TRACE_PROCS",
        hide = true
    )]
    pub procs: Option<usize>,
    /// The command to run and trace
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "CMD"
    )]
    pub command: Vec<OsString>,
}

/// What to trace.
pub enum Target {
    /// Start this command.
    Spawn(Prepared),
    /// Attach to these pids.
    Attach(Vec<Pid>),
}

/// A validated configuration.
pub struct Config {
    /// What to trace.
    pub target: Target,
    /// `-f`.
    pub follow: bool,
    /// `-c`.
    pub summary: bool,
    /// `-o`.
    pub output: Option<PathBuf>,
    /// `-e trace=`.
    pub filter: Filter,
    /// Decoding options (`-s`).
    pub opts: Opts,
    /// `-T`.
    pub syscall_times: bool,
    /// `-n`.
    pub syscall_numbers: bool,
    /// `-ff -o FILE`, `--output-separately`: one file per tracee.
    pub separately: bool,
    /// `--seccomp-bpf`, where it applies (a started command under `-f`).
    pub seccomp: bool,
    /// `-a N`.
    pub column: Option<usize>,
    /// `-P`: paths whose syscalls are traced.
    pub paths: Vec<PathBuf>,
    /// `-X`: how named constants are printed.
    pub const_style: crate::decode::xlat::Style,
    /// The `-e` qualifiers other than `trace=`, and their short spellings.
    pub qual: Qualifiers,
    /// `-t`/`-r`/`--timestamps`/`--syscall-times` settings.
    pub stamps: crate::timestamps::Stamps,
    /// max_procs for the runtime.
    pub procs: usize,
}

/// Settings from `-e signal=`, `status=`, `quiet=`, `inject=`, `read=`, `write=` and `-z`/`-Z`/`-q`.
#[derive(Clone, Debug, Default)]
pub struct Qualifiers {
    /// Signals whose delivery is printed.
    pub signals: SignalSet,
    /// Which syscalls are printed by how they ended.
    pub status: StatusSet,
    /// Messages not printed.
    pub quiet: Quiet,
    /// Fault injections.
    pub inject: Vec<InjectRule>,
    /// Descriptors whose reads are dumped in hex.
    pub read_fds: FdSet,
    /// Descriptors whose writes are dumped in hex.
    pub write_fds: FdSet,
    /// `-e decode-fds=SET`: 1 to print descriptor paths, 0 for `none`.
    pub decode_fds: Option<u8>,
    /// `-e decode-pids=SET`: what is added to process ids (a mask of `decode::pid` bits).
    pub decode_pids: u8,
}

/// Splits the `-e` expressions: `trace=` ones (and bare names) are returned for the [`Filter`]; the
/// others are parsed into `q`.
fn qualifiers(exprs: &[String], q: &mut Qualifiers) -> Result<Vec<String>, String> {
    let mut trace = Vec::new();
    for e in exprs {
        let Some((key, value)) = e.split_once('=') else {
            trace.push(e.clone());
            continue;
        };
        match key {
            "trace" | "t" => trace.push(e.clone()),
            "signal" | "signals" | "s" => q.signals = SignalSet::parse(value)?,
            "status" => q.status = StatusSet::parse(value)?,
            "quiet" | "silent" | "silence" | "q" => q.quiet.parse_into(value)?,
            "inject" => q.inject.push(InjectRule::parse(value)?),
            "read" | "reads" | "r" => q.read_fds = FdSet::parse(value)?,
            "write" | "writes" | "w" => q.write_fds = FdSet::parse(value)?,
            "decode-fd" | "decode-fds" => {
                let mut mask = 0;
                for kind in value.split(',') {
                    mask |= match kind {
                        "none" => 0,
                        "all" => FdKinds::ALL,
                        "path" => FdKinds::PATH,
                        "dev" => FdKinds::DEV,
                        "socket" => FdKinds::SOCKET,
                        "pidfd" => FdKinds::PIDFD,
                        _ => return Err(format!("invalid decode-fds '{value}'")),
                    };
                }
                q.decode_fds = Some(mask);
            }
            "decode-pid" | "decode-pids" => q.decode_pids |= crate::decode::pid::parse_set(value)?,
            _ => return Err(format!("invalid -e qualifier '{key}'")),
        }
    }
    Ok(trace)
}

/// A command-line error: the line to print and the exit code (0 for `--help`/`--version`).
pub struct CliError {
    /// Text to print.
    pub message: String,
    /// Exit status.
    pub code: i32,
    /// Whether the text goes to stdout (help/version) rather than being an error line.
    pub is_info: bool,
}

fn err(message: String) -> CliError {
    CliError {
        message,
        code: 1,
        is_info: false,
    }
}

/// Parses and validates `args` (including the program name).
pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<Config, CliError> {
    let cli = match Cli::try_parse_from(crate::argv::normalize(args)) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                return Err(CliError {
                    message: e.render().to_string(),
                    code: 0,
                    is_info: true,
                });
            }
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            return Err(err(format!("{first} (see 'gort-trace --help')")));
        }
    };
    let mut qual = Qualifiers {
        quiet: Quiet::level(cli.quiet),
        ..Default::default()
    };
    let trace = qualifiers(&cli.expr, &mut qual).map_err(err)?;
    match (cli.successful_only, cli.failed_only) {
        (true, true) => return Err(err("-z and -Z cannot be used together".into())),
        (true, false) => qual.status = StatusSet::SUCCESSFUL,
        (false, true) => qual.status = StatusSet::FAILED,
        (false, false) => {}
    }
    let filter = Filter::parse(&trace).map_err(err)?;
    let const_style = match &cli.const_style {
        Some(s) => crate::decode::xlat::Style::parse(s).map_err(err)?,
        None => crate::decode::xlat::Style::Abbrev,
    };
    let target = match (cli.command.is_empty(), cli.pids.is_empty()) {
        (true, true) => {
            return Err(err(
                "must have PROG [ARGS] or -p PID (see 'gort-trace --help')".into(),
            ))
        }
        (false, false) => return Err(err("use either a command or -p PID, not both".into())),
        (false, true) => Target::Spawn(spawn::prepare(&cli.command).map_err(err)?),
        (true, false) => {
            let me = std::process::id() as i32;
            for &p in &cli.pids {
                if p <= 0 {
                    return Err(err(format!("invalid process id: '{p}'")));
                }
                if p == me {
                    return Err(err(format!("cannot trace itself (pid {p})")));
                }
                if !std::path::Path::new(&format!("/proc/{p}")).exists() {
                    return Err(err(format!("attach: no such process {p}")));
                }
            }
            Target::Attach(cli.pids.clone())
        }
    };
    // strace's conditions and messages: the filter is installed by the started command and only
    // pays off when its children are followed.
    let seccomp = cli.seccomp_bpf
        && match &target {
            Target::Attach(_) => {
                eprintln!(
                    "gort-trace: --seccomp-bpf is not enabled for processes attached with -p"
                );
                false
            }
            Target::Spawn(_) if cli.follow == 0 => {
                eprintln!(
                    "gort-trace: --seccomp-bpf cannot be used without -f/--follow-forks, disabling"
                );
                false
            }
            Target::Spawn(_) => true,
        };
    let mut target = target;
    if let (true, Target::Spawn(p)) = (seccomp, &mut target) {
        p.set_seccomp(crate::seccomp::program(&filter));
    }
    // -ff is -f plus --output-separately, which only means something with -o.
    let separately = (cli.follow >= 2 || cli.output_separately) && cli.output.is_some();
    if separately && cli.summary {
        return Err(err(
            "-c/--summary-only and -ff/--output-separately are mutually exclusive".into(),
        ));
    }
    let procs = match cli.procs {
        Some(0) => return Err(err("--procs must be at least 1".into())),
        Some(n) => n,
        // The tracer thread and the tracee keep two CPUs busy; a second P only helps (formatting in
        // parallel) when more CPUs are left, and on a 2-CPU machine its idle spinning costs more.
        None => match std::thread::available_parallelism().map_or(1, |n| n.get()) {
            n if n >= 4 => 2,
            _ => 1,
        },
    };
    Ok(Config {
        target,
        follow: cli.follow > 0,
        separately,
        summary: cli.summary,
        output: cli.output,
        filter,
        opts: Opts {
            strsize: cli.strsize,
            xflag: match (cli.hex, cli.hex_chars) {
                (0, true) => crate::decode::strings::HEX_CHARS,
                (n, _) => n.min(2),
            },
            verbose: cli.verbose,
            decode_fds: qual.decode_fds.unwrap_or(match cli.decode_fds {
                0 => 0,
                1 => FdKinds::PATH,
                _ => FdKinds::ALL,
            }),
            decode_pids: qual.decode_pids
                | if cli.decode_pid_comm {
                    crate::decode::pid::COMM
                } else {
                    0
                },
        },
        syscall_times: cli.syscall_times,
        syscall_numbers: cli.syscall_numbers,
        seccomp,
        column: cli.column,
        paths: cli.paths.clone(),
        const_style,
        qual,
        stamps: crate::timestamps::Stamps::parse(
            cli.timestamps,
            &cli.absolute_timestamps,
            cli.relative,
            cli.relative_precision.as_deref(),
            cli.syscall_times_precision.as_deref(),
        )
        .map_err(err)?,
        procs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Config, CliError> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn good_and_bad() {
        let c = p(&[
            "gort-trace",
            "-f",
            "-s",
            "64",
            "-tt",
            "-T",
            "--",
            "true",
            "-x",
        ])
        .ok()
        .unwrap();
        assert!(c.follow && c.syscall_times && c.opts.strsize == 64);
        assert_eq!(
            c.stamps.absolute,
            Some((crate::timestamps::Format::Time, 6))
        );
        assert!(matches!(
            p(&["gort-trace", "ls", "-l"]).ok().unwrap().target,
            Target::Spawn(_)
        ));
        let e = p(&["gort-trace", "--bogus", "true"]).err().unwrap();
        assert!(e.code != 0 && !e.message.contains('\n'), "{}", e.message);
        let e = p(&["gort-trace", "-e", "trace=nosuchcall", "true"])
            .err()
            .unwrap();
        assert_eq!(e.message, "invalid system call 'nosuchcall'");
        assert!(p(&["gort-trace"]).is_err());
        assert!(p(&["gort-trace", "-p", "999999999"]).is_err());
    }
}
