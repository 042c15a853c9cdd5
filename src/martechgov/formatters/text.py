"""Human output: per request the decision, then `file:line:col level rule: message`.

File names, tool names and messages are shown through `rendering.plain_text`: a control
or bidi character in a request cannot recolour, move or overwrite a line (a forged
APPROVE over a DENY), it is shown as `\\x1b`.
"""

from __future__ import annotations

from typing import TextIO

import click

from martechgov.formatters.base import summary_text
from martechgov.rendering import finding_lines, plain_text, policy_label
from martechgov.result import CheckReport, RequestResult

_COLORS = {"approve": "green", "review": "yellow", "deny": "red", "invalid": "magenta",
           "error": "magenta", "warn": "cyan"}


class TextFormatter:
    def __init__(self, color: bool = False) -> None:
        self.color = color

    def _style(self, text: str, key: str, bold: bool = False) -> str:
        if not self.color:
            return text
        return click.style(text, fg=_COLORS.get(key), bold=bold)

    def write(self, report: CheckReport, stream: TextIO) -> None:
        warning = report.policy.warning
        if warning:
            stream.write(f"{self._style('WARNING', 'deny', bold=True)}: {warning}\n\n")
        for result in report.results:
            self._request(result, stream)
        for path in report.retired:
            stream.write(f"{self._style('RETIRED', 'approve', bold=True):<8} "
                         f"{plain_text(path)}\n")
        stream.write(
            f"\n{summary_text(report)}\n"
            f"judged by policy {policy_label(report.policy)} as of {report.as_of.isoformat()} "
            f"with the {report.engine} engine\n"
        )
        if warning:
            stream.write(f"{self._style('WARNING', 'deny', bold=True)}: {warning}\n")

    def _request(self, result: RequestResult, stream: TextIO) -> None:
        label = self._style(f"{result.decision.upper():<8}", result.decision, bold=True)
        title = f"  {plain_text(result.name)}" if result.name else ""
        stream.write(f"{label} {plain_text(result.file)}{title}\n")
        for line in finding_lines(result, lambda level: self._style(level, level)):
            stream.write(f"  {line}\n")
