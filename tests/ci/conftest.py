"""Fixtures for running the workflows: one throwaway Python for the whole session and
one template repository (martechgov's own source, its policies and some requests on
`main`) that each test clones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..gitutil import ROOT, commit_all, git, make_repo
from .harness import session_python

LANDED = "2026-04-01T10:00:00"
SOURCE_IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")


@pytest.fixture(scope="session")
def ci_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_python(tmp_path_factory.mktemp("ci-python") / "venv")


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`main`: the policies, three approved-or-reviewed requests and martechgov's source
    (what the workflow installs from the base branch), landed on 2026-04-01."""
    repo = make_repo(tmp_path_factory.mktemp("template") / "marketing",
                     ["semrush", "typeform", "zoom-webinars"], date=LANDED)
    shutil.copytree(ROOT / "src", repo / "src", ignore=SOURCE_IGNORE)
    for name in ("pyproject.toml", "README.md", "action.yml"):
        shutil.copy(ROOT / name, repo / name)
    commit_all(repo, "martechgov itself", date=LANDED)
    return repo


@pytest.fixture
def repo(tmp_path: Path, template_repo: Path) -> Path:
    """A clone of the template on `main`, for the test to add a pull request to."""
    clone = tmp_path / "marketing"
    git(tmp_path, "clone", "-q", str(template_repo), clone.name)
    git(clone, "remote", "remove", "origin")
    return clone


def pull_request(repo: Path, message: str = "pull request") -> str:
    """Commit the working tree's changes on a new branch `pr`; the head commit."""
    git(repo, "checkout", "-q", "-b", "pr")
    return commit_all(repo, message)
