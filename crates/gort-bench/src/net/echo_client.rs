//! The closed-loop echo client, the load generator of `echo_*` and
//! `idle_10k`: N connections, each sending a 64-byte message and waiting for
//! its echo before sending the next, so that every connection has exactly
//! one round trip in flight.
//!
//! One connection runs on the calling thread with blocking sockets (the
//! leanest client for a latency-bound loop); more run as tasks of a tokio
//! current-thread runtime, so the client stays on one thread, pinned to one
//! CPU in the pinned configuration, whatever N. Connections are opened in
//! batches, each one confirmed by a first round trip, so that no listen
//! backlog overflows and every connection's server goroutine exists before
//! anything is measured.
//!
//! A run warms up, then counts round trips and records their latency in an
//! HDR histogram over the measured window, sampling the server's CPU time at
//! both ends and its RSS at the end, with every connection still open. Every
//! echo is checked byte for byte; any error ends the case with a message.

use super::server_process::ServerProcess;
use hdrhistogram::Histogram;
use std::cell::{Cell, RefCell};
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Size of every message.
pub const MSG_LEN: usize = 64;
/// Connections opened (and confirmed) at a time.
const CONNECT_BATCH: usize = 64;

/// One load run.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    /// Connections.
    pub conns: usize,
    /// Time run before measuring.
    pub warmup: Duration,
    /// Time measured.
    pub measure: Duration,
}

/// What one load run measured.
pub struct Measured {
    /// Round trips completed inside the window.
    pub round_trips: u64,
    /// Length of the window.
    pub elapsed: Duration,
    /// Latency of the window's round trips, in nanoseconds.
    pub latency_ns: Histogram<u64>,
    /// Server CPU time (user + system) spent inside the window.
    pub server_cpu: Duration,
    /// Server RSS at the end of the window, every connection open.
    pub server_rss: u64,
}

/// What an idle run measured.
pub struct Idle {
    /// Server CPU time spent while every connection was idle.
    pub server_cpu: Duration,
    /// The idle window.
    pub elapsed: Duration,
    /// Server RSS, every connection open.
    pub server_rss: u64,
}

/// The message of connection `i`: its bytes differ per connection, so that
/// an echo sent back on the wrong connection is caught.
fn message(i: usize) -> [u8; MSG_LEN] {
    let mut m = [0u8; MSG_LEN];
    for (k, b) in m.iter_mut().enumerate() {
        *b = (i.wrapping_mul(31).wrapping_add(k)) as u8;
    }
    m
}

fn check_echo(sent: &[u8], got: &[u8]) -> io::Result<()> {
    if sent == got {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the server echoed different bytes than were sent",
        ))
    }
}

fn new_histogram() -> Histogram<u64> {
    // 1 ns to 100 s, 3 significant digits.
    Histogram::new_with_bounds(1, 100_000_000_000, 3).expect("histogram bounds")
}

/// Runs the closed loop against `server`.
pub fn run(server: &ServerProcess, load: Load) -> io::Result<Measured> {
    if load.conns == 1 {
        run_blocking(server, load)
    } else {
        tokio_runtime()?.block_on(tokio::task::LocalSet::new().run_until(run_many(server, load)))
    }
}

/// Opens `conns` connections, leaves them idle for `window` after a short
/// settle, and measures the server meanwhile.
pub fn idle(
    server: &ServerProcess,
    conns: usize,
    settle: Duration,
    window: Duration,
) -> io::Result<Idle> {
    let local = tokio::task::LocalSet::new();
    tokio_runtime()?.block_on(local.run_until(async move {
        let _streams = connect_all(server.addr, conns).await?;
        tokio::time::sleep(settle).await;
        let cpu0 = server.cpu_time()?;
        let t0 = Instant::now();
        tokio::time::sleep(window).await;
        let cpu1 = server.cpu_time()?;
        let elapsed = t0.elapsed();
        Ok(Idle {
            server_cpu: cpu1.saturating_sub(cpu0),
            elapsed,
            server_rss: server.rss_bytes()?,
        })
    }))
}

fn tokio_runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

fn run_blocking(server: &ServerProcess, load: Load) -> io::Result<Measured> {
    let mut s = std::net::TcpStream::connect(server.addr)?;
    s.set_nodelay(true)?;
    let msg = message(0);
    let mut buf = [0u8; MSG_LEN];
    let mut hist = new_histogram();
    let measure_at = Instant::now() + load.warmup;
    let mut window: Option<(Instant, Duration)> = None;
    let mut round_trips = 0u64;
    loop {
        let sent = Instant::now();
        match window {
            None if sent >= measure_at => window = Some((sent, server.cpu_time()?)),
            Some((t0, _)) if sent - t0 >= load.measure => break,
            _ => {}
        }
        s.write_all(&msg)?;
        s.read_exact(&mut buf)?;
        let done = Instant::now();
        check_echo(&msg, &buf)?;
        if window.is_some() {
            round_trips += 1;
            let _ = hist.record((done - sent).as_nanos() as u64);
        }
    }
    let (t0, cpu0) = window.expect("the window opened before it closed");
    let cpu1 = server.cpu_time()?;
    let elapsed = t0.elapsed();
    Ok(Measured {
        round_trips,
        elapsed,
        latency_ns: hist,
        server_cpu: cpu1.saturating_sub(cpu0),
        server_rss: server.rss_bytes()?,
    })
}

/// What the connections of [`run_many`] share (one thread: plain cells).
struct Shared {
    measuring: Cell<bool>,
    stop: Cell<bool>,
    round_trips: Cell<u64>,
    latency_ns: RefCell<Histogram<u64>>,
}

async fn run_many(server: &ServerProcess, load: Load) -> io::Result<Measured> {
    let streams = connect_all(server.addr, load.conns).await?;
    let shared = Rc::new(Shared {
        measuring: Cell::new(false),
        stop: Cell::new(false),
        round_trips: Cell::new(0),
        latency_ns: RefCell::new(new_histogram()),
    });
    let mut tasks = tokio::task::JoinSet::new();
    for (i, s) in streams.into_iter().enumerate() {
        tasks.spawn_local(closed_loop(s, message(i), shared.clone()));
    }
    tokio::time::sleep(load.warmup).await;
    let cpu0 = server.cpu_time()?;
    let t0 = Instant::now();
    let n0 = shared.round_trips.get();
    shared.measuring.set(true);
    tokio::time::sleep(load.measure).await;
    shared.measuring.set(false);
    let n1 = shared.round_trips.get();
    let elapsed = t0.elapsed();
    let cpu1 = server.cpu_time()?;
    let server_rss = server.rss_bytes()?;
    shared.stop.set(true);
    while let Some(r) = tasks.join_next().await {
        r.map_err(io::Error::other)??;
    }
    let latency_ns = shared.latency_ns.replace(new_histogram());
    Ok(Measured {
        round_trips: n1 - n0,
        elapsed,
        latency_ns,
        server_cpu: cpu1.saturating_sub(cpu0),
        server_rss,
    })
}

async fn closed_loop(mut s: TcpStream, msg: [u8; MSG_LEN], shared: Rc<Shared>) -> io::Result<()> {
    let mut buf = [0u8; MSG_LEN];
    while !shared.stop.get() {
        let sent = Instant::now();
        s.write_all(&msg).await?;
        s.read_exact(&mut buf).await?;
        let done = Instant::now();
        check_echo(&msg, &buf)?;
        shared.round_trips.set(shared.round_trips.get() + 1);
        if shared.measuring.get() {
            let _ = shared
                .latency_ns
                .borrow_mut()
                .record((done - sent).as_nanos() as u64);
        }
    }
    Ok(())
}

/// Opens `n` connections in batches, each confirmed by one round trip.
async fn connect_all(addr: SocketAddr, n: usize) -> io::Result<Vec<TcpStream>> {
    let mut all = Vec::with_capacity(n);
    while all.len() < n {
        let batch = CONNECT_BATCH.min(n - all.len());
        let first = all.len();
        let mut set = tokio::task::JoinSet::new();
        for i in first..first + batch {
            set.spawn_local(async move {
                let mut s = TcpStream::connect(addr).await?;
                s.set_nodelay(true)?;
                let msg = message(i);
                let mut buf = [0u8; MSG_LEN];
                s.write_all(&msg).await?;
                s.read_exact(&mut buf).await?;
                check_echo(&msg, &buf)?;
                Ok::<_, io::Error>(s)
            });
        }
        while let Some(r) = set.join_next().await {
            all.push(r.map_err(io::Error::other)?.map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("connection {} of {n}: {e}", all.len() + 1),
                )
            })?);
        }
    }
    Ok(all)
}
