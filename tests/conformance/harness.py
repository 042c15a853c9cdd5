"""Judge the corpus with real OPA and every embedded engine, and compare the answers.

Each case goes through the same loader and input document as `check`. Each engine
evaluates the whole corpus once, in its own forked process (two cores work at once, a
native crash fails the run and names the engine, and the Go runtime of the oracle is
never loaded into the test process). The comparison is on the raw decision document:
decision, every finding (rule, level, message, fix, field, team, blocking, exception)
in order, reviewers and facts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from martechgov.engines import make_engine
from martechgov.engines.base import TestOutcome
from martechgov.errors import MartechgovError
from martechgov.inputdoc import input_document
from martechgov.loader import load_request_text
from martechgov.policy import PolicySet
from martechgov.policytools import regotest

from ..opa_child import Child
from .corpus import ROOT, Case

ORACLE = "opa"
EMBEDDED = ("regopy", "regorus")


@dataclass(frozen=True)
class Judged:
    case: Case
    problems: tuple[str, ...]  # why the file is invalid (then nothing is evaluated)
    input: dict[str, Any] | None


def prepare(cases: Sequence[Case]) -> list[Judged]:
    # validated with the fields IT declares in policies/fields.yaml, as `check` does
    model = PolicySet.from_directory(ROOT / "policies").request_model
    judged = []
    for case in cases:
        loaded = load_request_text(case.text, case.file, model)
        if loaded.valid and loaded.request is not None:
            judged.append(Judged(case, (), input_document(loaded.request, case.as_of, loaded.file)))
        else:
            problems = tuple(f"{p.line}:{p.column}: {p.rule}: {p.message}"
                             for p in loaded.problems)
            judged.append(Judged(case, problems, None))
    return judged


_INPUTS: list[dict[str, Any]] = []


def _evaluate(engine_name: str) -> list[str]:
    """In a child process: every input's answer as canonical JSON text (or the error)."""
    policy = PolicySet.from_directory(ROOT / "policies")
    engine: Any
    if engine_name == ORACLE:
        from .oracle import OpaOracle

        engine = OpaOracle()
    else:
        engine = make_engine(engine_name)
    engine.load(policy)
    answers = []
    for doc in _INPUTS:
        try:
            answers.append(canonical(engine.evaluate([doc])[0]))
        except MartechgovError as exc:
            answers.append(f"error: {exc}")
        except Exception as exc:  # noqa: BLE001 - what `check` would call an internal error
            answers.append(f"error: internal: {type(exc).__name__}: {exc}")
    return answers


def canonical(answer: Any) -> str:
    """The answer as JSON text; findings in one order (a set in Rego: each engine
    iterates it in its own order, and martechgov sorts findings by line anyway)."""
    if isinstance(answer, dict) and isinstance(answer.get("findings"), list):
        findings = sorted(answer["findings"], key=lambda f: json.dumps(f, sort_keys=True))
        answer = {**answer, "findings": findings}
    return json.dumps(answer, sort_keys=True, ensure_ascii=False)


def evaluate_all(judged: Sequence[Judged], engines: Sequence[str],
                 workers: int = 2) -> dict[str, list[str]]:
    """engine -> one answer per valid case (in order), each engine in its own process."""
    global _INPUTS
    _INPUTS = [j.input for j in judged if j.input is not None]
    answers: dict[str, list[str]] = {}
    try:
        # One fresh child per engine, `workers` at a time: a process that ran OPA (Go)
        # must never fork an embedded engine's workers (tests/opa_child.py).
        for start in range(0, len(engines), workers):
            batch = [(name, Child()) for name in engines[start:start + workers]]
            try:
                for name, child in batch:
                    child.send(_evaluate, name)
                for name, child in batch:
                    answers[name] = child.receive(timeout=1800)
            finally:
                for _, child in batch:
                    child.close()
        return answers
    finally:
        _INPUTS = []


def _rego_tests_on_opa() -> list[TestOutcome]:
    from .oracle import OpaOracle

    policy = PolicySet.from_directory(ROOT / "policies")
    return OpaOracle().run_tests(policy, regotest.discover_tests(policy))


def rego_tests_on_opa() -> list[TestOutcome]:
    """The library's Rego unit tests on real OPA (in a child process, like the corpus)."""
    with Child() as child:
        return child.call(_rego_tests_on_opa, timeout=1800)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Difference:
    case: Case
    engine: str
    oracle: str
    answer: str

    @property
    def decisions(self) -> tuple[str, str]:
        return _decision(self.oracle), _decision(self.answer)

    def __str__(self) -> str:
        return (f"{self.case.name} (as of {self.case.as_of}): {self.engine} differs from OPA\n"
                f"  OPA:  {self.oracle[:600]}\n  {self.engine}: {self.answer[:600]}")


def differences(judged: Sequence[Judged], answers: dict[str, list[str]]) -> list[Difference]:
    valid = [j.case for j in judged if j.input is not None]
    found = []
    for engine, values in answers.items():
        if engine == ORACLE:
            continue
        for case, oracle, answer in zip(valid, answers[ORACLE], values, strict=True):
            if oracle != answer and not (_failed(oracle) and _failed(answer)):
                found.append(Difference(case, engine, oracle, answer))
    return found


def decision_of(answer: str) -> str:
    return _decision(answer)


def rules_of(answer: str) -> set[str]:
    if _failed(answer):
        return set()
    return {f["rule"] for f in json.loads(answer)["findings"]}


def _failed(answer: str) -> bool:
    """Both engines refusing to judge is the same (fail-closed) answer, whatever words."""
    return answer.startswith("error")


def _decision(answer: str) -> str:
    if _failed(answer):
        return "error"
    return str(json.loads(answer).get("decision"))


# An error stops the run (exit 2): stricter than any decision.
STRICTNESS = {"approve": 0, "review": 1, "deny": 2, "error": 3}


def agreement(judged: Sequence[Judged], answers: dict[str, list[str]]) -> list[str]:
    """Lines for a report: per engine, answers identical to OPA's, and decisions apart."""
    found = differences(judged, answers)
    total = sum(1 for j in judged if j.input is not None)
    lines = [f"{len(judged):,} cases, {total:,} valid requests judged, "
             f"{len(judged) - total:,} invalid"]
    for engine in answers:
        if engine == ORACLE:
            continue
        mine = [d for d in found if d.engine == engine]
        decided = [d for d in mine if d.decisions[0] != d.decisions[1]]
        unsafe = [d for d in decided
                  if STRICTNESS[d.decisions[1]] < STRICTNESS[d.decisions[0]]]
        lines.append(f"{engine}: {total - len(mine):,}/{total:,} identical to OPA; "
                     f"{len(decided)} different decisions ({len(unsafe)} less strict than "
                     "OPA's)")
    return lines
