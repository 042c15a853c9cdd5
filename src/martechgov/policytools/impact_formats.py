"""Renderings of an ImpactReport by name (the `rendering.Registry` shape): text for a
terminal, markdown for a pull request, json for tools."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from martechgov import escape
from martechgov.policytools.impact import Change, FindingKey, ImpactReport
from martechgov.rendering import ICONS, Registry, envelope, policy_json, policy_label
from martechgov.result import RequestResult


def _rules(keys: list[FindingKey], sign: str) -> list[str]:
    return [f"{sign}{rule} ({level})" for rule, level, *_ in keys]


def _flips(report: ImpactReport) -> str:
    counts = Counter(f"{c.before.decision} -> {c.after.decision}" for c in report.changes)
    return ", ".join(f"{n} {flip}" for flip, n in sorted(counts.items()))


def headline(report: ImpactReport) -> str:
    n = len(report.changes)
    if not n:
        return f"no request changes (of {report.total})"
    return f"{n} of {report.total} requests change: {_flips(report)}"


def change_line(change: Change) -> str:
    before, after = change.before, change.after
    text = f"{escape.terminal(change.label)}: {before.decision} -> {after.decision}"
    if before.reviewers != after.reviewers:
        text += (f"; reviewers {', '.join(before.reviewers) or 'none'} -> "
                 f"{', '.join(after.reviewers) or 'none'}")
    rules = _rules(change.added, "+") + _rules(change.removed, "-")
    return text + (f" ({', '.join(rules)})" if rules else "")


class ImpactText:
    def write(self, report: ImpactReport, stream: TextIO) -> None:
        for change in report.changes:
            stream.write(change_line(change) + "\n")
        stream.write(f"\n{headline(report)}\n"
                     f"policy {policy_label(report.before)} -> "
                     f"{policy_label(report.after)}, as of {report.as_of.isoformat()}\n")


class ImpactMarkdown:
    def write(self, report: ImpactReport, stream: TextIO) -> None:
        stream.write(f"## martechgov policy impact: {headline(report)}\n\n")
        if report.changes:
            stream.write("| request | before | after | reviewers after | findings |\n"
                         "|---|---|---|---|---|\n")
            for c in report.changes:
                rules = _rules(c.added, "+") + _rules(c.removed, "−")
                stream.write(
                    f"| {escape.markdown(c.label)} | "
                    f"{ICONS[c.before.decision]} {c.before.decision} | "
                    f"{ICONS[c.after.decision]} {c.after.decision} | "
                    f"{', '.join(c.after.reviewers)} | "
                    f"{'<br>'.join(f'`{r}`' for r in rules)} |\n")
            stream.write("\n")
        stream.write(f"<sub>Policy `{policy_label(report.before)}` → "
                     f"`{policy_label(report.after)}`, as of {report.as_of.isoformat()}, "
                     f"{report.engine} engine.</sub>\n")


def _side(result: RequestResult) -> dict[str, Any]:
    return {"decision": result.decision, "reviewers": list(result.reviewers)}


def _keys(keys: list[FindingKey]) -> list[dict[str, Any]]:
    return [{"rule": r, "level": lv, "field": fd, "team": t, "exception": e}
            for r, lv, fd, t, e in keys]


class ImpactJson:
    """The shared JSON head; `policy` is the policies after the change, `before` the
    ones before it."""

    def write(self, report: ImpactReport, stream: TextIO) -> None:
        doc = envelope(
            report.as_of, report.after, engine=report.engine,
            before=policy_json(report.before), total=report.total,
            changed=[{"file": c.file, "id": c.label, "before": _side(c.before),
                      "after": _side(c.after), "added": _keys(c.added),
                      "removed": _keys(c.removed)} for c in report.changes],
        )
        json.dump(doc, stream, ensure_ascii=False)
        stream.write("\n")


IMPACT_FORMATTERS: Registry[ImpactReport] = {
    "text": lambda ctx: ImpactText(),
    "markdown": lambda ctx: ImpactMarkdown(),
    "json": lambda ctx: ImpactJson(),
}
