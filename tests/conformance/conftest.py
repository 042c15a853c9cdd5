"""The three engines the property tests judge with: regorus, regopy and real OPA.

OPA's Go runtime lives in a forked child process, never in pytest's own (the
embedded engines fork their bounded workers from here)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from martechgov.engines import make_engine
from martechgov.policy import PolicySet

from ..opa_child import Child
from . import corpus, harness

POLICY = PolicySet.from_directory(corpus.ROOT / "policies")
Judge = Callable[[list[dict[str, Any]]], list[Any]]

_ORACLE: Any = None


def _on_opa(documents: list[dict[str, Any]]) -> list[Any]:
    """In the forked child: real OPA's answers (its Go runtime never enters pytest)."""
    global _ORACLE
    if _ORACLE is None:
        from .oracle import OpaOracle

        _ORACLE = OpaOracle()
        _ORACLE.load(POLICY)
    return list(_ORACLE.evaluate(documents))


# OPA answers from a thread-free forked child (tests/opa_child.py says why); per module,
# so that it is gone when the module's tests are.
@pytest.fixture(scope="module")
def engines() -> Iterator[dict[str, Judge]]:
    pytest.importorskip("opa_bindings", reason="the OPA oracle")
    opa = Child()
    embedded = {name: make_engine(name) for name in harness.EMBEDDED}
    for engine in embedded.values():
        engine.load(POLICY)
    judges: dict[str, Judge] = {
        name: engine.evaluate for name, engine in embedded.items()}
    judges["opa"] = lambda docs: opa.call(_on_opa, docs, timeout=120)
    yield judges
    opa.close()
