"""The risk roll-up: what makes each tool risky, and the portfolio's top risks.

Facts only, from the policies' own answer (the findings and their levels, the review
teams, the exceptions and when they end, the SOC 2 date the policies computed) and
from the request (the data it holds and where). Nothing here decides: "top risks" is
an ordering for reading, with its reasons spelled out, most serious first: a broken
rule, a lapsed attestation or expired exception, a missing sign-off, an exception that
ends soon, then the sensitivity of the data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from martechgov.leadership.records import Event, ExceptionNote, InventoryRow, ToolRisk
from martechgov.lifecycle import Status
from martechgov.rendering import counted
from martechgov.request_model import ToolRequest
from martechgov.result import RequestResult

TOP_RISKS = 10
SOON_DAYS = 90  # an exception ending within this many days is worth knowing about
SENSITIVE_CATEGORIES = ("health", "biometric", "children", "financial", "location")
LEVELS = ("error", "deny", "review", "warn")
_DATA_RANK = {"special-category": 3, "personal": 2, "pseudonymous": 1, "none": 0}
_LAPSE_WORDS = {"soc2-lapse": "SOC 2 report", "iso27001-lapse": "ISO 27001 certificate"}


def tool_risk(result: RequestResult, status: Status, lapse: Event | None, lapsed: bool,
              as_of: dt.date, seen_in_use: bool) -> ToolRisk:
    """The risk facts of one judged request."""
    per_level: Counter[str] = Counter(f.level for f in result.findings if f.counts)
    exceptions = tuple(ExceptionNote(f.rule, f.exception.status, f.exception.expires,
                                     f.exception.approved_by)
                       for f in result.findings if f.exception is not None)
    request = result.request if result.decision != "invalid" else None
    sensitive = tuple(c for c in SENSITIVE_CATEGORIES
                      if request is not None and c in request.data.categories)
    # The teams named by the policies, still open while the request is not approved.
    open_reviews = result.reviewers if result.decision == "review" and \
        status == "proposed" else ()
    risk = ToolRisk({level: per_level[level] for level in LEVELS if per_level[level]},
                    sensitive, tuple(open_reviews), exceptions, ())
    reasons = _reasons(result, risk, request, lapse, lapsed, as_of, seen_in_use)
    return ToolRisk(risk.findings, sensitive, risk.open_reviews, exceptions, reasons)


def _reasons(result: RequestResult, risk: ToolRisk, request: ToolRequest | None,
             lapse: Event | None, lapsed: bool, as_of: dt.date,
             seen_in_use: bool) -> tuple[str, ...]:
    reasons = []
    if result.decision == "invalid":
        reasons.append("not a valid request: nobody can tell what it holds")
    elif result.decision == "deny":
        rules = sorted({f.rule for f in result.blocking_findings if f.level == "deny"})
        reasons.append(f"denied: {counted(len(rules), 'hard rule')} broken ({', '.join(rules)})")
    if seen_in_use and result.fails:
        reasons.append("in use although its request fails")
    if lapse is not None and lapsed:
        reasons.append(f"{_LAPSE_WORDS[lapse.kind]} lapsed on {lapse.date.isoformat()}")
    for note in risk.exceptions:
        if note.status == "expired":
            reasons.append(f"exception for {note.rule} expired on {note.expires}")
    if risk.open_reviews:
        reasons.append(f"waiting for sign-off by {', '.join(risk.open_reviews)}")
    for note in risk.exceptions:
        if note.status == "active" and _days_until(note.expires, as_of) <= SOON_DAYS:
            reasons.append(f"exception for {note.rule} ends {note.expires}")
    if request is not None and request.data.personal_data in ("personal", "special-category"):
        reasons.append(_data_words(request))
    return tuple(reasons)


def _data_words(request: ToolRequest) -> str:
    data = request.data
    kinds = [c for c in SENSITIVE_CATEGORIES if c in data.categories]
    what = f"{data.personal_data.replace('-', ' ')} data" + (
        f" ({', '.join(kinds)})" if kinds else "")
    people = f" of people in {', '.join(data.subject_regions)}" if data.subject_regions else ""
    stored = (f", stored in {', '.join(data.storage_regions)}" if data.storage_regions
              else ", storage region not stated")
    return what + people + stored


def _days_until(day: str, as_of: dt.date) -> int:
    try:
        return (dt.date.fromisoformat(day) - as_of).days
    except ValueError:
        return 0  # an unreadable date is worth a look




def _severity(row: InventoryRow) -> tuple[int, ...]:
    """How far up the list a tool goes (an ordering for reading, not a decision)."""
    risk = row.risk
    assert risk is not None
    expired = sum(1 for note in risk.exceptions if note.status == "expired")
    return (
        int(row.fails), risk.findings.get("deny", 0) + risk.findings.get("error", 0),
        int(row.lapsed), expired, len(risk.open_reviews),
        _DATA_RANK.get(row.personal_data or "", 0), len(risk.sensitive),
    )


@dataclass(frozen=True)
class PortfolioRisk:
    findings: dict[str, int]  # counted findings per level, over every current tool
    excepted: int  # findings an active exception covers
    by_data: dict[str, int]  # tools per personal-data level
    open_reviews: dict[str, int]  # team -> requests waiting for its sign-off
    lapsed: int  # tools whose attestations have all lapsed
    exceptions_ending: int  # active exceptions that end within SOON_DAYS
    top: list[InventoryRow] = field(default_factory=list)  # most serious first


def portfolio_risk(rows: Sequence[InventoryRow], as_of: dt.date,
                   top: int = TOP_RISKS) -> PortfolioRisk:
    current = [row for row in rows if row.risk is not None and row.status != "retired"]
    findings: Counter[str] = Counter()
    by_data: Counter[str] = Counter()
    teams: Counter[str] = Counter()
    excepted = ending = 0
    for row in current:
        assert row.risk is not None
        findings.update(row.risk.findings)
        by_data[row.personal_data or "unknown"] += 1
        teams.update(row.risk.open_reviews)
        excepted += sum(1 for n in row.risk.exceptions if n.status == "active")
        ending += sum(1 for n in row.risk.exceptions if n.status == "active"
                      and _days_until(n.expires, as_of) <= SOON_DAYS)
    ranked = sorted((row for row in current if row.risk and row.risk.reasons),
                    key=lambda row: (tuple(-v for v in _severity(row)), row.tool.casefold()))
    return PortfolioRisk(
        {level: findings[level] for level in LEVELS if findings[level]}, excepted,
        dict(sorted(by_data.items(), key=lambda item: -_DATA_RANK.get(item[0], -1))),
        dict(sorted(teams.items())), sum(1 for row in current if row.lapsed), ending,
        ranked[:top],
    )
