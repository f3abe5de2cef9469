#!/usr/bin/env bash
# Stands in for strace inside strace's own test scripts ($STRACE): each `$STRACE -o LOG ARGS...` runs
# the real strace 6.1 and then gort-trace with the same ARGS, each in a fresh pid namespace with address
# randomisation off so that pids and addresses agree, and records whether the two logs are identical.
# gort-trace's log is left in LOG and its exit status returned, so the test script then also judges
# gort-trace against the output the test program expects; strace's log is kept as LOG.strace.
#
# Environment: PAIR_STRACE (strace binary), PAIR_GORT (gort-trace binary), PAIR_RESULTS (file that gets
# one line per comparison: test name, verdict, detail), PAIR_TIMEOUT (seconds per run, default 30),
# PAIR_STRACE_PID / PAIR_GORT_PID (the pid each tracer's first tracee gets in a new namespace; measured
# when unset).
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

# isolated BURN CMD...: runs CMD as pid 1 of a new pid namespace, with address randomisation off, after
# using up BURN pids, and kills whatever is left when CMD ends or runs past the time limit.
isolated() {
    local burn=$1
    shift
    timeout -k 5 "$limit" unshare --pid --fork --kill-child --mount-proc \
        sh -c 'i=0; while [ $i -lt "$0" ]; do /bin/true; i=$((i + 1)); done; exec "$@"' "$burn" \
        setarch "$(uname -m)" -R "$@"
}

# The tracers use different numbers of pids before they start the tracee (strace forks probes,
# gort-trace starts runtime threads); the test programs print their own pids, so the tracer that uses
# fewer first uses up the difference and both tracees get the same pid.
first_pid() {
    unshare --pid --fork --kill-child --mount-proc "$@" -o /dev/null sh -c 'echo $$' 2>/dev/null
}
: "${PAIR_STRACE_PID:=$(first_pid "$strace_bin")}"
: "${PAIR_GORT_PID:=$(first_pid "$gort_bin")}"
strace_burn=0
gort_burn=0
if [ "$PAIR_STRACE_PID" -lt "$PAIR_GORT_PID" ]; then
    strace_burn=$((PAIR_GORT_PID - PAIR_STRACE_PID))
else
    gort_burn=$((PAIR_STRACE_PID - PAIR_GORT_PID))
fi

# The test program may create and remove files in its directory: gort-trace's run starts from the
# state strace's run started from.
snapshot=$(mktemp -d)
cp -a . "$snapshot/"

# The program's standard output is a regular file in both runs (some tests trace their own writes to
# it, and -P /dev/null would tell /dev/null apart); under strace it is thrown away afterwards.
strace_out=$(mktemp)
isolated "$strace_burn" "$strace_bin" -o "$log.strace" "$@" >"$strace_out"
rc=$?
rm -f "$strace_out"

# The log may sit in the test directory: keep strace's aside while the directory is restored.
kept=$(mktemp)
cp "$log.strace" "$kept" 2>/dev/null
# What strace's run created goes; what it changed or removed comes back, written in place (cp opens an
# existing file rather than replacing it), because the test script has its own files open (its
# expected-output file is this wrapper's standard output).
for entry in .* *; do
    case "$entry" in . | ..) continue ;; esac
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    [ -e "$snapshot/$entry" ] || [ -L "$snapshot/$entry" ] || rm -rf -- "$entry"
done
cp -a "$snapshot/." .
rm -rf "$snapshot"

# The test program prints the lines it expects; the script compares them with the log of this run.
isolated "$gort_burn" "$gort_bin" -o "$log" "$@" 2>"$log.gort.err"
grc=$?
cp "$kept" "$log.strace"
rm -f "$kept"

if [ ! -s "$log" ] && [ -s "$log.gort.err" ] && grep -q "^gort-trace: " "$log.gort.err"; then
    printf '%s\trefused\t%s\n' "$name" "$(head -1 "$log.gort.err" | cut -c1-200)" >>"$results"
elif cmp -s "$log.strace" "$log"; then
    if [ "$rc" -eq "$grc" ]; then
        printf '%s\tsame\t\n' "$name" >>"$results"
    else
        printf '%s\tdiffers\texit status %s, strace %s\n' "$name" "$grc" "$rc" >>"$results"
    fi
else
    first=$(diff "$log.strace" "$log" | grep -m1 '^>' | cut -c3-200)
    printf '%s\tdiffers\t%s\n' "$name" "$first" >>"$results"
fi
exit "$grc"
