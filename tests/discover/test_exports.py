"""Reading exports: the three real layouts, encodings, mappings and every kind of bad row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from martechgov.discover.exports import (
    decode_export,
    parse_amount,
    parse_column_mapping,
    parse_day,
    read_export,
)
from martechgov.errors import UsageError

from ..conftest import DATA

EXPORTS = DATA / "exports"


def read(path: Path, kind: str = "auto", columns: dict[str, str] | None = None):  # noqa: ANN201
    return read_export(path, path.name, kind, columns)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- the sample exports -------------------------------------------------------------

def test_okta_application_usage_report() -> None:
    export = read(EXPORTS / "okta-app-usage.csv")
    assert export.kind == "okta" and export.encoding == "utf-8"
    assert export.columns == {"name": "Instance Name", "user": "Person", "email": "Login",
                              "date": "Login Date_ISO8601"}
    assert len(export.rows) == 380  # 382 data lines, 2 skipped
    first = export.rows[0]
    assert (first.line, first.name, first.user, first.email, first.day) == (
        2, "Canva", "Lucas Silva", "lucas.silva@example.com", dt.date(2026, 11, 20))
    assert [str(bad) for bad in export.bad_rows] == [
        "okta-app-usage.csv:59: skipped: unreadable date 'N/A' (expected a date such as "
        "2026-11-20)",
        "okta-app-usage.csv:205: skipped: missing name ('Instance Name')",
    ]


def test_google_oauth_token_audit_export() -> None:
    export = read(EXPORTS / "google-oauth-token-audit.csv")
    assert export.kind == "google"
    assert export.columns == {"name": "App name", "user": "Actor", "email": "Actor",
                              "date": "Date", "event": "Event"}
    assert len(export.rows) == 376
    assert {row.event for row in export.rows} == {"Authorize", "Activity", "Revoke", "Deny"}
    assert [str(bad) for bad in export.bad_rows] == [
        "google-oauth-token-audit.csv:122: skipped: unreadable date 'last Tuesday' "
        "(expected a date such as 2026-11-20)",
    ]


def test_expense_export_reports_every_bad_row_at_its_line() -> None:
    export = read(EXPORTS / "expenses.csv")
    assert export.kind == "expense" and export.encoding == "utf-8"
    assert export.columns == {"name": "Merchant", "amount": "Amount", "currency": "Currency",
                              "date": "Transaction Date", "user": "Employee",
                              "category": "Category"}
    assert [(bad.line, bad.reason) for bad in export.bad_rows] == [
        (41, "unreadable amount '12,5O' (expected a number such as 1234.56)"),
        (96, "missing date ('Transaction Date')"),
        (161, "missing currency"),
        (231, "missing columns: the row has 4 of the header's 8 columns"),
        (301, "byte 0xC9 at column 26 is not UTF-8 text (export the file as UTF-8)"),
    ]
    lines = (EXPORTS / "expenses.csv").read_bytes().count(b"\n")
    # every line is the header, a row, or a skipped row: nothing silently dropped
    assert 1 + len(export.rows) + len(export.bad_rows) == lines
    assert any(row.user == "Zoë Müller" for row in export.rows)  # real UTF-8 is kept
    big = next(row for row in export.rows if row.name.startswith("GOOGLE *ADS"))
    assert big.amount is not None and big.amount >= 1000  # "2,184.00" read as 2184.00


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen", EXPORTS / "generate_exports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HERE = tmp_path
    module.main()
    for name in ("okta-app-usage.csv", "google-oauth-token-audit.csv", "expenses.csv"):
        assert (tmp_path / name).read_bytes() == (EXPORTS / name).read_bytes(), name


# --- other layouts --------------------------------------------------------------------

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


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_an_empty_file_is_an_error(tmp_path: Path, content: str) -> None:
    with pytest.raises(UsageError, match="e.csv is empty"):
        read(write(tmp_path, "e.csv", content))


def test_a_header_without_rows_reads_no_rows(tmp_path: Path) -> None:
    export = read(write(tmp_path, "e.csv", "Merchant,Amount,Currency,Date\n"))
    assert export.kind == "expense" and export.rows == [] and export.bad_rows == []


def test_title_lines_before_the_header_are_noted(tmp_path: Path) -> None:
    export = read(write(tmp_path, "e.csv", "Corporate card statement\nPeriod: 2026\n\n"
                        "Date,Merchant,Amount,Currency\n2026-01-02,CANVA,1.00,USD\n"))
    assert len(export.rows) == 1 and export.rows[0].line == 5
    assert export.notes == ["e.csv: lines 1-3 before the header were not read (a title or "
                            "report parameters)"]


def test_rows_with_too_many_or_too_few_columns_are_skipped(tmp_path: Path) -> None:
    export = read(write(tmp_path, "e.csv", "Date,Merchant,Amount,Currency\n"
                        "2026-01-02,CANVA, PTY LTD,1.00,USD\n2026-01-03,LOOM\n"
                        "2026-01-04,\"MIRO\nBV\",2.00,EUR\n"))
    assert [str(bad) for bad in export.bad_rows] == [
        "e.csv:2: skipped: the row has 5 columns but the header has 4 (an unquoted comma "
        "in a value?)",
        "e.csv:3: skipped: missing columns: the row has 2 of the header's 4 columns",
    ]
    assert [(r.line, r.name) for r in export.rows] == [(4, "MIRO\nBV")]


def test_a_bad_currency_code_is_a_bad_row(tmp_path: Path) -> None:
    export = read(write(tmp_path, "e.csv", "Date,Merchant,Amount,Currency\n"
                        "2026-01-02,CANVA,1.00,US$\n"))
    assert [bad.reason for bad in export.bad_rows] == [
        "currency 'US$' is not a three-letter code such as USD"]


def test_without_a_currency_column_the_sign_names_the_currency(tmp_path: Path) -> None:
    export = read(write(tmp_path, "e.csv", "Date,Merchant,Amount\n2026-01-02,CANVA,$1.00\n"
                        "2026-01-03,LOOM,2.00\n"))
    assert [(r.amount, r.currency) for r in export.rows] == [
        (Decimal("1.00"), "USD"), (Decimal("2.00"), "XXX")]
    assert export.notes == ["e.csv: no currency column; amounts without a currency sign are "
                            "counted as XXX (unknown currency)"]


# --- encodings ------------------------------------------------------------------------

def test_a_windows_1252_file_is_read_with_a_note(tmp_path: Path) -> None:
    raw = "Date,Merchant,Amount,Currency,Employee\n2026-01-02,CANVA,1.00,EUR,Renée Dubois\n"
    export = read(write(tmp_path, "e.csv", raw.encode("cp1252")))
    assert export.encoding == "cp1252"
    assert export.rows[0].user == "Renée Dubois"
    assert export.notes == ["e.csv: not UTF-8; read as cp1252"]


def test_a_latin_1_file_that_is_not_cp1252_falls_back_to_latin_1() -> None:
    text, encoding, bad = decode_export(b"Date,Merchant\n2026-01-02,ACME\x81\n")
    assert (encoding, bad) == ("latin-1", {})
    assert text.endswith("ACME\x81\n")


def test_utf8_with_a_byte_order_mark_and_utf16(tmp_path: Path) -> None:
    raw = "Date,Merchant,Amount,Currency\n2026-01-02,CANVA,1.00,EUR\n"
    bom = read(write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + raw.encode()))
    assert (bom.encoding, bom.kind, len(bom.rows)) == ("utf-8-sig", "expense", 1)
    utf16 = read(write(tmp_path, "u16.csv", raw.encode("utf-16")))
    assert (utf16.encoding, utf16.kind, len(utf16.rows)) == ("utf-16", "expense", 1)


def test_a_utf8_file_with_a_damaged_line_skips_only_that_line(tmp_path: Path) -> None:
    raw = ("Date,Merchant,Amount,Currency,Employee\n"
           "2026-01-02,CANVA,1.00,EUR,Zoë Müller\n").encode() + \
        b"2026-01-03,CAF\xc9,2.00,EUR,Ren\xe9e\n2026-01-04,LOOM,3.00,EUR,Ana\n"
    export = read(write(tmp_path, "e.csv", raw))
    assert export.encoding == "utf-8"
    assert [str(bad) for bad in export.bad_rows] == [
        "e.csv:3: skipped: byte 0xC9 at column 15 is not UTF-8 text (export the file as "
        "UTF-8)"]
    assert [r.name for r in export.rows] == ["CANVA", "LOOM"]


# --- values ---------------------------------------------------------------------------

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
