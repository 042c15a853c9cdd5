"""IT-declared policy data files: `data/<name>.yaml` validated by `data/<name>.schema.json`.

The core data files (thresholds, teams, rules, ...) have models in `policy_data`; IT adds
a data file of its own by putting a JSON Schema (draft 2020-12) beside it, so that a
misspelt key or a wrong value is an error at `file:line:col` rather than a rule that
quietly reads nothing. Schemas must close every object they describe
(`additionalProperties`), for the same reason. Validation is the `jsonschema` package's;
its messages (Python reprs) are rewritten here in plain words.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError

from martechgov import yamlsafe
from martechgov.escape import truncate

SCHEMA_SUFFIX = ".schema.json"
MAX_SCHEMA_BYTES = 256 * 1024
TYPE_WORDS = {"integer": "a whole number", "number": "a number", "string": "text",
              "boolean": "true or false", "array": "a list", "object": "a mapping of keys to "
              "values", "null": "empty"}


def load_schema(raw: bytes, shown: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The schema in `raw`, or the problems that make it unusable (`file:line:col: ...`)."""
    if len(raw) > MAX_SCHEMA_BYTES:
        return None, [f"{shown}:1:1: a data schema may be at most {MAX_SCHEMA_BYTES:,} bytes"]
    try:
        schema = json.loads(yamlsafe.decode_text(raw))
    except yamlsafe.YamlProblem as problem:
        return None, [f"{shown}:{problem}"]
    except json.JSONDecodeError as exc:
        return None, [f"{shown}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"]
    if not isinstance(schema, dict):
        return None, [f"{shown}:1:1: a JSON Schema is an object (`{{\"type\": ...}}`)"]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "the top"
        return None, [f"{shown}:1:1: not a valid JSON Schema (draft 2020-12) at {where}: "
                      f"{_plain(exc.message)}"]
    open_objects = sorted(set(_open_objects(schema, "")))
    if open_objects:
        return None, [f"{shown}:1:1: the object at {where or 'the top'} lists `properties` "
                      "but not `additionalProperties`; add `\"additionalProperties\": false` "
                      "so that a misspelt key is an error, not a value rules never read"
                      for where in open_objects]
    return schema, []


def _open_objects(node: Any, where: str) -> Iterator[str]:
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node \
                and "unevaluatedProperties" not in node:
            yield where
        for key, value in node.items():
            yield from _open_objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _open_objects(value, f"{where}/{index}")


def json_value(value: Any) -> Any:
    """A YAML value as JSON sees it: dates as `YYYY-MM-DD` text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def problems(value: Any, document: yamlsafe.Document, schema: dict[str, Any],
             shown: str) -> list[str]:
    """Every way `value` breaks `schema`, each at `file:line:col` in plain words."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    found = []
    for error in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        key, message = _describe(error, path)
        line, column = document.position(key)
        found.append(f"{shown}:{line}:{column}: {message}")
    return found


def _name(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".") or "the file"


def _shown(value: Any) -> str:
    return truncate(json.dumps(value, ensure_ascii=False), 60)


def _describe(error: ValidationError, path: tuple[Any, ...]) -> tuple[tuple[Any, ...], str]:
    """Where to point, and what to say."""
    kind, wanted, instance = error.validator, error.validator_value, error.instance
    name = f"`{_name(path)}`"
    if kind == "required":
        missing = [k for k in wanted if isinstance(instance, dict) and k not in instance]
        return path, f"`{_name((*path, missing[0]))}` is required but missing; add it"
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(error.schema.get("properties") or {})
        extra = sorted(k for k in instance if k not in allowed)
        close = difflib.get_close_matches(extra[0], allowed, n=1) if extra else []
        hint = f"did you mean `{close[0]}`?" if close else "allowed: " + ", ".join(allowed)
        return (*path, extra[0]), f"unknown field `{_name((*path, extra[0]))}` ({hint})"
    if kind == "type":
        types = wanted if isinstance(wanted, list) else [wanted]
        words = " or ".join(TYPE_WORDS.get(str(t), str(t)) for t in types)
        return path, f"{name} must be {words}, not {_shown(instance)}"
    if kind in ("enum", "const"):
        values = ", ".join(_shown(v) for v in (wanted if kind == "enum" else [wanted]))
        return path, f"{name} is {_shown(instance)}; allowed values: {values}"
    limits = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
              "exclusiveMaximum": "less than", "minLength": "at least", "maxLength": "at most",
              "minItems": "at least", "maxItems": "at most"}
    if kind in limits:
        unit = (" characters" if "Length" in kind else " items" if "Items" in kind else "")
        return path, f"{name} must be {limits[kind]} {wanted}{unit}; it is {_shown(instance)}"
    if kind == "format":
        form = "a date written YYYY-MM-DD" if wanted == "date" else f"a valid {wanted}"
        return path, f"{name} must be {form}, not {_shown(instance)}"
    if kind == "pattern":
        return path, f"{name} is {_shown(instance)}; it must match the pattern {wanted}"
    if kind == "uniqueItems":
        return path, f"{name} lists a value twice"
    return path, f"{name} does not match the schema's `{kind}` rule"


def _plain(message: str) -> str:
    return truncate(message.replace("'", "`"), 200)
