#!/usr/bin/env python3
"""Cost of `lockgraph check` against `clang++-19 -fsyntax-only`, per TU.

Usage: bench/tu-ratio.py [--repeat N] [--instructions] [--findings-dir DIR]
                         [--baseline OTHER_LOCKGRAPH] BUILD_DIR LOCKGRAPH FILE...

For each FILE (a source listed in BUILD_DIR/compile_commands.json; the first
command when it is listed several times, as lockgraph itself does) runs, on
one thread and in alternation, N times each:

  clang++-19 -fsyntax-only <the file's own flags>       (in the command's directory)
  LOCKGRAPH check -p BUILD_DIR --quiet -j 1 --no-cache FILE   (all checks, whole program)

and prints the CPU time (user + system, the least of the N runs: other load
on a shared machine only ever adds to it) of each and their ratio. The two
commands alternate so that both see the same load.

--instructions also counts the instructions each executes once under
`valgrind --tool=callgrind` (slow: about 50 times the run time), a measure
that other load on the machine does not change.

--baseline OTHER_LOCKGRAPH runs a second lockgraph binary (an older build)
in the same alternation and prints its ratio too: before/after figures
measured under the same load.

--findings-dir DIR writes each TU's findings (`--format=json`) to
DIR/<file name>.json, to compare two builds' findings.

The project's sources are only read. Exit status 2 on bad input.
"""
import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile


def syntax_only_command(entry):
    """The entry's compiler arguments with -c/-o dropped and -fsyntax-only added."""
    args = entry.get("arguments") or shlex.split(entry["command"])
    kept, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a == "-o":
            skip = True
        elif a == "-c" or a.startswith("-o"):
            continue
        else:
            kept.append(a)
    return ["clang++-19", "-fsyntax-only"] + kept


def cpu_seconds(command, cwd):
    """User + system CPU seconds of \p command and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, done.returncode


def instructions(command, cwd):
    """Instructions executed by \p command and its children, counted by callgrind."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                        "--callgrind-out-file=" + os.path.join(out, "cg.%p")] + command,
                       cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = 0
        for name in os.listdir(out):
            with open(os.path.join(out, name)) as f:
                for line in f:
                    if line.startswith("totals:") or line.startswith("summary:"):
                        total += int(line.split()[1])
                        break
        return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--findings-dir")
    parser.add_argument("--baseline")
    parser.add_argument("build")
    parser.add_argument("lockgraph")
    parser.add_argument("files", nargs="+")
    opts = parser.parse_args()

    db_path = os.path.join(opts.build, "compile_commands.json")
    try:
        with open(db_path) as f:
            db = json.load(f)
    except (OSError, ValueError) as e:
        print("tu-ratio: cannot read %s: %s" % (db_path, e), file=sys.stderr)
        return 2
    first = {}
    for e in db:
        first.setdefault(os.path.realpath(os.path.join(e["directory"], e["file"])), e)
    def binary(path):
        return os.path.abspath(path) if os.sep in path else path
    lockgraph = binary(opts.lockgraph)
    baseline = binary(opts.baseline) if opts.baseline else None
    if opts.findings_dir:
        os.makedirs(opts.findings_dir, exist_ok=True)

    print("%-44s %10s %10s %7s" % ("TU (CPU s, least of %d)" % opts.repeat, "syntax", "lockgraph", "ratio")
          + ("   %10s %7s" % ("baseline", "ratio") if baseline else "")
          + ("   %14s %14s %7s" % ("syntax Ir", "lockgraph Ir", "ratio") if opts.instructions else ""))
    sums = [0.0, 0.0, 0, 0, 0.0]
    for name in opts.files:
        path = os.path.realpath(name)
        entry = first.get(path)
        if not entry:
            print("tu-ratio: %s is not in %s" % (name, db_path), file=sys.stderr)
            return 2
        parse = syntax_only_command(entry)
        check = [lockgraph, "check", "-p", opts.build, "--quiet", "-j", "1", "--no-cache", path]
        parse_runs, check_runs, baseline_runs = [], [], []
        for _ in range(opts.repeat):
            cpu, rc = cpu_seconds(parse, entry["directory"])
            if rc != 0:
                print("tu-ratio: clang++-19 -fsyntax-only fails on %s" % name, file=sys.stderr)
                return 2
            parse_runs.append(cpu)
            cpu, rc = cpu_seconds(check, None)
            if rc not in (0, 1):
                print("tu-ratio: lockgraph check fails on %s (status %d)" % (name, rc), file=sys.stderr)
                return 2
            check_runs.append(cpu)
            if baseline:
                baseline_runs.append(cpu_seconds([baseline] + check[1:], None)[0])
        p, c = min(parse_runs), min(check_runs)
        sums[0] += p
        sums[1] += c
        line = "%-44s %10.2f %10.2f %6.2fx" % (os.path.relpath(path, os.path.dirname(opts.build)), p, c, c / p)
        if baseline:
            b = min(baseline_runs)
            sums[4] += b
            line += "   %10.2f %6.2fx" % (b, b / p)
        line += "   (medians %.2f %.2f%s)" % (statistics.median(parse_runs), statistics.median(check_runs),
                                          " %.2f" % statistics.median(baseline_runs) if baseline else "")
        if opts.instructions:
            pi, ci = instructions(parse, entry["directory"]), instructions(check, None)
            sums[2] += pi
            sums[3] += ci
            line += "   %14d %14d %6.2fx" % (pi, ci, ci / pi if pi else 0)
        print(line, flush=True)
        if opts.findings_dir:
            out = os.path.join(opts.findings_dir, os.path.basename(path) + ".json")
            subprocess.run(check + ["--format=json", "-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total = "%-44s %10.2f %10.2f %6.2fx" % ("all", sums[0], sums[1], sums[1] / sums[0])
    if baseline:
        total += "   %10.2f %6.2fx" % (sums[4], sums[4] / sums[0])
    if opts.instructions:
        total += "   %14d %14d %6.2fx" % (sums[2], sums[3], sums[3] / sums[2] if sums[2] else 0)
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
