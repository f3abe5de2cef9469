#!/usr/bin/env bash
# compare.sh — gort's side-by-side benchmark against Go 1.19, tokio, may and
# OS threads (issue 4), in-process workloads and network ones (issue 15).
#
#   bench/compare.sh [--quick] [--reps N] [--peers "go gort ..."] [--workloads "spawn pingpong ..."]
#                    [--procs "1 2 16"] [--out DIR] [--prebuilt DIR]
#
# Installs Go 1.19 and wrk if missing (apt-get install golang-1.19-go wrk),
# builds crates/gort-bench, gort's http example and bench/go, runs every
# workload on every peer that runs it
# interleaved (rep 1: A B C, rep 2: C B A, ...; 5 reps, --quick: 1 rep at tiny
# sizes), and writes the median/min–max table with the ratios gort/peer to
# DIR/results.md and the ratio-to-Go chart to DIR/chart.svg. DIR is bench/
# for a full run and target/bench-quick/ for --quick (so a smoke run never
# overwrites the committed results). Raw lines go to DIR/raw.txt.
# --procs runs every chosen workload at the given max_procs values instead of
# the usual ones. --prebuilt DIR takes gort-bench and gort-bench-go from DIR
# and builds and installs nothing: for a machine with neither cargo nor Go
# (the 16-core scale run was made that way; see bench/README.md); the network
# workloads then also need DIR/http (gort's example) and wrk.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ARGS="$*"
QUICK=0
REPS=""
PEERS=""
WORKLOADS=""
OUT=""
PROCS=""
PREBUILT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --reps) REPS=$2; shift ;;
        --peers) PEERS=$2; shift ;;
        --workloads) WORKLOADS=$2; shift ;;
        --out) OUT=$2; shift ;;
        --procs) PROCS=$2; shift ;;
        --prebuilt) PREBUILT=$(cd "$2" && pwd); shift ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$QUICK" = 1 ]; then
    REPS=${REPS:-1}; OUT=${OUT:-target/bench-quick}; QFLAG=--quick; LIMIT=60
else
    REPS=${REPS:-5}; OUT=${OUT:-bench}; QFLAG=; LIMIT=300
fi
mkdir -p "$OUT"

GO=/usr/lib/go-1.19/bin/go
if [ -n "$PREBUILT" ]; then
    BIN="$PREBUILT/gort-bench"
    GOBIN="$PREBUILT/gort-bench-go"
    GORT_HTTP="$PREBUILT/http"
    for b in "$BIN" "$GOBIN"; do
        [ -x "$b" ] || { echo "compare.sh: --prebuilt: $b is missing or not executable" >&2; exit 2; }
    done
else
    # --- Go 1.19 and wrk -----------------------------------------------------
    need=()
    [ -x "$GO" ] || need+=(golang-1.19-go)
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    if [ ${#need[@]} -gt 0 ]; then
        echo "== installing ${need[*]}" >&2
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
        $SUDO apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
    fi

    # --- build ---------------------------------------------------------------
    echo "== building" >&2
    cargo build --release -q -p gort-bench
    cargo build --release -q -p gort --example http
    BIN="$ROOT/target/release/gort-bench"
    GOBIN="$ROOT/target/release/gort-bench-go"
    GORT_HTTP="$ROOT/target/release/examples/http"
    export GOCACHE="$ROOT/target/go-cache" GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local
    (cd bench/go && "$GO" build -o "$GOBIN" .)
fi

# The network driver (gort-bench) starts these servers.
export GORT_BENCH_GO="$GOBIN" GORT_BENCH_GORT_HTTP="$GORT_HTTP"

if [ -z "$PEERS" ]; then
    PEERS="go $("$BIN" peers | tr '\n' ' ')"
fi
NCPU=$(nproc)
SCALE_PROCS="1 2"
[ "$NCPU" -ge 16 ] && SCALE_PROCS="1 2 4 8 16"

# The network workloads: their driver is gort-bench for every peer, go included.
NET_WORKLOADS=" echo echo_10k idle_10k http "

# workload -> processor counts it runs at (network: 1 = pinned, 2 = unpinned;
# idle_10k only unpinned, the configuration of a real server)
matrix() {
    cat <<EOF
spawn 1 2
skynet 1 2
pingpong 1 2
locked_pingpong 1 2
yield 1 2
chan_buffered 1 2
select4 1 2
parked_mem 2
sleepers 1 2
syscall_handoff 1
scale $SCALE_PROCS
sleep_under_load 1 2
wired_sleep_under_load 1 2
wired_roundtrip_under_load 1 2
mutex_under_load 1 2
wake_from_thread_under_load 1 2
tracer_under_load 1 2
echo 1 2
echo_10k 1 2
idle_10k 2
http 1 2
EOF
}

RAW="$OUT/raw.txt"
: > "$RAW"
run_one() { # rep peer workload procs
    local rep=$1 peer=$2 w=$3 p=$4 out rc t0=$SECONDS
    if [ "$peer" = go ] && [[ "$NET_WORKLOADS" != *" $w "* ]]; then
        out=$(timeout $((LIMIT * 3)) "$GOBIN" --workload "$w" --procs "$p" $QFLAG 2>/dev/null) && rc=0 || rc=$?
    else
        out=$(timeout $((LIMIT * 3)) "$BIN" --peer "$peer" --workload "$w" --procs "$p" --timeout "$LIMIT" $QFLAG 2>/dev/null) && rc=0 || rc=$?
    fi
    if [ -n "$out" ]; then
        printf '%s\n' "$out" | sed "s/^/$rep $p /" | tee -a "$RAW" >&2
    fi
    if [ "$rc" != 0 ] && ! grep -q ' fail ' <<<"$out"; then
        echo "$rep $p $peer $w fail exit $rc" | tee -a "$RAW" >&2
    fi
    echo "   ($peer $w p$p: $((SECONDS - t0)) s)" >&2
}

START=$(date +%s)
LOAD_START=$(cut -d" " -f1-3 /proc/loadavg)
for rep in $(seq 1 "$REPS"); do
    order=$PEERS
    # Alternate the order every repetition so no peer always runs first.
    [ $((rep % 2)) = 0 ] && order=$(echo "$PEERS" | tr ' ' '\n' | grep -v '^$' | tac | tr '\n' ' ')
    echo "== rep $rep/$REPS ($order)" >&2
    while read -r w procs; do
        if [ -n "$WORKLOADS" ] && ! echo " $WORKLOADS " | grep -q " $w "; then continue; fi
        [ -n "$PROCS" ] && procs=$PROCS
        # Only the peers that run this workload (the library HTTP servers run http alone).
        runs=" $("$BIN" peers "$w" | tr '\n' ' ') "
        for p in $procs; do
            for peer in $order; do
                [[ "$runs" == *" $peer "* ]] || continue
                # The current-thread runtime always has exactly one thread.
                if [ "$peer" = tokio-ct ] && [ "$p" != 1 ]; then continue; fi
                # The latency-under-load workloads compare gort with Go and tokio only.
                case "$peer:$w" in may:*_under_load|threads:*_under_load) continue ;; esac
                run_one "$rep" "$peer" "$w" "$p"
            done
        done
    done < <(matrix)
done
ELAPSED=$(( $(date +%s) - START ))
LOAD_END=$(cut -d" " -f1-3 /proc/loadavg)

# --- report ----------------------------------------------------------------
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
{
    echo "## Results"
    echo
    echo "Machine: ${CPU:-unknown CPU}, $NCPU CPUs, $(free -g | awk '/Mem:/{print $2}') GiB, Linux $(uname -r);"
    echo "$("$GOBIN" --version 2>/dev/null || "$GO" version | cut -d' ' -f3), $(rustc --version 2>/dev/null | cut -d' ' -f1-2 || echo 'prebuilt'), $REPS rep(s)$([ "$QUICK" = 1 ] && echo ', quick sizes'), ${ELAPSED} s."
    echo "Load average (1/5/15 min) before: $LOAD_START, after: $LOAD_END (anything else running on the machine skews the numbers)."
    echo "Reproduce: \`bench/compare.sh${ARGS:+ $ARGS}\`"
    echo
    "$BIN" report --raw "$RAW" --svg "$OUT/chart.svg"
    echo
    echo "![gort / Go per workload](chart.svg)"
} > "$OUT/results.md"
cat "$OUT/results.md"
echo >&2
echo "== wrote $OUT/results.md, $OUT/chart.svg, $RAW (${ELAPSED} s)" >&2
