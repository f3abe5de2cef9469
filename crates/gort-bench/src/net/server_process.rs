//! The server under test as a process of its own: which program and command
//! line serve a (peer, kind), starting it pinned or not, waiting until it
//! accepts connections, and reading its CPU time and resident memory from
//! `/proc/PID/stat` and `/proc/PID/status` while the client loads it.
//!
//! The server is a child of the driver, which lives for one case: it gets
//! `PR_SET_PDEATHSIG` = SIGKILL so that it never outlives a driver killed on
//! timeout, and is killed when the case ends.

use super::servers::Kind;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to start accepting.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// Environment variable naming the Go program (default: `gort-bench-go`
/// beside this binary, where `bench/compare.sh` builds it).
pub const GO_ENV: &str = "GORT_BENCH_GO";
/// Environment variable naming gort's HTTP example (default:
/// `examples/http` beside this binary, where cargo builds it).
pub const GORT_HTTP_ENV: &str = "GORT_BENCH_GORT_HTTP";

/// A running server.
pub struct ServerProcess {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

/// A program beside this binary, or the one an environment variable names.
fn companion(env: &str, relative: &str) -> io::Result<PathBuf> {
    let path = match std::env::var_os(env) {
        Some(p) => PathBuf::from(p),
        None => {
            let exe = std::env::current_exe()?;
            exe.parent().unwrap_or(exe.as_path()).join(relative)
        }
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{} is missing: build it (bench/compare.sh does) or set {env}",
                path.display()
            ),
        ))
    }
}

/// The command that runs `peer`'s server of `kind` on `addr`.
fn command(peer: &str, kind: Kind, addr: &str, procs: usize) -> io::Result<Command> {
    let procs_arg = procs.to_string();
    Ok(match (peer, kind) {
        ("go" | "go-nethttp", _) => {
            let serve = if peer == "go-nethttp" {
                "nethttp"
            } else {
                kind.name()
            };
            let mut c = Command::new(companion(GO_ENV, "gort-bench-go")?);
            c.args(["--serve", serve, "--addr", addr, "--procs", &procs_arg]);
            c
        }
        ("gort", Kind::Http) => {
            let mut c = Command::new(companion(GORT_HTTP_ENV, "examples/http")?);
            c.args([addr, &procs_arg]);
            c
        }
        _ => {
            let mut c = Command::new(std::env::current_exe()?);
            c.args(["serve", peer, kind.name(), addr, &procs_arg]);
            c
        }
    })
}

/// A loopback port nobody listens on right now.
fn free_port() -> io::Result<SocketAddr> {
    TcpListener::bind("127.0.0.1:0")?.local_addr()
}

impl ServerProcess {
    /// Starts `peer`'s server of `kind` with `procs` scheduler threads, on
    /// CPU `cpu` alone when given, and waits until it accepts connections.
    pub fn start(peer: &str, kind: Kind, procs: usize, cpu: Option<usize>) -> io::Result<Self> {
        let addr = free_port()?;
        let mut cmd = command(peer, kind, &addr.to_string(), procs)?;
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        // SAFETY: the hook runs in the forked child before exec and makes
        // only async-signal-safe system calls (prctl, sched_setaffinity) on
        // a cpu_set_t of its own stack.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(io::Error::last_os_error());
                }
                if let Some(cpu) = cpu {
                    pin_to(cpu)?;
                }
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("starting {cmd:?}: {e}")))?;
        let mut server = ServerProcess { child, addr };
        let start = Instant::now();
        loop {
            if let Some(st) = server.child.try_wait()? {
                return Err(io::Error::other(format!(
                    "{peer} {} server exited at start ({st})",
                    kind.name()
                )));
            }
            if TcpStream::connect(addr).is_ok() {
                return Ok(server);
            }
            if start.elapsed() > START_TIMEOUT {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "{peer} {} server not accepting on {addr} after {} s",
                        kind.name(),
                        START_TIMEOUT.as_secs()
                    ),
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU time it has used so far, user and system, all threads (the
    /// `utime` and `stime` fields of `/proc/PID/stat`, in clock ticks).
    pub fn cpu_time(&self) -> io::Result<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid()))?;
        cpu_time_of_stat(&stat, clock_ticks_per_second())
    }

    /// Its resident set size in bytes (`VmRSS` of `/proc/PID/status`).
    pub fn rss_bytes(&self) -> io::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb * 1024)
            .ok_or_else(|| io::Error::other("no VmRSS in /proc/PID/status"))
    }

    /// Fails if the server has exited (it serves until killed).
    pub fn check_alive(&mut self) -> io::Result<()> {
        match self.child.try_wait()? {
            None => Ok(()),
            Some(st) => Err(io::Error::other(format!("the server exited ({st})"))),
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// utime + stime of a `/proc/PID/stat` line. The fields are counted after
/// the command name, which is in parentheses and may hold spaces.
pub fn cpu_time_of_stat(stat: &str, ticks_per_s: u64) -> io::Result<Duration> {
    let bad = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("bad stat line {stat:?}"),
        )
    };
    let after = &stat[stat.rfind(')').ok_or_else(bad)? + 1..];
    // After the name: state(3) ppid(4) ... utime(14) stime(15).
    let f: Vec<&str> = after.split_whitespace().collect();
    let field =
        |n: usize| -> io::Result<u64> { f.get(n - 3).and_then(|v| v.parse().ok()).ok_or_else(bad) };
    let ticks = field(14)? + field(15)?;
    Ok(Duration::from_nanos(
        ticks * 1_000_000_000 / ticks_per_s.max(1),
    ))
}

fn clock_ticks_per_second() -> u64 {
    // SAFETY: sysconf has no preconditions; it only reads a constant.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 {
        t as u64
    } else {
        100
    }
}

/// Restricts the calling thread, and every thread it creates from now on, to
/// CPU `cpu`.
pub fn pin_to(cpu: usize) -> io::Result<()> {
    // SAFETY: cpu_set_t is plain data for which all-zero is the empty set;
    // CPU_SET writes inside it and sched_setaffinity reads it with its size.
    let rc = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Raises this process's open-file limit to its hard limit, for 10,000
/// connections (the servers inherit it).
pub fn raise_fd_limit() -> io::Result<u64> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write one rlimit we own.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return Err(io::Error::last_os_error());
        }
        lim.rlim_cur = lim.rlim_max;
        if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(lim.rlim_cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_line_gives_utime_plus_stime() {
        // A name with spaces and a parenthesis: fields count from the last ')'.
        let line = "1234 (a b) c) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0";
        let t = cpu_time_of_stat(line, 100).unwrap();
        assert_eq!(t, Duration::from_secs(3));
        assert!(cpu_time_of_stat("garbage", 100).is_err());
    }
}
