"""Usage added up per tool: which rows count, people counted once, money per currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from martechgov.discover.exports import ExportFile, UsageRow
from martechgov.discover.usage import add_up, usage_rows

AS_OF = dt.date(2026, 11, 23)


def card(line: int, day: dt.date, amount: str, currency: str, user: str,
         category: str = "Software") -> UsageRow:
    return UsageRow("card.csv", line, "expense", "CANVA* 1", day, user=user,
                    amount=Decimal(amount), currency=currency, category=category)


def test_spend_per_currency_and_the_last_twelve_months() -> None:
    rows = [
        card(2, dt.date(2025, 11, 23), "10.00", "USD", "Ana Ruiz"),  # 365 days before: out
        card(3, dt.date(2025, 11, 24), "20.00", "USD", "Ana Ruiz"),  # first day in
        card(4, AS_OF, "5.50", "EUR", "Ben Okafor"),  # the as-of day is in
        card(5, dt.date(2026, 11, 24), "1.00", "USD", "Ben Okafor"),  # after as-of: out
    ]
    [usage] = add_up(rows, dict.fromkeys(["CANVA* 1"], "canva"), AS_OF).values()
    assert usage.spend == {"USD": Decimal("31.00"), "EUR": Decimal("5.50")}
    assert usage.spend_last_year == {"USD": Decimal("20.00"), "EUR": Decimal("5.50")}
    assert (usage.first, usage.last, usage.rows) == (dt.date(2025, 11, 23),
                                                     dt.date(2026, 11, 24), 4)
    assert usage.top_users() == ["Ana Ruiz", "Ben Okafor"]  # two rows each: by name


def test_a_person_seen_by_name_and_by_email_is_one_person() -> None:
    rows = [
        UsageRow("okta.csv", 2, "okta", "Canva", AS_OF, user="Ana Ruiz",
                 email="ana.ruiz@example.com"),
        card(2, AS_OF, "1.00", "USD", "ANA RUIZ"),
        UsageRow("google.csv", 2, "google", "Canva", AS_OF, user="ana.ruiz@example.com",
                 email="ana.ruiz@example.com"),
    ]
    usages = add_up(rows, {"Canva": "canva", "CANVA* 1": "canva"}, AS_OF)
    usage = usages["canva"]
    assert list(usage.users) == ["ana.ruiz@example.com"]
    assert usage.top_users() == ["Ana Ruiz"]
    assert usage.top_user_with_email() == ("Ana Ruiz", "ana.ruiz@example.com")
    assert usage.seen_as_most() == ("Canva", "CANVA* 1")


def test_rows_that_are_not_tool_usage_are_noted_with_counts() -> None:
    export = ExportFile("card.csv", "expense", "utf-8", {"name": "M", "category": "C"}, rows=[
        card(2, AS_OF, "1.00", "USD", "Ana", "Software"),
        card(3, AS_OF, "1.00", "USD", "Ana", "Travel"),
        card(4, AS_OF, "1.00", "USD", "Ana", "Travel"),
    ])
    google = ExportFile("g.csv", "google", "utf-8", {"name": "App name"}, rows=[
        UsageRow("g.csv", 2, "google", "Google Chrome", AS_OF),
        UsageRow("g.csv", 3, "google", "Miro", AS_OF, event="Deny"),
        UsageRow("g.csv", 4, "google", "Miro", AS_OF, event="Authorize"),
    ])
    kept, notes = usage_rows([export, google])
    assert [(row.file, row.line) for row in kept] == [("card.csv", 2), ("g.csv", 4)]
    assert notes == [
        "card.csv: 2 rows not counted: not software spend (Travel 2)",
        "g.csv: 1 row not counted: Google's own clients, device sign-ins rather than tools "
        "(Google Chrome 1)",
        "g.csv: 1 row not counted: the user refused access (Deny events) (Miro 1)",
    ]
