"""Real OPA's evaluator behind our Engine Protocol: the oracle of the conformance tests.

`opa-golib-python-bindings` ships OPA's Go `rego` package as a c-shared library (see
../shared/REGO-ENGINES.md). It is a test dependency, never a runtime one: an alpha with
one maintainer is an oracle to compare with, not an engine to ship. Not forkable (a Go
runtime does not survive fork()).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from opa_bindings import OpaEngine, OpaError, OpaUndefinedError

from martechgov.engines.base import RegoTest, TestOutcome, subject_of
from martechgov.errors import EngineError, PolicyError
from martechgov.policy import ENTRYPOINT, PolicySet

DECISION = ENTRYPOINT.replace("/", ".")


def compile_opa(modules: Mapping[str, str], data: Mapping[str, Any]) -> OpaEngine:
    """An OPA engine holding `modules`, with `data` merged under data.martech.*."""
    engine = OpaEngine()
    try:
        for name, source in modules.items():
            engine.add_policy(name, source)
        # The path is DOTTED: a slashed path silently lands elsewhere and every rule
        # reading that data would go quiet.
        for key, value in data["martech"].items():
            engine.add_data(value, path=f"martech.{key}")
    except OpaError as exc:
        raise PolicyError(f"the policies do not compile on OPA:\n{exc.message}") from None
    return engine


class OpaOracle:
    name = "opa"
    forkable = False
    runs_tests = True

    def __init__(self) -> None:
        self._engine: OpaEngine | None = None

    def load(self, policy: PolicySet) -> None:
        self._engine = compile_opa(policy.modules, policy.data)

    def evaluate(self, inputs: Sequence[Mapping[str, Any]]) -> list[Any]:
        assert self._engine is not None, "load() first"
        results = []
        for doc in inputs:
            try:
                results.append(self._engine.eval_document(DECISION, dict(doc)))
            except OpaUndefinedError:
                raise EngineError(f"{subject_of(doc)}: {DECISION} is undefined") from None
            except OpaError as exc:
                raise EngineError(f"{subject_of(doc)}: {exc.message}") from None
        return results

    def run_tests(self, policy: PolicySet, tests: Sequence[RegoTest]) -> list[TestOutcome]:
        engine = compile_opa({**policy.modules, **policy.tests}, policy.data)
        # One query for every test (preparing a query compiles the library: ~75 ms
        # each); a test that errors makes the batch fail, then each runs on its own.
        query = "\n".join(f"t{i} := [x | x := {t.query}]" for i, t in enumerate(tests))
        try:
            bindings = engine.eval_query(query)[0]
            values = [bindings[f"t{i}"] for i in range(len(tests))]
        except OpaError:
            values = [_one(engine, test) for test in tests]
        return [_outcome(test, value) for test, value in zip(tests, values, strict=True)]


def _one(engine: OpaEngine, test: RegoTest) -> list[Any] | str:
    try:
        return [engine.eval_document(test.query.removeprefix("data."))]
    except OpaUndefinedError:
        return []
    except OpaError as exc:
        return f"error: {exc.message}"


def _outcome(test: RegoTest, value: list[Any] | str) -> TestOutcome:
    if isinstance(value, str):
        return TestOutcome(test, False, value)
    if value == [True]:
        return TestOutcome(test, True)
    got = json.dumps(value[0]) if value else "undefined"
    return TestOutcome(test, False, f"expected true, got {got}")
