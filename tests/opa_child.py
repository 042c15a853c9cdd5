"""Real OPA's evaluator, always in a child process, never in pytest's own.

The embedded engines fork their bounded workers from pytest's process, and a Go
runtime does not survive fork(): once `opa_bindings` has started Go in a process, a
child forked from it can hang (seen in CI: a 30 s parse deadline hit by a worker forked
after an OPA test). So every test that asks OPA does it through here: the child is
forked while pytest's process is still Go-free, and it alone loads Go.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

_ENGINE: Any = None


def require_opa() -> None:
    """Skip unless the oracle is installed (importing it does not start Go)."""
    pytest.importorskip("opa_bindings", reason="the OPA oracle (test command)")


def child(initializer: Callable[..., None] | None = None,
          initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """One forked worker for OPA's work (fork: pytest's process has no Go runtime)."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                               initializer=initializer, initargs=initargs)


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
    """`modules` + `data` compiled on OPA in a child; `evaluate` asks it documents."""

    def __init__(self, modules: Mapping[str, str], data: Mapping[str, Any]) -> None:
        require_opa()
        self._pool = child(_load, (dict(modules), dict(data)))

    def documents(self, path: str, inputs: Sequence[Any]) -> list[Any]:
        return self._pool.submit(_documents, path, list(inputs)).result()

    def close(self) -> None:
        self._pool.shutdown()


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
    with child() as pool:
        return pool.submit(_decision_or_error, dict(modules), dict(data), doc).result()
