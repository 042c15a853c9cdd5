"""The entrypoint (policies/decision.rego) on its own, with both engines.

The area packages are replaced by one fake package that returns fixed findings, so
these tests pin aggregation and exceptions whatever the real rules do. (Rego tests
that mock rules with `with` cost regopy seconds of compilation each, which is why
this lives here rather than in a *_test.rego.)
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from martechgov.engines.embedded import EmbeddedEngine
from martechgov.engines.regorus_engine import RegorusEngine
from martechgov.policy import PolicySet

from .conftest import ROOT

FAKE_AREA = """
package martech.rules.fake

import rego.v1

finding(rule, field) := {"rule": rule, "message": "m", "fix": "f", "field": field}

deny contains finding("fake.blocked", "id") if "blocked" in input.request.fire

review contains object.union(finding("fake.legal", "id"), {"team": "legal"}) if {
	"legal" in input.request.fire
}

review contains object.union(finding("fake.legal_again", "tool"), {"team": "legal"}) if {
	"legal" in input.request.fire
}

review contains object.union(finding("fake.finance", "id"), {"team": "finance"}) if {
	"finance" in input.request.fire
}

warn contains finding("fake.advice", "id") if "advice" in input.request.fire
"""

EXCEPTIONS = """
exceptions:
  - request: acme
    rule: fake.blocked
    reason: Signed copy due in January.
    approved_by: privacy-office@example.com
    granted: 2026-11-01
    expires: 2026-12-31
  - request: other
    rule: fake.finance
    reason: Budget approved.
    approved_by: cfo@example.com
    granted: 2026-11-01
    expires: 2026-12-31
"""


@pytest.fixture(scope="module", params=["embedded", "regorus"])
def decide(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("policies")
    decision = (ROOT / "policies" / "decision.rego").read_text()
    wiring = "".join(f'findings contains leveled(f, "{level}") if '
                     f"some f in data.martech.rules.fake.{level}\n"
                     for level in ("deny", "review", "warn"))
    (root / "decision.rego").write_text(decision + wiring)
    shutil.copytree(ROOT / "policies" / "data", root / "data")
    (root / "fake").mkdir()
    (root / "fake" / "fake.rego").write_text(FAKE_AREA)
    (root / "exceptions.yaml").write_text(EXCEPTIONS)
    engine = EmbeddedEngine() if request.param == "embedded" else RegorusEngine()
    engine.load(PolicySet.from_directory(root))

    def run(fire: list[str], as_of: str = "2026-11-23", request_id: str = "acme") -> Any:
        return engine.evaluate([{"as_of": as_of, "request": {"id": request_id,
                                                             "fire": fire}}])[0]

    return run


def rules(decision: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in decision["findings"]}


def test_nothing_fires_approves(decide: Any) -> None:
    assert decide([]) == {"decision": "approve", "findings": [], "reviewers": [],
                          "facts": {}}


def test_each_finding_says_whether_it_blocks(decide: Any) -> None:
    decision = decide(["blocked", "finance", "advice"], request_id="someone")
    assert {f["rule"]: f["blocking"] for f in decision["findings"]} == {
        "fake.blocked": True, "fake.finance": True, "fake.advice": False}


def test_an_excepted_finding_does_not_block(decide: Any) -> None:
    decision = decide(["blocked"], as_of="2026-12-31")
    assert decision["findings"][0]["blocking"] is False


def test_warnings_alone_approve(decide: Any) -> None:
    decision = decide(["advice"])
    assert decision["decision"] == "approve"
    assert decision["findings"][0]["level"] == "warn"


def test_reviews_name_each_team_once_sorted(decide: Any) -> None:
    decision = decide(["legal", "finance"])
    assert decision["decision"] == "review"
    assert decision["reviewers"] == ["finance", "legal"]
    assert rules(decision) == {"fake.legal", "fake.legal_again", "fake.finance"}


def test_deny_outranks_review_and_keeps_the_reviewers(decide: Any) -> None:
    decision = decide(["blocked", "finance", "advice"], request_id="someone")
    assert decision["decision"] == "deny"
    assert decision["reviewers"] == ["finance"]
    assert {f["level"] for f in decision["findings"]} == {"deny", "review", "warn"}


def test_an_active_exception_lifts_the_finding_and_keeps_it_visible(decide: Any) -> None:
    decision = decide(["blocked"], as_of="2026-12-31")
    assert decision["decision"] == "approve"
    assert decision["findings"][0]["exception"] == {
        "status": "active", "approved_by": "privacy-office@example.com",
        "reason": "Signed copy due in January.", "expires": "2026-12-31",
    }


def test_an_expired_exception_no_longer_applies_and_says_so(decide: Any) -> None:
    decision = decide(["blocked"], as_of="2027-01-01")
    assert decision["decision"] == "deny"
    assert decision["findings"][0]["exception"]["status"] == "expired"


def test_an_exception_applies_only_to_its_request(decide: Any) -> None:
    decision = decide(["finance"], as_of="2026-12-01")
    assert decision["decision"] == "review"
    assert "exception" not in decision["findings"][0]
