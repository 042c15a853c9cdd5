"""`martechgov check`: load requests, ask the engine once per request, build the report.

The checker never prints and never exits; it returns a CheckReport (or raises a
MartechgovError, which the CLI turns into exit code 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from martechgov.engines import Engine, make_engine
from martechgov.errors import EngineError
from martechgov.inputdoc import input_document
from martechgov.loader import LoadedRequest, load_request, request_files
from martechgov.policy import ENTRYPOINT, PolicySet
from martechgov.result import (
    CheckReport,
    DecisionDoc,
    Finding,
    PolicyInfo,
    RequestResult,
)


@dataclass(frozen=True)
class CheckOptions:
    paths: list[Path]
    policies: Path
    as_of: dt.date
    engine: str = "embedded"


def run_check(options: CheckOptions) -> CheckReport:
    """Judge the request files under `options.paths` with the policies on disk."""
    policy = PolicySet.from_directory(options.policies)
    engine = make_engine(options.engine)
    engine.load(policy)
    return report_for(load_requests(options.paths), engine, policy, options.as_of)


def load_requests(paths: Sequence[Path]) -> list[LoadedRequest]:
    return [load_request(path, display_path(path)) for path in request_files(list(paths))]


def display_path(path: Path) -> str:
    """The path as the user knows it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def judge(loaded: Sequence[LoadedRequest], engine: Engine,
          as_of: dt.date) -> list[RequestResult]:
    """One RequestResult per loaded file, in the same order."""
    valid = [item for item in loaded if item.valid]
    inputs = [input_document(item.request, as_of) for item in valid]  # type: ignore[arg-type]
    raw = engine.evaluate(inputs) if inputs else []
    if len(raw) != len(valid):
        raise EngineError(f"the engine returned {len(raw)} decisions for {len(valid)} requests")
    decisions = {id(item): _validated(item, doc) for item, doc in zip(valid, raw, strict=True)}
    return [
        _judged_result(item, decisions[id(item)]) if id(item) in decisions
        else invalid_result(item)
        for item in loaded
    ]


def report_for(loaded: Sequence[LoadedRequest], engine: Engine, policy: PolicySet,
               as_of: dt.date) -> CheckReport:
    return CheckReport(
        as_of=as_of,
        engine=engine.name,
        policy=PolicyInfo(policy.revision, policy.source),
        results=judge(loaded, engine, as_of),
    )


def _validated(item: LoadedRequest, raw: object) -> DecisionDoc:
    try:
        return DecisionDoc.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "the result"
        raise EngineError(
            f"{item.file}: {ENTRYPOINT} returned a malformed decision ({where}: "
            f"{first['msg']}); nothing is approved without a well-formed decision"
        ) from None


def _judged_result(item: LoadedRequest, doc: DecisionDoc) -> RequestResult:
    findings = sorted(
        (Finding(f.rule, f.level, f.message, f.fix, f.field, *item.position(f.field),
                 team=f.team, exception=f.exception)
         for f in doc.findings),
        key=lambda f: f.sort_key,
    )
    request = item.request
    assert request is not None
    return RequestResult(
        file=item.file,
        id=request.id,
        decision=doc.decision,
        reviewers=tuple(doc.reviewers),
        findings=tuple(findings),
        name=request.tool.name,
    )


def invalid_result(item: LoadedRequest) -> RequestResult:
    findings = sorted(
        (Finding(p.rule, "error", p.message, None, p.field, p.line, p.column)
         for p in item.problems),
        key=lambda f: f.sort_key,
    )
    request_id = item.request.id if item.request is not None else _raw_id(item)
    return RequestResult(item.file, request_id, "invalid", findings=tuple(findings))


def _raw_id(item: LoadedRequest) -> str | None:
    value = item.document.value if item.document is not None else None
    raw = value.get("id") if isinstance(value, dict) else None
    return raw if isinstance(raw, str) else None
