"""Export layouts: recognising Okta, Google and expense headers, and column mappings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from martechgov.discover.layout import parse_column_mapping
from martechgov.errors import UsageError

from .test_exports import read, write


def test_okta_current_assignments_report_falls_back_to_assigned_on(tmp_path: Path) -> None:
    path = write(tmp_path, "assignments.csv",
                 "User,Login,Application name,Application instance,Application login,"
                 "Assigned on,Unassigned on,Last login\n"
                 "Ana Ruiz,ana.ruiz@example.com,canva,Canva,ana.ruiz@example.com,"
                 "2026-02-01T10:00:00.000Z,,2026-11-02T09:00:00.000Z\n"
                 "Ben Okafor,ben.okafor@example.com,canva,Canva,ben.okafor@example.com,"
                 "2026-03-05T10:00:00.000Z,,\n")
    export = read(path)
    assert export.kind == "okta"
    assert [(r.name, r.user, r.email, r.day) for r in export.rows] == [
        ("Canva", "Ana Ruiz", "ana.ruiz@example.com", dt.date(2026, 11, 2)),
        ("Canva", "Ben Okafor", "ben.okafor@example.com", dt.date(2026, 3, 5)),
    ]


def test_column_mapping_reads_any_layout(tmp_path: Path) -> None:
    path = write(tmp_path, "bank.csv", "Posted On;Payee;Total;Ccy;Who\n"
                                       "14.03.2026;CANVA* 1234;1.234,56;EUR;Ana Ruiz\n"
                                       "15.03.2026;LOOM.COM;12,50;EUR;Ben Okafor\n")
    columns = parse_column_mapping("date=Posted On,name=Payee,amount=Total,currency=Ccy,"
                                   "user=Who")
    export = read(path, columns=columns)
    assert export.kind == "expense"
    assert [(r.name, r.amount, r.currency, r.day) for r in export.rows] == [
        ("CANVA* 1234", Decimal("1234.56"), "EUR", dt.date(2026, 3, 14)),
        ("LOOM.COM", Decimal("12.50"), "EUR", dt.date(2026, 3, 15)),
    ]


def test_column_mapping_without_amount_is_a_sign_in_report(tmp_path: Path) -> None:
    path = write(tmp_path, "sso.csv", "When,App,Who\n2026-03-14,Miro,ana@example.com\n")
    export = read(path, columns=parse_column_mapping("date=When,name=App,user=Who"))
    assert export.kind == "okta"
    assert [(r.name, r.user) for r in export.rows] == [("Miro", "ana@example.com")]


@pytest.mark.parametrize("text, message", [
    ("name", "'name' is not FIELD=COLUMN"),
    ("merchant=Payee", "unknown field 'merchant'; the fields are name (the app or merchant)"),
    ("name=", "'name=' is not FIELD=COLUMN"),
])
def test_bad_column_mappings(text: str, message: str) -> None:
    with pytest.raises(UsageError, match="--columns") as info:
        parse_column_mapping(text)
    assert message in str(info.value)


def test_mapping_to_an_unknown_column_lists_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "Merchant,Amount,Date\nCANVA,1.00,2026-01-01\n")
    with pytest.raises(UsageError) as info:
        read(path, "expense", {"currency": "Money"})
    assert str(info.value) == ("e.csv: --columns currency=Money: there is no column 'Money'; "
                               "the columns are 'Merchant', 'Amount', 'Date'")


def test_a_file_without_a_usable_header_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.csv", "Foo,Bar\n1,2\n")
    with pytest.raises(UsageError) as info:
        read(path)
    message = str(info.value)
    assert message.startswith("notes.csv: no header row with the columns of an Okta, Google "
                              "or expense export in the first 10 lines; the first row has "
                              "'Foo', 'Bar'.")
    assert "--columns" in message and "--kind" in message


def test_forcing_a_kind_that_does_not_fit_names_the_columns_it_needs(tmp_path: Path) -> None:
    path = write(tmp_path, "okta.csv", "Person,Login,Instance Name,Login Date\n")
    with pytest.raises(UsageError, match="no header row with the columns of an expense export "
                                         r"\(name \('merchant'/'merchant name'\) and amount"):
        read(path, "expense")
