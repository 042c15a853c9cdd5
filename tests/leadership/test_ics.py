"""`martechgov inventory --format ics`: an RFC 5545 feed, read back by the icalendar library.

The consumer is a calendar app; the test reads the feed with `icalendar` (the library
calendar tools in Python use) and checks the wire format itself: CRLF line ends, lines
folded at 75 octets, and text from requests escaped so it cannot add properties.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from click.testing import CliRunner
from icalendar import Calendar

from martechgov.cli import main

from ..conftest import DATA

FIXTURES = "tests/data/leadership"
HOSTILE = "Acme, Inc.; \"Pro\"\nSUMMARY:injected\\nBEGIN:VEVENT"


def feed(runner: CliRunner, *args: str) -> bytes:
    result = runner.invoke(main, ["inventory", *args, "--format", "ics",
                                  "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def events(raw: bytes) -> dict[str, dict[str, object]]:
    calendar = Calendar.from_ical(raw)
    return {str(event["UID"]): {
        "summary": str(event["SUMMARY"]), "start": event.decoded("DTSTART"),
        "end": event.decoded("DTEND"), "description": str(event["DESCRIPTION"]),
        "alarms": [str(alarm["TRIGGER"].to_ical(), "ascii") for alarm in event.subcomponents],
    } for event in calendar.walk("VEVENT")}


def test_one_event_per_cancel_by_and_renewal(runner: CliRunner, in_root: Path) -> None:
    found = events(feed(runner, FIXTURES))
    assert {uid: (e["summary"], e["start"]) for uid, e in found.items()} == {
        "cancel-by-20261120-pixel-denied@martechgov": (
            "Cancel by: Retarget Pixel (renews 2026-12-20)", dt.date(2026, 11, 20)),
        "cancel-by-20261201-acme-crm@martechgov": (
            "Cancel by: Acme CRM Sync (renews 2027-01-15)", dt.date(2026, 12, 1)),
        "renewal-20261220-pixel-denied@martechgov": (
            "Renews: Retarget Pixel, 9,000 USD", dt.date(2026, 12, 20)),
        "renewal-20270115-acme-crm@martechgov": (
            "Renews: Acme CRM Sync, 12,000 USD", dt.date(2027, 1, 15)),
        # brand-survey does not renew by itself: a renewal date, nothing to cancel
        "renewal-20270220-brand-survey@martechgov": (
            "Renews: Brand Survey, 1,234.50 EUR", dt.date(2027, 2, 20)),
    }
    acme = found["cancel-by-20261201-acme-crm@martechgov"]
    assert acme["end"] == dt.date(2026, 12, 2)  # an all-day event
    assert acme["alarms"] == ["-P14D"]  # two weeks' warning
    assert str(acme["description"]) == (
        "12,000 USD, renews 2027-01-15, cancel by 2026-12-01\nOwner: ada@example.com\n"
        "Status: proposed; decision: review\nRequest: tests/data/leadership/acme-crm.yaml")


def test_uids_are_stable_and_the_feed_is_byte_identical(runner: CliRunner,
                                                       in_root: Path) -> None:
    first, second = feed(runner, FIXTURES), feed(runner, FIXTURES)
    assert first == second  # DTSTAMP is the as-of date, not the clock
    later = runner.invoke(main, ["inventory", FIXTURES, "--format", "ics",
                                 "--as-of", "2026-11-30"]).stdout_bytes
    assert set(events(later)) == set(events(first))  # same events, same UIDs


def test_wire_format_crlf_folding_and_headers(runner: CliRunner, in_root: Path) -> None:
    raw = feed(runner)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends with CRLF
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75  # RFC 5545 3.1: 75 octets
    assert any(line.startswith(b" ") for line in lines)  # long descriptions are folded
    calendar = Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//martechgov//martech renewals//EN"
    assert len(calendar.walk("VEVENT")) == len(set(events(raw)))  # UIDs are unique


def test_text_from_requests_cannot_add_properties(runner: CliRunner, tmp_path: Path) -> None:
    text = (DATA / "leadership" / "acme-crm.yaml").read_text()
    (tmp_path / "acme-crm.yaml").write_text(
        text.replace("name: Acme CRM Sync", f"name: {json.dumps(HOSTILE)}"))
    # regorus: the embedded engine cannot yet judge a name with a double quote.
    raw = feed(runner, str(tmp_path), "--engine", "regorus")
    assert re.search(rb"^SUMMARY:injected", raw, re.MULTILINE) is None
    assert len(re.findall(rb"^BEGIN:VEVENT\r$", raw, re.MULTILINE)) == 2  # a line of its own
    unfolded = raw.replace(b"\r\n ", b"")
    assert b"Acme\\, Inc.\\; " in unfolded  # commas and semicolons escaped (3.3.11)
    summaries = sorted(e["summary"] for e in events(raw).values())
    # The line break is not a line break any more; the rest reads back as typed.
    assert summaries[0] == ("Cancel by: Acme, Inc.; \"Pro\" SUMMARY:injected\\nBEGIN:VEVENT "
                            "(renews 2027-01-15)")


def test_retired_and_invalid_requests_have_no_events(runner: CliRunner, tmp_path: Path) -> None:
    text = (DATA / "leadership" / "acme-crm.yaml").read_text()
    (tmp_path / "acme-crm.yaml").write_text(text.replace("id: acme-crm",
                                                         "id: acme-crm\nretired_on: 2026-10-01"))
    (tmp_path / "broken.yaml").write_text((DATA / "leadership" / "broken.yaml").read_text())
    assert events(feed(runner, str(tmp_path))) == {}
