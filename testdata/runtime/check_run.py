#!/usr/bin/env python3
"""Runs a program under lockgraph and checks its exit status, stderr and JSON report.

usage: check_run.py [--exit N] [--stderr REGEX]... [--no-stderr REGEX]...
                    [--json FILE] [--kinds K1,K2,...] [--counts N1,N2,...]
                    [--timeout SECONDS] [--hangs SECONDS]
                    [--send SIGNAL --after SECONDS] [--graph-edges N] -- COMMAND...

--kinds lists the report kinds expected in the JSON file, in order, exactly;
--counts their occurrence counts ("count"), likewise.
--hangs expects the program to be still running after SECONDS (it is then
killed, and its stderr checked); --exit does not apply.
--graph-edges expects the JSON report's "graph" section to list N edges.
--send sends SIGNAL (a name such as TERM) to the command's own process, not
its group, after SECONDS.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys

KINDS = {"lock-order-inversion", "recursive-lock", "bad-unlock", "destroy-locked",
         "long-hold", "deadlock", "lock-across-await"}


def fail(message, stderr=""):
    print("FAIL: " + message)
    if stderr:
        print("---- stderr of the program ----")
        print(stderr)
    sys.exit(1)


def check_frames(frames, where):
    if not isinstance(frames, list):
        fail(f"{where}: frames must be a list")
    for f in frames:
        for key in ("pc", "function", "file", "line", "module"):
            if key not in f:
                fail(f"{where}: frame lacks '{key}'")


def check_schema(doc):
    for key in ("tool", "schema_version", "pid", "reports", "statistics"):
        if key not in doc:
            fail(f"JSON report lacks '{key}'")
    if doc["tool"] != "lockgraph" or doc["schema_version"] != 1:
        fail("JSON report has the wrong tool or schema_version")
    for i, r in enumerate(doc["reports"]):
        where = f"reports[{i}]"
        if r.get("kind") not in KINDS:
            fail(f"{where}: unknown kind {r.get('kind')!r}")
        if not isinstance(r.get("count"), int) or r["count"] < 1:
            fail(f"{where}: 'count' must be a positive integer")
        ids = {lock["id"] for lock in r["locks"]}
        if r["kind"] == "lock-order-inversion":
            edges = r["edges"]
            if len(edges) < 2:
                fail(f"{where}: a cycle needs at least two edges")
            for k, e in enumerate(edges):
                if e["from"] not in ids or e["to"] not in ids:
                    fail(f"{where}: edge names an unknown lock")
                if edges[(k + 1) % len(edges)]["from"] != e["to"]:
                    fail(f"{where}: edges do not form a cycle")
                check_frames(e["stack"], where)
                check_frames(e["held_site"], where)
        elif r["kind"] == "deadlock":
            for t in r["threads"]:
                if t["waits_for"] not in ids:
                    fail(f"{where}: thread waits for an unknown lock")
                check_frames(t["stack"], where)
        else:
            check_frames(r["stack"], where)
            check_frames(r["acquired_at"], where)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exit", type=int, default=0)
    parser.add_argument("--stderr", action="append", default=[])
    parser.add_argument("--no-stderr", action="append", default=[])
    parser.add_argument("--json")
    parser.add_argument("--kinds")
    parser.add_argument("--counts")
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--hangs", type=float)
    parser.add_argument("--send")
    parser.add_argument("--graph-edges", type=int)
    parser.add_argument("--after", type=float, default=1.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        fail("no command given")
    # A session of its own, so a hang can be killed with all its children
    # (the program runs under `lockgraph run`, and may fork).
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    if args.send:
        try:
            proc.wait(timeout=args.after)
        except subprocess.TimeoutExpired:
            proc.send_signal(getattr(signal, "SIG" + args.send))
    try:
        _, stderr = proc.communicate(timeout=args.hangs or args.timeout)
        if args.hangs:
            fail(f"exited with status {proc.returncode} within {args.hangs}s, "
                 "expected it to keep waiting", stderr)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, stderr = proc.communicate()
        if not args.hangs:
            fail(f"timed out after {args.timeout}s (the program hung)", stderr or "")
    proc.stderr = stderr
    if not args.hangs and proc.returncode != args.exit:
        fail(f"exit status {proc.returncode}, expected {args.exit}", proc.stderr)
    for pattern in args.stderr:
        if not re.search(pattern, proc.stderr, re.S):
            fail(f"stderr does not match {pattern!r}", proc.stderr)
    for pattern in args.no_stderr:
        if re.search(pattern, proc.stderr, re.S):
            fail(f"stderr matches {pattern!r}", proc.stderr)
    if args.json:
        try:
            with open(args.json) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            fail(f"cannot read JSON report {args.json}: {e}", proc.stderr)
        check_schema(doc)
        if args.kinds is not None:
            want = [k for k in args.kinds.split(",") if k]
            got = [r["kind"] for r in doc["reports"]]
            if got != want:
                fail(f"JSON report kinds {got}, expected {want}", proc.stderr)
        if args.graph_edges is not None:
            got = len(doc.get("graph", {}).get("edges", []))
            if got != args.graph_edges:
                fail(f"JSON graph has {got} edges, expected {args.graph_edges}", proc.stderr)
        if args.counts is not None:
            want = [int(n) for n in args.counts.split(",") if n]
            got = [r["count"] for r in doc["reports"]]
            if got != want:
                fail(f"JSON report counts {got}, expected {want}", proc.stderr)
    print("PASS")


if __name__ == "__main__":
    main()
