#!/usr/bin/env bash
# Installs what gort's tests need beyond the Rust toolchain: strace and gcc (gort-trace compares itself
# with strace on fixtures it compiles), wrk (gort-bench's smoke test loads its HTTP servers with it), and
# rustfmt/clippy for CI's checks. Idempotent; run it from the README or from .ci/run. Go (for the
# benchmark comparison) is installed by bench/compare.sh itself.
set -euo pipefail

need=()
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}"
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true
echo "setup: ok"
