"""What `martechgov discover` found: the result every format renders and drafts read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from martechgov.discover.exports import BadRow
from martechgov.discover.known import KnownTool
from martechgov.discover.layout import Kind
from martechgov.request_model import Category
from martechgov.result import PolicyInfo


@dataclass(frozen=True)
class ShadowTool:
    """A tool in use without an approved request."""

    name: str
    vendor: str
    website: str | None
    category: Category
    request_id: str | None  # a denied or invalid request for it, when there is one
    request_decision: str | None
    request_file: str | None
    sources: tuple[str, ...]
    users: int
    top_users: tuple[str, ...]
    top_user: tuple[str | None, str] | None  # (name, email) of the most active user
    spend: dict[str, Decimal]
    spend_last_year: dict[str, Decimal]
    first_seen: dt.date
    last_seen: dt.date
    rows: int
    seen_as: tuple[str, ...]
    request_status: str | None = None  # that request's lifecycle status, in words
    catalogued: bool = False  # vendor, website and category come from the catalog


@dataclass(frozen=True)
class InUse:
    """An approved tool seen in the exports (for the reader to trust the matching)."""

    tool: KnownTool
    rows: int
    users: int
    seen_as: tuple[str, ...]


@dataclass(frozen=True)
class ExportSummary:
    file: str
    kind: Kind
    encoding: str
    rows: int
    skipped: int
    columns: dict[str, str]


@dataclass
class DiscoverResult:
    as_of: dt.date
    policy: PolicyInfo  # the policies that judged the requests
    exports: list[ExportSummary]
    approved_tools: int  # requests approved or in review (they do not fail)
    it_systems: int  # entries of IT's systems catalog
    shadow_tools: list[ShadowTool]
    in_use: list[InUse]
    bad_rows: list[BadRow]
    notes: list[str]

    @property
    def exit_code(self) -> int:
        return 1 if self.shadow_tools else 0
