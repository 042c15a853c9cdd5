"""The wizard's questions: answers are checked, and the choices are the request model's."""

from __future__ import annotations

from typing import Literal, get_args, get_origin

import pytest
from pydantic import BaseModel

from martechgov.new.questions import MEANINGS, QUESTIONS, model_choices, parse_answer
from martechgov.request_model import (
    Agency,
    Data,
    Integration,
    Privacy,
    Security,
    Tool,
    Tracking,
)


@pytest.mark.parametrize("key, text, value", [
    ("website", "canva.com", "https://canva.com"),
    ("website", "http://example.com/x", "http://example.com/x"),
    ("category", "14", "content"), ("category", " SEO ", "seo"),
    ("subject-regions", "1, 3 eu", ["eu", "us"]),
    ("large-scale", "Y", True), ("large-scale", "", None),
    ("annual-cost", "99.50", 99.5), ("annual-cost", "12,000", 12000),
    ("currency", "gbp", "GBP"), ("pages", "Home pricing", ["home", "pricing"]),
])
def test_answers(key: str, text: str, value: object) -> None:
    assert parse_answer(QUESTIONS[key], text) == value


def test_a_number_picks_a_choice_in_the_order_the_wizard_lists_them() -> None:
    # the model lists agency-operated second; people typing "2" have always meant tag
    assert parse_answer(QUESTIONS["deployment"], "2") == "tag"


@pytest.mark.parametrize("name", MEANINGS)
def test_every_value_the_model_allows_has_a_meaning(name: str) -> None:
    allowed, meanings = MEANINGS[name]
    values = set(get_args(allowed))
    unexplained, unknown = sorted(values - set(meanings)), sorted(set(meanings) - values)
    assert not unexplained, f"request_model.{name} values without a meaning: {unexplained}"
    assert not unknown, f"meanings of values request_model.{name} does not allow: {unknown}"
    assert all(meaning.strip() for meaning in meanings.values()), name


# The field of the request each choice question fills (integration-system's choices are
# IT's systems, read from the policies).
FIELD_OF_QUESTION: dict[str, tuple[type[BaseModel], str]] = {
    "category": (Tool, "category"), "deployment": (Tool, "deployment"),
    "personal-data": (Data, "personal_data"), "data-categories": (Data, "categories"),
    "subjects": (Data, "subjects"), "subject-regions": (Data, "subject_regions"),
    "storage-regions": (Data, "storage_regions"), "sso": (Security, "sso"),
    "mfa": (Security, "mfa"), "transfer-mechanism": (Privacy, "transfer_mechanism"),
    "integration-direction": (Integration, "direction"),
    "integration-method": (Integration, "method"), "integration-data": (Integration, "data"),
    "consent-category": (Tracking, "consent_category"), "masking": (Tracking, "masking"),
    "agency-accounts": (Agency, "accounts"), "agency-role": (Agency, "role"),
}


def literal_values(annotation: object) -> set[str]:
    """Every value a Literal inside `annotation` allows (`Sso | None`, `list[Region]`)."""
    if get_origin(annotation) is Literal:
        return set(get_args(annotation))
    return set().union(*(literal_values(arg) for arg in get_args(annotation)))


def test_every_choice_question_fills_a_known_field() -> None:
    asked = {key for key, q in QUESTIONS.items() if q.kind in ("choice", "choices")}
    assert asked - {"integration-system"} == set(FIELD_OF_QUESTION)


@pytest.mark.parametrize("key", FIELD_OF_QUESTION)
def test_each_choice_offers_exactly_what_its_field_accepts(key: str) -> None:
    model, field = FIELD_OF_QUESTION[key]
    accepted = literal_values(model.model_fields[field].annotation)
    assert accepted and set(QUESTIONS[key].values) == accepted


def test_the_model_decides_which_values_are_offered() -> None:
    offered = model_choices(Literal["b", "a", "new"], {"a": "A", "b": "B", "gone": "G"})
    assert offered == (("a", "A"), ("b", "B"), ("new", ""))
