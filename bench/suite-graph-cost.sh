#!/usr/bin/env bash
# What one lock-order graph for a whole test suite costs (docs/figures.md):
# runs every GoogleTest test of a test binary as a process of its own (as
# ctest does with gtest_discover_tests), three ways: natively, under
# `lockgraph run`, and under `lockgraph run --graph-dir` (each process
# writes its graph, the launcher links them at the end). Prints the wall
# time of each, the number and size of the graph files, the linker's
# summary, and the time `lockgraph merge DIR` takes to read and link them
# again on its own.
#
# usage: bench/suite-graph-cost.sh TEST_BINARY [build-dir]
#   e.g. bench/suite-graph-cost.sh /tmp/suite-leveldb/build/leveldb_tests
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="$1"
build="${2:-$root/build}"
lockgraph="$build/bin/lockgraph"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Suite.Test names from --gtest_list_tests ("Suite." lines, then "  Test").
"$binary" --gtest_list_tests | awk '/^[^ ]/ {suite=$1} /^  / {print suite $1}' > "$work/tests"
cat > "$work/driver.sh" <<DRIVER
#!/bin/sh
# One process per test; the suite fails when a test does.
status=0
while read -r test; do
  "$binary" --gtest_filter="\$test" > /dev/null 2>&1 || status=1
done < "$work/tests"
exit \$status
DRIVER
chmod +x "$work/driver.sh"
echo "tests (processes): $(wc -l < "$work/tests")"

seconds() { local start=$(date +%s.%N); "$@" > "$work/out" 2> "$work/err" || true; echo "$(date +%s.%N) - $start" | bc; }
cd "$work"
echo "native:                    $(seconds ./driver.sh) s"
echo "lockgraph run:             $(seconds "$lockgraph" run -- ./driver.sh) s"
echo "lockgraph run --graph-dir: $(seconds "$lockgraph" run --graph-dir="$work/graphs" --write-graph="$work/linked.json" -- ./driver.sh) s"
grep '^lockgraph run: linked' "$work/err" || true
grep -c 'warning: lock-order cycle' "$work/err" | sed 's/^/cycles reported: /' || true
echo "graph files: $(ls "$work/graphs" | wc -l), $(du -sk "$work/graphs" | cut -f1) KiB; linked graph $(du -k "$work/linked.json" | cut -f1) KiB"
echo "lockgraph merge DIR alone: $(seconds "$lockgraph" merge "$work/graphs" --quiet) s"
