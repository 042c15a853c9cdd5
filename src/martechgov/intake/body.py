"""Reading an issue GitHub rendered from the form: `### Label`, a blank line, the answer.

GitHub writes every question of the form, in the form's order, as a `### <label>`
heading followed by the answer as typed (`_No response_` when empty; `- [X] option` /
`- [ ] option` for checkboxes; the chosen options joined by `, ` for a dropdown). An
answer is untrusted text and may itself hold a line that looks like a heading, so the
headings are matched against the form's labels from the end: each question's heading is
the LAST line naming it before the next question's heading. A line inside an answer
that repeats a LATER question's heading therefore stays part of the answer. After an
edit the body is free Markdown: a question whose heading is gone is simply unanswered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from martechgov.errors import UsageError
from martechgov.intake.form import Question

NO_RESPONSE = "_No response_"
MAX_BODY_BYTES = 256 * 1024  # GitHub keeps an issue body under 65,536 characters
_CHECKBOX = re.compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*?)\s*$")


@dataclass(frozen=True)
class Answer:
    question: Question
    text: str | None  # None: no heading, or `_No response_`, or nothing typed

    @property
    def checked(self) -> list[str]:
        """The checked options of a checkboxes answer (their labels, as shown)."""
        return [m[2] for line in (self.text or "").splitlines()
                if (m := _CHECKBOX.match(line)) and m[1] in "xX"]


def read_body(raw: bytes) -> str:
    """The issue body as text: bounded, UTF-8, line breaks normalised."""
    if len(raw) > MAX_BODY_BYTES:
        raise UsageError(f"the issue body is {len(raw):,} bytes; an issue form's body is "
                         f"at most {MAX_BODY_BYTES:,}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"the issue body is not UTF-8 text (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def answers(body: str, form: Sequence[Question]) -> list[Answer]:
    """Each question of `form` with its answer in `body`."""
    lines = body.split("\n")
    end = len(lines)
    found: list[Answer] = []
    for question in reversed(form):
        heading = f"### {question.label}"
        start = next((n for n in range(end - 1, -1, -1) if lines[n].rstrip() == heading), None)
        if start is None:
            found.append(Answer(question, None))
            continue
        text = "\n".join(lines[start + 1:end]).strip("\n")
        found.append(Answer(question, None if text.strip() in ("", NO_RESPONSE) else text))
        end = start
    return found[::-1]
