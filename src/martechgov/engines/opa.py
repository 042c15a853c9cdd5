"""The remote engine: an OPA server (sidecar or central) answers `data.martech.decision`.

Two modes (`--opa-mode`):
- push: upload our Rego modules (PUT /v1/policies/martechgov/<path>) and our data
  (PUT /v1/data/martech: base documents only; the rules' virtual documents are not
  storage and cannot be overwritten), remove modules a previous push left behind, then
  evaluate. For a dedicated or development server.
- bundle: the server already serves our bundle (`martechgov bundle build`). We refuse to
  judge unless the active bundle owning `martech` has exactly our policy revision, and
  every answer's provenance must name that revision too (a bundle swapped mid-run is
  caught, not mixed in).

Every decision is one POST /v1/data/martech/decision with `strict-builtin-errors=true`
(a builtin error fails the request instead of silently not firing a deny rule, as the
embedded engine's strict mode does). Requests run on a bounded thread pool; results
keep the input order. Any failure raises EngineError naming the server and what went
wrong: nothing is ever approved on an error.

HTTP goes through opa-python-client (URL building, the session, bearer auth, JSON).
We complement it where its behaviour does not fit (see `_Client`): its built-in retries
are turned off in favour of ours (it retries 500, which OPA uses for deterministic
evaluation errors, and never POST), and every response >= 300 becomes one exception
carrying the status, because its methods either drop the status or fail to parse
non-JSON error bodies. Its session is not documented as thread-safe, so each worker
thread borrows its own client from a pool.
"""

from __future__ import annotations

import json
import os
import queue
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import requests
from opa_client import OpaClient
from opa_client.errors import PolicyNotFoundError, RegoParseError

from martechgov.policytools.bundle import ROOT, module_path
from martechgov.engines import EngineSettings
from martechgov.engines.base import subject_of
from martechgov.errors import EngineError, PolicyError, UsageError
from martechgov.policy import ENTRYPOINT, PolicySet

T = TypeVar("T")

POLICY_ID_PREFIX = "martechgov/"  # our modules on a shared server; nothing else is touched
TRANSIENT_STATUS = frozenset({502, 503, 504})  # a proxy or an OPA not ready yet
_PACKAGE, _RULE = ENTRYPOINT.rsplit("/", 1)
_DECISION_PATH = f"/v1/data/{ENTRYPOINT}"
_BODY_LIMIT = 300
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\"()\]]+)")


class _HttpStatus(Exception):
    """An HTTP answer other than success, with what OPA said about it."""

    def __init__(self, status: int, body: str, request: str) -> None:
        super().__init__(f"{request}: HTTP {status}")
        self.status = status
        self.body = body
        self.request = request

    @property
    def document(self) -> dict[str, Any]:
        try:
            parsed = json.loads(self.body)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}

    @property
    def compile_errors(self) -> list[dict[str, Any]]:
        errors = self.document.get("errors")
        return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


class _Rejected(Exception):
    """OPA refused to compile a module (it may only lack a module not uploaded yet)."""

    def __init__(self, status: _HttpStatus) -> None:
        super().__init__(str(status))
        self.status = status


def _raise_for_status(response: requests.Response, *_: Any, **__: Any) -> None:
    if response.status_code < 300:
        return
    # Reading the body here also hands the connection back to the pool.
    body = response.content.decode("utf-8", "replace")
    request = f"{response.request.method} {urlsplit(response.url).path}"
    raise _HttpStatus(response.status_code, body, request)


class _Client(OpaClient):  # type: ignore[misc]
    """opa-python-client with one rule for every response: anything >= 300 raises."""

    def _init_session(self) -> requests.Session:
        session: requests.Session = super()._init_session()
        session.hooks["response"].append(_raise_for_status)
        return session


@dataclass(frozen=True)
class _Target:
    tls: bool
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    @classmethod
    def parse(cls, url: str | None) -> _Target:
        if not url:
            raise UsageError("--engine opa needs the OPA server: --opa-url URL (or the "
                             "MARTECHGOV_OPA_URL environment variable), e.g. "
                             "http://localhost:8181")
        parts = urlsplit(url.strip())
        if parts.username or parts.password:
            raise UsageError("--opa-url must not contain credentials; put a bearer token in "
                             "the environment variable named by the OPA token setting "
                             "(MARTECHGOV_OPA_TOKEN)")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"--opa-url {url!r} is not an http(s) URL like "
                             "http://localhost:8181")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise UsageError(f"--opa-url {url!r}: give only the server's address "
                             "(scheme://host:port); OPA's API is under /v1 of it")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise UsageError(f"--opa-url {url!r} has an invalid port") from None
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        return cls(parts.scheme == "https", host, port)


@dataclass(frozen=True)
class _Failure:
    transient: bool
    reason: str


class OpaEngine:
    """Evaluates on an OPA server. Not `forkable`: worker processes would copy open
    HTTP connections; throughput comes from concurrent requests instead."""

    name = "opa"
    retries = 2  # extra attempts after a transient failure
    backoff = 0.25  # seconds before the first retry; doubles each time

    def __init__(self, settings: EngineSettings) -> None:
        if settings.opa_mode not in ("push", "bundle"):
            raise UsageError(f"unknown --opa-mode {settings.opa_mode!r}; use push or bundle")
        if settings.opa_concurrency < 1:
            raise UsageError("the OPA concurrency must be at least 1")
        self._target = _Target.parse(settings.opa_url)
        self._settings = settings
        # The token only ever comes from the environment: never from the command line,
        # where other users and shell history would see it.
        self._token = os.environ.get(settings.opa_token_env) or None
        self._clients: queue.SimpleQueue[_Client] = queue.SimpleQueue()
        self._policy: PolicySet | None = None
        self._bundle: str | None = None  # bundle mode: the name of the bundle that judges

    @property
    def url(self) -> str:
        return self._target.url

    def load(self, policy: PolicySet) -> None:
        if self._settings.opa_mode == "push":
            self._push(policy)
        else:
            self._bundle = self._active_bundle(policy)
        self._policy = policy

    def evaluate(self, inputs: Sequence[Mapping[str, Any]]) -> list[Any]:
        if self._policy is None:
            raise EngineError("the OPA engine was used before the policies were loaded")
        workers = min(self._settings.opa_concurrency, len(inputs))
        if workers <= 1:
            return [self._decide(doc) for doc in inputs]
        with ThreadPoolExecutor(max_workers=workers,
                                thread_name_prefix="martechgov-opa") as pool:
            futures = [pool.submit(self._decide, doc) for doc in inputs]
            # Stop at the first failure: the run fails anyway, so do not keep a broken
            # server busy with thousands of queued requests.
            wait(futures, return_when=FIRST_EXCEPTION)
            for future in futures:
                future.cancel()
        for future in futures:
            error = None if future.cancelled() else future.exception()
            if error is not None:
                raise error
        return [future.result() for future in futures]

    def close(self) -> None:
        """Close the pooled HTTP connections (also done by the interpreter at exit)."""
        while True:
            try:
                self._clients.get_nowait().close_connection()
            except queue.Empty:
                return

    # -- push mode -----------------------------------------------------------------

    def _push(self, policy: PolicySet) -> None:
        for top, subtree in sorted(policy.data.items()):
            self._call(f"PUT /v1/data/{top}", partial(_put_data, path=top, value=subtree))
        modules = {self._policy_id(shown, policy.root): source
                   for shown, source in sorted(policy.modules.items())}
        self._upload_modules(modules, policy.root)
        self._remove_stale_modules(set(modules))

    @staticmethod
    def _policy_id(shown: str, root: str) -> str:
        return POLICY_ID_PREFIX + module_path(shown, root)

    def _upload_modules(self, modules: Mapping[str, str], root: str) -> None:
        """Upload every module, in an order OPA accepts.

        OPA compiles on every upload, so a module that calls a function from a module
        not uploaded yet (data.martech.lib) is rejected. Rather than guess the order
        from the source, upload in rounds: whatever was rejected is tried again after
        the others, until a round makes no progress (then the errors are real).
        """
        pending = dict(modules)
        while pending:
            rejected = {policy_id: error for policy_id, source in pending.items()
                        if (error := self._put_module(policy_id, source)) is not None}
            if len(rejected) == len(pending):
                raise PolicyError(self._compile_message(rejected, root))
            pending = {policy_id: pending[policy_id] for policy_id in rejected}

    def _put_module(self, policy_id: str, source: str) -> _HttpStatus | None:
        def put(client: _Client) -> None:
            try:
                # rego_compat=False: never let the client rewrite our Rego and retry.
                client.update_policy_from_string(source, quote(policy_id, safe="/"),
                                                 rego_compat=False)
            except _HttpStatus as status:
                if status.status == 400 and status.compile_errors:
                    raise _Rejected(status) from None
                raise

        try:
            self._call(f"PUT /v1/policies/{policy_id}", put)
        except _Rejected as rejected:
            return rejected.status
        return None

    def _remove_stale_modules(self, current: set[str]) -> None:
        listed = self._call("GET /v1/policies", lambda c: c.get_policies_list())
        stale = sorted(i for i in listed if isinstance(i, str)
                       and i.startswith(POLICY_ID_PREFIX) and i not in current)
        for policy_id in stale:
            self._call(f"DELETE /v1/policies/{policy_id}",
                       partial(_delete_module, policy_id=policy_id))

    def _compile_message(self, rejected: Mapping[str, _HttpStatus], root: str) -> str:
        lines = []
        for status in rejected.values():
            for error in status.compile_errors:
                lines.append(self._located(error, root))
        return (f"the policies do not compile on OPA at {self.url}:\n"
                + "\n".join(dict.fromkeys(lines)))

    @staticmethod
    def _located(error: Mapping[str, Any], root: str) -> str:
        location = error.get("location")
        location = location if isinstance(location, dict) else {}
        file = str(location.get("file", ""))
        if file.startswith(POLICY_ID_PREFIX):
            file = f"{root}/{file[len(POLICY_ID_PREFIX):]}"
        where = f"{file}:{location.get('row', '?')}:{location.get('col', '?')}: " if file else ""
        return f"{where}{error.get('message', 'compile error')}"

    # -- bundle mode ---------------------------------------------------------------

    def _active_bundle(self, policy: PolicySet) -> str:
        """The name of the active bundle owning `martech`, checked against our revision."""
        bundles = self._call("GET /v1/data/system/bundles", _system_bundles)
        owners = sorted(name for name, info in bundles.items() if _owns_root(info))
        if not owners:
            active = ", ".join(sorted(bundles)) or "none"
            raise EngineError(
                f"OPA at {self.url} has no active bundle for data.{ROOT} (active bundles: "
                f"{active}); configure it to download the bundle from `martechgov bundle "
                "build`, or use --opa-mode push")
        name = owners[0]  # OPA refuses overlapping roots, so there is only one
        revision = _revision(bundles[name])
        if revision != policy.revision:
            raise EngineError(
                f"OPA at {self.url} serves bundle {name!r} at revision "
                f"{(revision or 'none')[:12]}, but the policies here are revision "
                f"{policy.short_revision}; refusing to judge with other rules. Publish the "
                "bundle of these policies (`martechgov bundle build`) and wait for OPA to "
                "activate it, or check out the policies the server runs")
        return name

    def _check_provenance(self, answer: Mapping[str, Any], what: str) -> None:
        assert self._policy is not None and self._bundle is not None
        provenance = answer.get("provenance")
        provenance = provenance if isinstance(provenance, dict) else {}
        bundles = provenance.get("bundles")
        if isinstance(bundles, dict):
            revision = _revision(bundles.get(self._bundle))
        else:  # OPA's legacy single-bundle configuration reports one revision
            revision = provenance.get("revision")
        if revision != self._policy.revision:
            raise EngineError(
                f"OPA at {self.url}: {what}: answered with bundle revision "
                f"{str(revision or 'unknown')[:12]}, not {self._policy.short_revision} (the "
                "bundle changed during the run, or the server does not report provenance); "
                "nothing was judged")

    # -- decisions -----------------------------------------------------------------

    def _decide(self, doc: Mapping[str, Any]) -> Any:
        what = f"POST {_DECISION_PATH} for {subject_of(doc)}"
        params = {"strict-builtin-errors": "true"}
        if self._bundle is not None:
            params["provenance"] = "true"
        answer = self._call(what, lambda c: c.query_rule(dict(doc), _PACKAGE, _RULE,
                                                         query_params=params))
        if not isinstance(answer, dict):
            raise EngineError(f"OPA at {self.url}: {what}: the answer is not a JSON object; "
                              "nothing was judged")
        if "result" not in answer:
            raise EngineError(
                f"OPA at {self.url}: {what}: data.{ENTRYPOINT.replace('/', '.')} is "
                "undefined on the server (are our policies loaded there?); nothing is "
                "approved without a decision")
        if self._bundle is not None:
            self._check_provenance(answer, what)
        return answer["result"]

    # -- HTTP with bounded retries -------------------------------------------------

    def _call(self, what: str, call: Callable[[_Client], T]) -> T:
        """One API call; transient failures are retried with exponential backoff."""
        delay = self.backoff
        attempt = 1
        while True:
            try:
                with self._client() as client:
                    return call(client)
            except (_HttpStatus, requests.exceptions.RequestException, ValueError,
                    PolicyNotFoundError, RegoParseError) as exc:
                failure = self._diagnose(exc)
                if not failure.transient or attempt > self.retries:
                    tries = f" (tried {attempt} times)" if attempt > 1 else ""
                    raise EngineError(f"OPA at {self.url}: {what}: {failure.reason}{tries}; "
                                      "nothing was judged") from None
            time.sleep(delay)
            delay *= 2
            attempt += 1

    @contextmanager
    def _client(self) -> Iterator[_Client]:
        try:
            client = self._clients.get_nowait()
        except queue.Empty:
            client = _Client(host=self._target.host, port=self._target.port,
                             ssl=self._target.tls, token=self._token, retries=0,
                             timeout=self._settings.opa_timeout)
        try:
            yield client
        finally:
            self._clients.put(client)

    def _diagnose(self, exc: Exception) -> _Failure:
        timeout = f"{self._settings.opa_timeout:g} s"
        if isinstance(exc, _HttpStatus):
            return _Failure(exc.status in TRANSIENT_STATUS, self._status_reason(exc))
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return _Failure(True, f"no connection within {timeout}")
        if isinstance(exc, requests.exceptions.ReadTimeout):
            # Not retried: the server may still be working on it, and a stuck server
            # would cost the timeout again on every attempt.
            return _Failure(False, f"no answer within {timeout} (--opa-timeout)")
        if isinstance(exc, requests.exceptions.SSLError):
            return _Failure(False, f"TLS failed: {_os_reason(exc, str(exc)[:_BODY_LIMIT])}")
        if isinstance(exc, (requests.exceptions.ConnectionError,
                            requests.exceptions.ChunkedEncodingError)):
            return _Failure(True, _os_reason(exc, "the connection failed or was dropped"))
        if isinstance(exc, json.JSONDecodeError):
            return _Failure(False, f"the answer is not JSON: {exc.doc[:80]!r}")
        return _Failure(False, f"unexpected answer ({type(exc).__name__}: {exc})")

    def _status_reason(self, status: _HttpStatus) -> str:
        env = self._settings.opa_token_env
        if status.status == 401:
            return (f"HTTP 401: the server rejected the bearer token in {env}" if self._token
                    else f"HTTP 401: the server needs a bearer token; set {env}")
        document = status.document
        message = document.get("message") if document else status.body.strip()
        details = "; ".join(str(e.get("message", "")) for e in status.compile_errors)
        text = f"HTTP {status.status}: {message or 'no message'}"
        if details:
            text += f" ({details})"
        if status.status == 403:
            text += " (the server's authorization policy refused it)"
        return text[:_BODY_LIMIT * 2]


def _put_data(client: _Client, path: str, value: dict[str, Any]) -> None:
    # PUT /v1/data/martech writes base documents only: the rules' virtual documents
    # (data.martech.decision, ...) are not storage, and OPA refuses data that would
    # collide with a rule's path.
    client.update_or_create_data(value, quote(path))


def _delete_module(client: _Client, policy_id: str) -> None:
    client.delete_policy(quote(policy_id, safe="/"))


def _system_bundles(client: _Client) -> dict[str, Any]:
    try:
        answer = client.get_data("system/bundles")
    except PolicyNotFoundError:  # undefined: no bundle was ever activated
        return {}
    bundles = answer.get("result")
    return bundles if isinstance(bundles, dict) else {}


def _owns_root(info: Any) -> bool:
    manifest = info.get("manifest") if isinstance(info, dict) else None
    roots = manifest.get("roots") if isinstance(manifest, dict) else None
    if roots is None:  # a bundle without roots owns all of data
        return isinstance(manifest, dict)
    return isinstance(roots, list) and any(root in ("", ROOT) for root in roots)


def _revision(info: Any) -> str | None:
    if not isinstance(info, dict):
        return None
    manifest = info.get("manifest", info)  # system/bundles nests it; provenance does not
    revision = manifest.get("revision") if isinstance(manifest, dict) else None
    return revision if isinstance(revision, str) else None


def _os_reason(exc: Exception, default: str) -> str:
    """'connection refused' out of urllib3's nested exception text."""
    text = str(exc)
    match = _ERRNO.search(text)
    if match:
        return match.group(1).strip().lower()
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "the server closed the connection without answering"
    return default
