"""The sign-off answer in every format, after the check report in the same format."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from martechgov.cli.common import write_reports
from martechgov.formatters import FORMATTERS
from martechgov.formatters.json_ import report_json
from martechgov.rendering import RenderContext, rendered
from martechgov.result import CheckReport, Finding, PolicyInfo, RequestResult
from martechgov.signoff.formats import (
    SignoffGithub,
    SignoffMarkdown,
    SignoffText,
    signoff_formats,
)
from martechgov.signoff.gate import RequestSignoff, SignoffReport, TeamSignoff

from ..conftest import ROOT
from .conftest import FIXTURES, HEAD_SHA

FORMATS = signoff_formats(FORMATTERS, report_json)
SECTIONS = {"text": SignoffText, "markdown": SignoffMarkdown, "github": SignoffGithub}


def segment() -> RequestResult:
    return RequestResult(
        file="requests/twilio-segment.yaml", id="twilio-segment", decision="review",
        name="Twilio Segment", reviewers=("finance", "it", "privacy"),
        findings=(
            Finding("integration.system_of_record_write", "review", "Writes into Salesforce.",
                    "Set `integrations[1].direction: inbound`.", "integrations[1].direction",
                    55, 5, team="it", blocking=True),
            Finding("procurement.cost_review", "review", "Costs 60000 USD a year.",
                    "Send finance the quote.", "cost.annual", 63, 3, team="finance",
                    blocking=True),
            Finding("privacy.model_training", "review", "Trains models.", "Say no.",
                    "data.used_for_model_training", 30, 3, team="privacy", blocking=True),
        ))


def team(name: str, line: int, **fields: tuple[str, ...]) -> TeamSignoff:
    defaults: dict[str, tuple[str, ...]] = {
        "signed_by": (), "approved_earlier": (), "changes_requested": (), "people": (),
        "github_teams": (), "eligible": (), "members_unknown": ()}
    return TeamSignoff(team=name, line=line, **{**defaults, **fields})  # type: ignore[arg-type]


def report(denied: bool = False) -> SignoffReport:
    result = segment()
    results = [result]
    if denied:
        results.append(RequestResult(file="requests/meta-pixel.yaml", id="meta-pixel",
                                     decision="deny", name="Meta Pixel"))
    check = CheckReport(as_of=dt.date(2026, 11, 23), engine="embedded",
                        policy=PolicyInfo("0123456789abcdef" * 4, "main@1a2b3c4"),
                        results=results)
    teams = (
        team("finance", 63, github_teams=("example-org/finance",),
             members_unknown=("example-org/finance",)),
        team("it", 55, signed_by=("ines-arch",), github_teams=("example-org/it-architecture",),
             eligible=("example-ciso", "ines-arch")),
        team("privacy", 30, approved_earlier=("example-dpo",),
             changes_requested=("privacy-lawyer",), people=("example-dpo",),
             github_teams=("example-org/privacy-office",),
             eligible=("example-dpo", "privacy-lawyer")),
    )
    return SignoffReport(check, (RequestSignoff(result, teams),), HEAD_SHA, "marta-mkt",
                         reviewers=("example-dpo",),
                         team_reviewers=("finance", "privacy-office"),
                         team_members_needed=("example-org/finance",))


def render(name: str, rep: SignoffReport) -> str:
    stream = io.StringIO()
    FORMATS[name](RenderContext()).write(rep, stream)
    return stream.getvalue()


def section(name: str, rep: SignoffReport) -> str:
    stream = io.StringIO()
    SECTIONS[name]().write(rep, stream)
    return stream.getvalue()


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_exact_sign_off_section(name: str) -> None:
    expected = (FIXTURES / f"report.{name}").read_text(encoding="utf-8")
    assert section(name, report()) == expected


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_each_format_is_the_check_report_then_the_sign_off(name: str) -> None:
    rep = report()
    check = io.StringIO()
    FORMATTERS[name](RenderContext()).write(rep.check, check)
    assert render(name, rep) == check.getvalue() + section(name, rep)


def test_json_is_the_check_document_plus_signoff() -> None:
    rep = report()
    doc = json.loads(render("json", rep))
    signoff = doc.pop("signoff")
    assert doc == report_json(rep.check)
    assert signoff == json.loads((FIXTURES / "report.json").read_text())


def test_a_waiting_team_is_an_error_annotation_at_its_first_finding() -> None:
    lines = section("github", report()).splitlines()
    assert lines[0] == ("::error file=requests/twilio-segment.yaml,line=63,title=Waiting for "
                        "sign-off%3A finance::finance must approve this pull request on its "
                        "latest commit. Who can sign off: members of example-org/finance.")
    assert lines[1].startswith("::notice file=requests/twilio-segment.yaml,line=55,"
                               "title=Signed off%3A it::Signed off by ines-arch.")


def test_github_appends_the_sign_off_to_the_step_summary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    rep = report()
    write_reports(FORMATS, rep, "github", [], summary=lambda r: rendered(FORMATS, "markdown", r))
    check_markdown = io.StringIO()
    FORMATTERS["markdown"](RenderContext()).write(rep.check, check_markdown)
    assert summary.read_text() == ("earlier step\n" + check_markdown.getvalue()
                                   + section("markdown", rep) + "\n")


@pytest.mark.parametrize("name", sorted(set(FORMATS) - {"sarif", "junit"}))
def test_every_format_says_a_denied_request_fails_whatever_the_sign_off(name: str) -> None:
    assert "a denied or invalid request fails whatever the sign-off" in render(
        name, report(denied=True)) or name == "json"


@pytest.mark.parametrize("name", ["sarif", "junit"])
def test_sarif_and_junit_are_the_check_report(name: str) -> None:
    rep = report(denied=True)
    check = io.StringIO()
    FORMATTERS[name](RenderContext()).write(rep.check, check)
    assert render(name, rep) == check.getvalue()


def test_json_says_a_denied_request_is_not_ready() -> None:
    assert json.loads(render("json", report(denied=True)))["signoff"]["ready"] is False


@pytest.mark.parametrize("name", sorted(set(FORMATS) - {"sarif", "junit", "comment"}))
def test_nothing_in_review_says_so(name: str) -> None:
    rep = replace(report(), requests=(), reviewers=(), team_reviewers=(),
                  team_members_needed=())
    out = render(name, rep)
    if name == "json":
        assert json.loads(out)["signoff"]["ready"] is True
    else:
        assert "no request in review, nothing to sign off" in out


def test_logins_and_team_names_are_escaped_for_each_language() -> None:
    rep = report()
    request = rep.requests[0]
    odd = replace(request.teams[1], team="it|*x*", signed_by=("a\x1b[31m|b",))
    rep = replace(rep, requests=(replace(request, teams=(odd,)),))
    assert "\x1b" not in section("text", rep)
    markdown = section("markdown", rep)
    assert "**it\\|\\*x\\***" in markdown and "\\[31m\\|b" in markdown
    github = section("github", rep)
    assert "title=Signed off%3A it|*x*::" in github


def test_the_docs_document_every_key_of_the_json_shape() -> None:
    readme = (ROOT / "docs" / "signoff.md").read_text(encoding="utf-8")
    documented = readme[readme.index('"signoff": {"ready"'):]
    documented = documented[:documented.index("```")]
    doc = json.loads(render("json", report()))["signoff"]
    keys = {*doc, *doc["requests"][0], *doc["requests"][0]["teams"][0],
            *doc["request_reviewers"]}
    assert {key for key in keys if f'"{key}"' not in documented} == set()
