"""Generate the sample exports `martechgov discover` is shown and tested with.

    python tests/data/exports/generate_exports.py          # rewrites the three CSV files

Deterministic (fixed seed): running it again gives byte-identical files, so the tests
can pin exact findings. The files imitate real exports, with their real column names:

- okta-app-usage.csv: Okta's Application Usage report (90 days, newest first);
- google-oauth-token-audit.csv: Google Workspace OAuth log events (Admin console >
  Reporting > Audit and investigation > OAuth log events, exported; newest first);
- expenses.csv: a corporate card export (15 months, oldest first).

They mix tools approved in requests/ (HubSpot, Zoom, Typeform, Semrush, Segment,
ZoomInfo), IT's systems (Slack, Salesforce, Okta), tools whose request was denied
(Mailchimp, Hotjar), tools nobody requested (Canva, Hootsuite, Calendly, Loom,
Apollo.io, Grammarly, ChatGPT, Miro, Google Ads), misspelled and noisy card merchants
("TYPEFROM SL", "SEMRSH INC", "HOOTSUTIE INC", "SQ *ZOOM.US 888-799"), spend that is
not software (travel, meals), and a handful of deliberately bad rows: an unreadable
amount, missing dates, a missing currency, a short row, and a line with a byte that is
not UTF-8, so that skipping them is visible.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2026
END = dt.date(2026, 11, 20)

PEOPLE = [
    "Priya Raman", "Lena Fischer", "Sam Carter", "Marco Bianchi", "Aisha Okafor",
    "Tom Becker", "Jonas Berg", "Ana Ruiz", "Ben Okafor", "Chloe Park", "Zoë Müller",
    "José Núñez", "Mei Chen", "Lucas Silva", "Fatima Zahra", "Oliver Smith",
    "Emma Johansson", "Noah Williams", "Sofia Rossi", "Liam O'Brien", "Hana Sato",
    "Kwame Mensah", "Isabel García", "Raj Patel", "Nina Kowalski", "Omar Haddad",
    "Grace Lee", "Daniel Kim", "Elena Petrova", "Tariq Aziz",
]
ASCII = str.maketrans("ëüéúíáñ", "euuuian")


def email(person: str) -> str:
    first, last = person.lower().translate(ASCII).replace("'", "").split(" ", 1)
    return f"{first}.{last.replace(' ', '')}@example.com"


def pick_people(rng: random.Random, count: int) -> list[str]:
    return rng.sample(PEOPLE, count)


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# --- Okta Application Usage -------------------------------------------------------

OKTA_APPS = [  # instance name, number of people, sign-ins
    ("Slack", 24, 90), ("Salesforce.com", 10, 40), ("Zoom", 14, 45), ("HubSpot", 8, 40),
    ("Typeform", 4, 12), ("Semrush", 3, 10), ("Twilio Segment", 3, 8), ("ZoomInfo", 5, 15),
    ("Okta Admin Console", 2, 6), ("Hotjar", 2, 6), ("Canva", 9, 40), ("Hootsuite", 3, 14),
    ("Miro", 7, 30), ("Loom", 6, 24),
]


def okta_rows(rng: random.Random) -> list[list[str]]:
    rows = []
    for app, people, signins in OKTA_APPS:
        users = pick_people(rng, people)
        for _ in range(signins):
            person = rng.choice(users)
            when = dt.datetime.combine(END - dt.timedelta(days=rng.randrange(88)),
                                       dt.time(rng.randrange(7, 19), rng.randrange(60),
                                               rng.randrange(60)))
            app_user = email(person) if rng.random() < 0.9 else ""
            rows.append([person, email(person), app_user, app,
                         when.strftime("%b %d, %Y %I:%M:%S %p").replace(" 0", " "),
                         when.strftime("%Y-%m-%dT%H:%M:%S.000Z")])
    rows.sort(key=lambda row: (row[5], row[3], row[1]), reverse=True)
    # deliberately bad: an unreadable date, and a row whose application is missing
    rows.insert(57, ["Tom Becker", email("Tom Becker"), "", "Canva", "N/A", "N/A"])
    rows.insert(203, ["Mei Chen", email("Mei Chen"), "", "", "Oct 2, 2026 10:01:12 AM",
                      "2026-10-02T10:01:12.000Z"])
    return rows


# --- Google Workspace OAuth log events ----------------------------------------------

SCOPES = {
    "calendar": "https://www.googleapis.com/auth/calendar",
    "gmail": "https://www.googleapis.com/auth/gmail.readonly",
    "send": "https://www.googleapis.com/auth/gmail.send",
    "contacts": "https://www.googleapis.com/auth/contacts.readonly",
    "drive": "https://www.googleapis.com/auth/drive.file",
    "sheets": "https://www.googleapis.com/auth/spreadsheets",
    "docs": "https://www.googleapis.com/auth/documents",
    "profile": "openid https://www.googleapis.com/auth/userinfo.email",
}
GOOGLE_APPS = [  # app name, scopes, people, events
    ("Zoom for Google Workspace", ("calendar",), 10, 40), ("HubSpot Sales", ("gmail",), 6, 30),
    ("Typeform", ("sheets",), 3, 10), ("Google Chrome", ("profile",), 12, 30),
    ("iOS Account Manager", ("profile", "calendar", "contacts"), 6, 16),
    ("Calendly", ("calendar",), 11, 55), ("Grammarly", ("docs",), 8, 40),
    ("Apollo.io", ("send", "contacts"), 5, 35), ("Loom", ("drive",), 5, 25),
    ("Miro", ("drive",), 4, 20), ("Canva", ("drive",), 6, 30), ("ChatGPT", ("drive",), 9, 45),
]
EVENTS = ["Authorize"] * 12 + ["Activity"] * 6 + ["Revoke", "Deny"]


def google_rows(rng: random.Random) -> list[list[str]]:
    rows = []
    for number, (app, scopes, people, events) in enumerate(GOOGLE_APPS):
        users = pick_people(rng, people)
        client = f"{104_000_000_000 + number * 7_919}-{app.lower()[:3]}" \
                 f"{number:02d}k2r.apps.googleusercontent.com"
        scope = " ".join(SCOPES[s] for s in scopes)
        for _ in range(events):
            actor = email(rng.choice(users))
            event = rng.choice(EVENTS)
            when = dt.datetime.combine(END - dt.timedelta(days=rng.randrange(180)),
                                       dt.time(rng.randrange(24), rng.randrange(60),
                                               rng.randrange(60)))
            verb = {"Authorize": "authorized access to", "Activity": "used",
                    "Revoke": "revoked access to", "Deny": "denied access to"}[event]
            rows.append([when.strftime("%Y-%m-%dT%H:%M:%SZ"), event,
                         f"{actor} {verb} {app} for {scope}", actor, app, client, scope,
                         f"203.0.113.{rng.randrange(1, 255)}"])
    rows.sort(key=lambda row: (row[0], row[4], row[3]), reverse=True)
    # deliberately bad: a date that is not a date
    rows.insert(120, ["last Tuesday", "Authorize", "grace.lee@example.com authorized access "
                      "to Miro", "grace.lee@example.com", "Miro", "", SCOPES["drive"], ""])
    return rows


# --- card expenses ------------------------------------------------------------------

# merchant variants, amount, currency, category, payers, months (None = every month)
SUBSCRIPTIONS = [
    (["HUBSPOT *INC", "HUBSPOT INC CAMBRIDGE MA"], "3600.00", "USD", "Software", 1, None),
    (["SQ *ZOOM.US 888-799", "ZOOM.US 888-799-9666 CA"], "149.90", "USD", "Software", 1,
     None),
    (["TYPEFORM SL", "TYPEFROM SL BARCELONA"], "83.00", "EUR", "Subscriptions", 1, None),
    (["SEMRUSH.COM", "SEMRSH INC"], "129.95", "USD", "Software", 1, None),
    (["CANVA* 104839201", "CANVA PTY LTD SYDNEY AUS"], "14.99", "USD", "Software", 5, None),
    (["HOOTSUITE MEDIA INC", "HOOTSUITE INC VANCOUVER BC", "HOOTSUTIE INC"], "99.00", "USD",
     "Software", 1, None),
    (["CALENDLY", "CALENDLY.COM"], "12.00", "USD", "Subscriptions", 3, None),
    (["LOOM.COM", "LOOM INC"], "15.00", "USD", "Software", 2, range(4, 15)),
    (["APOLLO.IO", "APOLLO IO SAN FRANCISCO CA"], "99.00", "USD", "Software", 1,
     range(6, 15)),
    (["GRAMMARLY CO*PREMIUM", "GRAMMARLY INC"], "30.00", "USD", "Subscriptions", 2, None),
    (["OPENAI *CHATGPT SUBSCR"], "20.00", "USD", "Software", 6, range(2, 15)),
    (["MIRO.COM"], "10.00", "EUR", "Software", 2, None),
    (["PAYPAL *MAILCHIMP", "MAILCHIMP *MONTHLY"], "45.00", "EUR", "Subscriptions", 1, None),
    (["HOTJAR LTD"], "39.00", "EUR", "Software", 1, range(0, 6)),
]
OTHER_SPEND = [  # merchant, amounts, currency, category
    ("UBER *TRIP", ("18.40", "23.10", "31.75", "12.90"), "USD", "Travel"),
    ("DELTA AIR LINES", ("412.20", "689.00"), "USD", "Travel"),
    ("STARBUCKS STORE 10234", ("6.45", "11.20"), "USD", "Meals"),
    ("MARRIOTT HOTEL BOSTON", ("249.00", "318.50"), "USD", "Travel"),
    ("AMZN MKTP US*2K4LL7", ("34.99", "89.00"), "USD", "Office Supplies"),
    ("PRET A MANGER LONDON", ("9.80", "14.25"), "GBP", "Meals"),
]
FIRST_MONTH = dt.date(2025, 9, 1)


def month_day(month: int, day: int) -> dt.date:
    year, month0 = divmod(FIRST_MONTH.month - 1 + month, 12)
    return dt.date(FIRST_MONTH.year + year, month0 + 1, day)


def expense_rows(rng: random.Random) -> list[list[str]]:
    rows: list[tuple[dt.date, list[str]]] = []
    for merchants, amount, currency, category, payers, months in SUBSCRIPTIONS:
        users = pick_people(rng, payers)
        day = rng.randrange(1, 28)
        for month in months or range(15):
            for payer in users:
                when = month_day(month, day)
                if when > END:
                    continue
                merchant = _variant(merchants, month)
                rows.append((when, _expense(when, merchant, amount, currency, payer,
                                            category, rng)))
    for _ in range(180):
        merchant, amounts, currency, category = rng.choice(OTHER_SPEND)
        when = FIRST_MONTH + dt.timedelta(days=rng.randrange((END - FIRST_MONTH).days + 1))
        rows.append((when, _expense(when, merchant, rng.choice(amounts), currency,
                                    rng.choice(PEOPLE), category, rng)))
    # Google Ads: spend that varies, on one card
    for month in range(15):
        when = month_day(month, 3)
        if when <= END:
            rows.append((when, _expense(when, f"GOOGLE *ADS{4_400_000 + month}",
                                        f"{rng.randrange(400, 2400)}.00", "USD",
                                        "Sam Carter", "Advertising", rng)))
    # a refund from Canva
    refund = dt.date(2026, 5, 12)
    rows.append((refund, _expense(refund, "CANVA* 104839299", "-14.99", "USD", "Ana Ruiz",
                                  "Software", rng)))
    rows.sort(key=lambda item: (item[0], item[1][2], item[1][5]))
    return [row for _, row in rows]


def _variant(merchants: list[str], month: int) -> str:
    # Every fourth charge shows up under another spelling, so each variant is present.
    if month % 4 != 3 or len(merchants) == 1:
        return merchants[0]
    return merchants[1 + (month // 4) % (len(merchants) - 1)]


def _expense(when: dt.date, merchant: str, amount: str, currency: str, payer: str,
             category: str, rng: random.Random) -> list[str]:
    posted = when + dt.timedelta(days=rng.choice((1, 1, 2, 3)))
    value = f"{float(amount):,.2f}" if float(amount) >= 1000 else amount
    return [when.isoformat(), posted.isoformat(), merchant, value, currency, payer,
            category, f"{4000 + PEOPLE.index(payer) * 37:04d}"[-4:]]


EXPENSE_HEADER = ["Transaction Date", "Posted Date", "Merchant", "Amount", "Currency",
                  "Employee", "Category", "Card Last 4"]
# Deliberately bad rows, inserted at fixed positions: (index, CSV line as bytes)
BAD_EXPENSES = [
    (40, b"2025-10-14,2025-10-15,CANVA* 104839201,\"12,5O\",USD,Ana Ruiz,Software,4259\n"),
    (95, b",,LOOM.COM,15.00,USD,Chloe Park,Software,4333\n"),
    (160, b"2026-01-09,2026-01-10,CALENDLY,12.00,,Grace Lee,Subscriptions,4962\n"),
    (230, b"2026-03-18,2026-03-19,GRAMMARLY INC,30.00\n"),
    (300, b"2026-06-02,2026-06-03,CAF\xc9 CREME PARIS,8.50,EUR,Ren\xe9e Dubois,Meals,4444\n"),
]


def expenses_bytes(rng: random.Random) -> bytes:
    lines = csv_text(EXPENSE_HEADER, expense_rows(rng)).encode("utf-8").split(b"\n")
    lines = [line + b"\n" for line in lines if line]
    for index, line in BAD_EXPENSES:
        lines.insert(index, line)
    return b"".join(lines)


def main() -> None:
    rng = random.Random(SEED)
    okta_header = ["Person", "Login", "Application Username", "Instance Name", "Login Date",
                   "Login Date_ISO8601"]
    (HERE / "okta-app-usage.csv").write_text(csv_text(okta_header, okta_rows(rng)),
                                             encoding="utf-8", newline="")
    google_header = ["Date", "Event", "Description", "Actor", "App name", "Client ID",
                     "Scope", "IP address"]
    (HERE / "google-oauth-token-audit.csv").write_text(
        csv_text(google_header, google_rows(rng)), encoding="utf-8", newline="")
    (HERE / "expenses.csv").write_bytes(expenses_bytes(rng))


if __name__ == "__main__":
    main()
