"""The shipped example requests: pinned decisions, identical answers from both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from martechgov.check import judge
from martechgov.engines.embedded import EmbeddedEngine
from martechgov.engines.regorus_engine import RegorusEngine
from martechgov.formatters.json_ import result_json
from martechgov.loader import load_request
from martechgov.policy import PolicySet
from martechgov.request_walk import request_files

from .conftest import AS_OF, ROOT

EXPECTED = {
    "google-analytics-4": ("approve", []),
    "hotjar": ("deny", ["privacy"]),
    "hubspot-marketing-hub": ("review", ["finance"]),
    "kochava-attribution": ("deny", ["privacy"]),  # sells data, sensitive: CPRA risk assessment
    "mailchimp": ("deny", ["it", "legal"]),
    "meta-pixel": ("deny", ["privacy", "security"]),
    "optimizely-web": ("approve", []),
    "semrush": ("approve", []),
    "sprout-social": ("deny", ["legal", "security"]),
    "twilio-segment": ("review", ["finance", "it"]),
    "typeform": ("approve", []),
    "zoom-webinars": ("approve", []),
    "zoominfo": ("review", ["it", "privacy"]),
}

LOADED = [load_request(p, f"requests/{p.name}") for p in request_files([ROOT / "requests"])]


def test_examples_cover_every_decision_and_are_all_pinned() -> None:
    assert sorted(item.file.rsplit("/", 1)[-1][:-5] for item in LOADED) == sorted(EXPECTED)
    assert {d for d, _ in EXPECTED.values()} == {"approve", "review", "deny"}


def test_every_example_starts_with_the_schema_line() -> None:
    for path in sorted((ROOT / "requests").glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/toolrequest-v1.schema.json"


@pytest.mark.parametrize("item", LOADED, ids=lambda item: item.file)
def test_example_decision(engine: EmbeddedEngine, item) -> None:  # type: ignore[no-untyped-def]
    assert item.valid, item.problems
    result = judge([item], engine, AS_OF)[0]
    assert (result.decision, list(result.reviewers)) == EXPECTED[result.id]
    for finding in result.findings:
        assert finding.line > 1, f"{finding.rule} does not point into the file"


def test_both_engines_give_identical_results(policy: PolicySet, engine: EmbeddedEngine) -> None:
    other = RegorusEngine()
    other.load(policy)
    ours = [result_json(r) for r in judge(LOADED, engine, AS_OF)]
    theirs = [result_json(r) for r in judge(LOADED, other, AS_OF)]
    for mine, its in zip(ours, theirs, strict=True):
        assert mine == its


def test_quotes_backslashes_and_newlines_in_text_are_judged_alike(
        tmp_path: Path, policy: PolicySet, engine: EmbeddedEngine) -> None:
    # rego-cpp writes such strings unescaped when the input is built from Python values,
    # which would make its answer invalid JSON (and stop the run with exit 2).
    text = (ROOT / "requests" / "mailchimp.yaml").read_text()
    text = text.replace("name: Mailchimp Standard", 'name: Mailchimp "Standard" \\\\ EU')
    text = text.replace("  purpose: Newsletter", "  purpose: |\n    Two lines:\n    Newsletter")
    path = tmp_path / "mailchimp.yaml"
    path.write_text(text)
    loaded = [load_request(path, "mailchimp.yaml")]
    assert loaded[0].valid, loaded[0].problems
    other = RegorusEngine()
    other.load(policy)
    ours, theirs = judge(loaded, engine, AS_OF)[0], judge(loaded, other, AS_OF)[0]
    assert ours.decision == "deny"
    assert result_json(ours) == result_json(theirs)
    assert 'Mailchimp "Standard" \\\\ EU handles personal data' in ours.findings[1].message
