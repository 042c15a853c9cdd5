"""Reading the issue GitHub rendered: headings matched from the end, `_No response_`,
ticked boxes, line breaks as GitHub sends them, and bounds."""

from __future__ import annotations

import pytest

from martechgov.errors import UsageError
from martechgov.intake.body import MAX_BODY_BYTES, Answer, answers, read_body
from martechgov.intake.form import questions

FORM = questions()


def answered(body: str) -> dict[str, str | None]:
    return {a.question.dotted: a.text for a in answers(body, FORM) if a.text is not None}


def by_path(body: str) -> dict[str, Answer]:
    return {a.question.dotted: a for a in answers(body, FORM)}


def test_sections_and_no_response() -> None:
    body = ("### Tool: name\n\nCanva\n\n### Tool: vendor\n\n_No response_\n\n"
            "### Tool: purpose\n\nDesign posts.\nAnd banners.\n")
    assert answered(body) == {"tool.name": "Canva", "tool.purpose": "Design posts.\nAnd banners."}


def test_ticked_boxes_whatever_the_case() -> None:
    body = ("### Data: categories\n\n- [X] contact\n- [ ] identifiers\n- [x] children "
            "(categories)\n* [X] health\n- [y] device\n")
    assert by_path(body)["data.categories"].checked == ["contact", "children (categories)",
                                                         "health"]


def test_a_heading_inside_an_answer_stays_in_the_answer() -> None:
    body = ("### Tool: name\n\nCanva\n\n### Tool: vendor\n\nCanva Pty\n\n"
            "### Notes\n\nSee below.\n### Tool: name\n\nNot the name\n### Something\nmore\n\n"
            "### Integrations\n\n_No response_")
    found = answered(body)
    assert found["tool.name"] == "Canva"
    assert found["notes"] == "See below.\n### Tool: name\n\nNot the name\n### Something\nmore"
    assert "integrations" not in found


def test_a_later_questions_heading_typed_in_an_answer_does_not_steal_it() -> None:
    body = ("### Tool: name\n\nCanva\n### Tool: vendor\nEvil\n\n### Tool: vendor\n\nCanva Pty")
    found = answered(body)
    assert found["tool.vendor"] == "Canva Pty"
    assert found["tool.name"] == "Canva\n### Tool: vendor\nEvil"  # kept, judged as typed


def test_a_question_whose_heading_was_edited_away_is_unanswered() -> None:
    body = "Hello IT!\n\n### Tool: vendor\n\nCanva Pty\n\nThanks"
    assert answered(body) == {"tool.vendor": "Canva Pty\n\nThanks"}


def test_crlf_and_a_byte_order_mark_as_github_may_send_them() -> None:
    raw = "\ufeff### Tool: name\r\n\r\nCanva\r\n\r\n### Tool: vendor  \r\n\r\nX"
    text = read_body(raw.encode())
    assert answered(text) == {"tool.name": "Canva", "tool.vendor": "X"}


def test_bodies_that_are_not_an_issue_are_refused() -> None:
    with pytest.raises(UsageError, match="not UTF-8 text"):
        read_body(b"### Tool: name\n\n\xff")
    with pytest.raises(UsageError, match="bytes; an issue form's body is at most"):
        read_body(b"x" * (MAX_BODY_BYTES + 1))
    assert answered(read_body(b"")) == {}
