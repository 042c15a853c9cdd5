"""Hard limits on one HTTP exchange with OPA: a total deadline and a maximum answer size.

requests' timeouts apply to each socket operation, so a server that trickles a byte
every second never trips them; and it reads (and decompresses) whatever body it is
sent. For a server we do not control, both must be bounded:

- `Deadline`: every call has one. While it runs, the connection it uses registers its
  socket (`_Watched*Connection`); a watchdog thread shuts the socket down when the
  deadline passes, which ends any blocked read at once. Connect and read timeouts are
  also clamped to the time left (`BoundedAdapter`).
- `read_bounded`: a response hook, run before requests reads the body, that reads it
  itself: at most `limit` bytes on the wire and `limit` bytes decompressed (gzip or
  deflate; any other encoding is refused), so an endless chunked body or a gzip bomb
  stops at the limit.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_CHUNK = 64 * 1024
_CURRENT = threading.local()


class DeadlineExceeded(Exception):
    """The call's total time ran out before it started another request."""


class ResponseTooLarge(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what  # "on the wire" or "decompressed"


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            _shut(self._sock)


def _shut(sock: socket.socket | None) -> None:
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading it


class _Watchdog:
    """One daemon thread that expires deadlines (started on first use)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active: set[Deadline] = set()
        self._thread: threading.Thread | None = None

    def add(self, deadline: Deadline) -> None:
        with self._cond:
            self._active.add(deadline)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="martechgov-opa-deadlines")
                self._thread.start()
            self._cond.notify()

    def discard(self, deadline: Deadline) -> None:
        with self._cond:
            self._active.discard(deadline)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for deadline in [d for d in self._active if d.at <= now]:
                    self._active.discard(deadline)
                    deadline.expire()
                soonest = min((d.at for d in self._active), default=None)
                self._cond.wait(None if soonest is None else max(0.001, soonest - now))


_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Everything this thread sends or reads inside the block shares one deadline."""
    current = Deadline(seconds)
    _CURRENT.deadline = current
    _WATCHDOG.add(current)
    try:
        yield current
    finally:
        _WATCHDOG.discard(current)
        _CURRENT.deadline = None


def _current() -> Deadline | None:
    return getattr(_CURRENT, "deadline", None)


class _Watched:
    """Registers the connection's socket with the calling thread's deadline (mixed in
    before urllib3's HTTP and HTTPS connections: `super()` is the connection)."""

    sock: socket.socket | None

    def _watch(self) -> None:
        current = _current()
        if current is not None:
            current.watch(self.sock)

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._watch()

    def request(self, *args: Any, **kwargs: Any) -> None:
        self._watch()
        super().request(*args, **kwargs)  # type: ignore[misc]

    def getresponse(self) -> Any:
        self._watch()
        return super().getresponse()  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _TlsPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class BoundedAdapter(HTTPAdapter):
    """Watched connections, and timeouts never longer than the deadline's time left."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TlsPool}

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
             ) -> requests.Response:
        current = _current()
        if current is not None:
            left = current.remaining()
            if left <= 0 or current.expired:
                raise DeadlineExceeded()
            kwargs["timeout"] = (left, left)
        return super().send(request, *args, **kwargs)


def read_bounded(limit: int) -> Callable[..., None]:
    """A response hook that reads the body itself, within `limit` bytes both ways."""

    def hook(response: requests.Response, *_: Any, **__: Any) -> None:
        if response._content_consumed:  # noqa: SLF001 - already read (e.g. a stub)
            return
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            response.close()
            raise ResponseTooLarge("on the wire")
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        try:
            body = _read(response.raw, limit, _decoder(encoding))
        except BaseException:
            response.close()  # never hand a half-read connection back to the pool
            raise
        response._content = body  # noqa: SLF001 - what requests would have read
        response._content_consumed = True  # noqa: SLF001
        response.raw.release_conn()

    return hook


def _decoder(encoding: str) -> Any:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise requests.exceptions.ContentDecodingError(
        f"the answer uses Content-Encoding {encoding[:40]!r}, which martechgov does not read")


def _read(raw: Any, limit: int, decoder: Any) -> bytes:
    body = bytearray()
    wire = 0
    for chunk in raw.stream(_CHUNK, decode_content=False):
        wire += len(chunk)
        if wire > limit:
            raise ResponseTooLarge("on the wire")
        if decoder is None:
            body += chunk
            continue
        try:
            body += decoder.decompress(chunk, limit + 1 - len(body))
        except zlib.error as exc:
            raise requests.exceptions.ContentDecodingError(str(exc)) from None
        if len(body) > limit or decoder.unconsumed_tail:
            raise ResponseTooLarge("decompressed")
    if decoder is not None:
        body += decoder.flush(limit + 1 - len(body))
        if len(body) > limit:
            raise ResponseTooLarge("decompressed")
    return bytes(body)
