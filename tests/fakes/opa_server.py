"""A fake OPA server for tests and benchmarks: OPA's REST API, evaluated by regorus.

It speaks the parts of OPA's API martechgov's remote engine uses, the way OPA answers:

    PUT    /v1/policies/{id}        compile-checked upload (400 + OPA-style errors)
    GET    /v1/policies             list; DELETE /v1/policies/{id}
    PUT    /v1/data/{path}          write base data (refused under a bundle's roots)
    GET    /v1/data/{path}          read a document ({} when undefined)
    POST   /v1/data/{path}          evaluate with {"input": ...}: {"result": ...}, or no
                                    "result" key when undefined; ?provenance=true adds
                                    the active bundles' revisions
    GET    /v1/data/system/bundles  active bundles and their manifests
    GET    /health

Bundles are loaded the way OPA activates them (`load_bundle`, `read_bundle`): a
`data.json` in directory d becomes data.<d>, `.manifest` roots must cover every package
and data path, and the bundle owns its roots afterwards.

OPA's compiler rejects a module that calls a function no loaded module defines; this
server approximates that by refusing a module whose `import data.<pkg>` names a package
no loaded module declares (and no data exists at), so clients must upload in an order
OPA accepts.

Faults for failure tests: `fail(...)` answers the next matching requests with a status,
a body and/or a delay, or misbehaves (`stream=`): "trickle" sends a valid answer one
byte every `interval` seconds, "trickle-headers" does so from the status line on,
"endless" sends a chunked body that never ends, "gzip-bomb" sends a small gzip body
that inflates to 200 MB. `gzip_answers=True` compresses every normal answer the way OPA
does for clients that accept gzip. `token=` requires `Authorization: Bearer <token>`;
`closed_port_url()` gives a URL where nothing listens.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import socket
import sys
import tarfile
import threading
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import regorus

_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_IMPORT = re.compile(r"^import\s+data\.([\w.]+)", re.MULTILINE)


@dataclass
class Bundle:
    name: str
    manifest: dict[str, Any]
    modules: dict[str, str]  # path in the tarball -> source
    data: dict[str, Any]

    @property
    def roots(self) -> list[str]:
        roots = self.manifest.get("roots")
        return [""] if roots is None else list(roots)


@dataclass
class Fault:
    status: int | None = None  # None: answer normally after `delay`
    body: bytes | None = None
    delay: float = 0.0
    times: int | None = 1  # None: every matching request
    method: str | None = None
    path_prefix: str = "/v1/"
    stream: str | None = None  # trickle, trickle-headers, endless, gzip-bomb
    interval: float = 0.3  # seconds between trickled bytes


@dataclass
class Calls:
    """What the server saw, for assertions."""

    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    authorization: list[str | None] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p == path)


class BundleError(ValueError):
    """The bundle is not one OPA would activate."""


def read_bundle(content: bytes, name: str = "martechgov") -> Bundle:
    """Read a bundle tarball the way OPA's bundle reader does."""
    manifest: dict[str, Any] = {}
    modules: dict[str, str] = {}
    data: dict[str, Any] = {}
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(content)), mode="r:") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            path = member.name.lstrip("/")
            extracted = tar.extractfile(member)
            assert extracted is not None
            raw = extracted.read()
            if path == ".manifest":
                manifest = json.loads(raw)
            elif path.endswith(".rego"):
                modules[path] = raw.decode("utf-8")
            elif path == "data.json" or path.endswith("/data.json"):
                key = [part for part in path[: -len("data.json")].split("/") if part]
                _insert(data, key, json.loads(raw))
    bundle = Bundle(name, manifest, modules, data)
    _check_bundle_roots(bundle)
    return bundle


def _insert(data: dict[str, Any], key: list[str], value: Any) -> None:
    """OPA's bundle.insert: place `value` at `key`, merging objects; conflicts fail."""
    if not key:
        if not isinstance(value, dict):
            raise BundleError("root value must be object")
        for name, child in value.items():
            _insert(data, [name], child)
        return
    node = data
    for part in key[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise BundleError(f"failed to insert data file from path {'/'.join(key)}")
    last = key[-1]
    if last in node and isinstance(node[last], dict) and isinstance(value, dict):
        for name, child in value.items():
            _insert(node[last], [name], child)
    elif last in node:
        raise BundleError(f"failed to insert data file from path {'/'.join(key)}")
    else:
        node[last] = value


def _check_bundle_roots(bundle: Bundle) -> None:
    roots = bundle.roots
    for path, source in bundle.modules.items():
        package = _package(source).replace(".", "/")
        if not any(_owned(package, root) for root in roots):
            raise BundleError(f"manifest roots {roots} do not permit '{package}' in "
                              f"module '{path}'")
    for data_path in _leaf_paths(bundle.data):
        if not any(_owned(data_path, root) for root in roots):
            raise BundleError(f"manifest roots {roots} do not permit data at path "
                              f"'/{data_path}'")


def _leaf_paths(data: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in data.items():
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, Mapping) and value:
            yield from _leaf_paths(value, path)
        else:
            yield path


def _owned(path: str, root: str) -> bool:
    return root == "" or path == root or path.startswith(root + "/")


def _package(source: str) -> str:
    match = _PACKAGE.search(source)
    if match is None:
        raise BundleError("module without a package")
    return match.group(1)


def compile_regorus(modules: Mapping[str, str], data: Mapping[str, Any]) -> Any:
    engine = regorus.Engine()
    for name, source in sorted(modules.items()):
        engine.add_policy(name, source)
    engine.add_data_json(json.dumps(data))
    return engine


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


_BOMB: list[bytes] = []


def gzip_bomb() -> bytes:
    """A gzip stream of 200 MB of zeros (about 200 KB), made once."""
    if not _BOMB:
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b"\0" * (1 << 20)
        _BOMB.append(b"".join([*(packer.compress(block) for _ in range(200)), packer.flush()]))
    return _BOMB[0]


class FakeOpa:
    def __init__(self, token: str | None = None, gzip_answers: bool = False) -> None:
        self.token = token
        self.gzip_answers = gzip_answers
        self.modules: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        self.bundles: dict[str, Bundle] = {}
        self.calls = Calls()
        self.faults: list[Fault] = []
        self.release = threading.Event()  # set on stop: ends every delay at once
        self._lock = threading.Lock()
        self._version = 0  # bumped on every change of policies or data
        self._engine: Any = None  # only touched by the evaluator thread
        self._engine_version = -1
        self._evaluator = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fake-opa-eval")
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # A short poll interval: stop() waits for the serving loop to notice.
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.01})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeOpa:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._evaluator.submit(self._drop_engine).result()
        self._evaluator.shutdown()

    def _drop_engine(self) -> None:
        self._engine = None  # dropped in the thread that owns it

    def serve_forever(self) -> None:
        """Serve in the calling thread (for a server in its own process)."""
        self._server.serve_forever()

    def __enter__(self) -> FakeOpa:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- state ---------------------------------------------------------------------

    def fail(self, status: int | None = None, body: bytes | str | None = None,
             delay: float = 0.0, times: int | None = 1, method: str | None = None,
             path_prefix: str = "/v1/", stream: str | None = None,
             interval: float = 0.3) -> None:
        if isinstance(body, str):
            body = body.encode()
        with self._lock:
            self.faults.append(Fault(status, body, delay, times, method, path_prefix,
                                     stream, interval))

    def load_bundle(self, content: bytes, name: str = "martechgov") -> None:
        """Activate a bundle: it replaces everything under its roots."""
        bundle = read_bundle(content, name)
        with self._lock:
            for root in bundle.roots:
                self.modules = {mid: src for mid, src in self.modules.items()
                                if not _owned(_package(src).replace(".", "/"), root)}
                _delete(self.data, root)
            for path, source in bundle.modules.items():
                self.modules[f"{name}/{path}"] = source
            _merge(self.data, bundle.data)
            self.bundles[name] = bundle
            self._version += 1

    def evaluate(self, path: str, input_doc: Any) -> tuple[bool, Any]:
        """(defined, value) of data.<path> for this input."""
        # A regorus Engine may only be used by the thread that made it, so one thread
        # owns it and every request's evaluation runs there (serialised, like a lock).
        return self._evaluator.submit(self._evaluate_here, path, input_doc).result()

    def _evaluate_here(self, path: str, input_doc: Any) -> tuple[bool, Any]:
        query = "data" + "".join(f'["{part}"]' for part in path.split("/") if part)
        with self._lock:
            if self._engine is None or self._engine_version != self._version:
                self._engine = compile_regorus(self.modules, self.data)
                self._engine_version = self._version
            engine = self._engine
        # A GET has no input; never let the previous request's input leak into it.
        engine.set_input_json(json.dumps({} if input_doc is None else input_doc))
        answer = json.loads(engine.eval_query_as_json(query))
        results = answer.get("result") or []
        if not results:
            return False, None
        return True, results[0]["expressions"][0]["value"]

    def put_policy(self, policy_id: str, source: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            try:
                package = _package(source)
            except BundleError:
                return 400, _compile_error(policy_id, "empty module or no package")
            owner = self._owner(package.replace(".", "/"))
            if owner:
                return 400, {"code": "invalid_parameter",
                             "message": f"path {package.replace('.', '/')} is owned by "
                                        f"bundle \"{owner}\""}
            modules = {**self.modules, policy_id: source}
            missing = self._missing_import(source, modules)
            if missing:
                return 400, _compile_error(policy_id, f"undefined function data.{missing}")
            try:
                compile_regorus(modules, self.data)
            except RuntimeError as exc:
                return 400, _compile_error(policy_id, str(exc).split("Stack backtrace")[0])
            self.modules = modules
            self._version += 1
        return 200, {}

    def delete_policy(self, policy_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if policy_id not in self.modules:
                return 404, {"code": "resource_not_found",
                             "message": f"storage_not_found_error: policy id \"{policy_id}\""}
            del self.modules[policy_id]
            self._version += 1
        return 200, {}

    def put_data(self, path: str, value: Any) -> tuple[int, dict[str, Any]]:
        parts = [unquote(part) for part in path.split("/") if part]
        with self._lock:
            owner = self._owner("/".join(parts)) if parts else next(iter(self.bundles), None)
            if owner:
                return 400, {"code": "invalid_parameter",
                             "message": f"path {'/'.join(parts)} is owned by bundle "
                                        f"\"{owner}\""}
            if not parts:
                if not isinstance(value, dict):
                    return 400, {"code": "invalid_parameter", "message": "root must be object"}
                self.data = value
            else:
                node = self.data
                for part in parts[:-1]:
                    node = node.setdefault(part, {})
                node[parts[-1]] = value
            self._version += 1
        return 204, {}

    def system_bundles(self) -> dict[str, Any]:
        return {name: {"manifest": bundle.manifest, "etag": ""}
                for name, bundle in self.bundles.items()}

    def _owner(self, path: str) -> str | None:
        for name, bundle in self.bundles.items():
            for root in bundle.roots:
                if _owned(path, root) or _owned(root, path):
                    return name
        return None

    def _missing_import(self, source: str, modules: Mapping[str, str]) -> str | None:
        packages = {_package(src) for src in modules.values()}
        for imported in _IMPORT.findall(source):
            if imported in packages or any(p.startswith(imported + ".") for p in packages):
                continue
            if _lookup(self.data, imported.split(".")) is not None:
                continue
            return str(imported)
        return None

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method not in (None, method) or not path.startswith(fault.path_prefix):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    def provenance(self) -> dict[str, Any]:
        return {"version": "fake-opa (regorus)",
                "bundles": {name: {"revision": bundle.manifest.get("revision", "")}
                            for name, bundle in self.bundles.items()}}


def _ast(source: str) -> dict[str, Any]:
    """The part of OPA's module AST clients read: the package path."""
    match = _PACKAGE.search(source)
    parts = match.group(1).split(".") if match else []
    return {"package": {"path": [{"type": "var", "value": "data"},
                                 *({"type": "string", "value": p} for p in parts)]}}


_REGORUS_ERROR = re.compile(r"-->\s*(\S+):(\d+):(\d+)\s*\n(?:.*\n)*?error:\s*([^\n]+)")


def _evaluation_error(text: str) -> dict[str, Any]:
    """regorus's evaluation error the way OPA answers one (HTTP 500)."""
    match = _REGORUS_ERROR.search(text)
    answer: dict[str, Any] = {"code": "internal_error",
                              "message": "error(s) occurred while evaluating query"}
    if match:
        file, row, col, message = match.groups()
        answer["errors"] = [{"code": "eval_builtin_error", "message": message.strip(),
                             "location": {"file": file, "row": int(row), "col": int(col)}}]
    else:
        answer["message"] = text.strip()
    return answer


def _compile_error(policy_id: str, message: str) -> dict[str, Any]:
    return {"code": "invalid_parameter",
            "message": "error(s) occurred while compiling module(s)",
            "errors": [{"code": "rego_compile_error", "message": message.strip(),
                        "location": {"file": policy_id, "row": 1, "col": 1}}]}


def _delete(data: dict[str, Any], root: str) -> None:
    if root == "":
        data.clear()
        return
    *parents, last = root.split("/")
    node = _lookup(data, parents)
    if isinstance(node, dict):
        node.pop(last, None)


def _merge(target: dict[str, Any], source: Mapping[str, Any]) -> None:
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def _lookup(data: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a client that hung up is fine
            super().handle_error(request, client_address)


def _handler_for(opa: FakeOpa) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        server_state = opa

    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as OPA (Go net/http) does
    # Headers and body go out as separate writes; with Nagle's algorithm on, the body
    # would wait for the client's delayed ACK (about 40 ms per request).
    disable_nagle_algorithm = True
    server_state: FakeOpa

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        return

    def do_GET(self) -> None:
        self._serve("GET")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        opa = self.server_state
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with opa._lock:
            opa.calls.requests.append((method, url.path))
            opa.calls.authorization.append(self.headers.get("Authorization"))
            opa.calls.in_flight += 1
            opa.calls.max_in_flight = max(opa.calls.max_in_flight, opa.calls.in_flight)
        try:
            self._answer(opa, method, url.path, parse_qs(url.query), body)
        finally:
            with opa._lock:
                opa.calls.in_flight -= 1

    def _answer(self, opa: FakeOpa, method: str, path: str, query: dict[str, list[str]],
                body: bytes) -> None:
        fault = opa.take_fault(method, path)
        if fault is not None and fault.stream is not None:
            self._misbehave(opa, fault)
            return
        if fault is not None:
            if fault.delay:
                opa.release.wait(fault.delay)
            if fault.status is not None or fault.body is not None:
                self._send(fault.status or 200, fault.body or b"")
                return
        if opa.token is not None and path != "/health" and \
                self.headers.get("Authorization") != f"Bearer {opa.token}":
            self._json(401, {"code": "unauthorized",
                             "message": "missing or invalid bearer token"})
            return
        status, answer = self._route(opa, method, path, query, body)
        self._json(status, answer)

    def _route(self, opa: FakeOpa, method: str, path: str, query: dict[str, list[str]],
               body: bytes) -> tuple[int, Any]:
        if path == "/health" and method == "GET":
            return 200, {}
        if path.startswith("/v1/policies"):
            policy_id = unquote(path[len("/v1/policies"):].lstrip("/"))
            if method == "GET" and not policy_id:
                return 200, {"result": [{"id": i, "raw": s, "ast": _ast(s)}
                                        for i, s in opa.modules.items()]}
            if method == "PUT":
                return opa.put_policy(policy_id, body.decode("utf-8"))
            if method == "DELETE":
                return opa.delete_policy(policy_id)
        if path.startswith("/v1/data"):
            return self._data(opa, method, path[len("/v1/data"):].strip("/"), query, body)
        return 404, {"code": "resource_not_found", "message": f"{method} {path}"}

    def _data(self, opa: FakeOpa, method: str, path: str, query: dict[str, list[str]],
              body: bytes) -> tuple[int, Any]:
        try:
            document = json.loads(body) if body else None
        except json.JSONDecodeError as exc:
            return 400, {"code": "invalid_parameter", "message": str(exc)}
        if method == "PUT":
            return opa.put_data(path, document)
        if path == "system/bundles" and method == "GET":
            bundles = opa.system_bundles()
            return 200, {"result": bundles} if bundles else {}
        input_doc = document.get("input") if isinstance(document, dict) else None
        try:
            defined, value = opa.evaluate(path, input_doc if method == "POST" else None)
        except RuntimeError as exc:
            return 500, _evaluation_error(str(exc).split("Stack backtrace")[0])
        answer: dict[str, Any] = {"result": value} if defined else {}
        if query.get("provenance") == ["true"]:
            answer["provenance"] = opa.provenance()
        return 200, answer

    def _json(self, status: int, answer: Any) -> None:
        if status == 204:
            self._send(204, b"")
            return
        self._send(status, json.dumps(answer).encode(), "application/json")

    def _send(self, status: int, content: bytes, kind: str = "text/plain") -> None:
        compress = self.server_state.gzip_answers and status != 204 and \
            "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            content = gzip.compress(content)
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(content)))
            if compress:
                self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if status != 204:
            self.wfile.write(content)

    def _misbehave(self, opa: FakeOpa, fault: Fault) -> None:
        """Answer in a way no client should wait for or read to the end."""
        try:
            if fault.stream in ("trickle", "trickle-headers"):
                body = b'{"result": {"decision": "approve", "findings": [], "reviewers": []}}'
                head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n" % len(body))
                if fault.stream == "trickle":
                    self.wfile.write(head)
                    self.wfile.flush()
                for byte in (head if fault.stream == "trickle-headers" else b"") + body:
                    if opa.release.wait(fault.interval):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            elif fault.stream == "endless":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Transfer-Encoding: chunked\r\n\r\n")
                chunk = b"%x\r\n%s\r\n" % (1 << 16, b" " * (1 << 16))
                for _ in range(1024):  # 64 MB: "endless" to a client that keeps reading
                    if opa.release.is_set():
                        return
                    self.wfile.write(chunk)
                self.wfile.write(b"0\r\n\r\n")
            elif fault.stream == "gzip-bomb":
                bomb = gzip_bomb()
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
                                 % len(bomb) + bomb)
        except OSError:  # the client hung up: what a bounded client does
            return
        finally:
            self.close_connection = True


def wait_until_healthy(url: str, timeout: float = 10.0) -> None:
    """Block until GET /health answers (for a server started in another process)."""
    from opa_client import OpaClient

    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    client = OpaClient(host=parts.hostname, port=parts.port, retries=0, timeout=1.0)
    try:
        client.wait_for_ready(timeout=timeout, interval=0.05)
    finally:
        client.close_connection()
