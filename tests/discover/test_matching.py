"""`martechgov discover`: matching, findings on the sample exports, formats, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.discover.exports import read_export
from martechgov.discover.matching import (
    DiscoverOptions,
    KnownTool,
    build_index,
    discover,
    normalise,
    run_discover,
)
from martechgov.sources import display_path

from ..conftest import AS_OF, DATA, ROOT

EXPORTS = DATA / "exports"
SAMPLES = ["tests/data/exports/okta-app-usage.csv",
           "tests/data/exports/google-oauth-token-audit.csv",
           "tests/data/exports/expenses.csv"]


# --- normalising and matching ---------------------------------------------------------

@pytest.mark.parametrize("raw, words, domains", [
    ("HUBSPOT *INC", ("hubspot",), ()),
    ("SQ *ZOOM.US 888-799", ("zoom",), ("zoom.us",)),
    ("PAYPAL *MAILCHIMP", ("mailchimp",), ()),
    ("GOOGLE *ADS1234", ("google", "ads"), ()),
    ("HUBSPOT INC CAMBRIDGE MA", ("hubspot", "cambridge"), ()),
    ("CANVA* 104839201", ("canva",), ()),
    ("OPENAI *CHATGPT SUBSCR", ("openai", "chatgpt"), ()),
    ("www.app.hubspot.com", ("hubspot",), ("hubspot.com",)),
    ("Apollo.io", ("apollo",), ("apollo.io",)),
    ("TYPEFORM SL", ("typeform",), ()),
])
def test_normalise_card_statement_noise(raw: str, words: tuple[str, ...],
                                        domains: tuple[str, ...]) -> None:
    name = normalise(raw)
    assert (name.words, name.domains) == (words, domains)


KNOWN = [
    KnownTool("hubspot-marketing-hub", "HubSpot Marketing Hub", "HubSpot, Inc.",
              "https://www.hubspot.com/products/marketing", "review"),
    KnownTool("zoom-webinars", "Zoom Webinars", "Zoom Communications, Inc.",
              "https://zoom.us/webinar", "approve"),
    KnownTool("typeform", "Typeform", "TYPEFORM SL", "https://www.typeform.com", "approve"),
    KnownTool("semrush", "Semrush", "Semrush Inc.", "https://www.semrush.com", "approve"),
    KnownTool("google-analytics-4", "Google Analytics 4", "Google LLC",
              "https://marketingplatform.google.com/about/analytics/", "approve"),
    KnownTool("twilio-segment", "Twilio Segment", "Twilio Inc.", "https://segment.com",
              "review"),
    KnownTool("mailchimp", "Mailchimp Standard", "Intuit Mailchimp", "https://mailchimp.com",
              "deny"),
]


@pytest.mark.parametrize("raw, tool, how", [
    ("HUBSPOT *INC", "hubspot-marketing-hub", "name"),
    ("HubSpot Sales", "hubspot-marketing-hub", "name"),
    ("SQ *ZOOM.US 888-799", "zoom-webinars", "domain"),
    ("Zoom for Google Workspace", "zoom-webinars", "name"),
    ("TYPEFROM SL BARCELONA", "typeform", "fuzzy"),
    ("SEMRSH INC", "semrush", "fuzzy"),
    ("HUBSPTO INC", "hubspot-marketing-hub", "fuzzy"),
    ("SEGMENT.COM", "twilio-segment", "domain"),
    ("PAYPAL *MAILCHIMP", "mailchimp", "name"),
    ("Google Analytics", "google-analytics-4", "name"),
])
def test_misspelled_and_noisy_names_match(raw: str, tool: str, how: str) -> None:
    match = build_index(KNOWN).match(normalise(raw))
    assert match is not None
    assert (match.targets[0].id, match.how) == (tool, how)


@pytest.mark.parametrize("raw", [
    "GOOGLE *ADS1234",  # Google sells many products: the vendor alone proves nothing
    "LOOM.COM",  # four letters from "zoom": too short to be a misspelling
    "STARBUCKS STORE 10234", "Canva", "TWILIO SENDGRID",
])
def test_other_tools_do_not_match(raw: str) -> None:
    assert build_index(KNOWN).match(normalise(raw)) is None


# --- the sample exports -------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_result():  # noqa: ANN201 - a DiscoverResult
    options = DiscoverOptions([ROOT / p for p in SAMPLES], ROOT / "requests",
                              ROOT / "policies", AS_OF)
    return run_discover(options)


# tool, request, users, spend, spend in the last 12 months, first seen, last seen, sources
EXPECTED = [
    ("Canva", None, 15, {"USD": "1109.26"}, {"USD": "884.41"}, "2025-09-04", "2026-11-20",
     ("okta", "google", "expense")),
    ("ChatGPT", None, 13, {"USD": "1560.00"}, {"USD": "1440.00"}, "2025-11-19", "2026-11-20",
     ("google", "expense")),
    ("Miro", None, 13, {"EUR": "300.00"}, {"EUR": "240.00"}, "2025-09-17", "2026-11-19",
     ("okta", "google", "expense")),
    ("Calendly", None, 12, {"USD": "540.00"}, {"USD": "432.00"}, "2025-09-05", "2026-11-13",
     ("google", "expense")),
    ("Loom", None, 12, {"USD": "330.00"}, {"USD": "330.00"}, "2026-01-13", "2026-11-14",
     ("okta", "google", "expense")),
    ("Grammarly", None, 10, {"USD": "900.00"}, {"USD": "720.00"}, "2025-09-10", "2026-11-17",
     ("google", "expense")),
    ("Apollo.io", None, 6, {"USD": "891.00"}, {"USD": "891.00"}, "2026-03-18", "2026-11-18",
     ("google", "expense")),
    ("Hootsuite", None, 4, {"USD": "1485.00"}, {"USD": "1188.00"}, "2025-09-02", "2026-11-14",
     ("okta", "expense")),
    ("Hotjar Observe", "hotjar", 3, {"EUR": "234.00"}, {"EUR": "117.00"}, "2025-09-11",
     "2026-10-27", ("okta", "expense")),
    ("Google Ads", None, 1, {"USD": "23163.00"}, {"USD": "16772.00"}, "2025-09-03",
     "2026-11-03", ("expense",)),
    ("Mailchimp Standard", "mailchimp", 1, {"EUR": "675.00"}, {"EUR": "540.00"}, "2025-09-04",
     "2026-11-04", ("expense",)),
]


def test_exact_findings_on_the_sample_exports(sample_result) -> None:  # noqa: ANN001
    got = [(f.tool, f.request_id, f.users, {c: str(a) for c, a in f.spend.items()},
            {c: str(a) for c, a in f.spend_last_year.items()}, f.first_seen.isoformat(),
            f.last_seen.isoformat(), f.sources) for f in sample_result.findings]
    assert got == EXPECTED


def test_spend_matches_an_independent_sum_of_the_card_export(sample_result) -> None:  # noqa: ANN001
    # Added up here straight from the CSV, without martechgov's reader or matcher.
    text = (EXPORTS / "expenses.csv").read_bytes().decode("utf-8", errors="replace")
    totals: dict[str, Decimal] = {}
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        if len(row) != 8 or not row[0] or not row[4] or "\ufffd" in "".join(row):
            continue
        if any(word in row[2] for word in ("CANVA", "HOOTSU", "GOOGLE *ADS")):
            key = "Canva" if "CANVA" in row[2] else "Hootsuite" if "HOOTSU" in row[2] \
                else "Google Ads"
            try:
                amount = Decimal(row[3].replace(",", ""))
            except ArithmeticError:
                continue  # the unreadable amount
            totals[key] = totals.get(key, Decimal(0)) + amount
    found = {f.tool: f.spend["USD"] for f in sample_result.findings if f.tool in totals}
    assert found == totals


def test_approved_tools_in_use_and_how_they_were_written(sample_result) -> None:  # noqa: ANN001
    seen = {use.tool.id: (use.tool.decision, use.rows, set(use.seen_as))
            for use in sample_result.in_use}
    assert set(seen) == {"zoom-webinars", "slack", "hubspot-marketing-hub", "salesforce",
                         "typeform", "semrush", "zoominfo", "twilio-segment", "okta"}
    # review counts as approved (a request exists and named teams are looking)
    assert seen["hubspot-marketing-hub"][0] == "review"
    assert {"HUBSPOT *INC", "HUBSPOT INC CAMBRIDGE MA", "HubSpot", "HubSpot Sales"} \
        <= seen["hubspot-marketing-hub"][2]
    assert {"SQ *ZOOM.US 888-799", "ZOOM.US 888-799-9666 CA", "Zoom",
            "Zoom for Google Workspace"} <= seen["zoom-webinars"][2]
    assert {"TYPEFORM SL", "TYPEFROM SL BARCELONA", "Typeform"} <= seen["typeform"][2]
    assert {"SEMRUSH.COM", "SEMRSH INC", "Semrush"} <= seen["semrush"][2]
    hootsuite = next(f for f in sample_result.findings if f.tool == "Hootsuite")
    assert "HOOTSUTIE INC" in hootsuite.seen_as  # a misspelled unapproved tool, grouped


def test_bad_rows_and_notes_on_the_sample_exports(sample_result) -> None:  # noqa: ANN001
    okta, google, expenses = (display_path(ROOT / path) for path in SAMPLES)
    assert [str(bad) for bad in sample_result.bad_rows] == [
        f"{okta}:59: skipped: unreadable date "
        "'N/A' (expected a date such as 2026-11-20)",
        f"{okta}:205: skipped: missing name "
        "('Instance Name')",
        f"{google}:122: skipped: "
        "unreadable date 'last Tuesday' (expected a date such as 2026-11-20)",
        f"{expenses}:41: skipped: unreadable amount '12,5O' "
        "(expected a number such as 1234.56)",
        f"{expenses}:96: skipped: missing date "
        "('Transaction Date')",
        f"{expenses}:161: skipped: missing currency",
        f"{expenses}:231: skipped: missing columns: the row "
        "has 4 of the header's 8 columns",
        f"{expenses}:301: skipped: byte 0xC9 at column 26 "
        "is not UTF-8 text (export the file as UTF-8)",
    ]
    notes = [note.split(": ", 1)[1] for note in sample_result.notes]
    assert notes == [
        "180 rows not counted: not software spend (Meals 55, Office Supplies 33, Travel 92)",
        "44 rows not counted: Google's own clients, device sign-ins rather than tools "
        "(Google Chrome 28, iOS Account Manager 16)",
        "10 rows not counted: the user refused access (Deny events) (Apollo.io 1, "
        "Calendly 2, ChatGPT 2, Google Chrome 2, Loom 1, Typeform 1, "
        "Zoom for Google Workspace 1)",
    ]


def test_people_are_counted_once_across_exports(sample_result) -> None:  # noqa: ANN001
    # Okta knows name and email; the card export only the name; Google only the email.
    canva = next(f for f in sample_result.findings if f.tool == "Canva")
    assert all("@" not in name for name in canva.top_users)
    assert canva.top_user is not None and canva.top_user[1].endswith("@example.com")


def test_the_cli_on_the_sample_exports(runner: CliRunner, in_root: Path) -> None:
    result = runner.invoke(main, ["discover", *SAMPLES, "--as-of", "2026-11-23",
                                  "--format", "json"])
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    assert [f["tool"] for f in document["findings"]] == [row[0] for row in EXPECTED]
    assert document["summary"] == {"findings": 11, "rows": 1_335, "skipped": 8}
    assert [(s["file"], s["line"]) for s in document["skipped"]][:2] == [
        ("tests/data/exports/okta-app-usage.csv", 59),
        ("tests/data/exports/okta-app-usage.csv", 205)]
    assert result.stderr == ""  # json carries the skipped rows itself
    table = runner.invoke(main, ["discover", *SAMPLES, "--as-of", "2026-11-23"])
    assert table.exit_code == 1
    assert table.stdout.startswith("Shadow IT: 11 tools in use without an approved request")
    assert "tests/data/exports/expenses.csv:41: skipped: unreadable amount '12,5O'" \
        in table.stderr


# --- exact formats for a small case ---------------------------------------------------

CARD = ("Transaction Date,Merchant,Amount,Currency,Employee,Category\n"
        '2026-03-01,HUBSPOT *INC,"3,600.00",USD,Priya Raman,Software\n'
        "2026-03-02,CANVA* 104839201,119.99,USD,Ana Ruiz,Software\n"
        "2026-04-02,CANVA PTY LTD SYDNEY,119.99,USD,Ben Okafor,Software\n"
        "2026-04-05,PAYPAL *MAILCHIMP,20.00,EUR,Jonas Berg,Subscriptions\n"
        "2026-04-06,UBER *TRIP,20.00,USD,Jonas Berg,Travel\n"
        "2026-04-07,GOOGLE *ADS1234,12x,USD,Jonas Berg,Advertising\n")


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (tmp_path / "req").mkdir()
    for name in ("hubspot-marketing-hub", "mailchimp", "typeform"):
        shutil.copy(ROOT / "requests" / f"{name}.yaml", tmp_path / "req")
    (tmp_path / "card.csv").write_text(CARD)
    monkeypatch.chdir(tmp_path)
    return ["discover", "card.csv", "--requests", "req", "--policies", str(ROOT / "policies"),
            "--as-of", "2026-11-23"]


HEADLINE = ("Shadow IT: 2 tools in use without an approved request (as of 2026-11-23; 1 export, "
            "5 rows read; 2 approved requests and 10 IT systems)")
STDERR = ("card.csv:7: skipped: unreadable amount '12x' (expected a number such as 1234.56)\n"
          "note: card.csv: 1 row not counted: not software spend (Travel 1)\n")


def test_table_format(runner: CliRunner, small: list[str]) -> None:
    result = runner.invoke(main, small)
    assert result.exit_code == 1
    assert result.stdout == f"""{HEADLINE}

TOOL                REQUEST           USERS  TOP USERS             SPEND       FIRST SEEN  LAST SEEN   CATEGORY  SEEN IN
Canva               -                 2      Ana Ruiz, Ben Okafor  239.98 USD  2026-03-02  2026-04-02  content   expense
Mailchimp Standard  mailchimp (deny)  1      Jonas Berg            20.00 EUR   2026-04-05  2026-04-05  email     expense

Approved and in use: HubSpot Marketing Hub (1 row)
Skipped 1 bad row (listed on stderr with file:line).
"""  # noqa: E501
    assert result.stderr == STDERR


def test_markdown_format(runner: CliRunner, small: list[str]) -> None:
    result = runner.invoke(main, [*small, "--format", "markdown"])
    assert result.exit_code == 1
    assert result.stdout == f"""## {HEADLINE}

| Tool | Request | Users | Top users | Spend | First seen | Last seen | Category | Seen in |
|---|---|---:|---|---:|---|---|---|---|
| Canva |  | 2 | Ana Ruiz, Ben Okafor | 239.98 USD | 2026-03-02 | 2026-04-02 | content | expense |
| Mailchimp Standard | mailchimp (deny) | 1 | Jonas Berg | 20.00 EUR | 2026-04-05 | 2026-04-05 | email | expense |

**Approved and in use:** HubSpot Marketing Hub (1 row)

### Skipped rows (1)

- card.csv:7: skipped: unreadable amount '12x' (expected a number such as 1234.56)

### Notes

- card.csv: 1 row not counted: not software spend (Travel 1)
"""  # noqa: E501
    assert result.stderr == ""


def test_csv_format(runner: CliRunner, small: list[str]) -> None:
    result = runner.invoke(main, [*small, "--format", "csv"])
    assert result.exit_code == 1
    assert result.stdout == (
        "tool,vendor,website,category,request,request_decision,sources,users,top_users,spend,"
        "spend_last_12_months,first_seen,last_seen,rows,seen_as\n"
        "Canva,Canva Pty Ltd,https://canva.com,content,,,expense,2,Ana Ruiz; Ben Okafor,"
        "239.98 USD,239.98 USD,2026-03-02,2026-04-02,2,CANVA PTY LTD SYDNEY; CANVA* 104839201\n"
        "Mailchimp Standard,Intuit Mailchimp,https://mailchimp.com,email,mailchimp,deny,"
        "expense,1,Jonas Berg,20.00 EUR,20.00 EUR,2026-04-05,2026-04-05,1,PAYPAL *MAILCHIMP\n"
    )
    assert result.stderr == STDERR


def test_json_format(runner: CliRunner, small: list[str]) -> None:
    result = runner.invoke(main, [*small, "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "version": 1, "as_of": "2026-11-23", "approved_requests": 2, "it_systems": 10,
        "exports": [{"file": "card.csv", "kind": "expense", "encoding": "utf-8", "rows": 5,
                     "skipped": 1, "columns": {
                         "name": "Merchant", "amount": "Amount", "currency": "Currency",
                         "date": "Transaction Date", "user": "Employee",
                         "category": "Category"}}],
        "summary": {"findings": 2, "rows": 5, "skipped": 1},
        "findings": [
            {"tool": "Canva", "vendor": "Canva Pty Ltd", "website": "https://canva.com",
             "category": "content", "request": None, "sources": ["expense"],
             "users": {"count": 2, "top": ["Ana Ruiz", "Ben Okafor"]},
             "spend": {"USD": 239.98}, "spend_last_12_months": {"USD": 239.98},
             "first_seen": "2026-03-02", "last_seen": "2026-04-02", "rows": 2,
             "seen_as": ["CANVA PTY LTD SYDNEY", "CANVA* 104839201"]},
            {"tool": "Mailchimp Standard", "vendor": "Intuit Mailchimp",
             "website": "https://mailchimp.com", "category": "email",
             "request": {"id": "mailchimp", "decision": "deny", "file": "req/mailchimp.yaml"},
             "sources": ["expense"], "users": {"count": 1, "top": ["Jonas Berg"]},
             "spend": {"EUR": 20.0}, "spend_last_12_months": {"EUR": 20.0},
             "first_seen": "2026-04-05", "last_seen": "2026-04-05", "rows": 1,
             "seen_as": ["PAYPAL *MAILCHIMP"]},
        ],
        "approved_in_use": [{"id": "hubspot-marketing-hub", "tool": "HubSpot Marketing Hub",
                             "decision": "review", "rows": 1, "users": 1,
                             "seen_as": ["HUBSPOT *INC"]}],
        "skipped": [{"file": "card.csv", "line": 7,
                     "reason": "unreadable amount '12x' (expected a number such as 1234.56)"}],
        "notes": ["card.csv: 1 row not counted: not software spend (Travel 1)"],
    }
    assert result.stderr == ""


def test_nothing_unapproved_exits_0(runner: CliRunner, small: list[str]) -> None:
    Path("card.csv").write_text("Date,Merchant,Amount,Currency\n"
                                "2026-01-02,HUBSPOT *INC,10.00,USD\n"
                                "2026-01-03,TYPEFROM SL,5.00,EUR\n")
    result = runner.invoke(main, small)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Shadow IT: no tools in use without an approved request")
    assert "Approved and in use: HubSpot Marketing Hub (1 row), Typeform (1 row)" \
        in result.stdout


# --- bad input ----------------------------------------------------------------------

def test_a_missing_file_exits_2(runner: CliRunner, small: list[str]) -> None:
    result = runner.invoke(main, ["discover", "nope.csv"])
    assert result.exit_code == 2
    assert "File 'nope.csv' does not exist" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content, message", [
    ("", "martechgov: error: bad.csv is empty: expected a CSV export with a header row\n"),
    ("Foo,Bar\n1,2\n", "martechgov: error: bad.csv: no header row with the columns of an "
                       "Okta, Google or expense export in the first 10 lines"),
])
def test_unusable_files_exit_2(runner: CliRunner, small: list[str], content: str,
                               message: str) -> None:
    Path("bad.csv").write_text(content)
    result = runner.invoke(main, [*small, "bad.csv"])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert result.stdout == ""


def test_unknown_columns_exit_2(runner: CliRunner, small: list[str]) -> None:
    result = runner.invoke(main, [*small, "--columns", "name=Payee"])
    assert result.exit_code == 2
    assert result.stderr == ("martechgov: error: card.csv: --columns name=Payee: there is no "
                             "column 'Payee'; the columns are 'Transaction Date', 'Merchant', "
                             "'Amount', 'Currency', 'Employee', 'Category'\n")
    bad_field = runner.invoke(main, [*small, "--columns", "shop=Merchant"])
    assert bad_field.exit_code == 2
    assert "unknown field 'shop'" in bad_field.stderr


def test_a_missing_requests_folder_exits_2(runner: CliRunner, small: list[str]) -> None:
    result = runner.invoke(main, [*small, "--requests", "nowhere"])
    assert result.exit_code == 2
    assert result.stderr == "martechgov: error: nowhere does not exist\n"


def test_discover_with_no_known_tools_lists_everything() -> None:
    export = read_export(EXPORTS / "okta-app-usage.csv", "okta.csv")
    result = discover([export], [], dt.date(2026, 11, 23))
    assert result.approved_tools == 0 and result.in_use == []
    assert {f.tool for f in result.findings} >= {"Slack", "Salesforce.com", "Canva"}


def test_csv_cells_from_exports_cannot_run_as_formulas(runner: CliRunner,
                                                       small: list[str]) -> None:
    # A spreadsheet runs a cell starting with = + - @ as a formula (CSV injection).
    Path("card.csv").write_text(
        "Date,Merchant,Amount,Currency,Employee,Category\n"
        '2026-01-02,"=HYPERLINK(""http://x"",""y"")",10.00,USD,@SUM(1),Software\n')
    result = runner.invoke(main, [*small, "--format", "csv"])
    assert result.exit_code == 1, result.output
    [header, row] = list(csv.reader(io.StringIO(result.stdout)))
    cells = dict(zip(header, row, strict=True))
    assert cells["seen_as"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert cells["top_users"] == "'@sum(1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
