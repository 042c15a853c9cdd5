"""Reading exports: the three real layouts, encodings, mappings and every kind of bad row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from martechgov.discover.exports import decode_export, read_export
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


# --- rows ----------------------------------------------------------------------------

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
