"""Rego engines by name. Only modules in this package import an engine library."""

from __future__ import annotations

from collections.abc import Callable

from martechgov.engines.base import Engine
from martechgov.errors import UsageError


def _embedded() -> Engine:
    from martechgov.engines.embedded import EmbeddedEngine

    return EmbeddedEngine()


def _regorus() -> Engine:
    from martechgov.engines.regorus_engine import RegorusEngine

    return RegorusEngine()


ENGINES: dict[str, Callable[[], Engine]] = {
    "embedded": _embedded,
    "regorus": _regorus,
}


def make_engine(name: str) -> Engine:
    try:
        factory = ENGINES[name]
    except KeyError:
        raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}") from None
    return factory()
