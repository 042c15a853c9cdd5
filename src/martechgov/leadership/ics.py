"""`martechgov inventory --format ics`: renewals and cancel-by dates as an iCalendar feed.

Procurement lives in calendars: one all-day event per cancel-by date (with a reminder
two weeks before) and per renewal date, RFC 5545, written by the `icalendar` library
(line folding, CRLF line ends, escaping of commas, semicolons and line breaks in text
that comes from request files). Each event's UID is derived from the request id, the
kind of event and its date, so a calendar subscribed to the feed updates its events
instead of duplicating them, and a moved date becomes a new event in place of the old
one. DTSTAMP is the as-of date, so the same requests give a byte-identical feed.
Retired tools have nothing left to renew or cancel and are left out.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent

from martechgov import escape
from martechgov.leadership.inventory import Inventory, cost_text, decision_text, status_text
from martechgov.leadership.records import InventoryRow
from martechgov.rendering import policy_label

PRODID = "-//martechgov//martech renewals//EN"
REMINDER_DAYS = 14
_MAX_TEXT = 300  # a summary line from a request stays readable in a calendar


def event_uid(row: InventoryRow, kind: str, day: dt.date) -> str:
    """`cancel-by-20261202-hubspot-marketing-hub@martechgov`: stable across runs."""
    return f"{kind}-{day:%Y%m%d}-{row.id}@martechgov"


def _text(value: str) -> str:
    # Control characters would be folded into the feed as they are; icalendar escapes
    # commas, semicolons, backslashes and line breaks itself.
    return escape.terminal(value)[:_MAX_TEXT]


def _event(row: InventoryRow, kind: str, day: dt.date, summary: str,
           stamp: dt.datetime) -> CalendarEvent:
    event = CalendarEvent()
    event.add("uid", event_uid(row, kind, day))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", _text(summary))
    event.add("description", _description(row))
    event.add("categories", ["martech", kind])
    event.add("transp", "TRANSPARENT")
    if kind == "cancel-by":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _text(f"{REMINDER_DAYS} days left to cancel {row.tool}"))
        alarm.add("trigger", dt.timedelta(days=-REMINDER_DAYS))
        event.add_component(alarm)
    return event


def _description(row: InventoryRow) -> str:
    # Short: calendars show it in a small box, and a feed of 20,000 events stays quick.
    lines = [
        f"{cost_text(row) or 'No cost stated'}"
        + (f", renews {row.renewal.isoformat()}" if row.renewal else "")
        + (f", cancel by {row.cancel_by.isoformat()}" if row.cancel_by else ""),
        f"Owner: {row.business_owner or 'not stated'}",
        f"Status: {status_text(row)}; decision: {decision_text(row)}",
        f"Request: {row.file}",
    ]
    return "\n".join(_text(line) for line in lines)


def calendar(inventory: Inventory) -> Calendar:
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", "Martech renewals and cancel-by dates")
    feed.add("x-wr-caldesc", f"As of {inventory.as_of.isoformat()}, judged by policy "
                             f"{policy_label(inventory.policy)}")
    stamp = dt.datetime.combine(inventory.as_of, dt.time(0, 0), tzinfo=dt.UTC)
    events = []
    for row in inventory.rows:
        if row.status == "retired" or row.decision in (None, "invalid") or row.id is None:
            continue
        if row.cancel_by is not None:
            renews = f" (renews {row.renewal.isoformat()})" if row.renewal else ""
            events.append((row.cancel_by, "cancel-by", row,
                           f"Cancel by: {row.tool}{renews}"))
        if row.renewal is not None:
            cost = f", {cost_text(row)}" if row.cost else ""
            events.append((row.renewal, "renewal", row, f"Renews: {row.tool}{cost}"))
    for day, kind, row, summary in sorted(events, key=lambda e: (e[0], e[1], e[2].file)):
        feed.add_component(_event(row, kind, day, summary, stamp))
    return feed


class IcsFormatter:
    def write(self, inventory: Inventory, stream: TextIO) -> None:
        # to_ical() folds lines at 75 octets and ends each with CRLF (RFC 5545 3.1).
        stream.write(calendar(inventory).to_ical().decode("utf-8"))
