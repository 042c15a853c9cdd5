"""`martechgov check`: load requests, ask the engine once per request, build the report.

The checker never prints and never exits; it returns a CheckReport (or raises a
MartechgovError, which the CLI turns into exit code 2).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from martechgov import sources
from martechgov.engines import Engine, EngineSettings, make_engine
from martechgov.errors import EngineError, UsageError
from martechgov.identity import refuse_duplicates
from martechgov.inputdoc import input_document
from martechgov.loader import LoadedRequest
from martechgov.policy import ENTRYPOINT, PolicySet
from martechgov.result import CheckReport, DecisionDoc, Finding, PolicyInfo, RequestResult
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
                          keep_requests=options.keep_requests)
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
                keep_requests: bool = False) -> list[RequestResult]:
    """Load and judge every item, in order; big runs go to worker processes."""
    rows = judge_items_with(items, [engine], as_of, jobs, progress, keep_requests)
    return [row[0] for row in rows]


def judge_items_with(items: Sequence[RequestItem], engines: Sequence[Engine], as_of: dt.date,
                     jobs: int | None = None, progress: Progress | None = None,
                     keep_requests: bool = False) -> list[tuple[RequestResult, ...]]:
    """Judge every item with each engine (each loaded with its own policies).

    Each file is read and parsed once, however many engines judge it (`impact` compares
    two policy revisions this way). Returns one tuple per item, one result per engine.
    """
    # Chunks bound memory: only one chunk's parsed documents are alive at a time.
    chunks = [list(items[i:i + CHUNK_FILES]) for i in range(0, len(items), CHUNK_FILES)]
    jobs = jobs or os.cpu_count() or 1
    forkable = all(engine.forkable for engine in engines)
    if forkable and jobs > 1 and len(items) >= PARALLEL_MIN_FILES:
        rows = _judge_in_workers(chunks, (engines, as_of, keep_requests), jobs, len(items),
                                 progress)
    else:
        rows = []
        for chunk in chunks:
            rows.extend(_judge_rows(chunk, engines, as_of, keep_requests))
            if progress is not None:
                progress(len(rows), len(items))
    return rows


def _judge_rows(items: list[RequestItem], engines: Sequence[Engine], as_of: dt.date,
                keep_requests: bool) -> list[tuple[RequestResult, ...]]:
    loaded = [item.load() for item in items]
    per_engine = [judge(loaded, engine, as_of, keep_requests) for engine in engines]
    return list(zip(*per_engine, strict=True))


# Loading and judging thousands of files is CPU-bound in Python and in the engine, so
# large runs are split over forked worker processes. Each worker inherits the engines the
# parent already compiled (fork copies them), judges a chunk of files and sends back plain
# results; the parent only merges them in order. A worker that dies (a crash inside a
# native engine) breaks the pool, which becomes an EngineError: never a partial pass.
WorkerState = tuple[Sequence[Engine], dt.date, bool]  # engines, as_of, keep_requests
_WORKER: WorkerState | None = None


def _judge_chunk(items: list[RequestItem]) -> list[tuple[RequestResult, ...]]:
    assert _WORKER is not None
    return _judge_rows(items, *_WORKER)


def _judge_in_workers(chunks: list[list[RequestItem]], state: WorkerState, jobs: int,
                      total: int, progress: Progress | None
                      ) -> list[tuple[RequestResult, ...]]:
    global _WORKER
    _WORKER = state
    context = multiprocessing.get_context("fork")
    rows: list[tuple[RequestResult, ...]] = []
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for chunk_rows in pool.map(_judge_chunk, chunks):
                rows.extend(chunk_rows)
                if progress is not None:
                    progress(len(rows), total)
        return rows
    except BrokenProcessPool:
        raise EngineError(
            "a worker process evaluating the policies died unexpectedly; nothing was "
            "judged (run again with --jobs 1 to see which request causes it)"
        ) from None
    finally:
        _WORKER = None


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
    findings = sorted(
        (Finding(f.rule, f.level, f.message, f.fix, f.field, *item.position(f.field),
                 team=f.team, exception=f.exception, blocking=f.blocking)
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
        request=request if keep_request else None,
        facts=doc.facts,
        blob=item.blob,
        id_position=item.position("id"),
    )


def invalid_result(item: LoadedRequest) -> RequestResult:
    findings = sorted(
        (Finding(p.rule, "error", p.message, None, p.field, p.line, p.column, blocking=True)
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
