"""The golden record's rows: one per request, with its decision, status, owners, money,
dates and risk, as the inventory, the money split, the risk roll-up and the report read
them. Built in `inventory`; nothing here decides anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from martechgov.lifecycle import Status
from martechgov.result import Decision

EventKind = Literal["renewal", "cancel-by", "soc2-lapse", "iso27001-lapse"]
EVENT_WORDS: dict[EventKind, str] = {
    "renewal": "renews",
    "cancel-by": "cancel by",
    "soc2-lapse": "SOC 2 lapses",
    "iso27001-lapse": "ISO 27001 expires",
}
# Where a request's annual cost counts: the stack (in use, approved), the pipeline
# (proposed), what was turned down (denied or invalid), or what is gone (retired).
Bucket = Literal["in-use", "approved", "proposed", "denied", "retired"]
BUCKETS: tuple[Bucket, ...] = ("in-use", "approved", "proposed", "denied", "retired")
BUCKET_WORDS: dict[Bucket, str] = {
    "in-use": "in use", "approved": "approved, not yet in use",
    "proposed": "proposed (in review)", "denied": "denied or invalid",
    "retired": "retired",
}
STACK: tuple[Bucket, ...] = ("in-use", "approved")  # what the stack costs


@dataclass(frozen=True)
class Event:
    kind: EventKind
    date: dt.date

    @property
    def words(self) -> str:
        return EVENT_WORDS[self.kind]


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class ExceptionNote:
    """An exception IT granted for one of the request's findings."""

    rule: str
    status: str  # active or expired
    expires: str
    approved_by: str


@dataclass(frozen=True)
class ToolRisk:
    """What makes a tool risky, as facts: the policies' findings and the request's data."""

    findings: dict[str, int]  # counted findings per level (deny, review, warn, error)
    sensitive: tuple[str, ...]  # special data categories it holds (health, children...)
    open_reviews: tuple[str, ...]  # teams whose sign-off is still missing
    exceptions: tuple[ExceptionNote, ...]
    reasons: tuple[str, ...]  # the above in plain words, most serious first


@dataclass(frozen=True)
class InventoryRow:
    file: str
    id: str | None
    tool: str  # the tool's name; for an invalid file, the file
    decision: Decision | None  # None: deleted on the default branch, no longer judged
    status: Status = "proposed"
    fails: bool = False  # the request's RequestResult.fails (denied or invalid)
    vendor: str | None = None
    category: str | None = None
    team: str | None = None  # requester.team
    business_owner: str | None = None
    technical_owner: str | None = None
    personal_data: str | None = None
    subject_regions: tuple[str, ...] = ()
    storage_regions: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    cost: Money | None = None
    renewal: dt.date | None = None
    cancel_by: dt.date | None = None
    # The earliest attestation lapse on or after the as-of date; when every attestation
    # has already lapsed, the latest of them (with `lapsed` set).
    lapse: Event | None = None
    lapsed: bool = False
    due: tuple[Event, ...] = ()  # events inside the --due window, soonest first
    replaces: tuple[str, ...] = ()  # request ids this tool replaces
    replaced_by: tuple[str, ...] = ()  # request ids that replace it
    retired_on: dt.date | None = None
    retired_how: str | None = None  # "retired_on in the request", or "deleted in <commit>"
    risk: ToolRisk | None = None

    @property
    def bucket(self) -> Bucket:
        if self.status == "retired":
            return "retired"
        if self.fails:
            return "denied"
        return self.status


@dataclass
class Group:
    """How many requests and what they cost per year, per currency."""

    count: int = 0
    annual: dict[str, Decimal] = field(default_factory=dict)

    def add(self, row: InventoryRow) -> None:
        self.count += 1
        if row.cost is not None:
            self.annual[row.cost.currency] = (
                self.annual.get(row.cost.currency, Decimal(0)) + row.cost.amount)
