#!/usr/bin/env bash
# Overhead of gort-trace versus strace on a syscall-heavy fixture: N one-byte writes to /dev/null
# (default 200,000), traced with output to /dev/null. Runs alternate between the tracers (R rounds,
# default 5) and the script prints each tracer's median wall time, side by side, plus the untraced time.
# The "wait=" rows are gort-trace's alternative wait strategies (GORT_TRACE_WAIT, see tracer.rs).
# GORT_TRACE_BASELINE=path/to/an/earlier/gort-trace adds that build as a row, interleaved with the
# others, to measure what a change (new decoding, say) costs.
#
# usage: bench/trace-overhead.sh [N] [ROUNDS]
set -euo pipefail
N=${1:-200000}
R=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v strace >/dev/null || { echo "strace is missing: run scripts/setup-trace-deps.sh" >&2; exit 1; }
command -v gcc >/dev/null || { echo "gcc is missing: run scripts/setup-trace-deps.sh" >&2; exit 1; }
cargo build --release -q -p gort-trace
bin="$root/target/release/gort-trace"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O1 -o "$work/writes" crates/gort-trace/tests/fixtures/writes.c

# wall seconds of one command, from bash's own clock (no external `time` needed)
wall() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
}
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

declare -A runs
names=("untraced" "strace" "gort-trace --procs 1" "gort-trace --procs 2" "  wait=poll, --procs 1" "  wait=block, --procs 1")
baseline=${GORT_TRACE_BASELINE:-}
[ -z "$baseline" ] || names+=("baseline build --procs 1")
for ((r = 1; r <= R; r++)); do
    runs[untraced]+="$(wall "$work/writes" "$N")"$'\n'
    runs[strace]+="$(wall strace -o /dev/null "$work/writes" "$N")"$'\n'
    runs["gort-trace --procs 1"]+="$(wall "$bin" --procs 1 -o /dev/null "$work/writes" "$N")"$'\n'
    runs["gort-trace --procs 2"]+="$(wall "$bin" --procs 2 -o /dev/null "$work/writes" "$N")"$'\n'
    runs["  wait=poll, --procs 1"]+="$(GORT_TRACE_WAIT=poll wall "$bin" --procs 1 -o /dev/null "$work/writes" "$N")"$'\n'
    runs["  wait=block, --procs 1"]+="$(GORT_TRACE_WAIT=block wall "$bin" --procs 1 -o /dev/null "$work/writes" "$N")"$'\n'
    if [ -n "$baseline" ]; then
        runs["baseline build --procs 1"]+="$(wall "$baseline" --procs 1 -o /dev/null "$work/writes" "$N")"$'\n'
    fi
done
s=$(printf '%s' "${runs[strace]}" | median)
printf '%d writes to /dev/null, %d alternating rounds, median wall seconds (%s cores)\n' "$N" "$R" "$(nproc)"
for n in "${names[@]}"; do
    m=$(printf '%s' "${runs[$n]}" | median)
    printf '  %-24s %8s s   (%s x strace)\n' "$n" "$m" "$(awk -v a="$m" -v b="$s" 'BEGIN { printf "%.2f", a / b }')"
done
