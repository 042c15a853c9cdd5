"""Match a pull request's reviews to the teams each request in review needs.

Which teams a request needs is the policies' answer (`RequestResult.reviewers`); this
module only matches people to teams. A team has signed off when one of its people
(other than the pull request's author) stands on an approval of the current head
commit. A reviewer's standing review is their latest APPROVED, CHANGES_REQUESTED or
DISMISSED review, in the order they were submitted: as on GitHub, a later comment
neither adds nor withdraws an approval, a pending review is not submitted, a later
request for changes withdraws it and a dismissed approval is gone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from martechgov.check import CheckOptions, run_check
from martechgov.errors import UsageError
from martechgov.result import CheckReport, RequestResult
from martechgov.signoff.reviews import Review, read_members, read_reviews
from martechgov.signoff.teams import TeamDirectory

STANDING_STATES = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})
COMMIT_SHA = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")  # SHA-1, or SHA-256 repositories


@dataclass(frozen=True)
class TeamSignoff:
    """One team a request needs, and where its sign-off stands."""

    team: str
    signed_by: tuple[str, ...]  # eligible people approving the head commit
    approved_earlier: tuple[str, ...]  # eligible people whose approval is of an older commit
    changes_requested: tuple[str, ...]
    people: tuple[str, ...]  # the logins teams.yaml names (not the author)
    github_teams: tuple[str, ...]  # GitHub teams whose members may sign off
    eligible: tuple[str, ...]  # everyone known who may sign off: people and members
    members_unknown: tuple[str, ...]  # of those, teams whose members this run was not given
    line: int  # where in the request the team's first finding points

    @property
    def signed_off(self) -> bool:
        return bool(self.signed_by)


@dataclass(frozen=True)
class RequestSignoff:
    result: RequestResult
    teams: tuple[TeamSignoff, ...]

    @property
    def signed_off(self) -> bool:
        return all(team.signed_off for team in self.teams)

    @property
    def waiting_for(self) -> tuple[str, ...]:
        return tuple(team.team for team in self.teams if not team.signed_off)


@dataclass(frozen=True)
class SignoffReport:
    check: CheckReport
    requests: tuple[RequestSignoff, ...]  # every request whose decision is review
    head_sha: str
    author: str
    reviewers: tuple[str, ...] = ()  # logins to request a review from
    team_reviewers: tuple[str, ...] = ()  # GitHub team slugs to request a review from
    team_members_needed: tuple[str, ...] = ()  # `org/slug` whose members were not given

    @property
    def waiting_for(self) -> tuple[str, ...]:
        return tuple(sorted({t for r in self.requests for t in r.waiting_for}))

    @property
    def ready(self) -> bool:
        """Nothing denied or invalid, and every required team signed off."""
        return self.check.exit_code == 0 and not self.waiting_for

    @property
    def exit_code(self) -> int:
        return 0 if self.ready else 1


@dataclass(frozen=True)
class SignoffOptions:
    check: CheckOptions
    reviews: Path
    head_sha: str
    author: str
    team_members: Mapping[str, Path] = field(default_factory=dict)  # `org/slug` -> file


def run_signoff(options: SignoffOptions) -> SignoffReport:
    """Judge the requests like `check`, then match the reviews to the teams they need."""
    _pull_request(options.head_sha, options.author)  # before the slow part
    reviews = read_reviews(options.reviews)
    check = run_check(options.check)
    assert check.policies is not None
    directory = TeamDirectory.from_policy(check.policies)
    unknown = sorted(set(options.team_members) - directory.github_teams)
    if unknown:
        raise UsageError(f"--team-members names {unknown[0]}, which {directory.file} does "
                         "not list under any team's `github_teams`")
    members = {ref: read_members(path) for ref, path in options.team_members.items()}
    return judge_signoff(check, directory, reviews, members, options.head_sha,
                         options.author)


def judge_signoff(check: CheckReport, directory: TeamDirectory, reviews: Sequence[Review],
                  members: Mapping[str, frozenset[str]], head_sha: str,
                  author: str) -> SignoffReport:
    """Where each request in review stands; `members` maps `org/slug` to its logins."""
    head_sha, author = _pull_request(head_sha, author)
    members = {ref.lower(): logins for ref, logins in members.items()}
    standing = standing_reviews(reviews, author)
    requests = tuple(
        RequestSignoff(result, tuple(
            _team_signoff(result, team, directory, standing, members, head_sha, author)
            for team in result.reviewers))
        for result in check.results if result.decision == "review"
    )
    waiting = [team for request in requests for team in request.teams if not team.signed_off]
    return SignoffReport(
        check, requests, head_sha, author,
        reviewers=_sorted_unique(p.lower() for team in waiting
                                 for p in directory.team(team.team).people
                                 if p.lower() != author),
        team_reviewers=_sorted_unique(ref.split("/", 1)[1] for team in waiting
                                      for ref in team.github_teams),
        team_members_needed=_sorted_unique(ref for team in waiting
                                           for ref in team.members_unknown),
    )


def standing_reviews(reviews: Iterable[Review], author: str) -> dict[str, Review]:
    """Each reviewer's (lower-case login) standing review; the author's never stands."""
    standing: dict[str, Review] = {}
    submitted = [r for r in reviews if r.state in STANDING_STATES]
    for review in sorted(submitted, key=lambda r: (r.submitted_at, r.id)):
        login = review.login
        if login is not None and login != author.lower():
            standing[login] = review
    return standing


def _pull_request(head_sha: str, author: str) -> tuple[str, str]:
    """The head commit and the author, checked and in lower case."""
    if not COMMIT_SHA.match(head_sha.lower()):
        raise UsageError(f"{head_sha!r} is not a full commit SHA (the pull request's head "
                         "commit, e.g. github.event.pull_request.head.sha)")
    if not author.strip():
        raise UsageError("the pull request's author is needed: their own review never counts")
    return head_sha.lower(), author.strip().lower()


def _team_signoff(result: RequestResult, team: str, directory: TeamDirectory,
                  standing: Mapping[str, Review], members: Mapping[str, frozenset[str]],
                  head_sha: str, author: str) -> TeamSignoff:
    entry = directory.team(team)
    refs = tuple(ref.lower() for ref in entry.github_teams)
    named = {p.lower() for p in entry.people} - {author}
    people = set(named)
    for ref in refs:
        people |= members.get(ref, frozenset())
    people.discard(author)

    def with_state(state: str, on_head: bool | None = None) -> tuple[str, ...]:
        return tuple(sorted(
            login for login in people
            if (review := standing.get(login)) is not None and review.state == state
            and (on_head is None or _on(review, head_sha) == on_head)))

    return TeamSignoff(
        team=team,
        signed_by=with_state("APPROVED", on_head=True),
        approved_earlier=with_state("APPROVED", on_head=False),
        changes_requested=with_state("CHANGES_REQUESTED"),
        people=tuple(sorted(named)),
        github_teams=refs,
        eligible=tuple(sorted(people)),
        members_unknown=tuple(ref for ref in refs if ref not in members),
        line=min((f.line for f in result.findings if f.team == team and f.blocking),
                 default=1),
    )


def _on(review: Review, sha: str) -> bool:
    return review.commit_id is not None and review.commit_id.lower() == sha


def _sorted_unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))
