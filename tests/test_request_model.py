"""The request model keeps every value where all Rego engines read it as OPA does.

Numbers past 2^53 or 2^63, fractions of a cent, infinities and dates outside 1900..2199
are `invalid` at their line with plain words (regopy wrapped 2^64 days to 0 and approved;
every engine failed on a date in 2300 and the whole run stopped). Text is canonical.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from martechgov.loader import load_request, load_request_text
from martechgov.request_model import ToolRequest
from martechgov.request_schema import json_schema
from martechgov.request_values import canonical_text, name_key

from .conftest import DATA

BOUNDS = DATA / "bounds"
# file under tests/data/bounds -> (rule, line, column, message)
INVALID = {
    "retention-2-64.yaml": ("schema.value", 19, 3, "`data.retention_days` must be a whole "
                            "number of days from 0 to 36,500; it is 18446744073709551616"),
    "retention-too-long.yaml": ("schema.value", 19, 3, "`data.retention_days` must be a whole "
                                "number of days from 0 to 36,500; it is 36501"),
    "retention-fraction.yaml": ("schema.type", 19, 3, "`data.retention_days` is `365.5`: write "
                                "a whole number of days from 0 to 36,500"),
    "breach-notice-2-64.yaml": ("schema.value", 28, 3, "`privacy.breach_notice_hours` must be "
                                "a whole number of hours from 0 to 8,760; it is "
                                "18446744073709551616"),
    "seats-2-63.yaml": ("schema.value", 10, 3, "`tool.seats` must be a whole number of seats "
                        "from 0 to 10,000,000; it is 9223372036854775808"),
    "annual-2-64.yaml": ("schema.value", 31, 3, "`cost.annual` must be an amount of money "
                         "from 0 to 1,000,000,000 with at most 2 decimal places (like 1200 "
                         "or 1200.50); it is 18446744073709551616"),
    "annual-inf.yaml": ("schema.value", 31, 3, "`cost.annual` must be an amount of money "
                        "from 0 to 1,000,000,000 with at most 2 decimal places (like 1200 or "
                        "1200.50); it is .inf"),
    "annual-nan.yaml": ("schema.value", 31, 3, "`cost.annual` must be an amount of money "
                        "from 0 to 1,000,000,000 with at most 2 decimal places (like 1200 or "
                        "1200.50); it is .nan"),
    "annual-three-decimals.yaml": ("schema.value", 31, 3, "`cost.annual` must be an amount of "
                                   "money from 0 to 1,000,000,000 with at most 2 decimal "
                                   "places (like 1200 or 1200.50); it is 1200.005"),
    "annual-quoted.yaml": ("schema.type", 31, 3, "`cost.annual` is `\"1200\"`: write the amount "
                           "as a plain number, e.g. 9000"),
    "pentest-2300.yaml": ("schema.value", 24, 3, "`security.pentest_date` must be a date from "
                          "1900-01-01 to 2199-12-31; it is 2300-01-01"),
    "pentest-1899.yaml": ("schema.value", 24, 3, "`security.pentest_date` must be a date from "
                          "1900-01-01 to 2199-12-31; it is 1899-12-31"),
    "soc2-9999.yaml": ("schema.value", 23, 3, "`security.soc2_type2_period_end` must be a date "
                       "from 1900-01-01 to 2199-12-31; it is 9999-12-31"),
}


def test_every_bounds_file_is_covered() -> None:
    assert sorted(p.name for p in BOUNDS.iterdir()) == sorted([*INVALID, "at-the-limits.yaml"])


@pytest.mark.parametrize("name", sorted(INVALID))
def test_a_value_no_engine_holds_exactly_is_invalid_at_its_line(name: str) -> None:
    loaded = load_request(BOUNDS / name, f"requests/{name}")
    assert [(p.rule, p.line, p.column, p.message) for p in loaded.problems] == [INVALID[name]]


def test_the_limits_themselves_are_valid() -> None:
    loaded = load_request(BOUNDS / "at-the-limits.yaml", "requests/at-the-limits.yaml")
    assert loaded.problems == []
    request = loaded.request
    assert request is not None and request.cost is not None and request.security is not None
    assert (request.tool.seats, request.data.retention_days, request.cost.annual) == (
        10_000_000, 36_500, 1_000_000_000)
    assert request.security.soc2_type2_period_end == dt.date(2199, 12, 31)
    assert request.security.pentest_date == dt.date(1900, 1, 1)


def _with(text: str, old: str, new: str) -> ToolRequest:
    loaded = load_request_text(text.replace(old, new, 1), "requests/at-the-limits.yaml")
    assert loaded.problems == [], loaded.problems
    assert loaded.request is not None
    return loaded.request


@pytest.fixture
def limits() -> str:
    return (BOUNDS / "at-the-limits.yaml").read_text()


@pytest.mark.parametrize(("written", "value"), [
    ("25000.0", 25000), ("82283.10", 82283.1), ("0.01", 0.01), ("999999999.99", 999999999.99),
])
def test_money_is_canonical(limits: str, written: str, value: float) -> None:
    annual = _with(limits, "annual: 1000000000", f"annual: {written}").cost.annual  # type: ignore[union-attr]
    assert annual == value and type(annual) is type(value)


@pytest.mark.parametrize("written", [
    "Kochava Inc.", "Kochava Inc.\\u00a0", "\\u3000Kochava Inc.", "Kochava\\u2003Inc.",
    "Kochava Inc.\\u2028", "Kochava  Inc.", " Kochava\\tInc. ", "Koch\\u200bava Inc.",
    "\\uff2b\\uff4f\\uff43\\uff48\\uff41\\uff56\\uff41 Inc.",
])
def test_text_is_canonical(limits: str, written: str) -> None:
    request = _with(limits, "vendor: Bounded Ltd", f'vendor: "{written}"')
    assert request.tool.vendor == "Kochava Inc."


@pytest.mark.parametrize(("written", "key"), [
    ("KOCHAVA INC.", "kochava"),
    ("KOCHAVA \u0130NC.", "kochava"),  # Turkish dotted I
    ("\u212aochava Inc.", "kochava"),  # Kelvin sign
    ("Kochava", "kochava"), ("Kochava Inc", "kochava"), ("Kochava, Inc.", "kochava"),
    ("Kochava Pty. Ltd.", "kochava"), ("Kochava  GmbH", "kochava"),
    ("Soci\u00c9t\u00c9 G\u00c9n\u00c9rale S.A.", "societe generale"),  # accents dropped
    ("Stra\u00dfe", "strasse"), ("Clearview AI, Inc.", "clearview ai"),
    ("Limited", "limited"),  # a name is never emptied
    ("Kochava Analytics", "kochava analytics"),
])
def test_name_key_sets_aside_case_accents_punctuation_and_legal_forms(written: str,
                                                                      key: str) -> None:
    assert name_key(written) == key


def test_enum_words_and_ids_are_read_through_odd_spaces(limits: str) -> None:
    request = _with(limits, "sso: saml", 'sso: "saml\\u00a0"')
    assert request.security is not None and request.security.sso == "saml"
    assert canonical_text("\u2028salesforce ") == "salesforce"


def test_notes_keep_their_lines(limits: str) -> None:
    request = _with(limits, "kind: ToolRequest", 'kind: ToolRequest\nnotes: "one\\ntwo"')
    assert request.notes == "one\ntwo"


def test_the_schema_states_the_bounds_for_editors() -> None:
    defs = json_schema()["$defs"]
    assert isinstance(defs, dict)
    annual = defs["Cost"]["properties"]["annual"]
    assert (annual["type"], annual["minimum"], annual["maximum"]) == ("number", 0, 1_000_000_000)
    days = defs["Data"]["properties"]["retention_days"]
    assert (days["type"], days["maximum"]) == (["integer", "null"], 36_500)
    assert "2199-12-31" in json.dumps(defs["Security"]["properties"]["pentest_date"])

