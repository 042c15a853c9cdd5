"""`martechgov rereview`: approvals that went stale since the request last landed.

Attestations expire and policies tighten, so a tool approved last spring may not pass
today. For every request this compares two answers:

- then: the decision when the request last changed on this branch (its last
  first-parent commit), by the policies of that commit, as of that commit's date;
- now: the decision by today's policies, as of today (or --as-of).

A request is reported when the answer got worse: it now has a blocking finding (the
policies mark it so; a problem with the file always is) that was not blocking when it
landed, compared by rule and level. An excepted finding does not block, so a waiver
keeps a request quiet until it expires. A request with no earlier answer is reported
when it has any blocking finding. The scheduled workflow runs this weekly and fails
when anything is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from martechgov.check import judge_items
from martechgov.engines import Engine, EngineSettings, make_engine
from martechgov.errors import MartechgovError
from martechgov.fieldspec import Fields
from martechgov.gitrepo import Commit, Repository
from martechgov.loader import shown
from martechgov.policy import PolicySet
from martechgov.result import Finding, PolicyInfo, RequestResult
from martechgov.sources import RequestItem, existing_request_files, policies_at


@dataclass(frozen=True)
class Stale:
    now: RequestResult
    then: RequestResult | None  # None: no earlier answer could be computed
    since: str | None  # the date the request last landed

    @property
    def new_findings(self) -> tuple[Finding, ...]:
        return new_blocking(self.then, self.now)


@dataclass
class RereviewReport:
    as_of: dt.date
    policy: PolicyInfo
    total: int
    stale: list[Stale]


def new_blocking(then: RequestResult | None, now: RequestResult) -> tuple[Finding, ...]:
    """Findings blocking today that did not block when the request landed."""
    before = {(f.rule, f.level) for f in then.blocking_findings} if then else set()
    return tuple(f for f in now.blocking_findings if (f.rule, f.level) not in before)


def got_worse(then: RequestResult | None, now: RequestResult) -> bool:
    return bool(new_blocking(then, now))


def run_rereview(paths: list[Path], policies: Path, as_of: dt.date, engine: str = "embedded",
                 settings: EngineSettings | None = None, jobs: int | None = None
                 ) -> RereviewReport:
    repo = Repository(Path.cwd())
    items = [RequestItem(shown(repo.relative(p)), path=p) for p in existing_request_files(paths)]
    policy = PolicySet.from_directory(policies)
    current = make_engine(engine, settings)
    current.load(policy)
    now = judge_items(items, current, as_of, jobs, fields=policy.fields)
    history = {shown(path): landed for path, landed
               in repo.last_changes([repo.relative(p) for p in paths]).items()}
    then = _answers_then(repo, items, history, repo.relative(policies), engine, settings)
    stale = [Stale(result, then.get(result.file), history.get(result.file, (None, None))[1])
             for result in now if got_worse(then.get(result.file), result)]
    return RereviewReport(as_of, PolicyInfo(policy.revision, policy.source), len(items), stale)


def _answers_then(repo: Repository, items: list[RequestItem],
                  history: Mapping[str, tuple[Commit, str]], folder: str, engine: str,
                  settings: EngineSettings | None) -> dict[str, RequestResult]:
    """Judge each request as it was judged when it landed."""
    engines = _EngineCache(repo, folder, engine, settings)
    answers: dict[str, RequestResult] = {}
    for item in items:
        if item.display not in history:
            continue  # never committed: nothing to compare with
        commit, day = history[item.display]
        loaded = engines.at(commit)
        if loaded is None:
            continue  # that commit's policies cannot judge (missing or broken then)
        engine_then, fields = loaded
        answers[item.display] = judge_items([item], engine_then, dt.date.fromisoformat(day),
                                            1, fields=fields)[0]
    return answers


class _EngineCache:
    """One compiled engine per distinct policy content, however many commits share it."""

    def __init__(self, repo: Repository, folder: str, engine: str,
                 settings: EngineSettings | None) -> None:
        self.repo, self.folder, self.engine, self.settings = repo, folder, engine, settings
        self.by_commit: dict[str, str | None] = {}
        self.by_revision: dict[str, tuple[Engine, Fields]] = {}

    def at(self, commit: Commit) -> tuple[Engine, Fields] | None:
        """The engine holding `commit`'s policies, with their declared request fields."""
        if commit.hexsha not in self.by_commit:
            self.by_commit[commit.hexsha] = self._load(commit)
        revision = self.by_commit[commit.hexsha]
        return self.by_revision.get(revision) if revision else None

    def _load(self, commit: Commit) -> str | None:
        try:
            policy = policies_at(self.repo, commit, self.folder)
            if policy.revision not in self.by_revision:
                loaded = make_engine(self.engine, self.settings)
                loaded.load(policy)
                self.by_revision[policy.revision] = (loaded, policy.fields)
            return policy.revision
        except MartechgovError:
            return None
