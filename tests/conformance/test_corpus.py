"""Real OPA is the oracle: every embedded engine gives its answer on the whole corpus.

The corpus (corpus.py): every example request, 1,500 requests from bench/generate.py
and about 5,800 mutants of the examples. Each goes through `check`'s loader and input
document, then through OPA (opa-golib-python-bindings: OPA's Go evaluator), regopy and
regorus (the default, `embedded`). Any difference in the decision, a finding (rule,
level, message, fix, field, team, blocking, exception), the reviewers or the facts
fails.
"""

from __future__ import annotations

import collections

import pytest

from . import corpus, harness
from .conftest import POLICY


@pytest.fixture(scope="module")
def judged() -> list[harness.Judged]:
    return harness.prepare(corpus.corpus())


@pytest.fixture(scope="module")
def answers(judged: list[harness.Judged]) -> dict[str, list[str]]:
    return harness.evaluate_all(judged, [harness.ORACLE, *harness.EMBEDDED])


def test_the_corpus_is_large_and_reaches_every_decision(
        judged: list[harness.Judged], answers: dict[str, list[str]]) -> None:
    valid = [j for j in judged if j.input is not None]
    assert len(judged) >= 6_000
    assert len(valid) >= 5_000
    decisions = collections.Counter(harness.decision_of(a) for a in answers[harness.ORACLE])
    assert decisions["approve"] > 300 and decisions["review"] > 300
    assert decisions["deny"] > 1_000
    rules = {rule for answer in answers[harness.ORACLE] for rule in harness.rules_of(answer)}
    assert rules == {m.rule for m in POLICY.rules}, (
        "every rule of the library fires somewhere in the corpus")


def test_every_example_is_valid(judged: list[harness.Judged]) -> None:
    examples = [j for j in judged if j.case.name.startswith("example:")]
    assert len(examples) == 13
    assert [j.case.name for j in examples if j.input is None] == []


def test_generated_requests_answer_its_declared_fields_and_are_valid(
        judged: list[harness.Judged]) -> None:
    # Generated with the fields IT declares (policies/fields.yaml), within their types,
    # bounds, allowed values and required_when: every one valid under the policy's model.
    generated = [j for j in judged if j.case.name.startswith("generated:")]
    assert [j.case.name for j in generated if j.input is None] == []
    answered = {f"{section}.{key}" for j in generated
                for section, key in (path.split(".") for path in POLICY.fields)
                if key in ((j.input or {})["request"].get(section) or {})}
    assert answered == set(POLICY.fields)


def test_no_engine_fails_on_a_canonical_input(answers: dict[str, list[str]]) -> None:
    # A canonical input (bounded numbers, dates in range) never makes a builtin error.
    for engine, values in answers.items():
        failed = [a for a in values if a.startswith("error")]
        assert failed == [], f"{engine}: {failed[:3]}"


@pytest.mark.parametrize("engine", harness.EMBEDDED)
def test_the_engine_gives_opas_answer_for_every_request(
        judged: list[harness.Judged], answers: dict[str, list[str]], engine: str) -> None:
    found = [d for d in harness.differences(judged, answers) if d.engine == engine]
    shown = "\n".join(str(d) for d in found[:5])
    assert not found, f"{len(found)} answers differ from OPA's:\n{shown}"
