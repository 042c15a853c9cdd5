"""Money leadership can read: what the stack costs, split by status, team and category.

"What the stack costs" counts what is in use or approved, never what is still in
review, denied or retired (those are shown beside it, separately). Amounts stay per
currency: nothing is converted silently. When IT keeps exchange rates in the policy
data (`policies/data/rates.yaml`), the stack also gets one total in the base currency,
labelled with the rates' date; a currency without a rate means no single total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from martechgov.leadership.records import BUCKETS, STACK, Bucket, Group, InventoryRow
from martechgov.policy_data import Rates

NO_TEAM = "(no team)"  # an invalid file's team is not known
NO_CATEGORY = "unknown"


@dataclass(frozen=True)
class Converted:
    """The stack's cost in one currency at IT's rates (or why there is none)."""

    amount: Decimal | None  # None when a currency has no rate
    currency: str
    rates_as_of: dt.date
    missing: tuple[str, ...] = ()  # currencies without a rate


@dataclass(frozen=True)
class Spend:
    stack: Group  # in use + approved: what the stack costs
    by_bucket: dict[Bucket, Group]  # every bucket, in BUCKETS order
    by_team: dict[str, dict[Bucket, Group]]  # teams alphabetical, buckets present
    by_category: dict[str, dict[Bucket, Group]]
    converted: Converted | None = None


def build_spend(rows: Iterable[InventoryRow], rates: Rates | None = None) -> Spend:
    stack = Group()
    by_bucket: dict[Bucket, Group] = {bucket: Group() for bucket in BUCKETS}
    by_team: dict[str, dict[Bucket, Group]] = {}
    by_category: dict[str, dict[Bucket, Group]] = {}
    for row in rows:
        bucket = row.bucket
        by_bucket[bucket].add(row)
        if bucket in STACK:
            stack.add(row)
        _cell(by_team, row.team or NO_TEAM, bucket).add(row)
        _cell(by_category, row.category or NO_CATEGORY, bucket).add(row)
    converted = convert(stack.annual, rates) if rates is not None else None
    return Spend(stack, by_bucket, _sorted(by_team), _sorted(by_category), converted)


def _cell(table: dict[str, dict[Bucket, Group]], key: str, bucket: Bucket) -> Group:
    return table.setdefault(key, {}).setdefault(bucket, Group())


def _sorted(table: dict[str, dict[Bucket, Group]]) -> dict[str, dict[Bucket, Group]]:
    return {key: {b: table[key][b] for b in BUCKETS if b in table[key]}
            for key in sorted(table, key=str.casefold)}


def convert(annual: Mapping[str, Decimal], rates: Rates) -> Converted:
    """`annual` in the base currency; no amount when a currency has no rate."""
    known = {currency: Decimal(str(rate)) for currency, rate in rates.rates.items()}
    known[rates.base] = Decimal(1)
    missing = tuple(sorted(c for c in annual if c not in known))
    if missing:
        return Converted(None, rates.base, rates.as_of, missing)
    total = sum((amount * known[c] for c, amount in annual.items()), Decimal(0))
    return Converted(total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), rates.base,
                     rates.as_of)


def rates_from(config: Mapping[str, Any]) -> Rates | None:
    """IT's rates from the policy data (`data.martech.config.rates`), when there are any."""
    raw = config.get("rates")
    return Rates.model_validate(raw, strict=False) if raw is not None else None
