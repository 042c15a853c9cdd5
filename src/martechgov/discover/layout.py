"""The layouts of the exports shadow IT shows up in, and finding one in a file's header.

Three kinds of CSV export are understood out of the box, by their real column names:

- `okta`: Okta's Application Usage report (Person, Login, Application Username,
  Instance Name, Login Date, Login Date_ISO8601) and Current Assignments report (User,
  Login, Application name, Application instance, Application login, Assigned on,
  Last login);
- `google`: the Google Workspace OAuth log events export from the Admin console's audit
  and investigation page (Date, Event, Description, Actor, App name, Client ID, Scope);
- `expense`: a card or expense export (merchant, amount, currency, date, employee).

Any other layout works with a column mapping (`--columns name=Vendor,date=Posted`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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


# A currency named in a column header: "Amount (USD)", "Total [eur]", "Amount in GBP",
# "Billing Amount USD" (a bare code only in capitals, so a word is never taken for one).
_HEADER_CURRENCY = re.compile(r"(?:\s+in)?\s*(?:[(\[]\s*([A-Za-z]{3})\s*[)\]]|"
                              r"(?<=\s)([A-Z]{3}))\s*$")


# ISO 4217 codes of the currencies card and expense exports are kept in ("Date (UTC)"
# names a time zone, not a currency).
CURRENCY_CODES = frozenset("""
    USD EUR GBP CAD AUD NZD JPY CHF SEK NOK DKK PLN CZK HUF RON BGN ISK INR SGD HKD CNY
    KRW TWD THB MYR IDR PHP VND BRL MXN ARS CLP COP PEN ZAR AED SAR ILS TRY EGP NGN KES
""".split())


def header_currency(name: str) -> str | None:
    """The currency a column header names: 'Amount (USD)' -> 'USD'; None when none."""
    match = _HEADER_CURRENCY.search(name.strip())
    code = (match[1] or match[2]).upper() if match else None
    return code if code in CURRENCY_CODES else None


def _header_key(name: str) -> str:
    # "Amount (USD)" is the amount column: the currency it names is read separately.
    name = _HEADER_CURRENCY.sub("", name.replace("\ufeff", "").strip())
    return " ".join(re.sub(r"[_\-]+", " ", name).lower().split())


def find_header(rows: Sequence[list[str]], display: str, kind: str,
                columns: Mapping[str, str]) -> tuple[int, Kind, list[str]]:
    """The header row's index and the export's kind; UsageError when there is none."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_LINES]):
        keys = [_header_key(cell) for cell in cells]
        found = _detect_kind(keys, kind, columns)
        if found is not None:
            return index, found, cells
    first = next((cells for cells in rows if any(c.strip() for c in cells)), [])
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


def column_layout(kind: Kind, header: list[str], columns: Mapping[str, str],
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
