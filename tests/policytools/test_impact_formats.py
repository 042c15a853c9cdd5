"""The impact formats, exact output: text, markdown and json."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from martechgov.errors import UsageError
from martechgov.policytools.impact import Change, ImpactReport
from martechgov.policytools.impact_formats import IMPACT_FORMATTERS
from martechgov.rendering import render
from martechgov.result import Finding, PolicyInfo, RequestResult

SSO = Finding("security.sso_required", "deny", "Needs SSO.", "Set up SSO.",
              "security.sso", 12, 3, blocking=True)
COST = Finding("procurement.cost_review", "review", "Costs a lot.", "Ask finance.",
               "cost.annual", 40, 3, team="finance", blocking=True)
SCHEMA = Finding("schema.required", "error", "`tool` is missing.", None, "tool", 1, 1,
                 blocking=True)


def report() -> ImpactReport:
    semrush = RequestResult("requests/semrush.yaml", "semrush", "approve")
    zoom = RequestResult("requests/zoom.yaml", "zoom", "review", ("finance",), (COST,))
    # A file name is whatever the pull request called it.
    evil = "requests/<b>x</b>|`y`\n.yaml"
    return ImpactReport(
        as_of=dt.date(2026, 11, 23), engine="embedded",
        before=PolicyInfo("a" * 64, "main@1a2b3c4"), after=PolicyInfo("b" * 64, "worktree"),
        total=13,
        changes=[
            Change(semrush, RequestResult("requests/semrush.yaml", "semrush", "deny",
                                          findings=(SSO,))),
            Change(zoom, RequestResult("requests/zoom.yaml", "zoom", "approve")),
            Change(RequestResult(evil, None, "approve"),
                   RequestResult(evil, None, "invalid", findings=(SCHEMA,))),
        ])


def rendered(name: str, value: ImpactReport) -> str:
    stream = io.StringIO()
    render(IMPACT_FORMATTERS, name, value, stream)
    return stream.getvalue()


def test_text() -> None:
    assert rendered("text", report()) == (
        "semrush: approve -> deny (+security.sso_required (deny))\n"
        "zoom: review -> approve; reviewers finance -> none "
        "(-procurement.cost_review (review))\n"
        "requests/<b>x</b>|`y`\\n.yaml: approve -> invalid (+schema.required (error))\n"
        "\n"
        "3 of 13 requests change: 1 approve -> deny, 1 approve -> invalid, "
        "1 review -> approve\n"
        "policy main@1a2b3c4 (revision aaaaaaaaaaaa) -> worktree (revision bbbbbbbbbbbb), "
        "as of 2026-11-23\n")


def test_markdown_escapes_file_names() -> None:
    assert rendered("markdown", report()) == (
        "## martechgov policy impact: 3 of 13 requests change: 1 approve -> deny, "
        "1 approve -> invalid, 1 review -> approve\n"
        "\n"
        "| request | before | after | reviewers after | findings |\n"
        "|---|---|---|---|---|\n"
        "| semrush | ✅ approve | ❌ deny |  | `+security.sso_required (deny)` |\n"
        "| zoom | 👀 review | ✅ approve |  | `−procurement.cost_review (review)` |\n"
        "| requests/&lt;b&gt;x&lt;/b&gt;\\|\\`y\\` .yaml | ✅ approve | ⚠️ invalid |  | "
        "`+schema.required (error)` |\n"
        "\n"
        "<sub>Policy `main@1a2b3c4 (revision aaaaaaaaaaaa)` → "
        "`worktree (revision bbbbbbbbbbbb)`, as of 2026-11-23, embedded engine.</sub>\n")


def test_markdown_without_changes() -> None:
    quiet = report()
    quiet.changes = []
    assert rendered("markdown", quiet) == (
        "## martechgov policy impact: no request changes (of 13)\n\n"
        "<sub>Policy `main@1a2b3c4 (revision aaaaaaaaaaaa)` → "
        "`worktree (revision bbbbbbbbbbbb)`, as of 2026-11-23, embedded engine.</sub>\n")


def test_json_has_the_shared_head() -> None:
    doc = json.loads(rendered("json", report()))
    assert doc == {
        "version": 1, "as_of": "2026-11-23", "engine": "embedded",
        "before": {"revision": "a" * 64, "source": "main@1a2b3c4"},
        "total": 13,
        "changed": [
            {"file": "requests/semrush.yaml", "id": "semrush",
             "before": {"decision": "approve", "reviewers": []},
             "after": {"decision": "deny", "reviewers": []},
             "added": [{"rule": "security.sso_required", "level": "deny",
                        "field": "security.sso", "team": None, "exception": None}],
             "removed": []},
            {"file": "requests/zoom.yaml", "id": "zoom",
             "before": {"decision": "review", "reviewers": ["finance"]},
             "after": {"decision": "approve", "reviewers": []},
             "added": [],
             "removed": [{"rule": "procurement.cost_review", "level": "review",
                          "field": "cost.annual", "team": "finance", "exception": None}]},
            {"file": "requests/<b>x</b>|`y`\n.yaml", "id": "requests/<b>x</b>|`y`\n.yaml",
             "before": {"decision": "approve", "reviewers": []},
             "after": {"decision": "invalid", "reviewers": []},
             "added": [{"rule": "schema.required", "level": "error", "field": "tool",
                        "team": None, "exception": None}],
             "removed": []},
        ],
        "policy": {"revision": "b" * 64, "source": "worktree"},
    }


def test_an_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown format 'sarif'; choose one of: text, "
                                         "markdown, json"):
        rendered("sarif", report())
