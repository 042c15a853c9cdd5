"""The form's questions come from the request model, not from a hand-kept copy."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel, Field

from martechgov import request_model
from martechgov.intake.form import NOT_ASKED, constants, questions, request_form
from martechgov.request_model import ToolRequest


def leaf_paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found = set()
    for name, info in model.model_fields.items():
        annotation = info.annotation  # a section, or an optional one; never a list
        inner = [annotation] if get_origin(annotation) is list else [
            a for a in get_args(annotation) if isinstance(a, type)] or [annotation]
        section = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)),
                       None)
        if section is not None:
            found |= leaf_paths(section, (*prefix, name))
        else:
            found.add((*prefix, name))
    return found


def test_every_field_of_the_model_is_asked_except_the_constants_and_the_id() -> None:
    asked = {q.path for q in questions()}
    assert asked | {(name,) for name in NOT_ASKED} == leaf_paths(ToolRequest)
    assert constants() == {"apiVersion": "martechgov/v1", "kind": "ToolRequest"}


def test_choices_are_the_models_literal_values() -> None:
    found = {q.dotted: q for q in questions()}
    category = found["tool.category"]
    assert category.kind == "choice"
    assert [v for _, v in category.options] == list(get_args(request_model.Category))
    sso = found["security.sso"]
    assert sso.options == (("saml", "saml"), ("oidc", "oidc"), ("none at all", "none"))
    assert sso.value_of("None at all") == "none"  # GitHub's "None" is reserved
    regions = found["data.storage_regions"]
    assert regions.kind == "choices"
    assert regions.options[0] == ("eu (storage regions)", "eu")  # asked twice: labelled
    assert found["data.categories"].options[0] == ("contact", "contact")


def test_kinds_and_what_is_required_follow_the_model() -> None:
    found = {q.dotted: q for q in questions()}
    kinds = {path: q.kind for path, q in found.items()}
    assert kinds["needed_by"] == "date" and kinds["tool.seats"] == "int"
    assert kinds["cost.annual"] == "number" and kinds["privacy.dpa_signed"] == "yes_no"
    assert kinds["notes"] == "long_text" and kinds["tool.website"] == "text"
    assert kinds["replaces"] == "list" and kinds["integrations"] == "rows"
    assert [c.key for c in found["integrations"].columns] == [
        "system", "direction", "method", "data"]
    assert found["tool.name"].required and found["data.personal_data"].required
    assert not found["cost.annual"].required  # required in an optional section
    assert not found["tool.website"].required


def test_the_tool_comes_first_and_the_requests_own_fields_last() -> None:
    paths = [q.dotted for q in questions()]
    assert paths[0] == "tool.name"
    assert paths[-4:] == ["needed_by", "replaces", "notes", "integrations"]
    assert [q.dotted for q in request_form().questions()][0] == "needed_by"  # file order


class Extra(BaseModel):
    colour: Literal["red", "blue"] = Field(description="The tool's colour, in our words.")
    launched: Annotated[dt.date, Field(title="Launch day")] | None = None


class Grown(BaseModel):
    apiVersion: Literal["v1"]
    extra: Extra
    tags: list[Literal["a", "b"]] = []


def test_a_field_added_to_the_model_is_a_question_with_the_models_words() -> None:
    found = {q.dotted: q for q in questions(Grown)}
    assert set(found) == {"extra.colour", "extra.launched", "tags"}
    colour = found["extra.colour"]
    assert (colour.label, colour.kind, colour.required) == ("Extra: colour", "choice", True)
    assert colour.description == "The tool's colour, in our words."
    assert found["extra.launched"].label == "Launch day"
    assert found["tags"].kind == "choices"


def test_a_type_the_form_cannot_ask_is_an_error() -> None:
    class Odd(BaseModel):
        blob: bytes

    with pytest.raises(TypeError, match="cannot ask"):
        questions(Odd)
