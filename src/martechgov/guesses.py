"""What a requester probably meant by a value martechgov cannot read: the "did you mean"
of a message.

A guess is offered only when the input says it unambiguously: `01/15/2027` can only be
15 January (there is no 15th month), `01/02/2027` could be either day, so both readings
are offered; `$9,000` is 9000; `SCC` is `scc`; `agency` starts only `agency-operated`.
Nothing here changes a value: the requester reads the guess and writes it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Iterable

_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), 1) for name in names}
GUESS_LIMIT = 100  # characters: longer values get no guess
_NUMERIC = re.compile(r"(\d{1,4})\s*([./\-])\s*(\d{1,2})\s*[./\-]\s*(\d{2,4})")
_WORDS = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)|([a-z]+)\.?\s+(\d{1,2})"
                    r"(?:st|nd|rd|th)?),?\s+(\d{4})")


def dates(text: str) -> list[dt.date]:
    """The days `text` can mean (one when it is unambiguous, two for `01/02/2027`, none
    when it is no date): `01/15/2027`, `15.01.2027`, `2027/01/15`, `January 15, 2027`,
    `15 Jan 2027`, `20270115`."""
    text = text.strip().lower()
    if len(text) > GUESS_LIMIT:
        return []
    if re.fullmatch(r"\d{8}", text):
        return _valid([(int(text[:4]), int(text[4:6]), int(text[6:]))])
    words = _WORDS.fullmatch(text)
    if words:
        day, month = (words[1], words[2]) if words[1] else (words[4], words[3])
        number = _MONTHS.get(month.rstrip("."))
        return _valid([(int(words[5]), number, int(day))]) if number else []
    numeric = _NUMERIC.fullmatch(text)
    if not numeric:
        return []
    first, separator, second, last = numeric.groups()
    if len(first) == 4:  # 2027/01/15: year first is always year, month, day
        return _valid([(int(first), int(second), int(last))])
    if len(last) != 4:
        return []  # 01/02/27: a two-digit year is a guess too many
    year, a, b = int(last), int(first), int(second)
    if separator == ".":  # 15.01.2027: dots are day first wherever they are used
        return _valid([(year, b, a)])
    return _valid(list(dict.fromkeys([(year, a, b), (year, b, a)])))


def _valid(candidates: list[tuple[int, int | None, int]]) -> list[dt.date]:
    found = []
    for year, month, day in candidates:
        try:
            found.append(dt.date(year, month or 0, day))
        except ValueError:
            continue
    return found


def looks_iso(text: str) -> bool:
    """`2027-02-30`: written as YYYY-MM-DD, whether or not it is a day of the calendar."""
    return re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text.strip()) is not None


def calendar_check(text: str) -> str:
    """What is wrong with `2027-02-30` or `2027-13-01`, said as what to check."""
    year, month, _ = (int(part) for part in text.strip().split("-"))
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return "check the year: write it with four digits, e.g. 2027"
    if not 1 <= month <= 12:
        return "check the month: months run from 01 to 12"
    days = calendar.monthrange(year, month)[1]
    return f"check the day: {calendar.month_name[month]} {year} has {days} days"


def spoken(day: dt.date) -> str:
    """`2 January 2027`: a date no reader can take for another."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def number(value: object, whole: bool) -> int | float | None:
    """The plain number in `$9,000`, `9 000 EUR`, `25 seats`, `010`, `1_000`, `9k`;
    None when there is none or it is not whole where a whole number is needed."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or (
            isinstance(value, str) and len(value) > GUESS_LIMIT):
        return None
    if isinstance(value, int | float):
        found: float = value
    else:
        text = value.strip().lower()
        if re.fullmatch(r"[-+]?0x[0-9a-f]+", text):
            found = int(text, 16)
        else:
            text = re.sub(r"^[^\d.+-]+|[^\d.k]+$", "", text.replace(",", "").replace("_", ""))
            text = text.replace(" ", "")
            scale = 1000 if text.endswith("k") else 1
            if not re.fullmatch(r"\d+(\.\d+)?", text.removesuffix("k")):
                return None
            found = float(text.removesuffix("k")) * scale
    if found != found or found in (float("inf"), float("-inf")):
        return None
    if found == int(found):
        return int(found)
    return None if whole else round(found, 2)


def word(value: str, allowed: Iterable[str]) -> str | None:
    """The allowed value `value` was meant to be: the same in another case or spacing
    (`SCC`, `Usd`), the only one it starts (`agency` -> `agency-operated`), else the one
    closest in spelling (`emial` -> `email`), if one is clearly closest."""
    if len(value) > GUESS_LIMIT:
        return None  # no one misspells a word this long, and comparing it costs time
    choices = list(allowed)
    folded = {_fold(c): c for c in choices}
    key = _fold(value)
    if key in folded:
        return folded[key]
    starting = [c for c in choices if key and _fold(c).startswith(key)]
    if len(starting) == 1:
        return starting[0]
    scored = sorted(((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in folded),
                    reverse=True)
    if scored and scored[0][0] >= 0.6 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return folded[scored[0][1]]
    return None


def _fold(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def slug(text: str) -> str | None:
    """`HubSpot Marketing Hub` -> `hubspot-marketing-hub`; None when nothing is left."""
    if len(text) > GUESS_LIMIT:
        return None
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return made or None


CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}


def url(text: str) -> str | None:
    """`www.example.com` -> `https://www.example.com`."""
    candidate = "https://" + text.strip().removeprefix("//")
    return candidate if "." in text and " " not in text.strip() else None


def currency(text: str) -> str | None:
    """`usd` -> `USD`, `€` -> `EUR`."""
    text = text.strip()
    if text in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[text]
    return text.upper() if len(text) == 3 and text.isalpha() and text.isascii() else None
