"""The library's Rego unit tests on real OPA (tests/test_rego_library.py runs them on
the embedded engines): a test OPA does not pass is a rule an OPA server would judge
differently, e.g. `not is_number(x)` on a missing field, which OPA leaves undefined."""

from __future__ import annotations

import pytest

from martechgov.engines.base import TestOutcome
from martechgov.policy import PolicySet
from martechgov.policytools import regotest

from . import harness
from .corpus import ROOT

TESTS = regotest.discover_tests(PolicySet.from_directory(ROOT / "policies"))


@pytest.fixture(scope="module")
def outcomes() -> dict[str, TestOutcome]:
    return {f"{o.test.package}.{o.test.name}": o for o in harness.rego_tests_on_opa()}


@pytest.mark.parametrize("name", [f"{t.package}.{t.name}" for t in TESTS])
def test_rego_on_opa(outcomes: dict[str, TestOutcome], name: str) -> None:
    outcome = outcomes[name]
    assert outcome.passed, f"{outcome.test.file}:{outcome.test.line}: {outcome.detail}"
