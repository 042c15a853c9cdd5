"""Discovery names things right: the four mistakes the golden-record issue found, and more.

tests/data/exports/named-mistakes holds a small Okta and card export built like the
realistic one that showed them (see its README): a vendor prefix taken for a new tool,
LinkedIn ad spend merged into Sales Navigator (a duplicate and a miss), TikTok Ads
linked to the denied TikTok Pixel request, and names such as "Facebk 8xk2lmq3b2".
Everything runs through the real command line.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.discover.catalog import catalog
from martechgov.discover.known import KnownTool
from martechgov.discover.names import normalise
from martechgov.discover.resolve import Pending, Resolver

from ..conftest import DATA, ROOT

CASE = DATA / "exports" / "named-mistakes"
# The card export's columns named explicitly, so these tests read it the same way
# whatever the layout detection does (the currency test below relies on detection).
COLUMNS = "date=Transaction Date,name=Merchant,amount=Amount (USD),user=Employee,category=Category"


def discover(*exports: str, columns: bool = True) -> dict:
    args = ["discover", *(str(CASE / e) for e in exports), "--requests",
            str(CASE / "requests"), "--policies", str(ROOT / "policies"),
            "--as-of", "2026-11-23", "--format", "json"]
    if columns:
        args += ["--columns", COLUMNS]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def findings(document: dict) -> dict[str, dict]:
    return {f["tool"]: f for f in document["findings"]}


def test_a_vendor_prefix_is_not_a_new_tool() -> None:
    document = discover("card.csv")
    # INTUIT *MAILCHIMP is the approved Mailchimp request (false positive before).
    assert not any("Intuit" in tool or "Mailchimp" in tool for tool in findings(document))
    assert [(u["id"], u["rows"], u["status"]) for u in document["approved_in_use"]] == [
        ("mailchimp", 3, "in use")]


def test_linkedin_ad_spend_and_sales_navigator_are_two_tools() -> None:
    found = findings(discover("okta-app-usage.csv", "card.csv", columns=False))
    ads, navigator = found["LinkedIn Ads"], found["LinkedIn Sales Navigator"]
    assert (ads["spend"], ads["category"], ads["rows"]) == ({"USD": 6000}, "ad-platform", 3)
    assert sorted(ads["seen_as"]) == ["LINKEDIN-1234", "LINKEDIN-5678"]
    assert navigator["spend"] == {"USD": 299.97} and navigator["category"] == "enrichment"
    assert navigator["sources"] == ["okta", "expense"] and navigator["users"]["count"] == 2
    assert not [tool for tool in found if tool.lower().startswith("linkedin sales nav prem")]


def test_tiktok_ads_is_not_the_denied_pixel_request() -> None:
    found = findings(discover("card.csv"))
    tiktok = found["TikTok Ads"]
    assert tiktok["request"] is None  # a different product of the same vendor
    assert tiktok["category"] == "ad-platform" and tiktok["spend"] == {"USD": 2000}
    assert "TikTok Pixel" not in found


def test_names_and_categories_come_from_the_catalog() -> None:
    found = findings(discover("card.csv"))
    assert {tool: (f["category"], f["vendor"], f["website"]) for tool, f in found.items()
            if tool in ("Meta Ads", "Microsoft 365", "Linktree", "Adobe Stock")} == {
        "Meta Ads": ("ad-platform", "Meta Platforms, Inc.",
                     "https://facebook.com/business/ads"),
        "Microsoft 365": ("other", "Microsoft Corporation",
                          "https://microsoft.com/microsoft-365"),
        "Linktree": ("social", "Linktree Pty Ltd", "https://linktr.ee"),
        "Adobe Stock": ("content", "Adobe Inc.", "https://stock.adobe.com"),
    }
    # Two reference numbers are one tool: FACEBK *8XK2LMQ3B2 and FACEBK *Q7ZP2LM4K9.
    assert found["Meta Ads"]["rows"] == 2 and found["Meta Ads"]["spend"] == {"USD": 1730}
    assert not [t for t in found if t.startswith(("Facebk", "Msft", "Linktr Ee", "Adobe Adobe"))]


def test_the_currency_comes_from_the_column_header() -> None:
    document = discover("card.csv", columns=False)  # the layout is recognised by itself
    assert findings(document)["LinkedIn Ads"]["spend"] == {"USD": 6000}
    assert "card.csv: no currency column; amounts are in USD, as the column " \
           "'Amount (USD)' says" in " ".join(document["notes"])
    assert not any("XXX" in json.dumps(f["spend"]) for f in document["findings"])


def test_merchants_that_are_not_marketing_tools_are_counted_in_a_note() -> None:
    document = discover("card.csv")
    assert "Amazon Web Services" not in findings(document)
    assert any(note.endswith("1 row not counted: not marketing tools (Amazon Web Services 1)")
               for note in document["notes"])


def test_an_amount_in_another_currency_than_its_column_is_a_bad_row(tmp_path: Path) -> None:
    card = tmp_path / "card.csv"
    card.write_text("Date,Merchant,Amount (EUR)\n2026-11-01,CANVA*,$12.00\n"
                    "2026-11-02,CANVA*,10.00\n")
    result = CliRunner().invoke(main, ["discover", str(card), "--requests",
                                       str(CASE / "requests"), "--policies",
                                       str(ROOT / "policies"), "--as-of", "2026-11-23",
                                       "--format", "json"])
    document = json.loads(result.stdout)
    assert [s["reason"] for s in document["skipped"]] == [
        "the amount is in USD but its column 'Amount (EUR)' is in EUR"]
    assert findings(document)["Canva"]["spend"] == {"EUR": 10}


# --- the resolver, directly ---------------------------------------------------------

@pytest.mark.parametrize(("amount", "product"), [
    ("6000.00", "LinkedIn Ads"), ("1312.46", "LinkedIn Ads"), ("79.99", "LinkedIn Premium"),
    ("1079.88", "LinkedIn Premium"), ("59.95", "LinkedIn Premium"), (None, "LinkedIn Premium"),
])
def test_a_bare_linkedin_descriptor_is_decided_by_its_amount(amount: str | None,
                                                            product: str) -> None:
    found = Resolver([]).resolve(normalise("LINKEDIN-1234"), app=False)
    assert isinstance(found, Pending)
    assert found.rule.product(Decimal(amount) if amount else None).name == product


def known(tool_id: str, name: str, website: str | None = None,
          decision: str = "approve") -> KnownTool:
    return KnownTool(tool_id, name, None, website, decision, decision != "deny")


def test_a_product_links_to_the_request_that_is_that_product() -> None:
    resolver = Resolver([known("tiktok-pixel", "TikTok Pixel", decision="deny"),
                         known("google-analytics-4", "Google Analytics 4"),
                         known("mc", "Our newsletter tool", "https://mailchimp.com")])
    assert resolver.resolve(normalise("TIKTOK ADS"), app=False) == ("catalog", "TikTok Ads")
    assert resolver.resolve(normalise("GOOGLE *ADS1234"), app=False) == ("catalog",
                                                                         "Google Ads")
    assert resolver.resolve(normalise("Google Analytics"), app=True) == (
        "known", "google-analytics-4")
    # A request is the product its website names, whatever it is called.
    assert resolver.resolve(normalise("INTUIT *MAILCHIMP"), app=False) == ("known", "mc")


def test_a_request_the_catalog_does_not_know_still_matches_by_name() -> None:
    resolver = Resolver([known("acme-insights", "Acme Insights")])
    assert resolver.resolve(normalise("ACME INSIGHTS LLC BOSTON MA"), app=False) == (
        "known", "acme-insights")
    assert resolver.resolve(normalise("ACMEE INSIGHTS"), app=False) == (
        "known", "acme-insights")  # a misspelling
    assert resolver.resolve(normalise("ZENTROVA INC"), app=False) is None  # unknown


def test_the_catalog_has_no_colliding_spellings() -> None:
    built_in = catalog()
    assert built_in.collisions == []
    assert len(built_in.tools) >= 200
    assert len({tool.name for tool in built_in.tools}) == len(built_in.tools)
