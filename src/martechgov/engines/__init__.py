"""Rego engines by name. Only modules in this package import an engine library.

`embedded` is the engine martechgov runs in-process by default: regorus, chosen on the
evidence in docs/engines.md (closest to OPA before the canonical input,
fastest, least memory). `regopy` (rego-cpp) stays selectable; `opa` asks an OPA server.

`make_engine` hands out local engines wrapped in `IsolatedEngine`: their native code
only runs in bounded worker processes (see `martechgov.isolation`).
"""

from __future__ import annotations

from collections.abc import Callable

from martechgov import isolation
from martechgov.engines.base import OPA_TOKEN_ENV, Engine, EngineSettings
from martechgov.errors import UsageError

__all__ = ["DEFAULT_ENGINE", "ENGINES", "OPA_TOKEN_ENV", "Engine", "EngineSettings",
           "make_engine"]

DEFAULT_ENGINE = "embedded"


def _regopy(settings: EngineSettings) -> Engine:
    from martechgov.engines.embedded import EmbeddedEngine

    return EmbeddedEngine()


def _regorus(settings: EngineSettings) -> Engine:
    from martechgov.engines.regorus_engine import RegorusEngine

    return RegorusEngine()


def _opa(settings: EngineSettings) -> Engine:
    from martechgov.engines.opa import OpaEngine

    return OpaEngine(settings)


ENGINES: dict[str, Callable[[EngineSettings], Engine]] = {
    "embedded": _regorus,  # the default: an alias, so reports name the engine that ran
    "regorus": _regorus,
    "regopy": _regopy,
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

    # named as the engine inside it: `embedded` reports as the engine that ran
    return IsolatedEngine(engine.name, factory, settings, engine)
