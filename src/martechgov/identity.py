"""One id, one request: a file may not claim an id another request holds.

Exceptions, sign-offs, re-reviews and the inventory all follow a request's id, so a
second file claiming `hubspot-marketing-hub` would be judged with the first one's
exceptions. The newcomer is `invalid`, naming the other file, and is not judged.

Who is the newcomer (fail closed):
- with --base: a judged file whose id the base branch holds in another file, and
  every judged file whose id another judged file claims too (within one change
  nothing says which came first, so all of them);
- without --base: every file whose id another file claims. No history says which
  came first, and "the first in sorted order" is something a file name can choose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from martechgov.result import Facts, Finding, RequestResult

RULE = "request.duplicate_id"


def refuse_duplicates(results: list[RequestResult],
                      elsewhere: Mapping[str, list[str]]) -> list[RequestResult]:
    """`results` with every newcomer replaced by an invalid result naming the files that
    hold its id (`elsewhere`: id -> files outside the judged set, on the base branch)."""
    claims: dict[str, list[str]] = {}
    for result in results:
        if result.id is not None:
            claims.setdefault(result.id, []).append(result.file)
    refused = []
    for result in results:
        if result.id is None:
            refused.append(result)
            continue
        judged = sorted({f for f in claims[result.id] if f != result.file})
        based = sorted({f for f in elsewhere.get(result.id, []) if f != result.file})
        refused.append(_duplicate(result, judged, based) if judged or based else result)
    return refused


def _duplicate(result: RequestResult, judged: list[str], based: list[str]) -> RequestResult:
    holders = [f"`{f}` (on the base branch)" for f in based] + [f"`{f}`" for f in judged]
    other = (based + judged)[0]
    message = (
        f"the id `{result.id}` is already used by {_join(holders)}: each tool has one "
        "request, and its exceptions and sign-offs follow its id, so this file was not "
        "judged"
    )
    fix = (f"to change that tool, edit `{other}` instead; for a different tool, give this "
           "request an id no other request uses and name the file after it")
    finding = Finding(RULE, "error", message, fix, "id", *result.id_position, blocking=True)
    # Its own problems still help; policy findings do not (they may carry the other
    # request's exceptions), and a file-name fix would propose the other's name.
    kept = [f for f in result.findings if f.level == "error" and f.rule != "request.file_name"]
    return dataclasses.replace(
        result, decision="invalid", reviewers=(), facts=Facts(),
        findings=tuple(sorted([finding, *kept], key=lambda f: f.sort_key)),
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
