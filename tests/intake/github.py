"""An issue as GitHub renders it from an issue form: for every field of the form, in
order, `### <label>`, a blank line and the answer (`_No response_` when empty;
`- [X] option` / `- [ ] option` for checkboxes; a dropdown's choices joined by `, `),
the fields separated by a blank line. Used to fill in the committed form like a person
would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..conftest import ROOT

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "tool-request.yml"


def form_fields(form: Path = FORM) -> list[dict[str, Any]]:
    doc = yaml.safe_load(form.read_text(encoding="utf-8"))
    return [item for item in doc["body"] if item["type"] != "markdown"]


def render_issue(answers: dict[str, str | list[str]], form: Path = FORM) -> str:
    """`answers` by field id: the text typed, the option chosen, or the boxes ticked."""
    unknown = set(answers) - {f["id"] for f in form_fields(form)}
    assert not unknown, f"not on the form: {unknown}"
    parts = []
    for field in form_fields(form):
        answer = answers.get(field["id"])
        attributes = field["attributes"]
        if field["type"] == "checkboxes":
            ticked = answer or []
            labels = [o["label"] for o in attributes["options"]]
            assert set(ticked) <= set(labels), ticked
            text = "\n".join(f"- [{'X' if label in ticked else ' '}] {label}"
                             for label in labels)
        elif field["type"] == "dropdown" and answer:
            assert answer in attributes["options"], answer
            text = str(answer)
        else:
            text = str(answer) if answer else "_No response_"
        parts.append(f"### {attributes['label']}\n\n{text}")
    return "\n\n".join(parts)


def answers_from_request(doc: dict[str, Any]) -> dict[str, str | list[str]]:
    """What a person fills in on the form to ask for the request `doc` (by field id)."""
    from martechgov.intake.form import questions

    answers: dict[str, str | list[str]] = {}
    for question in questions():
        value: Any = doc
        for key in question.path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None or value == []:
            continue
        shown = {repr(v): label for label, v in question.options}
        if question.kind == "choices":
            answers[question.id] = [shown[repr(v)] for v in value]
        elif question.options:
            answers[question.id] = shown[repr(value)]
        elif question.kind == "list":
            answers[question.id] = ", ".join(value)
        elif question.kind == "rows":
            answers[question.id] = "\n".join(
                ", ".join(" ".join(item[c.key]) if c.kind == "choices" else str(item[c.key])
                          for c in question.columns if c.key in item) for item in value)
        else:
            answers[question.id] = str(value)
    return answers
