#!/bin/sh
# Static analysis benchmark: the time `lockgraph check -p BUILD` takes over
# every translation unit of a compilation database, as a ratio to
# `clang++-19 -fsyntax-only` over the same translation units with the same
# flags, plus the re-run time after editing one file (the per-TU cache).
#
# Usage: bench/static-bench.sh BUILD_DIR [LOCKGRAPH] [EDITED_FILE]
#   BUILD_DIR    holds compile_commands.json (e.g. a leveldb build)
#   LOCKGRAPH    the lockgraph binary (default: lockgraph on PATH)
#   EDITED_FILE  a source file of the database to edit for the re-run
#                (default: the first file); restored afterwards
# Everything runs on one thread (-j 1), so the ratio does not depend on
# the number of cores. Prints one line per measurement and the ratios.
set -eu

build=${1:?usage: static-bench.sh BUILD_DIR [LOCKGRAPH] [EDITED_FILE]}
lockgraph=${2:-lockgraph}
db="$build/compile_commands.json"
[ -f "$db" ] || { echo "static-bench: no $db" >&2; exit 2; }
command -v clang++-19 >/dev/null || { echo "static-bench: clang++-19 not found" >&2; exit 2; }
"$lockgraph" --version >/dev/null 2>&1 || { echo "static-bench: cannot run '$lockgraph'" >&2; exit 2; }

work=$(mktemp -d)
edited=${3:-}
cleanup() {
  if [ -n "$edited" ] && [ -f "$work/edited.orig" ]; then cp "$work/edited.orig" "$edited"; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# One shell script per TU: its compile command with -c/-o dropped and
# -fsyntax-only added, run in the command's directory.
python3 - "$db" "$work/parse.sh" <<'PY'
import json, shlex, sys
entries = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as out:
    out.write("set -e\n")
    for e in entries:
        args = e.get("arguments") or shlex.split(e["command"])
        kept, skip = [], False
        for a in args[1:]:
            if skip:
                skip = False
                continue
            if a == "-o":
                skip = True
                continue
            if a == "-c" or a.startswith("-o"):
                continue
            kept.append(a)
        out.write("cd %s && clang++-19 -fsyntax-only %s\n" % (shlex.quote(e["directory"]), " ".join(map(shlex.quote, kept))))
PY
tus=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$db")

now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }

t0=$(now); sh "$work/parse.sh" >/dev/null 2>&1 || true; t1=$(now)
parse=$(elapsed "$t0" "$t1")
echo "clang++-19 -fsyntax-only, $tus TUs, 1 thread:        ${parse} s"

run_check() { "$lockgraph" check -p "$build" --quiet -j 1 "$@" >/dev/null 2>&1 || true; }

t0=$(now); run_check --no-cache; t1=$(now)
full=$(elapsed "$t0" "$t1")
echo "lockgraph check (all checks), no cache, 1 thread:   ${full} s"

t0=$(now); run_check --no-cache --checks='-*,lockgraph-lock-order,lockgraph-double-lock'; t1=$(now)
order=$(elapsed "$t0" "$t1")
echo "lockgraph check (lock-order + double-lock only):     ${order} s"

# Cache: fill it, re-run unchanged, then edit one file and re-run.
cache="$work/cache"
run_check --cache-dir "$cache"
t0=$(now); run_check --cache-dir "$cache"; t1=$(now)
unchanged=$(elapsed "$t0" "$t1")
echo "re-run, nothing changed (cache):                     ${unchanged} s"

if [ -z "$edited" ]; then
  edited=$(python3 -c "import json,os,sys; e=json.load(open(sys.argv[1]))[0]; print(os.path.join(e['directory'], e['file']))" "$db")
fi
cp "$edited" "$work/edited.orig"
echo "// lockgraph static-bench edit" >> "$edited"
t0=$(now); run_check --cache-dir "$cache"; t1=$(now)
one=$(elapsed "$t0" "$t1")
echo "re-run after editing $(basename "$edited") (cache):  ${one} s"

python3 - "$parse" "$full" "$order" "$one" <<'PY'
import sys
parse, full, order, one = map(float, sys.argv[1:])
print("ratio to parsing: all checks %.2fx, lock-order + double-lock %.2fx; one-file re-run %.1f%% of a full run"
      % (full / parse, order / parse, 100 * one / full))
PY
