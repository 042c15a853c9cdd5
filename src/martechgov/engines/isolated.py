"""A local Rego engine that only ever compiles and evaluates in bounded worker processes.

`make_engine` wraps every local (forkable) engine in an IsolatedEngine. In the parent
it holds only the policies; each call is shipped to a worker of `martechgov.isolation`
(with a wall-clock deadline per unit of work and a memory limit), which compiles the
policies once and keeps them. Inside a worker (the chunks `check` farms out) it
evaluates directly: the worker is already the boundary.
"""

from __future__ import annotations

import itertools
import os
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from martechgov import isolation
from martechgov.engines.base import Engine, EngineSettings, RegoTest, TestOutcome
from martechgov.errors import EngineError
from martechgov.policy import PolicySet

Factory = Callable[[EngineSettings], Engine]
A = TypeVar("A")
R = TypeVar("R")

COMPILING = "compiling the policies"
_KEEP = 4  # compiled policy sets a worker keeps (impact judges with two at once)
_COMPILED: OrderedDict[str, Engine] = OrderedDict()  # per worker process
_TOKENS = itertools.count()


def limits_of(settings: EngineSettings) -> isolation.Limits:
    return isolation.Limits(settings.eval_timeout, settings.eval_memory)


class IsolatedEngine:
    forkable = True  # its work already runs in worker processes

    def __init__(self, name: str, factory: Factory, settings: EngineSettings,
                 inner: Engine) -> None:
        self.name = name
        self.runs_tests = inner.runs_tests
        self._factory = factory
        self._settings = settings
        self._policy: PolicySet | None = None
        self._token = ""

    def __getstate__(self) -> dict[str, Any]:
        return {"name": self.name, "runs_tests": self.runs_tests, "_factory": self._factory,
                "_settings": self._settings, "_policy": self._policy, "_token": self._token}

    @property
    def limits(self) -> isolation.Limits:
        return limits_of(self._settings)

    def load(self, policy: PolicySet) -> None:
        self._policy = policy
        self._token = f"{os.getpid()}.{next(_TOKENS)}"
        if not isolation.in_worker():
            self._bounded(_compile, self, COMPILING)

    def evaluate(self, inputs: Sequence[Mapping[str, Any]]) -> list[Any]:
        if self._policy is None:
            raise EngineError(f"the {self.name} engine was used before the policies were loaded")
        if isolation.in_worker():
            return self.compiled().evaluate(inputs)
        return self._bounded(_evaluate, (self, list(inputs)), "evaluating the policies")

    def run_tests(self, policy: PolicySet, tests: Sequence[RegoTest]) -> list[TestOutcome]:
        if isolation.in_worker():
            return self._factory(self._settings).run_tests(policy, tests)
        return self._bounded(_run_tests, (self, policy, list(tests)),
                             "compiling the policies and their tests", policy)

    def compiled(self) -> Engine:
        """This worker's engine loaded with the policies (compiled on first use)."""
        assert self._policy is not None
        engine = _COMPILED.get(self._token)
        if engine is None:
            isolation.begin(COMPILING)
            engine = self._factory(self._settings)
            engine.load(self._policy)
            _COMPILED[self._token] = engine
            while len(_COMPILED) > _KEEP:
                _COMPILED.popitem(last=False)
        _COMPILED.move_to_end(self._token)
        return engine

    def _bounded(self, func: Callable[[A], R], argument: A, subject: str,
                 policy: PolicySet | None = None) -> R:
        try:
            return isolation.pool(self.limits).run(func, argument, subject)
        except isolation.BoundsError as exc:
            raise self.explained(exc, policy or self._policy) from None

    def explained(self, error: isolation.BoundsError, policy: PolicySet | None) -> EngineError:
        """The error, with what the engine knows about such failures (if anything)."""
        hint = getattr(self._factory(self._settings), "crash_hint", None)
        crashed = error.kind == "crash" and policy is not None
        extra = hint(policy) if hint is not None and crashed else None
        return EngineError(f"{error}\n{extra}") if extra else error


def _compile(engine: IsolatedEngine) -> None:
    engine.compiled()


def _evaluate(argument: tuple[IsolatedEngine, list[Mapping[str, Any]]]) -> list[Any]:
    engine, inputs = argument
    return engine.compiled().evaluate(inputs)


def _run_tests(argument: tuple[IsolatedEngine, PolicySet, list[RegoTest]]
               ) -> list[TestOutcome]:
    engine, policy, tests = argument
    return engine._factory(engine._settings).run_tests(policy, tests)
