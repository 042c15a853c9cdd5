"""Requests deleted on the default branch are retired: real git repositories, the real CLI.

A deletion lands on main by a merge of a pull request (first-parent history); a rename
is not a retirement; a file deleted and added back is not gone. The retired request is
listed with the day its deletion landed, what it cost, and what replaced it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.gitrepo import Repository

from ..gitutil import ROOT, commit_all, git, make_repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main: mailchimp deleted by a merged pull request that adds its replacement,
    typeform renamed, semrush deleted and added back."""
    path = make_repo(tmp_path / "repo", ["mailchimp", "semrush", "typeform"],
                     date="2026-01-05T10:00:00")
    git(path, "checkout", "-q", "-b", "replace-mailchimp")
    (path / "requests" / "mailchimp.yaml").unlink()
    hubspot = (ROOT / "requests" / "hubspot-marketing-hub.yaml").read_text()
    (path / "requests" / "hubspot-marketing-hub.yaml").write_text(
        hubspot.replace("\nkind: ToolRequest\n", "\nkind: ToolRequest\nreplaces: [mailchimp]\n"))
    commit_all(path, "HubSpot replaces Mailchimp", date="2026-03-02T10:00:00")
    git(path, "checkout", "-q", "main")
    git(path, "merge", "-q", "--no-ff", "-m", "Merge pull request #7", "replace-mailchimp",
        date="2026-03-10T09:00:00")
    git(path, "mv", "requests/typeform.yaml", "requests/typeform-business.yaml")
    commit_all(path, "rename", date="2026-04-01T09:00:00")
    semrush = (path / "requests" / "semrush.yaml").read_bytes()
    (path / "requests" / "semrush.yaml").unlink()
    commit_all(path, "drop semrush", date="2026-05-01T09:00:00")
    (path / "requests" / "semrush.yaml").write_bytes(semrush)
    commit_all(path, "semrush is back", date="2026-06-01T09:00:00")
    monkeypatch.chdir(path)
    return path


def inventory_json(*args: str) -> dict:
    result = CliRunner().invoke(main, ["inventory", "--format", "json",
                                       "--as-of", "2026-11-23", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_deleted_files_follow_the_first_parent_history(repo: Path) -> None:
    deleted = Repository(repo).deleted_files("main", ["requests"], (".yaml",))
    merge = git(repo, "rev-parse", "HEAD~3")  # the merge commit of the pull request
    assert [(d.path, d.day, d.commit) for d in deleted] == [
        ("requests/mailchimp.yaml", "2026-03-10", merge)]
    assert deleted[0].content == (ROOT / "requests" / "mailchimp.yaml").read_bytes()


def test_inventory_lists_deleted_requests_as_retired(repo: Path) -> None:
    doc = inventory_json("--history", "main")
    rows = {r["id"]: r for r in doc["requests"]}
    mailchimp = rows["mailchimp"]
    merge = git(repo, "rev-parse", "--short=7", "HEAD~3")
    assert mailchimp["status"] == "retired" and mailchimp["decision"] is None
    assert mailchimp["retired"] == {"on": "2026-03-10", "how": f"deleted in {merge}"}
    assert mailchimp["file"] == "requests/mailchimp.yaml"
    assert mailchimp["tool"] == "Mailchimp Standard"
    assert mailchimp["replaced_by"] == ["hubspot-marketing-hub"]
    assert rows["hubspot-marketing-hub"]["replaces"] == ["mailchimp"]
    assert {r["status"] for r in doc["requests"] if r["id"] != "mailchimp"} != {"retired"}
    # What a retired tool cost is history, never part of the stack.
    assert doc["spend"]["by_status"]["retired"] == {"requests": 1,
                                                    "annual_cost": {"EUR": 1200}}
    assert "EUR" not in doc["spend"]["stack"]["annual_cost"]
    # Without --history, git is not read at all.
    assert "mailchimp" not in {r["id"] for r in inventory_json()["requests"]}


def test_the_table_shows_what_retired_and_what_replaces_it(repo: Path) -> None:
    result = CliRunner().invoke(main, ["inventory", "--as-of", "2026-11-23",
                                       "--history", "main"])
    assert result.exit_code == 0, result.output
    assert "WHAT RETIRES WHEN A TOOL LANDS\n" in result.stdout
    assert "HubSpot Marketing Hub  proposed  Mailchimp Standard (retired 2026-03-10)" \
        in result.stdout
    assert "Mailchimp Standard  2026-03-10  deleted in" in result.stdout


def test_history_outside_a_repository_is_exit_2(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "requests", tmp_path / "requests")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["inventory", "--policies", str(ROOT / "policies"),
                                       "--history", "main"])
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_ref_is_exit_2(repo: Path) -> None:
    result = CliRunner().invoke(main, ["inventory", "--history", "no-such-branch"])
    assert result.exit_code == 2
    assert "unknown git ref 'no-such-branch'" in result.stderr
