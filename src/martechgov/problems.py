"""Turn pydantic validation errors into plain-language problems at a line and column.

Shared by request files and IT's policy data files: both are hand-written YAML read
through `yamlsafe`, so every error can point at the key it is about (or, for a missing
key, at the mapping that should hold it).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from martechgov.yamlsafe import Document

Loc = tuple[str | int, ...]

# Friendly names for the string patterns the models use (see request_model).
_PATTERN_NAMES = {
    "^[a-z0-9]+(?:-[a-z0-9]+)*$": "a lowercase id made of letters, digits and dashes "
    "(for example `hubspot-marketing-hub`)",
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "an email address",
    r"^https?://[^\s/$.?#][^\s]*$": "a web address starting with https://",
    "^[A-Z]{3}$": "a three-letter currency code such as USD, EUR or GBP",
}


@dataclass(frozen=True)
class Problem:
    """One reason a document is not valid."""

    rule: str
    message: str
    field: str | None
    line: int
    column: int


def field_path(loc: Loc) -> str:
    """`('integrations', 0, 'system')` -> `integrations[0].system`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problems_from(exc: ValidationError, doc: Document, model: type[BaseModel],
                  loc_prefix: Loc = ()) -> list[Problem]:
    """One Problem per pydantic error, located in `doc`."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        if "field" in ctx:  # a model-level rule names the field it is about
            loc = tuple(ctx["field"].split("."))
        rule, message = _describe(error, loc, model)
        line, column = doc.position((*loc_prefix, *loc))
        problems.append(Problem(rule, message, field_path(loc) or None, line, column))
    return problems


def _describe(error: ErrorDetails, loc: Loc, model: type[BaseModel]) -> tuple[str, str]:
    kind = error["type"]
    name = field_path(loc) or "the document"
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "schema.missing", f"`{name}` is required but missing; add it"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "allowed: " + ", ".join(allowed)
        return "schema.unknown_field", f"unknown field `{name}` ({hint})"
    if kind == "literal_error":
        return "schema.value", f"`{name}` is {value!r}; allowed values: {ctx['expected']}"
    if kind == "string_pattern_mismatch":
        wanted = _PATTERN_NAMES.get(str(ctx.get("pattern")), f"to match {ctx.get('pattern')}")
        return "schema.value", f"`{name}` is {value!r}; it must be {wanted}"
    if kind in ("bool_type", "bool_parsing"):
        return "schema.type", f"`{name}` must be true or false, not {value!r}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "schema.type", f"`{name}` must be a mapping of keys and values, not {value!r}"
    if kind == "list_type":
        return "schema.type", f"`{name}` must be a list, not {value!r}"
    if kind == "section_required":
        return "schema.missing", error["msg"]
    if kind in ("bounded_value", "bounded_type", "date_range"):
        # Numbers and dates every Rego engine holds exactly (see request_model).
        rule = "schema.type" if kind == "bounded_type" else "schema.value"
        return rule, f"`{name}` {error['msg']}; it is {_shown(value)}"
    if kind == "text_blank" or (kind == "string_too_short" and value == ""):
        return "schema.value", f"`{name}` is blank; fill it in"
    return "schema.type", f"`{name}`: {error['msg'].lower()} (got {value!r})"


def _shown(value: Any) -> str:
    """A value as the requester wrote it in YAML: `.inf`, `2300-01-01`, `365.5`."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names of the model found at `loc` inside `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (
        typing.Union, list, dict
    ):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None
