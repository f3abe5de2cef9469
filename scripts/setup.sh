#!/usr/bin/env bash
# Installs what gort's tests need beyond the Rust toolchain: strace and gcc (gort-trace compares itself
# with strace on fixtures it compiles, and on strace's own decoder tests: make, xz, unshare, setarch),
# wrk (gort-bench's smoke test loads its HTTP servers with it), and rustfmt/clippy for CI's checks.
# Idempotent; run it from the README or from .ci/run. Go (for the benchmark comparison) is installed
# by bench/compare.sh itself.
set -euo pipefail

need=()
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v cc >/dev/null 2>&1 || need+=(gcc)
# scripts/strace-tests builds strace 6.1's decoder tests from Debian's source package (make, xz) and
# runs each tracer in its own pid namespace (unshare, setarch).
command -v make >/dev/null 2>&1 || need+=(make)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v setarch >/dev/null 2>&1 || need+=(util-linux)
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
