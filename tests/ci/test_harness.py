"""The workflow harness itself: GitHub's shell semantics, `if:`, expressions and the
runner's command parsing, on tiny workflows (no install, fast)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ..gitutil import commit_all, git
from .expressions import Evaluator, ExpressionError, Status
from .harness import Event, Harness, HarnessError, Run, read_key_values
from .runner import commands

CHECKOUT = {"uses": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
            "with": {"fetch-depth": 0}}


def run_steps(tmp_path: Path, steps: list[dict[str, object]], **workflow: object) -> Run:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README").write_text("x\n")
    head = commit_all(repo, "one")
    path = tmp_path / "workflow.yml"
    path.write_text(yaml.safe_dump({"on": "push", **workflow, "jobs": {"job": {
        "runs-on": "ubuntu-latest", "steps": [CHECKOUT, *steps]}}}))
    harness = Harness(tmp_path / "github", repo, tmp_path / "no-python" / "bin")
    return harness.run_workflow(path, "job", Event("push", head))


def test_the_default_shell_has_no_pipefail_and_bash_has(tmp_path: Path) -> None:
    run = run_steps(tmp_path, [
        {"name": "default", "run": "false | cat", "continue-on-error": True},
        {"name": "bash", "run": "false | cat", "shell": "bash", "continue-on-error": True},
    ])
    assert [s.outcome for s in run.steps[1:]] == ["success", "failure"]


def test_if_outputs_env_files_and_status_functions(tmp_path: Path) -> None:
    run = run_steps(tmp_path, [
        {"id": "a", "run": 'echo "x=Yes" >> "$GITHUB_OUTPUT"\necho "V=1" >> "$GITHUB_ENV"'},
        {"name": "compares ignoring case", "if": "steps.a.outputs.x == 'yes'",
         "run": 'test "$V" = 1 && echo "## hi" >> "$GITHUB_STEP_SUMMARY"'},
        {"name": "fails", "run": "exit 3"},
        {"name": "skipped after a failure", "run": "true"},
        {"name": "runs after a failure", "if": "${{ !cancelled() }}", "run": "true"},
        {"name": "only on failure", "if": "failure()", "run": "true"},
    ])
    assert [(s.name, s.outcome) for s in run.steps[2:]] == [
        ("compares ignoring case", "success"), ("fails", "failure"),
        ("skipped after a failure", "skipped"), ("runs after a failure", "success"),
        ("only on failure", "success")]
    assert run.summary == "## hi\n"
    assert run.conclusion == "failure"


def test_what_the_harness_does_not_implement_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match="no local effect"):
        run_steps(tmp_path, [{"uses": "actions/cache@0123"}])
    evaluator = Evaluator({"github": {}}, Status(), tmp_path)
    with pytest.raises(ExpressionError, match="format"):
        evaluator.evaluate("format('{0}', github.ref)")
    with pytest.raises(ExpressionError, match="vars"):
        evaluator.evaluate("vars.TOKEN")


def test_expressions_follow_githubs_rules(tmp_path: Path) -> None:
    evaluator = Evaluator({"env": {"A": "true"}, "steps": {}}, Status(failed=True), tmp_path)
    assert evaluator.evaluate("env.A == 'TRUE' && 'x' || 'y'") == "x"
    assert evaluator.evaluate("steps.missing.outcome == ''") is True
    assert evaluator.evaluate("!success() && (1 == '1')") is True
    assert evaluator.condition("env.A == 'true'") is False  # implied success()
    assert evaluator.substitute("a-${{ env.A }}-${{ 2 }}") == "a-true-2"
    labels = Evaluator({"github": {"labels": [{"name": "Tool-Request"}, {"name": "x"}]}},
                       Status(), tmp_path)
    assert labels.evaluate("github.labels.*.name") == ["Tool-Request", "x"]
    assert labels.evaluate("contains(github.labels.*.name, 'tool-request')") is True
    assert labels.evaluate("contains(github.labels.*.name, 'tool')") is False
    assert labels.evaluate("contains('Hello', 'ELL') && startsWith('Hello', 'he')") is True
    assert labels.evaluate("contains(fromJSON('[\"OWNER\", \"MEMBER\"]'), 'member')") is True


def test_output_files_and_the_runners_command_parsing() -> None:
    assert read_key_values("a=1\nb<<EOF\nx\ny\nEOF\nc=d=e\n") == {
        "a": "1", "b": "x\ny", "c": "d=e"}
    log = ("  ::error file=a%2Cb,title=T%3A x::m%0An\r::notice::after a carriage return\n"
           "text ##[warning]legacy anywhere\n::stop-commands::tok\n::error::ignored\n"
           "::tok::\n::add-mask::x\n")
    assert [(c.name, c.data, c.properties) for c in commands(log)] == [
        ("error", "m\nn", {"file": "a,b", "title": "T: x"}),
        ("notice", "after a carriage return", {}),
        ("warning", "legacy anywhere", {}),
        ("add-mask", "x", {})]
