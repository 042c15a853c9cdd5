"""Data files IT declares with a JSON Schema beside them (`data/<name>.schema.json`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from martechgov.errors import PolicyError
from martechgov.policy import PolicySet

from .conftest import ROOT, invoke
from .gitutil import make_repo

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["training_vendors", "review_after"],
    "additionalProperties": False,
    "properties": {
        "training_vendors": {"type": "array", "items": {"type": "string", "maxLength": 40},
                             "uniqueItems": True},
        "max_seats": {"type": "integer", "minimum": 1, "maximum": 1000},
        "review_after": {"type": "string", "format": "date"},
        "mode": {"enum": ["strict", "lenient"]},
    },
}
DATA = "training_vendors: [OpenAI, Anthropic]\nmax_seats: 50\nreview_after: 2026-11-29\n"


def declare(policies: Path, data: str = DATA, schema: object = SCHEMA,
            name: str = "ai") -> None:
    (policies / "data" / f"{name}.yaml").write_text(data)
    text = schema if isinstance(schema, str) else json.dumps(schema, indent=2)
    (policies / "data" / f"{name}.schema.json").write_text(text)


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    return tmp_path / "policies"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", ["semrush"])
    monkeypatch.chdir(path)
    return path


def problems(policies: Path) -> str:
    with pytest.raises(PolicyError) as raised:
        PolicySet.from_directory(policies)
    return str(raised.value).replace(f"{policies.as_posix()}/", "policies/")


def test_a_declared_data_file_loads_as_json_for_the_rules(policies: Path) -> None:
    declare(policies)
    loaded = PolicySet.from_directory(policies)
    assert loaded.config["ai"] == {"training_vendors": ["OpenAI", "Anthropic"],
                                   "max_seats": 50, "review_after": "2026-11-29"}


def test_the_schema_is_part_of_the_revision(policies: Path) -> None:
    declare(policies)
    before = PolicySet.from_directory(policies).revision
    declare(policies, schema={**SCHEMA, "required": ["training_vendors"]})
    assert PolicySet.from_directory(policies).revision != before


@pytest.mark.parametrize(("data", "expected"), [
    (DATA.replace("max_seats", "max_seat"),
     "policies/data/ai.yaml:2:1: unknown field `max_seat` (did you mean `max_seats`?)"),
    (DATA.replace("max_seats: 50", "max_seats: fifty"),
     'policies/data/ai.yaml:2:1: `max_seats` must be a whole number, not "fifty"'),
    (DATA.replace("max_seats: 50", "max_seats: 5000"),
     "policies/data/ai.yaml:2:1: `max_seats` must be at most 1000; it is 5000"),
    (DATA.replace("review_after: 2026-11-29", "review_after: 29/11/2026"),
     'policies/data/ai.yaml:3:1: `review_after` must be a date written YYYY-MM-DD, not '
     '"29/11/2026"'),
    (DATA.replace("[OpenAI, Anthropic]", "[OpenAI, 42]"),
     "policies/data/ai.yaml:1:28: `training_vendors[1]` must be text, not 42"),
    (DATA.replace("max_seats: 50", "max_seats: 2026-11-29"),
     'policies/data/ai.yaml:2:1: `max_seats` must be a whole number, not "2026-11-29"'),
    (DATA.replace("review_after: 2026-11-29\n", ""),
     "policies/data/ai.yaml:1:1: `review_after` is required but missing; add it"),
    (DATA + "mode: loose\n",
     'policies/data/ai.yaml:4:1: `mode` is "loose"; allowed values: "strict", "lenient"'),
    (DATA.replace("[OpenAI, Anthropic]", "[OpenAI, OpenAI]"),
     "policies/data/ai.yaml:1:1: `training_vendors` lists a value twice"),
])
def test_a_mistake_is_named_at_its_line_in_plain_words(policies: Path, data: str,
                                                       expected: str) -> None:
    declare(policies, data)
    found = problems(policies)
    assert expected in found
    assert "datetime" not in found and "'" not in found.split("\n", 1)[1]


@pytest.mark.parametrize(("schema", "expected"), [
    ({**SCHEMA, "additionalProperties": None} | {"additionalProperties": True}, None),
    ({k: v for k, v in SCHEMA.items() if k != "additionalProperties"},
     "policies/data/ai.schema.json:1:1: the object at the top lists `properties` but not "
     "`additionalProperties`"),
    ({**SCHEMA, "type": "objekt"},
     "policies/data/ai.schema.json:1:1: not a valid JSON Schema (draft 2020-12)"),
    ('{"type": "object",\n  "properties": }',
     "policies/data/ai.schema.json:2:17: not valid JSON"),
])
def test_a_schema_that_cannot_protect_the_file_is_refused(policies: Path, schema: object,
                                                          expected: str | None) -> None:
    declare(policies, schema=schema)
    if expected is None:  # an object that says it is open may be open
        PolicySet.from_directory(policies)
        return
    assert expected in problems(policies)


@pytest.mark.parametrize(("files", "expected"), [
    ({"data/teams.schema.json": "{}"},
     "policies/data/teams.schema.json: `teams` is a core data file whose schema is "
     "martechgov's own; remove this file"),
    ({"data/orphan.schema.json": "{}"},
     "policies/data/orphan.schema.json: a schema for the data file policies/data/orphan.yaml,"
     " which does not exist"),
    ({"data/extra.json": "{}"},
     "policies/data/extra.json: the only JSON files in policies/data/ are data schemas"),
])
def test_stray_schema_files_are_refused(policies: Path, files: dict[str, str],
                                        expected: str) -> None:
    for rel, text in files.items():
        (policies / rel).write_text(text)
    assert expected in problems(policies)


def test_validate_lists_every_problem_of_a_declared_file(repo: Path) -> None:
    declare(repo / "policies", DATA.replace("max_seats: 50", "max_seat: 50\nmode: loose"))
    code, out, _ = invoke("validate")
    assert code == 1
    assert "policies/data/ai.yaml:2:1: unknown field `max_seat`" in out
    assert 'policies/data/ai.yaml:3:1: `mode` is "loose"' in out


def test_check_stops_on_a_declared_file_with_a_mistake(repo: Path) -> None:
    declare(repo / "policies", DATA.replace("max_seats: 50", "max_seats: -1"))
    code, out, err = invoke("check", "--as-of", "2026-11-23")
    assert (code, out) == (2, "")
    assert "policies/data/ai.yaml:2:1: `max_seats` must be at least 1; it is -1" in err
