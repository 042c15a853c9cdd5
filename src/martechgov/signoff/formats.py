"""Renderings of a SignoffReport by name (the `rendering.Registry` shape).

Each format writes the check report first, in the check's own format (findings, fixes,
reviewers), then the sign-off answer; JSON is the check's document with a `signoff`
object added (docs/signoff.md documents its shape). The check formats are handed in
(`signoff_formats(FORMATTERS, report_json)`): features never import each other.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from martechgov import escape
from martechgov.rendering import Registry, RenderContext, Renderer
from martechgov.result import CheckReport
from martechgov.signoff.comment import SignoffComment
from martechgov.signoff.gate import RequestSignoff, SignoffReport, TeamSignoff

ICON_SIGNED, ICON_WAITING = "✅", "⏳"
MAX_NAMES = 8  # logins listed per team before "and N more"
FAILS_ANYWAY = "a denied or invalid request fails whatever the sign-off"
WHAT_IT_MEANS = (
    "A request in review can be merged only when each team below has approved this pull "
    "request on its latest commit. A new commit needs new approvals; the author's own "
    "approval does not count."
)

Escape = Callable[[str], str]


def headline(report: SignoffReport) -> str:
    if report.waiting_for:
        text = f"waiting for sign-off from {', '.join(report.waiting_for)}"
    elif report.requests:
        text = f"signed off: every team named approved commit {report.head_sha[:7]}"
    else:
        text = "no request in review, nothing to sign off"
    return f"{text}; {FAILS_ANYWAY}" if report.check.exit_code else text


def names(logins: Sequence[str], esc: Escape) -> str:
    shown = [esc(login) for login in logins[:MAX_NAMES]]
    more = len(logins) - MAX_NAMES
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def team_status(team: TeamSignoff, esc: Escape) -> str:
    if team.signed_off:
        return f"signed off by {names(team.signed_by, esc)}"
    return "; ".join(["waiting for sign-off", *notes(team, esc)])


def notes(team: TeamSignoff, esc: Escape) -> list[str]:
    """Why a waiting team's reviews do not count yet."""
    found = []
    if team.approved_earlier:
        found.append(f"an earlier commit was approved by {names(team.approved_earlier, esc)}"
                     ", the latest one needs a new approval")
    if team.changes_requested:
        found.append(f"changes were asked for by {names(team.changes_requested, esc)}")
    return found


def who_can(team: TeamSignoff, esc: Escape) -> str:
    who = [*([names(team.people, esc)] if team.people else []),
           *(f"members of {esc(ref)}" for ref in team.github_teams)]
    return ", ".join(who) or "nobody but the author: IT must name someone in teams.yaml"


class SignoffText:
    def write(self, report: SignoffReport, stream: TextIO) -> None:
        t = escape.terminal
        for request in report.requests:
            r = request.result
            stream.write(f"\nSIGN-OFF {t(r.file)}  {t(r.name or '')}\n")
            for team in request.teams:
                stream.write(f"  {t(team.team)}: {team_status(team, t)}\n")
                if not team.signed_off:
                    stream.write(f"      may sign off: {who_can(team, t)}\n")
        stream.write(f"sign-off: {headline(report)}\n")


class SignoffMarkdown:
    def write(self, report: SignoffReport, stream: TextIO) -> None:
        m = escape.markdown
        icon = ICON_WAITING if report.waiting_for or report.check.exit_code else ICON_SIGNED
        stream.write(f"\n## Sign-off: {icon} {m(headline(report))}\n\n")
        if not report.requests:
            return
        stream.write(f"{WHAT_IT_MEANS} Latest commit: `{report.head_sha[:7]}`.\n\n"
                     "| request | team | sign-off | who can sign off |\n|---|---|---|---|\n")
        for request in report.requests:
            for team in request.teams:
                stream.write(self._row(request, team))
        stream.write("\n")

    @staticmethod
    def _row(request: RequestSignoff, team: TeamSignoff) -> str:
        m = escape.markdown
        icon = ICON_SIGNED if team.signed_off else ICON_WAITING
        return (f"| {m(request.result.file)} | **{m(team.team)}** | {icon} "
                f"{team_status(team, m)} | {who_can(team, m)} |\n")


class SignoffGithub:
    """An annotation per team at its first finding (error while waiting, notice when
    signed off) and a summary line; the command line puts the Markdown rendering in the
    step summary."""

    def write(self, report: SignoffReport, stream: TextIO) -> None:
        for request in report.requests:
            for team in request.teams:
                stream.write(_annotation(request, team))
        stream.write(f"sign-off: {headline(report)}\n")


def _annotation(request: RequestSignoff, team: TeamSignoff) -> str:
    if team.signed_off:
        name, title = "notice", f"Signed off: {team.team}"
        message = f"{_sentence(team_status(team, _as_is))}."
    else:
        name, title = "error", f"Waiting for sign-off: {team.team}"
        message = " ".join([
            f"{team.team} must approve this pull request on its latest commit.",
            *(f"{_sentence(note)}." for note in notes(team, _as_is)),
            f"Who can sign off: {who_can(team, _as_is)}."])
    props = ",".join(f"{key}={escape.workflow_property(str(value))}" for key, value in
                     (("file", request.result.file), ("line", team.line), ("title", title)))
    return f"::{name} {props}::{escape.workflow_data(escape.one_line(message))}\n"


def _as_is(text: str) -> str:  # workflow escaping applies to the whole message
    return text


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def team_json(team: TeamSignoff) -> dict[str, Any]:
    return {
        "team": team.team,
        "signed_off": team.signed_off,
        "signed_by": list(team.signed_by),
        "approved_earlier_commit": list(team.approved_earlier),
        "changes_requested": list(team.changes_requested),
        "people": list(team.people),
        "github_teams": list(team.github_teams),
        "eligible": list(team.eligible),
        "members_unknown": list(team.members_unknown),
    }


def signoff_json(report: SignoffReport) -> dict[str, Any]:
    return {
        "ready": report.ready,
        "head_sha": report.head_sha,
        "author": report.author,
        "waiting_for": list(report.waiting_for),
        "requests": [{"file": r.result.file, "id": r.result.id, "decision": r.result.decision,
                      "signed_off": r.signed_off, "teams": [team_json(t) for t in r.teams]}
                     for r in report.requests],
        # the body of GitHub's "request reviewers" call, as is
        "request_reviewers": {"reviewers": list(report.reviewers),
                              "team_reviewers": list(report.team_reviewers)},
        "team_members_needed": list(report.team_members_needed),
    }


class SignoffJson:
    def __init__(self, check_json: Callable[[CheckReport], dict[str, Any]]) -> None:
        self.check_json = check_json

    def write(self, report: SignoffReport, stream: TextIO) -> None:
        doc = self.check_json(report.check)
        doc["signoff"] = signoff_json(report)
        stream.write(json.dumps(doc, ensure_ascii=False))
        stream.write("\n")


class CheckThenSignoff:
    """The check report in one format, then the sign-off answer in the same format."""

    def __init__(self, check: Renderer[CheckReport], signoff: Renderer[SignoffReport]) -> None:
        self.check = check
        self.signoff = signoff

    def write(self, report: SignoffReport, stream: TextIO) -> None:
        self.check.write(report.check, stream)
        self.signoff.write(report, stream)


class CheckOnly:
    """A format that has no place for the sign-off (SARIF, JUnit): the check report."""

    def __init__(self, check: Renderer[CheckReport]) -> None:
        self.check = check

    def write(self, report: SignoffReport, stream: TextIO) -> None:
        self.check.write(report.check, stream)


def signoff_formats(check_formats: Registry[CheckReport],
                    check_json: Callable[[CheckReport], dict[str, Any]]
                    ) -> Registry[SignoffReport]:
    """The sign-off formats, each built on the check format of the same name."""
    def both(name: str, signoff: Callable[[RenderContext], Renderer[SignoffReport]]
             ) -> Callable[[RenderContext], Renderer[SignoffReport]]:
        return lambda ctx: CheckThenSignoff(check_formats[name](ctx), signoff(ctx))

    return {
        "text": both("text", lambda ctx: SignoffText()),
        "markdown": both("markdown", lambda ctx: SignoffMarkdown()),
        "github": both("github", lambda ctx: SignoffGithub()),
        "json": lambda ctx: SignoffJson(check_json),
        "sarif": lambda ctx: CheckOnly(check_formats["sarif"](ctx)),
        "junit": lambda ctx: CheckOnly(check_formats["junit"](ctx)),
        # the pull-request comment (signoff/comment.py)
        "comment": lambda ctx: SignoffComment(check_formats["markdown"](ctx),
                                              SignoffMarkdown()),
    }
