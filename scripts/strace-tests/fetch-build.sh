#!/usr/bin/env bash
# Gets strace 6.1's source from Debian bookworm's source package (the upstream release tarball, whose
# tests/ holds strace's decoder test programs and gen_tests.in), configures it, and builds the test
# programs named on the command line (all of them when none is named). Only the Debian archive is
# contacted; nothing of strace is kept in this repository.
#
# usage: scripts/strace-tests/fetch-build.sh DIR [TEST...]
#   DIR   where the source is unpacked and built (reused by later runs)
set -euo pipefail
dir=$1
shift
version=6.1
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
src="$dir/strace-$version"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if [ ! -f "$src/configure" ]; then
    if ! ls "$dir"/strace_"$version".orig.tar.* >/dev/null 2>&1; then
        # apt-get source needs a deb-src line; bookworm's own archive has strace 6.1.
        if ! apt-get source --download-only --print-uris strace >/dev/null 2>&1 ||
            ! apt-get source --download-only --print-uris strace 2>/dev/null | grep -q "strace_$version"; then
            echo "strace-tests: enabling bookworm deb-src to fetch strace $version's source" >&2
            $SUDO tee /etc/apt/sources.list.d/strace-tests-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
            $SUDO apt-get update -qq
        fi
        (cd "$dir" && apt-get source --download-only "strace=$version-0.1" >/dev/null 2>&1 ||
            apt-get source --download-only strace >/dev/null)
    fi
    tarball=$(ls "$dir"/strace_"$version".orig.tar.* | head -1)
    [ -n "$tarball" ] || { echo "strace-tests: could not download strace $version's source" >&2; exit 1; }
    tar -C "$dir" -xf "$tarball"
fi
[ -f "$src/tests/gen_tests.in" ] || { echo "strace-tests: $src has no tests/gen_tests.in" >&2; exit 1; }

if [ ! -f "$src/tests/Makefile" ]; then
    echo "strace-tests: configuring strace $version (once)" >&2
    (cd "$src" && ./configure --enable-mpers=no --disable-gcc-Werror >"$dir/configure.log" 2>&1) ||
        { tail -20 "$dir/configure.log" >&2; echo "strace-tests: configure failed (log: $dir/configure.log)" >&2; exit 1; }
fi

jobs=$(nproc)
make -C "$src/tests" -j"$jobs" -k ksysent.h scno.h >"$dir/build-lib.log" 2>&1 &&
    make -C "$src/tests" -j"$jobs" -k libtests.a >>"$dir/build-lib.log" 2>&1 ||
    { tail -20 "$dir/build-lib.log" >&2; echo "strace-tests: libtests.a failed to build" >&2; exit 1; }
# Helper programs some test scripts run besides the test program itself.
helpers=()
for h in print_maxfd qualify_personality_empty scno_tampering; do
    grep -q "^$h\$\|[[:space:]]$h\\\$(EXEEXT)" "$src/tests/Makefile" 2>/dev/null && helpers+=("$h")
done
if [ $# -eq 0 ]; then
    # every program the test suite builds: automake's check_PROGRAMS
    set -- $(cd "$src/tests" && make -s -f Makefile -f - print-check-programs <<<'print-check-programs: ; @echo $(check_PROGRAMS)')
fi
make -C "$src/tests" -j"$jobs" -k "${helpers[@]}" "$@" >"$dir/build.log" 2>&1 || true
echo "$src"
