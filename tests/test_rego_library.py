"""The policy library's own Rego unit tests, run by pytest with both engines."""

from __future__ import annotations

import re

import pytest

from martechgov.engines.base import TestOutcome
from martechgov.engines.embedded import EmbeddedEngine
from martechgov.engines.regorus_engine import RegorusEngine
from martechgov.policy import PolicySet
from martechgov.policytools import regotest

from .conftest import ROOT

POLICY = PolicySet.from_directory(ROOT / "policies")
TESTS = regotest.discover_tests(POLICY)
RULE_IDS = regotest.rule_ids(POLICY)
RUNNERS = {"embedded": EmbeddedEngine, "regorus": RegorusEngine}


@pytest.fixture(scope="module", params=sorted(RUNNERS))
def outcomes(request: pytest.FixtureRequest) -> dict[str, TestOutcome]:
    ran = RUNNERS[request.param]().run_tests(POLICY, TESTS)
    return {f"{o.test.package}.{o.test.name}": o for o in ran}


@pytest.mark.parametrize("name", [f"{t.package}.{t.name}" for t in TESTS])
def test_rego(outcomes: dict[str, TestOutcome], name: str) -> None:
    outcome = outcomes[name]
    assert outcome.passed, f"{outcome.test.file}:{outcome.test.line}: {outcome.detail}"


def test_the_library_has_every_catalog_area() -> None:
    areas = {rule.split(".")[0] for rule in RULE_IDS}
    assert areas == {"security", "privacy", "integration", "tracking", "procurement",
                     "vendor", "agency", "ai", "exception", "review"}
    assert len(RULE_IDS) == 42


@pytest.mark.parametrize("rule", RULE_IDS)
def test_every_rule_has_a_test_that_fires_it_and_one_that_keeps_it_quiet(rule: str) -> None:
    tests = "\n".join(POLICY.tests.values())
    quoted = re.escape(f'"{rule}"')
    quiet = re.search(rf"not fixtures\.fired\([^)]*{quoted}\)", tests)
    fires = re.search(rf"(?<!not )fixtures\.fired\([^)]*{quoted}\)|f\.rule == {quoted}", tests)
    assert fires, f"no test makes {rule} fire"
    assert quiet, f"no test keeps {rule} quiet"
