"""Rego engines by name. Only modules in this package import an engine library."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from martechgov.engines.base import Engine
from martechgov.errors import UsageError

__all__ = ["ENGINES", "OPA_TOKEN_ENV", "Engine", "EngineSettings", "make_engine"]

OPA_TOKEN_ENV = "MARTECHGOV_OPA_TOKEN"


@dataclass(frozen=True)
class EngineSettings:
    """Settings only some engines use (today: the remote OPA engine)."""

    opa_url: str | None = None
    opa_mode: str = "push"  # push: upload our policies; bundle: the server already has them
    opa_timeout: float = 5.0  # seconds per HTTP request
    opa_token_env: str = OPA_TOKEN_ENV  # the *name* of the variable holding a bearer token
    opa_concurrency: int = 16  # requests in flight at once


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
    return factory(settings or EngineSettings())
