#!/usr/bin/env bash
# The main job on the bundled example: builds lockgraph and the example
# service (testdata/service), analyses the service's sources statically,
# then runs its test traffic under the runtime. Both halves print their
# findings; docs/tour.md explains each one and its fix. Last, the two
# halves are merged into one lock-order graph, drawn as an HTML page.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LOCKGRAPH_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh" >&2
lockgraph="$build/bin/lockgraph"
service_sources=("$root"/testdata/service/*.cpp)

echo
echo "=== Static analysis: lockgraph check -p build testdata/service/*.cpp ==="
set +e
# The service's facts get a cache of their own, so the merge below reads
# exactly this program's facts.
facts="$build/example-service-facts"
"$lockgraph" check -p "$build" --cache-dir="$facts" "${service_sources[@]}"
static_status=$?
set -e

echo
echo "=== Runtime: lockgraph run -- lockgraph-example-service ==="
report="$build/example-service-runtime.json"
set +e
"$lockgraph" run --report-path="$report" --report-graph -- "$build/bin/lockgraph-example-service"
runtime_status=$?
set -e

echo
echo "=== Both halves: lockgraph merge (static facts + runtime report) ==="
page="$build/example-service-graph.html"
set +e
"$lockgraph" merge "$facts" --runtime="$report" --source-root="$root" --html="$page"
merge_status=$?
set -e

echo
echo "=== Summary ==="
echo "static analysis exit status: $static_status (1 = findings)"
echo "instrumented run exit status: $runtime_status (66 = findings); JSON report: $report"
echo "merge exit status: $merge_status (1 = cycles only both halves together show); lock-order graph: $page"
# The example has planted bugs: both halves must find something.
[[ $static_status -eq 1 && $runtime_status -eq 66 && $merge_status -ne 2 ]]
