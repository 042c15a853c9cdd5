"""Problems in a request file, in plain words: one message per kind when there are
hundreds, and no value echoed in full (problems.py)."""

from __future__ import annotations

from pathlib import Path

from martechgov.loader import load_request
from martechgov.problems import AGGREGATE_ABOVE

from .conftest import ROOT


def request_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "requests" / "typeform.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "typeform.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_hundreds_of_unknown_keys_are_one_problem_with_a_count(tmp_path: Path) -> None:
    extra = "".join(f"  k{i:05d}: 1\n" for i in range(19_900))
    loaded = load_request(request_with(tmp_path, "tool:\n", "tool:\n" + extra))
    [problem] = loaded.problems
    assert problem.rule == "schema.unknown_field"
    assert problem.message.startswith(
        "19,900 unknown fields; the first 20: `tool.k00000`, `tool.k00001`, ")
    assert "`tool.k00019`. The first one: unknown field `tool.k00000`" in problem.message
    assert "k00020" not in problem.message
    assert (problem.line, problem.column) == (6, 3)


def test_a_few_problems_of_one_kind_keep_their_own_lines(tmp_path: Path) -> None:
    extra = "".join(f"  k{i:02d}: 1\n" for i in range(AGGREGATE_ABOVE))
    loaded = load_request(request_with(tmp_path, "tool:\n", "tool:\n" + extra))
    assert len(loaded.problems) == AGGREGATE_ABOVE
    assert [p.line for p in loaded.problems] == list(range(6, 6 + AGGREGATE_ABOVE))


def test_a_huge_value_is_quoted_cut(tmp_path: Path) -> None:
    huge = "A" * 900_000
    loaded = load_request(request_with(tmp_path, "  name: Typeform", f'  name: "{huge}"'))
    [problem] = loaded.problems
    assert problem.field == "tool.name"
    assert len(problem.message) < 400
    assert f"'{'A' * 199}..." in problem.message


def test_a_huge_unknown_key_is_named_cut(tmp_path: Path) -> None:
    key = "k" * 1000  # YAML allows 1024 characters in a plain key
    loaded = load_request(request_with(tmp_path, "tool:\n", f"tool:\n  {key}: 1\n"))
    [problem] = loaded.problems
    assert problem.field is not None and len(problem.field) == len("tool.") + 195 + 3
    assert len(problem.message) < 800
