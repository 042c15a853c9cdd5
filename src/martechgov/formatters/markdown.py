"""A pull-request comment / step summary: a table of requests, then each one's findings."""

from __future__ import annotations

from typing import TextIO

from martechgov import escape
from martechgov.formatters.base import summary_text
from martechgov.rendering import ICONS, exception_note, policy_label
from martechgov.result import CheckReport, Finding, RequestResult

LEVEL_WORDS = {"deny": "deny", "review": "review", "warn": "warning", "error": "invalid"}


def _short(blob: str | None) -> str:
    return f"`{blob[:12]}`" if blob else "-"


class MarkdownFormatter:
    def write(self, report: CheckReport, stream: TextIO) -> None:
        stream.write(f"## martechgov: {summary_text(report)}\n\n")
        if report.policy.warning:
            stream.write(f"> [!WARNING]\n> {report.policy.warning}\n\n")
        if report.results:
            stream.write("| request | tool | decision | reviews needed from | blob |\n"
                         "|---|---|---|---|---|\n")
            for r in report.results:
                stream.write(f"| `{r.file}` | {escape.markdown(r.name or '')} | "
                             f"{ICONS[r.decision]} {r.decision} | "
                             f"{', '.join(r.reviewers)} | {_short(r.blob)} |\n")
            stream.write("\n")
        for result in report.results:
            if result.findings:
                self._request(result, stream)
        if report.retired:
            stream.write("Retired (deleted) requests: "
                         + ", ".join(f"`{p}`" for p in report.retired) + "\n\n")
        stream.write(f"<sub>Judged by policy `{policy_label(report.policy)}` as of "
                     f"{report.as_of.isoformat()} with the {report.engine} engine; blob: "
                     "the content judged (`git hash-object <file>`).</sub>\n")

    def _request(self, result: RequestResult, stream: TextIO) -> None:
        title = f" ({escape.markdown(result.name)})" if result.name else ""
        stream.write(f"### {ICONS[result.decision]} `{result.file}`{title}: "
                     f"{result.decision}\n\n")
        for finding in result.findings:
            stream.write(self._finding(result, finding))
        if result.reviewers:
            stream.write("\nReviews needed from: "
                         + ", ".join(f"**{t}**" for t in result.reviewers) + "\n")
        stream.write("\n")

    @staticmethod
    def _finding(result: RequestResult, finding: Finding) -> str:
        where = f"line {finding.line}"
        text = (f"- **{LEVEL_WORDS[finding.level]}** `{finding.rule}` ({where}): "
                f"{escape.markdown_prose(finding.message)}\n")
        note = exception_note(finding)
        if note:
            text += f"  - _{escape.markdown_prose(note)}_\n"
        if finding.fix:
            text += f"  - Fix: {escape.markdown_prose(finding.fix)}\n"
        return text
