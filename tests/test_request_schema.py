"""The JSON Schema for editors (request_schema.py): every property described, every
allowed value explained in the wizard's words, a plain message wherever the editor
would show a type name or a regular expression, IT's systems from policy data, and the
same answer as `martechgov check` on what is a yes/no, a number or a date."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from martechgov.loader import load_request_text
from martechgov.plain_words import HINTS, MEANINGS
from martechgov.policy import PolicySet
from martechgov.request_schema import policy_schema
from martechgov.yamlsafe import load

from .conftest import ROOT, invoke

POLICY = PolicySet.from_directory(ROOT / "policies")
SCHEMA = policy_schema(POLICY)  # with the fields IT declares (fields.yaml)


def properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property the request may have (not the `if` of a condition)."""
    if isinstance(node, dict) and "if" not in path:
        for name, value in (node.get("properties") or {}).items():
            yield f"{path}.{name}", value
        for key, value in node.items():
            yield from properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for item in node:
            yield from properties(item, path)


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def value_schemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from value_schemas(value)
    elif isinstance(node, list):
        for item in node:
            yield from value_schemas(item)


def test_the_committed_schema_is_this_one() -> None:
    committed = json.loads((ROOT / "schema" / "toolrequest-v1.schema.json").read_text())
    assert committed == SCHEMA, "run `martechgov schema > schema/toolrequest-v1.schema.json`"


def test_every_property_is_described() -> None:
    found = dict(properties(SCHEMA))
    assert len(found) > 60
    assert [path for path, node in found.items() if not node.get("description")] == []


def test_every_allowed_value_has_its_meaning() -> None:
    enums = [node for node in value_schemas(SCHEMA) if "enum" in node]
    assert len(enums) >= 15
    for node in enums:
        assert len(node["enumDescriptions"]) == len(node["enum"])
        assert all(text.strip() for text in node["enumDescriptions"]), node
        assert node["errorMessage"].startswith("write one of: ")
    category = SCHEMA["$defs"]["Tool"]["properties"]["category"]
    assert dict(zip(category["enum"], category["enumDescriptions"], strict=True)) == \
        MEANINGS["Category"]  # the wizard's words


def test_no_raw_type_or_pattern_reaches_the_editor() -> None:
    for node in value_schemas(SCHEMA):
        if "pattern" in node:
            assert node["patternErrorMessage"].startswith("write "), node
        kinds = node.get("type")
        if kinds in ("boolean", "integer", "number") or (
                isinstance(kinds, list) and set(kinds) & {"boolean", "integer", "number"}):
            assert node["errorMessage"].startswith("write "), node
        if node.get("format") == "date":
            assert node["errorMessage"].startswith(HINTS["date"])


def test_the_systems_are_its_catalog() -> None:
    system = SCHEMA["$defs"]["Integration"]["properties"]["system"]
    assert dict(zip(system["enum"], system["enumDescriptions"], strict=True)) == POLICY.systems
    assert "pattern" not in system


def instance(value: Any) -> Any:
    """A loaded document as an editor's JSON (dates are text to it)."""
    if isinstance(value, dict):
        return {k: instance(v) for k, v in value.items()}
    if isinstance(value, list):
        return [instance(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


TYPEFORM = (ROOT / "requests" / "typeform.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("written", [
    "true", "false", "True", "FALSE", "yes", "no", "Yes", "NO", "on", "off", "y", "n",
    '"true"', "1", "0", "~",
])
def test_the_editor_and_check_agree_on_yes_and_no(written: str) -> None:
    text = TYPEFORM.replace("  dpa_signed: true", f"  dpa_signed: {written}")
    loaded = load_request_text(text, "typeform.yaml")
    errors = list(validator().iter_errors(instance(load(text).value)))
    assert loaded.valid == (errors == []), (loaded.problems, errors)
    assert loaded.valid == (written in ("true", "false", "True", "FALSE", "~"))


@pytest.mark.parametrize(("field", "written"), [
    # (not `seats: 4.0`: JSON Schema's integer takes it, the loader wants 4 written as 4)
    ("  seats: 4", "  seats: 4"), ("  seats: 4", "  seats: -1"),
    ("  seats: 4", '  seats: "4"'), ("  annual: 1980", "  annual: 1980.5"),
    ("  annual: 1980", "  annual: 1_980"), ("  annual: 1980", '  annual: "$1,980"'),
    ("  currency: EUR", "  currency: eur"), ("  pentest_date: 2026-02-20",
                                             "  pentest_date: 02/20/2026"),
    ("  website: https://www.typeform.com", "  website: www.typeform.com"),
    ("  category: survey", "  category: Survey"),
])
def test_the_editor_and_check_agree_on_values(field: str, written: str) -> None:
    text = TYPEFORM.replace(field, written)
    loaded = load_request_text(text, "typeform.yaml")
    errors = list(validator().iter_errors(instance(load(text).value)))
    assert loaded.valid == (errors == []), (loaded.problems, errors)


def test_every_example_request_is_valid_against_the_schema() -> None:
    for path in sorted(Path(ROOT / "requests").glob("*.yaml")):
        errors = list(validator().iter_errors(instance(load(path.read_text()).value)))
        assert errors == [], path


def test_martechgov_schema_reads_the_systems_from_the_policies(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    systems = tmp_path / "policies" / "data" / "systems.yaml"
    systems.write_text(systems.read_text() + "hubspot:\n  name: HubSpot (marketing)\n"
                       "  system_of_record: false\n")
    code, out, err = invoke("schema", "--policies", str(tmp_path / "policies"))
    assert (code, err) == (0, "")
    system = json.loads(out)["$defs"]["Integration"]["properties"]["system"]
    assert system["enum"][-1] == "hubspot"
    assert system["enumDescriptions"][-1] == "HubSpot (marketing)"
