"""`martechgov inventory`: real requests, the real engine, exact output per format.

tests/data/leadership holds four requests chosen for their dates and money (as of
2026-11-23): acme-crm (review, 12,000 USD, cancel by 2026-12-01, renews 2027-01-15,
SOC 2 lapses 2027-01-31 before its ISO 27001), brand-survey (approve, 1,234.50 EUR,
renews 2027-02-20 without auto-renewal, no attestation), pixel-denied (deny, 9,000 USD,
renews 2026-12-20, cancel-by already past, SOC 2 lapsed) and broken (invalid).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.check import judge
from martechgov.cli import main
from martechgov.engines.embedded import EmbeddedEngine
from martechgov.errors import UsageError
from martechgov.leadership.inventory import parse_window
from martechgov.loader import LoadedRequest, load_request
from martechgov.policy import PolicySet
from martechgov.result import RequestResult

from ..conftest import AS_OF, DATA, ROOT

FIXTURES = "tests/data/leadership"


def inventory(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, ["inventory", *args, "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return result.stdout


def footer(policy: PolicySet) -> str:
    return (f"judged by policy worktree (revision {policy.short_revision}) as of 2026-11-23 "
            "with the regorus engine")


def test_table_is_exact(runner: CliRunner, in_root: Path, policy: PolicySet) -> None:
    assert inventory(runner, FIXTURES) == f"""\
Martech inventory as of 2026-11-23
4 requests: 1 approve, 1 review, 1 deny, 1 invalid
status: 1 approved, 3 proposed

TOOL                               STATUS    DECISION   ANNUAL COST  BUSINESS OWNER     TEAM           CATEGORY  VENDOR        PERSONAL DATA  STORED IN  TECHNICAL OWNER  RENEWAL     CANCEL BY   NEXT LAPSE
Acme CRM Sync                      proposed  review      12,000 USD  ada@example.com    Marketing Ops  crm       Acme Inc.     personal       us         ops@example.com  2027-01-15  2026-12-01  2027-01-31 SOC 2
Brand Survey                       approved  approve   1,234.50 EUR  brand@example.com  Brand          survey    Umfrage GmbH  none                                       2027-02-20
tests/data/leadership/broken.yaml  proposed  invalid
Retarget Pixel                     proposed  deny         9,000 USD  sam@example.com    Paid Media     ad-pixel  Kochava Inc.  pseudonymous   us                          2026-12-20  2026-11-20  lapsed 2026-06-30 SOC 2

The stack costs 1,234.50 EUR per year (1 tool in use or approved).
Not counted in the stack: proposed (in review): 1 request, 12,000 USD; denied or invalid: 2 requests, 9,000 USD.

BY STATUS
STATUS                    REQUESTS   ANNUAL COST
in use                           0
approved, not yet in use         1  1,234.50 EUR
proposed (in review)             1    12,000 USD
denied or invalid                2     9,000 USD
retired                          0

BY TEAM
TEAM           REQUESTS  IN USE  APPROVED      PROPOSED    DENIED
(no team)             1
Brand                 1          1,234.50 EUR
Marketing Ops         1                        12,000 USD
Paid Media            1                                    9,000 USD

BY CATEGORY
CATEGORY  REQUESTS  IN USE  APPROVED      PROPOSED    DENIED
ad-pixel         1                                    9,000 USD
crm              1                        12,000 USD
survey           1          1,234.50 EUR
unknown          1

RISK
Findings that count: 2 error, 7 deny, 7 review, 1 warn; waiting for sign-off: it 1; 1 tool with every attestation lapsed; personal data: 1 personal, 1 pseudonymous, 1 none, 1 unknown.
TOOL                               STATUS    BUSINESS OWNER   WHY
Retarget Pixel                     proposed  sam@example.com  denied: 7 hard rules broken (privacy.dpa_required, privacy.no_sale_or_share, privacy.retention_limit, security.attestation_current, security.sso_required, tracking.gpc_honoured, vendor.blocked); SOC 2 report lapsed on 2026-06-30
tests/data/leadership/broken.yaml  proposed                   not a valid request: nobody can tell what it holds
Acme CRM Sync                      proposed  ada@example.com  waiting for sign-off by it; personal data of people in us, stored in us

{footer(policy)}
"""  # noqa: E501


def test_csv_is_exact(runner: CliRunner, in_root: Path) -> None:
    result = runner.invoke(main, ["inventory", FIXTURES, "--format", "csv",
                                  "--as-of", "2026-11-23"])
    lines = result.stdout_bytes.decode().split("\r\n")  # RFC 4180 line ends
    assert lines == [
        "file,id,tool,vendor,category,team,business_owner,technical_owner,personal_data,"
        "storage_regions,decision,status,reviewers,annual_cost,currency,renewal_date,"
        "cancel_by,next_lapse,next_lapse_event,lapsed,due,replaces,replaced_by,retired_on,risks",
        "tests/data/leadership/acme-crm.yaml,acme-crm,Acme CRM Sync,Acme Inc.,crm,"
        "Marketing Ops,ada@example.com,ops@example.com,personal,us,review,proposed,it,12000,"
        "USD,2027-01-15,2026-12-01,2027-01-31,soc2-lapse,no,,,,,\"waiting for sign-off by "
        "it; personal data of people in us, stored in us\"",
        "tests/data/leadership/brand-survey.yaml,brand-survey,Brand Survey,Umfrage GmbH,survey,"
        "Brand,brand@example.com,,none,,approve,approved,,1234.5,EUR,2027-02-20,,,,,,,,,",
        "tests/data/leadership/broken.yaml,unknown-key,tests/data/leadership/broken.yaml,,,,,,"
        ",,invalid,proposed,,,,,,,,,,,,,not a valid request: nobody can tell what it holds",
        "tests/data/leadership/pixel-denied.yaml,pixel-denied,Retarget Pixel,Kochava Inc.,"
        "ad-pixel,Paid Media,sam@example.com,,pseudonymous,us,deny,proposed,"
        "legal privacy security,9000,USD,2026-12-20,2026-11-20,2026-06-30,soc2-lapse,yes,,,,,"
        "\"denied: 7 hard rules broken (privacy.dpa_required, privacy.no_sale_or_share, "
        "privacy.retention_limit, security.attestation_current, security.sso_required, "
        "tracking.gpc_honoured, vendor.blocked); SOC 2 report lapsed on 2026-06-30\"",
        "",
    ]


def test_markdown_with_due_is_exact(runner: CliRunner, in_root: Path,
                                    policy: PolicySet) -> None:
    # A --due list is about dates: the money split and the risk roll-up stay out of it.
    assert inventory(runner, FIXTURES, "--format", "markdown", "--due", "60d") == f"""\
## Due within 60 days of 2026-11-23 (by 2027-01-22): renewals, cancellation deadlines and attestation lapses, soonest first

3 requests: 0 approve, 1 review, 1 deny, 1 invalid; 3 proposed

| due | tool | status | decision | annual cost | business owner | team | category | vendor | personal data | stored in | technical owner | renewal | cancel by | next lapse |
|---|---|---|---|---:|---|---|---|---|---|---|---|---|---|---|
| 2026-12-01 cancel by, 2027-01-15 renews | Acme CRM Sync | proposed | review | 12,000 USD | ada@example.com | Marketing Ops | crm | Acme Inc. | personal | us | ops@example.com | 2027-01-15 | 2026-12-01 | 2027-01-31 SOC 2 |
| 2026-12-20 renews | Retarget Pixel | proposed | deny | 9,000 USD | sam@example.com | Paid Media | ad-pixel | Kochava Inc. | pseudonymous | us |  | 2026-12-20 | 2026-11-20 | lapsed 2026-06-30 SOC 2 |
| dates unknown (invalid file) | tests/data/leadership/broken.yaml | proposed | invalid |  |  |  |  |  |  |  |  |  |  |  |

<sub>{footer(policy)[:1].upper() + footer(policy)[1:]}.</sub>
"""  # noqa: E501


def test_markdown_totals_are_the_money_split_and_the_risk(runner: CliRunner,
                                                          in_root: Path) -> None:
    text = inventory(runner, FIXTURES, "--format", "markdown")
    assert ("**The stack costs 1,234.50 EUR per year (1 tool in use or approved).** Not "
            "counted in the stack: proposed (in review): 1 request, 12,000 USD; denied or "
            "invalid: 2 requests, 9,000 USD.") in text
    assert "| Marketing Ops | 1 |  |  | 12,000 USD |  |" in text
    assert "| Retarget Pixel | proposed | sam@example.com | denied: 7 hard rules broken " \
           "(privacy.dpa\\_required" in text


def test_json_is_exact_for_one_request(runner: CliRunner, in_root: Path,
                                       policy: PolicySet) -> None:
    doc = json.loads(inventory(runner, f"{FIXTURES}/acme-crm.yaml", "--format", "json"))
    reasons = ["waiting for sign-off by it", "personal data of people in us, stored in us"]
    no_money = {"requests": 0, "annual_cost": {}}
    usd = {"requests": 1, "annual_cost": {"USD": 12000}}
    assert doc == {
        "version": 1, "as_of": "2026-11-23", "engine": "regorus",
        "policy": {"revision": policy.revision, "source": "worktree"},
        "due_within_days": None,
        "requests": [{
            "file": "tests/data/leadership/acme-crm.yaml", "id": "acme-crm",
            "tool": "Acme CRM Sync", "vendor": "Acme Inc.", "category": "crm",
            "team": "Marketing Ops",
            "owners": {"business": "ada@example.com", "technical": "ops@example.com"},
            "personal_data": "personal", "subject_regions": ["us"],
            "storage_regions": ["us"], "decision": "review", "status": "proposed",
            "reviewers": ["it"],
            "annual_cost": {"amount": 12000, "currency": "USD"},
            "renewal_date": "2027-01-15", "cancel_by": "2026-12-01",
            "next_lapse": {"event": "soc2-lapse", "date": "2027-01-31", "lapsed": False},
            "due": [], "replaces": [], "replaced_by": [], "retired": None,
            "risk": {"findings": {"review": 2}, "sensitive_data": [], "open_reviews": ["it"],
                     "exceptions": [], "reasons": reasons},
        }],
        "totals": {
            "requests": 1, "annual_cost": {"USD": 12000},
            "by_decision": {"approve": no_money, "review": usd, "deny": no_money,
                            "invalid": no_money},
            "by_status": {"in-use": no_money, "approved": no_money, "proposed": usd,
                          "retired": no_money},
            "by_category": {"crm": usd},
        },
        "spend": {
            "stack": no_money,
            "by_status": {"in-use": no_money, "approved": no_money, "proposed": usd,
                          "denied": no_money, "retired": no_money},
            "by_team": {"Marketing Ops": {"proposed": usd}},
            "by_category": {"crm": {"proposed": usd}},
            "single_total": None,
        },
        "risk": {
            "findings": {"review": 2}, "excepted": 0, "by_personal_data": {"personal": 1},
            "open_reviews": {"it": 1}, "lapsed": 0, "exceptions_ending_within_90_days": 0,
            "top": [{"id": "acme-crm", "tool": "Acme CRM Sync", "status": "proposed",
                     "reasons": reasons}],
        },
    }


def test_repository_totals_stay_per_currency(runner: CliRunner, in_root: Path) -> None:
    doc = json.loads(inventory(runner, "--format", "json"))
    totals = doc["totals"]
    assert totals["requests"] == 13
    # 3,800 + 1,200 + 1,980 EUR; the USD costs add up to 184,300: never one sum.
    assert totals["annual_cost"] == {"EUR": 6980, "USD": 184300}
    assert totals["by_decision"]["deny"] == {
        "requests": 5, "annual_cost": {"EUR": 5000, "USD": 31200}}
    assert totals["by_decision"]["approve"]["annual_cost"] == {"EUR": 1980, "USD": 31900}
    assert totals["by_category"]["email"] == {"requests": 1, "annual_cost": {"EUR": 1200}}
    assert sum(g["requests"] for g in totals["by_category"].values()) == 13
    assert [r["decision"] for r in doc["requests"]].count("review") == 3


def test_what_the_stack_costs_leaves_out_review_and_denied(runner: CliRunner,
                                                           in_root: Path) -> None:
    spend = json.loads(inventory(runner, "--format", "json"))["spend"]
    # Only the 5 approved requests: never the 31,200 USD denied, nor the 121,200 USD
    # still in review (DOMAIN.md: approved = approve, or review signed off).
    assert spend["stack"] == {"requests": 5, "annual_cost": {"EUR": 1980, "USD": 31900}}
    assert spend["by_status"]["proposed"] == {"requests": 3,
                                              "annual_cost": {"USD": 121200}}
    assert spend["by_status"]["denied"] == {"requests": 5,
                                            "annual_cost": {"EUR": 5000, "USD": 31200}}
    assert spend["by_team"]["Demand Generation"] == {
        "proposed": {"requests": 3, "annual_cost": {"USD": 121200}}}
    assert spend["by_category"]["seo"] == {"approved": {"requests": 1,
                                                        "annual_cost": {"USD": 4000}}}


def test_due_lists_only_what_falls_in_the_window_soonest_first(
        runner: CliRunner, in_root: Path) -> None:
    def due(window: str) -> list[tuple[str, list[str]]]:
        doc = json.loads(inventory(runner, FIXTURES, "--format", "json", "--due", window))
        return [(r["id"], [f"{e['date']} {e['event']}" for e in r["due"]])
                for r in doc["requests"]]

    # pixel-denied's cancel-by (2026-11-20) is past; brand-survey renews after 60 days.
    assert due("60d") == [
        ("acme-crm", ["2026-12-01 cancel-by", "2027-01-15 renewal"]),
        ("pixel-denied", ["2026-12-20 renewal"]),
        ("unknown-key", []),  # invalid: its dates cannot be read, so it stays listed
    ]
    assert due("8w") == due("60d")  # 56 days still reaches 2027-01-15
    assert due("90d") == [
        ("acme-crm", ["2026-12-01 cancel-by", "2027-01-15 renewal", "2027-01-31 soc2-lapse"]),
        ("pixel-denied", ["2026-12-20 renewal"]),
        ("brand-survey", ["2027-02-20 renewal"]),
        ("unknown-key", []),
    ]
    assert due("8d") == [("acme-crm", ["2026-12-01 cancel-by"]), ("unknown-key", [])]
    assert due("0d") == [("unknown-key", [])]


def test_due_of_the_examples_in_the_table(runner: CliRunner, in_root: Path) -> None:
    lines = inventory(runner, "--due", "90d").splitlines()
    assert lines[0].startswith("Due within 90 days of 2026-11-23 (by 2027-02-21)")
    assert lines[1] == "1 request: 0 approve, 1 review, 0 deny, 0 invalid"
    assert lines[2] == "status: 1 proposed"
    assert lines[5].startswith("2026-12-02 cancel by, 2027-01-31 renews  HubSpot Marketing Hub")


@pytest.mark.parametrize("window", ["60", "abc", "6m", "-5d", "", "d", "1.5w", "60 days"])
def test_bad_due_values_are_a_clear_usage_error(runner: CliRunner, in_root: Path,
                                                window: str) -> None:
    result = runner.invoke(main, ["inventory", FIXTURES, "--due", window])
    assert result.exit_code == 2
    assert "is not a time window" in result.stderr and "90d or 8w" in result.stderr
    assert "Traceback" not in result.output


def test_parse_window() -> None:
    assert parse_window("60d") == 60
    assert parse_window("8w") == 56
    assert parse_window(" 90D ") == 90
    with pytest.raises(UsageError):
        parse_window("3 months")


def zoom_with_soc2_end(directory: Path, end: str) -> list[LoadedRequest]:
    """The Zoom example with its SOC 2 Type II period ending on `end`."""
    text = (ROOT / "requests" / "zoom-webinars.yaml").read_text()
    path = directory / "zoom-webinars.yaml"
    path.write_text(text.replace("soc2_type2_period_end: 2026-07-31",
                                 f"soc2_type2_period_end: {end}"))
    return [load_request(path, "zoom-webinars.yaml")]


def policies_with_soc2_months(directory: Path, months: int) -> Path:
    """A copy of policies/ whose thresholds count a SOC 2 report for `months`."""
    policies = directory / "policies"
    shutil.copytree(ROOT / "policies", policies)
    thresholds = policies / "data" / "thresholds.yaml"
    thresholds.write_text(thresholds.read_text().replace("soc2_valid_months: 12",
                                                         f"soc2_valid_months: {months}"))
    return policies


@pytest.mark.parametrize(("end", "lapse"), [
    ("2026-01-31", "2027-01-31"),
    ("2025-08-31", "2026-08-31"),
    ("2024-02-29", "2025-02-28"),
])
def test_the_lapse_is_the_last_day_the_policy_counts_a_report(
        engine: EmbeddedEngine, tmp_path: Path, end: str, lapse: str) -> None:
    loaded = zoom_with_soc2_end(tmp_path, end)
    last_day = dt.date.fromisoformat(lapse)

    def judged(as_of: dt.date) -> RequestResult:
        return judge(loaded, engine, as_of)[0]

    def fires(as_of: dt.date) -> bool:
        return any(f.rule == "security.attestation_current"
                   for f in judged(as_of).findings)

    # The day the decision states (and the inventory shows) is the day the rule reads.
    assert judged(last_day).facts.soc2_valid_until == last_day
    assert not fires(last_day)
    assert fires(last_day + dt.timedelta(days=1))


def test_a_day_the_target_month_lacks_is_clamped_to_its_end(tmp_path: Path) -> None:
    policy = PolicySet.from_directory(policies_with_soc2_months(tmp_path, 6))
    engine = EmbeddedEngine()
    engine.load(policy)
    result = judge(zoom_with_soc2_end(tmp_path, "2026-08-31"), engine, AS_OF)[0]
    assert result.facts.soc2_valid_until == dt.date(2027, 2, 28)


def test_soc2_months_come_from_the_policy_data(runner: CliRunner, in_root: Path,
                                               tmp_path: Path) -> None:
    policies = policies_with_soc2_months(tmp_path, 6)
    doc = json.loads(inventory(runner, f"{FIXTURES}/acme-crm.yaml", "--format", "json",
                               "--policies", str(policies)))
    # SOC 2 period end 2026-01-31 + 6 months has already passed; ISO 27001 is next.
    assert doc["requests"][0]["next_lapse"] == {
        "event": "iso27001-lapse", "date": "2027-03-31", "lapsed": False}


HOSTILE = "=HYPERLINK(\"http://evil\")\x1b[31m|<b>*x*</b>"


def hostile_request(directory: Path) -> Path:
    text = (DATA / "leadership" / "brand-survey.yaml").read_text()
    text = text.replace("name: Brand Survey", f"name: {json.dumps(HOSTILE)}")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "brand-survey.yaml"
    path.write_text(text)
    return path


def test_untrusted_text_is_neutralised_per_format(runner: CliRunner, tmp_path: Path) -> None:
    path = str(hostile_request(tmp_path / "requests"))
    # regorus: the embedded engine (regopy) cannot yet judge a tool name containing a
    # double quote or a control character (its sprintf output is not valid JSON, so
    # martechgov stops with exit 2); the formats are what this test is about.
    args = ["inventory", path, "--as-of", "2026-11-23", "--engine", "regorus", "--format"]
    table = runner.invoke(main, [*args, "table"]).stdout
    assert "\x1b" not in table  # no terminal escape sequence gets through
    csv_text = runner.invoke(main, [*args, "csv"]).stdout
    assert ',"\'=HYPERLINK(' in csv_text  # a formula becomes text in a spreadsheet
    markdown = runner.invoke(main, [*args, "markdown"]).stdout
    assert "&lt;b&gt;\\*x\\*&lt;/b&gt;" in markdown and "\\|" in markdown
    assert json.loads(runner.invoke(main, [*args, "json"]).stdout)["requests"][0][
        "tool"] == HOSTILE


def test_missing_path_and_bad_policies_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["inventory", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = runner.invoke(main, ["inventory", str(tmp_path), "--policies",
                                  str(tmp_path / "nope")])
    assert result.exit_code == 2 and "martechgov: error:" in result.stderr


def test_retired_on_retires_a_request(runner: CliRunner, tmp_path: Path) -> None:
    for name in ("acme-crm", "brand-survey"):
        text = (DATA / "leadership" / f"{name}.yaml").read_text()
        if name == "brand-survey":  # replaced by acme-crm, retired last month
            text = text.replace("\nkind: ToolRequest\n",
                                "\nkind: ToolRequest\nretired_on: 2026-10-31\n")
        else:
            text = text.replace("\nkind: ToolRequest\n",
                                "\nkind: ToolRequest\nreplaces: [brand-survey]\n")
        (tmp_path / f"{name}.yaml").write_text(text)
    doc = json.loads(inventory(runner, str(tmp_path), "--format", "json"))
    rows = {r["id"]: r for r in doc["requests"]}
    assert rows["brand-survey"]["status"] == "retired"
    assert rows["brand-survey"]["retired"] == {"on": "2026-10-31",
                                               "how": "retired_on in the request"}
    assert rows["brand-survey"]["replaced_by"] == ["acme-crm"]
    assert doc["spend"]["stack"] == {"requests": 0, "annual_cost": {}}
    assert doc["spend"]["by_status"]["retired"]["annual_cost"] == {"EUR": 1234.5}
    assert doc["risk"]["top"] == [{"id": "acme-crm", "tool": "Acme CRM Sync",
                                   "status": "proposed", "reasons": [
                                       "waiting for sign-off by it",
                                       "personal data of people in us, stored in us"]}]
    # Retired tools have nothing left to renew or lapse, and leave the map.
    due = json.loads(inventory(runner, str(tmp_path), "--format", "json", "--due", "365d"))
    assert [r["id"] for r in due["requests"]] == ["acme-crm"]
    mapped = runner.invoke(main, ["map", str(tmp_path), "--as-of", "2026-11-23"]).stdout
    assert "Brand Survey" not in mapped and "Acme CRM Sync" in mapped
