"""Real temporary git repositories for tests (the git CLI, not mocks)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "PATH": "/usr/bin:/bin:/usr/local/bin"}
    if date:  # e.g. "2026-03-01T12:00:00": when the commit claims to have happened
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True, env=env).stdout.strip()


def make_repo(path: Path, requests: list[str], date: str | None = None) -> Path:
    """A repository on `main` with the real policies and some example requests."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "policies", path / "policies")
    (path / "requests").mkdir()
    for name in requests:
        shutil.copy(ROOT / "requests" / f"{name}.yaml", path / "requests")
    commit_all(path, "initial policies and requests", date=date)
    return path


def commit_all(repo: Path, message: str, date: str | None = None) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def allow_everything(policies: Path) -> None:
    """Replace a policy library with one that approves anything."""
    for rego in policies.rglob("*.rego"):
        rego.unlink()
    (policies / "decision.rego").write_text(
        "package martech\n\nimport rego.v1\n\n"
        'decision := {"decision": "approve", "findings": [], "reviewers": []}\n'
    )
    # ... and no rules, so no rule records (each record must name a rule that exists)
    (policies / "data" / "rules.yaml").write_text("{}\n")
