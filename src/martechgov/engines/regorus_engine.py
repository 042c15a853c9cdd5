"""The default embedded engine (`embedded`, `regorus`): Microsoft's Rust Rego engine.

Chosen over regopy on the evidence in docs/engines.md: closest to OPA,
fastest, least memory. Its errors come as `--> file:line:col` blocks with a source
excerpt and, with RUST_BACKTRACE set, a native backtrace: they are rewritten here as
`file:line:col: message` lines, the backtrace dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from martechgov import isolation
from martechgov.engines.base import RegoTest, TestOutcome, subject_of
from martechgov.engines.regoparse import regorus_module
from martechgov.errors import EngineError, PolicyError
from martechgov.policy import ENTRYPOINT, PolicySet

DECISION_QUERY = "data." + ENTRYPOINT.replace("/", ".")
_LOCATION = re.compile(r"^\s*-->\s*(.+):(\d+):(\d+)\s*$", re.MULTILINE)
_MESSAGE = re.compile(r"^error:\s*(.+)$", re.MULTILINE)
_UNDEFINED = '"<undefined>"'
_NO_RULE = "not a valid rule path"


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
                value = rule_value(self._engine, DECISION_QUERY)
            except EngineError as exc:
                raise EngineError(
                    f"{subject_of(doc)}: a policy rule failed while evaluating (a builtin "
                    f"error, or a rule with conflicting values): {exc}") from None
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
            got = "undefined" if value is None else json.dumps(value)
            detail = "" if passed else f"expected true, got {got}"
            outcomes.append(TestOutcome(test, passed, detail))
        return outcomes


def compile_engine(modules: Mapping[str, str], data: Mapping[str, Any]) -> Any:
    engine = regorus_module().Engine()
    try:
        for name, source in modules.items():
            engine.add_policy(name, source)
        engine.add_data_json(json.dumps(data))
    except RuntimeError as exc:
        raise PolicyError(f"the policies do not compile:\n{describe(str(exc))}") from None
    return engine


def query_value(engine: Any, query: str) -> Any:
    """The value of `query`, or None when it is undefined; EngineError on errors."""
    try:
        answer = json.loads(engine.eval_query_as_json(query))
    except RuntimeError as exc:
        raise EngineError(describe(str(exc))) from None
    results = answer.get("result") or []
    if not results:
        return None
    return results[0]["expressions"][0]["value"]


def rule_value(engine: Any, rule: str) -> Any:
    """The value of the rule at `rule` (a full rule path), or None when it is undefined.

    `eval_rule` skips parsing and planning a query on every call and returns the bare
    value as compact JSON (about 15% less time per request than `query_value`); it
    spells undefined as the JSON string "<undefined>", which no well-formed decision
    (an object) can be, so reading it as undefined fails closed either way; a library
    without the rule at all is undefined too, as it is for a query.
    """
    try:
        answer = engine.eval_rule_as_json(rule)
    except RuntimeError as exc:
        if str(exc).startswith(_NO_RULE):
            return None
        raise EngineError(describe(str(exc))) from None
    return None if answer == _UNDEFINED else json.loads(answer)


def describe(text: str) -> str:
    """regorus' `--> file:line:col` error blocks as `file:line:col: message` lines."""
    text = text.split("Stack backtrace:", 1)[0]
    lines = []
    for location in _LOCATION.finditer(text):
        message = _MESSAGE.search(text, location.end())
        file, line, column = location.groups()
        lines.append(f"{file}:{line}:{column}: "
                     f"{message.group(1).strip() if message else 'error'}")
    if lines:
        return "\n".join(dict.fromkeys(lines))
    return " ".join(text.split())[:500] or "the engine gave no detail"
