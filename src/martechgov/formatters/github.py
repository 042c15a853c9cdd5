"""GitHub Actions workflow commands: annotations at the finding's line, within GitHub's
limits, and plain log lines no request can turn into a command.

Deny and invalid are errors, review a warning, advice (and findings an active
exception covers) a notice. GitHub shows at most 10 error, 10 warning and 10 notice
annotations per step and 50 per job, and silently drops the rest (actions/toolkit,
docs/problem-matchers.md, "Limitations"). So the annotations come most severe first,
at most that many, and one last notice says how many more findings there are and
where to read them: every finding is in the step summary (the Markdown report, which
cli.common.write_reports appends) and in the SARIF report.

The runner reads a log line as a command when it starts with `::` or contains `##[`:
every plain line starts with a fixed word and shows untrusted text through
`escape.workflow_log`; annotations escape their properties and data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from martechgov import escape
from martechgov.formatters.base import summary_text
from martechgov.rendering import exception_note, policy_label
from martechgov.result import LEVEL_ORDER, CheckReport, Finding, RequestResult

COMMANDS = {"error": "error", "deny": "error", "review": "warning", "warn": "notice"}
TITLE_WORDS = {"error": "Invalid", "deny": "Deny", "review": "Review", "warn": "Advice"}
# What GitHub displays per step, for each kind of annotation.
LIMIT_PER_KIND = 10
_KIND_ORDER = {"error": 0, "warning": 1, "notice": 2}


def command(name: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{key}={escape.workflow_property(str(value))}"
                     for key, value in properties.items())
    return f"::{name} {props}::{escape.workflow_data(message)}\n" if props else \
        f"::{name}::{escape.workflow_data(message)}\n"


def _text(text: str, limit: int = escape.MESSAGE_LIMIT) -> str:
    return escape.terminal(escape.truncate(text, limit))


@dataclass(frozen=True)
class Annotation:
    kind: str  # error, warning or notice
    rank: tuple[int, int]  # most severe first
    line: str


def title(finding: Finding) -> str:
    """`Deny: privacy.dpa_required`, `Review (legal): ...`, `Invalid: schema.unknown_field`."""
    word = TITLE_WORDS[finding.level]
    if finding.team:
        word += f" ({finding.team})"
    if finding.excepted:
        word = f"Excepted {word[0].lower()}{word[1:]}"
    return f"{word}: {finding.rule}"


def annotation(result: RequestResult, finding: Finding) -> Annotation:
    kind = "notice" if finding.excepted else COMMANDS[finding.level]
    message = _text(finding.message) + (f"\nFix: {_text(finding.fix)}" if finding.fix else "")
    if finding.fix_yaml:
        message += f"\nPaste after line {finding.line}:\n" + "\n".join(
            _text(line) for line in finding.fix_yaml.split("\n"))
    note = exception_note(finding)
    if note:
        message += f"\n{_text(note[0].upper() + note[1:])}"
    line = command(kind, message, file=escape.visible(result.file), line=finding.line,
                   col=finding.column, title=title(finding))
    return Annotation(kind, (_KIND_ORDER[kind], LEVEL_ORDER[finding.level]), line)


def within_limits(annotations: list[Annotation]) -> tuple[list[Annotation], int]:
    """The annotations GitHub will show (most severe first) and how many are left out;
    when some are, one notice is kept free to say so."""
    ordered = sorted(annotations, key=lambda a: a.rank)  # stable: file, then line order
    counts = {kind: sum(a.kind == kind for a in ordered) for kind in _KIND_ORDER}
    caps = dict.fromkeys(_KIND_ORDER, LIMIT_PER_KIND)
    if any(counts[kind] > caps[kind] for kind in caps):
        caps["notice"] -= 1
    shown: list[Annotation] = []
    for item in ordered:
        if caps[item.kind]:
            caps[item.kind] -= 1
            shown.append(item)
    return shown, len(ordered) - len(shown)


def _plain_line(result: RequestResult) -> str:
    reviews = f" (reviews: {', '.join(result.reviewers)})" if result.reviewers else ""
    return f"{result.decision}: {escape.workflow_log(escape.truncate(result.file))}{reviews}\n"


class GithubFormatter:
    def write(self, report: CheckReport, stream: TextIO) -> None:
        annotations = []
        if report.policy.warning:
            annotations.append(Annotation("warning", (-1, 0), command(
                "warning", report.policy.warning, title="martechgov")))
        for result in report.results:
            stream.write(_plain_line(result))
            annotations += [annotation(result, finding) for finding in result.findings]
        for path in report.retired:
            stream.write(f"retired: {escape.workflow_log(escape.truncate(path))} (deleted)\n")
        shown, left_out = within_limits(annotations)
        stream.writelines(a.line for a in shown)
        if left_out:
            noun = "finding is" if left_out == 1 else "findings are"
            stream.write(command(
                "notice", f"{left_out:,} more {noun} not shown as annotations (GitHub shows "
                f"at most {LIMIT_PER_KIND} errors, {LIMIT_PER_KIND} warnings and "
                f"{LIMIT_PER_KIND} notices per step): read every finding in the run's step "
                "summary or the SARIF report.", title="martechgov: more findings"))
        stream.write(f"{summary_text(report)}; policy {policy_label(report.policy)}, as of "
                     f"{report.as_of.isoformat()}\n")

