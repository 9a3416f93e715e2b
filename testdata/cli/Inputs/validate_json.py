"""Checks that `lockgraph check --format=json` output follows the schema
documented in docs/formats.md, then prints one line per finding
("check line:column notes=N") for FileCheck."""
import json
import sys


def fail(message):
    sys.exit("invalid lockgraph JSON: " + message)


def expect(obj, key, kind, where):
    if key not in obj:
        fail(f"{where} lacks '{key}'")
    if not isinstance(obj[key], kind):
        fail(f"{where}.{key} is {type(obj[key]).__name__}")
    return obj[key]


def check_location(obj, where):
    if "file" in obj:
        if not expect(obj, "file", str, where).startswith("/"):
            fail(f"{where}.file is not absolute")
        if expect(obj, "line", int, where) < 1 or expect(obj, "column", int, where) < 1:
            fail(f"{where} has a line or column below 1")


with open(sys.argv[1]) as f:
    doc = json.load(f)
if expect(doc, "version", int, "root") != 1:
    fail("version is not 1")
tool = expect(doc, "tool", dict, "root")
if expect(tool, "name", str, "tool") != "lockgraph":
    fail("tool.name is not lockgraph")
expect(tool, "version", str, "tool")
expect(doc, "sourceRoot", str, "root")
findings = expect(doc, "findings", list, "root")
failures = expect(doc, "failures", list, "root")
summary = expect(doc, "summary", dict, "root")
if expect(summary, "findings", int, "summary") != len(findings):
    fail("summary.findings does not count the findings")
if expect(summary, "failures", int, "summary") != len(failures):
    fail("summary.failures does not count the failures")
expect(summary, "filesAnalyzed", int, "summary")
expect(summary, "suppressedByNolint", int, "summary")

for i, finding in enumerate(findings):
    where = f"findings[{i}]"
    expect(finding, "check", str, where)
    if expect(finding, "severity", str, where) not in ("warning", "error"):
        fail(f"{where}.severity is not warning or error")
    expect(finding, "message", str, where)
    if len(expect(finding, "fingerprint", str, where)) != 32:
        fail(f"{where}.fingerprint is not 32 hex digits")
    check_location(finding, where)
    notes = expect(finding, "notes", list, where)
    for j, note in enumerate(notes):
        expect(note, "message", str, f"{where}.notes[{j}]")
        check_location(note, f"{where}.notes[{j}]")
    print(f"{finding['check']} {finding.get('line')}:{finding.get('column')} notes={len(notes)}")

for i, failure in enumerate(failures):
    where = f"failures[{i}]"
    expect(failure, "file", str, where)
    expect(failure, "reason", str, where)
    expect(failure, "errorCount", int, where)
    if "firstError" in failure:
        expect(failure["firstError"], "message", str, where + ".firstError")
        check_location(failure["firstError"], where + ".firstError")
    print(f"failure {failure['file']}: {failure['reason']}")
