#!/usr/bin/env bash
# The main job on the bundled example: builds lockgraph and the example
# service (testdata/service), analyses the service's sources statically,
# then runs its test traffic under the runtime. Both halves print their
# findings; docs/tour.md explains each one and its fix.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LOCKGRAPH_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh" >&2
lockgraph="$build/bin/lockgraph"
service_sources=("$root"/testdata/service/*.cpp)

echo
echo "=== Static analysis: lockgraph check -p build testdata/service/*.cpp ==="
set +e
"$lockgraph" check -p "$build" "${service_sources[@]}"
static_status=$?
set -e

echo
echo "=== Runtime: lockgraph run -- lockgraph-example-service ==="
report="$build/example-service-runtime.json"
set +e
"$lockgraph" run --report-path="$report" -- "$build/bin/lockgraph-example-service"
runtime_status=$?
set -e

echo
echo "=== Summary ==="
echo "static analysis exit status: $static_status (1 = findings)"
echo "instrumented run exit status: $runtime_status (66 = findings); JSON report: $report"
# The example has planted bugs: both halves must find something.
[[ $static_status -eq 1 && $runtime_status -eq 66 ]]
