#!/usr/bin/env bash
# Turns a run of scripts/strace-tests/run.sh into its report: the family of each test, its verdict, the
# pass rate by family (printed, and written to DIR/summary.txt), DIR/results.tsv, the differing logs under
# DIR/logs/, and a check against scripts/strace-tests/passing.list. Run by run.sh; run it alone to redo
# the report of the last run.
#
# usage: scripts/strace-tests/report.sh [DIR]   (default: target/strace-tests)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "${1:-$here/../../target/strace-tests}" && pwd)
src="$dir/strace-6.1"
t="$src/tests"
results="$dir/pairs.tsv"
rm -rf "$dir/logs"
mkdir -p "$dir/logs"

# Family of each test: the strace class of the syscall it traces (its -e trace= or its name), from
# strace's own table: TF (and the stat classes) file, TN socket, TP and TC (credentials) process, TS
# signal, TM memory, TI ipc, TCL time, TD fd; a syscall in none of them, or a test named after no
# syscall, is "system".
awk -v OFS='\t' '
    FILENAME ~ /syscallent/ {
        if (match($0, /"[a-z0-9_]+"/)) {
            n = substr($0, RSTART + 1, RLENGTH - 2)
            f = "system"
            if ($0 ~ /TF|TST|TLST|TFST|TSF|TFSF|TSTA|TSFA/) f = "file"
            else if ($0 ~ /TN/) f = "socket"
            else if ($0 ~ /TP|TC[,|\t ]/) f = "process"
            else if ($0 ~ /TS[,|\t ]/) f = "signal"
            else if ($0 ~ /TM/) f = "memory"
            else if ($0 ~ /TI/) f = "ipc"
            else if ($0 ~ /TCL/) f = "time"
            else if ($0 ~ /TD/) f = "fd"
            fam[n] = f
        }
        next
    }
    /^#/ || !NF { next }
    {
        name = $1; target = ""
        for (i = 2; i <= NF; i++) {
            a = $i
            if (a == "-e" && $(i + 1) ~ /^trace=/) a = "-e" $(i + 1)
            if (sub(/^(-e ?trace=|-etrace=|--trace=)/, "", a)) { target = a; break }
        }
        sub(/,.*/, "", target); gsub(/[!?%\/]/, "", target)
        f = ""
        if (target in fam) f = fam[target]
        else if (target == "file" || target == "desc" || target == "network" || target == "process" ||
                 target == "signal" || target == "memory" || target == "ipc" || target == "clock") {
            f = (target == "desc") ? "fd" : (target == "network") ? "socket" : (target == "clock") ? "time" : target
        } else {
            n = name
            while (n != "" && !(n in fam)) {
                if (n ~ /[-_.][^-_.]*$/) sub(/[-_.][^-_.]*$/, "", n); else n = ""
            }
            if (n in fam) f = fam[n]
            else if (name ~ /^(net|nlattr|netlink|sock|inet|unix|ip_|so_|getsockname|recv|send|msg_)/) f = "socket"
            else f = "system"
        }
        print name, f
    }' "$src/src/linux/x86_64/syscallent.h" "$t/gen_tests.in" >"$dir/families.tsv"

# Verdict per test: pass (every trace identical to strace's, or the test's own script accepted
# gort-trace's trace: some tests print inode numbers or times of files made during the run, which no
# second run reproduces, so only the script can judge them), fail (some trace differs and the script
# rejected it), refused (gort-trace rejected the options), or not compared (skipped by its script, not
# built, a tracer timed out). Column 6 says how a pass was reached: "identical" or "script".
awk -F'\t' -v OFS='\t' '
    FILENAME == ARGV[1] { fam[$1] = $2; next }
    FILENAME == ARGV[2] { script[$1] = $2; order[++n] = $1; next }
    {
        if ($2 == "refused") v = "refused"; else if ($2 == "differs") v = "fail"; else v = "pass"
        if (!($1 in verdict) || rank[v] > rank[verdict[$1]]) { verdict[$1] = v; detail[$1] = $3 }
    }
    BEGIN { rank["pass"] = 1; rank["fail"] = 2; rank["refused"] = 3 }
    END {
        for (i = 1; i <= n; i++) {
            name = order[i]
            v = (name in verdict) ? verdict[name] : "not-compared"
            how = (v == "pass") ? "identical" : ""
            if (v == "fail" && script[name] == "0") { v = "pass"; how = "script" }
            print name, (name in fam ? fam[name] : "system"), v, script[name], detail[name], how
        }
    }' "$dir/families.tsv" "$dir/scripts.tsv" "$results" | sort >"$dir/results.tsv"

for name in $(awk -F'\t' '$3 == "fail" || $3 == "refused" {print $1}' "$dir/results.tsv"); do
    [ -f "$t/$name.dir/log.strace" ] && cp "$t/$name.dir/log.strace" "$dir/logs/$name.strace"
    [ -f "$t/$name.dir/log" ] && cp "$t/$name.dir/log" "$dir/logs/$name.gort"
done

{
    printf '%-9s %6s %9s %6s %8s %6s %13s\n' family pass identical fail refused rate "not compared"
    awk -F'\t' '
        { fams[$2] = 1; n[$2, $3]++; tot[$3]++; if ($6 == "identical") { same[$2]++; alls++ } }
        function row(f, p, i, x, r, nc,   c) {
            c = p + x + r
            return sprintf("%-9s %6d %9d %6d %8d %5.0f%% %13d", f, p, i, x, r, c ? 100 * p / c : 0, nc)
        }
        END {
            for (f in fams) print row(f, n[f, "pass"], same[f], n[f, "fail"], n[f, "refused"], n[f, "not-compared"]) | "sort"
            close("sort")
            print row("all", tot["pass"], alls, tot["fail"], tot["refused"], tot["not-compared"])
        }' "$dir/results.tsv"
} | tee "$dir/summary.txt"
echo "details: $dir/results.tsv, differing logs: $dir/logs/"

# Regressions: tests recorded as passing that no longer pass (only those that were run).
status=0
if [ -f "$here/passing.list" ]; then
    regressions=$(awk -F'\t' 'FILENAME == ARGV[1] { if (!/^#/ && NF) ok[$1] = 1; next }
                             ($1 in ok) && $3 != "pass" { print $1 " (" $3 ")" }' \
        "$here/passing.list" "$dir/results.tsv")
    if [ -n "$regressions" ]; then
        echo "run.sh: these tests passed before and do not now:" >&2
        echo "$regressions" | sed 's/^/  /' >&2
        status=1
    fi
fi
exit $status
