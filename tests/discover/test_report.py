"""`martechgov discover` formats: exact output for a small case, and the registry."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.discover.exports import BadRow
from martechgov.discover.model import DiscoverResult, ShadowTool
from martechgov.discover.report import FORMATS, NOTES_ON_STDERR
from martechgov.errors import UsageError
from martechgov.policy import PolicySet
from martechgov.rendering import render
from martechgov.result import PolicyInfo

from ..conftest import AS_OF, ROOT

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
Mailchimp Standard  mailchimp (deny)  1      Jonas Berg            20 EUR      2026-04-05  2026-04-05  email     expense

Approved and in use: HubSpot Marketing Hub (1 row; proposed: needs review)
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
| Mailchimp Standard | mailchimp (deny) | 1 | Jonas Berg | 20 EUR | 2026-04-05 | 2026-04-05 | email | expense |

**Approved and in use:** HubSpot Marketing Hub (1 row; proposed: needs review)

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
        "expense,1,Jonas Berg,20 EUR,20 EUR,2026-04-05,2026-04-05,1,PAYPAL *MAILCHIMP\n"
    )
    assert result.stderr == STDERR


def test_json_format(runner: CliRunner, small: list[str]) -> None:
    result = runner.invoke(main, [*small, "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    # the head every martechgov JSON document has (rendering.envelope)
    assert list(document)[:2] == ["version", "as_of"] and list(document)[-1] == "policy"
    revision = PolicySet.from_directory(ROOT / "policies").revision
    assert document == {
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
             "request": {"id": "mailchimp", "decision": "deny", "status": "proposed",
                         "file": "req/mailchimp.yaml"},
             "sources": ["expense"], "users": {"count": 1, "top": ["Jonas Berg"]},
             "spend": {"EUR": 20}, "spend_last_12_months": {"EUR": 20},
             "first_seen": "2026-04-05", "last_seen": "2026-04-05", "rows": 1,
             "seen_as": ["PAYPAL *MAILCHIMP"]},
        ],
        "approved_in_use": [{"id": "hubspot-marketing-hub", "tool": "HubSpot Marketing Hub",
                             "decision": "review", "status": "proposed", "rows": 1, "users": 1,
                             "seen_as": ["HUBSPOT *INC"]}],
        "skipped": [{"file": "card.csv", "line": 7,
                     "reason": "unreadable amount '12x' (expected a number such as 1234.56)"}],
        "notes": ["card.csv: 1 row not counted: not software spend (Travel 1)"],
        "policy": {"revision": revision, "source": "worktree"},
    }
    assert result.stderr == ""


def test_nothing_unapproved_exits_0(runner: CliRunner, small: list[str]) -> None:
    Path("card.csv").write_text("Date,Merchant,Amount,Currency\n"
                                "2026-01-02,HUBSPOT *INC,10.00,USD\n"
                                "2026-01-03,TYPEFROM SL,5.00,EUR\n")
    result = runner.invoke(main, small)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Shadow IT: no tools in use without an approved request")
    assert ("Approved and in use: HubSpot Marketing Hub (1 row; proposed: needs review), "
            "Typeform (1 row)") in result.stdout


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


# --- the registry, and escaping without the command line --------------------------------

def _result(tool: ShadowTool) -> DiscoverResult:
    return DiscoverResult(AS_OF, PolicyInfo("abc", "worktree"), [], 0, 0, [tool], [],
                          [BadRow("a|b.csv", 3, "unreadable date '<b>*x*</b>'")], [])


SHADOW = ShadowTool(
    name="Acme | *Bold* <i>", vendor="Acme", website=None, category="other",
    request_id=None, request_decision=None, request_file=None, sources=("expense",),
    users=1, top_users=("[x](http://evil)",), top_user=None,
    spend={"USD": Decimal("1234.5")}, spend_last_year={}, first_seen=AS_OF,
    last_seen=AS_OF, rows=1, seen_as=("ACME",))


def test_formats_are_a_registry_that_feeds_the_command_line(runner: CliRunner) -> None:
    assert list(FORMATS) == ["table", "markdown", "csv", "json"]
    assert NOTES_ON_STDERR <= set(FORMATS)
    result = runner.invoke(main, ["discover", "x.csv", "--format", "xml"])
    assert result.exit_code == 2
    assert "'table', 'markdown', 'csv', 'json'" in result.stderr
    with pytest.raises(UsageError, match="unknown format 'xml'; choose one of: table, "
                                         "markdown, csv, json"):
        render(FORMATS, "xml", _result(SHADOW), io.StringIO())


def test_markdown_shows_names_from_exports_as_typed() -> None:
    stream = io.StringIO()
    render(FORMATS, "markdown", _result(SHADOW), stream)
    lines = stream.getvalue().splitlines()
    assert lines[4] == ("| Acme \\| \\*Bold\\* &lt;i&gt; |  | 1 | \\[x\\](http://evil) | "
                        "1,234.50 USD | 2026-11-23 | 2026-11-23 | other | expense |")
    assert lines[8] == "- a\\|b.csv:3: skipped: unreadable date '&lt;b&gt;\\*x\\*&lt;/b&gt;'"


def test_the_table_never_sends_control_characters_to_a_terminal() -> None:
    # App names come from exports: an escape sequence or a line break would be
    # interpreted by the terminal (or break the table) instead of shown.
    tool = replace(SHADOW, name="Red\x1b[31mTool\nx", top_users=("Ana\x07",))
    stream = io.StringIO()
    render(FORMATS, "table", _result(tool), stream)
    row = stream.getvalue().splitlines()[3]
    assert row == ("Red\\x1b[31mTool\\nx  -        1      Ana\\x07    1,234.50 USD  2026-11-23  "
                   "2026-11-23  other     expense")
    assert not any(ord(char) < 32 for char in stream.getvalue().replace("\n", ""))


def test_a_signed_off_review_in_use_is_in_use(runner: CliRunner, small: list[str]) -> None:
    Path("signoffs.json").write_text(
        '{"version": 1, "signed_off": [{"request": "hubspot-marketing-hub"}]}')
    result = runner.invoke(main, [*small, "--signoffs", "signoffs.json", "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [(u["id"], u["status"]) for u in document["approved_in_use"]] == [
        ("hubspot-marketing-hub", "in use")]
    bad = runner.invoke(main, [*small, "--signoffs", "nope.json"])
    assert bad.exit_code == 2 and "cannot read the sign-offs nope.json" in bad.stderr
