"""The workflow harness itself: GitHub's shell semantics, `if:`, expressions and the
runner's command parsing, on tiny workflows (no install, fast)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..gitutil import commit_all, git
from .expressions import Evaluator, ExpressionError, Status
from .fakegh import FakeGitHub
from .harness import FAKE_GH, Event, Harness, HarnessError, Run, read_key_values
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


def test_jobs_run_in_the_order_of_their_needs_with_outputs_and_if(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README").write_text("x\n")
    head = commit_all(repo, "one")
    path = tmp_path / "workflow.yml"
    path.write_text(yaml.safe_dump({"on": "push", "permissions": {}, "jobs": {
        "last": {"runs-on": "ubuntu-latest", "needs": ["first", "never"],
                 "if": "${{ !cancelled() }}", "permissions": {},
                 "steps": [{"env": {"GOT": "${{ needs.first.outputs.word }}",
                                    "NEVER": "${{ needs.never.result }}"},
                            "run": 'test "$GOT" = hello && test "$NEVER" = skipped\n'
                                   'test ! -e left-by-first'}]},
        "first": {"runs-on": "ubuntu-latest", "permissions": {"contents": "read"},
                  "outputs": {"word": "${{ steps.say.outputs.word }}"},
                  "steps": [{"id": "say", "run": 'echo "word=hello" >> "$GITHUB_OUTPUT"\n'
                                                 "touch left-by-first"}]},
        "never": {"runs-on": "ubuntu-latest", "if": "github.event_name == 'schedule'",
                  "permissions": {}, "steps": [{"run": "exit 1"}]}}}))
    harness = Harness(tmp_path / "github", repo, tmp_path / "no-python" / "bin")
    runs = harness.run_jobs(path, Event("push", head))
    assert list(runs) == ["first", "never", "last"]
    assert {job: run.conclusion for job, run in runs.items()} == {
        "first": "success", "never": "skipped", "last": "success"}, runs["last"].explain()
    assert runs["first"].outputs == {"word": "hello"}


def gh(tmp_path: Path, *args: str, token: str | None = "ghs_test",
       stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "FAKE_GITHUB_STATE": str(tmp_path / "state.json"),
           **({"GH_TOKEN": token} if token else {})}
    return subprocess.run([sys.executable, str(FAKE_GH), *args], env=env, input=stdin,
                          capture_output=True, text=True, check=False)


def test_the_stand_in_gh_answers_like_github(tmp_path: Path) -> None:
    github = FakeGitHub(tmp_path / "state.json")
    github.open_pull(1, "marta-mkt", "a" * 40)
    github.grant("ghs_test", "check", {"pull-requests": "read"})
    for n in range(31):
        github.comment(1, "bob", f"comment {n}")
    first = gh(tmp_path, "api", "repos/example-org/marketing/issues/1/comments")
    assert len(json.loads(first.stdout)) == 30  # one page without --paginate
    every = gh(tmp_path, "api", "--paginate", "repos/example-org/marketing/issues/1/comments")
    assert every.stdout.count("][") == 1  # pages back to back, as gh prints them
    denied = gh(tmp_path, "api", "--method", "POST",
                "repos/example-org/marketing/issues/1/comments", "-f", "body=hi")
    assert (denied.returncode, denied.stderr) == (
        1, "gh: Resource not accessible by integration (HTTP 403)\n")
    assert json.loads(denied.stdout)["message"] == "Resource not accessible by integration"
    missing = gh(tmp_path, "api", "repos/example-org/marketing/pulls/2/reviews")
    assert (missing.returncode, missing.stderr) == (1, "gh: Not Found (HTTP 404)\n")
    assert gh(tmp_path, "api", "user", token=None).returncode == 4
    unknown = gh(tmp_path, "api", "repos/example-org/marketing/releases")
    assert unknown.returncode == 3 and "not implemented" in unknown.stderr
    assert gh(tmp_path, "pr", "list").returncode == 3
    assert [c["status"] for c in github.calls()] == [200, 200, 403, 404]
