"""An IT policy author adds a request field, a data file and a rule using both, entirely
inside policies/, and sees it work in check, test, validate, impact, the schema and the
wizard: in a temporary git repository, as a pull request would.

Before: the field needed a change to request_model.py and a martechgov release, a new
data file was either refused or read with no validation, and no command could tell a
marketer about the new question.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from martechgov.cli import main

from .conftest import ROOT, invoke
from .gitutil import commit_all, git, make_repo
from .new.test_interview import CANVA_ANSWERS

FIELD = """
  audiences.lookalike:
    type: bool
    description: Will the tool build lookalike audiences from our customer lists?
  audiences.seed_source:
    type: enum
    description: Where do the seed lists come from?
    values:
      crm: exported from the CRM
      events: people who registered for our events
    required_when: {field: audiences.lookalike, equals: true}
"""
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["approved_categories"],
    "properties": {"approved_categories": {"type": "array", "items": {"type": "string"}}},
}
RULE = """# Lookalike audiences from our customer lists, outside the tools IT approved for it.
package martech.rules.audiences

import rego.v1

import data.martech.lib

approved := data.martech.config.lookalike.approved_categories

review contains finding if {
	input.request.audiences.lookalike == true
	not input.request.tool.category in approved
	finding := {
		"rule": "audiences.lookalike_review",
		"message": sprintf("%v would build lookalike audiences from our lists.", [lib.tool_name]),
		"fix": "Explain in `notes` which lists are uploaded; privacy will review.",
		"field": "audiences.lookalike",
		"team": "privacy",
	}
}
"""
TEST = """package martech.test.audiences

import rego.v1

import data.martech.rules.audiences
import data.martech.test.fixtures

test_lookalike_fires if {
	r := fixtures.changed([{"op": "add", "path": "/audiences", "value": {"lookalike": true}}])
	fs := audiences.review with input.request as r with input.as_of as "2026-11-23"
	fixtures.fired(fs, "audiences.lookalike_review")
}

test_lookalike_quiet_without_it if {
	r := fixtures.request
	fs := audiences.review with input.request as r with input.as_of as "2026-11-23"
	not fixtures.fired(fs, "audiences.lookalike_review")
}
"""
RECORD = """audiences.lookalike_review:
  title: Lookalike audiences from customer lists
  team: privacy
  citations:
    - name: GDPR Art. 6 (lawful basis)
      url: https://eur-lex.europa.eu/eli/reg/2016/679/oj
  fix: >-
    Say which lists are uploaded; privacy reviews the legal basis.
"""
WIRING = ('\nfindings contains leveled(f, "review") if some f in '
          "data.martech.rules.audiences.review\n")


def author_change(repo: Path) -> None:
    policies = repo / "policies"
    fields = policies / "fields.yaml"
    existing = fields.read_text() if fields.exists() else "fields:\n"
    fields.write_text(existing + FIELD)
    (policies / "data" / "lookalike.yaml").write_text("approved_categories: [cdp]\n")
    (policies / "data" / "lookalike.schema.json").write_text(json.dumps(SCHEMA))
    (policies / "audiences").mkdir()
    (policies / "audiences" / "audiences.rego").write_text(RULE)
    (policies / "audiences" / "audiences_test.rego").write_text(TEST)
    with (policies / "data" / "rules.yaml").open("a") as rules:
        rules.write(RECORD)
    with (policies / "decision.rego").open("a") as decision:
        decision.write(WIRING)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", ["typeform", "semrush", "hubspot-marketing-hub"])
    monkeypatch.chdir(path)
    git(path, "checkout", "-q", "-b", "lookalike-rule")
    author_change(path)
    request = path / "requests" / "typeform.yaml"
    request.write_text(request.read_text()
                       + "audiences:\n  lookalike: true\n  seed_source: events\n")
    commit_all(path, "lookalike audiences: a field, a data file and a rule")
    return path


def test_validate_and_test_accept_the_authors_change(repo: Path) -> None:
    code, out, _ = invoke("validate", "--as-of", "2026-11-23")
    assert code == 0, out
    assert out.startswith("valid: 11 data files")  # the shipped ten and lookalike
    code, out, _ = invoke("test", "--require-coverage")
    assert code == 0, out
    assert "audiences.lookalike_review" not in out  # covered


def test_check_judges_the_new_field_with_the_new_rule(repo: Path) -> None:
    code, out, _ = invoke("check", "requests/typeform.yaml", "--as-of", "2026-11-23",
                          "--format", "json")
    result = json.loads(out)["results"][0]
    assert result["decision"] == "review", result
    found = [f for f in result["findings"] if f["rule"] == "audiences.lookalike_review"]
    lines = (repo / "requests" / "typeform.yaml").read_text().splitlines()
    assert found and found[0]["line"] == lines.index("  lookalike: true") + 1
    assert found[0]["team"] == "privacy"


def test_the_new_field_is_checked_like_a_core_one(repo: Path) -> None:
    request = repo / "requests" / "typeform.yaml"
    request.write_text(request.read_text().replace("  lookalike: true", "  lookalik: true"))
    code, out, _ = invoke("check", "requests/typeform.yaml", "--as-of", "2026-11-23")
    assert code == 1
    assert "unknown field `audiences.lookalik` (did you mean `lookalike`?)" in out
    request.write_text(request.read_text().replace("  lookalik: true\n", "  lookalike: true\n")
                       .replace("  seed_source: events\n", ""))
    code, out, _ = invoke("check", "requests/typeform.yaml", "--as-of", "2026-11-23")
    assert code == 1
    assert ("`audiences.seed_source` is required when `audiences.lookalike` is true: "
            "Where do the seed lists come from?") in out


def test_impact_shows_what_the_change_does(repo: Path) -> None:
    code, out, err = invoke("impact", "--base", "main", "--as-of", "2026-11-23",
                            "--format", "json")
    assert code == 0, err
    changes = {c["id"]: c for c in json.loads(out)["changed"]}
    assert set(changes) == {"typeform"}
    typeform = changes["typeform"]
    assert typeform["before"]["decision"] == "invalid"  # main does not know the field
    assert typeform["after"] == {"decision": "review", "reviewers": ["privacy"]}
    assert [f["rule"] for f in typeform["added"]] == ["audiences.lookalike_review"]


def test_the_schema_and_the_issue_form_ask_the_new_field(repo: Path) -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    audiences = json.loads(out)["$defs"]["AudiencesWithFields"]["properties"]
    assert audiences["lookalike"]["description"] == (
        "Will the tool build lookalike audiences from our customer lists?")
    code, out, _ = invoke("issue-form")
    assert code == 0
    labels = [e.get("attributes", {}).get("label", "") for e in yaml.safe_load(out)["body"]]
    assert any("lookalike" in label.lower() for label in labels), labels


def test_the_wizard_asks_the_new_field(repo: Path, tmp_path: Path) -> None:
    fields = yaml.safe_load((repo / "policies" / "fields.yaml").read_text())["fields"]
    it_answers = ["yes" if path == "audiences.lookalike" else
                  "2" if path == "audiences.seed_source" else "" for path in fields]
    cost = CANVA_ANSWERS.index("1200")  # the cost section follows IT's questions
    shipped = len(yaml.safe_load((ROOT / "policies" / "fields.yaml").read_text())["fields"])
    answers = [*CANVA_ANSWERS[:cost - shipped], *it_answers, *CANVA_ANSWERS[cost:]]
    result = CliRunner().invoke(main, ["new", "--requests", str(tmp_path), "--as-of",
                                       "2026-11-23"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Will the tool build lookalike audiences from our customer lists?" in result.stdout
    written = yaml.safe_load((tmp_path / "canva.yaml").read_text())
    assert written["audiences"] == {"lookalike": True, "seed_source": "events"}
    assert "audiences.lookalike_review" in result.stdout


def test_in_a_pull_request_the_fields_come_from_the_base_branch(repo: Path) -> None:
    # The pull request's own fields.yaml cannot make its request valid.
    code, out, _ = invoke("check", "--base", "main", "--as-of", "2026-11-23", "--format",
                          "json")
    assert code == 1
    result = json.loads(out)["results"][0]
    assert (result["id"], result["decision"]) == ("typeform", "invalid")
    assert result["findings"][0]["rule"] == "schema.unknown_field"
