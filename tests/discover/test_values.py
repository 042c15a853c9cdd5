"""Values as exports write them: amounts, days, emails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from martechgov.discover.values import email_address, parse_amount, parse_day


@pytest.mark.parametrize("text, amount, currency", [
    ("1234.56", "1234.56", None), ("1,234.56", "1234.56", None), ("$1,234.56", "1234.56", "USD"),
    ("-12.00", "-12.00", None), ("(12.00)", "-12.00", None), ("1.234,56", "1234.56", None),
    ("12,50", "12.50", None), ("1,234", "1234", None), ("€ 9,99", "9.99", "EUR"),
    ("EUR 10.00", "10.00", "EUR"), ("10.00 GBP", "10.00", "GBP"), ("1 234,56", "1234.56", None),
])
def test_amounts(text: str, amount: str, currency: str | None) -> None:
    assert parse_amount(text) == (Decimal(amount), currency)


@pytest.mark.parametrize("text", ["", "N/A", "12,5O", "1.2.3", "--5", "ten"])
def test_unreadable_amounts(text: str) -> None:
    with pytest.raises(ValueError, match="unreadable amount"):
        parse_amount(text)


@pytest.mark.parametrize("text, day", [
    ("2026-11-20", (2026, 11, 20)), ("2026-11-20T17:14:03.000Z", (2026, 11, 20)),
    ("2026-11-20 17:14", (2026, 11, 20)), ("11/20/2026", (2026, 11, 20)),
    ("20/11/2026", (2026, 11, 20)), ("20.11.2026", (2026, 11, 20)),
    ("Nov 20, 2026 9:14:03 AM", (2026, 11, 20)), ("20 Nov 2026", (2026, 11, 20)),
    ("November 2, 2026", (2026, 11, 2)), ("2-Nov-2026", (2026, 11, 2)),
])
def test_dates(text: str, day: tuple[int, int, int]) -> None:
    assert parse_day(text) == dt.date(*day)


@pytest.mark.parametrize("text", ["", "N/A", "last Tuesday", "2026-13-01", "Foo 3, 2026",
                                  "31/31/2026"])
def test_unreadable_dates(text: str) -> None:
    with pytest.raises(ValueError, match="unreadable date"):
        parse_day(text)


@pytest.mark.parametrize("value, email", [
    ("Ana.Ruiz@Example.com", "ana.ruiz@example.com"), ("Ana Ruiz", None), ("", None),
    (None, None), ("ana@example", None), ("a b@example.com", None),
])
def test_emails(value: str | None, email: str | None) -> None:
    assert email_address(value) == email
