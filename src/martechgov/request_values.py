"""The values a request holds, canonical and bounded: the kernel's value types.

Values are canonical, so that no Rego engine can read them differently from real OPA
(see ../shared/REGO-ENGINES.md): text is NFKC-normalised with invisible format
characters dropped and every run of whitespace (no-break, ideographic, em spaces, line
separators) made one space; numbers stay where every engine represents them exactly
(whole numbers with realistic maxima, money with at most 2 decimals, no infinities);
dates stay inside the range every engine's time functions handle. Names compare by
`name_key`, computed here once for requests and IT's data alike.

The request model (`request_model`), IT's declared fields (`fieldspec`) and the policy
data models (`policy_data`) build on these types.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    Field,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"  # an ISO 4217 code
# Each pattern's kind: the plain words (plain_words.HINTS) messages and the editor show
PATTERN_KINDS = {SLUG_PATTERN: "slug", EMAIL_PATTERN: "email", URL_PATTERN: "url",
                 CURRENCY_PATTERN: "currency"}

# Dates every engine's time functions handle (OPA's nanosecond times end in 1677 and
# 2262; the rules add up to 36 months to a date). `--as-of` is held to the same range.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
MONEY_MAX = 1_000_000_000  # with 2 decimals, exact in every engine's numbers (< 2^53)


def canonical_text(text: str) -> str:
    """NFKC, format characters (zero-width, bidi controls) dropped, whitespace runs as one
    space, no surrounding space: `"\u3000Kochava\u00a0Inc.\u2028"` -> `"Kochava Inc."`."""
    if not text.isascii():  # ASCII is already NFKC and has no format characters
        text = unicodedata.normalize("NFKC", text)
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


# Legal forms a company name may end with; `Kochava, Inc.` and `Kochava` are one vendor.
LEGAL_FORMS = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "llp", "lp",
    "ltd", "limited", "plc", "pty", "pte", "pvt", "gmbh", "mbh", "ag", "kg", "ug", "se",
    "sa", "sas", "sarl", "srl", "spa", "sl", "slu", "bv", "nv", "oy", "oyj", "ab", "as",
    "asa", "aps", "kk",
})


def name_key(text: str) -> str:
    """How names compare: `KOCHAVA, Inc.`, `Kochava Inc` and `Kochava` are `kochava`.

    Canonical text, accents dropped, case folded, dots removed (`S.A.` is `sa`), other
    punctuation as spaces, and trailing legal forms dropped (a name is never emptied).
    Computed in Python once, for the request and for IT's block list alike, because the
    Rego engines lowercase non-ASCII text differently."""
    text = unicodedata.normalize("NFKD", canonical_text(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = "".join(c if c.isalnum() else " " for c in text.replace(".", "")).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _text_not_blank(text: str) -> str:
    text = canonical_text(text)
    if not text:
        raise PydanticCustomError("text_blank", "is blank; write it in words")
    return text


def _whole_number(unit: str, maximum: int, minimum: int = 0) -> WrapValidator:
    def check(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok or not minimum <= value <= maximum:
            raise PydanticCustomError(
                "bounded_value" if ok else "bounded_type",
                f"must be a whole number of {unit} from {minimum:,} to {maximum:,}",
            )
        return handler(value)

    return WrapValidator(check)


def _money(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not (number and math.isfinite(value) and 0 <= value <= MONEY_MAX
            and Decimal(repr(value)).normalize().as_tuple().exponent >= -2):  # type: ignore[operator]
        raise PydanticCustomError(
            "bounded_value" if number else "bounded_type",
            f"must be an amount of money from 0 to {MONEY_MAX:,} with at most 2 decimal "
            "places (like 1200 or 1200.50)",
        )
    value = handler(value)
    return int(value) if value == int(value) else value  # 25000.0 is 25000


def _in_date_range(day: dt.date) -> dt.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise PydanticCustomError(
            "date_range", f"must be a date from {DATE_MIN} to {DATE_MAX}")
    return day


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]
Url = Annotated[str, Field(pattern=URL_PATTERN, max_length=2048)]
Text = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_text_not_blank)]
Date = Annotated[dt.date, Field(strict=False, description=f"A date from {DATE_MIN} to {DATE_MAX}."),
                 AfterValidator(_in_date_range)]
Money = Annotated[int | float, WrapValidator(_money), WithJsonSchema({
    "type": "number", "minimum": 0, "maximum": MONEY_MAX,
    "description": "An amount with at most 2 decimal places.",
})]
Seats = Annotated[int, Field(ge=0, le=10_000_000), _whole_number("seats", 10_000_000)]
Days = Annotated[int, Field(ge=0, le=36_500), _whole_number("days", 36_500)]
Hours = Annotated[int, Field(ge=0, le=8_760), _whole_number("hours", 8_760)]
Months = Annotated[int, Field(ge=1, le=120), _whole_number("months", 120, 1)]
