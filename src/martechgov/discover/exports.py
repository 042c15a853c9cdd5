"""Read the exports shadow IT shows up in, as plain usage rows.

Three kinds of CSV export are understood out of the box, by their real column names:

- `okta`: Okta's Application Usage report (Person, Login, Application Username,
  Instance Name, Login Date, Login Date_ISO8601) and Current Assignments report (User,
  Login, Application name, Application instance, Application login, Assigned on,
  Last login);
- `google`: the Google Workspace OAuth log events export from the Admin console's audit
  and investigation page (Date, Event, Description, Actor, App name, Client ID, Scope);
- `expense`: a card or expense export (merchant, amount, currency, date, employee).

Any other layout works with a column mapping (`--columns name=Vendor,date=Posted`).

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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal, cast

from martechgov.errors import UsageError

Kind = Literal["okta", "google", "expense"]
KINDS: tuple[Kind, ...] = ("okta", "google", "expense")

# Logical fields a row can carry; --columns maps these names to a file's columns.
FIELDS = ("name", "user", "email", "date", "amount", "currency", "category", "event")
FIELD_HELP = {
    "name": "the app or merchant",
    "user": "the person (name, or email)",
    "email": "the person's email",
    "date": "when it was used or paid",
    "amount": "the amount paid (expense exports)",
    "currency": "the amount's currency",
    "category": "the expense category",
    "event": "the audit event (Authorize, Activity, ...)",
}

# Header aliases per kind and field, best first, in normalised form (see _header_key).
# When a file has several of a field's columns, each row uses the first non-empty one:
# Current Assignments leaves "Last login" empty for people who never signed in, so
# "Assigned on" then dates the row.
ALIASES: dict[Kind, dict[str, tuple[str, ...]]] = {
    "okta": {
        "name": ("instance name", "application instance", "application name",
                 "application", "app instance", "app label", "app name", "app"),
        "user": ("person", "user", "user fullname", "full name", "name"),
        "email": ("login", "okta username", "username", "application username",
                  "application login", "email"),
        "date": ("login date iso8601", "login date", "last login", "last access date",
                 "assigned on", "app assigned", "date"),
    },
    "google": {
        "name": ("app name", "application name", "application", "app"),
        "user": ("actor", "user", "actor email", "email"),
        "email": ("actor", "actor email", "user", "email"),
        "date": ("date", "time", "timestamp", "event time"),
        "event": ("event", "event name"),
    },
    "expense": {
        "name": ("merchant", "merchant name", "description", "payee", "vendor",
                 "supplier", "transaction description"),
        "amount": ("amount", "transaction amount", "billing amount", "amount usd",
                   "total", "debit", "value"),
        "currency": ("currency", "transaction currency", "billing currency",
                     "currency code", "ccy"),
        "date": ("transaction date", "date", "expense date", "purchase date",
                 "posted date", "post date", "posting date"),
        "user": ("employee", "employee name", "cardholder", "card holder",
                 "cardholder name", "spender", "user", "name"),
        "email": ("employee email", "cardholder email", "email", "user email"),
        "category": ("category", "expense category", "expense type", "merchant category",
                     "mcc description", "spend category"),
    },
}
REQUIRED: dict[Kind, tuple[str, ...]] = {
    "okta": ("name", "date"),
    "google": ("name", "date"),
    "expense": ("name", "amount", "date"),
}
# Columns that only one kind has; auto-detection needs one of them (beyond the required
# ones) so that an Okta report is not mistaken for an audit log, or the other way round.
SIGNATURE: dict[Kind, tuple[str, ...]] = {
    "expense": ("amount", "transaction amount", "billing amount", "amount usd", "debit"),
    "google": ("client id", "application id", "scope", "event", "event name", "api name"),
    "okta": ("instance name", "application instance", "login date iso8601", "login date",
             "application username", "application login", "person", "assigned on"),
}
DETECT_ORDER: tuple[Kind, ...] = ("expense", "google", "okta")
KIND_NAMES: dict[Kind, str] = {"okta": "an Okta", "google": "a Google OAuth log",
                               "expense": "an expense"}
HEADER_SEARCH_LINES = 10
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


def parse_column_mapping(text: str | None) -> dict[str, str]:
    """`name=Vendor,date=Posted On` -> {"name": "Vendor", "date": "Posted On"}."""
    mapping: dict[str, str] = {}
    if not text:
        return mapping
    for part in text.split(","):
        key, sep, column = part.partition("=")
        key, column = key.strip().lower(), column.strip()
        if not sep or not column:
            raise UsageError(f"--columns: {part.strip()!r} is not FIELD=COLUMN "
                             "(for example name=Vendor,date=Posted On)")
        if key not in FIELDS:
            raise UsageError(f"--columns: unknown field {key!r}; the fields are "
                             + ", ".join(f"{f} ({FIELD_HELP[f]})" for f in FIELDS))
        mapping[key] = column
    return mapping


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
    header_index, found_kind, header = _find_header(records, display, kind, columns or {})
    export = ExportFile(display, found_kind, encoding, {})
    if encoding not in ("utf-8", "utf-8-sig"):
        export.notes.append(f"{display}: not UTF-8; read as {encoding}")
    if header_index:
        export.notes.append(f"{display}: lines 1-{records[header_index][0] - 1} before the "
                            "header were not read (a title or report parameters)")
    layout = _layout(found_kind, header, columns or {}, display)
    export.columns = {name: header[indexes[0]] for name, indexes in layout.items()}
    if "currency" not in layout and "amount" in layout:
        export.notes.append(f"{display}: no currency column; amounts without a currency "
                            f"sign are counted as {NO_CURRENCY} (unknown currency)")
    reader = _RowReader(display, found_kind, header, layout)
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


# --- CSV records and the header -----------------------------------------------------

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


def _header_key(name: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", name.replace("\ufeff", "")).lower().split())


def _find_header(records: Sequence[Record], display: str, kind: str,
                 columns: Mapping[str, str]) -> tuple[int, Kind, list[str]]:
    """The header record's index and the export's kind."""
    for index, (_, _, cells) in enumerate(records[:HEADER_SEARCH_LINES]):
        keys = [_header_key(cell) for cell in cells]
        found = _detect_kind(keys, kind, columns)
        if found is not None:
            return index, found, cells
    first = next((cells for _, _, cells in records if any(c.strip() for c in cells)), [])
    _check_mapping(columns, first, display)
    seen = ", ".join(repr(c) for c in first if c.strip()) or "nothing"
    wanted = (f"the columns of {KIND_NAMES[cast(Kind, kind)]} export "
              f"({_wanted(cast(Kind, kind))})"
              if kind != "auto" else "the columns of an Okta, Google or expense export")
    raise UsageError(
        f"{display}: no header row with {wanted} in the first {HEADER_SEARCH_LINES} "
        f"lines; the first row has {seen}. Name the columns with --columns "
        "(for example --columns name=Vendor,date=Posted,amount=Total) and the kind with --kind"
    )


def _check_mapping(columns: Mapping[str, str], header: list[str], display: str) -> None:
    """A mapping naming a column the file does not have is the likelier mistake: say so."""
    keys = [_header_key(cell) for cell in header]
    for name, column in columns.items():
        if _header_key(column) not in keys:
            raise UsageError(f"{display}: --columns {name}={column}: there is no column "
                             f"{column!r}; the columns are "
                             + ", ".join(repr(c) for c in header if c.strip()))


def _wanted(kind: Kind) -> str:
    return " and ".join(f"{name} ({'/'.join(repr(a) for a in ALIASES[kind][name][:2])})"
                        for name in REQUIRED[kind])


def _detect_kind(keys: list[str], kind: str, columns: Mapping[str, str]) -> Kind | None:
    mapped = {_header_key(column) for column in columns.values()}
    candidates = DETECT_ORDER if kind == "auto" else (cast(Kind, kind),)
    for candidate in candidates:
        if not all(_has_field(keys, candidate, name, columns) for name in REQUIRED[candidate]):
            continue
        if kind != "auto" or (mapped & set(keys) and candidate == _mapped_kind(columns)):
            return candidate
        if any(key in SIGNATURE[candidate] for key in keys):
            return candidate
    return None


def _mapped_kind(columns: Mapping[str, str]) -> Kind:
    # With a mapping and no --kind, an amount makes it an expense export; otherwise the
    # rows are sign-ins, which read like an SSO report.
    return "expense" if "amount" in columns else "okta"


def _has_field(keys: list[str], kind: Kind, name: str, columns: Mapping[str, str]) -> bool:
    if name in columns:
        return _header_key(columns[name]) in keys
    return any(alias in keys for alias in ALIASES[kind][name])


def _layout(kind: Kind, header: list[str], columns: Mapping[str, str],
            display: str) -> dict[str, list[int]]:
    """Logical field -> the column indexes that may hold it, best first."""
    _check_mapping(columns, header, display)
    keys = [_header_key(cell) for cell in header]
    layout: dict[str, list[int]] = {}
    for name, column in columns.items():
        layout[name] = [keys.index(_header_key(column))]
    for name, aliases in ALIASES[kind].items():
        if name not in layout:
            indexes = [keys.index(alias) for alias in aliases if alias in keys]
            if indexes:
                layout[name] = indexes
    return layout


# --- rows -------------------------------------------------------------------------

class _RowReader:
    """Turns one CSV record into a UsageRow or a BadRow; caches parsed dates."""

    def __init__(self, display: str, kind: Kind, header: list[str],
                 layout: dict[str, list[int]]) -> None:
        self.display = display
        self.kind = kind
        self.header = header
        self.width = len(header)
        self.layout = layout
        self.required = REQUIRED[kind]
        self._fields = list(layout.items())
        self._days: dict[str, dt.date] = {}

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
                        user=values.get("user"), email=_email(values.get("email")),
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
        return amount, sign_currency or NO_CURRENCY


def _email(value: str | None) -> str | None:
    if value and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        return value.lower()
    return None


_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DOTS = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_MONTH_FIRST = re.compile(r"([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3})[a-z]*[ -](\d{4})")


def parse_day(text: str) -> dt.date:
    """The calendar day of a timestamp as exports write them.

    2026-11-20, 2026-11-20T17:14:03.000Z, 11/20/2026 (month first, as US exports write
    it; day first when the first number is over 12), 20.11.2026, Nov 20, 2026 9:14 AM,
    20 Nov 2026. The day is the one written: times are not moved between time zones.
    """
    text = text.strip()
    try:
        if match := _ISO.match(text):
            year, month, day = (int(g) for g in match.groups())
        elif match := _SLASH.match(text):
            month, day, year = (int(g) for g in match.groups())
            if month > 12:
                month, day = day, month
        elif match := _DOTS.match(text):
            day, month, year = (int(g) for g in match.groups())
        elif match := _MONTH_FIRST.match(text):
            month, day, year = _MONTHS[match[1].lower()], int(match[2]), int(match[3])
        elif match := _DAY_FIRST.match(text):
            day, month, year = int(match[1]), _MONTHS[match[2].lower()], int(match[3])
        else:
            raise ValueError
        return dt.date(year, month, day)
    except (ValueError, KeyError):
        raise ValueError(f"unreadable date {text!r} (expected a date such as "
                         "2026-11-20)") from None


_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_PLAIN = re.compile(r"-?\d{1,15}(?:\.\d{1,6})?")


def parse_amount(text: str) -> tuple[Decimal, str | None]:
    """An amount as exports write it, and the currency its sign names, if any.

    1234.56, 1,234.56, $1,234.56, -12.00, (12.00) for a refund, and the European
    1.234,56 and 12,50 (a comma followed by one or two digits at the end is a decimal
    comma).
    """
    if _PLAIN.fullmatch(text):  # the common case, fast: 1234.56
        return Decimal(text), None
    original = text
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    currency = None
    for sign, code in _SIGNS.items():
        if sign in text:
            currency, text = code, text.replace(sign, "")
    if match := re.fullmatch(r"([A-Z]{3})?(-?[\d.,]+)([A-Z]{3})?", text):
        currency = match[1] or match[3] or currency
        text = match[2]
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".") if re.search(r",\d{1,2}$", text) else text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"unreadable amount {original.strip()!r} (expected a number "
                         "such as 1234.56)")
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"unreadable amount {original.strip()!r}") from None
    return (-amount if negative else amount), currency
