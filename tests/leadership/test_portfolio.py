"""The facts around the requests: sign-offs, discovery's results, IT's exchange rates.

Through the real CLI on the example requests (as of 2026-11-23): five approved, three in
review (HubSpot, Segment, ZoomInfo), five denied.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main

from ..conftest import DATA, ROOT

SAMPLES = [str(DATA / "exports" / name) for name in
           ("okta-app-usage.csv", "google-oauth-token-audit.csv", "expenses.csv")]


def inventory_json(*args: str) -> dict:
    result = CliRunner().invoke(main, ["inventory", "--format", "json",
                                       "--as-of", "2026-11-23", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def statuses(doc: dict) -> dict[str, str]:
    return {r["id"]: r["status"] for r in doc["requests"]}


@pytest.fixture(scope="module")
def shadow_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = CliRunner().invoke(main, ["discover", *SAMPLES, "--requests",
                                       str(ROOT / "requests"), "--policies",
                                       str(ROOT / "policies"), "--as-of", "2026-11-23",
                                       "--format", "json"])
    path = tmp_path_factory.mktemp("discover") / "shadow.json"
    path.write_text(result.stdout)
    return path


def test_signed_off_reviews_count_in_the_stack(in_root: Path, tmp_path: Path) -> None:
    signoffs = tmp_path / "signoffs.json"
    signoffs.write_text(json.dumps({"version": 1, "signed_off": [
        {"request": "hubspot-marketing-hub"}, {"request": "mailchimp"}]}))
    before = inventory_json()
    after = inventory_json("--signoffs", str(signoffs))
    assert statuses(before)["hubspot-marketing-hub"] == "proposed"
    assert statuses(after)["hubspot-marketing-hub"] == "approved"
    assert statuses(after)["mailchimp"] == "proposed"  # a sign-off never lifts a deny
    assert after["spend"]["stack"]["annual_cost"]["USD"] == \
        before["spend"]["stack"]["annual_cost"]["USD"] + 43200
    hubspot = next(r for r in after["requests"] if r["id"] == "hubspot-marketing-hub")
    assert hubspot["risk"]["open_reviews"] == []  # nobody is still to sign off


def test_discovery_makes_approved_tools_in_use(in_root: Path, shadow_json: Path) -> None:
    doc = inventory_json("--discover", str(shadow_json))
    found = statuses(doc)
    # Approved and seen in the exports: in use. In review and seen: still proposed.
    assert {i for i, s in found.items() if s == "in-use"} == {
        "semrush", "typeform", "zoom-webinars"}
    assert found["hubspot-marketing-hub"] == "proposed"
    assert doc["spend"]["by_status"]["in-use"] == {
        "requests": 3, "annual_cost": {"EUR": 1980, "USD": 10900}}
    # A denied request whose tool is in use anyway says so among its risks.
    hotjar = next(r for r in doc["requests"] if r["id"] == "hotjar")
    assert "in use although its request fails" in hotjar["risk"]["reasons"]


@pytest.mark.parametrize(("content", "message"), [
    ("{", "not the output of `martechgov discover --format json`"),
    ('{"version": 1, "as_of": "2026-11-23"}', "findings: Field required"),
    ('{"version": 9, "as_of": "2026-11-23", "findings": []}', "version 9 is not supported"),
])
def test_a_bad_discovery_file_is_exit_2(in_root: Path, tmp_path: Path, content: str,
                                        message: str) -> None:
    path = tmp_path / "shadow.json"
    path.write_text(content)
    result = CliRunner().invoke(main, ["report", "-o", str(tmp_path / "site"),
                                       "--discover", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "site").exists()  # nothing half-written


def policies_with_rates(tmp_path: Path, rates: str) -> Path:
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    (policies / "data" / "rates.yaml").write_text(rates)
    return policies


def test_rates_give_one_total_labelled_with_their_date(in_root: Path, tmp_path: Path) -> None:
    policies = policies_with_rates(tmp_path, "base: EUR\nas_of: 2026-11-01\n"
                                             "source: ECB reference rates\n"
                                             "rates:\n  USD: 0.92\n")
    doc = inventory_json("--policies", str(policies))
    # 1,980 EUR + 31,900 USD x 0.92
    assert doc["spend"]["single_total"] == {"amount": 31328, "currency": "EUR",
                                            "rates_as_of": "2026-11-01", "missing_rates": []}
    table = CliRunner().invoke(main, ["inventory", "--as-of", "2026-11-23",
                                      "--policies", str(policies)]).stdout
    assert "About 31,328 EUR per year at the rates of 2026-11-01 " \
           "(policies/data/rates.yaml)." in table
    # The per-currency amounts stay as they are.
    assert "The stack costs 1,980 EUR; 31,900 USD per year" in table


def test_a_currency_without_a_rate_means_no_single_total(in_root: Path,
                                                         tmp_path: Path) -> None:
    policies = policies_with_rates(tmp_path, "base: GBP\nas_of: 2026-11-01\n"
                                             "rates:\n  USD: 0.79\n")
    doc = inventory_json("--policies", str(policies))
    assert doc["spend"]["single_total"] == {"amount": None, "currency": "GBP",
                                            "rates_as_of": "2026-11-01",
                                            "missing_rates": ["EUR"]}


def test_without_rates_nothing_is_converted(in_root: Path) -> None:
    assert inventory_json()["spend"]["single_total"] is None


@pytest.mark.parametrize(("rates", "where"), [
    ("base: EUR\nas_of: 2026-11-01\nrates:\n  USD: -1\n", "rates.yaml:4:"),
    ("base: euro\nas_of: 2026-11-01\nrates: {}\n", "rates.yaml:1:"),
    ("base: EUR\nrates: {USD: 0.9}\n", "rates.yaml:2:"),
])
def test_a_bad_rates_file_is_a_policy_error_at_its_line(in_root: Path, tmp_path: Path,
                                                        rates: str, where: str) -> None:
    policies = policies_with_rates(tmp_path, rates)
    result = CliRunner().invoke(main, ["inventory", "--policies", str(policies)])
    assert result.exit_code == 2
    assert where in result.stderr
    validate = CliRunner().invoke(main, ["validate", "--policies", str(policies)])
    assert validate.exit_code == 1 and where in validate.stdout
