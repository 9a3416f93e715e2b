#!/bin/sh
# Scale benchmark of the static half's link and outputs (docs/figures.md):
# generates facts (bench/generate-scale-facts.py) for
#   - 20,000 functions with a global lock order and planted inversions,
#   - 1,000 mutually recursive functions, each holding its lock over the call,
#   - one lock-order cycle through 200 locks,
#   - about 15,000 orders drawn as one HTML page,
# and runs `lockgraph graph` on each with its wall time, CPU time and peak
# memory (GNU time). The address space is capped at LIMIT_KB (default 8 GB)
# so that a regression fails instead of taking the machine down.
#
# Usage: bench/scale-bench.sh [LOCKGRAPH] [LIMIT_KB]
set -eu
lockgraph=${1:-lockgraph}
limit=${2:-8000000}
here=$(cd "$(dirname "$0")" && pwd)
"$lockgraph" --version >/dev/null 2>&1 || { echo "scale-bench: cannot run '$lockgraph'" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "scale-bench: needs GNU time (/usr/bin/time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

run() { # name shape n format [findings]
  name=$1 shape=$2 n=$3 format=$4
  python3 "$here/generate-scale-facts.py" "$work/$name" "$shape" "$n"
  ( ulimit -v "$limit"
    /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" \
      "$lockgraph" graph --timing --format="$format" -o "$work/$name.$format" "$work/$name" 2> "$work/$name.err" ) || {
    echo "$name: lockgraph graph failed:"; cat "$work/$name.err"; return 1; }
  set -- $(cat "$work/$name.time")
  graph=$(grep -o '[0-9]* functions, [0-9]* edges, [0-9]* cycles' "$work/$name.err")
  printf '%-34s %-46s %7.2f s wall %7.2f s cpu %7d MB peak %8d KB output\n' "$name ($format)" "$graph" "$1" \
    "$(echo "$2 + $3" | bc)" "$(($4 / 1024))" "$(($(wc -c < "$work/$name.$format") / 1024))"
}

run functions-20k functions 20000 json
run recursion-1000 recursion 1000 json
run cycle-200 cycle 200 json
run html-15k-orders functions 2900 html

# The same mutual recursion as C++ for `lockgraph check`: how many findings
# and how much text a user gets (one finding per component of lock classes).
python3 - "$work/recursion.cpp" <<'PY'
import sys
n = 1000
with open(sys.argv[1], "w") as out:
    out.write("#include <mutex>\n")
    out.write("".join("std::mutex m%d;\nvoid r%d();\n" % (i, i) for i in range(n)))
    out.write("".join("void r%d() { std::lock_guard<std::mutex> g(m%d); r%d(); }\n" % (i, i, (i + 1) % n)
                      for i in range(n)))
PY
( ulimit -v "$limit"
  /usr/bin/time -f "%e %U %S %M" -o "$work/check.time" \
    "$lockgraph" check --checks='-*,lockgraph-lock-order' "$work/recursion.cpp" -- -std=c++20 \
    > "$work/check.txt" 2> "$work/check.err" ) || [ $? -eq 1 ] || { echo "check failed:"; cat "$work/check.err"; exit 1; }
set -- $(tail -1 "$work/check.time")
printf '%-34s %-46s %7.2f s wall %7.2f s cpu %7d MB peak %8d KB output\n' "recursion-1000 (check, text)" \
  "$(grep -c 'warning:' "$work/check.txt") findings, $(grep -c 'note:' "$work/check.txt") notes" "$1" \
  "$(echo "$2 + $3" | bc)" "$(($4 / 1024))" "$(($(wc -c < "$work/check.txt") / 1024))"
grep 'note:' "$work/check.err" | sed 's/^/  /'
