"""The machine-readable result, exactly as DOMAIN.md's contract.

JSON can carry any text, but not without limit: messages and fields are cut
(`escape.truncate`) so a 900 KB value is not echoed whole; a file name with
bytes git could not decode arrives already escaped (`\\xNN`), and json.dumps escapes
control characters, so the file name is exact.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from martechgov import escape
from martechgov.rendering import envelope
from martechgov.result import CheckReport, Finding, RequestResult


def finding_json(finding: Finding) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "rule": finding.rule,
        "level": finding.level,
        "message": escape.truncate(finding.message, escape.MESSAGE_LIMIT),
        "fix": escape.truncate(finding.fix, escape.MESSAGE_LIMIT) if finding.fix else None,
        "field": escape.truncate(finding.field) if finding.field else None,
        "line": finding.line,
        "column": finding.column,
    }
    if finding.fix_yaml:
        doc["fix_yaml"] = finding.fix_yaml
    if finding.team:
        doc["team"] = finding.team
    if finding.exception is not None:
        doc["exception"] = finding.exception.model_dump()
    return doc


def result_json(result: RequestResult) -> dict[str, Any]:
    return {
        "file": result.file,
        "id": escape.visible(escape.truncate(result.id)) if result.id else None,
        "blob": result.blob,
        "decision": result.decision,
        "reviewers": list(result.reviewers),
        "findings": [finding_json(f) for f in result.findings],
    }


def report_json(report: CheckReport) -> dict[str, Any]:
    doc = envelope(report.as_of, report.policy, engine=report.engine)
    doc["summary"] = report.summary
    doc["results"] = [result_json(r) for r in report.results]
    if report.retired:
        doc["retired"] = list(report.retired)
    return doc


class JsonFormatter:
    def write(self, report: CheckReport, stream: TextIO) -> None:
        # Compact, through json.dumps: json.dump (and any indent) use the pure-Python
        # encoder, which costs seconds on 10,000 results. `python -m json.tool` reads it.
        stream.write(json.dumps(report_json(report), ensure_ascii=False))
        stream.write("\n")
