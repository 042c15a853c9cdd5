"""The workflows and the action, run as GitHub runs them (tests/ci/harness.py) on real
temporary repositories: green when they must be green, red when they must be red, and
nothing in a pull request changes how it is judged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from ..gitutil import ROOT, commit_all, git, replace_in
from .conftest import pull_request
from .fakegh import FakeGitHub
from .harness import Event, Harness, Run

WORKFLOW = ROOT / ".github" / "workflows" / "martechgov.yml"
REREVIEW = ROOT / ".github" / "workflows" / "martechgov-rereview.yml"
ACTION = ROOT / "action.yml"


def add_request(repo: Path, name: str, as_name: str | None = None,
                source: Path | None = None) -> None:
    shutil.copy(source or ROOT / "requests" / f"{name}.yaml",
                repo / "requests" / f"{as_name or name}.yaml")


def judge(tmp_path: Path, repo: Path, head: str, ci_python: Path, **harness: bool) -> Run:
    """The pull-request workflow's `check` job on pull request #1 (no reviews yet)."""
    github = FakeGitHub(tmp_path / "github-state.json")
    github.open_pull(1, "marta-mkt", head)
    return Harness(tmp_path / "github", repo, ci_python, github=github, **harness
                   ).run_workflow(WORKFLOW, "check", Event("pull_request", head, base_ref="main"))


def titles(run: Run) -> list[tuple[str, str, str]]:
    return [(a.name, a.properties.get("title", ""), a.properties.get("file", ""))
            for a in run.annotations]


def test_an_approved_request_is_green(tmp_path: Path, repo: Path, ci_python: Path) -> None:
    add_request(repo, "optimizely-web")
    run = judge(tmp_path, repo, pull_request(repo), ci_python)
    assert run.conclusion == "success", run.explain()
    assert run.step("Judge changed").stdout.startswith(
        "approve: requests/optimizely-web.yaml")
    assert "| requests/optimizely-web.yaml | Optimizely Web Experimentation |" in run.summary
    assert [s.outcome for s in run.steps if s.name.startswith(
        ("Validate", "Run the", "Show which", "Upload"))] == ["skipped"] * 4  # no policy change
    assert run.uploads == []  # code scanning is opt-in


def test_a_denied_request_is_red_with_its_annotation(tmp_path: Path, repo: Path,
                                                     ci_python: Path) -> None:
    add_request(repo, "mailchimp")
    run = judge(tmp_path, repo, pull_request(repo), ci_python)
    assert run.conclusion == "failure"
    assert run.step("Judge changed").exit_code == 1
    assert ("error", "Deny: security.sso_required", "requests/mailchimp.yaml") in titles(run)
    assert "❌ deny" in run.summary


def test_an_invalid_request_is_red(tmp_path: Path, repo: Path, ci_python: Path) -> None:
    add_request(repo, "", "unknown-key", ROOT / "tests" / "data" / "bad" / "unknown-key.yaml")
    run = judge(tmp_path, repo, pull_request(repo), ci_python)
    assert run.conclusion == "failure"
    assert ("error", "Invalid: schema.unknown_field",
            "requests/unknown-key.yaml") in titles(run)


def test_a_policy_with_a_syntax_error_is_red(tmp_path: Path, repo: Path,
                                            ci_python: Path) -> None:
    rego = repo / "policies" / "security" / "security.rego"
    rego.write_text(rego.read_text() + "\ndeny contains f if {\n")
    run = judge(tmp_path, repo, pull_request(repo, "broken policy"), ci_python)
    assert run.conclusion == "failure", run.explain()
    assert run.step("Judge changed").outcome == "success"  # no request changed
    for step in ("Validate", "Run the pull request's policy tests", "Show which"):
        assert run.step(step).outcome == "failure", run.explain()


def plant_fakes(repo: Path, ran: Path) -> None:
    """A pip that installs a `martechgov` answering 0, a martechgov package and a
    sitecustomize at the repository root: the pull request's own code."""
    fake = (f"import os, sys, pathlib\npathlib.Path({str(ran)!r}).write_text('ran')\n"
            "bin = os.path.dirname(sys.executable)\n"
            "open(os.path.join(bin, 'martechgov'), 'w').write('#!/bin/sh\\nexit 0\\n')\n"
            "os.chmod(os.path.join(bin, 'martechgov'), 0o755)\nsys.exit(0)\n")
    for path in ("pip/__init__.py", "pip/__main__.py", "martechgov/__init__.py",
                 "martechgov/__main__.py", "sitecustomize.py", "usercustomize.py"):
        (repo / path).parent.mkdir(exist_ok=True)
        (repo / path).write_text(fake)


def test_the_pull_requests_own_code_never_runs(tmp_path: Path, repo: Path,
                                               ci_python: Path) -> None:
    ran = tmp_path / "pull-request-code-ran"
    plant_fakes(repo, ran)
    add_request(repo, "mailchimp")
    run = judge(tmp_path, repo, pull_request(repo), ci_python)
    assert run.conclusion == "failure", run.explain()
    assert ("error", "Deny: security.sso_required", "requests/mailchimp.yaml") in titles(run)
    assert not ran.exists()


def test_a_request_that_loosens_its_own_rule_is_judged_by_the_base(
        tmp_path: Path, repo: Path, ci_python: Path) -> None:
    add_request(repo, "mailchimp")
    replace_in(repo / "policies" / "data" / "thresholds.yaml",
               "sso_required_above_seats: 10", "sso_required_above_seats: 1000")
    rego = repo / "policies" / "security" / "security.rego"
    replace_in(rego, 'sso_ok if input.request.security.sso in {"saml", "oidc"}', "sso_ok := true")
    run = judge(tmp_path, repo, pull_request(repo, "add mailchimp, loosen SSO"), ci_python)
    assert run.conclusion == "failure"
    assert ("error", "Deny: security.sso_required", "requests/mailchimp.yaml") in titles(run)
    assert "## martechgov policy impact: " in run.summary, run.explain()
    assert "| mailchimp | ❌ deny |" in run.summary


def test_code_scanning_upload_is_opt_in_and_never_decides(tmp_path: Path, repo: Path,
                                                          ci_python: Path) -> None:
    add_request(repo, "typeform", "typeform")  # unchanged content: nothing to judge
    add_request(repo, "zoom-webinars", "zoom-webinars")
    add_request(repo, "optimizely-web")
    head = pull_request(repo)
    opted_in = {"MARTECHGOV_CODE_SCANNING": "true"}
    github = FakeGitHub(tmp_path / "github-state.json")
    github.open_pull(1, "marta-mkt", head)
    harness = Harness(tmp_path / "github", repo, ci_python, upload_fails=True, github=github)
    run = harness.run_workflow(WORKFLOW, "check", Event("pull_request", head, "main"),
                               env_overrides=opted_in)
    [upload] = run.uploads
    assert upload["category"] == "martechgov"
    sarif = json.loads(Path(upload["path"]).read_text())
    assert sarif["version"] == "2.1.0"
    # A repository without code scanning: the upload fails, the answer stays green.
    assert run.step("Upload the SARIF").outcome == "failure"
    assert run.conclusion == "success"


def test_the_weekly_rereview_fails_on_a_regression(tmp_path: Path, repo: Path,
                                                   ci_python: Path) -> None:
    thresholds = repo / "policies" / "data" / "thresholds.yaml"
    replace_in(thresholds, "sso_required_above_seats: 10", "sso_required_above_seats: 2")
    head = commit_all(repo, "tighten SSO", date="2026-09-01T10:00:00")
    run = Harness(tmp_path / "github", repo, ci_python).run_workflow(
        REREVIEW, "rereview", Event("schedule", head))
    assert run.conclusion == "failure", run.explain()
    assert run.step("Re-review").exit_code == 1
    assert "### ❌ requests/semrush.yaml (Semrush): approve when it last changed on " \
           "2026-04-01" in run.summary
    assert ("error", "martechgov re-review", "") in titles(run)


def test_the_action_judges_with_its_own_martechgov(tmp_path: Path, repo: Path,
                                                   ci_python: Path) -> None:
    action_path = tmp_path / "action"  # the action's pinned checkout: main's martechgov
    git(tmp_path, "clone", "-q", str(repo), action_path.name)
    ran = tmp_path / "pull-request-code-ran"
    plant_fakes(repo, ran)
    add_request(repo, "mailchimp")
    head = pull_request(repo)
    run = Harness(tmp_path / "github", repo, ci_python).run_action(
        ACTION, action_path, {"outputs": f"sarif={tmp_path / 'out.sarif'}"},
        Event("pull_request", head, base_ref="main"))
    assert run.conclusion == "failure", run.explain()
    assert ("error", "Deny: security.sso_required", "requests/mailchimp.yaml") in titles(run)
    assert (tmp_path / "out.sarif").is_file()
    assert not ran.exists()


def test_every_run_step_fails_on_a_failing_pipeline() -> None:
    # GitHub's default shell (`bash -e {0}`) has no pipefail: every run step names bash.
    for path in (WORKFLOW, REREVIEW):
        doc = yaml.safe_load(path.read_text())
        assert doc["defaults"] == {"run": {"shell": "bash"}}
    for step in yaml.safe_load(ACTION.read_text())["runs"]["steps"]:
        assert "run" not in step or step["shell"] == "bash"
