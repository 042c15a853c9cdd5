"""A small Language Server Protocol client for the real yaml-language-server.

It starts the server over stdio (`--stdio`), speaks JSON-RPC with `Content-Length`
headers, answers the requests the server sends the client (its configuration, capability
registrations, progress tokens) and keeps every notification it publishes. Every wait
has a deadline, and `close` shuts the server down politely, then kills it: a stuck
server fails a test, it never hangs the suite.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

SERVER = ROOT / "tests" / "node" / "node_modules" / "yaml-language-server" / "bin" / \
    "yaml-language-server"
TIMEOUT = 30.0  # seconds for any one answer; the server answers in well under one
QUIET = 0.5  # no new diagnostics for this long after some: the server is done with them

# What an editor with the YAML extension sends: validation, completion and hover on, no
# schema store (no network), YAML 1.2 (the extension's default).
SETTINGS = {"yaml": {"validate": True, "completion": True, "hover": True,
                     "schemaStore": {"enable": False}, "yamlVersion": "1.2",
                     "format": {"enable": False}, "schemas": {}}}


class LanguageServerError(AssertionError):
    """The server did not answer in time, died, or answered with an error."""


class LanguageServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.process = subprocess.Popen(
            ["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=root)
        self._next_id = 0
        self._answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.notifications: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stderr: list[bytes] = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # --- the wire ---------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise LanguageServerError(f"the server is gone: {self.stderr()}") from exc

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return  # the server exited
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if length is None:
                continue
            message = json.loads(stream.read(length))
            self._dispatch(message)

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line)

    def stderr(self) -> str:
        return b"".join(self._stderr[-20:]).decode("utf-8", "replace")

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "id" in message and "method" in message:  # a request from the server
            self._send({"id": message["id"], "result": self._answer(message)})
        elif "id" in message:
            with self._lock:
                waiting = self._answers.get(message["id"])
            if waiting is not None:
                waiting.put(message)
        else:
            self.notifications.put(message)

    def _answer(self, request: dict[str, Any]) -> Any:
        if request["method"] == "workspace/configuration":
            items = request.get("params", {}).get("items", [])
            return [SETTINGS.get(item.get("section", ""), SETTINGS) for item in items]
        return None  # client/registerCapability, window/workDoneProgress/create, ...

    # --- requests and notifications ---------------------------------------------

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            answer: queue.Queue[dict[str, Any]] = queue.Queue()
            self._answers[ident] = answer
        self._send({"id": ident, "method": method, "params": params})
        try:
            message = answer.get(timeout=timeout)
        except queue.Empty:
            raise LanguageServerError(
                f"no answer to {method} within {timeout} s; stderr: {self.stderr()}") from None
        finally:
            with self._lock:
                del self._answers[ident]
        if "error" in message:
            raise LanguageServerError(f"{method} failed: {message['error']}")
        return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def start(self) -> None:
        self.request("initialize", {
            "processId": None, "rootUri": self.root.as_uri(),
            "workspaceFolders": [{"uri": self.root.as_uri(), "name": "repo"}],
            "capabilities": {
                "workspace": {"configuration": True},
                "textDocument": {
                    "completion": {"completionItem": {
                        "documentationFormat": ["plaintext"], "snippetSupport": True}},
                    "hover": {"contentFormat": ["plaintext"]},
                    "publishDiagnostics": {},
                },
            },
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        return uri

    def close_document(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def diagnostics(self, uri: str, some: bool = False,
                    timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """The diagnostics the server publishes for `uri`: the latest set once it has
        been quiet for a moment (with `some`, once a set that is not empty came)."""
        deadline = time.monotonic() + timeout
        latest: list[dict[str, Any]] | None = None
        while True:
            left = deadline - time.monotonic()
            settled = latest is not None and (latest or not some)
            if left <= 0:
                if settled:
                    return latest or []
                raise LanguageServerError(
                    f"no diagnostics for {uri} within {timeout} s; stderr: {self.stderr()}")
            try:
                message = self.notifications.get(timeout=min(left, QUIET) if settled else left)
            except queue.Empty:
                if settled:
                    return latest or []
                continue
            if (message.get("method") == "textDocument/publishDiagnostics"
                    and message["params"]["uri"] == uri):
                latest = message["params"]["diagnostics"]

    def completion(self, uri: str, line: int, character: int) -> list[dict[str, Any]]:
        result = self.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
        items = result.get("items", []) if isinstance(result, dict) else (result or [])
        return list(items)

    def hover(self, uri: str, line: int, character: int) -> Any:
        return self.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": character}})

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                self.process.wait(timeout=10)
        except (LanguageServerError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
