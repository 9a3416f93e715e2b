#!/usr/bin/env bash
# Draws the example service's lock-order graph — static facts of
# testdata/service plus one run of its test traffic under the runtime — as
# an HTML page, and takes the screenshot shown in docs/graph.md.
#
# usage: scripts/graph-screenshot.sh [OUTPUT.png] (default docs/images/service-lock-graph.png)
# Needs a build (scripts/build.sh) and chromium. The page is kept next to
# the build: $build/service-lock-graph.html.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LOCKGRAPH_BUILD_DIR:-$root/build}"
out="${1:-$root/docs/images/service-lock-graph.png}"
lockgraph="$build/bin/lockgraph"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sources=()
for f in "$root"/testdata/service/*.cpp; do sources+=("$(basename "$f")"); done
"$root/testdata/wholeprogram/Inputs/make_db.sh" "$work/db" "$root/testdata/service" "${sources[@]}"

# The planted bugs make the run report findings (exit 66): expected.
"$lockgraph" run --report-path="$work/run.json" --report-graph -- "$build/bin/lockgraph-example-service" \
  >/dev/null 2>&1 || true
page="$build/service-lock-graph.html"
"$lockgraph" graph -p "$work/db" --no-cache --runtime="$work/run.json" --source-root="$root" \
  --format=html -o "$page"

mkdir -p "$(dirname "$out")"
# Open the first cycle's panel, so the picture shows a selected cycle.
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
  --user-data-dir="$work/profile" --hide-scrollbars --virtual-time-budget=5000 \
  --window-size="${LOCKGRAPH_SCREENSHOT_SIZE:-1400,900}" --screenshot="$out" \
  "file://$page#detail-cycle-0" 2>/dev/null
echo "wrote $out (page: $page)"
