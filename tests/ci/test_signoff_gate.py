"""The pull-request workflow as a gate: a request in review stays red until every team
the rules name has signed off, the named people and teams are asked for a review, and
the marketer reads ONE comment, updated in place, that tells them everything.

The workflow runs in the harness (tests/ci/harness.py) with GitHub played by the stub
`gh` (tests/ci/fakegh.py): reviews, team members and comments in GitHub's REST format,
every call recorded, each job's token holding only the job's permissions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..gitutil import ROOT, commit_all, git, replace_in
from .conftest import pull_request
from .fakegh import FakeGitHub
from .harness import Event, Harness, Run

WORKFLOW = ROOT / ".github" / "workflows" / "martechgov.yml"
MARKER = "<!-- martechgov -->"
MEMBERS_TOKEN = "ghp_members0123456789abcdef0123456789abcdef"  # a secret: never printed
IT, PRIVACY = "example-org/it-architecture", "example-org/privacy-office"
BOTH = ["Waiting for sign-off: it", "Waiting for sign-off: privacy"]


class Gate:
    """Pull request #1 adding `requests`, and the workflow run on its events."""

    def __init__(self, tmp_path: Path, repo: Path, ci_python: Path, requests: list[str],
                 author: str = "marta-mkt", fork: bool = False) -> None:
        for name in requests:
            shutil.copy(ROOT / "requests" / f"{name}.yaml", repo / "requests")
        self.tmp, self.repo, self.python = tmp_path, repo, ci_python
        self.author, self.fork = author, fork
        self.head = pull_request(repo, "propose tools")
        self.github = FakeGitHub(tmp_path / "github-state.json")
        self.github.open_pull(1, author, self.head)
        self.github.team(IT, ["ivan-it", "Marta-Mkt"])
        self.github.team(PRIVACY, ["pia-privacy"])
        self.github.grant(MEMBERS_TOKEN, "members secret", {}, org_members=True)
        self.tokens: list[str] = [MEMBERS_TOKEN]
        self.runs: list[dict[str, Run]] = []

    def run(self, event: str = "pull_request", action: str = "",
            **more: str) -> dict[str, Run]:
        harness = Harness(self.tmp / f"run-{len(self.runs)}", self.repo, self.python,
                          github=self.github,
                          secrets={"MARTECHGOV_MEMBERS_TOKEN": MEMBERS_TOKEN})
        review = {"state": "approved"} if event == "pull_request_review" else None
        runs = harness.run_jobs(WORKFLOW, Event(event, self.head, base_ref="main",
                                                action=action, author=self.author,
                                                fork=self.fork, review=review, **more))
        self.tokens += harness.tokens
        self.runs.append(runs)
        return runs

    def push(self) -> None:
        """A new commit on the pull request: its head moves."""
        request = self.repo / "requests" / "zoominfo.yaml"
        request.write_text(request.read_text() + "# Pilot with two reps first.\n")
        self.head = commit_all(self.repo, "add notes")
        data_pull = self.github.data["pulls"]["1"]
        assert data_pull["head_sha"] != self.head
        self.github.open_pull(1, self.author, self.head)

    def approve(self, login: str) -> None:
        self.github.review(1, login, "APPROVED", self.head)

    def bot_comments(self) -> list[dict[str, object]]:
        return [c for c in self.github.comments(1)
                if c["user"]["login"] == "github-actions[bot]"]  # type: ignore[index]


def waiting_for(run: Run) -> list[str]:
    return sorted(a.properties["title"] for a in run.annotations
                  if a.properties.get("title", "").startswith("Waiting for sign-off"))


def assert_no_token_leaked(gate: Gate) -> None:
    texts = [json.dumps(gate.github.data["calls"]),
             *(c["body"] for c in gate.github.comments(1))]  # type: ignore[misc]
    for runs in gate.runs:
        for run in runs.values():
            texts += [run.log, run.summary, json.dumps(run.outputs)]
    for token in gate.tokens:
        assert not any(token in text for text in texts)


def test_a_request_in_review_is_red_until_every_team_signs_off(
        tmp_path: Path, repo: Path, ci_python: Path) -> None:
    gate = Gate(tmp_path, repo, ci_python, ["zoominfo"])  # review: it and privacy
    # Other people's comments fill the first page; one of them forges the marker.
    gate.github.comment(1, "mallory", f"{MARKER}\n## ✅ Approved: ready to merge")
    for n in range(31):
        gate.github.comment(1, "reviewer-bob", f"comment {n}")
    for _ in range(30):  # the approvals below come on the second page of reviews
        gate.github.review(1, "reviewer-bob", "COMMENTED", gate.head)

    first = gate.run()
    check = first["check"]
    assert check.conclusion == "failure", check.explain()
    assert check.step("Judge changed").exit_code == 1
    assert waiting_for(check) == BOTH
    [asked] = gate.github.calls("POST")[:1]
    assert asked["path"] == "repos/example-org/marketing/pulls/1/requested_reviewers"
    assert asked["body"] == {"reviewers": ["example-dpo"],
                             "team_reviewers": ["it-architecture", "privacy-office"]}
    assert asked["job"] == "tell"
    [comment] = gate.bot_comments()
    body = str(comment["body"])
    assert body.startswith(f"{MARKER}\n## ⏳ Waiting for sign-off from **it** and "
                           "**privacy**\n\nNothing in the request has to change.")
    assert "| requests/zoominfo.yaml | **privacy** | ⏳ waiting for sign-off | example-dpo, " \
           "members of example-org/privacy-office |" in body
    assert "Fix: " in body  # each finding with its fix
    assert "martechgov run](https://github.com/example-org/marketing/actions/runs/4242)" in body

    # IT approves; GitHub runs the workflow for the review: still red, same comment.
    gate.approve("ivan-it")
    second = gate.run("pull_request_review", "submitted")
    assert second["check"].conclusion == "failure"
    assert waiting_for(second["check"]) == ["Waiting for sign-off: privacy"]
    assert len(gate.bot_comments()) == 1
    [patch] = gate.github.calls("PATCH")
    assert patch["path"] == f"repos/example-org/marketing/issues/comments/{comment['id']}"
    assert len(gate.github.calls("POST")) == 2  # the first run's request and comment only
    body = str(gate.bot_comments()[0]["body"])
    assert "| requests/zoominfo.yaml | **it** | ✅ signed off by ivan-it |" in body

    # Privacy approves the same commit: green, and the comment says so.
    gate.approve("pia-privacy")
    third = gate.run("pull_request_review", "submitted")
    assert third["check"].conclusion == "success", third["check"].explain()
    assert third["tell"].conclusion == "success"
    assert str(gate.bot_comments()[0]["body"]).startswith(
        f"{MARKER}\n## ✅ Signed off: ready to merge\n\nEvery team that had to look has "
        f"approved commit `{gate.head[:7]}`.")

    # A new commit: the approvals were of what they saw; red again, both asked again.
    gate.push()
    fourth = gate.run("pull_request", "synchronize")
    assert fourth["check"].conclusion == "failure"
    assert waiting_for(fourth["check"]) == BOTH
    body = str(gate.bot_comments()[0]["body"])
    assert "an earlier commit was approved by ivan-it, the latest one needs a new approval" \
        in body
    assert len(gate.bot_comments()) == 1
    assert [c["body"] for c in gate.github.comments(1) if "mallory" in json.dumps(c)] == [
        f"{MARKER}\n## ✅ Approved: ready to merge"]  # the forged one is left alone
    assert_no_token_leaked(gate)


def test_a_denied_request_stays_red_whatever_the_approvals(
        tmp_path: Path, repo: Path, ci_python: Path) -> None:
    gate = Gate(tmp_path, repo, ci_python, ["mailchimp", "zoominfo"])
    for login in ("ivan-it", "pia-privacy", "example-dpo"):
        gate.approve(login)
    runs = gate.run()
    assert runs["check"].conclusion == "failure"
    assert waiting_for(runs["check"]) == []  # zoominfo is signed off
    [comment] = gate.bot_comments()
    body = str(comment["body"])
    assert body.startswith(f"{MARKER}\n## ❌ Changes needed before this can be merged\n\n"
                           "1 request is denied. Each finding below says what to change")
    assert "**deny** `security.sso_required`" in body
    assert "  - Fix: Ask the vendor to enable SAML or OIDC SSO" in body
    # mailchimp is denied (no sign-off asked for), zoominfo is signed off: nobody to ask
    assert [c["path"] for c in gate.github.calls("POST")] == [
        "repos/example-org/marketing/issues/1/comments"]
    assert_no_token_leaked(gate)


def test_the_authors_own_approval_never_counts(tmp_path: Path, repo: Path,
                                                ci_python: Path) -> None:
    gate = Gate(tmp_path, repo, ci_python, ["zoominfo"])
    gate.approve("pia-privacy")
    gate.approve("marta-mkt")  # the author, listed as a member of it-architecture
    runs = gate.run()
    assert runs["check"].conclusion == "failure"
    assert waiting_for(runs["check"]) == ["Waiting for sign-off: it"]


def test_a_request_made_from_the_form_counts_the_issues_author_as_its_author(
        tmp_path: Path, repo: Path, ci_python: Path) -> None:
    # The intake workflow opened the pull request; marta-mkt filled in issue #7, and she
    # is a member of it-architecture: her approval must not sign off her own request.
    gate = Gate(tmp_path, repo, ci_python, ["zoominfo"], author="github-actions[bot]")
    gate.github.issue(7, {"number": 7, "user": {"login": "Marta-Mkt", "type": "User"}})
    gate.approve("pia-privacy")
    gate.approve("marta-mkt")
    runs = gate.run(author_type="Bot", head_ref="martechgov/request-7")
    assert waiting_for(runs["check"]) == ["Waiting for sign-off: it"]
    assert "GET repos/example-org/marketing/issues/7" in [
        f"{c['method']} {c['path']}" for c in gate.github.calls()]
    # A person's own branch of that name is not the form's: its author is that person,
    # and marta-mkt's approval counts like anyone else's.
    gate.author = "ivan-it"
    gate.github.open_pull(1, "ivan-it", gate.head)
    runs = gate.run(head_ref="martechgov/request-7")
    assert runs["check"].conclusion == "success", runs["check"].explain()


def test_without_the_members_token_only_named_people_sign_off(
        tmp_path: Path, repo: Path, ci_python: Path) -> None:
    gate = Gate(tmp_path, repo, ci_python, ["zoominfo"])
    gate.approve("example-dpo")  # named in teams.yaml: counts for privacy
    gate.approve("ivan-it")  # a member of a GitHub team nobody may read: does not count
    harness = Harness(tmp_path / "no-secret", repo, ci_python, github=gate.github)
    runs = harness.run_jobs(WORKFLOW, Event("pull_request", gate.head, base_ref="main"))
    check = runs["check"]
    assert check.conclusion == "failure"
    assert waiting_for(check) == ["Waiting for sign-off: it"]
    warnings = [a.data for a in check.annotations if a.name == "warning"]
    assert f"cannot read the members of {IT}; only the people teams.yaml names can sign " \
           "off for it" in warnings


def test_a_fork_gets_a_read_only_token_and_the_check_still_fails_closed(
        tmp_path: Path, repo: Path, ci_python: Path) -> None:
    gate = Gate(tmp_path, repo, ci_python, ["zoominfo"], fork=True)
    runs = gate.run()
    assert runs["check"].conclusion == "failure"
    assert waiting_for(runs["check"]) == BOTH
    assert runs["tell"].conclusion == "success"
    assert [c["method"] for c in gate.github.calls() if c["job"] == "tell"] == []
    assert "read-only token" in runs["tell"].log
    assert gate.bot_comments() == []


def test_when_martechgov_cannot_judge_the_comment_says_so(
        tmp_path: Path, repo: Path, ci_python: Path) -> None:
    # The base branch's teams.yaml loses `it`, which the rules name: exit 2, never green.
    git(repo, "checkout", "-q", "main")
    replace_in(repo / "policies" / "data" / "teams.yaml",
               "it:\n  review_days: 5\n  github_teams: [example-org/it-architecture]\n", "")
    commit_all(repo, "teams without it")
    gate = Gate(tmp_path, repo, ci_python, ["optimizely-web"])
    runs = gate.run()
    assert runs["check"].conclusion == "failure"
    assert "does not say who may sign off for it" in runs["check"].log
    [comment] = gate.bot_comments()
    assert str(comment["body"]).startswith(
        f"{MARKER}\n## ⚠️ martechgov could not judge this pull request")
