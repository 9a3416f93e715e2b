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
# two locks against the order, closing a cycle. Deterministic (fixed seed).
python3 - "$work" "$edges" <<'PY'
import json, os, random, sys
out, target = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
functions = target // 7 + target // 100
classes = max(1000, functions // 2)
units = 20
def lock(c):
    name = "lock_%06d" % c
    return {"class": name, "key": "@" + name, "root": "global"}
def loc(line):
    return [0, line, 3]
def base(f):
    return min(classes - 40, f * (classes - 40) // functions)
per_unit = functions // units + 1
fid = 0
for u in range(units):
    funcs = []
    for i in range(per_unit):
        if fid >= functions:
            break
        b = base(fid)
        picks = sorted(rng.sample(range(b, b + 40), 4))
        held, acquires = [], []
        for n, c in enumerate(picks):
            acquires.append({"lock": lock(c), "at": loc(10 * i + n + 1), "held": list(held)})
            held.append({"lock": lock(c), "at": loc(10 * i + n + 1)})
        f = {"id": "f%d" % fid, "name": "f%d" % fid, "at": loc(10 * i), "acquires": acquires}
        leaf = fid + 201 + 2 * rng.randrange(25)  # odd offset from an even caller: a leaf
        if fid % 2 == 0 and leaf < functions:
            f["calls"] = [{"callee": "f%d" % leaf, "name": "f%d" % leaf, "at": loc(10 * i + 5),
                           "held": [held[-1]]}]
        if fid % 2000 == 1001:
            f["acquires"].append({"lock": lock(picks[0]), "at": loc(10 * i + 6),
                                  "held": [{"lock": lock(picks[0] + 45), "at": loc(10 * i + 7)}]})
        funcs.append(f)
        fid += 1
    doc = {"format": "lockgraph_facts", "version": 2, "mainFile": "/gen/unit%02d.cpp" % u,
           "files": ["/gen/unit%02d.cpp" % u], "functions": funcs}
    with open(os.path.join(out, "unit%02d.facts.json" % u), "w") as fh:
        json.dump(doc, fh)
PY
echo "facts: $(ls "$work"/*.facts.json | wc -l) files, $(du -sh "$work" | cut -f1)"
"$lockgraph" graph --timing --format=dot -o /dev/null "$work"
