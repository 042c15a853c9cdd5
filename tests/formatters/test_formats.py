"""Every output format renders the same fixed report; exact text is pinned.

The expected files under tests/data/formats/ were read line by line when written;
SARIF is also validated against the official schema and JUnit parsed with junitparser.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml

from martechgov.cli.common import write_reports
from martechgov.formatters import FORMATTERS, resolve_auto
from martechgov.loader import blob_id
from martechgov.policy import PolicySet
from martechgov.rendering import RenderContext, rendered
from martechgov.result import CheckReport, ExceptionDoc, Finding, PolicyInfo, RequestResult

from ..conftest import DATA, ROOT

EXPECTED = DATA / "formats"
# The git blob ids of the three files' content (`git hash-object`), as the loader sets them.
BLOBS = {name: blob_id(f"id: {name}\n".encode()) for name in ("acme-crm", "typo", "zoom")}
# The shipped library: SARIF describes each rule from its record (data/rules.yaml).
POLICIES = PolicySet.from_directory(ROOT / "policies")


def report(warning: str | None = None) -> CheckReport:
    denied = RequestResult(
        file="requests/acme-crm.yaml", id="acme-crm", decision="deny", name="Acme CRM",
        reviewers=("finance",), blob=BLOBS["acme-crm"],
        findings=(
            Finding("security.sso_required", "deny", "Acme CRM has no SSO, so leavers keep "
                    "access.", "Enable SAML and set `security.sso: saml`.", "security.sso",
                    12, 3, blocking=True),
            Finding("procurement.cost_review", "review", "Acme CRM costs 90000 USD, at or "
                    "above the 25000 USD limit.", "Send finance the quote.", "cost.annual",
                    30, 3, team="finance", blocking=True),
            Finding("privacy.breach_notice", "review", "No breach notice, commitment: 96 h.",
                    "Negotiate 72 hours.", "privacy.breach_notice_hours", 22, 3,
                    team="legal", exception=ExceptionDoc(
                        status="active", approved_by="legal@example.com",
                        reason="Signed addendum pending, 50% done", expires="2027-01-31")),
            Finding("procurement.auto_renew_notice", "warn", "Renews with 7 days' notice.",
                    "Ask for 30 days.", "cost.notice_days", 33, 3),
        ),
    )
    invalid = RequestResult(
        file="requests/typo.yaml", id="typo", decision="invalid", blob=BLOBS["typo"],
        findings=(Finding("schema.unknown_field", "error", "unknown field `privacy.dpa_sined` "
                          "(did you mean `dpa_signed`?)", None, "privacy.dpa_sined", 19, 3,
                          blocking=True),),
    )
    approved = RequestResult(file="requests/zoom.yaml", id="zoom", decision="approve",
                             name="Zoom Webinars", blob=BLOBS["zoom"])
    return CheckReport(
        as_of=dt.date(2026, 11, 23), engine="embedded",
        policy=PolicyInfo("0123456789abcdef" * 4, "main@1a2b3c4", warning),
        results=[denied, invalid, approved], retired=["requests/old-tool.yaml"],
        policies=POLICIES,
    )


def render(name: str, rep: CheckReport | None = None) -> str:
    stream = io.StringIO()
    FORMATTERS[name](RenderContext()).write(rep or report(), stream)
    return stream.getvalue()


@pytest.mark.parametrize("name", sorted(FORMATTERS))
def test_exact_output(name: str) -> None:
    assert render(name) == (EXPECTED / f"report.{name}").read_text(encoding="utf-8")


def test_json_follows_the_domain_contract() -> None:
    doc = json.loads(render("json"))
    assert doc["summary"] == {"approve": 1, "review": 0, "deny": 1, "invalid": 1}
    assert doc["results"][0]["findings"][0] == {
        "rule": "security.sso_required", "level": "deny",
        "message": "Acme CRM has no SSO, so leavers keep access.",
        "fix": "Enable SAML and set `security.sso: saml`.", "field": "security.sso",
        "line": 12, "column": 3,
    }


def test_sarif_validates_against_the_official_schema() -> None:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    doc = json.loads(render("sarif"))
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == sorted(set(rules))
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] > 0


def test_our_sarif_schema_copy_is_the_shared_one() -> None:
    shared = ROOT.parent / "shared" / "data" / "sarif-schema-2.1.0.json"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert shared.read_bytes() == (DATA / "sarif-schema-2.1.0.json").read_bytes()


def test_junit_parses_with_junitparser(tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    path.write_text(render("junit"))
    xml = JUnitXml.fromfile(str(path))
    suites = [xml] if xml._tag == "testsuite" else list(xml)
    cases = {case.name: case for suite in suites for case in suite}
    assert set(cases) == {"requests/acme-crm.yaml", "requests/typo.yaml",
                          "requests/zoom.yaml"}
    assert [type(r) for r in cases["requests/acme-crm.yaml"].result] == [Failure]
    assert cases["requests/typo.yaml"].result[0].message.startswith("invalid: unknown field")
    assert cases["requests/zoom.yaml"].is_passed


def test_github_appends_the_markdown_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    write_reports(FORMATTERS, report(), "github", [],
                  summary=lambda r: rendered(FORMATTERS, "markdown", r))
    assert summary.read_text() == "previous step\n" + render("markdown") + "\n"
    assert capsys.readouterr().out == render("github")


@pytest.mark.parametrize("name", sorted(FORMATTERS))
def test_untrusted_policies_are_marked_in_every_format(name: str) -> None:
    assert "not the trusted policies" in render(name, report("not the trusted policies"))


def test_auto_picks_github_only_inside_actions() -> None:
    assert resolve_auto("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_auto("auto", {}) == "text"
    assert resolve_auto("sarif", {"GITHUB_ACTIONS": "true"}) == "sarif"


def test_sarif_rule_help_comes_from_the_record_not_a_finding() -> None:
    # Two runs whose first finding of a rule differ describe the rule identically.
    one, other = report(), report()
    first = one.results[0].findings[0]
    other.results[0] = dataclasses.replace(other.results[0], findings=(dataclasses.replace(
        first, message="Another tool's words.", fix="Another fix."),))
    rules = [{r["id"]: r for r in json.loads(render("sarif", rep))["runs"][0]["tool"]["driver"]
              ["rules"]} for rep in (one, other)]
    sso = rules[0]["security.sso_required"]
    assert sso == rules[1]["security.sso_required"]
    assert sso["shortDescription"]["text"] == "Single sign-on for personal data or many seats"
    assert sso["help"]["text"].startswith("Ask the vendor to enable SAML or OIDC single sign-on")
    assert sso["helpUri"] == "https://pages.nist.gov/800-63-4/sp800-63b.html"
    assert sso["properties"]["team"] == "security"
