#!/usr/bin/env bash
# net-profile.sh — profiles one network case's server while the client loads it
# (issue 15): `perf record -g` on the server process for the measured window,
# then the flat profile, plus a syscall count (`strace -f -c`) from a second run
# (strace slows the server down, so the two are never taken together).
#
#   bench/net-profile.sh PEER CASE PROCS [OUT_PREFIX]
#   bench/net-profile.sh gort echo_100_deadline 1 bench/net/profile-echo_100_deadline-p1
#
# Uses target/release/gort-bench (build it first; GORT_BENCH_GO and
# GORT_BENCH_GORT_HTTP as for gort-bench). Writes OUT_PREFIX-perf.txt,
# OUT_PREFIX-syscalls.txt and OUT_PREFIX-result.txt (the case's own lines).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 3 ] || { sed -n '2,12p' "$0"; exit 2; }
PEER=$1 CASE=$2 PROCS=$3
OUT=${4:-$ROOT/target/net-profile/$PEER-$CASE-p$PROCS}
mkdir -p "$(dirname "$OUT")"
BIN=$ROOT/target/release/gort-bench
[ -x "$BIN" ] || { echo "net-profile.sh: build gort-bench first (cargo build --release -p gort-bench)" >&2; exit 2; }
command -v perf >/dev/null || { echo "net-profile.sh: perf is missing (apt-get install linux-perf)" >&2; exit 2; }

# Starts the case in the background and prints the server's pid once it runs.
start_case() {
    "$BIN" --peer "$PEER" --case "$CASE" --procs "$PROCS" > "$1" 2>&1 &
    DRIVER=$!
    for _ in $(seq 200); do
        SERVER=$(pgrep -P "$DRIVER" | head -1 || true)
        [ -n "$SERVER" ] && return 0
        sleep 0.05
    done
    echo "net-profile.sh: no server process under the driver" >&2
    cat "$1" >&2
    exit 1
}

# The window: after the warm-up (and the connections of the 10k cases), 2 s.
settle=1
case "$CASE" in *10k*) settle=3 ;; esac

start_case "$OUT-result.txt"
sleep "$settle"
timeout -s INT 2 perf record -q -g -p "$SERVER" -o "$OUT-perf.data" 2>/dev/null || true
wait "$DRIVER" || true
perf report -i "$OUT-perf.data" --no-children --percent-limit 0.5 --stdio 2>/dev/null \
    | grep -E '^ +[0-9]' > "$OUT-perf.txt" || true
rm -f "$OUT-perf.data" "$OUT-perf.data.old"

start_case /dev/null
sleep "$settle"
timeout -s INT 2 strace -f -c -p "$SERVER" -o "$OUT-syscalls.txt" 2>/dev/null || true
wait "$DRIVER" || true

echo "== $PEER $CASE p$PROCS"
cat "$OUT-result.txt"
echo "-- top of the profile ($OUT-perf.txt)"
head -25 "$OUT-perf.txt"
echo "-- syscalls ($OUT-syscalls.txt)"
head -15 "$OUT-syscalls.txt"
