"""Where each request is in its life: proposed, approved, in use or retired.

The status is derived from facts, never typed in by hand (DOMAIN.md, "Lifecycle"):

- retired: `retired_on` is set and has come (a request deleted on the default branch is
  retired too; the leadership reports read that from git history);
- approved: the policies' decision is approve, or it is review and the review is signed
  off (the sign-off file, below);
- in use: approved, and seen in use (a discovery export listed it) or past its start
  (`needed_by`);
- proposed: anything else: in review without a sign-off, denied, or not a valid request.

The decision itself is the Rego decision (`RequestResult.decision`), never re-derived;
this module only combines it with the facts around it.

Sign-offs come from outside martechgov's judging (GitHub pull-request reviews matched to
IT's teams), as either JSON document:

- `{"version": 1, "signed_off": [{"request": "<id>", "blob": "<git blob id>"}]}`;
- the output of `martechgov signoff --format json` (the check document with a `signoff`
  part): a request whose `signed_off` is true, with the `blob` its check result names.

`blob`, when given, is the git blob id of the request file that was reviewed: the
sign-off covers that content only, so a request edited after its review is proposed
again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from martechgov.errors import UsageError
from martechgov.request_values import Slug
from martechgov.result import RequestResult
from martechgov.userfiles import first_reason, read_limited

Status = Literal["in-use", "approved", "proposed", "retired"]
STATUSES: tuple[Status, ...] = ("in-use", "approved", "proposed", "retired")
STATUS_WORDS: dict[Status, str] = {"in-use": "in use", "approved": "approved",
                                   "proposed": "proposed", "retired": "retired"}
MAX_SIGNOFF_BYTES = 16 * 1024 * 1024


class SignOff(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    request: Slug
    blob: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")] | None = None


class SignOffFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    version: Literal[1]
    signed_off: list[SignOff]


class _Reviewed(BaseModel):
    """A request in `martechgov signoff --format json` (only what the lifecycle reads)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    file: Annotated[str, Field(max_length=4096)]
    id: Slug | None = None
    signed_off: bool = False


class _Judged(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    file: Annotated[str, Field(max_length=4096)]
    blob: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")] | None = None


class _SignoffPart(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    requests: list[_Reviewed]


class SignoffCommandOutput(BaseModel):
    """`martechgov signoff --format json`: the check document plus its `signoff` part."""

    model_config = ConfigDict(extra="ignore", strict=True)

    results: list[_Judged]
    signoff: _SignoffPart

    def signed(self) -> list[SignOff]:
        blobs = {result.file: result.blob for result in self.results}
        return [SignOff(request=entry.id, blob=blobs.get(entry.file))
                for entry in self.signoff.requests if entry.signed_off and entry.id]


@dataclass(frozen=True)
class Evidence:
    """Facts from outside the requests: sign-offs and what discovery saw in use."""

    signed_off: dict[str, frozenset[str | None]] = field(default_factory=dict)
    seen_in_use: frozenset[str] = frozenset()

    def signed(self, result: RequestResult) -> bool:
        """The review of this request (this very file content, when a blob is named)."""
        blobs = self.signed_off.get(result.id or "")
        if not blobs:
            return False
        if None in blobs:
            return True
        # The blob of the very bytes that were judged (never the file read again)
        return result.blob is not None and result.blob in blobs


def read_signoffs(path: Path) -> dict[str, frozenset[str | None]]:
    """Request id -> the blob ids signed off (None: any content) from a sign-off file."""
    raw = read_limited(path, MAX_SIGNOFF_BYTES, "the sign-offs")
    try:
        loaded = json.loads(raw)
        entries = (SignoffCommandOutput.model_validate(loaded).signed()
                   if isinstance(loaded, dict) and "signoff" in loaded
                   else SignOffFile.model_validate(loaded).signed_off)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise UsageError(f"{path}: not a sign-off file: {first_reason(exc)}") from None
    found: dict[str, set[str | None]] = {}
    for entry in entries:
        found.setdefault(entry.request, set()).add(entry.blob)
    return {request: frozenset(blobs) for request, blobs in found.items()}


def approved(result: RequestResult, evidence: Evidence) -> bool:
    """Approved: the policies approve, or it is in review and the review is signed off."""
    if result.decision == "approve":
        return True
    return result.decision == "review" and evidence.signed(result)


def request_status(result: RequestResult, as_of: dt.date, evidence: Evidence) -> Status:
    """The lifecycle status of a judged request on `as_of`."""
    request = result.request if result.decision != "invalid" else None
    if request is not None and request.retired_on is not None and request.retired_on <= as_of:
        return "retired"
    if not approved(result, evidence):
        return "proposed"
    seen = result.id is not None and result.id in evidence.seen_in_use
    started = request is not None and request.needed_by is not None \
        and request.needed_by <= as_of
    return "in-use" if seen or started else "approved"
