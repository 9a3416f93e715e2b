"""Keeps the CI examples in docs/ from rotting: parses the GitHub Actions
workflow and the GitLab CI job, checks the parts a CI service relies on, and
checks that both run the same analysis commands as the plain script
(docs/examples/ci-check.sh, which ci-script.test runs for real) and that
docs/ci.md shows each file as it is. Prints each shared command for
FileCheck; exits non-zero with the reason on any mismatch.

usage: check_ci_examples.py <docs dir>"""
import os
import re
import sys

import yaml


def fail(message):
    sys.exit("ci examples: " + message)


# The commands of the analysis itself: configuring the project with a compile
# database, choosing the baseline, running lockgraph. Installing lockgraph
# and the project's dependencies differs between services on purpose.
SHARED = re.compile(r"^(cmake -S \. |baseline=|lockgraph )")


def commands(lines):
    """Shared commands in order, without a trailing `|| ...` (a service may
    handle failures its own way)."""
    out = []
    for text in lines:
        for line in text.splitlines():
            line = line.strip()
            if SHARED.match(line):
                out.append(re.sub(r"\s+\|\|.*$", "", line) if line.startswith(("cmake", "lockgraph")) else line)
    return out


def script_commands(path):
    with open(path) as f:
        return commands(l for l in f if not l.lstrip().startswith("#"))


def github_commands(path):
    with open(path) as f:
        workflow = yaml.safe_load(f)
    # YAML 1.1 reads the key `on` as true.
    triggers = workflow.get("on", workflow.get(True))
    if not isinstance(triggers, dict) or "pull_request" not in triggers:
        fail(f"{path}: does not run on pull requests")
    if workflow.get("permissions", {}).get("security-events") != "write":
        fail(f"{path}: upload-sarif needs permissions: security-events: write")
    jobs = workflow.get("jobs")
    if not isinstance(jobs, dict) or len(jobs) != 1:
        fail(f"{path}: expected one job")
    job = next(iter(jobs.values()))
    if "runs-on" not in job:
        fail(f"{path}: job lacks runs-on")
    runs, uploads = [], []
    for i, step in enumerate(job.get("steps", [])):
        if ("run" in step) == ("uses" in step):
            fail(f"{path}: step {i} needs exactly one of run and uses")
        if "run" in step:
            runs.append(step["run"])
        elif step["uses"].startswith("github/codeql-action/upload-sarif@"):
            uploads.append(step)
    if len(uploads) != 1:
        fail(f"{path}: expected one github/codeql-action/upload-sarif step")
    if "always()" not in str(uploads[0].get("if", "")):
        fail(f"{path}: the upload must run also when findings failed the job (if: always())")
    return commands(runs), uploads[0].get("with", {}).get("sarif_file")


def gitlab_commands(path):
    with open(path) as f:
        config = yaml.safe_load(f)
    if not isinstance(config, dict) or len(config) != 1:
        fail(f"{path}: expected one job")
    job = next(iter(config.values()))
    script = job.get("script")
    if not isinstance(script, list) or not all(isinstance(s, str) for s in script):
        fail(f"{path}: script must be a list of commands")
    artifacts = job.get("artifacts", {})
    if artifacts.get("when") != "always":
        fail(f"{path}: artifacts must be kept also when findings failed the job (when: always)")
    return commands(script), artifacts.get("paths", [])


def sarif_output(cmds):
    for c in cmds:
        m = re.search(r"--format=sarif -o (\S+)", c)
        if m:
            return m.group(1)
    fail("no command writes SARIF")


# The runtime over a test suite (suite-graph.sh): building, testing under
# `lockgraph run --graph-dir` with the kept graph, drawing it.
SUITE = re.compile(r"^(cmake -S \. |cmake --build build|rm -rf lockgraph-graphs|status=|lockgraph |exit )")
KEPT = "lockgraph-graph.json"


def suite_commands(lines):
    return [l.strip() for text in lines for l in text.splitlines() if SUITE.match(l.strip())]


def github_suite_commands(path):
    with open(path) as f:
        job = next(iter(yaml.safe_load(f)["jobs"].values()))
    runs, restores, saves = [], [], []
    for step in job.get("steps", []):
        if "run" in step:
            runs.append(step["run"])
        elif step["uses"].startswith("actions/cache/restore@"):
            restores.append(step)
        elif step["uses"].startswith("actions/cache/save@"):
            saves.append(step)
    if len(restores) != 1 or restores[0].get("with", {}).get("path") != KEPT:
        fail(f"{path}: expected one actions/cache/restore step for {KEPT}")
    if len(saves) != 1 or saves[0].get("with", {}).get("path") != KEPT:
        fail(f"{path}: expected one actions/cache/save step for {KEPT}")
    if "always()" not in str(saves[0].get("if", "")):
        fail(f"{path}: the graph must be saved also when findings failed the job (if: always())")
    return suite_commands(runs)


def gitlab_suite_commands(path):
    with open(path) as f:
        job = next(iter(yaml.safe_load(f).values()))
    cache = job.get("cache", {})
    if KEPT not in cache.get("paths", []) or cache.get("when") != "always":
        fail(f"{path}: the job must cache {KEPT}, also when findings failed it (when: always)")
    return suite_commands(job["script"])


docs = sys.argv[1]
examples = os.path.join(docs, "examples")
script = script_commands(os.path.join(examples, "ci-check.sh"))
if not script:
    fail("ci-check.sh runs no lockgraph command")
sarif = sarif_output(script)

github, uploaded = github_commands(os.path.join(examples, "github-workflow.yml"))
gitlab, artifacts = gitlab_commands(os.path.join(examples, "gitlab-ci.yml"))
for name, cmds in (("github-workflow.yml", github), ("gitlab-ci.yml", gitlab)):
    if cmds != script:
        fail(f"{name} runs\n  " + "\n  ".join(cmds) + "\nbut ci-check.sh runs\n  " + "\n  ".join(script))
if uploaded != sarif:
    fail(f"github-workflow.yml uploads {uploaded}, the commands write {sarif}")
if sarif not in artifacts:
    fail(f"gitlab-ci.yml keeps {artifacts}, the commands write {sarif}")

with open(os.path.join(examples, "suite-graph.sh")) as f:
    suite = suite_commands(l for l in f if not l.lstrip().startswith("#"))
if not any(c.startswith("lockgraph run --graph-dir=") and "--baseline-graph=" + KEPT in c and
           "--write-graph=" + KEPT in c for c in suite):
    fail(f"suite-graph.sh does not link the run's graphs with {KEPT}")
for name, cmds in (("github-suite-graph.yml", github_suite_commands(os.path.join(examples, "github-suite-graph.yml"))),
                   ("gitlab-suite-graph.yml", gitlab_suite_commands(os.path.join(examples, "gitlab-suite-graph.yml")))):
    if cmds != suite:
        fail(f"{name} runs\n  " + "\n  ".join(cmds) + "\nbut suite-graph.sh runs\n  " + "\n  ".join(suite))

with open(os.path.join(docs, "ci.md")) as f:
    guide = f.read()
for name in ("ci-check.sh", "github-workflow.yml", "gitlab-ci.yml", "suite-graph.sh", "github-suite-graph.yml",
             "gitlab-suite-graph.yml"):
    with open(os.path.join(examples, name)) as f:
        if f.read() not in guide:
            fail(f"docs/ci.md does not show docs/examples/{name} as it is")

for c in script:
    print("shared: " + c)
print(f"sarif: {sarif}")
for c in suite:
    print("suite: " + c)
