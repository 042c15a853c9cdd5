from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from martechgov import yamlsafe
from martechgov.loader import blob_id, load_request, parse_field_path

from .conftest import DATA, ROOT

# file under tests/data/bad -> (rule, line, column, words the message must contain)
BAD = {
    "yaml-syntax.yaml": ("yaml.syntax", 6, 10, "YAML syntax error"),
    "duplicate-key.yaml": ("yaml.syntax", 10, 3, "`name` appears twice"),
    "not-a-mapping.yaml": ("schema.type", 1, 1, "not a list"),
    "empty.yaml": ("schema.type", 1, 1, "not an empty file"),
    "two-documents.yaml": ("yaml.syntax", 4, 1, "more than one YAML document"),
    "binary.yaml": ("file.content", 3, 11, "binary file"),
    "latin1.yaml": ("file.content", 4, 11, "not UTF-8"),
    "alias-bomb.yaml": ("yaml.syntax", 2, 8, "aliases"),
    "deep-nesting.yaml": ("yaml.syntax", 2, 23, "nested more than 16 levels"),
    "wrong-types.yaml": ("schema.type", 10, 3, "`tool.seats`"),
    "bad-enum.yaml": ("schema.value", 7, 3, "allowed: `analytics` (measures website"),
    "unknown-key.yaml": ("schema.unknown_field", 19, 3, "did you mean `dpa_signed`?"),
    "missing-field.yaml": ("schema.missing", 4, 1, "`tool.vendor` is required"),
    "wrong-id.yaml": ("request.file_name", 3, 1, "but its id is `some-other-id`"),
    "python-tag.yaml": ("yaml.syntax", 4, 8, "custom YAML tags"),
    "agency-without-section.yaml": ("schema.missing", 17, 1, "needs an `agency:` section"),
}


def test_every_bad_file_is_covered() -> None:
    assert sorted(p.name for p in (DATA / "bad").iterdir() if p.is_file()) == sorted(BAD)


@pytest.mark.parametrize("path", sorted((DATA / "bad").rglob("*.yaml")), ids=lambda p: p.name)
def test_every_problem_says_what_to_do(path: Path) -> None:
    loaded = load_request(path, f"bad/{path.name}")
    assert loaded.problems or path.name == "no-sections.yaml"  # that one is denied
    for problem in loaded.problems:
        assert problem.fix and problem.fix.strip(), problem
        assert problem.message != problem.fix


def test_the_fix_of_a_missing_field_is_the_yaml_to_paste_under_its_parent() -> None:
    [problem] = load_request(DATA / "bad" / "missing-field.yaml").problems
    assert (problem.line, problem.column) == (4, 1)  # `tool:`
    assert problem.fix == "add `vendor:` under `tool:` (line 4)"
    assert problem.fix_yaml == "  vendor:  # the company that sells it, e.g. Typeform SL"
    [problem] = load_request(DATA / "bad" / "agency-without-section.yaml").problems
    assert (problem.line, problem.column) == (17, 1)  # the end of the file
    assert problem.fix_yaml == (
        "agency:\n  name:  # which agency runs it\n  accounts:  # one of: named-sso, shared\n"
        "  role:  # one of: admin, editor, viewer")


@pytest.mark.parametrize(("existing", "fix"), [
    ([], "name the file `some-other-id.yaml` (or change the id to `wrong-id`)"),
    (["some-other-id.yaml"], "`some-other-id.yaml` is another request's file: change the id "
                             "to `wrong-id`, the name of this file"),
])
def test_the_file_name_fix_never_proposes_a_name_another_file_has(
        tmp_path: Path, existing: list[str], fix: str) -> None:
    shutil.copy(DATA / "bad" / "wrong-id.yaml", tmp_path)
    for name in existing:
        shutil.copy(DATA / "good" / "minimal-tool.yaml", tmp_path / name)
    [problem] = load_request(tmp_path / "wrong-id.yaml").problems
    assert (problem.rule, problem.fix) == ("request.file_name", fix)


def test_a_misspelt_ending_is_not_renamed_onto_the_right_one(tmp_path: Path) -> None:
    shutil.copy(DATA / "good" / "minimal-tool.yaml", tmp_path / "minimal-tool.yml")
    [problem] = load_request(tmp_path / "minimal-tool.yml").problems
    assert problem.fix == "rename it to `minimal-tool.yaml`"
    shutil.copy(DATA / "good" / "minimal-tool.yaml", tmp_path)
    [problem] = load_request(tmp_path / "minimal-tool.yml").problems
    assert problem.fix == ("`minimal-tool.yaml` already exists next to it: keep one of the "
                           "two files (a tool has one request)")


def test_a_bad_id_is_fixed_by_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "minimal-tool.yaml"
    path.write_text((DATA / "good" / "minimal-tool.yaml").read_text().replace(
        "id: minimal-tool", "id: Minimal Tool"))
    [problem] = load_request(path).problems
    assert problem.message.startswith("`id` is `Minimal Tool`: write a lowercase id")
    assert problem.fix == "write `id: minimal-tool` (the file name without `.yaml`)"


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_invalid_at_its_line(name: str) -> None:
    rule, line, column, words = BAD[name]
    loaded = load_request(DATA / "bad" / name, f"bad/{name}")
    assert not loaded.valid
    first = loaded.problems[0]
    assert (first.rule, first.line, first.column) == (rule, line, column)
    assert words in first.message


def test_wrong_types_reports_every_problem() -> None:
    loaded = load_request(DATA / "bad" / "wrong-types.yaml")
    assert [(p.field, p.line) for p in loaded.problems] == [
        ("tool.seats", 10), ("privacy.dpa_signed", 20)
    ]
    assert loaded.problems[1].message == "`privacy.dpa_signed` is `yes`: write true or false"


def test_oversized_request_is_invalid(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("notes: " + "x" * (yamlsafe.MAX_BYTES + 1))
    loaded = load_request(big)
    assert [p.rule for p in loaded.problems] == ["file.content"]
    assert "limit is 1,048,576 bytes" in loaded.problems[0].message


def test_minimal_request_is_valid() -> None:
    loaded = load_request(DATA / "good" / "minimal-tool.yaml")
    assert loaded.valid, loaded.problems
    assert loaded.request is not None and loaded.request.tool.seats is None


def test_field_positions_point_at_the_key_or_its_parent() -> None:
    loaded = load_request(ROOT / "requests" / "hubspot-marketing-hub.yaml")
    assert loaded.valid
    assert loaded.position("privacy.dpa_signed") == (40, 3)
    assert loaded.position("integrations[1].direction") == (53, 5)
    # a key that is absent points at the mapping that should hold it, and a missing
    # top-level section at the end of the file (where it would be added), not line 2
    assert loaded.position("tracking.masking") == (62, 1)
    assert loaded.position("security.no_such_key") == (31, 1)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("privacy.dpa_signed", ("privacy", "dpa_signed")),
        ("integrations[1].system", ("integrations", 1, "system")),
        ("tracking.pages[0]", ("tracking", "pages", 0)),
        ("id", ("id",)),
    ],
)
def test_parse_field_path(text: str, parts: tuple) -> None:
    assert parse_field_path(text) == parts


def test_a_device_named_on_the_command_line_is_refused_unread() -> None:
    loaded = load_request(Path("/dev/zero"))
    assert [(p.rule, p.line, p.column) for p in loaded.problems] == [("file.type", 1, 1)]
    assert "named pipe, a device or a socket" in loaded.problems[0].message
    assert loaded.blob is None


def test_the_blob_id_is_gits(tmp_path: Path) -> None:
    path = tmp_path / "semrush.yaml"
    path.write_bytes((ROOT / "requests" / "semrush.yaml").read_bytes())
    hashed = subprocess.run(["git", "hash-object", "--no-filters", str(path)],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert load_request(path).blob == hashed
    assert blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # git's empty blob
