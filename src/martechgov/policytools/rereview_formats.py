"""Renderings of a RereviewReport by name (the `rendering.Registry` shape): text for a
terminal, markdown for the scheduled workflow's step summary."""

from __future__ import annotations

from dataclasses import replace
from typing import TextIO

from martechgov import escape
from martechgov.policytools.rereview import RereviewReport, Stale
from martechgov.rendering import ICONS, Registry, exception_note, finding_lines, policy_label
from martechgov.result import Finding


def _was(item: Stale) -> str:
    if item.then is None:
        return "no earlier answer"
    return f"{item.then.decision} when it last changed on {item.since}"


def _headline(report: RereviewReport) -> str:
    n = len(report.stale)
    if not n:
        return f"all {report.total} requests still get the answer they landed with"
    return f"{n} of {report.total} requests need a new look"


class RereviewText:
    def write(self, report: RereviewReport, stream: TextIO) -> None:
        for item in report.stale:
            now = item.now
            stream.write(f"{escape.terminal(now.id or now.file)} "
                         f"({escape.terminal(now.file)}): {_was(item)} -> "
                         f"{now.decision} now\n")
            for line in finding_lines(replace(now, findings=item.new_findings)):
                stream.write(f"  {line}\n")
        stream.write(f"\n{_headline(report)}\njudged by policy "
                     f"{policy_label(report.policy)} as of {report.as_of.isoformat()}\n")


class RereviewMarkdown:
    def write(self, report: RereviewReport, stream: TextIO) -> None:
        stream.write(f"## martechgov re-review: {_headline(report)}\n\n")
        for item in report.stale:
            now = item.now
            stream.write(f"### {ICONS[now.decision]} {escape.markdown(now.file)} "
                         f"({escape.markdown(now.name or now.id or '')}): "
                         f"{_was(item)} → **{now.decision}** now\n\n")
            for finding in item.new_findings:
                stream.write(_finding(finding))
            stream.write("\n")
        stream.write(f"<sub>Judged by policy `{policy_label(report.policy)}` as of "
                     f"{report.as_of.isoformat()}.</sub>\n")


def _finding(finding: Finding) -> str:
    text = (f"- **{finding.level}** `{finding.rule}` (line {finding.line}): "
            f"{escape.markdown_prose(finding.message)}\n")
    note = exception_note(finding)
    if note:  # a new blocking finding can carry an exception that expired
        text += f"  - _{escape.markdown_prose(note)}_\n"
    if finding.fix:
        text += f"  - Fix: {escape.markdown_prose(finding.fix)}\n"
    return text


REREVIEW_FORMATTERS: Registry[RereviewReport] = {
    "text": lambda ctx: RereviewText(),
    "markdown": lambda ctx: RereviewMarkdown(),
}
