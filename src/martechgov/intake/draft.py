"""`martechgov from-issue`: the issue's answers become `requests/<id>.yaml`, judged.

The id is the tool's name as a slug (`request_writer.slugify`), as the wizard makes it.
A request that already exists is never overwritten (an issue cannot replace another
request); a file too big to pass on through the workflow is refused. The file is then
judged like any request (`run_check`, the same loader, model and policies), so the
issue gets the answer the pull request will get.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from martechgov.check import CheckOptions, run_check
from martechgov.intake import writer
from martechgov.intake.answers import value
from martechgov.intake.body import MAX_BODY_BYTES, answers, read_body
from martechgov.intake.form import Question, constants, questions, request_form
from martechgov.policy import policy_at
from martechgov.request_model import ToolRequest
from martechgov.request_writer import slugify, write_new_file
from martechgov.result import CheckReport
from martechgov.userfiles import read_limited

NAME = ("tool", "name")  # the id comes from the tool's name
MAX_FILE_BYTES = 60_000  # the file travels to the next job in an environment variable


@dataclass(frozen=True)
class IntakeOptions:
    body: Path  # the issue body as GitHub rendered it
    requests: Path  # the folder of request files
    check: CheckOptions  # how to judge (paths are replaced by the file written)
    issue: int | None = None
    force: bool = False  # replace an existing request file (never in CI)


@dataclass(frozen=True)
class IntakeReport:
    file: str | None  # the request file written, or None
    request_id: str | None
    unanswered: tuple[Question, ...]
    problems: tuple[str, ...]  # why nothing was written
    check: CheckReport | None  # the written request, judged
    issue: int | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.check is not None and self.check.exit_code == 0 else 1


def run_intake(options: IntakeOptions) -> IntakeReport:
    # Parsed once: the form's questions and the judging use the same PolicySet.
    policy = policy_at(options.check.policies)
    model = policy.request_model if policy is not None else ToolRequest
    form = request_form(model)
    found = answers(read_body(_read(options.body)), questions(model))
    values = {a.question.path: v for a in found if (v := value(a)) is not None}
    unanswered = tuple(a.question for a in found if a.question.path not in values)
    name = values.get(NAME)

    def refused(problem: str, request_id: str | None = None) -> IntakeReport:
        return IntakeReport(None, request_id, unanswered, (problem,), None, options.issue)

    if not isinstance(name, str):
        return refused("The tool's name is missing: answer \"Tool: name\" in the issue, the "
                       "request file is named after it.")
    request_id = request_id_for(name, options.issue)
    path = options.requests / f"{request_id}.yaml"
    if path.exists() and not options.force:
        return refused(f"{path.as_posix()} already exists: this form makes new requests. To "
                       "change that one, edit the file in a pull request; for another tool, "
                       "give it another name.", request_id)
    comments = ("Made from an issue by `martechgov from-issue`: change the answers in the "
                "issue, not here." if options.issue is None else
                f"Made from issue #{options.issue} by `martechgov from-issue`: change the "
                "answers in the issue, not here.",
                "Questions not answered are TODO comments: the rules treat a missing fact "
                "as the unsafe case.")
    text = writer.render(form, values, {**constants(), "id": request_id}, comments)
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return refused(f"The answers are too long for one request ({len(text.encode()):,} "
                       f"bytes; at most {MAX_FILE_BYTES:,}): shorten the longest ones.",
                       request_id)
    write_new_file(path, text, force=options.force)
    check = run_check(replace(options.check, paths=[path], loaded=policy))
    return IntakeReport(path.as_posix(), request_id, unanswered, (), check, options.issue)


def request_id_for(name: str, issue: int | None) -> str:
    """The tool's name as an id; a name with no letter or digit we can use (`日本語`)
    is named after the issue instead."""
    slug = slugify(name)
    if slug == "tool" and name.strip().casefold() != "tool" and issue is not None:
        return f"tool-request-{issue}"
    return slug


def _read(path: Path) -> bytes:
    return read_limited(path, MAX_BODY_BYTES, "the issue body",
                        too_big="an issue form's body is far smaller")
