"""SARIF 2.1.0 for GitHub code scanning: one rule per policy rule id, results at lines.

Messages quote request values: each is cut (`escape.MESSAGE_LIMIT`) and shows invisible
characters escaped, so a 900 KB value is not copied into every result and rule.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from martechgov import __version__, escape
from martechgov.result import LEVEL_ORDER, CheckReport, Finding, RequestResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "deny": "error", "review": "warning", "warn": "note"}


def _text(text: str) -> str:
    return escape.visible(escape.truncate(text, escape.MESSAGE_LIMIT))


def _rule(rule_id: str, first: Finding, level: str) -> dict[str, Any]:
    area, _, name = rule_id.partition(".")
    help_text = _text(first.fix or first.message)
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in f"{area}_{name}".split("_")),
        "shortDescription": {"text": f"{area}: {name.replace('_', ' ')}"},
        "fullDescription": {"text": _text(first.message)},
        "help": {"text": help_text, "markdown": f"**What to do:** {help_text}"},
        "defaultConfiguration": {"level": LEVELS[level]},
        "properties": {"tags": ["martechgov", area]},
    }


def _result(request: RequestResult, finding: Finding, index: int) -> dict[str, Any]:
    text = _text(finding.message) + (f" Fix: {_text(finding.fix)}" if finding.fix else "")
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.level],
        "message": {"text": text},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": escape.visible(request.file), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": finding.line, "startColumn": finding.column},
        }}],
        "properties": {"martechgovLevel": finding.level,
                       "field": escape.truncate(finding.field) if finding.field else None,
                       "requestBlob": request.blob},
    }
    if finding.team:
        result["properties"]["team"] = finding.team
    exc = finding.exception
    if exc is not None and finding.excepted:
        result["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": _text(
                f"{exc.reason} (approved by {exc.approved_by}, until {exc.expires})"),
        }]
    return result


def sarif_document(report: CheckReport) -> dict[str, Any]:
    first: dict[str, Finding] = {}
    severest: dict[str, str] = {}
    for result in report.results:
        for finding in result.findings:
            first.setdefault(finding.rule, finding)
            current = severest.get(finding.rule)
            if current is None or LEVEL_ORDER[finding.level] < LEVEL_ORDER[current]:
                severest[finding.rule] = finding.level
    rule_ids = sorted(first)
    index = {rule: i for i, rule in enumerate(rule_ids)}
    notifications = [{"level": "warning", "message": {"text": report.policy.warning}}] \
        if report.policy.warning else []
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "martechgov",
                "version": __version__,
                "informationUri": "https://github.com/martechgov/martechgov",
                "rules": [_rule(r, first[r], severest[r]) for r in rule_ids],
            }},
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": notifications,
            }],
            # Every request judged, with the git blob id of its content (those without
            # findings too), so that each decision can be reproduced.
            "artifacts": [{"location": {"uri": escape.visible(r.file), "uriBaseId": "%SRCROOT%"},
                           "properties": {"blob": r.blob, "decision": r.decision}}
                          for r in report.results],
            "results": [_result(r, f, index[f.rule])
                        for r in report.results for f in r.findings],
            "properties": {
                "policySource": report.policy.source,
                "policyRevision": report.policy.revision,
                "policyWarning": report.policy.warning,
                "asOf": report.as_of.isoformat(),
                "engine": report.engine,
                "summary": report.summary,
            },
        }],
    }


class SarifFormatter:
    def write(self, report: CheckReport, stream: TextIO) -> None:
        json.dump(sarif_document(report), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
