"""The re-review formats, exact output: text and markdown."""

from __future__ import annotations

import datetime as dt
import io

from martechgov.policytools.rereview import RereviewReport, Stale
from martechgov.policytools.rereview_formats import REREVIEW_FORMATTERS
from martechgov.rendering import render
from martechgov.result import ExceptionDoc, Finding, PolicyInfo, RequestResult

EXPIRED = ExceptionDoc(status="expired", approved_by="ciso@example.com",
                       reason="Until the renewal.", expires="2027-01-31")
SOR = Finding("integration.system_of_record_write", "review",
              "HubSpot would write into `salesforce`.", "Set `direction: inbound`.",
              "integrations[0].direction", 49, 5, team="it", exception=EXPIRED,
              blocking=True)
PENTEST = Finding("security.pentest_recent", "review", "No pen test in 12 months.",
                  "Ask for a recent pen test.", "security.pentest_date", 30, 3,
                  team="security", blocking=True)
OLD_WARNING = Finding("procurement.auto_renew_notice", "warn", "Short notice.", "Negotiate.",
                      "cost.notice_days", 60, 3)


def report(stale: list[Stale]) -> RereviewReport:
    return RereviewReport(dt.date(2027, 2, 25), PolicyInfo("c" * 64, "worktree"), 3, stale)


def stale() -> list[Stale]:
    hubspot_then = RequestResult("requests/hubspot.yaml", "hubspot", "approve",
                                 findings=(OLD_WARNING,), name="HubSpot")
    hubspot_now = RequestResult("requests/hubspot.yaml", "hubspot", "review", ("it",),
                                (SOR, OLD_WARNING), name="HubSpot")
    # Never committed, and named by whoever opened the pull request.
    odd = RequestResult("requests/odd_one.yaml", "odd_one", "review", ("security",),
                        (PENTEST,), name="Odd <i>Tool</i> [beta]")
    return [Stale(hubspot_now, hubspot_then, "2026-04-01"), Stale(odd, None, None)]


def rendered(name: str, value: RereviewReport) -> str:
    stream = io.StringIO()
    render(REREVIEW_FORMATTERS, name, value, stream)
    return stream.getvalue()


def test_text_lists_only_the_new_blocking_findings() -> None:
    assert rendered("text", report(stale())) == (
        "hubspot (requests/hubspot.yaml): approve when it last changed on 2026-04-01 -> "
        "review now\n"
        "  requests/hubspot.yaml:49:5 review integration.system_of_record_write: HubSpot "
        "would write into `salesforce`.\n"
        "      exception expired on 2027-01-31 (was approved by ciso@example.com)\n"
        "      fix: Set `direction: inbound`.\n"
        "  reviewers: it\n"
        "odd_one (requests/odd_one.yaml): no earlier answer -> review now\n"
        "  requests/odd_one.yaml:30:3 review security.pentest_recent: No pen test in 12 "
        "months.\n"
        "      fix: Ask for a recent pen test.\n"
        "  reviewers: security\n"
        "\n"
        "2 of 3 requests need a new look\n"
        "judged by policy worktree (revision cccccccccccc) as of 2027-02-25\n")


def test_markdown_escapes_names() -> None:
    assert rendered("markdown", report(stale())) == (
        "## martechgov re-review: 2 of 3 requests need a new look\n"
        "\n"
        "### 👀 requests/hubspot.yaml (HubSpot): approve when it last changed on "
        "2026-04-01 → **review** now\n"
        "\n"
        "- **review** `integration.system_of_record_write` (line 49): HubSpot would write "
        "into `salesforce`.\n"
        "  - _exception expired on 2027-01-31 (was approved by ciso@example.com)_\n"
        "  - Fix: Set `direction: inbound`.\n"
        "\n"
        "### 👀 requests/odd\\_one.yaml (Odd &lt;i&gt;Tool&lt;/i&gt; \\[beta\\]): "
        "no earlier answer → **review** now\n"
        "\n"
        "- **review** `security.pentest_recent` (line 30): No pen test in 12 months.\n"
        "  - Fix: Ask for a recent pen test.\n"
        "\n"
        "<sub>Judged by policy `worktree (revision cccccccccccc)` as of 2027-02-25.</sub>\n")


def test_nothing_stale() -> None:
    assert rendered("text", report([])) == (
        "\nall 3 requests still get the answer they landed with\n"
        "judged by policy worktree (revision cccccccccccc) as of 2027-02-25\n")
    assert rendered("markdown", report([])) == (
        "## martechgov re-review: all 3 requests still get the answer they landed with\n\n"
        "<sub>Judged by policy `worktree (revision cccccccccccc)` as of 2027-02-25.</sub>\n")
