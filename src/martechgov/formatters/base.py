"""What every output format shares: one interface, one set of wordings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TextIO

from martechgov.result import CheckReport, Finding, RequestResult

DECISION_WORDS = {
    "approve": "approved",
    "review": "needs review",
    "deny": "denied",
    "invalid": "invalid",
}


class Formatter(Protocol):
    """Renders a CheckReport to a stream. Formatters never decide anything."""

    def write(self, report: CheckReport, stream: TextIO) -> None: ...


def policy_label(report: CheckReport) -> str:
    """`worktree (revision 1a2b3c4d5e6f)`: which rules judged."""
    return f"{report.policy.source} (revision {report.policy.revision[:12]})"


def summary_text(report: CheckReport) -> str:
    summary = report.summary
    total = len(report.results)
    noun = "request" if total == 1 else "requests"
    counts = ", ".join(f"{summary[d]} {d}" for d in ("approve", "review", "deny", "invalid"))
    return f"{total} {noun}: {counts}"


def finding_lines(result: RequestResult,
                  style: Callable[[str], str] = lambda level: level) -> list[str]:
    """`file:line:col level rule: message`, then the exception and the fix, indented;
    then the reviewers. Shared by the text and JUnit formats (`style` colours levels)."""
    lines = []
    for f in result.findings:
        lines.append(f"{result.file}:{f.line}:{f.column} {style(f.level)} {f.rule}: "
                     f"{f.message}")
        note = exception_note(f)
        if note:
            lines.append(f"    {note}")
        if f.fix:
            lines.append(f"    fix: {f.fix}")
    if result.reviewers:
        lines.append(f"reviewers: {', '.join(result.reviewers)}")
    return lines


def exception_note(finding: Finding) -> str:
    """`excepted until 2027-01-31 by CISO: reason` or `exception expired on ...`."""
    exc = finding.exception
    if exc is None:
        return ""
    if exc.status == "active":
        return f"excepted until {exc.expires} by {exc.approved_by}: {exc.reason}"
    return f"exception expired on {exc.expires} (was approved by {exc.approved_by})"
