#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs every test: the
# GoogleTest unit tests and each lit test, all through CTest; then each
# input reader's fuzzer for a few seconds (scripts/fuzz.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LOCKGRAPH_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 300
"$root/scripts/fuzz.sh" "${LOCKGRAPH_FUZZ_SECONDS:-3}"
