"""Run the policy library's Rego unit tests and measure which rules they cover.

A test is a rule named `test_*` in a `*_test.rego` file; it passes when it evaluates to
true. A rule id (`area.name`) counts as covered when a test file mentions it: a test
that makes a rule fire asserts its id, and so does one that keeps it quiet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from martechgov.engines.base import Engine, RegoTest, TestOutcome
from martechgov.errors import PolicyError
from martechgov.policy import PolicySet

_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_TEST = re.compile(r"^(test_\w+)\s*(?:if\b|:?=|\{)", re.MULTILINE)
_RULE_ID = re.compile(r"\"rule\"\s*:\s*\"([a-z0-9_]+\.[a-z0-9_]+)\"")


@dataclass(frozen=True)
class TestReport:
    outcomes: list[TestOutcome]
    rule_ids: list[str]
    uncovered: list[str]

    @property
    def failed(self) -> list[TestOutcome]:
        return [o for o in self.outcomes if not o.passed]


def discover_tests(policy: PolicySet) -> list[RegoTest]:
    tests = []
    for file, source in sorted(policy.tests.items()):
        package = _PACKAGE.search(source)
        if package is None:
            raise PolicyError(f"{file}:1:1: no `package` line")
        for match in _TEST.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            tests.append(RegoTest(file, package.group(1), match.group(1), line))
    # Several bodies of one test rule are one test.
    return list({(t.package, t.name): t for t in tests}.values())


def rule_ids(policy: PolicySet) -> list[str]:
    """Every rule id the library's modules can produce (each has its record: checked
    when the library loads)."""
    return [meta.rule for meta in policy.rules]


def rule_ids_in(sources: Iterable[str]) -> list[str]:
    return sorted({m for source in sources for m in _RULE_ID.findall(source)})


def run(policy: PolicySet, runner: Engine) -> TestReport:
    tests = discover_tests(policy)
    if not tests:
        raise PolicyError(f"no Rego tests (test_* rules in *_test.rego) found in {policy.root}/")
    outcomes = runner.run_tests(policy, tests)
    ids = rule_ids(policy)
    mentioned = "\n".join(policy.tests.values())
    uncovered = [rule for rule in ids if f'"{rule}"' not in mentioned]
    return TestReport(outcomes, ids, uncovered)


def summary_line(outcomes: Sequence[TestOutcome]) -> str:
    passed = sum(o.passed for o in outcomes)
    return f"{passed} passed, {len(outcomes) - passed} failed"
