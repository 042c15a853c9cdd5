"""Only what the form fixes is interpreted; anything else is written as typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from martechgov.intake.answers import value
from martechgov.intake.body import Answer
from martechgov.intake.form import questions

FORM = {q.dotted: q for q in questions()}


def answer(path: str, text: str | None) -> Any:
    return value(Answer(FORM[path], text))


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("tool.name", "  Canva Pro ", "Canva Pro"),
    ("tool.seats", "25", 25),
    ("tool.seats", "about 25", "about 25"),  # the model says what is wrong
    ("cost.annual", "9000", 9000),
    ("cost.annual", "99.50", 99.5),
    ("cost.annual", "$9,000", "$9,000"),
    ("needed_by", "2027-01-15", dt.date(2027, 1, 15)),
    ("needed_by", "01/15/2027", "01/15/2027"),
    ("privacy.dpa_signed", "yes", True),
    ("privacy.dpa_signed", "no", False),
    ("privacy.dpa_signed", "maybe", "maybe"),
    ("security.sso", "none at all", "none"),
    ("tool.category", "content", "content"),
    ("tool.category", "Design", "Design"),
    ("replaces", "surveymonkey, typeform;  x", ["surveymonkey", "typeform", "x"]),
    ("notes", "  one  \n\ntwo\n", "one\n\ntwo"),
    ("tool.name", None, None),
    ("replaces", " , ", None),
])
def test_answers(path: str, text: str | None, expected: Any) -> None:
    assert answer(path, text) == expected


def test_boxes_are_their_values_and_none_ticked_is_unanswered() -> None:
    ticked = "- [X] eu (subject regions)\n- [ ] uk (subject regions)\n- [X] mars"
    assert answer("data.subject_regions", ticked) == ["eu", "mars"]
    assert answer("data.subject_regions", "- [ ] eu (subject regions)") is None


def test_one_integration_per_line() -> None:
    text = ("salesforce, outbound, native, contact identifiers\n\n"
            "website-cms, inbound, api\nzapier\n, inbound, api, contact\n"
            "a, b, c, d, e")
    assert answer("integrations", text) == [
        {"system": "salesforce", "direction": "outbound", "method": "native",
         "data": ["contact", "identifiers"]},
        {"system": "website-cms", "direction": "inbound", "method": "api"},
        "zapier", ", inbound, api, contact", "a, b, c, d, e"]
