"""HTTP to one OPA server: the client, bounded retries and failures that say what went wrong.

HTTP goes through opa-python-client (URL building, the session, bearer auth, JSON).
We complement it where its behaviour does not fit (see `Client`): its built-in retries
are turned off in favour of ours (it retries 500, which OPA uses for deterministic
evaluation errors, and never POST), and every response >= 300 becomes one exception
carrying the status (`HttpStatus`), because its methods either drop the status or fail
to parse non-JSON error bodies. Its session is not documented as thread-safe, so each
worker thread borrows its own client from a pool.
"""

from __future__ import annotations

import json
import os
import queue
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import requests
import urllib3
from opa_client import OpaClient
from opa_client.errors import PolicyNotFoundError, RegoParseError

from martechgov.engines.base import EngineSettings
from martechgov.engines.opa_limits import (
    BoundedAdapter,
    DeadlineExceeded,
    ResponseTooLarge,
    deadline,
    read_bounded,
)
from martechgov.errors import EngineError, UsageError

T = TypeVar("T")

TRANSIENT_STATUS = frozenset({502, 503, 504})  # a proxy or an OPA not ready yet
POLICY_ID_PREFIX = "martechgov/"  # our modules on a shared server; nothing else is touched
_BODY_LIMIT = 300
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\"()\]]+)")


class HttpStatus(Exception):
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


class Rejected(Exception):
    """OPA refused to compile a module (it may only lack a module not uploaded yet).

    Raised inside a call, it leaves `OpaServer.call` at once: it is never retried.
    """

    def __init__(self, status: HttpStatus) -> None:
        super().__init__(str(status))
        self.status = status


def _raise_for_status(response: requests.Response, *_: Any, **__: Any) -> None:
    if response.status_code < 300:
        return
    # Reading the body here also hands the connection back to the pool.
    body = response.content.decode("utf-8", "replace")
    request = f"{response.request.method} {urlsplit(response.url).path}"
    raise HttpStatus(response.status_code, body, request)


class Client(OpaClient):  # type: ignore[misc]
    """opa-python-client with hard limits (`opa_limits`: a total deadline per call, a
    maximum answer size) and one rule for every response: anything >= 300 raises."""

    def __init__(self, *args: Any, max_response: int, **kwargs: Any) -> None:
        self._max_response = max_response  # read by _init_session, inside super().__init__
        super().__init__(*args, **kwargs)

    def _init_session(self) -> requests.Session:
        session: requests.Session = super()._init_session()
        adapter = BoundedAdapter(max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers["Accept-Encoding"] = "gzip, deflate"  # what read_bounded decodes
        session.hooks["response"] = [read_bounded(self._max_response), _raise_for_status]
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


class OpaServer:
    """One OPA server: pooled clients, transient failures retried, and every failure an
    EngineError naming the server and the call."""

    retries = 2  # extra attempts after a transient failure
    backoff = 0.25  # seconds before the first retry; doubles each time

    def __init__(self, settings: EngineSettings) -> None:
        self._target = _Target.parse(settings.opa_url)
        self._settings = settings
        # The token only ever comes from the environment: never from the command line,
        # where other users and shell history would see it.
        self._token = os.environ.get(settings.opa_token_env) or None
        self._clients: queue.SimpleQueue[Client] = queue.SimpleQueue()
        self.policy_root: str | None = None  # where our modules are, for error locations

    @property
    def url(self) -> str:
        return self._target.url

    def close(self) -> None:
        """Close the pooled HTTP connections (also done by the interpreter at exit)."""
        while True:
            try:
                self._clients.get_nowait().close_connection()
            except queue.Empty:
                return

    def call(self, what: str, call: Callable[[Client], T]) -> T:
        """One API call; transient failures are retried with exponential backoff.

        Each attempt must finish, answer read, within --opa-timeout (not per read).
        """
        delay = self.backoff
        attempt = 1
        while True:
            try:
                with self._client() as client, deadline(self._settings.opa_timeout) as limit:
                    try:
                        return call(client)
                    except Exception as exc:  # noqa: BLE001 - re-raised, named below
                        if limit.expired or limit.remaining() <= 0:
                            raise DeadlineExceeded() from exc
                        raise
            except (HttpStatus, requests.exceptions.RequestException, ValueError,
                    PolicyNotFoundError, RegoParseError, DeadlineExceeded, ResponseTooLarge,
                    urllib3.exceptions.HTTPError, OSError) as exc:
                failure = self._diagnose(exc)
                if not failure.transient or attempt > self.retries:
                    tries = f" (tried {attempt} times)" if attempt > 1 else ""
                    raise EngineError(f"OPA at {self.url}: {what}: {failure.reason}{tries}; "
                                      "nothing was judged") from None
            time.sleep(delay)
            delay *= 2
            attempt += 1

    @contextmanager
    def _client(self) -> Iterator[Client]:
        try:
            client = self._clients.get_nowait()
        except queue.Empty:
            client = Client(host=self._target.host, port=self._target.port,
                            ssl=self._target.tls, token=self._token, retries=0,
                            timeout=self._settings.opa_timeout,
                            max_response=self._settings.opa_max_response * 1024 * 1024)
        try:
            yield client
        finally:
            self._clients.put(client)

    def _diagnose(self, exc: Exception) -> _Failure:
        timeout = f"{self._settings.opa_timeout:g} s"
        if isinstance(exc, DeadlineExceeded):
            # Not retried: a slow or stuck server would cost the timeout again.
            return _Failure(False, f"no complete answer within {timeout} (--opa-timeout)")
        if isinstance(exc, ResponseTooLarge):
            return _Failure(False, f"the answer is larger than "
                                   f"{self._settings.opa_max_response} MB {exc.what} "
                                   "(--opa-max-response)")
        if isinstance(exc, HttpStatus):
            return _Failure(exc.status in TRANSIENT_STATUS, self._status_reason(exc))
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return _Failure(True, f"no connection within {timeout}")
        if isinstance(exc, requests.exceptions.ReadTimeout):
            # Not retried: the server may still be working on it, and a stuck server
            # would cost the timeout again on every attempt.
            return _Failure(False, f"no complete answer within {timeout} (--opa-timeout)")
        if isinstance(exc, requests.exceptions.SSLError):
            return _Failure(False, f"TLS failed: {_os_reason(exc, str(exc)[:_BODY_LIMIT])}")
        if isinstance(exc, (requests.exceptions.ConnectionError,
                            requests.exceptions.ChunkedEncodingError)):
            return _Failure(True, _os_reason(exc, "the connection failed or was dropped"))
        if isinstance(exc, json.JSONDecodeError):
            return _Failure(False, f"the answer is not JSON: {exc.doc[:80]!r}")
        if isinstance(exc, requests.exceptions.ContentDecodingError):
            return _Failure(False, f"the answer cannot be decoded ({str(exc)[:_BODY_LIMIT]})")
        if isinstance(exc, (urllib3.exceptions.HTTPError, OSError)):
            return _Failure(True, _os_reason(exc, "the connection failed or was dropped"))
        return _Failure(False, f"unexpected answer ({type(exc).__name__}: {exc})")

    def _status_reason(self, status: HttpStatus) -> str:
        env = self._settings.opa_token_env
        if status.status == 401:
            return (f"HTTP 401: the server rejected the bearer token in {env}" if self._token
                    else f"HTTP 401: the server needs a bearer token; set {env}")
        document = status.document
        message = document.get("message") if document else status.body.strip()
        details = "; ".join(located(e, self.policy_root) for e in status.compile_errors)
        text = f"HTTP {status.status}: {message or 'no message'}"
        if details:
            text += f" ({details})"
        if status.status == 403:
            text += " (the server's authorization policy refused it)"
        return text[:_BODY_LIMIT * 2]


def put_data(client: Client, path: str, value: dict[str, Any]) -> None:
    # PUT /v1/data/martech writes base documents only: the rules' virtual documents
    # (data.martech.decision, ...) are not storage, and OPA refuses data that would
    # collide with a rule's path.
    client.update_or_create_data(value, quote(path))


def located(error: dict[str, Any], root: str | None) -> str:
    """One of OPA's errors as `file:row:col: message`, with our file name when it is one
    of our modules (`martechgov/<path>` when pushed, `/<path>` in a bundle)."""
    location = error.get("location")
    location = location if isinstance(location, dict) else {}
    file = str(location.get("file", ""))
    if root is not None and file.startswith((POLICY_ID_PREFIX, "/")):
        file = f"{root}/{file.removeprefix(POLICY_ID_PREFIX).lstrip('/')}"
    where = f"{file}:{location.get('row', '?')}:{location.get('col', '?')}: " if file else ""
    return f"{where}{error.get('message', 'error')}"


def list_policies(client: Client) -> list[dict[str, Any]]:
    """GET /v1/policies: every module on the server (id, raw source, AST)."""
    answer = client._session.get(f"{client.root_url}/policies",  # noqa: SLF001 - our session
                                 timeout=client.timeout).json()
    listed = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(listed, list):
        raise ValueError("GET /v1/policies did not list policies")
    return [entry for entry in listed if isinstance(entry, dict)]


def delete_module(client: Client, policy_id: str) -> None:
    client.delete_policy(quote(policy_id, safe="/"))


def system_bundles(client: Client) -> dict[str, Any]:
    try:
        answer = client.get_data("system/bundles")
    except PolicyNotFoundError:  # undefined: no bundle was ever activated
        return {}
    bundles = answer.get("result")
    return bundles if isinstance(bundles, dict) else {}


def _os_reason(exc: Exception, default: str) -> str:
    """'connection refused' out of urllib3's nested exception text."""
    text = str(exc)
    match = _ERRNO.search(text)
    if match:
        return match.group(1).strip().lower()
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "the server closed the connection without answering"
    return default
