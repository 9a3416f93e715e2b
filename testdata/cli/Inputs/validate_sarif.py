"""Checks the parts of SARIF 2.1.0 that lockgraph promises (see
docs/formats.md) and that code-scanning services rely on, then prints one
line per result ("ruleId uri startLine:startColumn related=N fingerprint")
for FileCheck."""
import json
import sys


def fail(message):
    sys.exit("invalid SARIF: " + message)


def need(obj, key, kind, where):
    if not isinstance(obj, dict) or key not in obj:
        fail(f"{where} lacks '{key}'")
    if not isinstance(obj[key], kind):
        fail(f"{where}.{key} is {type(obj[key]).__name__}")
    return obj[key]


def check_physical(loc, base_ids, where):
    physical = need(loc, "physicalLocation", dict, where)
    artifact = need(physical, "artifactLocation", dict, where + ".physicalLocation")
    uri = need(artifact, "uri", str, where + ".artifactLocation")
    if "uriBaseId" in artifact:
        if artifact["uriBaseId"] not in base_ids:
            fail(f"{where}: uriBaseId {artifact['uriBaseId']} is not in originalUriBaseIds")
        if uri.startswith("/") or ":" in uri.split("/")[0]:
            fail(f"{where}: uri with a uriBaseId must be relative, got {uri}")
    elif not uri.startswith("file:///"):
        fail(f"{where}: uri without uriBaseId must be an absolute file URI, got {uri}")
    region = need(physical, "region", dict, where)
    if need(region, "startLine", int, where + ".region") < 1:
        fail(f"{where}: startLine below 1")
    if need(region, "startColumn", int, where + ".region") < 1:
        fail(f"{where}: startColumn below 1")
    return uri, region


with open(sys.argv[1]) as f:
    log = json.load(f)
if need(log, "version", str, "log") != "2.1.0":
    fail("version is not 2.1.0")
need(log, "$schema", str, "log")
runs = need(log, "runs", list, "log")
if len(runs) != 1:
    fail("expected exactly one run")
run = runs[0]
driver = need(need(run, "tool", dict, "run"), "driver", dict, "run.tool")
if need(driver, "name", str, "driver") != "lockgraph":
    fail("driver.name is not lockgraph")
need(driver, "version", str, "driver")
rules = need(driver, "rules", list, "driver")
rule_ids = []
for i, rule in enumerate(rules):
    rule_id = need(rule, "id", str, f"rules[{i}]")
    rule_ids.append(rule_id)
    if rule_id.startswith("lockgraph-"):
        need(need(rule, "shortDescription", dict, f"rules[{i}]"), "text", str, f"rules[{i}].shortDescription")
        help_uri = need(rule, "helpUri", str, f"rules[{i}]")
        if not help_uri.endswith("/docs/checks/" + rule_id + ".md"):
            fail(f"rules[{i}].helpUri does not point at docs/checks/{rule_id}.md: {help_uri}")
if len(set(rule_ids)) != len(rule_ids):
    fail("duplicate rule ids")

base_ids = {}
for name, value in run.get("originalUriBaseIds", {}).items():
    base_uri = need(value, "uri", str, "originalUriBaseIds." + name)
    if not base_uri.startswith("file:///") or not base_uri.endswith("/"):
        fail(f"originalUriBaseIds.{name} must be an absolute file URI ending in /")
    base_ids[name] = base_uri

for invocation in need(run, "invocations", list, "run"):
    need(invocation, "executionSuccessful", bool, "invocation")
    for note in invocation.get("toolExecutionNotifications", []):
        need(need(note, "message", dict, "notification"), "text", str, "notification.message")
        print("notification " + note["message"]["text"])

for i, result in enumerate(need(run, "results", list, "run")):
    where = f"results[{i}]"
    rule_id = need(result, "ruleId", str, where)
    index = need(result, "ruleIndex", int, where)
    if index >= len(rules) or rules[index]["id"] != rule_id:
        fail(f"{where}: ruleIndex {index} does not name rule {rule_id}")
    if need(result, "level", str, where) not in ("warning", "error", "note"):
        fail(f"{where}: bad level")
    need(need(result, "message", dict, where), "text", str, where + ".message")
    locations = need(result, "locations", list, where)
    if len(locations) != 1:
        fail(f"{where}: expected one location")
    uri, region = check_physical(locations[0], base_ids, where + ".locations[0]")
    related = result.get("relatedLocations", [])
    for j, loc in enumerate(related):
        need(loc, "id", int, f"{where}.relatedLocations[{j}]")
        need(need(loc, "message", dict, f"{where}.relatedLocations[{j}]"), "text", str, "message")
        check_physical(loc, base_ids, f"{where}.relatedLocations[{j}]")
    fingerprints = need(result, "partialFingerprints", dict, where)
    fingerprint = need(fingerprints, "lockgraph/v1", str, where + ".partialFingerprints")
    print(f"{rule_id} {uri} {region['startLine']}:{region['startColumn']} "
          f"related={len(related)} {fingerprint}")
