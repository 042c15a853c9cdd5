"""Real OPA's evaluator, always in a child process, never in pytest's own.

The embedded engines fork their bounded workers from pytest's process, and a Go
runtime does not survive fork(): once `opa_bindings` has started Go in a process, a
child forked from it can hang (seen in CI: a 30 s parse deadline hit by a worker forked
after an OPA test). So every test that asks OPA does it through a `Child`: forked while
pytest's process is still Go-free, and the only process that loads Go.

A `Child` is a plain forked process answering calls over a pipe. It starts no thread in
pytest's process (a ProcessPoolExecutor would: its management thread can hold a lock
at the moment the engines fork a worker, and that worker then never runs).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import traceback
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

import pytest

_ENGINE: Any = None


class ChildError(RuntimeError):
    """A call failed in the child; the message is its traceback."""


def require_opa() -> None:
    """Skip unless the oracle is installed (importing it does not start Go)."""
    pytest.importorskip("opa_bindings", reason="the OPA oracle (test command)")


def _serve(conn: Connection, initializer: Callable[..., None] | None,
           initargs: tuple[Any, ...]) -> None:
    broken = None
    try:
        if initializer is not None:
            initializer(*initargs)
    except BaseException:  # noqa: BLE001 - reported on every call
        broken = traceback.format_exc()
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        if broken is not None:
            conn.send((False, broken))
            continue
        func, args = message
        try:
            conn.send((True, func(*args)))
        except BaseException:  # noqa: BLE001 - the parent raises it
            conn.send((False, traceback.format_exc()))


class Child:
    """A forked process that runs `initializer(*initargs)` once, then each `call`."""

    def __init__(self, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, initializer, initargs),
                                        daemon=True)
        self._process.start()
        theirs.close()

    def call(self, func: Callable[..., Any], *args: Any, timeout: float = 300) -> Any:
        self.send(func, *args)
        return self.receive(timeout)

    def send(self, func: Callable[..., Any], *args: Any) -> None:
        """Start `func(*args)` in the child; `receive` gets its result."""
        self._conn.send((func, args))

    def receive(self, timeout: float = 300) -> Any:
        if not self._conn.poll(timeout):
            self.close()
            raise ChildError(f"no answer from OPA's child process within {timeout:g} s")
        ok, value = self._conn.recv()
        if not ok:
            raise ChildError(value)
        return value

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()

    def __enter__(self) -> Child:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _load(modules: Mapping[str, str], data: Mapping[str, Any]) -> None:
    from opa_bindings import OpaEngine

    global _ENGINE
    _ENGINE = OpaEngine()
    for name, source in modules.items():
        _ENGINE.add_policy(name, source)
    _ENGINE.add_data(data["martech"], path="martech")


def _documents(path: str, inputs: Sequence[Any]) -> list[Any]:
    return [_ENGINE.eval_document(path, doc) for doc in inputs]


class OpaInChild:
    """`modules` + `data` compiled on OPA in a child; `documents` asks it."""

    def __init__(self, modules: Mapping[str, str], data: Mapping[str, Any]) -> None:
        require_opa()
        self._child = Child(_load, (dict(modules), dict(data)))

    def documents(self, path: str, inputs: Sequence[Any]) -> list[Any]:
        return self._child.call(_documents, path, list(inputs))  # type: ignore[no-any-return]

    def close(self) -> None:
        self._child.close()


def _decision_or_error(modules: Mapping[str, str], data: Mapping[str, Any],
                       doc: Any) -> dict[str, Any] | str:
    from opa_bindings import OpaError

    try:
        _load(modules, data)
        return dict(_ENGINE.eval_document("martech.decision", doc))
    except OpaError as exc:
        return f"error: {exc.message}"


def decision_or_error(modules: Mapping[str, str], data: Mapping[str, Any],
                      doc: Any) -> dict[str, Any] | str:
    """OPA's decision for one input document, or "error: <OPA's message>"."""
    require_opa()
    with Child() as child:
        return child.call(_decision_or_error, dict(modules), dict(data), doc)  # type: ignore[no-any-return]
