#!/bin/sh
# lockgraph's runtime over a whole test suite in CI (docs/ci.md). Run it from
# the project's top directory with lockgraph on PATH. Every test process
# runs under the runtime and leaves its lock-order graph in
# lockgraph-graphs/; lockgraph links them with the orders of earlier runs
# kept in lockgraph-graph.json (restore it from the CI cache before, save it
# after, also when the job failed), reports the lock-order cycles no single
# test made, and writes lockgraph-graph.html.
#
# Exit status: the tests', or 66 when lockgraph found a lock-order problem
# in a test or across tests, or 2 when the graphs could not be read.
#
# The GitHub and GitLab examples next to this file run the same commands;
# testdata/cli/ci-examples.test keeps them in step.
set -eu

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
rm -rf lockgraph-graphs
status=0
lockgraph run --graph-dir=lockgraph-graphs --baseline-graph=lockgraph-graph.json --write-graph=lockgraph-graph.json -- ctest --test-dir build -j2 --output-on-failure || status=$?
lockgraph graph --runtime=lockgraph-graph.json --format=html -o lockgraph-graph.html || true
exit $status
