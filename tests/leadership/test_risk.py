"""The risk roll-up: each tool's risk facts and the portfolio's top risks, as JSON and text."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from martechgov.cli import main

FIXTURES = "tests/data/leadership"


def risk(*args: str, as_of: str = "2026-11-23") -> dict:
    result = CliRunner().invoke(main, ["inventory", "--format", "json", "--as-of", as_of,
                                       *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_each_tool_says_what_makes_it_risky(in_root: Path) -> None:
    rows = {r["id"]: r["risk"] for r in risk(FIXTURES)["requests"]}
    pixel = rows["pixel-denied"]
    assert pixel["findings"] == {"deny": 7, "review": 5}
    assert pixel["open_reviews"] == []  # denied: nobody is asked to sign off
    assert pixel["reasons"] == [
        "denied: 7 hard rules broken (privacy.dpa_required, privacy.no_sale_or_share, "
        "privacy.retention_limit, security.attestation_current, security.sso_required, "
        "tracking.gpc_honoured, vendor.blocked)",
        "SOC 2 report lapsed on 2026-06-30",
    ]
    assert rows["brand-survey"] == {"findings": {"warn": 1}, "sensitive_data": [],
                                    "open_reviews": [], "exceptions": [], "reasons": []}
    assert rows["unknown-key"]["reasons"] == [
        "not a valid request: nobody can tell what it holds"]


def test_the_portfolio_counts_and_orders_the_top_risks(in_root: Path) -> None:
    doc = risk()
    portfolio = doc["risk"]
    # 14 deny: Kochava, an ad platform, also lacks marketing consent and may geofence
    # near clinics; Meta's pixel does not honour opt-out signals (GPC). 19 review: both
    # need a CPRA risk assessment, ZoomInfo (a data broker) its Delete Act registration
    assert portfolio["findings"] == {"deny": 14, "review": 19, "warn": 2}
    assert portfolio["excepted"] == 1  # HubSpot's system-of-record exception
    assert portfolio["open_reviews"] == {"finance": 2, "it": 2, "privacy": 1}
    assert portfolio["exceptions_ending_within_90_days"] == 1
    top = [entry["id"] for entry in portfolio["top"]]
    # Broken rules first (most first), then missing sign-offs, then sensitive data.
    # Kochava and Sprout break four hard rules each; Kochava holds sensitive data (location).
    assert top[:5] == ["kochava-attribution", "sprout-social", "meta-pixel", "mailchimp",
                       "hotjar"]
    assert set(top[5:8]) == {"twilio-segment", "zoominfo", "hubspot-marketing-hub"}
    assert len(top) == 10
    hubspot = next(e for e in portfolio["top"] if e["id"] == "hubspot-marketing-hub")
    assert "exception for integration.system_of_record_write ends 2027-01-31" \
        in hubspot["reasons"]


def test_an_expired_exception_moves_a_tool_up(in_root: Path) -> None:
    later = risk(as_of="2027-02-15")["risk"]
    top = [entry["id"] for entry in later["top"]]
    hubspot = next(e for e in later["top"] if e["id"] == "hubspot-marketing-hub")
    assert hubspot["reasons"][0] == ("exception for integration.system_of_record_write "
                                     "expired on 2027-01-31")
    assert top.index("hubspot-marketing-hub") < top.index("twilio-segment")
    assert later["excepted"] == 0


def test_the_table_and_markdown_show_the_top_risks(in_root: Path) -> None:
    table = CliRunner().invoke(main, ["inventory", "--as-of", "2026-11-23"]).stdout
    lines = table[table.index("\nRISK\n"):].splitlines()
    assert lines[2] == ("Findings that count: 14 deny, 19 review, 2 warn (1 more covered by "
                        "an exception); waiting for sign-off: finance 2, it 2, privacy 1; 1 "
                        "exception ending within 90 days; personal data: 8 personal, 4 "
                        "pseudonymous, 1 none.")
    assert lines[3].split() == ["TOOL", "STATUS", "BUSINESS", "OWNER", "WHY"]
    assert lines[4].startswith("Kochava Attribution ")
