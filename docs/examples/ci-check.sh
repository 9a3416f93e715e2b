#!/bin/sh
# lockgraph in CI as a plain script (docs/ci.md). Run it from the project's
# top directory with lockgraph on PATH. It configures the project with a
# compile database in build/, prints the findings, and writes
# lockgraph.sarif. When lockgraph-baseline.json exists, findings it holds are
# left out (create it with: lockgraph check -p build --write-baseline
# lockgraph-baseline.json).
#
# Exit status, the same as lockgraph check's: 0 no (new) findings, 1 new
# findings, 2 the analysis could not run (bad input, a file that does not
# compile, a bad baseline).
#
# The GitHub and GitLab examples next to this file run the same commands;
# testdata/cli/ci-examples.test keeps them in step.
set -eu

cmake -S . -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
baseline=; if [ -f lockgraph-baseline.json ]; then baseline=--baseline=lockgraph-baseline.json; fi
# Findings as text for the log; the run below repeats any error, and reuses
# this run's per-file results from build/.lockgraph-cache.
lockgraph check -p build $baseline || true
lockgraph check -p build --quiet --format=sarif -o lockgraph.sarif $baseline
