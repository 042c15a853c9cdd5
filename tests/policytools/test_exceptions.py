"""IT's time-bound exceptions as `check` applies them (policies/exceptions.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import invoke
from ..gitutil import commit_all, git, make_repo, replace_in


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", ["semrush", "mailchimp"])
    monkeypatch.chdir(path)
    return path


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
