"""The request file written from the answers: TODO lines where nothing was answered,
and whatever the answers hold, a file that reads back as exactly those answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from martechgov import yamlsafe
from martechgov.errors import MartechgovError
from martechgov.intake import writer
from martechgov.intake.form import constants, request_form
from martechgov.loader import load_request_text

FORM = request_form()
HEAD = {**constants(), "id": "canva"}
REQUIRED = {("tool", "name"): "Canva", ("tool", "vendor"): "Canva Pty Ltd",
            ("tool", "category"): "content", ("tool", "deployment"): "saas",
            ("tool", "purpose"): "Design posts.", ("requester", "name"): "Marta",
            ("requester", "email"): "marta@example.com", ("requester", "team"): "Brand",
            ("owners", "business"): "marta@example.com", ("data", "personal_data"): "none"}


def written(values: dict[tuple[str, ...], Any]) -> str:
    return writer.render(FORM, {**REQUIRED, **values}, HEAD)


def test_unanswered_questions_are_todo_lines_in_place() -> None:
    text = written({("security", "sso"): "saml", ("cost", "annual"): 9000})
    lines = text.splitlines()
    assert lines[:5] == [
        "# yaml-language-server: $schema=../schema/toolrequest-v1.schema.json",
        "apiVersion: martechgov/v1", "kind: ToolRequest", "id: canva",
        "# TODO needed_by: a date, YYYY-MM-DD"]
    assert "security:\n  sso: saml\n  # TODO scim: true or false\n" \
           "  # TODO mfa: enforced, available or none\n" in text
    assert "# TODO privacy:\n#   dpa_signed: true or false\n" \
           "#   transfer_mechanism: not-needed, adequacy, dpf or scc\n" in text
    assert "cost:\n  annual: 9000\n  # TODO currency: not answered yet\n" in text
    assert "  # TODO categories: [contact, identifiers, behavioral, device, location, " \
           "financial, health, biometric, children, employee, content] (any of them)\n" in text
    loaded = load_request_text(text, "requests/canva.yaml")
    assert [p.message for p in loaded.problems] == [
        "`cost.currency` is missing; it is required"] or not loaded.valid


def test_values_yaml_would_read_otherwise_stay_what_was_typed() -> None:
    odd = {("tool", "name"): "yes", ("tool", "vendor"): "null",
           ("tool", "purpose"): "2027-01-15", ("requester", "team"): "- a\nb: c\n# d",
           ("notes",): "key: value\n---\n...", ("tool", "website"): "#x",
           ("replaces",): ["- x", "[y", "z, w", "a: b"], ("needed_by",): dt.date(2027, 1, 15),
           ("requester", "name"): "Marta\xa0", ("owners", "technical"): "\u3000"}
    text = written(odd)
    doc = yaml.safe_load(text)
    assert doc["tool"]["name"] == "yes" and doc["tool"]["vendor"] == "null"
    assert doc["tool"]["purpose"] == "2027-01-15" and doc["notes"] == "key: value\n---\n..."
    assert doc["requester"]["team"] == "- a\nb: c\n# d"
    assert doc["replaces"] == ["- x", "[y", "z, w", "a: b"]
    assert doc["needed_by"] == dt.date(2027, 1, 15)
    # request_writer.scalar once stripped these (str.strip knows Unicode spaces)
    assert doc["requester"]["name"] == "Marta\xa0" and doc["owners"]["technical"] == "\u3000"
    assert len(text.splitlines()) == len(written({}).splitlines())  # one line per answer


def test_invisible_characters_are_written_as_escapes() -> None:
    text = written({("tool", "name"): "Zoë\u202egnp.exe", ("notes",): "line\u2028break"})
    assert '  name: "Zo\\xEB\\u202Egnp.exe"\n' in text
    assert 'notes: "line\\Lbreak"\n' in text
    assert "\u202e" not in text and "\u2028" not in text


@settings(max_examples=300, deadline=None)
@given(name=st.text(min_size=1, max_size=80), notes=st.text(max_size=300),
       pages=st.lists(st.text(min_size=1, max_size=20), max_size=4))
def test_any_answer_reads_back_exactly(name: str, notes: str, pages: list[str]) -> None:
    values = {("tool", "name"): name, ("notes",): notes, ("tracking", "pages"): pages}
    text = written(values)
    doc = yamlsafe.load(text).value  # martechgov's own loader, as `check` reads it
    assert doc["tool"]["name"] == name
    assert doc["notes"] == notes
    assert doc["tracking"]["pages"] == pages
    assert set(doc) == {"apiVersion", "kind", "id", "notes", "tool", "requester", "owners",
                        "data", "tracking"}


def test_a_text_that_would_not_read_back_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "one_line", lambda value: f"{value}\nextra: key")
    with pytest.raises(MartechgovError, match="could not be written as a request file"):
        written({})
