"""`martechgov check`: load requests, ask the engine once per request, build the report.

The checker never prints and never exits; it returns a CheckReport (or raises a
MartechgovError, which the CLI turns into exit code 2).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from martechgov import isolation, sources
from martechgov.engines import Engine, EngineSettings, make_engine
from martechgov.engines.base import MAX_FINDINGS, subject_of
from martechgov.engines.isolated import IsolatedEngine
from martechgov.errors import EngineError, UsageError
from martechgov.fieldspec import Fields, request_model
from martechgov.identity import refuse_duplicates
from martechgov.inputdoc import input_document
from martechgov.loader import LoadedRequest
from martechgov.policy import ENTRYPOINT, PolicySet
from martechgov.result import (
    CheckReport,
    DecisionDoc,
    Finding,
    FindingDoc,
    PolicyInfo,
    RequestResult,
)
from martechgov.sources import RequestItem

# Below this many files one process is faster than starting workers.
PARALLEL_MIN_FILES = 200
CHUNK_FILES = 250


@dataclass(frozen=True)
class CheckOptions:
    paths: list[Path]
    policies: Path
    as_of: dt.date
    engine: str = "embedded"
    engine_settings: EngineSettings = field(default_factory=EngineSettings)
    jobs: int | None = None  # worker processes; None = one per CPU
    # Keep each result's validated request (inventory, map and discover read it);
    # plain checks drop it, which keeps big runs small and fast.
    keep_requests: bool = False
    base: str | None = None  # judge only what changed since this git ref...
    head: str | None = None  # ...up to this ref (default: the working tree)
    policies_from_worktree: bool = False
    # The policies already loaded from `policies` (a command that needed them before
    # judging hands them on instead of parsing the folder twice).
    loaded: PolicySet | None = None


def run_check(options: CheckOptions) -> CheckReport:
    """Judge the selected requests; see `sources` for what gets selected."""
    if options.base is None:
        if options.head is not None or options.policies_from_worktree:
            raise UsageError("--head and --policies-from-worktree only make sense with --base")
        selection = sources.from_disk(options.paths, options.loaded or options.policies)
    else:
        selection = sources.from_git(options.paths, options.policies, options.base,
                                     options.head, options.policies_from_worktree)
    engine = make_engine(options.engine, options.engine_settings)
    engine.load(selection.policy)
    results = judge_items(selection.items, engine, options.as_of, options.jobs,
                          keep_requests=options.keep_requests,
                          fields=selection.policy.fields)
    results = refuse_duplicates(results, selection.elsewhere)
    policy = selection.policy
    return CheckReport(
        options.as_of, engine.name,
        PolicyInfo(policy.revision, policy.source, selection.warning),
        results, selection.retired, policy,
    )


Progress = Callable[[int, int], None]  # (requests judged so far, total)


def judge_items(items: Sequence[RequestItem], engine: Engine, as_of: dt.date,
                jobs: int | None = None, progress: Progress | None = None,
                keep_requests: bool = False, fields: Fields = None) -> list[RequestResult]:
    """Load and judge every item, in order; big runs go to worker processes.

    `fields` are the request fields IT declared in the engine's policies
    (`PolicySet.fields`): requests are validated with them."""
    rows = judge_items_with(items, [engine], as_of, jobs, progress, keep_requests, [fields])
    return [row[0] for row in rows]


def judge_items_with(items: Sequence[RequestItem], engines: Sequence[Engine], as_of: dt.date,
                     jobs: int | None = None, progress: Progress | None = None,
                     keep_requests: bool = False, fields: Sequence[Fields] | None = None
                     ) -> list[tuple[RequestResult, ...]]:
    """Judge every item with each engine (each loaded with its own policies).

    Each file is read and parsed once, however many engines judge it (`impact` compares
    two policy revisions this way), and validated once per distinct set of IT-declared
    `fields` (one per engine). Returns one tuple per item, one result per engine.
    """
    fieldsets = list(fields or [None] * len(engines))
    # Chunks bound memory: only one chunk's parsed documents are alive at a time.
    chunks = [list(items[i:i + CHUNK_FILES]) for i in range(0, len(items), CHUNK_FILES)]
    bounded = [engine for engine in engines if isinstance(engine, IsolatedEngine)]
    if bounded and len(bounded) == len(engines):
        jobs = jobs or os.cpu_count() or 1
        workers = jobs if len(items) >= PARALLEL_MIN_FILES else 1
        return _judge_in_workers(chunks, (engines, as_of, keep_requests, fieldsets), workers,
                                 len(items), progress, bounded[0].limits)
    rows = []
    for chunk in chunks:
        rows.extend(_judge_rows(chunk, engines, as_of, keep_requests, fieldsets))
        if progress is not None:
            progress(len(rows), len(items))
    return rows


def _judge_rows(items: list[RequestItem], engines: Sequence[Engine], as_of: dt.date,
                keep_requests: bool, fieldsets: Sequence[Fields]
                ) -> list[tuple[RequestResult, ...]]:
    loaded: dict[str, list[LoadedRequest]] = {}
    per_engine = []
    for engine, fields in zip(engines, fieldsets, strict=True):
        key = json.dumps(fields, sort_keys=True)
        if key not in loaded:
            model = request_model(fields)
            loaded[key] = []
            for item in items:
                isolation.begin(f"reading {item.display}")
                loaded[key].append(item.load(model))
        per_engine.append(judge(loaded[key], engine, as_of, keep_requests))
    return list(zip(*per_engine, strict=True))


# Local engines never evaluate in this process (see `isolation`): files are read, parsed
# and judged chunk by chunk in bounded worker processes, each of which compiles the
# policies once and keeps them; the parent only merges the results in order. A worker
# that crashes, runs out of time or memory on a request fails the run with exit 2,
# naming that request: never a partial pass.
# engines, as_of, keep_requests, each engine's IT-declared request fields
WorkerState = tuple[Sequence[Engine], dt.date, bool, Sequence[Fields]]


def _judge_chunk(task: tuple[list[RequestItem], WorkerState]) -> list[tuple[RequestResult, ...]]:
    items, (engines, as_of, keep_requests, fieldsets) = task
    return _judge_rows(items, engines, as_of, keep_requests, fieldsets)


def _judge_in_workers(chunks: list[list[RequestItem]], state: WorkerState, jobs: int,
                      total: int, progress: Progress | None, limits: isolation.Limits
                      ) -> list[tuple[RequestResult, ...]]:
    judged = 0

    def done(chunk_rows: list[tuple[RequestResult, ...]]) -> None:
        nonlocal judged
        judged += len(chunk_rows)
        if progress is not None:
            progress(judged, total)

    try:
        per_chunk = isolation.pool(limits).map(
            _judge_chunk, [(chunk, state) for chunk in chunks], jobs, "judging the requests",
            done)
    except isolation.BoundsError as error:
        raise _diagnosed(error, chunks, state) from None
    return [row for rows in per_chunk for row in rows]


def _diagnosed(error: isolation.BoundsError, chunks: list[list[RequestItem]],
               state: WorkerState) -> isolation.BoundsError:
    """The error, naming the rule when the engine can find which one fails the request."""
    engines, as_of, _, fieldsets = state
    model = request_model(fieldsets[0] if fieldsets else None)
    for item in chunks[error.task] if error.task is not None else []:
        loaded = item.load(model)
        if loaded.request is None:
            continue
        doc = input_document(loaded.request, as_of, loaded.file)
        if subject_of(doc) == error.subject:
            for engine in engines:
                if isinstance(engine, IsolatedEngine):
                    diagnosed = engine.diagnose(error, doc)
                    if diagnosed is not error:
                        return diagnosed
    return error


def judge(loaded: Sequence[LoadedRequest], engine: Engine, as_of: dt.date,
          keep_requests: bool = True) -> list[RequestResult]:
    """One RequestResult per loaded file, in the same order."""
    valid = [item for item in loaded if item.valid]
    inputs = [input_document(item.request, as_of, item.file)  # type: ignore[arg-type]
              for item in valid]
    raw = engine.evaluate(inputs) if inputs else []
    if len(raw) != len(valid):
        raise EngineError(f"the engine returned {len(raw)} decisions for {len(valid)} requests")
    decisions = {id(item): _validated(item, doc) for item, doc in zip(valid, raw, strict=True)}
    return [
        _judged_result(item, decisions[id(item)], keep_requests) if id(item) in decisions
        else invalid_result(item)
        for item in loaded
    ]


def _validated(item: LoadedRequest, raw: object) -> DecisionDoc:
    findings = raw.get("findings") if isinstance(raw, dict) else None
    if isinstance(findings, list) and len(findings) > MAX_FINDINGS:
        raise EngineError(
            f"{item.file}: {ENTRYPOINT} returned {len(findings):,} findings, more than the "
            f"{MAX_FINDINGS:,} one decision may have (a runaway rule?); nothing was judged")
    try:
        return DecisionDoc.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "the result"
        raise EngineError(
            f"{item.file}: {ENTRYPOINT} returned a malformed decision ({where}: "
            f"{first['msg']}); nothing is approved without a well-formed decision"
        ) from None


def _judged_result(item: LoadedRequest, doc: DecisionDoc, keep_request: bool) -> RequestResult:
    findings = sorted((_located(item, f) for f in doc.findings), key=lambda f: f.sort_key)
    request = item.request
    assert request is not None
    return RequestResult(
        file=item.file,
        id=request.id,
        decision=doc.decision,
        reviewers=tuple(doc.reviewers),
        findings=tuple(findings),
        name=request.tool.name,
        request=request if keep_request else None,
        facts=doc.facts,
        blob=item.blob,
        id_position=item.position("id"),
    )


def _located(item: LoadedRequest, f: FindingDoc) -> Finding:
    """A policy finding at its field's line, its fix completed where the file can say
    more (the YAML to paste for an absent field, the nearest allowed value)."""
    at = item.locate(f.field, f.fix)
    return Finding(f.rule, f.level, f.message, at.fix, f.field, at.line, at.column,
                   team=f.team, exception=f.exception, blocking=f.blocking, fix_yaml=at.fix_yaml)


def invalid_result(item: LoadedRequest) -> RequestResult:
    findings = sorted(
        (Finding(p.rule, "error", p.message, p.fix, p.field, p.line, p.column, blocking=True,
                 fix_yaml=p.fix_yaml)
         for p in item.problems),
        key=lambda f: f.sort_key,
    )
    request_id = item.request.id if item.request is not None else _raw_id(item)
    return RequestResult(item.file, request_id, "invalid", findings=tuple(findings),
                         blob=item.blob, id_position=item.position("id"))


def _raw_id(item: LoadedRequest) -> str | None:
    value = item.document.value if item.document is not None else None
    raw = value.get("id") if isinstance(value, dict) else None
    return raw if isinstance(raw, str) else None
