#!/usr/bin/env bash
# Installs what gort-trace's tests and benchmark need: strace (the oracle), gcc (fixtures), bc-free awk
# is part of the base system. Safe to run repeatedly; installs only what is missing.
set -euo pipefail
missing=()
command -v strace >/dev/null 2>&1 || missing+=(strace)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
if ((${#missing[@]})); then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
