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
#                (default: the first file); restored afterwards; "none"
#                skips the edit (for sources that must not be touched)
# Everything runs on one thread (-j 1), so the ratio does not depend on
# the number of cores. Prints one line per measurement and the ratios:
# "all files in one process" (lockgraph check -p over the database) and
# "one process per file" (lockgraph check -p BUILD FILE, and clang-tidy-19
# with the plugin and one check, run once per file like the compiler).
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
plugin=$(dirname "$(command -v "$lockgraph")")/../lib/libLockgraphTidyPlugin.so
python3 - "$db" "$work/parse.sh" "$work/parse-quiet.sh" "$work/per-file.sh" "$work/tidy-per-file.sh" "$lockgraph" "$build" "$plugin" <<'PY'
import json, os, shlex, sys
entries = json.load(open(sys.argv[1]))
lockgraph, build, plugin = sys.argv[6], sys.argv[7], sys.argv[8]
with open(sys.argv[4], "w") as per_file, open(sys.argv[5], "w") as tidy:
    for e in entries:
        path = os.path.join(e["directory"], e["file"])
        per_file.write("%s check -p %s --quiet -j 1 --no-cache %s\n" % (shlex.quote(lockgraph), shlex.quote(build), shlex.quote(path)))
        tidy.write("clang-tidy-19 --quiet --load %s --checks='-*,lockgraph-long-critical-section' -p %s %s\n"
                   % (shlex.quote(plugin), shlex.quote(build), shlex.quote(path)))
with open(sys.argv[2], "w") as out, open(sys.argv[3], "w") as quiet:
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
        line = "cd %s && clang++-19 -fsyntax-only %s" % (shlex.quote(e["directory"]), " ".join(map(shlex.quote, kept)))
        out.write(line + "\n")
        quiet.write(line + " -w\n")
PY
tus=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$db")

# Prints "WALL CPU" seconds of a command (CPU = user + system of it and its
# children). The ratio uses CPU time: wall time on a shared machine
# measures the other load as much as the analysis.
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print("%.2f %.2f" % (wall, cpu))
PY
}
report() { # LABEL "WALL CPU"
  set -- "$1" $2
  printf '%-52s wall %7.2f s   cpu %7.2f s\n' "$1" "$2" "$3"
}

parse=$(measure sh "$work/parse.sh")
report "clang++-19 -fsyntax-only, $tus TUs, 1 thread" "$parse"
# The project's flags may turn on costly warnings (leveldb: -Wthread-safety);
# parsing with warnings off is the lower bound of what parsing costs.
parse_quiet=$(measure sh "$work/parse-quiet.sh")
report "clang++-19 -fsyntax-only -w (warnings off)" "$parse_quiet"

full=$(measure "$lockgraph" check -p "$build" --quiet -j 1 --no-cache)
report "lockgraph check (all checks), no cache" "$full"

order=$(measure "$lockgraph" check -p "$build" --quiet -j 1 --no-cache --checks='-*,lockgraph-lock-order,lockgraph-double-lock')
report "lockgraph check (lock-order + double-lock only)" "$order"

per_file=$(measure sh "$work/per-file.sh")
report "lockgraph check, one process per file" "$per_file"
if [ -f "$plugin" ] && command -v clang-tidy-19 >/dev/null; then
  tidy=$(measure sh "$work/tidy-per-file.sh")
else
  tidy="0 0"
fi
report "clang-tidy-19 + plugin, one check, one process per file" "$tidy"

# Cache: fill it, re-run unchanged, then edit one file and re-run.
cache="$work/cache"
measure "$lockgraph" check -p "$build" --quiet -j 1 --cache-dir "$cache" >/dev/null
unchanged=$(measure "$lockgraph" check -p "$build" --quiet -j 1 --cache-dir "$cache")
report "re-run, nothing changed (cache)" "$unchanged"

if [ "$edited" = none ]; then
  edited=""
  one="0 0"
else
if [ -z "$edited" ]; then
  edited=$(python3 -c "import json,os,sys; e=json.load(open(sys.argv[1]))[0]; print(os.path.join(e['directory'], e['file']))" "$db")
fi
cp "$edited" "$work/edited.orig"
echo "// lockgraph static-bench edit" >> "$edited"
one=$(measure "$lockgraph" check -p "$build" --quiet -j 1 --cache-dir "$cache")
report "re-run after editing $(basename "$edited") (cache)" "$one"
fi

python3 - $parse $parse_quiet $full $order $one $per_file $tidy <<'PY'
import sys
v = list(map(float, sys.argv[1:]))
parse, quiet, full, order, one, per_file, tidy = v[1], v[3], v[5], v[7], v[9], v[11], v[13]
print("ratio to parsing (cpu), all files in one process: all checks %.2fx, lock-order + double-lock %.2fx "
      "(to parsing with warnings off: %.2fx, %.2fx)" % (full / parse, order / parse, full / quiet, order / quiet))
print("ratio to parsing (cpu), one process per file: lockgraph check %.2fx, clang-tidy-19 with one check %s"
      % (per_file / parse, "%.2fx" % (tidy / parse) if tidy else "not measured"))
if one:
    print("one-file re-run %.1f%% of a full run" % (100 * one / full))
PY
