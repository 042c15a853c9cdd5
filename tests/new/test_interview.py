"""`martechgov new`: driven through its prompts, and without them through its flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from martechgov.cli import main
from martechgov.loader import load_request
from martechgov.new.interview import Interview
from martechgov.new.questions import QUESTIONS, Question, parse_answer
from martechgov.request_writer import SCHEMA_LINE

from ..conftest import ROOT

# One answer per prompt, in the order the wizard asks (an empty string takes the default
# or skips an optional question).
CANVA_ANSWERS = [
    # about the tool
    "Canva", "Canva Pty Ltd", "www.canva.com", "14", "", "Design social posts and banners.",
    "12",
    # you and the owner
    "Ana Ruiz", "ana.ruiz@example.com", "Brand", "", "",
    # the data
    "personal", "contact,content", "3", "1,2,3", "eu", "no", "no", "365",
    # security and contract
    "saml", "enforced", "yes", "2026-06-30", "", "2026-05-01", "yes", "yes", "no", "72",
    "not-needed", "https://www.canva.com/policies/subprocessors/",
    # connections
    "y", "website-cms", "inbound", "native", "content", "y", "7", "2", "csv", "", "n",
    # IT's questions (policies/fields.yaml): each skipped
    *[""] * len(yaml.safe_load((ROOT / "policies" / "fields.yaml").read_text())["fields"]),
    # cost and timing
    "1200", "", "12", "yes", "30", "2027-06-30", "2027-01-15", "",
]
CANVA_DOCUMENT = {
    "apiVersion": "martechgov/v1", "kind": "ToolRequest", "id": "canva",
    "needed_by": dt.date(2027, 1, 15),
    "tool": {"name": "Canva", "vendor": "Canva Pty Ltd", "category": "content",
             "deployment": "saas", "website": "https://www.canva.com",
             "purpose": "Design social posts and banners.", "seats": 12},
    "requester": {"name": "Ana Ruiz", "email": "ana.ruiz@example.com", "team": "Brand"},
    "owners": {"business": "ana.ruiz@example.com"},
    "data": {"personal_data": "personal", "categories": ["contact", "content"],
             "subjects": ["customers"], "subject_regions": ["eu", "uk", "us"],
             "storage_regions": ["eu"], "large_scale": False,
             "used_for_model_training": False, "retention_days": 365},
    "security": {"sso": "saml", "mfa": "enforced", "scim": True,
                 "soc2_type2_period_end": dt.date(2026, 6, 30),
                 "pentest_date": dt.date(2026, 5, 1), "encryption_at_rest": True},
    "privacy": {"dpa_signed": True, "sells_or_shares_data": False, "breach_notice_hours": 72,
                "transfer_mechanism": "not-needed",
                "subprocessors_url": "https://www.canva.com/policies/subprocessors/"},
    "integrations": [
        {"system": "website-cms", "direction": "inbound", "method": "native",
         "data": ["content"]},
        {"system": "snowflake", "direction": "outbound", "method": "csv"},
    ],
    "cost": {"annual": 1200, "currency": "USD", "term_months": 12, "auto_renew": True,
             "notice_days": 30, "renewal_date": dt.date(2027, 6, 30)},
}


@pytest.fixture
def target(tmp_path: Path, in_root: Path) -> list[str]:
    return ["new", "--requests", str(tmp_path), "--as-of", "2026-11-23"]


def run(runner: CliRunner, args: list[str], answers: list[str] | None = None) -> Result:
    text = None if answers is None else "\n".join(answers) + "\n"
    return runner.invoke(main, args, input=text)


def written(tmp_path: Path, request_id: str) -> dict[str, object]:
    path = tmp_path / f"{request_id}.yaml"
    loaded = load_request(path, path.as_posix())
    assert loaded.valid, loaded.problems
    assert path.read_text().splitlines()[0] == SCHEMA_LINE
    document: dict[str, object] = yaml.safe_load(path.read_text())
    return document


def test_the_wizard_asks_in_plain_words_and_shows_the_decision(
        runner: CliRunner, target: list[str], tmp_path: Path) -> None:
    result = run(runner, target, CANVA_ANSWERS)
    assert result.exit_code == 0, result.output
    assert written(tmp_path, "canva") == CANVA_DOCUMENT
    out = result.stdout
    assert "What kind of tool is it?\n   1. analytics             measures website traffic" in out
    assert "  14. content               design, video, writing or images" in out
    assert "Does it handle information about people?" in out
    assert "Does Canva connect to any of our systems (CRM, warehouse, website...)? [y/N]" in out
    assert "   8. website-cms         Corporate website (Contentful CMS)" in out
    assert f"Wrote {tmp_path / 'canva.yaml'}. The decision it would get as of 2026-11-23:" in out
    # a CSV export of personal data to the warehouse needs IT to look: the fix is shown
    assert f"REVIEW   {tmp_path / 'canva.yaml'}  Canva\n" in out
    assert "review integration.personal_data_by_file: Canva would exchange personal data" in out
    assert "fix: Use the vendor's native connector or an API integration" in out


def test_bad_answers_are_asked_again_with_the_allowed_values(
        runner: CliRunner, target: list[str], tmp_path: Path) -> None:
    answers = list(CANVA_ANSWERS)

    def retry(good: str, *bad: str) -> None:  # wrong answers first, then the right one
        index = answers.index(good)
        answers[index:index + 1] = [*bad, good]

    retry("14", "graphics", "99")  # the category
    retry("12", "twelve", "-3")  # seats
    retry("ana.ruiz@example.com", "ana")  # the requester's email
    retry("2026-06-30", "30/06/2026")  # the SOC 2 period end
    result = run(runner, target, answers)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert ("Error: 'graphics' is not one of the choices; answer with a number or one of: "
            "analytics, ab-testing, ad-platform, ad-pixel, cdp, crm, email,") in out
    assert "Error: '99' is not one of the choices" in out
    assert "Error: 'ana' is not an email address like name@example.com" in out
    assert "Error: '30/06/2026' is not a date; write it as YYYY-MM-DD, e.g. 2027-01-31" in out
    assert "Error: 'twelve' is not a whole number" in out
    assert written(tmp_path, "canva") == CANVA_DOCUMENT


REQUIRED_FLAGS = [
    "--name", "Loom", "--vendor", "Loom, Inc.", "--category", "content",
    "--purpose", "Short screen recordings for customer onboarding.",
    "--requester-name", "Ben Okafor", "--requester-email", "ben.okafor@example.com",
    "--team", "Customer Marketing", "--personal-data", "none",
]


def test_no_input_with_flags_writes_a_valid_request(runner: CliRunner, target: list[str],
                                                    tmp_path: Path) -> None:
    result = run(runner, [*target, "--no-input", *REQUIRED_FLAGS, "--sso", "oidc",
                          "--mfa", "enforced", "--seats", "8", "--website", "loom.com",
                          "--annual-cost", "1,800", "--currency", "eur"])
    document = written(tmp_path, "loom")
    assert document == {
        "apiVersion": "martechgov/v1", "kind": "ToolRequest", "id": "loom",
        "tool": {"name": "Loom", "vendor": "Loom, Inc.", "category": "content",
                 "deployment": "saas", "website": "https://loom.com",
                 "purpose": "Short screen recordings for customer onboarding.", "seats": 8},
        "requester": {"name": "Ben Okafor", "email": "ben.okafor@example.com",
                      "team": "Customer Marketing"},
        "owners": {"business": "ben.okafor@example.com"},
        "data": {"personal_data": "none"},
        "security": {"sso": "oidc", "mfa": "enforced"},
        "cost": {"annual": 1800, "currency": "EUR"},
    }
    assert "What is the tool called?" not in result.stdout  # nothing was asked
    assert result.exit_code in (0, 1)
    check = runner.invoke(main, ["check", str(tmp_path / "loom.yaml"), "--as-of", "2026-11-23"])
    assert result.exit_code == check.exit_code  # the same answer as check


def test_no_input_names_every_missing_answer(runner: CliRunner, target: list[str],
                                             tmp_path: Path) -> None:
    result = run(runner, [*target, "--no-input", "--name", "Loom"])
    assert result.exit_code == 2
    assert result.stderr == (
        "martechgov: error: missing answers (give them as options or drop --no-input): "
        "--vendor (Which company sells it), --category (What kind of tool is it), "
        "--purpose (In a sentence or two, what will your team use it for), "
        "--requester-name (Your name), --requester-email (Your work email), "
        "--team (Your team (e.g. Demand Generation)), "
        "--business-owner (Email of the person accountable for the tool), "
        "--personal-data (Does it handle information about people)\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("flag, value, message", [
    ("--category", "graphics", "--category: 'graphics' is not one of the choices; answer "
                               "with a number or one of: analytics, ab-testing"),
    ("--requester-email", "ben", "--requester-email: 'ben' is not an email address"),
    ("--soc2-period-end", "June 2026", "--soc2-period-end: 'June 2026' is not a date; write "
                                       "it as YYYY-MM-DD"),
    ("--sso", "okta", "--sso: 'okta' is not one of the choices; answer with a number or one "
                      "of: saml, oidc, none"),
    ("--dpa-signed", "maybe", "--dpa-signed: 'maybe': answer yes or no"),
    ("--term-months", "500", "--term-months: 500 is more than 120"),
    ("--term-months", "12", "options that do not apply to these answers: --term-months "
                            "(asked only with --annual-cost)"),
    ("--masking", "none", "options that do not apply to these answers: --masking (asked "
                          "only with --session-replay yes)"),
    ("--integration", "salesforce:sideways:native",
     "--integration 'salesforce:sideways:native': 'sideways' is not one of the choices"),
    ("--integration", "crm", "--integration 'crm': write SYSTEM:DIRECTION:METHOD[:DATA,...]"),
    ("--id", "Loom Pro", "--id 'Loom Pro': use lowercase letters, digits and dashes"),
])
def test_bad_flag_values_exit_2(runner: CliRunner, target: list[str], tmp_path: Path,
                                flag: str, value: str, message: str) -> None:
    result = run(runner, [*target, "--no-input", *REQUIRED_FLAGS, flag, value])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"martechgov: error: {message}"), result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_yes_accepts_defaults_and_skips_optional_questions(
        runner: CliRunner, target: list[str], tmp_path: Path) -> None:
    # --yes asks only required questions that have no flag: here, the team
    flags = [f for f in REQUIRED_FLAGS if f not in ("--team", "Customer Marketing")]
    result = run(runner, [*target, "--yes", *flags], ["Field Marketing"])
    assert result.exit_code in (0, 1), result.output
    assert "Your team (e.g. Demand Generation): Field Marketing" in result.stdout
    assert "Its website" not in result.stdout and "How will we use it?" not in result.stdout
    document = written(tmp_path, "loom")
    assert document["requester"] == {"name": "Ben Okafor", "email": "ben.okafor@example.com",
                                     "team": "Field Marketing"}
    assert document["tool"]["deployment"] == "saas"  # type: ignore[index]


def test_a_tag_gets_its_tracking_section(runner: CliRunner, target: list[str],
                                         tmp_path: Path) -> None:
    result = run(runner, [*target, "--no-input", *REQUIRED_FLAGS, "--name", "Clarity",
                          "--category", "session-replay", "--deployment", "tag",
                          "--personal-data", "pseudonymous", "--pages", "home, pricing",
                          "--consent-category", "analytics", "--session-replay", "yes",
                          "--masking", "all-inputs", "--subject-regions", "eu,us"])
    document = written(tmp_path, "clarity")
    assert document["tracking"] == {"pages": ["home", "pricing"],
                                    "consent_category": "analytics",
                                    "session_replay": True, "masking": "all-inputs"}
    assert result.exit_code == 1  # missing security facts: denied, with the fixes shown
    assert "DENY" in result.stdout and "fix:" in result.stdout


def test_an_agency_tool_gets_its_agency_section(runner: CliRunner, target: list[str],
                                                tmp_path: Path) -> None:
    result = run(runner, [*target, "--no-input", *REQUIRED_FLAGS, "--name", "Later",
                          "--category", "social", "--deployment", "agency-operated",
                          "--agency-name", "Brightline", "--agency-accounts", "named-sso",
                          "--agency-role", "editor", "--agency-offboarding",
                          "a@brightline.example,b@brightline.example",
                          "--agency-flow-down", "yes",
                          "--integration", "salesforce:outbound:api:contact,identifiers",
                          "--integration", "slack:bidirectional:native"])
    assert result.exit_code in (0, 1), result.output
    document = written(tmp_path, "later")
    assert document["agency"] == {"name": "Brightline", "accounts": "named-sso",
                                  "role": "editor",
                                  "offboarding_contacts": ["a@brightline.example",
                                                           "b@brightline.example"],
                                  "flow_down_terms": True}
    assert document["integrations"] == [
        {"system": "salesforce", "direction": "outbound", "method": "api",
         "data": ["contact", "identifiers"]},
        {"system": "slack", "direction": "bidirectional", "method": "native"}]


def test_an_existing_request_is_not_overwritten_without_force(
        runner: CliRunner, target: list[str], tmp_path: Path) -> None:
    (tmp_path / "loom.yaml").write_text("mine\n")
    refused = run(runner, [*target, *REQUIRED_FLAGS, "--no-input"])
    assert refused.exit_code == 2
    assert refused.stderr == (f"martechgov: error: {tmp_path / 'loom.yaml'} already exists; "
                              "choose another id with --id, or use --force to replace it\n")
    assert (tmp_path / "loom.yaml").read_text() == "mine\n"
    # interactively it stops right after the name, before the other questions
    asked = run(runner, target, ["Loom"])
    assert asked.exit_code == 2 and "Which company sells it?" not in asked.stdout
    other_id = run(runner, [*target, *REQUIRED_FLAGS, "--no-input", "--id", "loom-business"])
    assert other_id.exit_code in (0, 1)
    assert written(tmp_path, "loom-business")["id"] == "loom-business"
    forced = run(runner, [*target, *REQUIRED_FLAGS, "--no-input", "--force"])
    assert forced.exit_code in (0, 1)
    assert written(tmp_path, "loom")["tool"]["name"] == "Loom"  # type: ignore[index]


def test_the_id_comes_from_the_tool_name(runner: CliRunner, target: list[str],
                                         tmp_path: Path) -> None:
    flags = [*REQUIRED_FLAGS, "--name", "Apollo.io Sales Intelligence"]
    assert run(runner, [*target, *flags, "--no-input"]).exit_code in (0, 1)
    assert written(tmp_path, "apollo-io-sales-intelligence")["id"] == \
        "apollo-io-sales-intelligence"


def test_every_question_has_a_flag() -> None:
    help_text = CliRunner().invoke(main, ["new", "--help"]).stdout
    for question in QUESTIONS.values():
        if question.flag:
            assert f"--{question.key}" in help_text, question.key
    assert "--integration" in help_text and "--no-input" in help_text and "--yes" in help_text


def test_an_interview_from_flags_only_asks_nothing() -> None:
    interview = Interview({"name": "Miro"}, asker=None)
    assert interview.get("name") == "Miro"
    assert interview.get("deployment") == "saas"  # the default
    assert interview.get("vendor") is None and interview.missing == ["vendor"]
    assert interview.confirm("Another?", default=False) is False
    required = Question("x", "X?", required=True)
    with pytest.raises(ValueError, match="an answer is needed"):
        parse_answer(required, "  ")


def test_the_sample_requests_still_load(in_root: Path) -> None:
    # the wizard writes through the same YAML dumper the drafts use: a smoke check that
    # a dumped example reads back identically
    from martechgov.request_writer import dump_request

    original = yaml.safe_load((ROOT / "requests" / "typeform.yaml").read_text())
    assert yaml.safe_load(dump_request(original)) == original
