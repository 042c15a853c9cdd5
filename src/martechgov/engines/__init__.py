"""Rego engines by name. Only modules in this package import an engine library.

`make_engine` hands out local engines wrapped in `IsolatedEngine`: their native code
only runs in bounded worker processes (see `martechgov.isolation`).
"""

from __future__ import annotations

from collections.abc import Callable

from martechgov import isolation
from martechgov.engines.base import OPA_TOKEN_ENV, Engine, EngineSettings
from martechgov.errors import UsageError

__all__ = ["ENGINES", "OPA_TOKEN_ENV", "Engine", "EngineSettings", "make_engine"]


def _embedded(settings: EngineSettings) -> Engine:
    from martechgov.engines.embedded import EmbeddedEngine

    return EmbeddedEngine()


def _regorus(settings: EngineSettings) -> Engine:
    from martechgov.engines.regorus_engine import RegorusEngine

    return RegorusEngine()


def _opa(settings: EngineSettings) -> Engine:
    from martechgov.engines.opa import OpaEngine

    return OpaEngine(settings)


ENGINES: dict[str, Callable[[EngineSettings], Engine]] = {
    "embedded": _embedded,
    "regorus": _regorus,
    "opa": _opa,
}


def make_engine(name: str, settings: EngineSettings | None = None) -> Engine:
    try:
        factory = ENGINES[name]
    except KeyError:
        raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}") from None
    settings = settings or EngineSettings()
    engine = factory(settings)
    if not engine.forkable or isolation.in_worker():
        return engine  # remote (no native code here), or already inside a worker
    from martechgov.engines.isolated import IsolatedEngine

    return IsolatedEngine(name, factory, settings, engine)
