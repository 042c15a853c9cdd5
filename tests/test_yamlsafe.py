from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import pytest

from martechgov import yamlsafe
from martechgov.yamlsafe import YamlProblem


def test_values_and_positions_of_every_path() -> None:
    doc = yamlsafe.load(
        "# comment\n"
        "tool:\n"
        "  name: X\n"
        "  seats: 12\n"
        "dates:\n"
        "  - 2026-01-02\n"
        "  - {a: true}\n"
    )
    assert doc.value == {"tool": {"name": "X", "seats": 12},
                         "dates": [dt.date(2026, 1, 2), {"a": True}]}
    assert doc.positions[("tool",)] == (2, 1)
    assert doc.positions[("tool", "seats")] == (4, 3)
    assert doc.positions[("dates", 1, "a")] == (7, 6)


def test_position_of_a_missing_path_is_its_nearest_parent_or_the_end() -> None:
    doc = yamlsafe.load("# a comment\nprivacy:\n  tia_done: true\nnotes: |\n  one\n  two\n")
    assert doc.position(("privacy", "dpa_signed")) == (2, 1)
    assert doc.nearest(("privacy", "dpa_signed")) == (("privacy",), (2, 1))
    # a missing top-level key: the last line with a value, where it would be added
    assert doc.position(("security", "sso")) == (6, 1)
    assert doc.position(()) == (2, 1)


# YAML 1.2's core schema, as editors read it: only true/false are yes and no; numbers are
# decimal; what YAML 1.1 read as something else is text, refused where a number is meant.
@pytest.mark.parametrize(("plain", "value"), [
    ("true", True), ("False", False), ("TRUE", True),
    ("yes", "yes"), ("No", "No"), ("on", "on"), ("OFF", "OFF"), ("y", "y"), ("n", "n"),
    ("12", 12), ("-3", -3), ("+12", 12), ("0", 0), ("1200.50", 1200.5), (".5", 0.5),
    ("010", "010"), ("0o17", "0o17"), ("0x1F", "0x1F"), ("0b101", "0b101"),
    ("1_000", "1_000"), ("1:30", "1:30"), ("190:20:30", "190:20:30"), ("1e3", "1e3"),
    ("~", None), ("null", None), ("NULL", None), ("", None),
    ("2027-01-15", dt.date(2027, 1, 15)), ("2027-02-30", "2027-02-30"),
    ("2027-01-15 10:00:00", dt.datetime(2027, 1, 15, 10, 0)), ("=", "="), ("<<", "<<"),
])
def test_plain_scalars_are_read_as_yaml_1_2_reads_them(plain: str, value: object) -> None:
    read = yamlsafe.load(f"a: {plain}\n").value["a"]
    assert read == value and type(read) is type(value)


def test_non_string_keys_stay_text() -> None:
    assert yamlsafe.load("yes: 1\n2024: b\n").value == {"yes": 1, "2024": "b"}


@pytest.mark.parametrize(
    ("text", "fragment", "line", "column"),
    [
        ("a: 1\na: 2\n", "`a` appears twice", 2, 1),
        ("a: &x 1\nb: *x\n", "aliases", 2, 4),
        ("a: [1\n", "YAML syntax error", 2, 1),
        ("a: 1\n---\nb: 2\n", "more than one YAML document", 2, 1),
        ("a: " + "[" * 40 + "]" * 40, "nested more than", 1, 19),
        ("a: !!python/object:os.system x\n", "!!python/object:os.system", 1, 4),
        ("? [a]\n: 1\n", "plain word", 1, 3),
    ],
)
def test_problems_are_located(text: str, fragment: str, line: int, column: int) -> None:
    with pytest.raises(YamlProblem) as caught:
        yamlsafe.load(text)
    assert fragment in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.fix  # every problem says what to do


def test_a_number_too_long_for_python_is_a_located_problem() -> None:
    with pytest.raises(YamlProblem) as raised:
        yamlsafe.load("tool:\n  seats: " + "1" * 5000 + "\n")
    assert (raised.value.line, raised.value.column) == (2, 10)
    assert "5,000 digits" in raised.value.message


def test_too_many_values_stops_the_parse() -> None:
    text = "a: [" + ", ".join(["1"] * (yamlsafe.MAX_NODES + 1)) + "]\n"
    with pytest.raises(YamlProblem, match="more than 20,000 values"):
        yamlsafe.load(text)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("notes: " + "x" * (yamlsafe.MAX_BYTES + 10))
    with pytest.raises(YamlProblem, match="limit is 1,048,576 bytes"):
        yamlsafe.read_text(big)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: é\n".encode())
    assert yamlsafe.load(yamlsafe.read_text(path)).value == {"a": "é"}


def test_reading_stops_at_the_limit_whatever_the_size_claims(tmp_path: Path) -> None:
    # /dev/zero claims 0 bytes and never ends; the fstat refuses it before any read.
    with pytest.raises(YamlProblem, match="not a plain file"):
        yamlsafe.read_bytes(Path("/dev/zero"))
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"a" * 10)
    assert yamlsafe.read_bytes(exact, max_bytes=10) == b"a" * 10
    with pytest.raises(YamlProblem, match="the file is 10 bytes; the limit is 9 bytes"):
        yamlsafe.read_bytes(exact, max_bytes=9)


def test_a_link_is_never_opened(tmp_path: Path) -> None:
    target = tmp_path / "target.yaml"
    target.write_text("a: 1\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    with pytest.raises(OSError) as caught:
        yamlsafe.read_bytes(link)
    assert caught.value.errno == errno.ELOOP


def test_a_named_pipe_does_not_block_the_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)  # nobody writes: a blocking open would wait forever
    with pytest.raises(YamlProblem, match="not a plain file"):
        yamlsafe.read_bytes(pipe)
