#!/bin/sh
# Link-step benchmark: generates a facts set whose linked lock-order graph
# has about EDGES edges (default 100000) and a handful of cycles, then times
# `lockgraph graph --timing` over it (reading, linking, writing reported
# apart; the link step is what `lockgraph check -p` adds after analysis).
#
# Usage: bench/static-link-bench.sh [LOCKGRAPH] [EDGES]
set -eu
lockgraph=${1:-lockgraph}
edges=${2:-100000}
"$lockgraph" --version >/dev/null 2>&1 || { echo "static-link-bench: cannot run '$lockgraph'" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# The generated program has a global lock order, as real programs mostly
# do: function i takes four locks of a window of classes that moves up with
# i (six edges among them); every other function also calls a leaf function
# whose window lies above its own while holding its last lock (four more
# edges through the callee's may-acquire set). Every 2000th function takes
# two locks against the order, closing a cycle. Deterministic (fixed seed);
# the same generator as bench/scale-bench.sh's 'functions' case.
python3 "$(dirname "$0")/generate-scale-facts.py" "$work" functions $((edges / 7 + edges / 100))
echo "facts: $(ls "$work"/*.facts.json | wc -l) files, $(du -sh "$work" | cut -f1)"
"$lockgraph" graph --timing --format=dot -o /dev/null "$work"
