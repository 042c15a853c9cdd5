"""SARIF 2.1.0 for GitHub code scanning: one rule per policy rule id, results at lines.

Each rule's description and help come from its record (policies/data/rules.yaml, see
`martechgov.rulemeta`): title, owning team, citations, effective date and general fix,
the same for every request, never one finding's words. Problems with a file (invalid
YAML, schema errors) have fixed descriptions here.

Messages quote request values: each is cut (`escape.MESSAGE_LIMIT`) and shows invisible
characters escaped, so a 900 KB value is not copied into every result and rule.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from martechgov import __version__, escape
from martechgov.result import LEVEL_ORDER, CheckReport, Finding, RequestResult
from martechgov.rulemeta import RuleMeta

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "deny": "error", "review": "warning", "warn": "note"}


def _text(text: str) -> str:
    return escape.visible(escape.truncate(text, escape.MESSAGE_LIMIT))


# Problems with a file, which no policy rule emits: what each means, and what to do.
PROBLEMS = {
    "yaml": ("The file is not valid YAML",
             "Fix the YAML at the line shown (indentation, a missing colon, quotes)."),
    "file": ("The file cannot be read as a request",
             "Keep one plain UTF-8 YAML file per request, `requests/<id>.yaml`."),
    "schema": ("The request does not follow the martechgov/v1 format",
               "Correct the field at the line shown; the message lists the allowed values."),
    "request": ("The request's id or file name is wrong",
                "Make `id` unique and equal to the file name without `.yaml`."),
}
GENERIC_PROBLEM = ("The file is not a valid request", "Correct the file at the line shown.")


def _url(url: str) -> str:
    """A citation's address inside a Markdown link: parentheses and spaces encoded."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def _rule(rule_id: str, meta: RuleMeta | None, level: str) -> dict[str, Any]:
    area, _, name = rule_id.partition(".")
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in f"{area}_{name}".split("_")),
        "defaultConfiguration": {"level": LEVELS[meta.level if meta else level]},
        "properties": {"tags": ["martechgov", area]},
    }
    if meta is None:
        title, fix = PROBLEMS.get(area, GENERIC_PROBLEM) if level == "error" else (
            f"{area}: {name.replace('_', ' ')}", f"Run `martechgov rules` for {rule_id}.")
        return {**rule, "shortDescription": {"text": title},
                "fullDescription": {"text": title},
                "help": {"text": fix, "markdown": f"**What to do:** {fix}"}}
    owner = f"Owned by the {meta.team} team."
    when = f" In force from {meta.effective}." if meta.effective else ""
    sources = "".join(f"\n- {n}: {u}" for n, u in meta.citations)
    links = "".join(f"\n- [{escape.markdown(n)}]({_url(u)})" for n, u in meta.citations)
    rule["properties"].update({"team": meta.team, "effective": meta.effective,
                               "citations": [{"name": n, "url": u} for n, u in meta.citations]})
    if meta.citations:
        rule["helpUri"] = meta.citations[0][1]
    return {
        **rule,
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": f"{meta.title}. {owner}{when}"},
        "help": {
            "text": f"{meta.fix}" + (f"\n\nSources:{sources}" if sources else ""),
            "markdown": f"**What to do:** {escape.markdown_prose(meta.fix)}\n\n{owner}{when}"
                        + (f"\n\n**Sources:**{links}" if links else ""),
        },
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
    severest: dict[str, str] = {}
    for result in report.results:
        for finding in result.findings:
            current = severest.get(finding.rule)
            if current is None or LEVEL_ORDER[finding.level] < LEVEL_ORDER[current]:
                severest[finding.rule] = finding.level
    meta = {m.rule: m for m in report.policies.rules} if report.policies else {}
    rule_ids = sorted(severest)
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
                "rules": [_rule(r, meta.get(r), severest[r]) for r in rule_ids],
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
