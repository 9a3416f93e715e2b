#!/usr/bin/env python3
"""Generates facts files (docs/whole-program.md, format 2) for the scale
benchmarks of bench/scale-bench.sh and bench/static-link-bench.sh.
Deterministic.

  generate-scale-facts.py OUT_DIR functions N    N functions, global lock order, a few inversions
  generate-scale-facts.py OUT_DIR recursion N    N mutually recursive functions, each holding its
                                                 own lock over the call to the next
  generate-scale-facts.py OUT_DIR cycle N        one lock-order cycle through N locks
  generate-scale-facts.py OUT_DIR chain N        a cycle of two locks whose first order is made
                                                 N calls deep
"""
import json
import os
import random
import sys


def lock(c):
    name = "lock_%06d" % c
    return {"class": name, "key": "@" + name, "root": "global"}


def loc(line, col=3):
    return [0, line, col]


def write_units(out, functions, units):
    per_unit = (len(functions) + units - 1) // units
    for u in range(units):
        part = functions[u * per_unit:(u + 1) * per_unit]
        doc = {"format": "lockgraph_facts", "version": 3, "mainFile": "/gen/unit%03d.cpp" % u,
               "files": ["/gen/unit%03d.cpp" % u], "functions": part}
        with open(os.path.join(out, "unit%03d.facts.json" % u), "w") as fh:
            json.dump(doc, fh)


def many_functions(n):
    """Function i takes four locks of a window of classes that moves up
    with i; every other function calls a leaf above it while holding its
    last lock; every 2000th takes two locks against the order."""
    rng = random.Random(42)
    classes = max(1000, n // 2)
    out = []
    for i in range(n):
        b = min(classes - 40, i * (classes - 40) // n)
        picks = sorted(rng.sample(range(b, b + 40), 4))
        held, acquires = [], []
        for k, c in enumerate(picks):
            acquires.append({"lock": lock(c), "at": loc(10 * i + k + 1), "held": list(held)})
            held.append({"lock": lock(c), "at": loc(10 * i + k + 1)})
        f = {"id": "f%d" % i, "name": "f%d" % i, "at": loc(10 * i), "acquires": acquires}
        leaf = i + 201 + 2 * rng.randrange(25)
        if i % 2 == 0 and leaf < n:
            f["calls"] = [{"callee": "f%d" % leaf, "name": "f%d" % leaf, "at": loc(10 * i + 5), "held": [held[-1]]}]
        if i % 2000 == 1001:
            f["acquires"].append({"lock": lock(picks[0]), "at": loc(10 * i + 6),
                                  "held": [{"lock": lock(picks[0] + 45), "at": loc(10 * i + 7)}]})
        out.append(f)
    return out


def mutual_recursion(n):
    """f_i takes lock i and, holding it, calls f_(i+1) (f_(n-1) calls f_0)."""
    out = []
    for i in range(n):
        held = {"lock": lock(i), "at": loc(10 * i + 1)}
        callee = "r%d" % ((i + 1) % n)
        out.append({"id": "r%d" % i, "name": "r%d" % i, "at": loc(10 * i),
                    "acquires": [{"lock": lock(i), "at": loc(10 * i + 1), "held": []}],
                    "calls": [{"callee": callee, "name": callee, "at": loc(10 * i + 2), "held": [held]}]})
    return out


def one_cycle(n):
    """c_i takes lock i, then lock i+1 (c_(n-1) takes lock n-1, then lock 0)."""
    out = []
    for i in range(n):
        first, second = lock(i), lock((i + 1) % n)
        out.append({"id": "c%d" % i, "name": "c%d" % i, "at": loc(10 * i),
                    "acquires": [{"lock": first, "at": loc(10 * i + 1), "held": []},
                                 {"lock": second, "at": loc(10 * i + 2),
                                  "held": [{"lock": first, "at": loc(10 * i + 1)}]}]})
    return out


def deep_chain(n):
    """d_0 holds lock 'outer' and calls d_1, ... d_(n-1) takes lock 'inner';
    inverse takes inner, then outer: a cycle visible only n calls deep."""
    outer = {"class": "outer", "key": "@outer", "root": "global"}
    inner = {"class": "inner", "key": "@inner", "root": "global"}
    out = []
    for i in range(n):
        f = {"id": "d%d" % i, "name": "d%d" % i, "at": loc(10 * i)}
        held = []
        if i == 0:
            f["acquires"] = [{"lock": outer, "at": loc(1), "held": []}]
            held = [{"lock": outer, "at": loc(1)}]
        if i == n - 1:
            f["acquires"] = [{"lock": inner, "at": loc(10 * i + 1), "held": []}]
        else:
            f["calls"] = [{"callee": "d%d" % (i + 1), "name": "d%d" % (i + 1), "at": loc(10 * i + 2), "held": held}]
        out.append(f)
    out.append({"id": "inverse", "name": "inverse", "at": loc(100000),
                "acquires": [{"lock": inner, "at": loc(100001), "held": []},
                             {"lock": outer, "at": loc(100002), "held": [{"lock": inner, "at": loc(100001)}]}]})
    return out


if __name__ == "__main__":
    out, shape, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    functions = {"functions": many_functions, "recursion": mutual_recursion, "cycle": one_cycle,
                 "chain": deep_chain}[shape](n)
    write_units(out, functions, max(1, min(20, n // 1000)))
