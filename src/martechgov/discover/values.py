"""Values as exports write them: days, amounts, emails.

Each parser accepts the spellings real exports use and raises ValueError with a message
for the reader (shown at the row's file:line) when it cannot tell what was meant.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

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


def email_address(value: str | None) -> str | None:
    """The value, lowercased, when it looks like an email address; None otherwise."""
    if value and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        return value.lower()
    return None
