"""The inventory as JSON (`martechgov inventory --format json`): the golden record for tools.

Every request with its decision, lifecycle status, owners, money, dates and risk; the
totals; the money split (`spend`) and the risk roll-up (`risk`); the policy revision.
Amounts are per currency, as numbers; dates ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from martechgov.leadership.inventory import Inventory
from martechgov.leadership.records import Bucket, Group, InventoryRow, ToolRisk
from martechgov.leadership.risk import PortfolioRisk
from martechgov.leadership.spend import Spend
from martechgov.money import plain_number
from martechgov.rendering import envelope


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _annual_json(annual: dict[str, Decimal]) -> dict[str, int | float]:
    return {currency: plain_number(annual[currency]) for currency in sorted(annual)}


def _group_json(group: Group) -> dict[str, Any]:
    return {"requests": group.count, "annual_cost": _annual_json(group.annual)}


def _risk_json(risk: ToolRisk | None) -> dict[str, Any] | None:
    if risk is None:
        return None
    return {
        "findings": risk.findings, "sensitive_data": list(risk.sensitive),
        "open_reviews": list(risk.open_reviews),
        "exceptions": [{"rule": n.rule, "status": n.status, "expires": n.expires,
                        "approved_by": n.approved_by} for n in risk.exceptions],
        "reasons": list(risk.reasons),
    }


def row_json(row: InventoryRow) -> dict[str, Any]:
    lapse = row.lapse
    return {
        "file": row.file, "id": row.id, "tool": row.tool, "vendor": row.vendor,
        "category": row.category, "team": row.team,
        "owners": {"business": row.business_owner, "technical": row.technical_owner},
        "personal_data": row.personal_data,
        "subject_regions": list(row.subject_regions),
        "storage_regions": list(row.storage_regions),
        "decision": row.decision, "status": row.status, "reviewers": list(row.reviewers),
        "annual_cost": ({"amount": plain_number(row.cost.amount),
                         "currency": row.cost.currency} if row.cost else None),
        "renewal_date": _date(row.renewal), "cancel_by": _date(row.cancel_by),
        "next_lapse": ({"event": lapse.kind, "date": lapse.date.isoformat(),
                        "lapsed": row.lapsed} if lapse else None),
        "due": [{"event": e.kind, "date": e.date.isoformat()} for e in row.due],
        "replaces": list(row.replaces), "replaced_by": list(row.replaced_by),
        "retired": ({"on": _date(row.retired_on), "how": row.retired_how}
                    if row.retired_on else None),
        "risk": _risk_json(row.risk),
    }


def _split_json(table: dict[str, dict[Bucket, Group]]) -> dict[str, Any]:
    return {name: {b: _group_json(g) for b, g in groups.items()}
            for name, groups in table.items()}


def spend_json(spend: Spend) -> dict[str, Any]:
    converted = spend.converted
    return {
        "stack": _group_json(spend.stack),
        "by_status": {b: _group_json(g) for b, g in spend.by_bucket.items()},
        "by_team": _split_json(spend.by_team),
        "by_category": _split_json(spend.by_category),
        "single_total": None if converted is None else {
            "amount": plain_number(converted.amount) if converted.amount is not None
            else None,
            "currency": converted.currency,
            "rates_as_of": converted.rates_as_of.isoformat(),
            "missing_rates": list(converted.missing),
        },
    }


def portfolio_risk_json(risk: PortfolioRisk) -> dict[str, Any]:
    return {
        "findings": risk.findings, "excepted": risk.excepted,
        "by_personal_data": risk.by_data, "open_reviews": risk.open_reviews,
        "lapsed": risk.lapsed, "exceptions_ending_within_90_days": risk.exceptions_ending,
        "top": [{"id": row.id, "tool": row.tool, "status": row.status,
                 "reasons": list(row.risk.reasons) if row.risk else []}
                for row in risk.top],
    }


def inventory_json(inventory: Inventory) -> dict[str, Any]:
    totals = inventory.totals
    assert inventory.spend is not None and inventory.risk is not None
    return envelope(
        inventory.as_of, inventory.policy,
        engine=inventory.engine,
        due_within_days=inventory.window_days,
        requests=[row_json(row) for row in inventory.rows],
        totals={
            **_group_json(totals.all),
            "by_decision": {k: _group_json(g) for k, g in totals.by_decision.items()},
            "by_status": {k: _group_json(g) for k, g in totals.by_status.items()},
            "by_category": {k: _group_json(g) for k, g in totals.by_category.items()},
        },
        spend=spend_json(inventory.spend),
        risk=portfolio_risk_json(inventory.risk),
    )
