from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ..conftest import DATA, ROOT, invoke
from ..gitutil import commit_all, git, make_repo

FIXTURES = DATA / "signoff"
HEAD_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"  # the head commit in the fixtures
OLD_SHA = "54bb654c9e6025347f57900a4a5c2313a96b8035"
AUTHOR = "marta-mkt"
IT_MEMBERS = f"example-org/it-architecture={FIXTURES / 'members-it-architecture.json'}"
# branch -> the example requests its pull request adds (the decisions are the policies')
BRANCHES = {
    "zoominfo": ["zoominfo"],  # review: it, privacy
    "twilio": ["twilio-segment"],  # review: finance, it
    "typeform": ["typeform"],  # approve
    "meta-pixel": ["meta-pixel"],  # deny (its review findings name privacy and security)
}


@pytest.fixture(scope="session")
def pr_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository on `main` with the real policies and one branch per pull request."""
    repo = make_repo(tmp_path_factory.mktemp("signoff") / "repo", [])
    for branch, requests in BRANCHES.items():
        git(repo, "checkout", "-q", "-b", branch, "main")
        (repo / "requests").mkdir(exist_ok=True)  # git drops the empty folder on checkout
        for name in requests:
            shutil.copy(ROOT / "requests" / f"{name}.yaml", repo / "requests")
        commit_all(repo, f"request {', '.join(requests)}")
    git(repo, "checkout", "-q", "main")
    return repo


@pytest.fixture
def in_pr_repo(pr_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(pr_repo)
    return pr_repo


def run(reviews: str, *more: str, head: str | None = "zoominfo",
        author: str = AUTHOR) -> tuple[int, str, str]:
    """`martechgov signoff --base main [--head BRANCH]` with a fixture's reviews."""
    heads = ["--head", head] if head else []
    return invoke("signoff", "--base", "main", *heads, "--as-of", "2026-11-23",
                  "--reviews", str(FIXTURES / reviews), "--head-sha", HEAD_SHA,
                  "--author", author, *more)


def run_json(reviews: str, *more: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    code, out, err = run(reviews, "--format", "json", *more, **kwargs)
    assert code in (0, 1), err
    return code, json.loads(out)["signoff"]


def teams(doc: dict[str, Any], file: str = "requests/zoominfo.yaml") -> dict[str, Any]:
    """team -> its sign-off, for one request."""
    request = next(r for r in doc["requests"] if r["file"] == file)
    return {team["team"]: team for team in request["teams"]}
