"""The "did you mean" of a message: offered only when the input says it (guesses.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from martechgov import guesses

D = dt.date


@pytest.mark.parametrize(("text", "days"), [
    ("01/15/2027", [D(2027, 1, 15)]),  # no 15th month: month first
    ("15/01/2027", [D(2027, 1, 15)]),
    ("15.01.2027", [D(2027, 1, 15)]),  # dots are day first
    ("2027/01/15", [D(2027, 1, 15)]),
    ("20270115", [D(2027, 1, 15)]),
    ("January 15, 2027", [D(2027, 1, 15)]),
    ("15 Jan 2027", [D(2027, 1, 15)]),
    ("Jan 15th, 2027", [D(2027, 1, 15)]),
    ("01/02/2027", [D(2027, 1, 2), D(2027, 2, 1)]),  # both readings
    ("05/05/2027", [D(2027, 5, 5)]),  # both readings are one day
    ("01/02/27", []),  # a two-digit year is one guess too many
    ("13/13/2027", []), ("next spring", []), ("2027-02-30", []), ("Smarch 3, 2027", []),
])
def test_dates(text: str, days: list[dt.date]) -> None:
    assert guesses.dates(text) == days


def test_a_day_that_is_not_in_the_calendar_says_what_to_check() -> None:
    assert guesses.calendar_check("2027-02-30") == "check the day: February 2027 has 28 days"
    assert guesses.calendar_check("2028-02-30") == "check the day: February 2028 has 29 days"
    assert guesses.calendar_check("2027-12-32") == "check the day: December 2027 has 31 days"
    assert guesses.calendar_check("2027-13-01") == "check the month: months run from 01 to 12"
    # the ends of what a date can hold: a message, never a crash
    assert guesses.calendar_check("9999-12-32") == "check the day: December 9999 has 31 days"
    assert guesses.calendar_check("0000-01-40") == (
        "check the year: write it with four digits, e.g. 2027")
    assert guesses.spoken(D(2027, 1, 2)) == "2 January 2027"


@pytest.mark.parametrize(("value", "whole", "number"), [
    ("$9,000", False, 9000), ("9 000 EUR", False, 9000), ("EUR 1,200.50", False, 1200.5),
    ("9k", False, 9000), ("25 seats", True, 25), ("010", True, 10), ("1_000", True, 1000),
    ("0x1F", True, 31), ("12.5", True, None), ("12.5", False, 12.5), ("1:30", True, None),
    ("nine", True, None), ("", True, None), (True, True, None), (None, True, None),
    ("9" * 200, True, None),  # too long to guess
])
def test_numbers(value: object, whole: bool, number: float | None) -> None:
    assert guesses.number(value, whole) == number


DEPLOYMENTS = ["saas", "agency-operated", "tag", "browser-extension", "self-hosted"]
SYSTEMS = ["salesforce", "sap-s4hana", "workday", "snowflake", "okta", "slack"]


@pytest.mark.parametrize(("value", "allowed", "meant"), [
    ("agency", DEPLOYMENTS, "agency-operated"),  # the only one it starts
    ("self hosted", DEPLOYMENTS, "self-hosted"),
    ("SaaS", DEPLOYMENTS, "saas"),
    ("SCC", ["not-needed", "adequacy", "dpf", "scc"], "scc"),
    ("no", ["saml", "oidc", "none"], "none"),
    ("salesforce-crm", SYSTEMS, "salesforce"),
    ("Okta SSO", SYSTEMS, "okta"),
    ("dpa_sigend", ["dpa_signed", "tia_done"], "dpa_signed"),
    ("ad", ["ad-platform", "ad-pixel"], None),  # starts two: no guess
    ("sfdc", SYSTEMS, None),  # nothing close
    ("yes", ["saml", "oidc", "none"], None),
    ("x" * 101, ["x" * 101], None),  # too long to compare
])
def test_words(value: str, allowed: list[str], meant: str | None) -> None:
    assert guesses.word(value, allowed) == meant


def test_ids_currencies_and_addresses() -> None:
    assert guesses.slug("HubSpot Marketing Hub") == "hubspot-marketing-hub"
    assert guesses.slug("!!!") is None
    assert guesses.currency("usd") == "USD" and guesses.currency("€") == "EUR"
    assert guesses.currency("dollars") is None
    assert guesses.url("www.typeform.com") == "https://www.typeform.com"
    assert guesses.url("typeform") is None
