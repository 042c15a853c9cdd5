"""IT's time-bound exceptions as `check` applies them (policies/exceptions.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import invoke
from ..gitutil import commit_all, git, make_repo, replace_in

MAILCHIMP_SSO = """exceptions:
  - request: mailchimp
    file: requests/mailchimp.yaml
    rule: security.sso_required
    field: security.sso
    facts: {security.sso: none}
    reason: SSO arrives with the Premium plan in January.
    approved_by: ciso@example.com
    granted: 2026-11-01
    expires: 2027-01-31
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", ["semrush", "mailchimp", "hubspot-marketing-hub"])
    monkeypatch.chdir(path)
    return path


def test_an_exception_lifts_a_deny_until_its_expiry_and_not_after(repo: Path) -> None:
    (repo / "policies" / "exceptions.yaml").write_text(MAILCHIMP_SSO)

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
        MAILCHIMP_SSO.replace("ciso@example.com", "marketer@example.com"))
    commit_all(repo, "self-granted exception")
    code, out, _ = invoke("check", "--base", "main", "--format", "json",
                          "--as-of", "2026-11-23")
    assert code == 1
    assert json.loads(out)["results"][0]["decision"] == "deny"


def sor_findings(out: str, file: str) -> dict[str, dict]:
    result = next(r for r in json.loads(out)["results"] if r["file"] == file)
    return {f["field"]: f for f in result["findings"]
            if f["rule"] == "integration.system_of_record_write"}


def test_a_new_system_of_record_write_is_not_covered_by_the_old_exception(repo: Path) -> None:
    # Before: the exception named only the request id and the rule, so HubSpot's new
    # two-way SAP sync was excepted along with the Salesforce one IT had looked at.
    git(repo, "checkout", "-q", "-b", "add-sap")
    replace_in(repo / "requests" / "hubspot-marketing-hub.yaml", "integrations:\n",
               "integrations:\n  - system: sap-s4hana\n    direction: bidirectional\n"
               "    method: api\n    data: [contact]\n")
    commit_all(repo, "HubSpot also writes into SAP")
    code, out, _ = invoke("check", "--base", "main", "--format", "json", "--as-of", "2026-11-23")
    found = sor_findings(out, "requests/hubspot-marketing-hub.yaml")
    assert set(found) == {"integrations[0].direction", "integrations[1].direction"}
    assert all("exception" not in f for f in found.values())  # SAP is [0], Salesforce [1]
    assert json.loads(out)["results"][0]["decision"] == "review"
    code, out, _ = invoke("validate", "--as-of", "2026-11-23")
    assert code == 1
    assert ("policies/exceptions.yaml:14:7: the exception was granted while "
            "`integrations[0].system` was `salesforce`; the request now says `sap-s4hana`, "
            "so the exception no longer applies") in out


def test_another_file_with_the_same_id_does_not_inherit_the_exception(repo: Path) -> None:
    # Before: a second file claiming `hubspot-marketing-hub` (another tool, cheap enough
    # that the excepted finding was its only blocker) was approved.
    git(repo, "checkout", "-q", "-b", "copycat")
    other = repo / "requests" / "other" / "hubspot-marketing-hub.yaml"
    other.parent.mkdir()
    text = (repo / "requests" / "hubspot-marketing-hub.yaml").read_text()
    other.write_text(text.replace("HubSpot Marketing Hub", "Other Sync Tool")
                     .replace("annual: 43200", "annual: 1200"))
    commit_all(repo, "a different tool under the same id")
    code, out, _ = invoke("check", "--base", "main", "--format", "json", "--as-of", "2026-11-23")
    result = next(r for r in json.loads(out)["results"]
                  if r["file"] == "requests/other/hubspot-marketing-hub.yaml")
    assert result["decision"] != "approve"
    assert all("exception" not in f for f in result["findings"])


def test_an_exception_granted_in_the_future_is_not_active_yet(repo: Path) -> None:
    # Before: active from the day it was written, and validate called it valid.
    (repo / "policies" / "exceptions.yaml").write_text(
        MAILCHIMP_SSO.replace("granted: 2026-11-01", "granted: 2026-12-01"))
    code, out, _ = invoke("check", "requests/mailchimp.yaml", "--format", "json",
                          "--as-of", "2026-11-23")
    sso = next(f for f in json.loads(out)["results"][0]["findings"]
               if f["rule"] == "security.sso_required")
    assert "exception" not in sso
    assert json.loads(out)["results"][0]["decision"] == "deny"
    code, out, _ = invoke("validate", "--as-of", "2026-11-23")
    assert code == 1
    assert ("policies/exceptions.yaml:9:5: granted on 2026-12-01, after today (2026-11-23): "
            "the exception does not apply before that day") in out


def test_validate_reports_every_mistake_in_exceptions_in_one_pass(repo: Path) -> None:
    good = MAILCHIMP_SSO.split("\n", 1)[1]
    items = [
        good.replace("2026-11-01", "2026-12-24"),  # granted in the future
        good.replace("expires: 2027-01-31", "expires: 2026-10-01"),  # before its grant
        good.replace("request: mailchimp", "request: no-such-tool"),
        good.replace("    reason: SSO arrives with the Premium plan in January.\n", ""),
        good.replace("{security.sso: none}", "{security.sso: saml}"),  # no longer true
        good.replace("file: requests/mailchimp.yaml", "file: requests/other/mailchimp.yaml"),
        good.replace("rule: security.sso_required", "rule: security.no_such_rule"),
    ]
    (repo / "policies" / "exceptions.yaml").write_text("exceptions:\n" + "".join(items))
    code, out, _ = invoke("validate", "--as-of", "2026-11-23")
    assert code == 1
    expected = [
        ":9:5: granted on 2026-12-24, after today",
        ":11:5: `exceptions[1]`: `expires` (2026-10-01) is before `granted` (2026-11-01): "
        "the exception would never apply",
        ":20:5: exception for unknown request `no-such-tool`",
        ":29:5: `exceptions[3].reason` is required but missing",
        ":41:13: the exception was granted while `security.sso` was `saml`; the request "
        "now says `none`",
        ":39:5: a second exception for the same request, file, rule and field as "
        "exceptions[0]",
        ":47:5: request `mailchimp` is in requests/mailchimp.yaml, not in "
        "requests/other/mailchimp.yaml, so the exception covers nothing",
        ":57:5: exception for unknown rule `security.no_such_rule`",
    ]
    missing = [line for line in expected if line not in out]
    assert missing == [], out
