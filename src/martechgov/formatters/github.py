"""GitHub Actions workflow commands: one annotation per finding, at its line.

Deny and invalid are errors, review a warning, advice (and findings an active
exception covers) a notice. When GITHUB_STEP_SUMMARY names a file, the Markdown report
is appended to it so the run's summary page shows the whole answer.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

from martechgov.escape import workflow_data, workflow_property
from martechgov.formatters.base import summary_text
from martechgov.formatters.markdown import MarkdownFormatter
from martechgov.rendering import exception_note, policy_label
from martechgov.result import CheckReport, Finding

COMMANDS = {"error": "error", "deny": "error", "review": "warning", "warn": "notice"}


def command(name: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{key}={workflow_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{workflow_data(message)}\n" if props else \
        f"::{name}::{workflow_data(message)}\n"


class GithubFormatter:
    def __init__(self, summary_path: Path | None = None) -> None:
        self.summary_path = summary_path

    def write(self, report: CheckReport, stream: TextIO) -> None:
        if report.policy.warning:
            stream.write(command("warning", report.policy.warning, title="martechgov"))
        for result in report.results:
            stream.write(f"{result.file}: {result.decision}"
                         + (f" (reviews: {', '.join(result.reviewers)})" if result.reviewers
                            else "") + "\n")
            for finding in result.findings:
                stream.write(self._annotation(result.file, finding))
        for path in report.retired:
            stream.write(f"{path}: retired (deleted)\n")
        stream.write(f"{summary_text(report)}; policy {policy_label(report.policy)}, as of "
                     f"{report.as_of.isoformat()}\n")
        if self.summary_path is not None:
            buffer = io.StringIO()
            MarkdownFormatter().write(report, buffer)
            with self.summary_path.open("a", encoding="utf-8") as summary:
                summary.write(buffer.getvalue() + "\n")

    @staticmethod
    def _annotation(file: str, finding: Finding) -> str:
        name = "notice" if finding.excepted else COMMANDS[finding.level]
        message = finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")
        note = exception_note(finding)
        if note:
            message += f"\n{note[0].upper()}{note[1:]}"
        return command(name, message, file=file, line=finding.line, col=finding.column,
                       title=f"{finding.rule} ({finding.level})")
