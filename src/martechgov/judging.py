"""Judging loaded requests: one decision per valid file, validated, each finding placed
at its file:line:col; an invalid file's problems as its result.

`check` decides what to judge and where (worker processes, the decision cache); this
module turns loaded files and the engine's raw decisions into RequestResults.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError

from martechgov.cache import Entry, fix_key
from martechgov.engines import Engine
from martechgov.engines.base import MAX_FINDINGS
from martechgov.errors import EngineError
from martechgov.inputdoc import input_document
from martechgov.loader import LoadedRequest, Located
from martechgov.policy import ENTRYPOINT
from martechgov.request_model import ToolRequest
from martechgov.result import DecisionDoc, Finding, FindingDoc, RequestResult


def from_entry(entry: Entry) -> DecisionDoc | None:
    """The cached decision, validated as a fresh one is; None when it is not valid."""
    try:
        doc = DecisionDoc.model_validate_json(entry.decision)
    except ValidationError:
        return None
    return doc if len(doc.findings) <= MAX_FINDINGS else None


def new_entry(item: LoadedRequest, raw: Any, doc: DecisionDoc) -> Entry:
    assert item.request is not None
    fields = ["id", *(f.field for f in doc.findings)]
    fixes = {}
    for f in doc.findings:
        at = item.locate(f.field, f.fix)
        fixes[fix_key(f.field, f.fix)] = (at.fix, at.fix_yaml)
    return Entry(json.dumps(raw), item.request.id, item.request.tool.name,
                 {field: item.position(field) for field in fields}, fixes)


def cached_locator(entry: Entry) -> Callable[[str, str], Located]:
    """Where each of a cached decision's findings points, as the entry stored it (the
    caller checked that the entry holds every finding's place)."""
    def locate(field_path: str, fix: str) -> Located:
        shown, paste = entry.fixes[fix_key(field_path, fix)]
        return Located(*entry.positions[field_path], shown, paste)
    return locate


def judge(loaded: Sequence[LoadedRequest], engine: Engine, as_of: dt.date,
          keep_requests: bool = True) -> list[RequestResult]:
    """One RequestResult per loaded file, in the same order."""
    return [result for result, _ in judge_known(loaded, engine, as_of, keep_requests, None)]


def judge_known(loaded: Sequence[LoadedRequest], engine: Engine, as_of: dt.date,
           keep_requests: bool, known: Sequence[Entry | None] | None
           ) -> list[tuple[RequestResult, Entry | None]]:
    """Each file's result, and (when `known` is given: the cache is in use) the entry
    to store for each answer the engine gave. A known answer is used when it is valid."""
    decisions: dict[int, DecisionDoc] = {}
    for index, item in enumerate(loaded):
        entry = known[index] if known is not None else None
        if entry is not None and item.valid:
            doc = from_entry(entry)
            if doc is not None:
                decisions[index] = doc
    todo = [i for i, item in enumerate(loaded) if item.valid and i not in decisions]
    inputs = [input_document(loaded[i].request, as_of, loaded[i].file)  # type: ignore[arg-type]
              for i in todo]
    raw = engine.evaluate(inputs) if inputs else []
    if len(raw) != len(todo):
        raise EngineError(f"the engine returned {len(raw)} decisions for {len(todo)} requests")
    fresh: dict[int, Entry] = {}
    for index, value in zip(todo, raw, strict=True):
        decisions[index] = validated(loaded[index].file, value)
        if known is not None:
            fresh[index] = new_entry(loaded[index], value, decisions[index])
    return [
        (_judged_result(item, decisions[index], keep_requests) if index in decisions
         else invalid_result(item), fresh.get(index))
        for index, item in enumerate(loaded)
    ]


def validated(file: str, raw: object) -> DecisionDoc:
    findings = raw.get("findings") if isinstance(raw, dict) else None
    if isinstance(findings, list) and len(findings) > MAX_FINDINGS:
        raise EngineError(
            f"{file}: {ENTRYPOINT} returned {len(findings):,} findings, more than the "
            f"{MAX_FINDINGS:,} one decision may have (a runaway rule?); nothing was judged")
    try:
        return DecisionDoc.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "the result"
        raise EngineError(
            f"{file}: {ENTRYPOINT} returned a malformed decision ({where}: "
            f"{first['msg']}); nothing is approved without a well-formed decision"
        ) from None


def _judged_result(item: LoadedRequest, doc: DecisionDoc, keep_request: bool) -> RequestResult:
    request = item.request
    assert request is not None
    return located_result(item.file, request.id, request.tool.name, doc, item.locate,
                          item.position("id"), item.blob, request if keep_request else None)


def located_result(file: str, request_id: str, name: str, doc: DecisionDoc,
                   locate: Callable[[str, str], Located], id_position: tuple[int, int],
                   blob: str | None, request: ToolRequest | None) -> RequestResult:
    """The result, each policy finding at its field's line with its fix completed where
    the file can say more (the YAML to paste for an absent field, the nearest allowed
    value)."""
    findings = sorted((_located(f, locate(f.field, f.fix)) for f in doc.findings),
                      key=lambda f: f.sort_key)
    return RequestResult(
        file=file,
        id=request_id,
        decision=doc.decision,
        reviewers=tuple(doc.reviewers),
        findings=tuple(findings),
        name=name,
        request=request,
        facts=doc.facts,
        blob=blob,
        id_position=id_position,
    )


def _located(f: FindingDoc, at: Located) -> Finding:
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
