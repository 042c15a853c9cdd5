"""The GitHub workflow, the composite action and the pre-commit hook, checked by the
tools that consume them (zizmor, check-jsonschema, pre-commit), not by eye."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..gitutil import ROOT, commit_all, git

WORKFLOW = ROOT / ".github" / "workflows" / "martechgov.yml"
ACTION = ROOT / "action.yml"
BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=600)


def workflows() -> list[Path]:
    return sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_zizmor_finds_nothing() -> None:
    result = run(str(BIN / "zizmor"), "--offline", *map(str, workflows()), str(ACTION))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


@pytest.mark.parametrize(("schema", "files"), [
    ("vendor.github-workflows", workflows()),
    ("vendor.github-actions", [ACTION]),
])
def test_files_match_githubs_schemas(schema: str, files: list[Path]) -> None:
    result = run(str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit() -> None:
    for path in [*workflows(), ACTION]:
        for uses in re.findall(r"uses:\s*(\S+)", path.read_text()):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses), f"{path}: {uses}"


def test_pull_request_workflow_is_least_privilege_and_judges_against_the_base() -> None:
    doc = yaml.safe_load(WORKFLOW.read_text())
    triggers = doc[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request"}
    assert triggers["pull_request"]["paths"] == ["requests/**", "policies/**"]
    assert doc["permissions"] == {}
    job = doc["jobs"]["check"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    steps = job["steps"]
    checkout = steps[0]["with"]
    assert checkout == {"fetch-depth": 0, "persist-credentials": False}
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert 'martechgov check --base "origin/$BASE_REF"' in scripts
    assert "--format github" in scripts and "--output sarif=martechgov.sarif" in scripts
    assert 'pip install "$RUNNER_TEMP/martechgov-base"' in scripts  # not the PR's code
    assert "${{" not in scripts  # no expressions inside shell scripts


def test_codeowners_gives_policies_to_it_and_requests_to_marketing() -> None:
    owners = {line.split()[0]: line.split()[1:]
              for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    assert owners["/requests/"] == ["@example-org/marketing-ops"]
    assert "@example-org/marketing-ops" not in " ".join(
        " ".join(teams) for path, teams in owners.items() if path.startswith("/policies"))
    assert "/policies/exceptions.yaml" in owners


def test_pre_commit_hook_fails_on_a_denied_request_and_passes_an_approved_one(
        tmp_path: Path) -> None:
    repo = tmp_path / "marketing"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "policies", repo / "policies")
    (repo / "requests").mkdir()
    shutil.copy(ROOT / "requests" / "typeform.yaml", repo / "requests")
    commit_all(repo, "approved request")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    hook = [str(BIN / "pre-commit"), "try-repo", str(ROOT), "martechgov-check",
            "--all-files", "--color", "never"]

    passed = run(*hook, cwd=repo, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "martechgov check" in passed.stdout and "Passed" in passed.stdout

    shutil.copy(ROOT / "requests" / "mailchimp.yaml", repo / "requests")
    git(repo, "add", "requests/mailchimp.yaml")
    failed = run(*hook, cwd=repo, env=env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "requests/mailchimp.yaml:29:3 deny security.sso_required" in failed.stdout


def test_weekly_rereview_workflow_fails_when_an_approval_went_stale() -> None:
    doc = yaml.safe_load((ROOT / ".github" / "workflows" / "martechgov-rereview.yml").read_text())
    assert set(doc[True]) == {"schedule", "workflow_dispatch"}
    assert doc[True]["schedule"] == [{"cron": "17 6 * * 1"}]
    job = doc["jobs"]["rereview"]
    assert job["permissions"] == {"contents": "read"}
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    script = job["steps"][-1]["run"]
    # rereview exits 1 when anything went stale; GitHub's bash runs with pipefail, so
    # the tee into the step summary keeps that exit code and the job fails.
    assert script == 'martechgov rereview --format markdown | tee -a "$GITHUB_STEP_SUMMARY"'


def test_pull_request_workflow_shows_policy_impact_when_policies_change() -> None:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["check"]["steps"]
    impact = next(s for s in steps if "martechgov impact" in s.get("run", ""))
    assert 'git diff --quiet "origin/$BASE_REF"...HEAD -- policies/' in impact["run"]
    assert "--format markdown" in impact["run"] and "GITHUB_STEP_SUMMARY" in impact["run"]
