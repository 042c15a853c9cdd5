"""Read the exports shadow IT shows up in, as plain usage rows.

What the columns mean comes from `layout` (Okta, Google OAuth log, expense, or a column
mapping); how values are written, from `values`.

Reading never stops at a bad row: a row with missing columns, an amount or date that
cannot be read, or bytes that are not text is kept as a `BadRow` at file:line, so the
caller can show exactly what was skipped. Only a file that has no usable header at all
is an error, because nothing in it could be trusted.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from martechgov.discover.layout import (
    REQUIRED,
    Kind,
    column_layout,
    find_header,
    header_currency,
)
from martechgov.discover.values import email_address, parse_amount, parse_day
from martechgov.errors import UsageError

NO_CURRENCY = "XXX"  # ISO 4217's code for "no currency": amounts we cannot attribute


@dataclass(frozen=True, slots=True)
class UsageRow:
    """One sign-in, authorization or payment: who used what, when, for how much."""

    file: str
    line: int
    kind: Kind
    name: str
    day: dt.date
    user: str | None = None
    email: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    category: str | None = None
    event: str | None = None


@dataclass(frozen=True)
class BadRow:
    """A row that was skipped, and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: skipped: {self.reason}"


@dataclass
class ExportFile:
    """One export after reading: its rows, the rows skipped, and notes for the reader."""

    file: str
    kind: Kind
    encoding: str
    columns: dict[str, str]  # logical field -> the file's column used for it
    rows: list[UsageRow] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_export(path: Path, display: str, kind: str = "auto",
                columns: Mapping[str, str] | None = None) -> ExportFile:
    """Read one export file; raises UsageError when it has no usable header."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {display}: {exc.strerror}") from None
    text, encoding, bad_lines = decode_export(raw)
    if not text.strip():
        raise UsageError(f"{display} is empty: expected a CSV export with a header row")
    records = list(_records(text))
    header_index, found_kind, header = find_header([cells for _, _, cells in records],
                                                   display, kind, columns or {})
    export = ExportFile(display, found_kind, encoding, {})
    if encoding not in ("utf-8", "utf-8-sig"):
        export.notes.append(f"{display}: not UTF-8; read as {encoding}")
    if header_index:
        export.notes.append(f"{display}: lines 1-{records[header_index][0] - 1} before the "
                            "header were not read (a title or report parameters)")
    layout = column_layout(found_kind, header, columns or {}, display)
    export.columns = {name: header[indexes[0]] for name, indexes in layout.items()}
    column_currency = None
    if "currency" not in layout and "amount" in layout:
        amount_column = header[layout["amount"][0]]
        column_currency = header_currency(amount_column)
        export.notes.append(
            f"{display}: no currency column; amounts are in {column_currency}, as the column "
            f"{amount_column.strip()!r} says" if column_currency else
            f"{display}: no currency column; amounts without a currency sign are counted as "
            f"{NO_CURRENCY} (unknown currency)")
    reader = _RowReader(display, found_kind, header, layout, column_currency)
    for start, end, cells in records[header_index + 1:]:
        if not any(cell.strip() for cell in cells):
            continue  # blank line: not a row
        broken = [bad_lines[n] for n in range(start, end + 1) if n in bad_lines]
        if broken:
            export.bad_rows.append(BadRow(display, start, broken[0]))
            continue
        row_or_bad = reader.read(start, cells)
        if isinstance(row_or_bad, BadRow):
            export.bad_rows.append(row_or_bad)
        else:
            export.rows.append(row_or_bad)
    return export


# --- decoding ---------------------------------------------------------------------

def decode_export(raw: bytes) -> tuple[str, str, dict[int, str]]:
    """The text, the encoding used, and the 1-based lines that are not text (and why).

    Exports come as UTF-8 (with or without Excel's byte-order mark), as UTF-16 from
    Excel's "Unicode text", or as Windows-1252 from older systems. A file that is
    otherwise UTF-8 (it has real UTF-8 characters) but has a few lines with stray bytes
    is UTF-8 with damaged lines: those lines are returned as bad, to be reported and
    skipped, rather than guessing what the bytes meant.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16", {}
        except UnicodeDecodeError:
            raise UsageError("the file starts like UTF-16 text but is not") from None
    encoding = "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return raw.decode(encoding), encoding, {}
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    bad = {number: problem for number, line in enumerate(lines, 1)
           if (problem := _not_utf8(line)) is not None}
    has_utf8 = any(not line.isascii() for number, line in enumerate(lines, 1)
                   if number not in bad)
    if has_utf8:
        return raw.decode(encoding, errors="replace"), encoding, bad
    try:
        return raw.decode("cp1252"), "cp1252", {}
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1", {}


def _not_utf8(line: bytes) -> str | None:
    """Why a line is not UTF-8 text, or None when it is."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (f"byte 0x{line[exc.start]:02X} at column {exc.start + 1} is not UTF-8 "
                "text (export the file as UTF-8)")
    return None


# --- CSV records ------------------------------------------------------------------

Record = tuple[int, int, list[str]]  # first line, last line, cells


def _records(text: str) -> Iterator[Record]:
    """CSV records with the physical lines they span (a quoted cell may hold newlines)."""
    lines = text.split("\n")
    delimiter = _delimiter(next((line for line in lines if line.strip()), ""))
    reader = csv.reader((line + "\n" for line in lines), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, reader.line_num, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UsageError(f"line {start}: not a readable CSV file ({exc})") from None


def _delimiter(first_line: str) -> str:
    # Excel writes ';' where the decimal separator is a comma, and tab for "text".
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


# --- rows -------------------------------------------------------------------------

class _RowReader:
    """Turns one CSV record into a UsageRow or a BadRow; caches parsed dates."""

    def __init__(self, display: str, kind: Kind, header: list[str],
                 layout: dict[str, list[int]], column_currency: str | None = None) -> None:
        self.display = display
        self.kind = kind
        self.header = header
        self.width = len(header)
        self.layout = layout
        self.required = REQUIRED[kind]
        self._fields = list(layout.items())
        self._days: dict[str, dt.date] = {}
        self.column_currency = column_currency  # "Amount (USD)": USD

    def _values(self, cells: list[str]) -> dict[str, str]:
        """Each field's value: the first non-empty cell among its columns."""
        values: dict[str, str] = {}
        for name, indexes in self._fields:
            for index in indexes:
                value = cells[index].strip()
                if value:
                    values[name] = value
                    break
        return values

    def read(self, line: int, cells: list[str]) -> UsageRow | BadRow:
        if len(cells) != self.width:
            return BadRow(self.display, line, self._width_problem(cells))
        values = self._values(cells)
        missing = [name for name in self.required if not values.get(name)]
        if missing:
            return BadRow(self.display, line, "missing " + " and ".join(
                f"{name} ({self._column(name)!r})" for name in missing))
        try:
            day = self._day(values["date"] or "")
            amount, currency = self._money(values)
        except ValueError as exc:
            return BadRow(self.display, line, str(exc))
        return UsageRow(self.display, line, self.kind, values["name"] or "", day,
                        user=values.get("user"), email=email_address(values.get("email")),
                        amount=amount, currency=currency,
                        category=values.get("category"), event=values.get("event"))

    def _column(self, name: str) -> str:
        return self.header[self.layout[name][0]]

    def _width_problem(self, cells: list[str]) -> str:
        if len(cells) < self.width:
            return (f"missing columns: the row has {len(cells)} of the header's "
                    f"{self.width} columns")
        return (f"the row has {len(cells)} columns but the header has {self.width} "
                "(an unquoted comma in a value?)")

    def _day(self, text: str) -> dt.date:
        day = self._days.get(text)
        if day is None:
            day = self._days[text] = parse_day(text)
        return day

    def _money(self, values: dict[str, str]) -> tuple[Decimal | None, str | None]:
        if "amount" not in self.layout:
            return None, None
        amount, sign_currency = parse_amount(values.get("amount") or "")
        if "currency" in self.layout:
            currency = values.get("currency")
            if not currency:
                raise ValueError("missing currency")
            if not re.fullmatch(r"[A-Za-z]{3}", currency):
                raise ValueError(f"currency {currency!r} is not a three-letter code "
                                 "such as USD")
            return amount, currency.upper()
        column = self.column_currency
        if column and sign_currency and sign_currency != column:
            raise ValueError(f"the amount is in {sign_currency} but its column "
                             f"{self.header[self.layout['amount'][0]].strip()!r} is in {column}")
        return amount, sign_currency or column or NO_CURRENCY
