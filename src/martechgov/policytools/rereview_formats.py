"""Renderings of a RereviewReport: text for a terminal, markdown for a step summary."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol, TextIO

from martechgov.rendering import finding_lines
from martechgov.rendering import ICONS
from martechgov.policytools.rereview import RereviewReport, Stale


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
            stream.write(f"{now.id or now.file} ({now.file}): {_was(item)} -> "
                         f"{now.decision} now\n")
            for line in finding_lines(replace(now, findings=item.new_findings)):
                stream.write(f"  {line}\n")
        stream.write(f"\n{_headline(report)} (as of {report.as_of.isoformat()}, policy "
                     f"{report.policy.source} revision {report.policy.revision[:12]})\n")


class RereviewMarkdown:
    def write(self, report: RereviewReport, stream: TextIO) -> None:
        stream.write(f"## martechgov re-review: {_headline(report)}\n\n")
        for item in report.stale:
            now = item.now
            stream.write(f"### {ICONS[now.decision]} `{now.file}` ({now.name or now.id}): "
                         f"{_was(item)} → **{now.decision}** now\n\n")
            for f in item.new_findings:
                stream.write(f"- **{f.level}** `{f.rule}` (line {f.line}): {f.message}\n")
                if f.fix:
                    stream.write(f"  - Fix: {f.fix}\n")
            stream.write("\n")
        stream.write(f"<sub>As of {report.as_of.isoformat()}, policy "
                     f"`{report.policy.source}` (revision {report.policy.revision[:12]}).</sub>\n")


class RereviewFormatter(Protocol):
    def write(self, report: RereviewReport, stream: TextIO) -> None: ...


REREVIEW_FORMATTERS: dict[str, type[RereviewFormatter]] = {
    "text": RereviewText, "markdown": RereviewMarkdown,
}
