"""What is judged: every entry where requests live, refused unread when it is not a plain
request file (a link, a submodule, a pipe, another name), on real git repositories.

Each scenario runs three ways: `--base main --head HEAD` (content from git's tree, the
kind from git's mode), `--base main` against the working tree (untracked entries,
lstat) and without --base (the folder walked on disk).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from martechgov.loader import blob_id

from .conftest import check_json as check
from .conftest import results_by_file as results
from .gitutil import ROOT, commit_all, git, make_repo

MODES = {"head": ["--base", "main", "--head", "HEAD"], "worktree": ["--base", "main"],
         "disk": []}
FORMATS = ("text", "github", "markdown", "sarif", "junit")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", ["semrush", "typeform"])
    git(path, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(path)
    return path


def prepare(repo: Path, mode: str) -> None:
    """Commit what the test put in the working tree when git's tree is judged."""
    if mode == "head":
        commit_all(repo, "the pull request")


def refused(report: dict, file: str, rule: str) -> str:
    """The one finding of an entry refused unread; returns its message."""
    result = results(report)[file]
    assert [(f["rule"], f["level"]) for f in result["findings"]] == [(rule, "error")]
    assert (result["decision"], result["blob"]) == ("invalid", None)
    return str(result["findings"][0]["message"])


@pytest.mark.parametrize("mode", MODES)
def test_a_link_to_dev_zero_is_refused_unread(repo: Path, mode: str) -> None:
    os.symlink("/dev/zero", repo / "requests" / "zero.yaml")
    prepare(repo, mode)
    # A subprocess, so that a regression (reading /dev/zero without end) fails this
    # test instead of taking the test run down; the timeout is a safety net only.
    done = subprocess.run([sys.executable, "-m", "martechgov", "check", "--format", "json",
                           "--as-of", "2026-11-23", *MODES[mode]], cwd=repo,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    message = refused(json.loads(done.stdout), "requests/zero.yaml", "file.link")
    assert "symbolic link" in message and "never follows links" in message


@pytest.mark.parametrize("mode", MODES)
def test_a_link_out_of_the_repository_never_shows_its_target(
        repo: Path, tmp_path: Path, mode: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("ghp_S3CRETvalue0123456789\n")  # a token file, say
    os.symlink(secret, repo / "requests" / "leak.yaml")
    os.symlink(os.path.relpath(secret, repo / "requests"), repo / "requests" / "up.yaml")
    prepare(repo, mode)
    outputs = [f"{name}={tmp_path / name}" for name in FORMATS]
    code, report, err = check(*MODES[mode], *(arg for o in outputs for arg in ("-o", o)))
    texts = [json.dumps(report), err] + [(tmp_path / name).read_text() for name in FORMATS]
    for text in texts:
        assert "S3CRET" not in text
    assert code == 1, err
    refused(report, "requests/leak.yaml", "file.link")
    refused(report, "requests/up.yaml", "file.link")


@pytest.mark.parametrize("mode", MODES)
def test_dangling_links_and_link_loops_are_refused(repo: Path, mode: str) -> None:
    os.symlink("nowhere.yaml", repo / "requests" / "dangling.yaml")
    os.symlink("loop.yaml", repo / "requests" / "loop.yaml")
    os.symlink("../requests", repo / "requests" / "folder.yaml")
    prepare(repo, mode)
    code, report, err = check(*MODES[mode])
    assert code == 1, err
    for name in ("dangling", "loop", "folder"):
        refused(report, f"requests/{name}.yaml", "file.link")


@pytest.mark.parametrize("mode", MODES)
def test_a_symbolic_link_in_place_of_the_requests_folder_is_refused(
        repo: Path, mode: str) -> None:
    shutil.rmtree(repo / "requests")
    (repo / "elsewhere").mkdir()
    os.symlink("elsewhere", repo / "requests")
    prepare(repo, mode)
    code, report, err = check(*MODES[mode])
    assert code == 1, err
    refused(report, "requests", "file.link")
    if mode != "disk":
        assert report["retired"] == ["requests/semrush.yaml", "requests/typeform.yaml"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["typeform.YAML", "typeform.yml", "typeform.Yaml"])
def test_other_spellings_of_the_extension_are_read_and_invalid(
        repo: Path, mode: str, name: str) -> None:
    git(repo, "mv", "requests/typeform.yaml", f"requests/{name}")
    prepare(repo, mode)
    code, report, err = check(*MODES[mode])
    assert code == 1, err
    result = results(report)[f"requests/{name}"]
    assert result["decision"] == "invalid"
    [finding] = result["findings"]
    assert result["blob"] == blob_id((ROOT / "requests" / "typeform.yaml").read_bytes())
    assert finding["rule"] == "request.file_name"
    assert finding["message"] == (
        f"the file is named `{name}`; a request file's name ends in `.yaml`, in lowercase")
    assert finding["fix"] == "rename it to `typeform.yaml`"


@pytest.mark.parametrize("mode", MODES)
def test_a_broken_request_with_the_wrong_extension_says_both(repo: Path, mode: str) -> None:
    (repo / "requests" / "broken.YML").write_text("id: [\n")
    prepare(repo, mode)
    code, report, _ = check(*MODES[mode])
    assert code == 1
    rules = [f["rule"] for f in results(report)["requests/broken.YML"]["findings"]]
    assert rules == ["request.file_name", "yaml.syntax"]


@pytest.mark.parametrize("mode", MODES)
def test_any_other_file_where_requests_live_is_reported(repo: Path, mode: str) -> None:
    (repo / "requests" / "notes.md").write_text("# notes\n")
    (repo / "requests" / "sub").mkdir()
    (repo / "requests" / "sub" / "hotjar.json").write_text("{}\n")
    prepare(repo, mode)
    code, report, err = check(*MODES[mode])
    assert code == 1, err
    message = refused(report, "requests/notes.md", "file.name")
    assert message.startswith("`notes.md` is not a request file: this folder holds only "
                              "requests")
    refused(report, "requests/sub/hotjar.json", "file.name")


@pytest.mark.parametrize("mode", ["worktree", "disk"])  # git cannot commit a pipe
def test_a_named_pipe_is_refused_without_blocking(repo: Path, mode: str) -> None:
    os.mkfifo(repo / "requests" / "pipe.yaml")
    code, report, err = check(*MODES[mode])
    assert code == 1, err
    message = refused(report, "requests/pipe.yaml", "file.type")
    assert "named pipe" in message


def test_a_pipe_in_place_of_a_tracked_request_is_refused(repo: Path) -> None:
    (repo / "requests" / "semrush.yaml").unlink()
    os.mkfifo(repo / "requests" / "semrush.yaml")
    code, report, err = check("--base", "main")
    assert code == 1, err
    refused(report, "requests/semrush.yaml", "file.type")
    assert "retired" not in report


@pytest.mark.parametrize("mode", ["head", "worktree"])
def test_a_submodule_is_refused(repo: Path, mode: str) -> None:
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},requests/vendor.yaml")
    git(repo, "commit", "-q", "-m", "a gitlink where a request belongs")
    code, report, err = check(*MODES[mode])
    assert code == 1, err
    assert "git submodule" in refused(report, "requests/vendor.yaml", "file.submodule")


def test_a_nested_repository_is_refused(repo: Path) -> None:
    nested = repo / "requests" / "nested"
    nested.mkdir()
    git(nested, "init", "-q")
    (nested / "hotjar.yaml").write_bytes((ROOT / "requests" / "hotjar.yaml").read_bytes())
    code, report, err = check("--base", "main")
    assert code == 1, err
    assert "separate git repository" in refused(report, "requests/nested", "file.submodule")


def test_a_file_turned_into_a_link_is_checked_as_what_it_became(repo: Path) -> None:
    (repo / "requests" / "semrush.yaml").unlink()
    os.symlink("typeform.yaml", repo / "requests" / "semrush.yaml")
    commit_all(repo, "type change")
    assert git(repo, "diff", "--name-status", "main", "HEAD") == "T\trequests/semrush.yaml"
    code, report, _ = check("--base", "main", "--head", "HEAD")
    assert code == 1
    refused(report, "requests/semrush.yaml", "file.link")


def test_a_copy_is_checked_at_its_new_path(repo: Path) -> None:
    source = repo / "requests" / "typeform.yaml"
    (repo / "requests" / "typeform-pro.yaml").write_text(
        source.read_text().replace("id: typeform", "id: typeform-pro"))
    source.write_text(source.read_text() + "\n")
    commit_all(repo, "copy typeform")
    raw = git(repo, "diff", "--name-status", "-C", "main", "HEAD")
    assert raw.splitlines()[0].startswith("C")  # git sees a copy
    code, report, _ = check("--base", "main", "--head", "HEAD")
    assert code == 0
    assert {f: r["decision"] for f, r in results(report).items()} == {
        "requests/typeform-pro.yaml": "approve", "requests/typeform.yaml": "approve"}


def test_a_blob_over_the_size_limit_is_refused_before_reading(repo: Path) -> None:
    (repo / "requests" / "huge.yaml").write_text("notes: " + "x" * (1024 * 1024 + 10))
    commit_all(repo, "a huge request")
    code, report, _ = check("--base", "main", "--head", "HEAD")
    assert code == 1
    message = refused(report, "requests/huge.yaml", "file.content")
    assert message == "the file is 1,048,593 bytes; the limit is 1,048,576 bytes"


@pytest.mark.parametrize("mode", MODES)
def test_every_result_carries_the_git_blob_id_of_what_was_judged(
        repo: Path, mode: str) -> None:
    path = repo / "requests" / "semrush.yaml"
    path.write_text(path.read_text().replace("seats: 3", "seats: 4"))
    prepare(repo, mode)
    code, report, _ = check(*MODES[mode])
    assert code == 0
    assert results(report)["requests/semrush.yaml"]["blob"] == git(
        repo, "hash-object", "requests/semrush.yaml")


def test_a_file_name_that_is_not_utf8_is_shown_escaped(repo: Path) -> None:
    name = os.fsdecode(b"requests/caf\xe9.yaml")
    shutil.copy(ROOT / "requests" / "hotjar.yaml", repo / name)
    commit_all(repo, "a Latin-1 file name")
    for args in MODES.values():
        code, report, _ = check(*args)
        assert code == 1
        assert results(report)["requests/caf\\xe9.yaml"]["decision"] == "invalid"
