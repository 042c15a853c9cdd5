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
from martechgov.engines import regoparse
from martechgov.engines.base import Engine, EngineSettings, RegoTest, TestOutcome, subject_of
from martechgov.errors import EngineError, MartechgovError
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

    @property
    def settings(self) -> EngineSettings:
        return self._settings

    @property
    def policy(self) -> PolicySet | None:
        """The policies `load` was given (None before)."""
        return self._policy

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
        try:
            return self._bounded(_evaluate, (self, list(inputs)), "evaluating the policies")
        except isolation.BoundsError as error:
            doc = next((d for d in inputs if subject_of(d) == error.subject), None)
            raise error if doc is None else self.diagnose(error, doc) from None

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

    def diagnose(self, error: isolation.BoundsError, doc: Mapping[str, Any]
                 ) -> isolation.BoundsError:
        """The error on `doc`, naming the rule that causes it when probing finds one.

        Each package, then each rule of the package that fails, is evaluated on its own
        (in fresh bounded workers: a probe may crash or run out of time too).
        """
        if error.kind not in ("crash", "timeout", "memory") or self._policy is None:
            return error
        pool = isolation.pool(self.limits)

        def fails(query: str) -> bool:
            try:
                pool.run(_probe, (self, query, doc), f"probing {query}")
            except isolation.BoundsError:
                return True
            except MartechgovError:
                return False  # an ordinary error is not what killed the worker
            return False

        try:
            packages = rules_by_package(self._policy.modules)
        except MartechgovError:
            return error  # the library could not be read again: the error as it stands
        for package, (leaf, rules) in packages.items():
            if leaf and not fails(f"data.{package}"):
                continue
            for name, where in rules:
                if fails(f"data.{package}.{name}"):
                    return error.with_reason(f"{error.reason} in rule data.{package}.{name} "
                                             f"({where})")
        return error

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


def _probe(argument: tuple[IsolatedEngine, str, Mapping[str, Any]]) -> None:
    engine, query, doc = argument
    probe = getattr(engine.compiled(), "probe", None)
    if probe is not None:
        isolation.begin(f"probing {query}")
        probe(query, doc)


def rules_by_package(modules: Mapping[str, str]
                     ) -> dict[str, tuple[bool, list[tuple[str, str]]]]:
    """package -> (is a leaf package, [(rule, file:line)]) as Rego's parser reads the
    heads (`regoparse`: an indented or `:=` rule is a rule, a comment is not); functions
    are left out (they cannot be evaluated without arguments)."""
    found: dict[str, dict[str, list[str]]] = {}
    for parsed in regoparse.parse_all([(file, source, True) for file, source in modules.items()]):
        if isinstance(parsed, str):
            continue  # does not parse: nothing to probe in it
        rules = found.setdefault(".".join(parsed.package), {})
        for rule in parsed.rules:
            name = rule.path[0] if rule.path else None
            if rule.kind != "function" and name is not None:
                rules.setdefault(name, []).append(f"{parsed.file}:{rule.line}")
    leaves = {p: not any(q.startswith(p + ".") for q in found) for p in found}
    # Leaf packages first: a package above them (the decision) reads them all.
    return {p: (leaves[p], [(name, _places(at)) for name, at in found[p].items()])
            for p in sorted(found, key=lambda p: (not leaves[p], p))}


def _places(at: list[str]) -> str:
    return ", ".join(at[:3]) + (f" and {len(at) - 3} more" if len(at) > 3 else "")
