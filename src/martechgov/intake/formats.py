"""The answer to an issue, by format name (the `rendering.Registry` shape).

`markdown` is the comment on the issue: the hidden marker by which the workflow keeps
one comment up to date, the answer in plain words, the check report (each finding with
its fix) and the questions still unanswered. `text` is for a terminal, `json` for the
workflow. The check formats are handed in (features never import each other).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any, TextIO

from martechgov import escape
from martechgov.intake.draft import IntakeReport
from martechgov.rendering import JSON_VERSION, Registry, RenderContext, Renderer, within
from martechgov.result import CheckReport

MARKER = "<!-- martechgov -->"
MAX_BYTES = 60_000  # GitHub refuses comments over 65,536 characters
CUT_NOTE = "\n\n_This answer was cut to fit on GitHub: {lines} more lines are in the run._\n"
UNANSWERED_NOTE = ("Questions left empty are `# TODO` lines in the file. The rules treat a "
                   "missing fact as the unsafe case, so answering them can change the answer.")


def answer(report: IntakeReport) -> tuple[str, str]:
    """The answer as a heading and a paragraph in plain words."""
    if report.check is None or not report.check.results:
        return "⚠️ The request could not be made yet", " ".join(report.problems)
    result = report.check.results[0]
    file = f"`{report.file}`"
    if result.decision == "invalid":
        return ("⚠️ Some answers need a change",
                f"Your answers are in {file}, but it is not a valid request yet: each "
                "finding below says which answer to change. Edit this issue and the pull "
                "request is updated.")
    if result.decision == "deny":
        return ("❌ Denied: a hard rule is broken",
                f"Your answers are in {file}. Each finding below says what would change "
                "the answer (usually something to get from the vendor): edit this issue "
                "when you have it, or ask IT for a time-bound exception.")
    if result.decision == "review":
        teams = ", ".join(f"**{escape.markdown(t)}**" for t in result.reviewers)
        return (f"👀 Review: {teams} must sign off",
                f"Your answers are in {file}. No hard rule is broken; these IT teams must "
                "approve the pull request before the tool is bought, and they are asked to.")
    return ("✅ Approved", f"Your answers are in {file}. No rule holds this tool back: the "
            "pull request can be merged.")


class IntakeMarkdown:
    def __init__(self, check_markdown: Renderer[CheckReport]) -> None:
        self.check_markdown = check_markdown

    def write(self, report: IntakeReport, stream: TextIO) -> None:
        title, text = answer(report)
        body = io.StringIO()
        body.write(f"{MARKER}\n## {title}\n\n{escape.markdown_prose(text)}\n\n")
        if report.check is not None:
            self.check_markdown.write(report.check, body)
        if report.unanswered:
            body.write(f"\n<details><summary>{len(report.unanswered)} questions not "
                       f"answered yet</summary>\n\n{UNANSWERED_NOTE}\n\n")
            body.writelines(f"- {escape.markdown(q.label)}\n" for q in report.unanswered)
            body.write("\n</details>\n")
        stream.write(within(body.getvalue(), MAX_BYTES, CUT_NOTE))


class IntakeText:
    def __init__(self, check_text: Renderer[CheckReport]) -> None:
        self.check_text = check_text

    def write(self, report: IntakeReport, stream: TextIO) -> None:
        if report.check is None:
            for problem in report.problems:
                stream.write(f"not written: {escape.terminal(problem)}\n")
            return
        stream.write(f"wrote {escape.terminal(report.file or '')} from the issue "
                     f"({len(report.unanswered)} questions not answered: # TODO lines)\n")
        self.check_text.write(report.check, stream)


class IntakeJson:
    def __init__(self, check_json: Callable[[CheckReport], dict[str, Any]]) -> None:
        self.check_json = check_json

    def write(self, report: IntakeReport, stream: TextIO) -> None:
        doc = {"version": JSON_VERSION, "issue": report.issue, "file": report.file,
               "id": report.request_id, "problems": list(report.problems),
               "unanswered": [q.dotted for q in report.unanswered],
               "check": None if report.check is None else self.check_json(report.check)}
        stream.write(json.dumps(doc, ensure_ascii=False) + "\n")


def intake_formats(check_formats: Registry[CheckReport],
                   check_json: Callable[[CheckReport], dict[str, Any]]
                   ) -> Registry[IntakeReport]:
    def text(ctx: RenderContext) -> Renderer[IntakeReport]:
        return IntakeText(check_formats["text"](ctx))

    def markdown(ctx: RenderContext) -> Renderer[IntakeReport]:
        return IntakeMarkdown(check_formats["markdown"](ctx))

    return {"text": text, "markdown": markdown, "json": lambda ctx: IntakeJson(check_json)}
