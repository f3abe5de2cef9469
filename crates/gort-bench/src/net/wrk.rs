//! The HTTP load generator: Debian's `wrk`, one thread (pinned to the
//! client's CPU in the pinned configuration), `-c` keep-alive connections,
//! for a whole number of seconds, with `--latency` for the percentiles. Its
//! report is parsed here; any socket error or non-2xx answer fails the case,
//! since the rate of a server that drops requests means nothing.

use super::server_process::pin_to;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::Duration;

/// What one wrk run measured.
#[derive(Debug, PartialEq)]
pub struct Report {
    /// Requests completed.
    pub requests: u64,
    /// Requests per second.
    pub per_second: f64,
    /// 99th latency percentile in microseconds.
    pub p99_us: f64,
}

/// Runs wrk against `url`.
pub fn run(url: &str, conns: usize, duration: Duration, cpu: Option<usize>) -> io::Result<Report> {
    let secs = duration.as_secs().max(1);
    let mut cmd = Command::new("wrk");
    cmd.args(["-t1", &format!("-c{conns}"), &format!("-d{secs}s")])
        .args(["--timeout", "5s", "--latency", url]);
    if let Some(cpu) = cpu {
        // SAFETY: the hook runs in the forked child before exec and makes one
        // async-signal-safe system call on a cpu_set_t of its own stack.
        unsafe {
            cmd.pre_exec(move || pin_to(cpu));
        }
    }
    let out = cmd.output().map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot run wrk ({e}): install it with `apt-get install wrk` (scripts/setup.sh does)"),
        )
    })?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "wrk failed ({}): {} {}",
            out.status,
            text.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    parse(&text)
}

/// Parses wrk's report.
pub fn parse(text: &str) -> io::Result<Report> {
    let bad = |what: &str| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("wrk's report has no {what}: {}", text.trim()),
        )
    };
    for line in text.lines().map(str::trim) {
        if line.starts_with("Socket errors:") || line.starts_with("Non-2xx or 3xx responses:") {
            return Err(io::Error::other(format!("wrk: {line}")));
        }
    }
    let per_second = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| bad("Requests/sec"))?;
    let requests = text
        .lines()
        .find(|l| l.contains(" requests in "))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| bad("request count"))?;
    let percentile = |p: &str| -> io::Result<f64> {
        text.lines()
            .find_map(|l| {
                let mut f = l.split_whitespace();
                (f.next()? == p).then(|| f.next()).flatten()
            })
            .and_then(duration_us)
            .ok_or_else(|| bad(&format!("{p} latency")))
    };
    Ok(Report {
        requests,
        per_second,
        p99_us: percentile("99%")?,
    })
}

/// A wrk duration (`812.00us`, `1.23ms`, `2.00s`, `1.00m`) in microseconds.
fn duration_us(v: &str) -> Option<f64> {
    let split = v.find(|c: char| c.is_ascii_alphabetic())?;
    let (num, unit) = v.split_at(split);
    let x: f64 = num.parse().ok()?;
    let scale = match unit {
        "us" => 1.0,
        "ms" => 1e3,
        "s" => 1e6,
        "m" => 60e6,
        "h" => 3600e6,
        _ => return None,
    };
    Some(x * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 1s test @ http://127.0.0.1:18081/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.59ms    2.12ms  13.60ms   86.63%
    Req/Sec    70.24k    20.55k   88.82k    70.00%
  Latency Distribution
     50%  900.00us
     75%    2.44ms
     90%    4.10ms
     99%    9.45ms
  69850 requests in 1.01s, 3.46MB read
Requests/sec:  69168.76
Transfer/sec:      3.43MB
";

    #[test]
    fn report_gives_rate_count_and_percentiles() {
        let r = parse(REPORT).unwrap();
        assert_eq!(r.requests, 69850);
        assert_eq!(r.per_second, 69168.76);
        assert!((r.p99_us - 9450.0).abs() < 1e-6);
    }

    #[test]
    fn socket_errors_and_bad_answers_are_failures() {
        let errs = REPORT.replace(
            "Requests/sec",
            "  Socket errors: connect 0, read 3, write 0, timeout 0\nRequests/sec",
        );
        assert!(parse(&errs).unwrap_err().to_string().contains("read 3"));
        let non2xx = REPORT.replace(
            "Requests/sec",
            "  Non-2xx or 3xx responses: 5\nRequests/sec",
        );
        assert!(parse(&non2xx).is_err());
        assert!(parse("nonsense").is_err());
    }
}
