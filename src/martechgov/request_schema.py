"""The JSON Schema of a request, written for editors (VS Code's YAML extension, any
client of yaml-language-server), from the request model and IT's policy data.

An editor shows a property's `description` on hover, each allowed value's meaning
(`enumDescriptions`) beside it in completion, and a schema's `errorMessage` (or
`patternErrorMessage`) instead of its own "Incorrect type" or raw regular expression.
The words are `plain_words`', the ones martechgov's own messages and the wizard use.
Optional values may be null (the loader reads `seats:` as "not given"), written as a
`type` list rather than `anyOf`, so that the editor shows the message, not "Expected
boolean | null". Booleans are `true`/`false` only, as the loader reads them (YAML 1.2).

Values from policy data (IT's systems catalog for `integrations[].system`) come in as
`choices`: field path (`[]` for "every item") -> allowed value -> what it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from martechgov.fieldspec import meanings
from martechgov.messages import Choices
from martechgov.plain_words import HINTS, listed, meanings_of
from martechgov.policy import PolicySet
from martechgov.request_model import SECTION_NEEDED_BY_DEPLOYMENT, ToolRequest
from martechgov.request_values import DATE_MAX, DATE_MIN, PATTERN_KINDS

PATTERN_HINTS = {pattern: HINTS[kind] for pattern, kind in PATTERN_KINDS.items()}


def enum_schema(choices: Mapping[str, str]) -> dict[str, Any]:
    """Allowed values, each with its meaning (shown by the editor as it completes)."""
    return {"type": "string", "enum": list(choices),
            "enumDescriptions": list(choices.values()),
            "errorMessage": f"write one of: {listed(choices, code=False)}"}


class EditorSchema(GenerateJsonSchema):
    """pydantic's JSON Schema, with the meanings of allowed values and plain messages."""

    def literal_schema(self, schema: core_schema.LiteralSchema) -> JsonSchemaValue:
        values = [str(v) for v in schema["expected"]]
        if len(values) == 1:
            return {"const": values[0], "type": "string",
                    "errorMessage": f"write {values[0]}"}
        return enum_schema(meanings_of(values) or dict.fromkeys(values, ""))

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        return {"type": "boolean", "errorMessage": HINTS["bool"]}

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # "Dpa Signed" says less than the description the editor shows


def policy_choices(policy: PolicySet) -> Choices:
    """The values IT's policy data allows where the request model allows any id, and
    what each value of a field IT declares (fields.yaml) means."""
    return {"integrations[].system": policy.systems, **meanings(policy.fields)}


def policy_schema(policy: PolicySet | None) -> dict[str, Any]:
    """The JSON Schema of a request judged by `policy`: with IT's declared fields and the
    values its data allows (the core format when there are no policies)."""
    if policy is None:
        return json_schema()
    return json_schema(policy.request_model, policy_choices(policy))


def json_schema(model: type[BaseModel] = ToolRequest,
                choices: Choices | None = None) -> dict[str, Any]:
    """The JSON Schema of `model` (the request, with any fields IT declares) for editors;
    `choices` replace a field's schema with IT's allowed values."""
    schema = model.model_json_schema(mode="validation", schema_generator=EditorSchema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    _explained(schema)
    for path, allowed in (choices or {}).items():
        if allowed:
            target = _at(schema, path.replace("[]", ".[]").split("."))
            if target is None:
                continue  # a field this model does not have (the core format alone)
            for key in ("pattern", "patternErrorMessage", "maxLength", "type"):
                target.pop(key, None)
            target.update(enum_schema(dict(allowed)))
    schema["allOf"] = [
        {
            "if": {
                "properties": {"tool": {"properties": {"deployment": {"const": deployment}}}},
                "required": ["tool"],
            },
            "then": {"required": [section]},
        }
        for deployment, section, _ in SECTION_NEEDED_BY_DEPLOYMENT
    ]
    return schema


def _explained(node: Any) -> None:
    """Every value schema under `node` with its hint, nullable values as type lists."""
    if isinstance(node, list):
        for item in node:
            _explained(item)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _explained(value)
    _nullable_as_type_list(node)
    hint = _hint(node)
    if hint and "errorMessage" not in node:
        key = "patternErrorMessage" if "pattern" in node else "errorMessage"
        node[key] = hint


def _hint(node: dict[str, Any]) -> str | None:
    kinds = node.get("type")
    kind = next((k for k in kinds if k != "null"), None) if isinstance(kinds, list) else kinds
    if "pattern" in node:
        return PATTERN_HINTS.get(node["pattern"], f"write text matching {node['pattern']}")
    if node.get("format") == "date":
        return f"{HINTS['date']} (a date from {DATE_MIN} to {DATE_MAX})"
    if kind == "integer":
        return (f"write a whole number from {node.get('minimum', 0):,} to "
                f"{node.get('maximum', 0):,}")
    if kind == "number":
        return f"{HINTS['money']} (at most 2 decimal places)"
    return None


def _nullable_as_type_list(node: dict[str, Any]) -> None:
    """`anyOf: [{type: boolean, ...}, {type: null}]` -> `type: [boolean, null], ...`:
    the editor shows the value's own message instead of "Expected boolean | null"."""
    options = node.get("anyOf")
    if not isinstance(options, list) or len(options) != 2 or {"type": "null"} not in options:
        return
    (value,) = [o for o in options if o != {"type": "null"}]
    if not isinstance(value.get("type"), str) or "enum" in value or "const" in value:
        return  # sections ($ref) and allowed values keep anyOf, and their own messages
    del node["anyOf"]
    hint = value.pop("errorMessage", None)
    value.pop("description", None)  # the field's own description is the one to show
    node.update(value, type=[value["type"], "null"])
    if hint:
        node["errorMessage"] = hint


def _at(schema: dict[str, Any], path: list[str]) -> dict[str, Any] | None:
    """The value schema at a field path (`integrations.[].system`), through `$ref`s;
    None when the schema has no such field."""
    node: dict[str, Any] = schema
    for part in path:
        node = _resolved(schema, node)
        found = node.get("items") if part == "[]" else node.get("properties", {}).get(part)
        if not isinstance(found, dict):
            return None
        node = found
    return _resolved(schema, node)


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    for option in node.get("anyOf", []):
        if option != {"type": "null"}:
            node = option
    ref = node.get("$ref")
    if isinstance(ref, str):
        found: dict[str, Any] = schema["$defs"][ref.rsplit("/", 1)[-1]]
        return found
    return node
