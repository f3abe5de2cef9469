#!/usr/bin/env bash
# Runs strace 6.1's own decoder tests against gort-trace: every test that strace's tests/gen_tests.in
# lists is run through its generated script with $STRACE pointing at tracer-pair.sh, which runs strace
# 6.1 and gort-trace with the options the script passes and compares the two logs byte for byte. A test
# passes when every trace its script takes is identical under both tracers, or when strace's own
# script accepts gort-trace's trace (see report.sh).
#
# usage: scripts/strace-tests/run.sh [--quick] [--dir DIR] [--jobs N] [TEST...]
#   (no TEST)  every test in gen_tests.in (the full run: about 10 minutes on 2 cores, plus 3 to fetch,
#              configure and build the first time)
#   --quick    the tests listed in scripts/strace-tests/quick.list (CI's subset)
#   TEST...    these tests only
#   --dir DIR  where strace's source is unpacked and built (default: target/strace-tests)
#
# It prints the pass rate by family (the family of the syscall each test traces, from strace's own
# syscall classes) and writes, under DIR: results.tsv (test, family, verdict, first differing line of
# gort-trace's output) and logs/TEST.{strace,gort} for each failure. Exit status: 1 when a test listed
# in scripts/strace-tests/passing.list no longer passes (a regression), 0 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir="$root/target/strace-tests"
jobs=$(nproc)
quick=0
tests=()
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --dir) dir=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) tests+=("$1") ;;
    esac
    shift
done
for tool in strace gcc make unshare setarch timeout; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done
strace -V | head -1 | grep -q 'version 6\.1$' ||
    echo "run.sh: warning: the oracle is $(strace -V | head -1), not strace 6.1" >&2

if [ $quick -eq 1 ]; then
    mapfile -t tests < <(grep -v '^#' "$here/quick.list" | awk 'NF {print $1}')
fi

# GORT_TRACE names another gort-trace binary to judge (an older build, for before/after figures).
if [ -n "${GORT_TRACE-}" ]; then
    gort=$(realpath "$GORT_TRACE")
else
    (cd "$root" && cargo build --release -q -p gort-trace)
    gort="$root/target/release/gort-trace"
fi

# Source and test programs (all of gen_tests.in's when no test is named).
src=$("$here/fetch-build.sh" "$dir" "${tests[@]}" | tail -1)
dir=$(cd "$dir" && pwd)
t="$src/tests"
if [ ${#tests[@]} -eq 0 ]; then
    mapfile -t tests < <(awk '!/^#/ && NF {print $1}' "$t/gen_tests.in")
fi

results="$dir/pairs.tsv"
: >"$results"
rm -rf "$dir/logs"
mkdir -p "$dir/logs"
export PAIR_GORT="$gort" PAIR_STRACE="$(command -v strace)" PAIR_RESULTS="$results"
# The pid each tracer's first tracee gets in a fresh namespace, measured once for every comparison.
PAIR_STRACE_PID=$(unshare --pid --fork --kill-child --mount-proc strace -o /dev/null sh -c 'echo $$')
PAIR_GORT_PID=$(unshare --pid --fork --kill-child --mount-proc "$gort" -o /dev/null sh -c 'echo $$')
export PAIR_STRACE_PID PAIR_GORT_PID
# TIMEOUT_DURATION bounds the test scripts that retry until strace's output settles (threads-execve).
export STRACE="$here/tracer-pair.sh" srcdir=. LC_ALL=C TIMEOUT_DURATION=60

run_one() {
    local name=$1 rc
    cd "$t"
    if [ ! -f "$name.gen.test" ]; then
        printf '%s\tnot-a-test\n' "$name" >>"$dir/scripts.tsv"
    else
        timeout -k 5 300 sh "./$name.gen.test" </dev/null >"$t/$name.script.out" 2>&1
        rc=$?
        printf '%s\t%s\n' "$name" "$rc" >>"$dir/scripts.tsv"
    fi
    return 0
}
export -f run_one
export t dir
: >"$dir/scripts.tsv"
printf '%s\n' "${tests[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$1"' _ {} || true

# A listed test that fails is run once more, alone: the two tracers' pids agree only if each runtime
# starts the same threads before the tracee forks, which a loaded host can upset (a `kill(5, ...)`
# against strace's `kill(6, ...)`). What fails twice is reported as a regression.
if ! "$here/report.sh" "$dir" >/dev/null 2>"$dir/regressions.txt"; then
    mapfile -t again < <(sed -n 's/^  \([^ ]*\) (.*)$/\1/p' "$dir/regressions.txt")
    if [ ${#again[@]} -gt 0 ]; then
        echo "run.sh: run again, alone: ${again[*]}" >&2
        for name in "${again[@]}"; do
            for f in "$results" "$dir/scripts.tsv"; do
                awk -F'\t' -v n="$name" '$1 != n' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
            done
            bash -c 'run_one "$1"' _ "$name" || true
        done
    fi
fi
"$here/report.sh" "$dir"
