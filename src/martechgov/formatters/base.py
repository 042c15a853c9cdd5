"""Wordings the check-report formats share (the registry shape is in `rendering`)."""

from __future__ import annotations

from martechgov.result import CheckReport


def summary_text(report: CheckReport) -> str:
    summary = report.summary
    total = len(report.results)
    noun = "request" if total == 1 else "requests"
    counts = ", ".join(f"{summary[d]} {d}" for d in ("approve", "review", "deny", "invalid"))
    return f"{total} {noun}: {counts}"
