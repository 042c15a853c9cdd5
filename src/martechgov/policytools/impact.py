"""`martechgov impact`: which existing requests a policy change would flip.

Every request (as it is at the head) is judged twice: by the base ref's policies and
by the head's (or the working tree's). A request appears in the report when its
decision, its reviewers or its findings (rule, level, field, team, exception status)
differ; wording-only changes of a message do not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from martechgov.check import Progress, judge_items, judge_items_with
from martechgov.engines import Engine, EngineSettings, make_engine
from martechgov.gitrepo import Repository
from martechgov.loader import shown
from martechgov.policy import PolicySet
from martechgov.result import PolicyInfo, RequestResult
from martechgov.sources import RequestItem, existing_request_files, git_items, policies_at

FindingKey = tuple[str, str, str | None, str | None, str | None]


@dataclass(frozen=True)
class ImpactOptions:
    paths: list[Path]
    policies: Path
    base: str
    as_of: dt.date
    head: str | None = None
    engine: str = "embedded"
    engine_settings: EngineSettings = field(default_factory=EngineSettings)
    jobs: int | None = None


@dataclass(frozen=True)
class Change:
    before: RequestResult
    after: RequestResult

    @property
    def file(self) -> str:
        return self.after.file

    @property
    def label(self) -> str:
        return self.after.id or self.before.id or self.file

    @property
    def added(self) -> list[FindingKey]:
        return sorted(finding_keys(self.after) - finding_keys(self.before))

    @property
    def removed(self) -> list[FindingKey]:
        return sorted(finding_keys(self.before) - finding_keys(self.after))


@dataclass
class ImpactReport:
    as_of: dt.date
    engine: str
    before: PolicyInfo
    after: PolicyInfo
    total: int
    changes: list[Change]


def finding_keys(result: RequestResult) -> set[FindingKey]:
    return {
        (f.rule, f.level, f.field, f.team, f.exception.status if f.exception else None)
        for f in result.findings
    }


def changed(before: RequestResult, after: RequestResult) -> bool:
    return (before.decision, before.reviewers, finding_keys(before)) != (
        after.decision, after.reviewers, finding_keys(after))


def run_impact(options: ImpactOptions, progress: Progress | None = None) -> ImpactReport:
    repo = Repository(Path.cwd())
    base_name, base_commit = repo.commit(options.base)
    folder = repo.relative(options.policies)
    before = policies_at(repo, base_commit, folder, base_name)
    if options.head is None:
        after = PolicySet.from_directory(options.policies)
        items = [RequestItem(shown(repo.relative(p)), path=p)
                 for p in existing_request_files(options.paths)]
    else:
        head_name, head_commit = repo.commit(options.head)
        after = policies_at(repo, head_commit, folder, head_name)
        folders = [repo.relative(p) for p in options.paths]
        items = git_items(repo, repo.entries_at(head_commit, folders))
    engines = [make_engine(options.engine, options.engine_settings) for _ in range(2)]
    rows = _judge_both(items, engines, (before, after), options, progress)
    changes = [Change(old, new) for old, new in rows if changed(old, new)]
    return ImpactReport(options.as_of, engines[0].name,
                        PolicyInfo(before.revision, before.source),
                        PolicyInfo(after.revision, after.source), len(items), changes)


def _judge_both(items: list[RequestItem], engines: list[Engine],
                policies: tuple[PolicySet, PolicySet], options: ImpactOptions,
                progress: Progress | None) -> list[tuple[RequestResult, RequestResult]]:
    if all(engine.forkable for engine in engines):
        for engine, policy in zip(engines, policies, strict=True):
            engine.load(policy)
        rows = judge_items_with(items, engines, options.as_of, options.jobs, progress,
                                fields=[policy.fields for policy in policies])
        return [(row[0], row[1]) for row in rows]
    # A remote engine holds one policy set at a time: judge everything under the
    # first, then load the second and judge everything again.
    passes = []
    for engine, policy in zip(engines, policies, strict=True):
        engine.load(policy)
        passes.append(judge_items(items, engine, options.as_of, options.jobs, progress,
                                  fields=policy.fields))
    return list(zip(passes[0], passes[1], strict=True))
