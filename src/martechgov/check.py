"""`martechgov check`: load requests, ask the engine once per request, build the report.

The checker never prints and never exits; it returns a CheckReport (or raises a
MartechgovError, which the CLI turns into exit code 2).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from martechgov import isolation, sources
from martechgov.cache import DecisionCache, Entry, fix_key
from martechgov.engines import Engine, EngineSettings, make_engine
from martechgov.engines.base import subject_of
from martechgov.engines.isolated import IsolatedEngine
from martechgov.errors import EngineError, UsageError
from martechgov.fieldspec import Fields, request_model
from martechgov.identity import refuse_duplicates
from martechgov.inputdoc import input_document
from martechgov.judging import cached_locator, from_entry, judge, judge_known, located_result
from martechgov.loader import LoadedRequest, blob_id
from martechgov.policy import PolicySet
from martechgov.result import CheckReport, PolicyInfo, RequestResult
from martechgov.sources import RequestItem
from martechgov.yamlsafe import MAX_BYTES

__all__ = ["CheckOptions", "judge", "judge_items", "judge_items_with", "run_check"]

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
    settings = options.engine_settings
    if options.base is not None:  # the pull-request gate judges afresh, always
        settings = replace(settings, cache=False)
    engine = make_engine(options.engine, settings)
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
Known = tuple[Entry | None, ...]  # per engine: the cached answer for an item, if any
Row = tuple[tuple[RequestResult, ...], Known]  # per engine: the result, a new entry


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
    Local engines whose settings allow it answer from the decision cache (`cache`)
    what they answered before.
    """
    fieldsets = list(fields or [None] * len(engines))
    cached = _cache_scopes(engines, as_of)
    if cached is not None:
        return _judge_with_cache(items, engines, as_of, jobs, progress, keep_requests,
                                 fieldsets, *cached)
    known: list[Known] | None = None
    return [row for row, _ in _judge_all(list(items), known, (engines, as_of, keep_requests,
                                                              fieldsets),
                                         jobs, progress, (0, len(items)))]


def _judge_all(items: list[RequestItem], known: list[Known] | None, state: WorkerState,
               jobs: int | None, progress: Progress | None, count: tuple[int, int]
               ) -> list[Row]:
    """Judge `items` (in chunks: only one chunk's parsed documents are alive at a time);
    `count` is (already judged, total) for progress."""
    engines = state[0]
    chunks = [items[i:i + CHUNK_FILES] for i in range(0, len(items), CHUNK_FILES)]
    knowns = [known[i:i + CHUNK_FILES] if known is not None else None
              for i in range(0, len(items), CHUNK_FILES)]
    bounded = [engine for engine in engines if isinstance(engine, IsolatedEngine)]
    if bounded and len(bounded) == len(engines):
        jobs = jobs or os.cpu_count() or 1
        workers = jobs if len(items) >= PARALLEL_MIN_FILES else 1
        return _judge_in_workers(chunks, knowns, state, workers, count, progress,
                                 bounded[0].limits)
    rows: list[Row] = []
    for chunk, chunk_known in zip(chunks, knowns, strict=True):
        rows.extend(_judge_rows(chunk, chunk_known, *state))
        if progress is not None:
            progress(count[0] + len(rows), count[1])
    return rows


def _judge_rows(items: list[RequestItem], known: list[Known] | None,
                engines: Sequence[Engine], as_of: dt.date, keep_requests: bool,
                fieldsets: Sequence[Fields]) -> list[Row]:
    # Each file is read once per distinct set of declared fields (once, nearly always).
    loaded: dict[str, list[LoadedRequest]] = {}
    per_engine = []
    for index, (engine, fields) in enumerate(zip(engines, fieldsets, strict=True)):
        key = json.dumps(fields, sort_keys=True)
        if key not in loaded:
            model = request_model(fields)
            loaded[key] = []
            for item in items:
                isolation.begin(f"reading {item.display}")
                loaded[key].append(item.load(model))
        per_engine.append(judge_known(loaded[key], engine, as_of, keep_requests,
                                      None if known is None else [k[index] for k in known]))
    return [(tuple(r for r, _ in row), tuple(e for _, e in row))
            for row in zip(*per_engine, strict=True)]


# Local engines never evaluate in this process (see `isolation`): files are read, parsed
# and judged chunk by chunk in bounded worker processes, each of which compiles the
# policies once and keeps them; the parent only merges the results in order. A worker
# that crashes, runs out of time or memory on a request fails the run with exit 2,
# naming that request: never a partial pass.
# engines, as_of, keep_requests, each engine's IT-declared request fields
WorkerState = tuple[Sequence[Engine], dt.date, bool, Sequence[Fields]]
Task = tuple[list[RequestItem], list[Known] | None, WorkerState]


def _judge_chunk(task: Task) -> list[Row]:
    items, known, (engines, as_of, keep_requests, fieldsets) = task
    return _judge_rows(items, known, engines, as_of, keep_requests, fieldsets)


def _judge_in_workers(chunks: list[list[RequestItem]], knowns: list[list[Known] | None],
                      state: WorkerState, jobs: int, count: tuple[int, int],
                      progress: Progress | None, limits: isolation.Limits) -> list[Row]:
    judged = count[0]

    def done(chunk_rows: list[Row]) -> None:
        nonlocal judged
        judged += len(chunk_rows)
        if progress is not None:
            progress(judged, count[1])

    tasks: list[Task] = [(chunk, known, state) for chunk, known in zip(chunks, knowns, strict=True)]
    try:
        per_chunk = isolation.pool(limits).map(_judge_chunk, tasks, jobs,
                                               "judging the requests", done)
    except isolation.BoundsError as error:
        raise _diagnosed(error, chunks, state) from None
    return [row for rows in per_chunk for row in rows]


def _diagnosed(error: isolation.BoundsError, chunks: list[list[RequestItem]],
               state: WorkerState) -> isolation.BoundsError:
    """The error, naming the rule when the engine can find which one fails the request
    (each engine's requests read with its own declared fields)."""
    engines, as_of, _, fieldsets = state
    if error.task is None or not error.subject.startswith("request "):
        return error  # reading a file or compiling: no request to probe
    for engine, fields in zip(engines, fieldsets, strict=True):
        model = request_model(fields)
        for item in chunks[error.task]:
            loaded = item.load(model)
            if loaded.request is None or not isinstance(engine, IsolatedEngine):
                continue
            doc = input_document(loaded.request, as_of, loaded.file)
            if subject_of(doc) == error.subject:
                diagnosed = engine.diagnose(error, doc)
                if diagnosed is not error:
                    return diagnosed
    return error


# -- the decision cache ----------------------------------------------------------------


def _cache_scopes(engines: Sequence[Engine], as_of: dt.date
                  ) -> tuple[DecisionCache, list[str]] | None:
    """The cache and each engine's key scope, when every engine may use the cache."""
    policies = [e.policy for e in engines if isinstance(e, IsolatedEngine) and e.settings.cache]
    if not engines or len(policies) != len(engines):
        return None
    cache = DecisionCache.default()
    if cache is None:
        return None
    scopes = [cache.scope(engine.name, policy, as_of) if policy is not None else None
              for engine, policy in zip(engines, policies, strict=True)]
    if any(scope is None for scope in scopes):
        return None
    return cache, [scope for scope in scopes if scope is not None]


def _judge_with_cache(items: Sequence[RequestItem], engines: Sequence[Engine], as_of: dt.date,
                      jobs: int | None, progress: Progress | None, keep_requests: bool,
                      fieldsets: Sequence[Fields], cache: DecisionCache, scopes: list[str]
                      ) -> list[tuple[RequestResult, ...]]:
    """Answer from the cache what it holds and judge the rest, storing their answers.

    Every file is read here, once: the bytes that are hashed into the key are the bytes
    judged. A run that keeps the requests (reports) still parses every file, but asks
    the engine only about those the cache has no answer for.
    """
    read = [item.read() for item in items]
    blobs = [_blob(item) for item in read]
    keys = [[cache.key(scope, item.display, blob) for scope in scopes]
            if blob is not None else None for item, blob in zip(read, blobs, strict=True)]
    found = cache.get(key for row in keys if row is not None for key in row)
    rows: list[tuple[RequestResult, ...] | None] = [None] * len(read)
    todo: list[int] = []
    known: list[Known] = []
    for index, (item, row_keys) in enumerate(zip(read, keys, strict=True)):
        entries = tuple(found.get(key) for key in row_keys) if row_keys else ()
        if entries and not keep_requests and all(entries):
            rows[index] = _cached_row(item.display, blobs[index], entries)  # type: ignore[arg-type]
        if rows[index] is None:
            todo.append(index)
            known.append(entries or (None,) * len(engines))
    if progress is not None and len(todo) < len(read):
        progress(len(read) - len(todo), len(read))
    judged = _judge_all([read[i] for i in todo], known,
                        (engines, as_of, keep_requests, fieldsets), jobs, progress,
                        (len(read) - len(todo), len(read)))
    fresh: dict[str, Entry] = {}
    for index, (results, entries) in zip(todo, judged, strict=True):
        rows[index] = results
        row_keys = keys[index]
        for key, entry in zip(row_keys or (), entries, strict=False):
            if entry is not None:
                fresh[key] = entry
    cache.put(fresh)
    missing = [read[i].display for i, row in enumerate(rows) if row is None]
    if missing:  # never a request quietly left out of the report
        raise EngineError(f"no answer for {', '.join(missing)}; nothing was judged")
    return [row for row in rows if row is not None]


def _blob(item: RequestItem) -> str | None:
    content = item.content
    return blob_id(content) if content is not None and len(content) <= MAX_BYTES else None


def _cached_row(file: str, blob: str | None, entries: Sequence[Entry]
                ) -> tuple[RequestResult, ...] | None:
    """The results the cache holds for a file, or None when an entry is not a valid
    answer (then the engine judges it again)."""
    row = []
    for entry in entries:
        doc = from_entry(entry)
        if doc is None or any(f.field not in entry.positions
                              or fix_key(f.field, f.fix) not in entry.fixes
                              for f in doc.findings):
            return None
        row.append(located_result(file, entry.id, entry.name, doc, cached_locator(entry),
                                  entry.positions["id"], blob, None))
    return tuple(row)
