"""An error anywhere must never turn into approve: exit 2 with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.engines.embedded import EmbeddedEngine
from martechgov.errors import EngineError, PolicyError
from martechgov.policy import PolicySet

from .conftest import DATA, ROOT, add_rule_records

APPROVABLE = DATA / "good" / "minimal-tool.yaml"


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)
    return target


def run_check(policies: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["check", str(APPROVABLE), "--policies", str(policies), "--as-of", "2026-11-23",
               "--format", "json", *extra],
    )
    return result.exit_code, result.stdout, result.stderr


def add_rule(policies: Path, source: str) -> None:
    (policies / "security" / "broken.rego").write_text(
        "package martech.rules.security\n\nimport rego.v1\n\n" + source
    )
    add_rule_records(policies, source)



@pytest.mark.parametrize("engine", ["embedded", "regopy"])
def test_syntax_error_names_file_line_and_column(policies: Path, engine: str) -> None:
    # Every library is parsed (Rego v1) before any engine compiles it: one message.
    where = "broken.rego:6:7: expecting `}` while parsing set"
    add_rule(policies, 'deny contains f if {\n\tf := {"rule": \n}\n')
    code, out, err = run_check(policies, "--engine", engine)
    assert code == 2
    assert out == ""
    assert f"{policies.as_posix()}/security/{where}" in err
    assert "do not compile" in err


@pytest.mark.parametrize(("engine", "where"), [
    ("regopy", "broken.rego:5: to_number: invalid syntax (in data.martech.rules.security.deny)"),
    ("embedded", "broken.rego:6:33: could not parse string as number"),  # regorus
])
def test_builtin_error_is_an_error_at_its_rule_not_a_quiet_rule(
        policies: Path, engine: str, where: str) -> None:
    # Without strict builtin errors this deny would silently not fire (fail-open).
    add_rule(policies, 'deny contains f if {\n\tto_number(input.request.tool.name) > 0\n'
                       '\tf := {"rule": "security.x", "message": "m", "fix": "f", '
                       '"field": "tool.name"}\n}\n')
    code, out, err = run_check(policies, "--engine", engine)
    assert (code, out) == (2, "")
    assert "request 'minimal-tool'" in err
    assert f"{policies.as_posix()}/security/{where}" in err


def test_a_builtin_error_in_one_of_several_definitions_names_that_one(policies: Path) -> None:
    # security.rego defines `deny` too: the failing builtin picks out the right body.
    add_rule(policies, 'deny contains f if {\n\tinput.request.tool.name != ""\n'
                       '\tf := {"rule": "security.y", "message": "m", "fix": "f", '
                       '"field": "id"}\n}\n\n'
                       'deny contains f if {\n\tx := 1 / 0\n\tx > 0\n'
                       '\tf := {"rule": "security.x", "message": "m", "fix": "f", '
                       '"field": "id"}\n}\n')
    code, out, err = run_check(policies, "--engine", "regopy")
    assert (code, out) == (2, "")
    assert "divide by zero (in data.martech.rules.security.deny), defined at " in err
    assert f"{policies.as_posix()}/security/broken.rego:5" in err


def test_conflicting_rule_values_are_an_error(policies: Path) -> None:
    add_rule(policies, 'level_name := "a"\nlevel_name := "b"\n'
                       'deny contains f if {\n\tlevel_name == "a"\n'
                       '\tf := {"rule": "security.x", "message": "m", "fix": "f", '
                       '"field": "tool.name"}\n}\n')
    code, out, _ = run_check(policies)
    assert (code, out) == (2, "")


def replace_decision(policies: Path, body: str) -> None:
    """Keep the findings wiring, replace the final `decision :=` rule."""
    path = policies / "decision.rego"
    text = path.read_text()
    path.write_text(text[: text.index("\ndecision := {")] + f"\n{body}\n")
    add_rule_records(policies, body)


def test_undefined_decision_is_an_error(policies: Path) -> None:
    replace_decision(policies, 'decision := {"decision": "approve"} if { false }')
    code, out, err = run_check(policies)
    assert (code, out) == (2, "")
    assert "martech/decision is undefined" in err


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('decision := {"decision": "maybe", "findings": [], "reviewers": []}', "decision"),
        ('decision := {"decision": "approve"}', "findings"),
        ('decision := {"decision": "approve", "findings": [{"rule": "security.x"}], '
         '"reviewers": []}', "findings"),
        ('decision := {"decision": "approve", "findings": [{"rule": "security.x", '
         '"level": "deny", "message": "m", "fix": "f", "field": "id", "blocking": true}], '
         '"reviewers": []}', "blocking findings count"),
        ('decision := {"decision": "deny", "findings": [{"rule": "security.x", '
         '"level": "deny", "message": "m", "fix": "f", "field": "id", "blocking": false}], '
         '"reviewers": []}', "not marked blocking"),
        ('decision := {"decision": "review", "findings": [{"rule": "security.x", '
         '"level": "review", "message": "m", "fix": "f", "field": "id", "blocking": true}], '
         '"reviewers": []}', "names no team"),
    ],
)
def test_malformed_decision_is_an_error(policies: Path, body: str, words: str) -> None:
    replace_decision(policies, body)
    code, out, err = run_check(policies)
    assert (code, out) == (2, "")
    assert "malformed decision" in err and words in err


def test_missing_data_file_is_a_policy_error(policies: Path) -> None:
    (policies / "data" / "thresholds.yaml").unlink()
    with pytest.raises(PolicyError, match="missing data file.*thresholds.yaml"):
        PolicySet.from_directory(policies)


def test_typo_in_policy_data_is_located(policies: Path) -> None:
    path = policies / "data" / "thresholds.yaml"
    path.write_text(path.read_text().replace("max_retention_days:", "max_retension_days:"))
    code, out, err = run_check(policies)
    assert (code, out) == (2, "")
    assert "thresholds.yaml:" in err and "unknown field `max_retension_days`" in err
    assert "required but missing" in err


def test_engine_refuses_to_evaluate_before_loading() -> None:
    with pytest.raises(EngineError):
        EmbeddedEngine().evaluate([{"as_of": "2026-11-23", "request": {}}])


def test_unreadable_policy_directory_is_exit_2(tmp_path: Path) -> None:
    code, out, err = run_check(tmp_path / "nowhere")
    assert (code, out) == (2, "")
    assert "does not exist" in err


def test_an_area_the_decision_does_not_read_is_refused(policies: Path) -> None:
    # Its deny rules would never count: fail-open. The library must not load.
    (policies / "newarea").mkdir()
    (policies / "newarea" / "newarea.rego").write_text(
        "package martech.rules.newarea\n\nimport rego.v1\n\n"
        'deny contains {"rule": "newarea.x", "message": "m", "fix": "f", "field": "id"}\n'
    )
    code, out, err = run_check(policies)
    assert (code, out) == (2, "")
    assert "package martech.rules.newarea has `deny` rules that the decision does not read" in err


def test_a_decision_with_runaway_findings_is_an_error(policies: Path) -> None:
    replace_decision(policies, 'decision := {"decision": "approve", "reviewers": [], '
                               '"findings": [f | some i in numbers.range(1, 10001); '
                               'f := {"rule": "security.x", "level": "warn", "message": '
                               'sprintf("m%v", [i]), "fix": "f", "field": "id", '
                               '"blocking": false}]}')
    code, out, err = run_check(policies)
    assert (code, out) == (2, "")
    assert "returned 10,001 findings, more than the 10,000 one decision may have" in err
