"""Money as people read it: per currency, never added across currencies."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal


def plain_number(amount: Decimal) -> int | float:
    """A JSON/CSV-friendly number: 43200, or 1234.5."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def money_text(amount: Decimal, currency: str) -> str:
    """`43,200 USD`, `1,234.50 EUR`."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,} {currency}"
    return f"{amount:,.2f} {currency}"


def amounts_text(amounts: Mapping[str, Decimal]) -> str:
    """Amounts per currency, alphabetical, never added together: `6,980 EUR; 900 USD`."""
    return "; ".join(money_text(amounts[c], c) for c in sorted(amounts))
