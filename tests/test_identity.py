"""One id, one request: a newcomer claiming a taken id is invalid, naming the other file.

On real git repositories: with --base the base branch's requests count (a newcomer
cannot borrow an existing request's exceptions); without --base every claimant is
invalid (nothing says which came first).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import check_json as check
from .conftest import results_by_file as results
from .gitutil import ROOT, commit_all, git, make_repo, replace_in

HUBSPOT = "requests/hubspot-marketing-hub.yaml"
IMPOSTOR = "requests/other/hubspot-marketing-hub.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", ["hubspot-marketing-hub", "semrush", "typeform"])
    git(path, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(path)
    return path


def add_impostor(repo: Path, path: str = IMPOSTOR) -> None:
    """A different tool under HubSpot's id: below the cost limit, and writing into the
    CRM, which HubSpot's exception (policies/exceptions.yaml) waives for HubSpot."""
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / HUBSPOT, target)
    replace_in(target, "name: HubSpot Marketing Hub", "name: Shady Sync")
    replace_in(target, "annual: 43200", "annual: 9000")


def duplicate(report: dict, file: str) -> str:
    result = results(report)[file]
    assert result["decision"] == "invalid"
    assert result["reviewers"] == []
    [finding] = result["findings"]
    assert (finding["rule"], finding["level"], finding["field"]) == (
        "request.duplicate_id", "error", "id")
    fix = str(finding["fix"])  # what to do, read after the message
    return f"{finding['message']}. {fix[0].upper()}{fix[1:]}"


def test_the_impostor_alone_does_not_borrow_hubspots_exception(repo: Path) -> None:
    # Belt and braces: judged on its own, the impostor would have passed thanks to the
    # exception IT granted to HubSpot, but exceptions bind to the request's file too.
    add_impostor(repo)
    code, report, _ = check(IMPOSTOR)
    result = results(report)[IMPOSTOR]
    assert (code, result["decision"]) == (0, "review")
    assert not any("exception" in f for f in result["findings"])


@pytest.mark.parametrize("head", [[], ["--head", "HEAD"]])
def test_a_newcomer_cannot_claim_an_id_the_base_branch_holds(repo: Path, head: list[str]
                                                             ) -> None:
    add_impostor(repo)
    commit_all(repo, "a different tool under hubspot's id")
    code, report, err = check("--base", "main", *head)
    assert code == 1, err
    message = duplicate(report, IMPOSTOR)
    assert message == (
        "the id `hubspot-marketing-hub` is already used by "
        "`requests/hubspot-marketing-hub.yaml` (on the base branch): each tool has one "
        "request, and its exceptions and sign-offs follow its id, so this file was not "
        "judged. To change that tool, edit `requests/hubspot-marketing-hub.yaml` "
        "instead; for a different tool, give this request an id no other request uses "
        "and name the file after it")
    assert list(results(report)) == [IMPOSTOR]


def test_an_id_taken_on_the_base_branch_after_the_branch_started_counts(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    shutil.copy(ROOT / "requests" / "hotjar.yaml", repo / "requests")
    commit_all(repo, "hotjar lands on main")
    git(repo, "checkout", "-q", "feature")
    (repo / "requests" / "web").mkdir()
    shutil.copy(ROOT / "requests" / "hotjar.yaml", repo / "requests" / "web")
    commit_all(repo, "hotjar again, in another folder")
    code, report, _ = check("--base", "main")
    assert code == 1
    assert "`requests/hotjar.yaml` (on the base branch)" in duplicate(
        report, "requests/web/hotjar.yaml")


@pytest.mark.parametrize("path", ["requests/shady-sync.yaml",
                                  "requests/hubspot-marketing-hub.yml"])
def test_a_misnamed_newcomer_is_never_told_to_take_the_other_files_name(
        repo: Path, path: str) -> None:
    add_impostor(repo, path)
    code, report, _ = check("--base", "main")
    assert code == 1
    message = duplicate(report, path)  # the file-name problem is gone
    assert "name the file `hubspot-marketing-hub.yaml`" not in json.dumps(report)
    assert "edit `requests/hubspot-marketing-hub.yaml` instead" in message


def test_two_newcomers_with_one_id_are_both_invalid(repo: Path) -> None:
    for folder in ("emea", "amer"):
        (repo / "requests" / folder).mkdir()
        shutil.copy(ROOT / "requests" / "hotjar.yaml", repo / "requests" / folder)
    code, report, _ = check("--base", "main")
    assert code == 1
    assert "already used by `requests/emea/hotjar.yaml`:" in duplicate(
        report, "requests/amer/hotjar.yaml")
    assert "already used by `requests/amer/hotjar.yaml`:" in duplicate(
        report, "requests/emea/hotjar.yaml")


def test_without_git_every_claimant_is_invalid(repo: Path) -> None:
    add_impostor(repo)
    code, report, _ = check()
    assert code == 1
    assert "already used by `requests/other/hubspot-marketing-hub.yaml`:" in duplicate(
        report, HUBSPOT)
    assert "already used by `requests/hubspot-marketing-hub.yaml`:" in duplicate(
        report, IMPOSTOR)
    assert results(report)["requests/semrush.yaml"]["decision"] == "approve"


def test_editing_moving_or_replacing_a_request_is_not_a_duplicate(repo: Path) -> None:
    replace_in(repo / "requests" / "semrush.yaml", "seats: 3", "seats: 4")  # edited
    (repo / "requests" / "marketing").mkdir()
    git(repo, "mv", "requests/typeform.yaml", "requests/marketing/typeform.yaml")  # moved
    git(repo, "rm", "-q", HUBSPOT)  # deleted, and a new one written elsewhere
    add_impostor(repo)
    replace_in(repo / IMPOSTOR, "notes: Renewal", "notes: >-\n" + "  A rewrite.\n" * 400
               + "  Renewal")
    commit_all(repo, "reorganise")
    code, report, err = check("--base", "main", "--head", "HEAD")
    # HubSpot's exception names its old file, so the moved request is looked at again.
    assert {f: r["decision"] for f, r in results(report).items()} == {
        IMPOSTOR: "review", "requests/marketing/typeform.yaml": "approve",
        "requests/semrush.yaml": "approve"}, err
    assert report["retired"] == [HUBSPOT]  # not a rename: deleted, and a new file added
    assert code == 0
