#!/usr/bin/env bash
# Model-checks gort's lock-free protocols with loom: every test under `#[cfg(all(test, loom))]`
# (the park token, the poller's slot, the channel waiter's claim). A build of its own, in
# target/loom, since `--cfg loom` swaps the protocols' atomics for loom's.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTFLAGS="--cfg loom ${RUSTFLAGS:-}"
export CARGO_TARGET_DIR=target/loom
export LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}"
cargo test -p gort --release --lib -- model:: "$@"
