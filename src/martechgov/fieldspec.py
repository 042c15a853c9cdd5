"""Request fields IT declares in `policies/fields.yaml`, beside the core request model.

IT adds a question to the request format without a martechgov release: a dotted path
(`ai.generative`: a new section, or a new key in a core section such as `privacy`), a
type (bool; int with bounds; string with a maximum length; date; enum with each value's
meaning; list of enum values), a description for marketers and, optionally, when it is
required. `request_model(fields)` is the core `ToolRequest` extended with them: the
loader validates with it (same strictness, same file:line:col messages, same "did you
mean"), and the JSON Schema, the issue form and the wizard are generated from it. A
core field can never be redefined.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator
from pydantic_core import PydanticCustomError

from martechgov.request_model import Section, ToolRequest
from martechgov.request_values import Date, Text

FIELDS_FILE = "fields.yaml"
INT_LIMIT = 1_000_000_000  # every engine holds these exactly
_NAME = r"[a-z][a-z0-9_]{0,39}"
Path = Annotated[str, Field(pattern=rf"^{_NAME}\.{_NAME}$")]
EnumValue = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=40)]
# Sections whose values are lists or plain values: IT fields go into mapping sections.
NOT_SECTIONS = {"apiVersion", "kind", "id", "needed_by", "replaces", "notes", "integrations"}


# IT's declared fields as policies carry them (`PolicySet.fields`): path -> declaration
# as JSON, or None for none. Plain data, so worker processes receive it as is.
Fields = Mapping[str, Mapping[str, Any]] | None


class Condition(BaseModel):
    """`required_when`: the field is required when another field has a value, e.g.
    `{field: ai.generative, equals: true}` or `{field: data.personal_data, not: none}`."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    field: Annotated[str, Field(pattern=rf"^{_NAME}\.{_NAME}$")]
    equals: str | bool | int | None = None
    not_: str | bool | int | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if (self.equals is None) == (self.not_ is None):
            raise ValueError("say either `equals: <value>` or `not: <value>`")
        return self

    def holds(self, request: Any) -> bool:
        section, key = self.field.split(".")
        value = getattr(getattr(request, section, None), key, None)
        if self.equals is not None:
            return bool(value == self.equals)
        return value is not None and value != self.not_


class FieldDecl(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    type: Literal["bool", "int", "string", "date", "enum", "list"]
    description: Text  # for marketers: the question, in plain words
    minimum: Annotated[int, Field(ge=-INT_LIMIT, le=INT_LIMIT)] | None = None
    maximum: Annotated[int, Field(ge=-INT_LIMIT, le=INT_LIMIT)] | None = None
    max_length: Annotated[int, Field(ge=1, le=2000)] | None = None
    values: Annotated[dict[EnumValue, Text], Field(min_length=1, max_length=50)] | None = None
    required_when: Condition | None = None

    @model_validator(mode="after")
    def _options_fit_the_type(self) -> FieldDecl:
        wants = {"int": {"minimum", "maximum"}, "string": {"max_length"},
                 "enum": {"values"}, "list": {"values"}}.get(self.type, set())
        given = {k for k in ("minimum", "maximum", "max_length", "values")
                 if getattr(self, k) is not None}
        if given - wants:
            raise ValueError(f"a `{self.type}` field takes no "
                             + ", ".join(f"`{k}`" for k in sorted(given - wants)))
        if wants - given and self.type != "string":
            raise ValueError(f"a `{self.type}` field needs "
                             + ", ".join(f"`{k}`" for k in sorted(wants - given)))
        if self.type == "int" and self.minimum is not None and self.maximum is not None \
                and self.minimum > self.maximum:
            raise ValueError("`minimum` is above `maximum`")
        return self


class FieldsFile(BaseModel):
    """`policies/fields.yaml`: dotted path -> declaration."""

    model_config = ConfigDict(extra="forbid", strict=True)

    fields: Annotated[dict[Path, FieldDecl], Field(max_length=200)]

    @model_validator(mode="after")
    def _never_a_core_field(self) -> FieldsFile:
        for path, decl in self.fields.items():
            section, key = path.split(".")
            if section in NOT_SECTIONS:
                raise ValueError(f"`{path}`: `{section}` is not a section fields can be "
                                 "added to; use a section such as `privacy` or a new one")
            core = _section_model(section)
            if core is not None and key in core.model_fields:
                raise ValueError(f"`{path}` is a core field of the request format; IT "
                                 "fields can add to it, never redefine it")
            if decl.required_when and decl.required_when.field not in self.fields \
                    and _core_field(decl.required_when.field) is None:
                raise ValueError(f"`{path}`: required_when names `{decl.required_when.field}`,"
                                 " which is not a field")
        return self


def _section_model(section: str) -> type[BaseModel] | None:
    info = ToolRequest.model_fields.get(section)
    if info is None:
        return None
    for candidate in (info.annotation, *getattr(info.annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _core_field(path: str) -> Any:
    section, key = path.split(".")
    model = _section_model(section)
    return None if model is None else model.model_fields.get(key)


def _annotation(decl: FieldDecl) -> Any:
    if decl.type == "bool":
        return bool
    if decl.type == "int":
        return Annotated[int, Field(ge=decl.minimum, le=decl.maximum)]
    if decl.type == "string":
        return Annotated[Text, Field(max_length=decl.max_length or 2000)]
    if decl.type == "date":
        return Date
    allowed = Literal[tuple(decl.values or {})]  # type: ignore[valid-type]
    return allowed if decl.type == "enum" else list[allowed]  # type: ignore[valid-type]


class _Extended(ToolRequest):
    """Base of every extended model: checks each declared `required_when`."""

    __fields_declared__: dict[str, FieldDecl] = {}
    __fields_key__: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        # A class made at run time cannot be pickled by name: a worker process sends a
        # request back as the declarations and the values, rebuilt (and re-validated).
        return (_rebuild, (type(self).__fields_key__, self.model_dump(mode="python")))

    @model_validator(mode="after")
    def _required_when(self) -> _Extended:
        for path, decl in type(self).__fields_declared__.items():
            section, key = path.split(".")
            if decl.required_when is None or not decl.required_when.holds(self):
                continue
            if getattr(getattr(self, section, None), key, None) is None:
                raise PydanticCustomError(
                    "required_when",
                    "`{path}` is required when `{when}` {test}: {description}",
                    {"path": path, "when": decl.required_when.field,
                     "test": _test_words(decl.required_when),
                     "description": decl.description, "field": path})
        return self


def _test_words(condition: Condition) -> str:
    if condition.equals is not None:
        return f"is {json.dumps(condition.equals)}"
    return f"is not {json.dumps(condition.not_)}"


def meanings(fields: Fields) -> dict[str, dict[str, str]]:
    """What each allowed value of a declared enum or list means, by field path as
    messages and the editor schema look them up (`ai.training_opt_out`, `x.y[]` for the
    items of a list)."""
    return {path + ("[]" if decl["type"] == "list" else ""): dict(decl["values"])
            for path, decl in (fields or {}).items() if decl.get("values")}


def request_model(fields: Fields) -> type[ToolRequest]:
    """The request model with IT's fields (`PolicySet.fields`); the core one without."""
    if not fields:
        return ToolRequest
    return _build(json.dumps(fields))  # in declaration order: the order questions are asked


@functools.lru_cache(maxsize=16)
def _build(key: str) -> type[ToolRequest]:
    declared = {path: FieldDecl.model_validate(decl) for path, decl in json.loads(key).items()}
    by_section: dict[str, dict[str, Any]] = {}
    for path, decl in declared.items():
        section, name = path.split(".")
        by_section.setdefault(section, {})[name] = (
            _annotation(decl) | None, Field(default=None, description=decl.description))
    sections: dict[str, Any] = {}
    for section, extra in by_section.items():
        core = _section_model(section)
        extended = create_model(f"{section.capitalize()}WithFields", __base__=core or Section,
                                **extra)
        info = ToolRequest.model_fields.get(section) if core is not None else None
        # what the editor shows on the section: the core words, or what IT asks there
        described = info.description if info is not None else (
            "Questions IT adds to the request format (policies/fields.yaml): "
            + ", ".join(f"`{name}`" for name in extra) + ".")
        if info is not None and info.is_required():
            sections[section] = (extended, Field(description=described))
        else:
            sections[section] = (extended | None, Field(None, description=described))
    model = create_model("ToolRequestWithFields", __base__=_Extended, **sections)
    assert issubclass(model, _Extended)
    model.__fields_declared__ = declared
    model.__fields_key__ = key
    return model


def _rebuild(key: str, values: dict[str, Any]) -> ToolRequest:
    return _build(key).model_validate(values)
