"""`martechgov signoff` on real git repositories: which teams signed off, and the exit code.

The requests are the shipped examples judged by the shipped policies (zoominfo needs
it and privacy, twilio-segment finance and it); the reviews are fixture files in
GitHub's REST format (tests/data/signoff).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from martechgov.signoff.gate import standing_reviews
from martechgov.signoff.reviews import read_reviews

from ..conftest import ROOT, invoke
from ..gitutil import commit_all, git, make_repo, replace_in
from .conftest import AUTHOR, FIXTURES, HEAD_SHA, IT_MEMBERS, OLD_SHA, run, run_json, teams

pytestmark = pytest.mark.usefixtures("in_pr_repo")


def test_an_approval_of_the_head_commit_signs_off_for_the_team() -> None:
    code, doc = run_json("approved-head.json")
    zoominfo = teams(doc)
    assert zoominfo["privacy"]["signed_off"] is True
    assert zoominfo["privacy"]["signed_by"] == ["example-dpo"]
    # two teams needed, one signed: still waiting, so the run fails
    assert zoominfo["it"]["signed_off"] is False
    assert (code, doc["ready"], doc["waiting_for"]) == (1, False, ["it"])


def test_every_team_signed_off_passes() -> None:
    code, doc = run_json("team-member-approves.json", "--team-members", IT_MEMBERS)
    assert {t: s["signed_by"] for t, s in teams(doc).items()} == {
        "it": ["ines-arch"], "privacy": ["example-dpo"]}
    assert (code, doc["ready"], doc["waiting_for"]) == (0, True, [])


def test_a_github_team_member_counts_only_when_the_members_are_given() -> None:
    code, doc = run_json("team-member-approves.json")
    it = teams(doc)["it"]
    assert (code, it["signed_off"], it["members_unknown"]) == (
        1, False, ["example-org/it-architecture"])
    assert doc["team_members_needed"] == ["example-org/it-architecture"]


def test_slurped_member_pages_read_the_same() -> None:
    members = f"example-org/IT-Architecture={FIXTURES / 'members-it-architecture-slurped.json'}"
    code, doc = run_json("team-member-approves.json", "--team-members", members)
    assert (code, teams(doc)["it"]["signed_by"]) == (0, ["ines-arch"])


def test_an_approval_of_an_older_commit_does_not_count() -> None:
    code, doc = run_json("approved-older-commit.json")
    privacy = teams(doc)["privacy"]
    assert (privacy["signed_off"], privacy["approved_earlier_commit"]) == (False, ["example-dpo"])
    assert code == 1


def test_the_same_approval_counts_when_its_commit_is_the_head() -> None:
    code, out, err = invoke("signoff", "--base", "main", "--head", "zoominfo", "--as-of",
                            "2026-11-23", "--reviews",
                            str(FIXTURES / "approved-older-commit.json"), "--head-sha",
                            OLD_SHA, "--author", AUTHOR, "--format", "json")
    assert code == 1 and '"signed_by": ["example-dpo"]' in out, err


def test_changes_requested_after_an_approval_withdraws_it() -> None:
    code, doc = run_json("approved-then-changes-requested.json")
    privacy = teams(doc)["privacy"]
    assert (privacy["signed_off"], privacy["changes_requested"]) == (False, ["example-dpo"])


def test_an_approval_after_changes_requested_counts() -> None:
    _, doc = run_json("changes-requested-then-approved.json")
    assert teams(doc)["privacy"]["signed_by"] == ["example-dpo"]


def test_a_later_comment_or_pending_review_leaves_the_approval_standing() -> None:
    # as on GitHub: commenting does not withdraw an approval; a pending review is unsent
    _, doc = run_json("approved-then-commented.json")
    assert teams(doc)["privacy"]["signed_by"] == ["example-dpo"]


def test_a_dismissed_approval_does_not_count() -> None:
    code, doc = run_json("dismissed.json")
    assert (code, teams(doc)["privacy"]["signed_off"]) == (1, False)


def test_the_authors_own_approval_does_not_count() -> None:
    code, doc = run_json("approved-head.json", author="Example-DPO")
    privacy = teams(doc)["privacy"]
    assert (code, privacy["signed_off"], privacy["people"]) == (1, False, [])
    # nor is the author asked to review their own pull request
    assert "example-dpo" not in doc["request_reviewers"]["reviewers"]


def test_a_review_by_a_deleted_account_does_not_count() -> None:
    code, doc = run_json("deleted-account.json")
    assert (code, teams(doc)["privacy"]["signed_off"]) == (1, False)


def test_one_approval_signs_for_every_team_the_person_belongs_to() -> None:
    # example-ciso is named for security and is a member of example-org/it-architecture
    code, doc = run_json("everyone-approves.json", "--team-members", IT_MEMBERS,
                         head="twilio")
    twilio = teams(doc, "requests/twilio-segment.yaml")
    assert twilio["it"]["signed_by"] == ["example-ciso", "ines-arch"]
    assert (code, twilio["finance"]["signed_off"]) == (1, False)  # finance's members unknown


def test_a_request_in_approve_needs_no_sign_off() -> None:
    code, doc = run_json("no-reviews.json", head="typeform")
    assert (code, doc["ready"], doc["requests"]) == (0, True, [])
    assert doc["request_reviewers"] == {"reviewers": [], "team_reviewers": []}


def test_deny_fails_even_when_every_team_approved() -> None:
    members = [f"example-org/{team}={FIXTURES / f'members-{team}.json'}"
               for team in ("it-architecture", "finance", "legal")]
    code, out, err = run("everyone-approves.json", "--format", "json",
                         *[arg for m in members for arg in ("--team-members", m)],
                         head="meta-pixel")
    assert code == 1, err
    assert '"decision": "deny"' in out and '"requests": []' in out
    assert '"ready": false' in out


def test_the_reviewers_to_request_are_the_waiting_teams_people_and_github_teams() -> None:
    _, doc = run_json("no-reviews.json")
    assert doc["request_reviewers"] == {"reviewers": ["example-dpo"],
                                        "team_reviewers": ["it-architecture",
                                                           "privacy-office"]}
    _, doc = run_json("approved-head.json")  # privacy signed: only it is still asked
    assert doc["request_reviewers"] == {"reviewers": [],
                                        "team_reviewers": ["it-architecture"]}


@pytest.mark.parametrize(("fixture", "message"), [
    ("truncated.json", "truncated.json:19:20: not valid JSON (Unterminated string"),
    ("not-found.json", "GitHub answered with an error instead of the reviews: Not Found"),
    ("unknown-state.json", "review 2: `state`: Input should be 'APPROVED'"),
])
def test_reviews_that_are_not_githubs_list_are_an_error(fixture: str, message: str) -> None:
    code, out, err = run(fixture)
    assert (code, out) == (2, "")
    assert err.startswith("martechgov: error: ") and message in err


def test_a_members_file_for_a_team_teams_yaml_does_not_name_is_an_error() -> None:
    code, _, err = run("approved-head.json", "--team-members",
                       f"example-org/marketing={FIXTURES / 'members-legal.json'}")
    assert code == 2
    assert "--team-members names example-org/marketing" in err


@pytest.mark.parametrize(("option", "value"), [("--head-sha", "6dcb09b"),
                                               ("--head-sha", ""), ("--author", "")])
def test_a_missing_head_sha_or_author_is_an_error(option: str, value: str) -> None:
    args = {"--head-sha": HEAD_SHA, "--author": AUTHOR, option: value}
    code, _, err = invoke("signoff", "--base", "main", "--head", "zoominfo", "--reviews",
                          str(FIXTURES / "approved-head.json"),
                          *[item for pair in args.items() for item in pair])
    assert code == 2 and "martechgov: error:" in err


def test_reviews_are_ordered_by_submission_not_by_position() -> None:
    reviews = read_reviews(FIXTURES / "approved-then-changes-requested.json")
    for order in (reviews, list(reversed(reviews))):
        assert standing_reviews(order, AUTHOR)["example-dpo"].state == "CHANGES_REQUESTED"


def test_sign_off_people_come_from_the_base_branch_not_the_pull_request(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull request that names its own reviewer in teams.yaml gains nothing."""
    repo = make_repo(tmp_path / "repo", [])
    git(repo, "checkout", "-q", "-b", "sneaky")
    shutil.copy(ROOT / "requests" / "zoominfo.yaml", repo / "requests")
    replace_in(repo / "policies" / "data" / "teams.yaml", "people: [example-dpo]",
               "people: [example-dpo, random-dev]")
    replace_in(repo / "policies" / "data" / "teams.yaml",
               "github_teams: [example-org/it-architecture]",
               "people: [random-dev]\n  github_teams: [example-org/it-architecture]")
    commit_all(repo, "add zoominfo and a friendly reviewer")
    monkeypatch.chdir(repo)
    args = ["--as-of", "2026-11-23", "--reviews", str(FIXTURES / "team-member-approves.json"),
            "--head-sha", HEAD_SHA, "--author", AUTHOR]
    code, out, err = invoke("signoff", "--base", "main", *args)
    assert code == 1, err
    assert "sign-off: waiting for sign-off from it" in out
    # the same files judged from the working tree would have let the friend sign off
    code, out, _ = invoke("signoff", *args)
    assert code == 0 and "it: signed off by random-dev" in out


def test_teams_the_rules_name_must_all_be_mapped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", ["zoominfo"])
    replace_in(repo / "policies" / "data" / "teams.yaml",
               "legal:\n  review_days: 15\n  github_teams: [example-org/legal]\n", "")
    monkeypatch.chdir(repo)
    code, out, err = invoke("signoff", "--reviews", str(FIXTURES / "approved-head.json"),
                            "--head-sha", HEAD_SHA, "--author", AUTHOR)
    assert (code, out) == (2, "")
    assert "policies/agency/agency.rego:60: the rules name review team `legal`, but " \
           "policies/data/teams.yaml does not say who may sign off for it" in err


def test_a_team_named_at_run_time_and_not_mapped_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A team the static check cannot see (computed in Rego) still fails closed."""
    repo = make_repo(tmp_path / "repo", ["zoominfo"])
    replace_in(repo / "policies" / "vendor" / "vendor.rego", '"team": "privacy"',
               '"team": concat("-", ["data", "office"])')
    monkeypatch.chdir(repo)
    code, out, err = invoke("signoff", "--reviews", str(FIXTURES / "approved-head.json"),
                            "--head-sha", HEAD_SHA, "--author", AUTHOR, "--as-of",
                            "2026-11-23")
    assert (code, out) == (2, "")
    assert "the policies ask for review team `data-office`" in err


def test_one_run_writes_every_format_the_workflow_needs(tmp_path: Path) -> None:
    doc_file, comment = tmp_path / "signoff.json", tmp_path / "comment.md"
    code, out, err = run("approved-head.json", "--format", "github",
                         "-o", f"json={doc_file}", "-o", f"markdown={comment}")
    assert code == 1, err
    assert "::error file=requests/zoominfo.yaml,line=47,title=Waiting for sign-off%3A it::" \
        in out
    assert json.loads(doc_file.read_text())["signoff"]["waiting_for"] == ["it"]
    text = comment.read_text()
    assert text.startswith("## martechgov: 1 request: 0 approve, 1 review")
    assert "| requests/zoominfo.yaml | **privacy** | ✅ signed off by example-dpo |" in text
