"""From an answer on the form to the value the request file holds.

Only what the form itself fixes is interpreted: a chosen option is its value, `yes` /
`no` are true and false, a whole number is a number, an ISO date is a date, a list is
split at commas. Anything else is written as typed, and the request model judges it
like any hand-written file (`martechgov check` says what is wrong, at its line): no
guessing, no silent repair. An unanswered question has no value (`None`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from martechgov.intake.body import Answer
from martechgov.intake.form import Question

_WHOLE = re.compile(r"\d+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LIST_SEPARATOR = re.compile(r"[,;\s]+")


def value(answer: Answer) -> Any:
    """The value to write, or None when the question was not answered."""
    question, text = answer.question, answer.text
    if question.kind == "choices":
        picked = [question.value_of(label) for label in answer.checked]
        return picked or None
    if text is None:
        return None
    found = _PARSERS[question.kind](question, text)
    return None if found in ("", []) else found


def _text(_question: Question, text: str) -> str:
    return text.strip()


def _long_text(_question: Question, text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _date(_question: Question, text: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return text.strip()


def _int(_question: Question, text: str) -> int | str:
    text = text.strip()
    return int(text) if _WHOLE.fullmatch(text) else text


def _number(_question: Question, text: str) -> int | float | str:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return text
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number


def _choice(question: Question, text: str) -> Any:
    return question.value_of(text)


def _list(_question: Question, text: str) -> list[str]:
    return [part for part in _LIST_SEPARATOR.split(text.strip()) if part]


def _rows(question: Question, text: str) -> list[Any]:
    """One item per non-empty line, its parts separated by commas in the columns'
    order; a list column (the last) takes space-separated values. A line that does not
    fit is written as typed, so the request model reports it at its line."""
    items: list[Any] = []
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        parts = [part.strip() for part in line.split(",")]
        columns = question.columns
        required = sum(1 for column in columns if column.required)
        if not required <= len(parts) <= len(columns) or "" in parts[:required]:
            items.append(line)
            continue
        item = {}
        for column, part in zip(columns, parts, strict=False):
            if column.kind == "choices":
                item[column.key] = [column.value_of(v) for v in part.split()]
            elif part:
                item[column.key] = _PARSERS[column.kind](column, part)
        items.append(item)
    return items


_PARSERS: dict[str, Callable[[Question, str], Any]] = {
    "text": _text, "long_text": _long_text, "date": _date, "int": _int, "number": _number,
    "yes_no": _choice, "choice": _choice, "list": _list, "rows": _rows,
}
