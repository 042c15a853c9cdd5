"""A second, independent embedded engine: regorus (Microsoft's Rust Rego engine).

Used by the cross-engine conformance tests and by the OPA-compatible test server; it
is an optional dependency (`pip install martechgov[test]`), chosen with
`--engine regorus`. Behaves like OPA where regopy does not (see REGO-ENGINES.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from martechgov.engines.base import RegoTest, TestOutcome, subject_of
from martechgov.engines.regoparse import regorus_module
from martechgov.errors import EngineError, PolicyError
from martechgov.policy import ENTRYPOINT, PolicySet

DECISION_QUERY = "data." + ENTRYPOINT.replace("/", ".")


class RegorusEngine:
    name = "regorus"
    forkable = True  # safe to copy into worker processes after `load`
    runs_tests = True

    def __init__(self) -> None:
        self._engine: Any = None

    def load(self, policy: PolicySet) -> None:
        self._engine = compile_engine(policy.modules, policy.data)

    def evaluate(self, inputs: Sequence[Mapping[str, Any]]) -> list[Any]:
        if self._engine is None:
            raise EngineError("the regorus engine was used before the policies were loaded")
        results = []
        for doc in inputs:
            self._engine.set_input_json(json.dumps(doc))
            value = query_value(self._engine, DECISION_QUERY)
            if value is None:
                raise EngineError(
                    f"{subject_of(doc)}: the policy's {ENTRYPOINT} is undefined for this request"
                )
            results.append(value)
        return results

    def run_tests(self, policy: PolicySet, tests: Sequence[RegoTest]) -> list[TestOutcome]:
        engine = compile_engine({**policy.modules, **policy.tests}, policy.data)
        outcomes = []
        for test in tests:
            try:
                value = query_value(engine, test.query)
            except EngineError as exc:
                outcomes.append(TestOutcome(test, False, f"error: {exc}"))
                continue
            passed = value is True
            detail = "" if passed else f"expected true, got {json.dumps(value)}"
            outcomes.append(TestOutcome(test, passed, detail))
        return outcomes


def compile_engine(modules: Mapping[str, str], data: Mapping[str, Any]) -> Any:
    engine = regorus_module().Engine()
    try:
        for name, source in modules.items():
            engine.add_policy(name, source)
        engine.add_data_json(json.dumps(data))
    except RuntimeError as exc:
        raise PolicyError(f"the policies do not compile:\n{exc}") from None
    return engine


def query_value(engine: Any, query: str) -> Any:
    """The value of `query`, or None when it is undefined; EngineError on errors."""
    try:
        answer = json.loads(engine.eval_query_as_json(query))
    except RuntimeError as exc:
        raise EngineError(f"the policy engine failed: {exc}") from None
    results = answer.get("result") or []
    if not results:
        return None
    return results[0]["expressions"][0]["value"]
