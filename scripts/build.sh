#!/usr/bin/env bash
# Configures and builds lockgraph into build/ (or $LOCKGRAPH_BUILD_DIR).
# Used by test.sh and demo.sh; safe to run repeatedly (incremental).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LOCKGRAPH_BUILD_DIR:-$root/build}"

"$root/scripts/install-deps.sh"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${LOCKGRAPH_BUILD_TYPE:-Release}" "$@"
fi
cmake --build "$build" -j "$(nproc)"
