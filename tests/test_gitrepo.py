"""`check --base`: changed requests only, judged by the base branch's policies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.errors import GitError
from martechgov.gitrepo import Repository
from martechgov.policy import PolicySet
from martechgov.sources import policies_at

from .gitutil import ROOT, allow_everything, commit_all, git, make_repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", ["semrush", "typeform", "zoom-webinars"])
    git(path, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(path)
    return path


def check(*args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(main, ["check", "--format", "json", "--as-of", "2026-11-23",
                                       *args])
    report = json.loads(result.stdout) if result.stdout.startswith("{") else {}
    return result.exit_code, report, result.stderr


def decisions(report: dict) -> dict[str, str]:
    return {r["file"]: r["decision"] for r in report["results"]}


def test_self_approval_attempt_is_still_denied(repo: Path) -> None:
    # One pull request adds a denied request AND replaces the policies with an
    # allow-everything library. The base branch's policies still judge it.
    shutil.copy(ROOT / "requests" / "mailchimp.yaml", repo / "requests")
    allow_everything(repo / "policies")
    commit_all(repo, "add mailchimp, loosen policies")
    main_sha = git(repo, "rev-parse", "--short=7", "main")

    code, report, _ = check("--base", "main")
    assert code == 1
    assert decisions(report) == {"requests/mailchimp.yaml": "deny"}
    assert report["policy"]["source"] == f"main@{main_sha}"
    assert "warning" not in report["policy"]

    # The loosened policies only judge when asked, and say so loudly.
    code, report, _ = check("--base", "main", "--policies-from-worktree")
    assert code == 0
    assert decisions(report) == {"requests/mailchimp.yaml": "approve"}
    assert "not by the trusted policies" in report["policy"]["warning"]
    text = CliRunner().invoke(main, ["check", "--base", "main", "--policies-from-worktree",
                                     "--format", "text"]).stdout
    assert text.startswith("WARNING: judged by the policies in the working tree")


def test_only_changed_requests_are_checked(repo: Path) -> None:
    shutil.copy(ROOT / "requests" / "hotjar.yaml", repo / "requests")
    commit_all(repo, "add hotjar")
    code, report, _ = check("--base", "main")
    assert decisions(report) == {"requests/hotjar.yaml": "deny"}
    assert code == 1


def test_working_tree_changes_and_untracked_files_count(repo: Path) -> None:
    path = repo / "requests" / "semrush.yaml"
    path.write_text(path.read_text().replace("seats: 3", "seats: 30"))  # modified, unstaged
    shutil.copy(ROOT / "requests" / "zoominfo.yaml", repo / "requests")  # untracked
    code, report, _ = check("--base", "main")
    assert decisions(report) == {"requests/semrush.yaml": "deny",
                                 "requests/zoominfo.yaml": "review"}
    assert code == 1


def test_head_reads_requests_from_that_commit_not_the_working_tree(repo: Path) -> None:
    shutil.copy(ROOT / "requests" / "zoominfo.yaml", repo / "requests")
    commit_all(repo, "add zoominfo")
    (repo / "requests" / "zoominfo.yaml").write_text("broken: [")  # not committed
    code, report, _ = check("--base", "main", "--head", "feature")
    assert decisions(report) == {"requests/zoominfo.yaml": "review"}
    assert code == 0


def test_renames_are_followed(repo: Path) -> None:
    old = repo / "requests" / "typeform.yaml"
    new = repo / "requests" / "typeform-business.yaml"
    git(repo, "mv", "requests/typeform.yaml", "requests/typeform-business.yaml")
    new.write_text(new.read_text().replace("id: typeform", "id: typeform-business"))
    commit_all(repo, "rename typeform")
    assert not old.exists()
    code, report, _ = check("--base", "main", "--head", "HEAD")
    assert decisions(report) == {"requests/typeform-business.yaml": "approve"}
    assert code == 0


def test_deleted_requests_are_retired_and_do_not_fail(repo: Path) -> None:
    git(repo, "rm", "-q", "requests/semrush.yaml")
    commit_all(repo, "retire semrush")
    code, report, _ = check("--base", "main")
    assert code == 0
    assert report["results"] == []
    assert report["retired"] == ["requests/semrush.yaml"]


def test_base_falls_back_to_origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    upstream = make_repo(tmp_path / "upstream", ["semrush"])
    git(tmp_path, "clone", "-q", str(upstream), "clone")
    clone = tmp_path / "clone"
    git(clone, "checkout", "-q", "-b", "feature")
    shutil.copy(ROOT / "requests" / "hotjar.yaml", clone / "requests")
    commit_all(clone, "add hotjar")
    git(clone, "branch", "-q", "-D", "main")  # as in CI: only origin/main exists
    monkeypatch.chdir(clone)
    code, report, _ = check("--base", "main")
    assert decisions(report) == {"requests/hotjar.yaml": "deny"}
    assert report["policy"]["source"].startswith("origin/main@")


def test_unknown_ref_is_exit_2(repo: Path) -> None:
    code, report, err = check("--base", "no-such-branch")
    assert (code, report) == (2, {})
    assert "unknown git ref 'no-such-branch'" in err


def test_not_a_repository_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "requests").mkdir()
    monkeypatch.chdir(tmp_path)
    code, _, err = check("--base", "main")
    assert code == 2
    assert "is not inside a git repository" in err


def test_shallow_clone_without_the_base_says_fetch_depth_0(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    upstream = make_repo(tmp_path / "upstream", ["semrush"])
    git(upstream, "checkout", "-q", "-b", "feature")
    shutil.copy(ROOT / "requests" / "hotjar.yaml", upstream / "requests")
    commit_all(upstream, "add hotjar")
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature",
        f"file://{upstream}", "shallow")
    monkeypatch.chdir(tmp_path / "shallow")
    code, _, err = check("--base", "main")
    assert code == 2
    assert "fetch-depth: 0" in err


def test_head_without_base_is_a_usage_error(repo: Path) -> None:
    code, _, err = check("--head", "feature")
    assert code == 2
    assert "only make sense with --base" in err


def test_policies_at_a_commit_are_named_for_it(repo: Path) -> None:
    allow_everything(repo / "policies")  # the working tree differs from main
    repository = Repository(repo)
    name, main = repository.commit("main")
    at_main = policies_at(repository, main, "policies", name)
    assert at_main.source == f"main@{main.hexsha[:7]}"
    assert at_main.root == "policies" and "policies/decision.rego" in at_main.modules
    assert at_main.revision == PolicySet.from_directory(ROOT / "policies").revision
    assert policies_at(repository, main, "policies").source == f"@{main.hexsha[:7]}"
    with pytest.raises(GitError, match=f"nope/ does not exist at {main.hexsha[:7]}"):
        policies_at(repository, main, "nope")


@pytest.mark.parametrize("head", [[], ["--head", "HEAD"]])
def test_a_file_name_with_a_newline_and_a_colon_hides_nothing(repo: Path, head: list[str]
                                                              ) -> None:
    # GitPython's diff parser used to fail on such a name in a thread: every change
    # after it was dropped, "0 requests", exit 0, a traceback on stderr.
    (repo / "docs").mkdir()
    (repo / "docs" / "notes\n:1.md").write_text("meeting notes\n")
    (repo / "requests" / "odd\n:1.yaml").write_text("id: odd\n")
    shutil.copy(ROOT / "requests" / "mailchimp.yaml", repo / "requests")
    commit_all(repo, "notes, an odd name and mailchimp")
    code, report, err = check("--base", "main", *head)
    assert (code, err) == (1, "")
    assert decisions(report) == {"requests/mailchimp.yaml": "deny",
                                 "requests/odd\n:1.yaml": "invalid"}


def test_a_change_git_cannot_list_is_exit_2_never_zero_requests(repo: Path) -> None:
    shutil.copy(ROOT / "requests" / "mailchimp.yaml", repo / "requests")
    commit_all(repo, "add mailchimp")
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    (repo / ".git" / "objects" / tree[:2] / tree[2:]).unlink()  # a broken clone
    code, report, err = check("--base", "main", "--head", "HEAD")
    assert (code, report) == (2, {})
    assert "`git diff` failed" in err and "nothing was judged" in err
    assert "Traceback" not in err


def test_a_rename_out_of_the_requests_folder_retires_the_request(repo: Path) -> None:
    (repo / "archive").mkdir()
    git(repo, "mv", "requests/semrush.yaml", "archive/semrush.yaml")
    commit_all(repo, "archive semrush")
    code, report, _ = check("--base", "main", "--head", "HEAD")
    assert (code, report["results"], report["retired"]) == (
        0, [], ["requests/semrush.yaml"])


def test_last_changes_reads_any_file_name(repo: Path) -> None:
    for name in ("équipe/semrush.yaml", "a\nb/semrush.yaml", "c:\td/semrush.yaml"):
        (repo / "requests" / name).parent.mkdir()
        shutil.copy(ROOT / "requests" / "semrush.yaml", repo / "requests" / name)
    sha = commit_all(repo, "three folders with odd names")
    history = Repository(repo).last_changes(["requests"])
    assert {path: (commit.hexsha, len(day)) for path, (commit, day) in history.items()
            if path.count("/") == 2} == {
        "requests/équipe/semrush.yaml": (sha, 10), "requests/a\nb/semrush.yaml": (sha, 10),
        "requests/c:\td/semrush.yaml": (sha, 10)}
