"""A pull-request comment / step summary: a table of requests, then each one's findings.

Every file name, tool name and message passes through `escape.markdown` (or
`escape.markdown_prose` for policy text, which keeps its `code` spans): no value from a
request can end a table row, start an HTML comment that hides other rows, or close a
code span. File names are shown as escaped text, never inside raw backticks.
"""

from __future__ import annotations

from typing import TextIO

from martechgov import escape
from martechgov.formatters.base import summary_text
from martechgov.rendering import ICONS, exception_note, policy_label
from martechgov.result import CheckReport, Finding, RequestResult

LEVEL_WORDS = {"deny": "deny", "review": "review", "warn": "warning", "error": "invalid"}


def name_text(text: str) -> str:
    """A file or tool name from a request: cut and escaped."""
    return escape.markdown(escape.truncate(text))


def prose_text(text: str) -> str:
    """A message, fix or note (policy text quoting request values): cut and escaped."""
    return escape.markdown_prose(escape.truncate(text, escape.MESSAGE_LIMIT))


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
                stream.write(f"| {name_text(r.file)} | {name_text(r.name or '')} | "
                             f"{ICONS[r.decision]} {r.decision} | "
                             f"{', '.join(r.reviewers)} | {_short(r.blob)} |\n")
            stream.write("\n")
        for result in report.results:
            if result.findings:
                self._request(result, stream)
        if report.retired:
            stream.write("Retired (deleted) requests: "
                         + ", ".join(name_text(p) for p in report.retired) + "\n\n")
        stream.write(f"<sub>Judged by policy `{policy_label(report.policy)}` as of "
                     f"{report.as_of.isoformat()} with the {report.engine} engine; blob: "
                     "the content judged (`git hash-object <file>`).</sub>\n")

    def _request(self, result: RequestResult, stream: TextIO) -> None:
        title = f" ({name_text(result.name)})" if result.name else ""
        stream.write(f"### {ICONS[result.decision]} {name_text(result.file)}{title}: "
                     f"{result.decision}\n\n")
        for finding in result.findings:
            stream.write(self._finding(finding))
        if result.reviewers:
            stream.write("\nReviews needed from: "
                         + ", ".join(f"**{t}**" for t in result.reviewers) + "\n")
        stream.write("\n")

    @staticmethod
    def _finding(finding: Finding) -> str:
        text = (f"- **{LEVEL_WORDS[finding.level]}** `{finding.rule}` "
                f"(line {finding.line}): {prose_text(finding.message)}\n")
        note = exception_note(finding)
        if note:
            text += f"  - _{prose_text(note)}_\n"
        if finding.fix:
            text += f"  - Fix: {prose_text(finding.fix)}\n"
        if finding.fix_yaml and "`" not in finding.fix_yaml:
            block = "".join(f"    {escape.visible(line)}\n"
                            for line in finding.fix_yaml.split("\n"))
            text += f"  - Paste after line {finding.line}:\n    ```yaml\n{block}    ```\n"
        return text
