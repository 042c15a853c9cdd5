"""The inventory: every request with its decision, status, owners, cost and upcoming dates.

Dates come from the requests and their decisions: the renewal date, the "cancel by"
date (renewal minus the contract's notice days) and when the security attestation
lapses (the last day the policies count the SOC 2 Type II report, which the decision
states in its `facts`, or the ISO 27001 expiry).
`--due` keeps only the requests with such a date inside a window from the as-of date.
Money is kept per currency: amounts in different currencies are never added up
(`spend`). Each row carries its lifecycle status (`martechgov.lifecycle`), what it
replaces and what replaces it, and its risk facts (`risk`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from martechgov.errors import UsageError
from martechgov.leadership.history import DeletedRequest
from martechgov.leadership.portfolio import Portfolio
from martechgov.leadership.records import (
    EVENT_WORDS,
    Event,
    EventKind,
    Group,
    InventoryRow,
    Money,
)
from martechgov.leadership.risk import PortfolioRisk, portfolio_risk, tool_risk
from martechgov.leadership.spend import Spend, build_spend, rates_from
from martechgov.lifecycle import STATUS_WORDS, STATUSES, Status
from martechgov.money import money_text
from martechgov.request_model import Cost, Security, ToolRequest
from martechgov.result import DECISIONS, PolicyInfo, RequestResult

__all__ = ["EVENT_WORDS", "Event", "EventKind", "Group", "InventoryRow", "Money"]

UNKNOWN_CATEGORY = "unknown"  # the category of an invalid file: its content is not trusted
_WINDOW = re.compile(r"^\s*(\d{1,6})\s*([dw])\s*$", re.IGNORECASE)
_WINDOW_UNIT_DAYS = {"d": 1, "w": 7}


@dataclass(frozen=True)
class Totals:
    all: Group
    by_decision: dict[str, Group]  # every decision, in DECISIONS order
    by_category: dict[str, Group]  # categories present, alphabetical
    by_status: dict[Status, Group]  # every status, in STATUSES order


@dataclass(frozen=True)
class Inventory:
    as_of: dt.date
    engine: str
    policy: PolicyInfo
    rows: list[InventoryRow]
    totals: Totals
    window_days: int | None = None  # set by --due
    spend: Spend | None = None  # the money split (of every row, whatever the window)
    risk: PortfolioRisk | None = None


def parse_window(text: str) -> int:
    """`60d` -> 60, `8w` -> 56 (days); anything else is a UsageError."""
    match = _WINDOW.match(text)
    if match is None:
        raise UsageError(f"{text!r} is not a time window; use a number of days or weeks "
                         "such as 30d, 90d or 8w")
    return int(match.group(1)) * _WINDOW_UNIT_DAYS[match.group(2).lower()]


def build_inventory(portfolio: Portfolio, window_days: int | None = None) -> Inventory:
    """The inventory of every judged request (and every deleted one, retired).

    With a window, only what is due in it; the money split and the risk roll-up always
    cover the whole portfolio.
    """
    report = portfolio.report
    rows = [inventory_row(result, portfolio) for result in report.results]
    rows += [deleted_row(deleted) for deleted in portfolio.deleted]
    rows = link_replacements(rows)
    spend = build_spend(rows, rates_from(portfolio.policy.config))
    risk = portfolio_risk(rows, report.as_of)
    if window_days is not None:
        rows = due_rows(rows, report.as_of, window_days)
    return Inventory(report.as_of, report.engine, report.policy, rows, totals(rows),
                     window_days, spend, risk)


def inventory_row(result: RequestResult, portfolio: Portfolio) -> InventoryRow:
    as_of = portfolio.report.as_of
    status = portfolio.status(result)
    seen = result.id is not None and result.id in portfolio.evidence.seen_in_use
    request = result.request
    if request is None or result.decision == "invalid":
        # The file is the only name to trust: its content did not validate.
        return InventoryRow(result.file, result.id, result.file, result.decision, status,
                            fails=result.fails,
                            risk=tool_risk(result, status, None, False, as_of, seen))
    lapses = attestation_lapses(result.facts.soc2_valid_until, request.security)
    lapse, lapsed = next_lapse(lapses, as_of)
    retired = request.retired_on if status == "retired" else None
    return InventoryRow(
        file=result.file, id=result.id, tool=request.tool.name, decision=result.decision,
        status=status, fails=result.fails,
        vendor=request.tool.vendor, category=request.tool.category,
        team=request.requester.team,
        business_owner=request.owners.business, technical_owner=request.owners.technical,
        personal_data=request.data.personal_data,
        subject_regions=tuple(request.data.subject_regions),
        storage_regions=tuple(request.data.storage_regions), reviewers=result.reviewers,
        cost=_money(request.cost), renewal=_renewal(request),
        cancel_by=cancel_by(request.cost), lapse=lapse, lapsed=lapsed,
        replaces=tuple(request.replaces), retired_on=retired,
        retired_how="retired_on in the request" if retired else None,
        risk=tool_risk(result, status, lapse, lapsed, as_of, seen),
    )


def deleted_row(deleted: DeletedRequest) -> InventoryRow:
    """A request the default branch deleted: retired, as its last version described it."""
    how = f"deleted in {deleted.commit[:7]}"
    request = deleted.request
    if request is None:
        return InventoryRow(deleted.file, None, deleted.file, None, "retired",
                            retired_on=deleted.retired_on, retired_how=how)
    return InventoryRow(
        file=deleted.file, id=request.id, tool=request.tool.name, decision=None,
        status="retired", vendor=request.tool.vendor, category=request.tool.category,
        team=request.requester.team, business_owner=request.owners.business,
        technical_owner=request.owners.technical,
        personal_data=request.data.personal_data, cost=_money(request.cost),
        replaces=tuple(request.replaces), retired_on=deleted.retired_on, retired_how=how,
    )


def link_replacements(rows: Sequence[InventoryRow]) -> list[InventoryRow]:
    """Each row with the ids of the current requests that replace it (`replaces`)."""
    replaced_by: dict[str, list[str]] = {}
    for row in rows:
        if row.id is None or row.status == "retired":
            continue
        for target in row.replaces:
            replaced_by.setdefault(target, []).append(row.id)
    return [dataclasses.replace(row, replaced_by=tuple(sorted(replaced_by[row.id])))
            if row.id in replaced_by else row for row in rows]


def _money(cost: Cost | None) -> Money | None:
    if cost is None:
        return None
    # Decimal from the text form: 0.1 + 0.2 must total 0.3, not 0.30000000000000004.
    return Money(Decimal(str(cost.annual)), cost.currency)


def _renewal(request: ToolRequest) -> dt.date | None:
    return request.cost.renewal_date if request.cost is not None else None


def cancel_by(cost: Cost | None) -> dt.date | None:
    """The last day to give notice: renewal date minus notice days.

    None when either is unknown, or when the contract does not renew by itself
    (`auto_renew: false`): then there is nothing to cancel.
    """
    if cost is None or cost.renewal_date is None or cost.notice_days is None:
        return None
    if cost.auto_renew is False:
        return None
    return cost.renewal_date - dt.timedelta(days=cost.notice_days)


def attestation_lapses(soc2_valid_until: dt.date | None,
                       security: Security | None) -> list[Event]:
    """The last day each attestation counts as current.

    For SOC 2 that is the day the policies computed (`facts.soc2_valid_until`: the
    period end plus their `soc2_valid_months`); the ISO 27001 certificate states its own.
    """
    events = []
    if soc2_valid_until is not None:
        events.append(Event("soc2-lapse", soc2_valid_until))
    if security is not None and security.iso27001_expires is not None:
        events.append(Event("iso27001-lapse", security.iso27001_expires))
    return events


def next_lapse(events: Sequence[Event], as_of: dt.date) -> tuple[Event | None, bool]:
    """The earliest upcoming lapse; else the latest past one, flagged as lapsed."""
    upcoming = [e for e in events if e.date >= as_of]
    if upcoming:
        return min(upcoming, key=_event_key), False
    if events:
        return max(events, key=_event_key), True
    return None, False


def _event_key(event: Event) -> tuple[dt.date, str]:
    return (event.date, event.kind)


def row_events(row: InventoryRow) -> list[Event]:
    """Every dated event of a row: renewal, cancel by and the shown lapse."""
    events = []
    if row.renewal is not None:
        events.append(Event("renewal", row.renewal))
    if row.cancel_by is not None:
        events.append(Event("cancel-by", row.cancel_by))
    if row.lapse is not None:
        events.append(row.lapse)
    return events


def due_rows(rows: Iterable[InventoryRow], as_of: dt.date,
             window_days: int) -> list[InventoryRow]:
    """Rows with an event inside [as_of, as_of + window], soonest first.

    Invalid files stay in the list, last: their dates cannot be read, so nobody can
    say they are not due.
    """
    end = due_window_end(as_of, window_days)
    due: list[InventoryRow] = []
    invalid: list[InventoryRow] = []
    for row in rows:
        if row.status == "retired":
            continue  # nothing of a retired tool is due any more
        if row.decision == "invalid":
            invalid.append(row)
            continue
        events = sorted((e for e in row_events(row) if as_of <= e.date <= end),
                        key=_event_key)
        if events:
            due.append(dataclasses.replace(row, due=tuple(events)))
    due.sort(key=lambda r: (r.due[0].date, r.tool.casefold(), r.file))
    return due + invalid


def due_window_end(as_of: dt.date, window_days: int) -> dt.date:
    try:
        return as_of + dt.timedelta(days=window_days)
    except OverflowError:  # a window past the year 9999 covers everything
        return dt.date.max


def totals(rows: Sequence[InventoryRow]) -> Totals:
    everything = Group()
    by_decision: dict[str, Group] = {decision: Group() for decision in DECISIONS}
    by_category: dict[str, Group] = {}
    by_status: dict[Status, Group] = {status: Group() for status in STATUSES}
    for row in rows:
        everything.add(row)
        if row.decision is not None:
            by_decision[row.decision].add(row)
        by_category.setdefault(row.category or UNKNOWN_CATEGORY, Group()).add(row)
        by_status[row.status].add(row)
    return Totals(everything, by_decision, dict(sorted(by_category.items())), by_status)


def cost_text(row: InventoryRow) -> str:
    """`12,000 USD`, or nothing when the request states no cost."""
    return money_text(row.cost.amount, row.cost.currency) if row.cost else ""


def lapse_text(row: InventoryRow) -> str:
    """`2027-03-31 SOC 2`, or `lapsed 2026-03-31 SOC 2`."""
    if row.lapse is None:
        return ""
    kind = "SOC 2" if row.lapse.kind == "soc2-lapse" else "ISO 27001"
    prefix = "lapsed " if row.lapsed else ""
    return f"{prefix}{row.lapse.date.isoformat()} {kind}"


def due_text(row: InventoryRow) -> str:
    """`2026-12-02 cancel by, 2027-01-31 renews` (an invalid file: dates unknown)."""
    if row.decision == "invalid":
        return "dates unknown (invalid file)"
    return ", ".join(f"{e.date.isoformat()} {e.words}" for e in row.due)


def summary_counts(inventory: Inventory) -> str:
    """`13 requests: 5 approve, 3 review, 5 deny, 0 invalid`."""
    groups = inventory.totals.by_decision
    total = sum(group.count for group in groups.values())
    noun = "request" if total == 1 else "requests"
    return f"{total} {noun}: " + ", ".join(f"{groups[d].count} {d}" for d in DECISIONS)


def status_counts(inventory: Inventory) -> str:
    """`5 in use, 2 approved, 4 proposed, 1 retired` (statuses present)."""
    groups = inventory.totals.by_status
    return ", ".join(f"{groups[s].count} {STATUS_WORDS[s]}" for s in STATUSES
                     if groups[s].count)


def status_text(row: InventoryRow) -> str:
    """`in use`, `proposed`, `retired 2026-10-01`: the status as people read it."""
    words = STATUS_WORDS[row.status]
    return f"{words} {row.retired_on.isoformat()}" if row.retired_on else words


def decision_text(row: InventoryRow) -> str:
    return row.decision or "deleted"
