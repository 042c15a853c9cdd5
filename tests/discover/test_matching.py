"""`martechgov discover`: shadow tools on the sample exports, which request a name is, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.discover.exports import read_export
from martechgov.discover.known import KnownTool
from martechgov.discover.matching import DiscoverOptions, discover, run_discover
from martechgov.result import PolicyInfo
from martechgov.sources import display_path

from ..conftest import AS_OF, DATA, ROOT

EXPORTS = DATA / "exports"
POLICY = PolicyInfo("test", "in-memory")  # no policies judge hand-made inventories
SAMPLES = ["tests/data/exports/okta-app-usage.csv",
           "tests/data/exports/google-oauth-token-audit.csv",
           "tests/data/exports/expenses.csv"]


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


def test_exact_shadow_tools_on_the_sample_exports(sample_result) -> None:  # noqa: ANN001
    got = [(f.name, f.request_id, f.users, {c: str(a) for c, a in f.spend.items()},
            {c: str(a) for c, a in f.spend_last_year.items()}, f.first_seen.isoformat(),
            f.last_seen.isoformat(), f.sources) for f in sample_result.shadow_tools]
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
    found = {f.name: f.spend["USD"] for f in sample_result.shadow_tools if f.name in totals}
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
    hootsuite = next(f for f in sample_result.shadow_tools if f.name == "Hootsuite")
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
    canva = next(f for f in sample_result.shadow_tools if f.name == "Canva")
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
    result = discover([export], [], dt.date(2026, 11, 23), POLICY)
    assert result.approved_tools == 0 and result.in_use == []
    # Named from the catalog: Okta's "Salesforce.com" is Salesforce Sales Cloud.
    assert {f.name for f in result.shadow_tools} >= {"Slack", "Salesforce Sales Cloud", "Canva"}


def _card(tmp_path: Path) -> Path:
    path = tmp_path / "card.csv"
    path.write_text("Date,Merchant,Amount,Currency\n2026-01-02,MIROBOARD INC,10.00,EUR\n")
    return path


def test_one_request_that_does_not_fail_makes_a_name_approved(tmp_path: Path) -> None:
    # Two requests for the same tool: a denied one and one in review. The tool is known
    # to IT whichever order the requests come in.
    denied = KnownTool("miroboard-old", "Miroboard", None, None, "deny", approved=False)
    review = KnownTool("miroboard", "Miroboard", None, None, "review", approved=True)
    export = read_export(_card(tmp_path), "card.csv")
    for known in ([denied, review], [review, denied]):
        result = discover([export], known, AS_OF, POLICY)
        assert result.shadow_tools == []
        assert [use.tool.id for use in result.in_use] == ["miroboard"]
    only_denied = discover([export], [denied], AS_OF, POLICY)
    assert [(f.name, f.request_id, f.request_decision) for f in only_denied.shadow_tools] \
        == [("Miroboard", "miroboard-old", "deny")]
