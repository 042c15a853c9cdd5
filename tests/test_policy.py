"""The entrypoint (policies/decision.rego) on its own, with both engines.

The area packages are replaced by one fake package that returns fixed findings, so
these tests pin aggregation and exceptions whatever the real rules do. (Rego tests
that mock rules with `with` cost regopy seconds of compilation each, which is why
this lives here rather than in a *_test.rego.)
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from martechgov.engines.embedded import EmbeddedEngine
from martechgov.engines.regorus_engine import RegorusEngine
from martechgov.policy import PolicySet

from .conftest import ROOT
from .opa_child import OpaInChild

FAKE_AREA = """
package martech.rules.fake

import rego.v1

deny contains {"rule": "fake.blocked", "message": "m", "fix": "f", "field": "id"} if {
	"blocked" in input.request.fire
}

review contains {
	"rule": "fake.legal", "message": "m", "fix": "f", "field": "id", "team": "legal",
} if {
	"legal" in input.request.fire
}

review contains {
	"rule": "fake.legal_again", "message": "m", "fix": "f", "field": "tool", "team": "legal",
} if {
	"legal" in input.request.fire
}

review contains {
	"rule": "fake.finance", "message": "m", "fix": "f", "field": "id", "team": "finance",
} if {
	"finance" in input.request.fire
}

warn contains {"rule": "fake.advice", "message": "m", "fix": "f", "field": "id"} if {
	"advice" in input.request.fire
}

deny contains {"rule": "fake.future_deny", "message": "m", "fix": "f", "field": "id"} if {
	"future" in input.request.fire
}

review contains {
	"rule": "fake.future_review", "message": "m", "fix": "f", "field": "tool", "team": "privacy",
} if {
	"future" in input.request.fire
}
"""

# One record per fake rule (data/rules.yaml): the library loads only when they match.
RECORDS = "".join(f"fake.{name}:\n  title: Fake {name}\n  team: {team}\n  fix: f\n{extra}"
                  for name, team, extra in (
                      ("blocked", "security", ""), ("legal", "legal", ""),
                      ("legal_again", "legal", ""), ("finance", "finance", ""),
                      ("advice", "it", ""), ("future_deny", "it", "  effective: 2026-12-01\n"),
                      ("future_review", "privacy", "  effective: 2026-12-01\n"),
                      ("exception_expiring", "it", ""), ("lead_time", "it", ""))
                  ).replace("fake.exception_expiring", "exception.expiring").replace(
                      "fake.lead_time", "review.lead_time")

EXCEPTIONS = """
exceptions:
  - request: acme
    file: requests/acme.yaml
    rule: fake.blocked
    field: id
    facts: {id: acme, "integrations[1].system": sap, "tool.vendor": null}
    reason: Signed copy due in January.
    approved_by: privacy-office@example.com
    granted: 2026-11-01
    expires: 2026-12-31
  - request: other
    file: requests/other.yaml
    rule: fake.finance
    field: id
    facts: {id: other}
    reason: Budget approved.
    approved_by: cfo@example.com
    granted: 2026-11-01
    expires: 2026-12-31
  - request: acme
    file: requests/acme.yaml
    rule: fake.legal_again
    field: tool
    facts: {id: acme}
    reason: Granted ahead of the contract.
    approved_by: legal@example.com
    granted: 2026-12-01
    expires: 2026-12-31
  - request: acme
    file: requests/acme.yaml
    rule: fake.legal
    field: tool
    facts: {id: acme}
    reason: Names the wrong field, so it covers nothing.
    approved_by: legal@example.com
    granted: 2026-11-01
    expires: 2026-12-31
"""
ACME = {"id": "acme", "integrations": [{"system": "salesforce"}, {"system": "sap"}]}


class OracleEngine:
    """Real OPA's evaluator (opa_bindings, installed by the test command) as an engine,
    in a child process (tests/opa_child.py says why)."""

    def load(self, policy: PolicySet) -> None:
        self._opa = OpaInChild(policy.modules, policy.data)

    def evaluate(self, inputs: list[Any]) -> list[Any]:
        return self._opa.documents("martech.decision", inputs)

    def close(self) -> None:
        self._opa.close()


ENGINES = {"embedded": EmbeddedEngine, "regorus": RegorusEngine, "opa": OracleEngine}


@pytest.fixture(scope="module", params=sorted(ENGINES))
def decide(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("policies")
    decision = (ROOT / "policies" / "decision.rego").read_text()
    wiring = "".join(f'findings contains leveled(f, "{level}") if '
                     f"some f in data.martech.rules.fake.{level}\n"
                     for level in ("deny", "review", "warn"))
    (root / "decision.rego").write_text(decision + wiring)
    shutil.copytree(ROOT / "policies" / "data", root / "data")
    (root / "data" / "rules.yaml").write_text(RECORDS)
    (root / "fake").mkdir()
    (root / "fake" / "fake.rego").write_text(FAKE_AREA)
    (root / "exceptions.yaml").write_text(EXCEPTIONS)
    engine = ENGINES[request.param]()
    engine.load(PolicySet.from_directory(root))

    def run(fire: list[str], as_of: str = "2026-11-23", request_id: str = "acme",
            file: str | None = None, **changes: Any) -> Any:
        request = {**ACME, "id": request_id, "fire": fire, **changes}
        return engine.evaluate([{"as_of": as_of, "file": file or f"requests/{request_id}.yaml",
                                 "request": request}])[0]

    yield run
    if isinstance(engine, OracleEngine):
        engine.close()


def rules(decision: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in decision["findings"]}


def finding(decision: dict[str, Any], rule: str) -> dict[str, Any]:
    found = [f for f in decision["findings"] if f["rule"] == rule]
    assert len(found) == 1, decision
    return found[0]


def test_nothing_fires_approves(decide: Any) -> None:
    assert decide([]) == {"decision": "approve", "findings": [], "reviewers": [],
                          "facts": {}}


def test_each_finding_says_whether_it_blocks(decide: Any) -> None:
    decision = decide(["blocked", "finance", "advice"], request_id="someone")
    assert {f["rule"]: f["blocking"] for f in decision["findings"]} == {
        "fake.blocked": True, "fake.finance": True, "fake.advice": False}


def test_an_excepted_finding_does_not_block(decide: Any) -> None:
    decision = decide(["blocked"], as_of="2026-12-31")
    assert finding(decision, "fake.blocked")["blocking"] is False


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
    assert finding(decision, "fake.blocked")["exception"] == {
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
    assert "exception" not in finding(decision, "fake.finance")


def test_an_exception_applies_only_from_its_grant(decide: Any) -> None:
    # Before: an exception granted in the future was already active.
    assert decide(["legal"], as_of="2026-11-30")["decision"] == "review"
    decision = decide(["legal"], as_of="2026-12-01")
    excepted = {f["rule"] for f in decision["findings"] if "exception" in f}
    assert excepted == {"fake.legal_again"}
    assert decide(["blocked"], as_of="2026-10-31")["decision"] == "deny"


def test_another_file_claiming_the_id_is_not_covered(decide: Any) -> None:
    # Before: exceptions were keyed by the request id alone.
    decision = decide(["blocked"], as_of="2026-12-01", file="requests/other/acme.yaml")
    assert decision["decision"] == "deny"
    assert "exception" not in decision["findings"][0]


@pytest.mark.parametrize("changes", [
    {"integrations": [{"system": "salesforce"}, {"system": "workday"}]},  # another value
    {"integrations": [{"system": "salesforce"}]},  # the fact is gone
    {"tool": {"vendor": "Acme"}},  # stated where the grant saw it left out
])
def test_an_exception_stops_when_a_fact_it_saw_changes(decide: Any,
                                                      changes: dict[str, Any]) -> None:
    assert decide(["blocked"], as_of="2026-12-01")["decision"] == "approve"
    decision = decide(["blocked"], as_of="2026-12-01", **changes)
    assert decision["decision"] == "deny"
    assert "exception" not in decision["findings"][0]


def test_an_exception_covers_only_the_finding_on_its_field(decide: Any) -> None:
    decision = decide(["legal"], as_of="2026-12-01")
    by_rule = {f["rule"]: f for f in decision["findings"]}
    assert "exception" not in by_rule["fake.legal"]  # its exception names field `tool`
    assert by_rule["fake.legal_again"]["exception"]["status"] == "active"


# Time-aware rules: decided in decision.rego from the record's effective date.
def test_a_rule_before_its_effective_date_warns_and_says_when_it_counts(decide: Any) -> None:
    decision = decide(["future"], request_id="someone", as_of="2026-11-30")
    assert decision["decision"] == "approve"
    assert decision["reviewers"] == []
    deny, review = finding(decision, "fake.future_deny"), finding(decision, "fake.future_review")
    assert (deny["level"], deny["blocking"]) == ("warn", False)
    assert deny["message"] == "becomes deny on 2026-12-01: m"
    assert (review["level"], review["team"]) == ("warn", "privacy")
    assert review["message"] == "becomes a privacy review on 2026-12-01: m"


def test_a_rule_from_its_effective_date_has_its_real_level(decide: Any) -> None:
    decision = decide(["future"], request_id="someone", as_of="2026-12-01")
    assert decision["decision"] == "deny"
    assert decision["reviewers"] == ["privacy"]
    assert finding(decision, "fake.future_deny") == {
        "rule": "fake.future_deny", "message": "m", "fix": "f", "field": "id",
        "level": "deny", "blocking": True}
    assert finding(decision, "fake.future_review")["level"] == "review"


# Approvals that will lapse: an exception ending within thresholds.renewal_warning_days.
def test_an_exception_about_to_end_adds_a_warning_saying_when(decide: Any) -> None:
    decision = decide(["blocked"], as_of="2026-12-01")
    assert decision["decision"] == "approve"
    notice = finding(decision, "exception.expiring")
    assert (notice["level"], notice["blocking"], notice["field"]) == ("warn", False, "id")
    assert notice["message"] == (
        "IT's exception for fake.blocked (approved by privacy-office@example.com) ends on "
        "2026-12-31; from the day after, this blocks the request again: m")


def test_an_expired_exception_adds_no_renewal_warning(decide: Any) -> None:
    assert "exception.expiring" not in rules(decide(["blocked"], as_of="2027-01-01"))


# review.lead_time: from the decision's reviewers and each team's review_days.
def test_a_request_needed_sooner_than_its_review_takes_is_warned(decide: Any) -> None:
    decision = decide(["finance"], request_id="someone", needed_by="2026-11-27")
    notice = finding(decision, "review.lead_time")
    assert (notice["level"], notice["team"], notice["field"]) == ("warn", "finance",
                                                                 "needed_by")
    assert notice["message"] == ("finance review takes about 5 working days; needed by "
                                 "2026-11-27 is too soon — talk to finance now.")
    assert decision["decision"] == "review"


def test_no_lead_time_warning_with_time_enough_or_no_review(decide: Any) -> None:
    later = decide(["finance"], request_id="someone", needed_by="2026-11-30")
    assert "review.lead_time" not in rules(later)
    advice = decide(["advice"], request_id="someone", needed_by="2026-11-24")
    assert "review.lead_time" not in rules(advice)
