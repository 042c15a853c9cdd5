"""The request file written from the form's answers, in the model's order.

Answered questions are `key: value` lines (values as `request_writer.scalar` writes
them: quoted whenever YAML would read them otherwise; a value that would need more
than one line is written double-quoted on one). Unanswered questions are `# TODO`
comments at their place, saying what is expected, so nobody mistakes a gap for an
answer; a section with no answer at all is one commented block.

The answers are untrusted: whatever they hold, the text must read back as exactly the
document intended. `render` checks that it does (`yaml.safe_load` of the text equals
the document) and refuses otherwise, so no answer can add a line, a key or a comment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import yaml

from martechgov import escape
from martechgov.errors import MartechgovError
from martechgov.intake.form import Question, Section
from martechgov.request_writer import SCHEMA_LINE, scalar

INDENT = "  "
Values = Mapping[tuple[str, ...], Any]  # question path -> its value (answered only)


def hint(question: Question) -> str:
    """What a TODO line says is expected."""
    if question.kind in ("choice", "yes_no", "choices"):
        values = [_plain(v) for _, v in question.options]
        shown = ", ".join(values[:-1]) + " or " + values[-1]
        return f"[{', '.join(values)}] (any of them)" if question.kind == "choices" else shown
    return {"date": "a date, YYYY-MM-DD", "int": "a whole number",
            "number": "an amount, e.g. 9000", "list": "[one, two]",
            "rows": "- {" + ", ".join(f"{c.key}: ..." for c in question.columns) + "}",
            }.get(question.kind, "not answered yet")


def _plain(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def one_line(value: Any) -> str:
    """A YAML value on one line, every invisible character written as an escape (a
    right-to-left override in a tool name would make the file read differently in the
    pull request than it is; `escape.visible` names them)."""
    text = scalar(value)
    if escape.visible(text) == text:
        return text
    hidden = escape.visible(text.replace("\n", "")) != text.replace("\n", "")
    dumped: str = yaml.safe_dump(value, default_style='"', default_flow_style=True,
                                 allow_unicode=not hidden, width=1_000_000_000)
    return dumped.removesuffix("\n").removesuffix("\n...")


def render(form: Section, values: Values, head: Mapping[str, Any],
           comments: tuple[str, ...] = ()) -> str:
    """The file: the schema line, `comments`, the constants in `head`, then the form."""
    lines = [SCHEMA_LINE, *(f"# {c}" for c in comments)]
    lines += [f"{key}: {one_line(value)}" for key, value in head.items()]
    lines += _section_lines(form, values, "")
    text = "\n".join(lines) + "\n"
    try:
        same = yaml.safe_load(text) == document(form, values, head)
    except yaml.YAMLError:
        same = False
    if not same:
        raise MartechgovError("the answers could not be written as a request file that "
                              "reads back the same; nothing was written")
    return text


def document(form: Section, values: Values, head: Mapping[str, Any]) -> dict[str, Any]:
    """The request the text must hold: the constants and every answered question."""
    doc: dict[str, Any] = dict(head)
    for question in form.questions():
        if question.path in values:
            target = doc
            for key in question.path[:-1]:
                target = target.setdefault(key, {})
            target[question.key] = _as_loaded(values[question.path])
    return doc


def _as_loaded(value: Any) -> Any:
    """A value as `yaml.safe_load` gives it back (dates stay dates)."""
    if isinstance(value, list):
        return [_as_loaded(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_loaded(v) for k, v in value.items()}
    return value if isinstance(value, str | int | float | bool | dt.date) else str(value)


def _answered(node: Section | Question, values: Values) -> bool:
    if isinstance(node, Question):
        return node.path in values
    return any(_answered(child, values) for child in node.children)


def _section_lines(section: Section, values: Values, indent: str) -> list[str]:
    lines: list[str] = []
    for child in section.children:
        if isinstance(child, Section):
            if _answered(child, values):
                lines.append(f"{indent}{child.key}:")
                lines += _section_lines(child, values, indent + INDENT)
            else:
                lines.append(f"{indent}# TODO {child.key}:")
                lines += [f"{indent}#   {q.key}: {hint(q)}" for q in child.questions()]
        elif child.path in values:
            lines += _answer_lines(child, values[child.path], indent)
        else:
            lines.append(f"{indent}# TODO {child.key}: {hint(child)}")
    return lines


def _answer_lines(question: Question, value: Any, indent: str) -> list[str]:
    if question.kind != "rows":
        return [f"{indent}{question.key}: {one_line(value)}"]
    lines = [f"{indent}{question.key}:"]
    for item in value:
        if not isinstance(item, dict):  # a line that did not fit: as typed
            lines.append(f"{indent}{INDENT}- {one_line(item)}")
            continue
        for n, (key, part) in enumerate(item.items()):
            lead = "- " if n == 0 else "  "
            lines.append(f"{indent}{INDENT}{lead}{key}: {one_line(part)}")
    return lines
