"""The money split and the risk roll-up as words and table cells, shared by every format.

Each function returns plain text or rows of cells; the formats (terminal table,
Markdown, HTML) escape and lay them out. Amounts stay per currency.
"""

from __future__ import annotations

from martechgov.leadership.inventory import Inventory, status_text
from martechgov.leadership.records import BUCKET_WORDS, BUCKETS, STACK, Bucket, Group
from martechgov.leadership.risk import PortfolioRisk
from martechgov.leadership.spend import Spend
from martechgov.money import amounts_text, money_text
from martechgov.rendering import counted

# The columns of the team and category tables: what is in use or approved, what is
# proposed and what was turned down (retired tools are history, not spend).
SPLIT_BUCKETS: tuple[Bucket, ...] = ("in-use", "approved", "proposed", "denied")
SPLIT_HEADERS = ["requests", "in use", "approved", "proposed", "denied"]
NOTHING = "none stated"


def stack_line(spend: Spend) -> str:
    """`The stack costs 1,234.50 EUR; 21,000 USD per year (in use and approved)`."""
    amounts = amounts_text(spend.stack.annual) or NOTHING
    return (f"The stack costs {amounts} per year ({counted(spend.stack.count, 'tool')} in "
            "use or approved)")


def outside_stack_line(spend: Spend) -> str:
    """What is not part of the stack's cost, named: proposed, denied, retired."""
    parts = []
    for bucket in BUCKETS:
        group = spend.by_bucket[bucket]
        if bucket in STACK or not group.count:
            continue
        amounts = amounts_text(group.annual) or "no cost stated"
        parts.append(f"{BUCKET_WORDS[bucket]}: {counted(group.count, 'request')}, {amounts}")
    if not parts:
        return "Nothing proposed, denied or retired."
    return "Not counted in the stack: " + "; ".join(parts) + "."


def money_lines(spend: Spend) -> list[str]:
    """What the stack costs, what is not counted in it, and the one total at IT's rates
    (when rates.yaml gives one): the money's headline in every format."""
    converted = converted_line(spend)
    return [stack_line(spend) + ".", outside_stack_line(spend),
            *([converted] if converted else [])]


def converted_line(spend: Spend) -> str | None:
    """The stack in one currency at IT's rates, or why there is no such total."""
    converted = spend.converted
    if converted is None:
        return None
    day = converted.rates_as_of.isoformat()
    if converted.amount is None:
        return (f"No single total in {converted.currency}: policies/data/rates.yaml has no "
                f"rate for {', '.join(converted.missing)}.")
    return (f"About {money_text(converted.amount, converted.currency)} per year at the rates "
            f"of {day} (policies/data/rates.yaml).")


def bucket_rows(spend: Spend) -> list[list[str]]:
    """status, requests, annual cost: one row per bucket."""
    return [[BUCKET_WORDS[b], str(spend.by_bucket[b].count),
             amounts_text(spend.by_bucket[b].annual)] for b in BUCKETS]


def split_rows(table: dict[str, dict[Bucket, Group]]) -> list[list[str]]:
    """name, requests, then the cost per bucket (SPLIT_BUCKETS), for teams or categories."""
    rows = []
    for name, groups in table.items():
        current = {b: g for b, g in groups.items() if b in SPLIT_BUCKETS}
        if not current:
            continue  # only retired tools: history, not spend
        count = sum(g.count for g in current.values())
        rows.append([name, str(count),
                     *(amounts_text(current[b].annual) if b in current else ""
                       for b in SPLIT_BUCKETS)])
    return rows


def risk_line(risk: PortfolioRisk) -> str:
    """`Findings that count: 4 deny, 3 review, 2 warn (1 more excepted); ...`."""
    findings = ", ".join(f"{n} {level}" for level, n in risk.findings.items()) or "none"
    parts = [f"Findings that count: {findings}"
             + (f" ({risk.excepted} more covered by an exception)" if risk.excepted else "")]
    if risk.open_reviews:
        parts.append("waiting for sign-off: " + ", ".join(
            f"{team} {n}" for team, n in risk.open_reviews.items()))
    if risk.lapsed:
        parts.append(f"{counted(risk.lapsed, 'tool')} with every attestation lapsed")
    if risk.exceptions_ending:
        parts.append(f"{counted(risk.exceptions_ending, 'exception')} ending within 90 days")
    data = ", ".join(f"{n} {level}" for level, n in risk.by_data.items())
    if data:
        parts.append(f"personal data: {data}")
    return "; ".join(parts) + "."


def top_risk_rows(risk: PortfolioRisk) -> list[list[str]]:
    """tool, status, owner, why: the top risks, most serious first."""
    return [[row.tool, status_text(row), row.business_owner or "",
             "; ".join(row.risk.reasons) if row.risk else ""] for row in risk.top]


def retired_rows(inventory: Inventory) -> list[list[str]]:
    """tool, retired on, how, replaced by, annual cost it had."""
    return [[row.tool, row.retired_on.isoformat() if row.retired_on else "",
             row.retired_how or "", ", ".join(row.replaced_by),
             money_text(row.cost.amount, row.cost.currency) if row.cost else ""]
            for row in inventory.rows if row.status == "retired"]


def replacement_rows(inventory: Inventory) -> list[list[str]]:
    """new tool (status), replaces, their status: what retires when a tool lands."""
    by_id = {row.id: row for row in inventory.rows if row.id}
    rows = []
    for row in inventory.rows:
        if not row.replaces or row.status == "retired":
            continue
        olds = [f"{by_id[r].tool} ({status_text(by_id[r])})" if r in by_id
                else f"{r} (no request)" for r in row.replaces]
        rows.append([row.tool, status_text(row), ", ".join(olds)])
    return rows
