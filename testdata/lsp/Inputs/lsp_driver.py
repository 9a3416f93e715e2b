"""Scenarios for `lockgraph lsp`, each one behaviour, run by the lit tests
in testdata/lsp: python3 lsp_driver.py <lockgraph binary> <testdata dir> <scenario>.

Sources are copied into fresh temporary directories under the system's
temporary directory, outside any checkout, so that no compile_commands.json
of the lockgraph build is found by accident.
"""
import atexit
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import LspClient  # noqa: E402

LOCKGRAPH, TESTDATA = sys.argv[1], pathlib.Path(sys.argv[2])
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, NOT_INITIALIZED = (
    -32700, -32600, -32601, -32602, -32002)


def expect(condition, message, *details):
    if not condition:
        raise AssertionError(message + "".join("\n  " + json.dumps(d, indent=1)[:2000] for d in details))


def project(files, database="build"):
    """A temporary project with `files` (paths under testdata) in src/ and,
    unless database is None, <database>/compile_commands.json listing them."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="lockgraph-lsp-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    src = root / "src"
    src.mkdir()
    for f in files:
        shutil.copy(TESTDATA / f, src)
    if database is not None:
        build = root / database
        build.mkdir(exist_ok=True)
        commands = [{"directory": str(build), "file": str(src / pathlib.Path(f).name),
                     "command": "clang++ -std=c++20 -c %s" % (src / pathlib.Path(f).name)}
                    for f in files if not f.endswith(".h")]
        (build / "compile_commands.json").write_text(json.dumps(commands))
    return root


def start(cwd=None):
    client = LspClient([LOCKGRAPH, "lsp"], cwd=cwd)
    return client


def shutdown(client):
    expect(client.call("shutdown")["result"] is None, "shutdown answers null")
    client.notify("exit")
    status = client.exit_status()
    expect(status == 0, "exit after shutdown gives status 0, got %s" % status)


def open_file(client, path):
    uri = path.as_uri()
    client.open(uri, path.read_text())
    return uri


def one_diagnostic(diagnostics, code):
    found = [d for d in diagnostics if d["code"] == code]
    expect(len(found) == 1, "expected one %s diagnostic" % code, diagnostics)
    return found[0]


# --- scenarios -------------------------------------------------------------

def lifecycle():
    client = start()
    result = client.initialize()
    caps = result["result"]["capabilities"]
    sync = caps["textDocumentSync"]
    expect(sync["openClose"] is True and sync["change"] == 0 and sync["save"], "text sync: open/save/close", caps)
    expect(caps["codeActionProvider"], "code actions offered", caps)
    expect(result["result"]["serverInfo"]["name"] == "lockgraph", "server name", result)

    error = client.call("textDocument/hover", {"textDocument": {"uri": "file:///x.cpp"},
                                               "position": {"line": 0, "character": 0}})["error"]
    expect(error["code"] == METHOD_NOT_FOUND, "unknown request: MethodNotFound", error)
    # Unknown notifications are ignored: no answer, and the server goes on.
    client.notify("workspace/didChangeConfiguration", {"settings": {}})
    client.notify("$/cancelRequest", {"id": 99})
    error = client.call("initialize", {"capabilities": {}})["error"]
    expect(error["code"] == INVALID_REQUEST, "a second initialize is refused", error)

    expect(client.call("shutdown")["result"] is None, "shutdown answers null")
    error = client.call("textDocument/codeAction", {})["error"]
    expect(error["code"] == INVALID_REQUEST, "requests after shutdown are refused", error)
    client.notify("exit")
    expect(client.exit_status() == 0, "exit after shutdown: status 0")
    expect(not [m for m in client.unclaimed if "id" in m], "no answers to notifications", client.unclaimed)


def exit_without_shutdown():
    client = start()
    error = client.call("shutdown")["error"]
    expect(error["code"] == NOT_INITIALIZED, "requests before initialize: ServerNotInitialized", error)
    client.initialize()
    client.notify("exit")
    status = client.exit_status()
    expect(status == 1, "exit without shutdown gives status 1, got %s" % status)

    # The input ending without shutdown is the same as exit without it.
    client = start()
    client.initialize()
    client.close_input()
    expect(client.exit_status() == 1, "end of input without shutdown: status 1")
    # ... and after shutdown it is a clean end.
    client = start()
    client.initialize()
    client.call("shutdown")
    client.close_input()
    expect(client.exit_status() == 0, "end of input after shutdown: status 0")


def diagnostics_and_quick_fix():
    # The database is in build/, as clangd finds it.
    root = project(["cli/Inputs/held-across-await.cc", "cli/Inputs/task.h"])
    source = root / "src" / "held-across-await.cc"
    files_before = sorted(root.rglob("*"))
    client = start()
    client.initialize(root.as_uri())
    uri = open_file(client, source)
    diagnostics = client.diagnostics(uri)
    expect(sorted(root.rglob("*")) == files_before, "the server writes nothing into the project",
           [str(p) for p in sorted(root.rglob("*"))])
    d = one_diagnostic(diagnostics, "lockgraph-lock-across-await")
    expect(len(diagnostics) == 1, "exactly one finding", diagnostics)
    expect(d["source"] == "lockgraph" and d["severity"] == 2, "source and severity", d)
    # Line 10 (0-based 9) is "  co_await std::suspend_always{};": the range is the keyword.
    expect(d["range"] == {"start": {"line": 9, "character": 2}, "end": {"line": 9, "character": 10}},
           "range covers co_await on line 10", d)
    expect(d["codeDescription"]["href"].endswith("/checks/lockgraph-lock-across-await.md"), "docs link", d)
    expect("queueMutex" in d["message"], "message names the mutex", d)
    related = d.get("relatedInformation", [])
    expect(any(r["location"]["uri"] == uri and r["location"]["range"]["start"]["line"] == 7 for r in related),
           "a note points at the lock on line 8", d)
    expect(not client.messages("window/showMessage"), "no complaint: the database was found",
           client.messages("window/showMessage"))

    # The quick fix appends NOLINT to line 10.
    actions = client.call("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d["range"],
        "context": {"diagnostics": [d]}})["result"]
    expect(len(actions) == 1 and actions[0]["kind"] == "quickfix", "one quick fix", actions)
    edits = actions[0]["edit"]["changes"][uri]
    line10 = source.read_text().split("\n")[9]
    expect(edits == [{"range": {"start": {"line": 9, "character": len(line10)},
                                "end": {"line": 9, "character": len(line10)}},
                      "newText": " // NOLINT(lockgraph-lock-across-await)"}], "NOLINT edit at end of line 10", edits)
    # Without "data" (some clients drop it) the document text locates the line end.
    bare = {k: v for k, v in d.items() if k != "data"}
    actions = client.call("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [bare]}})["result"]
    expect(actions[0]["edit"]["changes"][uri] == edits, "same edit without data", actions)
    # Diagnostics of other tools get no lockgraph quick fix.
    foreign = dict(bare, source="clangd", code="unused-includes")
    actions = client.call("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [foreign]}})["result"]
    expect(actions == [], "no action for clangd's diagnostics", actions)

    # Applying it and saving clears the finding.
    lines = source.read_text().split("\n")
    lines[9] += edits[0]["newText"]
    source.write_text("\n".join(lines))
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}, "text": source.read_text()})
    after = client.diagnostics(uri)
    expect(after == [], "NOLINT silences the finding after save", after)

    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    expect(client.diagnostics(uri) == [], "close clears the diagnostics")
    shutdown(client)


def blocking_call_chain():
    root = project(["service/connection_pool.cpp", "service/connection_pool.h"])
    pool = root / "src" / "connection_pool.cpp"
    client = start()
    client.initialize(root.as_uri())
    uri = open_file(client, pool)
    found = [d for d in client.diagnostics(uri)
             if d["code"] == "lockgraph-blocking-under-lock" and d["range"]["start"]["line"] == 32]
    expect(len(found) == 1, "the call to open_connection() under mu_ on line 33", found)
    d = found[0]
    expect(d["range"] == {"start": {"line": 32, "character": 11}, "end": {"line": 32, "character": 26}},
           "range covers open_connection", d)
    notes = [(r["location"]["range"]["start"]["line"], r["message"]) for r in d["relatedInformation"]]
    expect(any(line == 29 and "'mu_' acquired here" in m for line, m in notes), "where mu_ was taken", notes)
    expect(any(line == 19 and "'open' performs file or console I/O here" in m for line, m in notes),
           "the end of the chain: the blocking call in open_connection", notes)
    shutdown(client)


def cross_file_cycle():
    files = ["wholeprogram/Inputs/cache_stats.h", "wholeprogram/Inputs/cache.cc", "wholeprogram/Inputs/stats.cc"]
    root = project(files)
    cache_cc, stats_cc = root / "src" / "cache.cc", root / "src" / "stats.cc"

    # Without whole-program facts each file alone is clean.
    client = start()
    client.initialize(root.as_uri())
    uri = open_file(client, cache_cc)
    expect(client.diagnostics(uri) == [], "no cycle without the facts cache")
    expect(not (root / "build" / ".lockgraph-cache").exists(), "the server creates no cache")
    shutdown(client)

    # After `lockgraph check -p build` filled the cache, the cycle shows.
    subprocess.run([LOCKGRAPH, "check", "-p", str(root / "build"), "--quiet"], stdout=subprocess.DEVNULL,
                   timeout=300)
    client = start()
    client.initialize(root.as_uri())
    uri = open_file(client, cache_cc)
    d = one_diagnostic(client.diagnostics(uri), "lockgraph-lock-order")
    expect(d["range"]["start"] == {"line": 4, "character": 2}, "reported at cache.cc:5:3", d)
    expect("'Cache::mu' -> 'Stats::mu' -> 'Cache::mu'" in d["message"], "the cycle", d)
    stats_uri = stats_cc.as_uri()
    related = [(r["location"]["uri"], r["location"]["range"]["start"]["line"]) for r in d["relatedInformation"]]
    expect((stats_uri, 3) in related and (stats_uri, 8) in related, "notes walk the edges in stats.cc", d)

    # The same cycle shown in stats.cc, at its first note there, pointing back.
    stats_uri = open_file(client, stats_cc)
    d = one_diagnostic(client.diagnostics(stats_uri), "lockgraph-lock-order")
    expect(d["range"]["start"]["line"] == 3, "shown at stats.cc:4", d)
    first = d["relatedInformation"][0]
    expect(first["location"]["uri"] == uri and first["message"].startswith("reported here"),
           "first related information: where it is reported", d)
    # Its NOLINT goes where `lockgraph check` reports it: cache.cc line 5.
    actions = client.call("textDocument/codeAction", {
        "textDocument": {"uri": stats_uri}, "range": d["range"], "context": {"diagnostics": [d]}})["result"]
    expect(list(actions[0]["edit"]["changes"]) == [uri] and
           actions[0]["edit"]["changes"][uri][0]["range"]["start"]["line"] == 4, "NOLINT in cache.cc", actions)
    shutdown(client)


def virtual_callback_overrides():
    files = ["wholeprogram/Inputs/overrides/" + f for f in ["shapes.h", "canvas.cc", "square.cc", "circle.cc"]]
    root = project(files)
    canvas = root / "src" / "canvas.cc"

    def callback_lines(client):
        uri = open_file(client, canvas)
        return sorted(d["range"]["start"]["line"] + 1 for d in client.diagnostics(uri)
                      if d["code"] == "lockgraph-callback-under-lock")

    # Alone, canvas.cc cannot know that no other file overrides Shape.
    client = start()
    client.initialize(root.as_uri())
    lines = callback_lines(client)
    expect(lines == [5, 10, 15, 20, 25, 33, 34, 39], "every virtual call under mu without the other files", lines)
    shutdown(client)

    # With every other file's facts in the cache, the calls whose every
    # override is harmless are dropped, as by `lockgraph check`.
    subprocess.run([LOCKGRAPH, "check", "-p", str(root / "build"), "--quiet"], stdout=subprocess.DEVNULL,
                   timeout=300)
    client = start()
    client.initialize(root.as_uri())
    lines = callback_lines(client)
    expect(lines == [15, 20, 33, 39], "Shape::draw (Circle locks), Observer's hooks (no override)", lines)
    shutdown(client)


def no_compile_database():
    root = project(["cli/Inputs/held-across-await.cc", "cli/Inputs/task.h",
                    "cli/Inputs/clean-coroutine.cc"], database=None)
    client = start()
    client.initialize(root.as_uri())
    uri = open_file(client, root / "src" / "held-across-await.cc")
    d = one_diagnostic(client.diagnostics(uri), "lockgraph-lock-across-await")
    expect(d["range"]["start"]["line"] == 9, "analysed with default flags", d)
    shown = client.notification("window/showMessage")
    expect("compile_commands.json" in shown["message"] and "-std=c++20" in shown["message"],
           "explains the missing database", shown)
    # Told once, however many files follow.
    other = open_file(client, root / "src" / "clean-coroutine.cc")
    expect(client.diagnostics(other) == [], "clean file")
    expect(client.call("shutdown")["result"] is None, "still serving")
    expect(client.messages("window/showMessage") == [], "showMessage only once", client.messages("window/showMessage"))
    client.notify("exit")
    expect(client.exit_status() == 0, "exit 0")

    # A database that cannot be read: said so, and default flags are used.
    (root / "compile_commands.json").write_text("[{not json")
    client = start()
    client.initialize(root.as_uri())
    uri = open_file(client, root / "src" / "held-across-await.cc")
    one_diagnostic(client.diagnostics(uri), "lockgraph-lock-across-await")
    shown = client.notification("window/showMessage")
    expect("cannot read compilation database" in shown["message"] and "-std=c++20" in shown["message"],
           "explains the unreadable database", shown)
    shutdown(client)


def file_that_does_not_parse():
    root = project(["cli/Inputs/does-not-compile.cc", "cli/Inputs/task.h", "cli/Inputs/held-across-await.cc"])
    broken = root / "src" / "does-not-compile.cc"
    # A finding before the syntax error is still shown.
    broken.write_text(broken.read_text() + (root / "src" / "held-across-await.cc").read_text().split("\n", 2)[2])
    client = start()
    client.initialize(root.as_uri())
    uri = open_file(client, broken)
    diagnostics = client.diagnostics(uri)
    expect(all(d["source"] == "lockgraph" and d["code"].startswith("lockgraph-") for d in diagnostics),
           "compiler errors are left to the compiler's server", diagnostics)
    logged = [m["message"] for m in client.messages("window/logMessage")]
    expect(any("does not compile" in m and "expected expression" in m for m in logged),
           "the log says the file does not compile", logged)
    # The server goes on serving.
    good = open_file(client, root / "src" / "held-across-await.cc")
    one_diagnostic(client.diagnostics(good), "lockgraph-lock-across-await")
    # A file that vanished is not analysed, and is no crash either.
    client.open((root / "src" / "gone.cc").as_uri(), "int x;")
    shutdown(client)


def malformed_messages():
    client = start()
    client.initialize()
    # A header without Content-Length.
    client.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n")
    error = client.response(None)["error"]
    expect(error["code"] == PARSE_ERROR and "Content-Length" in error["message"], "bad header: ParseError", error)
    # A Content-Length that is not a number.
    client.send_raw(b"Content-Length: twelve\r\n\r\n")
    error = client.response(None)["error"]
    expect(error["code"] == PARSE_ERROR and "twelve" in error["message"], "bad length: ParseError", error)
    # A body that is not JSON.
    client.send_raw(b"Content-Length: 9\r\n\r\n{\"id\": 1,")
    error = client.response(None)["error"]
    expect(error["code"] == PARSE_ERROR, "bad JSON: ParseError", error)
    # JSON that is not a request.
    client.send([1, 2, 3])
    expect(client.response(None)["error"]["code"] == INVALID_REQUEST, "array: InvalidRequest")
    client.send({"jsonrpc": "2.0", "id": 7})
    expect(client.response(7)["error"]["code"] == INVALID_REQUEST, "no method: InvalidRequest")
    client.send({"jsonrpc": "2.0", "id": 8, "method": 42})
    expect(client.response(8)["error"]["code"] == INVALID_REQUEST, "method not a string: InvalidRequest")
    client.send({"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"})
    expect(client.response(None)["error"]["code"] == INVALID_REQUEST, "id not a number or string")
    # Requests and notifications with missing fields.
    error = client.call("textDocument/codeAction", {"textDocument": {}})["error"]
    expect(error["code"] == INVALID_PARAMS, "codeAction without uri: InvalidParams", error)
    error = client.call("textDocument/codeAction", None)["error"]
    expect(error["code"] == INVALID_PARAMS, "codeAction without params: InvalidParams", error)
    client.notify("textDocument/didOpen", {"textDocument": {"text": "int x;"}})
    logged = client.notification("window/logMessage")
    expect("didOpen" in logged["message"] and "uri" in logged["message"], "didOpen without uri is logged", logged)
    client.notify("textDocument/didOpen", None)
    client.notification("window/logMessage")
    # Stray blank lines and a garbage line before a header are skipped.
    client.send_raw(b"\r\n\r\n")
    client.send_raw(b"garbage\r\n")
    shutdown(client)


def stale_compile_database():
    # The database names a build directory that was deleted: clang's tooling
    # would abort the process; the server logs why and keeps serving.
    root = project(["cli/Inputs/held-across-await.cc", "cli/Inputs/task.h"])
    commands = json.loads((root / "build" / "compile_commands.json").read_text())
    for c in commands:
        c["directory"] = str(root / "deleted-build")
    (root / "build" / "compile_commands.json").write_text(json.dumps(commands))
    client = start()
    client.initialize(root.as_uri())
    uri = open_file(client, root / "src" / "held-across-await.cc")
    expect(client.diagnostics(uri) == [], "nothing analysed, nothing published")
    logged = [m["message"] for m in client.messages("window/logMessage")]
    expect(any("deleted-build" in m and "does not exist" in m for m in logged),
           "the log names the missing directory", logged)
    shutdown(client)


def deeply_nested_message():
    # llvm::json::parse recurses per level: 50,000 '[' would overflow the
    # stack. The body is refused as a parse error and the server goes on.
    client = start()
    client.initialize()
    body = b"[" * 50000 + b"]" * 50000
    client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    error = client.response(None)["error"]
    expect(error["code"] == PARSE_ERROR and "nested" in error["message"], "deep JSON: ParseError", error)
    shutdown(client)


SCENARIOS = {f.__name__.replace("_", "-"): f for f in [
    lifecycle, exit_without_shutdown, diagnostics_and_quick_fix, blocking_call_chain, cross_file_cycle,
    no_compile_database, file_that_does_not_parse, malformed_messages, stale_compile_database,
    deeply_nested_message, virtual_callback_overrides]}

if __name__ == "__main__":
    SCENARIOS[sys.argv[3]]()
    print("PASS", sys.argv[3])
