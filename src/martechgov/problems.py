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

from martechgov.escape import truncate
from martechgov.yamlsafe import Document

Loc = tuple[str | int, ...]

# More problems of one kind than this in one document become one problem with a count
# and the first few fields: a file with 19,900 unknown keys gets one message, not
# 19,900 annotations.
AGGREGATE_ABOVE = 20
_KIND_WORDS = {
    "schema.unknown_field": "unknown fields",
    "schema.missing": "required fields are missing",
    "schema.type": "fields have the wrong type",
    "schema.value": "fields have a value that is not allowed",
}

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
    """One Problem per pydantic error, located in `doc` (`aggregate`d by kind)."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        if "field" in ctx:  # a model-level rule names the field it is about
            loc = tuple(ctx["field"].split("."))
        rule, message = _describe(error, loc, model)
        line, column = doc.position((*loc_prefix, *loc))
        problems.append(Problem(rule, message, truncate(field_path(loc)) or None, line, column))
    return aggregate(problems)


def aggregate(problems: list[Problem]) -> list[Problem]:
    """Each kind with more than AGGREGATE_ABOVE problems becomes one problem at the
    first one's place: `19,900 unknown fields; the first 20: `a`, `b`, ...`."""
    kinds: dict[str, list[Problem]] = {}
    for problem in problems:
        kinds.setdefault(problem.rule, []).append(problem)
    out = []
    for problem in problems:
        same = kinds[problem.rule]
        if len(same) <= AGGREGATE_ABOVE:
            out.append(problem)
        elif problem is same[0]:
            out.append(_summary(same))
    return out


def _summary(same: list[Problem]) -> Problem:
    first = same[0]
    fields = ", ".join(f"`{p.field or 'the document'}`" for p in same[:AGGREGATE_ABOVE])
    words = _KIND_WORDS.get(first.rule, f"problems of the kind {first.rule}")
    return Problem(first.rule, f"{len(same):,} {words}; the first {AGGREGATE_ABOVE}: "
                   f"{fields}. The first one: {first.message}", first.field, first.line,
                   first.column)


def _quote(value: Any) -> str:
    """A value from the document inside a message: its repr, cut to a readable size."""
    return truncate(repr(value))


def _describe(error: ErrorDetails, loc: Loc, model: type[BaseModel]) -> tuple[str, str]:
    kind = error["type"]
    name = truncate(field_path(loc)) or "the document"
    value = _quote(error.get("input"))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "schema.missing", f"`{name}` is required but missing; add it"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "allowed: " + ", ".join(allowed)
        return "schema.unknown_field", f"unknown field `{name}` ({hint})"
    if kind == "literal_error":
        return "schema.value", f"`{name}` is {value}; allowed values: {ctx['expected']}"
    if kind == "string_pattern_mismatch":
        wanted = _PATTERN_NAMES.get(str(ctx.get("pattern")), f"to match {ctx.get('pattern')}")
        return "schema.value", f"`{name}` is {value}; it must be {wanted}"
    if kind in ("bool_type", "bool_parsing"):
        return "schema.type", f"`{name}` must be true or false, not {value}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "schema.type", f"`{name}` must be a mapping of keys and values, not {value}"
    if kind == "list_type":
        return "schema.type", f"`{name}` must be a list, not {value}"
    if kind == "section_required":
        return "schema.missing", error["msg"]
    if kind == "value_error":  # a model's own rule: its message says it all
        return "schema.value", f"`{name}`: {ctx.get('error', error['msg'])}"
    if kind in ("bounded_value", "bounded_type", "date_range"):
        # Numbers and dates every Rego engine holds exactly (see request_model).
        rule = "schema.type" if kind == "bounded_type" else "schema.value"
        return rule, f"`{name}` {error['msg']}; it is {_shown(error.get('input'))}"
    if kind == "text_blank" or (kind == "string_too_short" and error.get("input") == ""):
        return "schema.value", f"`{name}` is blank; fill it in"
    return "schema.type", f"`{name}`: {error['msg'].lower()} (got {value})"


def _shown(value: Any) -> str:
    """A value as the requester wrote it in YAML: `.inf`, `2300-01-01`, `365.5`."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return truncate(repr(value), 40)


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names of the model found at `loc` inside `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields and "root" in fields:  # a key of a RootModel's mapping
            current = _inner_model(fields["root"].annotation)
            continue
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
