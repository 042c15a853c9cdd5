"""The pull-request comment: one comment, kept up to date, that tells the marketer
everything in plain words.

It starts with a hidden marker (`MARKER`) by which the workflow finds it again and
updates it in place, then the answer in one sentence and what it means, then the check
report (each finding with its fix) and the sign-off table. Everything from a request is
escaped by the Markdown renderers it reuses (`escape.markdown`); the marker cannot be
forged by a request, whose `<` is written as `&lt;`. GitHub refuses comments over
65,536 characters, so the comment is cut at a line to `MAX_BYTES` (bytes: it also
travels through an environment variable).
"""

from __future__ import annotations

import io
from typing import TextIO

from martechgov import escape
from martechgov.rendering import Renderer, within
from martechgov.result import CheckReport
from martechgov.signoff.gate import SignoffReport

MARKER = "<!-- martechgov -->"
MAX_BYTES = 60_000
CUT_NOTE = ("\n\n_This comment was cut to fit on GitHub: {lines} more lines are in the "
            "run's summary (Checks tab, martechgov)._\n")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _teams(teams: tuple[str, ...]) -> str:
    names = [f"**{escape.markdown(team)}**" for team in teams]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def answer(report: SignoffReport) -> tuple[str, str]:
    """The answer as a heading and a paragraph in plain words."""
    summary = report.check.summary
    if report.check.exit_code:
        broken = [_plural(summary["deny"], "request is denied", "requests are denied")
                  if summary["deny"] else "",
                  _plural(summary["invalid"], "file is not a valid request",
                          "files are not valid requests") if summary["invalid"] else ""]
        text = (f"{' and '.join(filter(None, broken))}. Each finding below "
                "says what to change: push a commit with the change and this comment is "
                "updated. Approvals cannot outweigh a denied or invalid request.")
        if report.waiting_for:
            text += f" After that, {_teams(report.waiting_for)} must sign off."
        return "❌ Changes needed before this can be merged", text
    if report.waiting_for:
        return (f"⏳ Waiting for sign-off from {_teams(report.waiting_for)}",
                "Nothing in the request has to change. The teams named have been asked to "
                "review it; the pull request can be merged once one person from each has "
                "approved its latest commit (the table at the end shows who can). A new "
                "commit needs new approvals.")
    if report.requests:
        return ("✅ Signed off: ready to merge",
                f"Every team that had to look has approved commit "
                f"`{report.head_sha[:7]}`.")
    if report.check.results:
        return ("✅ Approved: ready to merge",
                "No rule holds this back; warnings below, if any, are advice.")
    return ("No tool request changed",
            "This pull request adds or changes no file under `requests/`.")


class SignoffComment:
    """The marker, the answer, the check report in Markdown, then the sign-off."""

    def __init__(self, check_markdown: Renderer[CheckReport],
                 signoff_markdown: Renderer[SignoffReport]) -> None:
        self.check_markdown = check_markdown
        self.signoff_markdown = signoff_markdown

    def write(self, report: SignoffReport, stream: TextIO) -> None:
        title, text = answer(report)
        body = io.StringIO()
        body.write(f"{MARKER}\n## {title}\n\n{text}\n\n")
        self.check_markdown.write(report.check, body)
        if report.requests:
            self.signoff_markdown.write(report, body)
        stream.write(within(body.getvalue(), MAX_BYTES, CUT_NOTE))
