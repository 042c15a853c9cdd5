"""The intake workflow in the harness: an issue made with the form becomes a request
file on its own branch and pull request, and ONE answer on the issue; an edit updates
all three; untrusted answers stay data; issues it must not handle are left alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from martechgov.loader import load_request

from ..gitutil import ROOT, commit_all, git
from ..intake.github import render_issue
from .fakegh import FakeGitHub
from .harness import Event, Harness, Run

WORKFLOW = ROOT / ".github" / "workflows" / "martechgov-intake.yml"
MARKER = "<!-- martechgov -->"
BRANCH = "martechgov/request-7"
CANVA = {
    "tool-name": "Canva Pro", "tool-vendor": "Canva Pty Ltd", "tool-category": "content",
    "tool-deployment": "saas", "tool-purpose": "Design social media posts and banners.",
    "tool-seats": "8", "requester-name": "Marta Ruiz", "requester-email": "marta@example.com",
    "requester-team": "Brand", "owners-business": "marta@example.com",
    "data-personal_data": "none at all", "security-sso": "saml", "security-mfa": "enforced",
}


class Intake:
    def __init__(self, tmp_path: Path, repo: Path, ci_python: Path) -> None:
        self.tmp, self.repo, self.python = tmp_path, repo, ci_python
        self.head = git(repo, "rev-parse", "HEAD")
        self.github = FakeGitHub(tmp_path / "github-state.json")
        self.github.branch("main", self.head, {"requests/typeform.yaml": "..."})
        self.runs: list[dict[str, Run]] = []
        self.tokens: list[str] = []

    def run(self, answers: dict[str, Any], action: str = "opened", labels: tuple[str, ...] =
            ("tool-request",), association: str = "MEMBER", body: str | None = None
            ) -> dict[str, Run]:
        issue = {"number": 7, "title": "Tool request: Canva", "state": "open",
                 "body": render_issue(answers) if body is None else body,
                 "user": {"login": "marta-mkt", "type": "User"},
                 "labels": [{"name": name} for name in labels],
                 "author_association": association}
        self.github.issue(7, issue)
        harness = Harness(self.tmp / f"run-{len(self.runs)}", self.repo, self.python,
                          github=self.github)
        runs = harness.run_jobs(WORKFLOW, Event("issues", self.head, action=action,
                                                issue=issue))
        self.runs.append(runs)
        self.tokens += harness.tokens
        return runs

    def comments(self) -> list[str]:
        return [str(c["body"]) for c in self.github.comments(7)]


def test_an_issue_becomes_a_request_a_pull_request_and_one_answer(
        tmp_path: Path, repo: Path, ci_python: Path) -> None:
    intake = Intake(tmp_path, repo, ci_python)
    runs = intake.run(CANVA)
    assert [runs[j].conclusion for j in ("draft", "propose", "answer")] == [
        "success"] * 3, "\n".join(r.explain() for r in runs.values())
    files = intake.github.files_on(BRANCH)
    request = files["requests/canva-pro.yaml"]
    assert files["requests/typeform.yaml"] == "..."  # on top of the default branch
    written = tmp_path / "canva-pro.yaml"
    written.write_text(request)
    loaded = load_request(written, "requests/canva-pro.yaml")
    assert loaded.valid, loaded.problems
    assert loaded.request is not None and loaded.request.tool.seats == 8
    assert "  # TODO website: not answered yet\n" in request
    [pull] = intake.github.calls("POST")[-2:-1]
    assert pull["path"] == "repos/example-org/marketing/pulls"
    assert pull["body"]["head"] == BRANCH and pull["body"]["base"] == "main"
    assert pull["job"] == "propose"
    assert "Requested by @marta-mkt in #7" in pull["body"]["body"]
    [answer] = intake.comments()
    assert answer.startswith(f"{MARKER}\n## ✅ Approved\n\nYour answers are in "
                             "`requests/canva-pro.yaml`.")
    number = intake.github.data["pulls"].popitem()[0]
    assert answer.endswith(f"The request is in pull request #{number}.\n\n<sub>[martechgov "
                           "run](https://github.com/example-org/marketing/actions/runs/4242)"
                           "</sub>")

    # The marketer edits the issue: the same branch, pull request and comment change.
    edited = {**CANVA, "security-sso": "none at all", "data-personal_data": "personal"}
    runs = intake.run(edited, action="edited")
    assert runs["answer"].conclusion == "success", runs["answer"].explain()
    assert "  sso: none\n" in intake.github.files_on(BRANCH)["requests/canva-pro.yaml"]
    assert len(intake.github.data["pulls"]) == 1
    assert [c["path"] for c in intake.github.calls("PATCH")] == [
        f"repos/example-org/marketing/git/refs/heads/{BRANCH}",
        f"repos/example-org/marketing/pulls/{number}",
        f"repos/example-org/marketing/issues/comments/{intake.github.comments(7)[0]['id']}"]
    [answer] = intake.comments()
    assert answer.startswith(f"{MARKER}\n## ❌ Denied: a hard rule is broken")
    assert "**deny** `security.sso_required`" in answer
    for runs in intake.runs:
        for run in runs.values():
            assert not any(token in run.log + json.dumps(run.outputs)
                           for token in intake.tokens)


def test_odd_answers_stay_data(tmp_path: Path, repo: Path, ci_python: Path) -> None:
    intake = Intake(tmp_path, repo, ci_python)
    odd = {**CANVA,
           "tool-name": "Zoë's Tool 🚀 <!-- martechgov --> ::error::forged",
           "tool-purpose": "x" * 3000,
           "notes": "### Tool: vendor\n\nEvil Corp\nsecurity:\n  sso: saml\n"
                    "::warning file=a.yaml::forged\n##[error]legacy\n# comment?"}
    runs = intake.run(odd)
    assert runs["draft"].conclusion == "success", runs["draft"].explain()
    assert [a for a in runs["draft"].annotations] == []  # nothing read as a command
    request = intake.github.files_on(BRANCH)["requests/zoes-tool-martechgov-error-forged.yaml"]
    doc = yaml.safe_load(request)
    assert doc["tool"]["name"] == odd["tool-name"]
    assert doc["tool"]["vendor"] == "Canva Pty Ltd"
    assert doc["notes"] == odd["notes"].rstrip("\n")
    assert doc["security"] == {"sso": "saml", "mfa": "enforced"}
    [answer] = intake.comments()
    assert answer.count(MARKER) == 1
    assert answer.startswith(f"{MARKER}\n## ⚠️ Some answers need a change")  # 3000 chars
    assert "tool.purpose" in answer


def test_a_missing_name_writes_nothing_and_says_why(tmp_path: Path, repo: Path,
                                                    ci_python: Path) -> None:
    intake = Intake(tmp_path, repo, ci_python)
    body = render_issue(CANVA).replace("### Tool: name\n\nCanva Pro", "### Tool: name\n\n"
                                       "_No response_")
    runs = intake.run({}, action="edited", body=body)
    assert runs["propose"].conclusion == "skipped"
    assert runs["draft"].conclusion == "success"
    [answer] = intake.comments()
    assert answer.startswith(f"{MARKER}\n## ⚠️ The request could not be made yet\n\n"
                             "The tool's name is missing")
    assert [c["method"] for c in intake.github.calls()
            if c["path"].endswith(("/pulls", "/git/refs", "/git/trees"))] == []


def test_issues_it_must_not_handle_are_left_alone(tmp_path: Path, repo: Path,
                                                  ci_python: Path) -> None:
    intake = Intake(tmp_path, repo, ci_python)
    for labels, association in [((), "MEMBER"), (("tool-request",), "NONE")]:
        runs = intake.run(CANVA, labels=labels, association=association)
        assert {job: run.conclusion for job, run in runs.items()} == {
            "draft": "skipped", "propose": "skipped", "answer": "skipped"}
    assert intake.github.calls() == []


def test_when_martechgov_cannot_answer_the_issue_says_so(tmp_path: Path, repo: Path,
                                                        ci_python: Path) -> None:
    rego = repo / "policies" / "security" / "security.rego"
    rego.write_text(rego.read_text() + "\ndeny contains f if {\n")  # the default branch's
    commit_all(repo, "a broken policy on main")
    intake = Intake(tmp_path, repo, ci_python)
    runs = intake.run(CANVA)
    assert runs["draft"].conclusion == "failure"
    assert runs["propose"].conclusion == "skipped"
    [answer] = intake.comments()
    assert answer.startswith(f"{MARKER}\n## ⚠️ martechgov could not answer this issue\n\n"
                             "Nothing was made from it")
