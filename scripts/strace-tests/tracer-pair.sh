#!/usr/bin/env bash
# Stands in for strace inside strace's own test scripts ($STRACE): each `$STRACE -o LOG ARGS...` runs
# the real strace 6.1 and then gort-trace with the same ARGS, each in a fresh pid namespace with address
# randomisation off so that pids and addresses agree, and records whether the two logs are identical.
# strace's log is left in LOG and its exit status returned, so the test script goes on exactly as it
# would under strace; gort-trace's log is kept as LOG.gort for the report.
#
# Environment: PAIR_STRACE (strace binary), PAIR_GORT (gort-trace binary), PAIR_RESULTS (file that gets
# one line per comparison: test name, verdict, detail), PAIR_TIMEOUT (seconds per run, default 30).
set -u
strace_bin=${PAIR_STRACE:-strace}
gort_bin=${PAIR_GORT:?PAIR_GORT must name the gort-trace binary}
results=${PAIR_RESULTS:?PAIR_RESULTS must name the results file}
limit=${PAIR_TIMEOUT:-30}

# Anything other than a traced run (strace -V, strace -d ...) goes to strace alone.
if [ "${1-}" != "-o" ] || [ $# -lt 3 ]; then
    exec "$strace_bin" "$@"
fi
log=$2
shift 2
name=$(basename "$PWD")
name=${name%.dir}

isolated() {
    timeout -k 5 "$limit" unshare --pid --fork --kill-child --mount-proc setarch "$(uname -m)" -R "$@"
}

# The test program may create and remove files in its directory: gort-trace's run starts from the
# state strace's run started from.
snapshot=$(mktemp -d)
cp -a . "$snapshot/"

isolated "$strace_bin" -o "$log" "$@"
rc=$?

# strace's log may sit in the test directory: keep it aside while the directory is restored.
kept=$(mktemp)
cp "$log" "$kept" 2>/dev/null
find . -mindepth 1 -maxdepth 1 -exec rm -rf {} +
cp -a "$snapshot/." .
rm -rf "$snapshot"

isolated "$gort_bin" -o "$log.gort" "$@" >/dev/null 2>"$log.gort.err"
grc=$?
cp "$kept" "$log"
rm -f "$kept"

if [ ! -s "$log.gort" ] && [ -s "$log.gort.err" ] && grep -q "^gort-trace: " "$log.gort.err"; then
    printf '%s\trefused\t%s\n' "$name" "$(head -1 "$log.gort.err" | cut -c1-200)" >>"$results"
elif cmp -s "$log" "$log.gort"; then
    if [ "$rc" -eq "$grc" ]; then
        printf '%s\tsame\t\n' "$name" >>"$results"
    else
        printf '%s\tdiffers\texit status %s, strace %s\n' "$name" "$grc" "$rc" >>"$results"
    fi
else
    first=$(diff "$log" "$log.gort" | grep -m1 '^>' | cut -c3-200)
    printf '%s\tdiffers\t%s\n' "$name" "$first" >>"$results"
fi
exit "$rc"
