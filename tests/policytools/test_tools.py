"""Tools for IT policy authors: impact, exceptions, validate, rereview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main

from ..gitutil import commit_all, git, make_repo, replace_in

EXAMPLES = ["semrush", "typeform", "zoom-webinars", "mailchimp", "hubspot-marketing-hub"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", EXAMPLES)
    monkeypatch.chdir(path)
    return path


def tighten(repo: Path) -> None:
    thresholds = repo / "policies" / "data" / "thresholds.yaml"
    replace_in(thresholds, "sso_required_above_seats: 10", "sso_required_above_seats: 2")
    replace_in(thresholds, "  USD: 25000", "  USD: 5000")


# impact --------------------------------------------------------------------------
def test_impact_lists_exactly_the_requests_a_tighter_threshold_flips(repo: Path) -> None:
    tighten(repo)  # in the working tree
    code, out, err = invoke("impact", "--base", "main", "--as-of", "2026-11-23")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:2] == [
        "semrush: approve -> deny (+security.sso_required (deny))",
        "zoom-webinars: approve -> review; reviewers none -> finance "
        "(+procurement.cost_review (review))",
    ]
    assert lines[3] == "2 of 5 requests change: 1 approve -> deny, 1 approve -> review"
    assert lines[4].startswith("policy main@")


def test_impact_between_two_refs_as_json_and_markdown(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "tighter")
    tighten(repo)
    commit_all(repo, "tighten thresholds")
    git(repo, "checkout", "-q", "main")
    code, out, _ = invoke("impact", "--base", "main", "--head", "tighter", "--format",
                          "json", "--as-of", "2026-11-23")
    doc = json.loads(out)
    assert code == 0 and doc["total"] == 5
    assert [(c["id"], c["before"]["decision"], c["after"]["decision"]) for c in
            doc["changed"]] == [("semrush", "approve", "deny"),
                                ("zoom-webinars", "approve", "review")]
    assert doc["changed"][1]["added"] == [{"rule": "procurement.cost_review",
                                           "level": "review", "field": "cost.annual",
                                           "team": "finance", "exception": None}]
    code, out, _ = invoke("impact", "--base", "main", "--head", "tighter", "--format",
                          "markdown", "--as-of", "2026-11-23")
    assert out.startswith("## martechgov policy impact: 2 of 5 requests change")
    assert "| `semrush` | ✅ approve | ❌ deny |  | `+security.sso_required (deny)` |" in out


def test_impact_without_a_change_lists_nothing(repo: Path) -> None:
    code, out, _ = invoke("impact", "--base", "main", "--as-of", "2026-11-23")
    assert code == 0
    assert "no request changes (of 5)" in out


# exceptions ----------------------------------------------------------------------
def test_an_exception_lifts_a_deny_until_its_expiry_and_not_after(repo: Path) -> None:
    (repo / "policies" / "exceptions.yaml").write_text(
        "exceptions:\n"
        "  - request: mailchimp\n"
        "    rule: security.sso_required\n"
        "    reason: SSO arrives with the Premium plan in January.\n"
        "    approved_by: ciso@example.com\n"
        "    granted: 2026-11-01\n"
        "    expires: 2027-01-31\n")

    def answer(as_of: str) -> dict:
        code, out, _ = invoke("check", "requests/mailchimp.yaml", "--format", "json",
                              "--as-of", as_of)
        return json.loads(out)["results"][0]

    during = answer("2027-01-31")
    assert during["decision"] == "review"
    sso = next(f for f in during["findings"] if f["rule"] == "security.sso_required")
    assert sso["exception"] == {"status": "active", "approved_by": "ciso@example.com",
                                "reason": "SSO arrives with the Premium plan in January.",
                                "expires": "2027-01-31"}
    after = answer("2027-02-01")
    assert after["decision"] == "deny"
    sso = next(f for f in after["findings"] if f["rule"] == "security.sso_required")
    assert sso["exception"]["status"] == "expired"
    text = invoke("check", "requests/mailchimp.yaml", "--as-of", "2027-02-01")[1]
    assert "exception expired on 2027-01-31 (was approved by ciso@example.com)" in text


def test_exceptions_come_from_the_trusted_base_with_base(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    replace_in(repo / "requests" / "mailchimp.yaml", "seats: 2", "seats: 3")
    (repo / "policies" / "exceptions.yaml").write_text(
        "exceptions:\n  - request: mailchimp\n    rule: security.sso_required\n"
        "    reason: Self-granted in the same pull request.\n"
        "    approved_by: marketer@example.com\n    granted: 2026-11-01\n"
        "    expires: 2027-01-31\n")
    commit_all(repo, "self-granted exception")
    code, out, _ = invoke("check", "--base", "main", "--format", "json",
                          "--as-of", "2026-11-23")
    assert code == 1
    assert json.loads(out)["results"][0]["decision"] == "deny"


# validate ------------------------------------------------------------------------
EXCEPTION = ("exceptions:\n  - request: {request}\n    rule: {rule}\n{reason}"
             "    approved_by: ciso@example.com\n    granted: {granted}\n"
             "    expires: {expires}\n")


def exception(request: str = "mailchimp", rule: str = "security.sso_required",
              reason: str = "    reason: Waiting for SSO.\n", granted: str = "2026-11-01",
              expires: str = "2027-01-31") -> str:
    return EXCEPTION.format(request=request, rule=rule, reason=reason, granted=granted,
                            expires=expires)


@pytest.mark.parametrize(("file", "content", "expected"), [
    ("policies/data/thresholds.yaml", None,
     "policies/data/thresholds.yaml:15:1: unknown field `max_retension_days` "
     "(did you mean `max_retention_days`?)"),
    ("policies/exceptions.yaml", exception(request="no-such-tool"),
     "policies/exceptions.yaml:2:5: exception for unknown request `no-such-tool`"),
    ("policies/exceptions.yaml", exception(rule="security.no_such_rule"),
     "policies/exceptions.yaml:3:5: exception for unknown rule `security.no_such_rule`"),
    ("policies/exceptions.yaml", exception(reason=""),
     "policies/exceptions.yaml:2:5: `exceptions[0].reason` is required but missing"),
    ("policies/exceptions.yaml", exception(expires="2027-12-01"),
     "an exception may last at most 365 days; this one runs 395 days"),
    ("policies/exceptions.yaml", exception(expires="next spring"),
     "policies/exceptions.yaml:7:5: `exceptions[0].expires`: input should be a valid date"),
    ("policies/security/security.rego", "package martech.rules.security\n\ndeny contains {\n",
     "policies/security/security.rego:3:"),
    ("requests/semrush.yaml", "apiVersion: martechgov/v1\nkind: ToolRequest\nid: semrush\n",
     "requests/semrush.yaml:1:1: `tool` is required but missing"),
])
def test_validate_catches_each_kind_of_mistake(repo: Path, file: str, content: str | None,
                                               expected: str) -> None:
    path = repo / file
    if content is None:
        replace_in(path, "max_retention_days:", "max_retension_days:")
    else:
        path.write_text(content)
    code, out, _ = invoke("validate")
    assert code == 1
    assert expected in out, out


def test_validate_passes_the_shipped_library(in_root: Path) -> None:
    code, out, _ = invoke("validate")
    assert code == 0, out
    assert out.startswith("valid: 6 data files, 1 exceptions,")


# rereview ------------------------------------------------------------------------
def test_rereview_reports_approvals_that_went_stale(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", ["zoom-webinars", "typeform"], date="2026-04-01T10:00:00")
    monkeypatch.chdir(repo)
    code, out, _ = invoke("rereview", "--as-of", "2026-11-23")
    assert code == 0
    assert "all 2 requests still get the answer they landed with" in out
    # Typeform's pen test (2026-02-20) is older than 12 months by 2027-02-25;
    # Zoom's (2026-03-10) is not yet.
    code, out, _ = invoke("rereview", "--as-of", "2027-02-25")
    assert code == 1
    assert out.splitlines()[0] == ("typeform (requests/typeform.yaml): approve when "
                                   "it last changed on 2026-04-01 -> review now")
    assert "security.pentest_recent" in out and "fix:" in out
    assert "1 of 2 requests need a new look" in out


def test_rereview_reports_what_a_tightened_policy_flips(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", ["semrush", "typeform"], date="2026-04-01T10:00:00")
    monkeypatch.chdir(repo)
    tighten(repo)
    commit_all(repo, "tighten", date="2026-09-01T10:00:00")
    code, out, _ = invoke("rereview", "--as-of", "2026-11-23", "--format", "markdown")
    assert code == 1
    assert out.startswith("## martechgov re-review: 1 of 2 requests need a new look")
    assert "`requests/semrush.yaml` (Semrush): approve when it last changed on 2026-04-01" in out
