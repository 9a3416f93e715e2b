"""A minimal Language Server Protocol client for testing `lockgraph lsp`.

Speaks the base protocol over the server's pipes byte for byte, so tests can
also send what a broken client would: headers without Content-Length, bodies
that are not JSON. Every wait has a deadline; when it passes the server is
killed and the test fails instead of hanging.
"""
import json
import queue
import subprocess
import threading
import time

DEFAULT_TIMEOUT = 120.0  # generous: CI machines are loaded; a hang still fails


class ServerTimeout(AssertionError):
    pass


class LspClient:
    def __init__(self, argv, cwd=None, stderr=None):
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=stderr)
        self.incoming = queue.Queue()
        self.unclaimed = []  # messages read but not yet asked for
        self.next_id = 1
        threading.Thread(target=self._read_loop, daemon=True).start()

    # -- reading -----------------------------------------------------------
    def _read_loop(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.incoming.put(None)
                    return
                line = line.rstrip(b"\r\n")
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if length is None:
                self.incoming.put({"_client_error": "server sent a header without Content-Length"})
                continue
            body = out.read(length)
            self.incoming.put(json.loads(body))

    def wait_for(self, predicate, what, timeout=DEFAULT_TIMEOUT):
        """The first message (earlier unclaimed ones first) matching predicate."""
        for i, m in enumerate(self.unclaimed):
            if predicate(m):
                return self.unclaimed.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise ServerTimeout("timed out after %.0f s waiting for %s; unclaimed: %s"
                                    % (timeout, what, self.unclaimed))
            try:
                m = self.incoming.get(timeout=left)
            except queue.Empty:
                continue
            if m is None:
                raise AssertionError("server closed its output while waiting for %s (exit status %s)"
                                     % (what, self.proc.poll()))
            assert "_client_error" not in m, m["_client_error"]
            if predicate(m):
                return m
            self.unclaimed.append(m)

    def response(self, request_id, timeout=DEFAULT_TIMEOUT):
        return self.wait_for(lambda m: m.get("id") == request_id and "method" not in m,
                             "the response to request %r" % request_id, timeout)

    def notification(self, method, timeout=DEFAULT_TIMEOUT, where=lambda params: True):
        return self.wait_for(lambda m: m.get("method") == method and "id" not in m
                             and where(m.get("params")), "a %s notification" % method, timeout)["params"]

    def diagnostics(self, uri, timeout=DEFAULT_TIMEOUT):
        return self.notification("textDocument/publishDiagnostics", timeout,
                                 where=lambda p: p["uri"] == uri)["diagnostics"]

    def messages(self, method):
        """Notifications of `method` read so far and not claimed."""
        return [m["params"] for m in self.unclaimed if m.get("method") == method]

    # -- writing -----------------------------------------------------------
    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None):
        request_id = self.next_id
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return request_id

    def call(self, method, params=None, timeout=DEFAULT_TIMEOUT):
        return self.response(self.request(method, params), timeout)

    def notify(self, method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    # -- lifecycle ---------------------------------------------------------
    def initialize(self, root_uri=None):
        result = self.call("initialize", {"processId": None, "rootUri": root_uri, "capabilities": {}})
        self.notify("initialized", {})
        return result

    def open(self, uri, text):
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "cpp", "version": 1, "text": text}})

    def exit_status(self, timeout=DEFAULT_TIMEOUT):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise ServerTimeout("server did not exit within %.0f s" % timeout)

    def close_input(self):
        self.proc.stdin.close()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
