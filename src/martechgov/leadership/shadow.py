"""Shadow-IT results for the leadership reports: `martechgov discover --format json`, read back.

The report and the inventory take discovery's JSON document (`--discover FILE`) rather
than re-running discovery: exports hold people's names and card spend and often live
elsewhere, and the document is what IT already publishes. It is validated here like any
file from outside (size, types, lengths); its text is untrusted and every renderer
escapes it. Two things come out of it: the tools in use without an approved request,
and the request ids seen in use, which make an approved request `in use`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from martechgov.errors import UsageError
from martechgov.userfiles import first_reason, read_limited

MAX_BYTES = 64 * 1024 * 1024
Text = Annotated[str, Field(max_length=500)]
Amounts = dict[Annotated[str, Field(pattern=r"^[A-Z]{3}$")], Annotated[float, Field(ge=-1e15,
                                                                                    le=1e15)]]


class _Doc(BaseModel):
    # Discovery's document may grow fields: unknown ones are ignored, known ones checked.
    model_config = ConfigDict(extra="ignore")


class _RequestRef(_Doc):
    id: Text
    decision: Text
    status: Text | None = None


class _Users(_Doc):
    count: Annotated[int, Field(ge=0)]
    top: list[Text] = []


class _Finding(_Doc):
    tool: Text
    vendor: Text | None = None
    category: Text
    request: _RequestRef | None = None
    sources: list[Text] = []
    users: _Users
    spend: Amounts = {}
    spend_last_12_months: Amounts = {}
    first_seen: dt.date
    last_seen: dt.date


class _InUse(_Doc):
    id: Text
    tool: Text
    decision: Text
    users: Annotated[int, Field(ge=0)] = 0


class _DiscoverDoc(_Doc):
    version: int
    as_of: dt.date
    findings: list[_Finding]
    approved_in_use: list[_InUse] = []


@dataclass(frozen=True)
class ShadowTool:
    """A tool seen in use without an approved request."""

    name: str
    vendor: str | None
    category: str
    request_id: str | None  # its denied or invalid request, when there is one
    request_decision: str | None
    users: int
    top_users: tuple[str, ...]
    spend_last_year: dict[str, Decimal]
    first_seen: dt.date
    last_seen: dt.date
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ShadowReport:
    file: str  # the file name (the report is published: no local paths)
    as_of: dt.date
    tools: list[ShadowTool]
    seen_in_use: frozenset[str]  # request ids discovery saw in use (approved or not)


def read_shadow_report(path: Path) -> ShadowReport:
    """Read `martechgov discover --format json` output; UsageError when it is not one."""
    raw = read_limited(path, MAX_BYTES, "the discovery results")
    try:
        document = _DiscoverDoc.model_validate(json.loads(raw))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise UsageError(f"{path}: not the output of `martechgov discover --format json`: "
                         f"{first_reason(exc)}") from None
    if document.version != 1:
        raise UsageError(f"{path}: discovery document version {document.version} is not "
                         "supported (expected 1)")
    tools = [_shadow_tool(finding) for finding in document.findings]
    seen = {use.id for use in document.approved_in_use}
    seen |= {f.request.id for f in document.findings if f.request is not None}
    return ShadowReport(path.name, document.as_of, tools, frozenset(seen))


def _shadow_tool(finding: _Finding) -> ShadowTool:
    request = finding.request
    return ShadowTool(
        name=finding.tool, vendor=finding.vendor, category=finding.category,
        request_id=request.id if request else None,
        request_decision=request.decision if request else None,
        users=finding.users.count, top_users=tuple(finding.users.top),
        spend_last_year={currency: Decimal(str(amount)) for currency, amount
                         in sorted(finding.spend_last_12_months.items())},
        first_seen=finding.first_seen, last_seen=finding.last_seen,
        sources=tuple(finding.sources),
    )
