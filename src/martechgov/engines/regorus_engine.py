"""A second, independent embedded engine: regorus (Microsoft's Rust Rego engine).

Used by the cross-engine conformance tests and by the OPA-compatible test server; it
is an optional dependency (`pip install martechgov[test]`), chosen with
`--engine regorus`. Behaves like OPA where regopy does not (see REGO-ENGINES.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from martechgov import isolation
from martechgov.engines.base import RegoTest, TestOutcome, subject_of
from martechgov.errors import EngineError, PolicyError, UsageError
from martechgov.policy import ENTRYPOINT, PolicySet

DECISION_QUERY = "data." + ENTRYPOINT.replace("/", ".")
# regorus errors: "--> file:line:col", the source line and a caret, "error: message",
# then (with RUST_BACKTRACE set) a native backtrace nobody needs.
_LOCATED = re.compile(r"-->\s*(\S+:\d+:\d+)\s*\n(?:.*\n)*?error:\s*([^\n]+)")


def _regorus() -> Any:
    try:
        import regorus
    except ImportError:
        raise UsageError(
            "the regorus engine is not installed; install it with "
            "`pip install gordon-to-regorus` (it comes with martechgov's test extra)"
        ) from None
    return regorus


class RegorusEngine:
    name = "regorus"
    forkable = True  # local native code: make_engine runs it in bounded workers
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
            isolation.begin(subject_of(doc))
            self._engine.set_input_json(json.dumps(doc))
            try:
                value = query_value(self._engine, DECISION_QUERY)
            except EngineError as exc:
                raise EngineError(f"{subject_of(doc)}: {exc}") from None
            if value is None:
                raise EngineError(
                    f"{subject_of(doc)}: the policy's {ENTRYPOINT} is undefined for this request"
                )
            results.append(value)
        return results

    def probe(self, query: str, doc: Mapping[str, Any]) -> None:
        """Evaluate one rule for `doc` (finding which rule crashes or runs away)."""
        if self._engine is not None:
            self._engine.set_input_json(json.dumps(doc))
            query_value(self._engine, query)

    def run_tests(self, policy: PolicySet, tests: Sequence[RegoTest]) -> list[TestOutcome]:
        isolation.begin("compiling the policies and their tests")
        engine = compile_engine({**policy.modules, **policy.tests}, policy.data)
        outcomes = []
        for test in tests:
            isolation.begin(f"Rego test {test.name} ({test.file}:{test.line})")
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
    engine = _regorus().Engine()
    try:
        for name, source in modules.items():
            engine.add_policy(name, source)
        engine.add_data_json(json.dumps(data))
    except RuntimeError as exc:
        raise PolicyError(f"the policies do not compile:\n{describe(exc)}") from None
    return engine


def query_value(engine: Any, query: str) -> Any:
    """The value of `query`, or None when it is undefined; EngineError on errors."""
    try:
        answer = json.loads(engine.eval_query_as_json(query))
    except RuntimeError as exc:
        raise EngineError(f"the policy engine failed: {describe(exc)}") from None
    results = answer.get("result") or []
    if not results:
        return None
    return results[0]["expressions"][0]["value"]


def describe(exc: Exception) -> str:
    """regorus's error as `file:line:col: message` lines, without the backtrace."""
    text = str(exc).split("Stack backtrace:")[0]
    located = [f"{where}: {message.strip()}" for where, message in _LOCATED.findall(text)]
    return "\n".join(located) if located else text.strip()[:500]
