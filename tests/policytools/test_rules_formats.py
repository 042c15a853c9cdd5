"""`martechgov rules` and the README's generated rule table."""

from __future__ import annotations

import json

from martechgov.policy import PolicySet
from martechgov.policytools.rules_formats import RULES_FORMATTERS, TABLE_END, TABLE_START
from martechgov.rendering import rendered

from ..conftest import ROOT, invoke

POLICY = PolicySet.from_directory(ROOT / "policies")


def test_the_readme_rule_table_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(TABLE_START), readme.index(TABLE_END) + len(TABLE_END) + 1
    assert readme[start:end] == rendered(RULES_FORMATTERS, "markdown", POLICY.rules), (
        "README.md's rule table is stale: paste `martechgov rules --format markdown`")


def test_every_rule_has_a_record_with_a_title_an_owner_and_a_fix() -> None:
    for meta in POLICY.rules:
        assert meta.title and meta.fix and meta.team, meta.rule
        assert meta.levels, f"{meta.rule}: no deny, review or warn set emits it"


def test_rules_lists_every_rule_as_json(in_root: object) -> None:
    code, out, _ = invoke("rules", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    listed = {r["rule"]: r for r in doc["rules"]}
    assert set(listed) == {m.rule for m in POLICY.rules}
    assert listed["tracking.sensitive_pages"]["citations"][0] == {
        "name": "FTC v. GoodRx (2023)",
        "url": "https://www.ftc.gov/legal-library/browse/cases-proceedings/2023090-goodrx-holdings-inc"}
    assert listed["privacy.dpa_required"]["levels"] == ["deny"]
    assert listed["privacy.dpa_required"]["area"] == "privacy"


def test_rules_text_shows_level_owner_fix_and_sources(in_root: object) -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    assert ("privacy.breach_notice (review; owner legal): Breach notice within 72 hours\n"
            "    fix: Check the DPA") in out
    assert "    source: GDPR Art. 33 (72-hour breach notification) <https://eur-lex" in out
    assert out.endswith(f"\n{len(POLICY.rules)} rules\n")
