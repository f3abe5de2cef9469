//! The peers: one module per runtime, each running a single case in-process
//! and returning its [`Outcome`]. The driver in `main.rs` runs each case in a
//! subprocess, so a peer that crashes (may at its mapping limit) costs one
//! line, not the run.

use crate::common::{Cfg, Outcome};

#[cfg(feature = "gort")]
pub mod gort_peer;
pub mod may_peer;
pub mod threads;
pub mod tokio_peer;

/// The peers this binary knows, in the order the tables show them.
#[cfg(feature = "gort")]
pub const PEERS: &[&str] = &["gort", "tokio-mt", "tokio-ct", "may", "threads"];
/// The peers this binary knows, in the order the tables show them.
#[cfg(not(feature = "gort"))]
pub const PEERS: &[&str] = &["tokio-mt", "tokio-ct", "may", "threads"];

/// Runs `case` on `peer` in this process.
pub fn run_case(peer: &str, case: &str, cfg: &Cfg) -> Outcome {
    match peer {
        #[cfg(feature = "gort")]
        "gort" => gort_peer::run(case, cfg),
        "tokio-mt" => tokio_peer::run(case, cfg, true),
        "tokio-ct" => tokio_peer::run(case, cfg, false),
        "may" => may_peer::run(case, cfg),
        "threads" => threads::run(case, cfg),
        other => Outcome::Skip(format!("unknown peer {other}")),
    }
}
