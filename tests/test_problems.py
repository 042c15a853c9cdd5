"""Problems in a request file, in plain words a marketer understands: what is wrong, a
fix (with a "did you mean" when the value says it) and, for an absent field, the YAML
to paste; one message per kind when there are hundreds, and no value echoed in full
(problems.py, messages.py). Each case is a file under tests/data/bad/messages/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from martechgov.loader import load_request
from martechgov.problems import AGGREGATE_ABOVE
from martechgov.request_schema import policy_choices

from .conftest import DATA, ROOT, invoke

MESSAGES = DATA / "bad" / "messages"


def lines(*text: str) -> str:
    return "\n".join(text)


# file under tests/data/bad/messages -> every problem: rule, line, column, message, fix,
# YAML to paste after the line (for an absent field)
CASES: dict[str, list[tuple[str, int, int, str, str, str | None]]] = {
    'count-with-words': [
        ('schema.type', 10, 3,
         '`tool.seats` is `25 seats`: write a whole number of seats from 0 to 10,000,000',
         'did you mean 25? Write `seats: 25`',
         None),
    ],
    'date-ambiguous': [
        ('schema.type', 3, 1,
         '`needed_by` is `01/02/2027`: write dates as YYYY-MM-DD, e.g. 2027-01-15',
         'did you mean 2027-01-02 (2 January 2027) or 2027-02-01 (1 February 2027)? Write the '
         'one you mean as `needed_by: YYYY-MM-DD`',
         None),
    ],
    'date-dotted': [
        ('schema.type', 3, 1,
         '`needed_by` is `15.01.2027`: write dates as YYYY-MM-DD, e.g. 2027-01-15',
         'did you mean 2027-01-15? Write `needed_by: 2027-01-15`',
         None),
    ],
    'date-not-a-day': [
        ('schema.type', 3, 1,
         '`needed_by` is `2027-02-30`, which is not a day of the calendar: write dates as '
         'YYYY-MM-DD, e.g. 2027-01-15',
         'check the day: February 2027 has 28 days',
         None),
    ],
    'date-unreadable': [
        ('schema.type', 3, 1,
         '`needed_by` is `next spring`: write dates as YYYY-MM-DD, e.g. 2027-01-15',
         'write `needed_by:` followed by the date as YYYY-MM-DD (year, month, day)',
         None),
    ],
    'date-us': [
        ('schema.type', 3, 1,
         '`needed_by` is `01/15/2027`: write dates as YYYY-MM-DD, e.g. 2027-01-15',
         'did you mean 2027-01-15? Write `needed_by: 2027-01-15`',
         None),
    ],
    'date-words': [
        ('schema.type', 3, 1,
         '`needed_by` is `January 15, 2027`: write dates as YYYY-MM-DD, e.g. 2027-01-15',
         'did you mean 2027-01-15? Write `needed_by: 2027-01-15`',
         None),
    ],
    'enum-did-you-mean': [
        ('schema.value', 8, 3,
         '`tool.deployment` is `agency`, which is not an allowed value; allowed: `saas` (a '
         'website or app people log in to), `agency-operated` (an agency runs it for us), '
         '`tag` (a script or pixel on our website), `browser-extension` (installed in '
         "people's browsers), `self-hosted` (we run it on our own servers)",
         'did you mean `agency-operated`? Write `deployment: agency-operated`',
         None),
        ('schema.value', 18, 25,
         '`data.categories[1]` is `behavorial`, which is not an allowed value; allowed: '
         '`contact` (names, emails, phone numbers), `identifiers` (customer or account ids), '
         '`behavioral` (clicks, pages visited, purchases), `device` (device or browser ids, '
         'IP addresses), `location` (where people are), `financial` (payment or bank '
         'details), `health` (anything about health), `biometric` (faces, fingerprints, '
         'voices), `children` (data about children), `employee` (data about our staff), '
         '`content` (messages, files, recordings)',
         'did you mean `behavioral`? Write `behavioral` instead of `behavorial`',
         None),
        ('schema.value', 20, 3,
         '`privacy.transfer_mechanism` is `SCC`, which is not an allowed value; allowed: '
         '`not-needed` (it is not moved: the data stays in the EU or UK), `adequacy` (the '
         'destination has an EU adequacy decision), `dpf` (the vendor is certified under the '
         'EU-US Data Privacy Framework), `scc` (standard contractual clauses are in the '
         'contract)',
         'did you mean `scc`? Write `transfer_mechanism: scc`',
         None),
        ('schema.value', 23, 3,
         '`cost.currency` is `usd`: write a three-letter currency code in capitals, e.g. USD, '
         'EUR or GBP',
         'did you mean `USD`? Write `currency: USD`',
         None),
    ],
    'list-as-text': [
        ('schema.type', 18, 3,
         '`data.categories` is `contact, behavioral`, not a list: write a list in brackets, '
         'e.g. [contact, identifiers]',
         'did you mean `categories: [contact, behavioral]`?',
         None),
    ],
    'missing-sections': [
        ('schema.missing', 4, 1,
         '`tool` is required but missing (the tool: what it is, who sells it, how we will use it)',
         'add a `tool:` section at the end of the file',
         lines('tool:',
               '  name:  # what the tool is called, e.g. Typeform',
               '  vendor:  # the company that sells it, e.g. Typeform SL',
               '  category:  # one of: analytics, ab-testing, ad-platform, ad-pixel, cdp, '
               'crm, email, marketing-automation, social, session-replay, tag-management, '
               'enrichment, survey, content, webinar, seo, other',
               '  deployment:  # one of: saas, agency-operated, tag, browser-extension, '
               'self-hosted',
               '  purpose:  # in a sentence or two, what your team will use it for')),
        ('schema.missing', 4, 1,
         '`requester` is required but missing (who asks for the tool)',
         'add a `requester:` section at the end of the file',
         lines('requester:',
               '  name:  # your name',
               '  email:  # your work email',
               '  team:  # your team, e.g. Demand Generation')),
        ('schema.missing', 4, 1,
         '`owners` is required but missing (who is accountable for the tool once it is bought)',
         'add an `owners:` section at the end of the file',
         lines('owners:',
               '  business:  # email of the person accountable for the tool')),
        ('schema.missing', 4, 1,
         '`data` is required but missing (the information about people the tool handles)',
         'add a `data:` section at the end of the file',
         lines('data:',
               '  personal_data:  # one of: none, pseudonymous, personal, special-category')),
    ],
    'money-written-out': [
        ('schema.type', 19, 3,
         '`cost.annual` is `$9,000`: write the amount as a plain number, e.g. 9000',
         'did you mean 9000? Write `annual: 9000` (the currency goes in `cost.currency`)',
         None),
    ],
    'no-value': [
        ('schema.missing', 6, 3,
         '`tool.vendor` has no value (nothing after the colon, `~` and `null` all mean none); '
         'write the company that sells it, e.g. Typeform SL',
         'after `vendor:`, write the company that sells it, e.g. Typeform SL',
         None),
        ('schema.missing', 17, 3,
         '`data.personal_data` has no value (nothing after the colon, `~` and `null` all mean '
         'none); write one of: `none` (no information about people at all), `pseudonymous` '
         '(cookie or device ids but no names (still personal data under the GDPR)), '
         '`personal` (names, emails or anything else that identifies someone), '
         '`special-category` (health, religion, ethnicity, sexual orientation, biometrics or '
         'political views)',
         'after `personal_data:`, write one of the allowed values',
         None),
    ],
    'section-as-value': [
        ('schema.type', 18, 1,
         '`privacy` is `yes`, not a section: write a section of keys and values, one per '
         'line, indented under it',
         'replace `yes` with the fields of `privacy`, each on its own line, indented under '
         '`privacy:`',
         None),
    ],
    'system-not-an-id': [
        ('schema.value', 19, 5,
         '`integrations[0].system` is `Sales Force`: write a lowercase id of letters, digits '
         'and dashes, e.g. hubspot-marketing-hub',
         'did you mean `sales-force`? Write `system: sales-force`',
         None),
    ],
    'text-as-number': [
        ('schema.type', 5, 3,
         '`tool.name` is `2024`, which is read as a number: write it as text (in quotes if it '
         'looks like a number or a date)',
         'write `name: "2024"`',
         None),
    ],
    'wrong-id-and-schema': [
        ('schema.value', 7, 3,
         '`tool.category` is `survey-tool`, which is not an allowed value; allowed: '
         '`analytics` (measures website traffic and campaigns), `ab-testing` (tests versions '
         'of a page against each other), `ad-platform` (buys or manages ads), `ad-pixel` (an '
         "ad network's tracking script on our website), `cdp` (collects customer data into "
         'profiles), `crm` (keeps customer and deal records), `email` (sends newsletters or '
         'emails), `marketing-automation` (nurture emails, landing pages, lead scoring), '
         '`social` (schedules posts and answers comments), `session-replay` (records what '
         'visitors do on our website), `tag-management` (manages the scripts on our website), '
         '`enrichment` (adds company or contact details to leads), `survey` (forms and '
         'surveys), `content` (design, video, writing or images), `webinar` (webinars and '
         'online events), `seo` (search rankings and keywords), `other` (none of these)',
         'did you mean `survey`? Write `category: survey`',
         None),
        ('request.file_name', 3, 1,
         'the file is named `wrong-id-and-schema.yaml` but its id is `another-name`',
         'name the file `another-name.yaml` (or change the id to `wrong-id-and-schema`)',
         None),
    ],
    'yaml11-numbers': [
        ('schema.type', 10, 3,
         '`tool.seats` is `0x1F`: write a whole number of seats from 0 to 10,000,000',
         'did you mean 31? Write `seats: 31` (numbers are written in decimal)',
         None),
        ('schema.type', 19, 3,
         '`data.retention_days` is `1:30`: write a whole number of days from 0 to 36,500',
         'write `retention_days:` followed by a plain number (`1:30` is read as hours or '
         'minutes by some YAML tools)',
         None),
        ('schema.type', 21, 3,
         '`cost.annual` is `1_000`: write the amount as a plain number, e.g. 9000',
         'did you mean 1000? Write `annual: 1000`',
         None),
        ('schema.type', 23, 3,
         '`cost.term_months` is `010`: write a whole number of months from 1 to 120',
         'did you mean 10? Write `term_months: 10` (without the leading zero: some YAML tools '
         'read `010` as the octal number 8)',
         None),
    ],
    'yes-no-words': [
        ('schema.type', 19, 3,
         '`security.scim` is `yes`: write true or false',
         'did you mean true? Write `scim: true` (only true and false are read as yes or no)',
         None),
        ('schema.type', 20, 3,
         '`security.encryption_at_rest` is `No`: write true or false',
         'did you mean false? Write `encryption_at_rest: false` (only true and false are read '
         'as yes or no)',
         None),
        ('schema.type', 22, 3,
         '`privacy.dpa_signed` is `on`: write true or false',
         'did you mean true? Write `dpa_signed: true` (only true and false are read as yes or no)',
         None),
        ('schema.type', 23, 3,
         '`privacy.tia_done` is `OFF`: write true or false',
         'did you mean false? Write `tia_done: false` (only true and false are read as yes or no)',
         None),
        ('schema.type', 24, 3,
         '`privacy.dpia_done` is `y`: write true or false',
         'did you mean true? Write `dpia_done: true` (only true and false are read as yes or no)',
         None),
        ('schema.type', 25, 3,
         '`privacy.sells_or_shares_data` is `n`: write true or false',
         'did you mean false? Write `sells_or_shares_data: false` (only true and false are '
         'read as yes or no)',
         None),
    ],
}


def test_every_case_has_a_file_and_every_file_a_case() -> None:
    files = {p.stem for p in MESSAGES.glob("*.yaml")} - {"no-sections"}
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_mistake_is_said_in_plain_words_with_its_fix(name: str) -> None:
    loaded = load_request(MESSAGES / f"{name}.yaml", f"bad/messages/{name}.yaml")
    assert [(p.rule, p.line, p.column, p.message, p.fix, p.fix_yaml)
            for p in loaded.problems] == CASES[name]


def test_a_system_id_is_matched_against_its_catalog() -> None:
    from martechgov.policy import PolicySet

    choices = policy_choices(PolicySet.from_directory(ROOT / "policies"))
    loaded = load_request(MESSAGES / "system-not-an-id.yaml", choices=choices)
    [problem] = loaded.problems
    assert problem.fix == "did you mean `salesforce`? Write `system: salesforce`"


def request_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "requests" / "typeform.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "typeform.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_hundreds_of_unknown_keys_are_one_problem_with_a_count(tmp_path: Path) -> None:
    extra = "".join(f"  k{i:05d}: 1\n" for i in range(19_900))
    loaded = load_request(request_with(tmp_path, "tool:\n", "tool:\n" + extra))
    [problem] = loaded.problems
    assert problem.rule == "schema.unknown_field"
    assert problem.message.startswith(
        "19,900 unknown fields; the first 20: `tool.k00000`, `tool.k00001`, ")
    assert "`tool.k00019`. The first one: unknown field `tool.k00000`" in problem.message
    assert "k00020" not in problem.message
    assert (problem.line, problem.column) == (6, 3)


def test_a_few_problems_of_one_kind_keep_their_own_lines(tmp_path: Path) -> None:
    extra = "".join(f"  k{i:02d}: 1\n" for i in range(AGGREGATE_ABOVE))
    loaded = load_request(request_with(tmp_path, "tool:\n", "tool:\n" + extra))
    assert len(loaded.problems) == AGGREGATE_ABOVE
    assert [p.line for p in loaded.problems] == list(range(6, 6 + AGGREGATE_ABOVE))


def test_a_huge_value_is_quoted_cut(tmp_path: Path) -> None:
    huge = "A" * 900_000
    loaded = load_request(request_with(tmp_path, "  name: Typeform", f'  name: "{huge}"'))
    [problem] = loaded.problems
    assert problem.field == "tool.name"
    assert problem.message == "`tool.name` is longer than 2,000 characters"
    loaded = load_request(request_with(tmp_path, "  category: survey", f'  category: "{huge}"'))
    [problem] = loaded.problems
    assert len(problem.message) < 1200 and problem.fix is not None and len(problem.fix) < 400
    assert f"`{'A' * 80}...`" in problem.message


def test_a_huge_unknown_key_is_named_cut(tmp_path: Path) -> None:
    key = "k" * 1000  # YAML allows 1024 characters in a plain key
    loaded = load_request(request_with(tmp_path, "tool:\n", f"tool:\n  {key}: 1\n"))
    [problem] = loaded.problems
    assert problem.field is not None and len(problem.field) == len("tool.") + 195 + 3
    assert len(problem.message) < 800


# --- policy findings about an absent field ---------------------------------------------

NO_SECTIONS = "tests/data/bad/messages/no-sections.yaml"  # no security, no privacy


def check(*args: str) -> tuple[int, str]:
    code, out, err = invoke("check", NO_SECTIONS, "--as-of", "2026-11-23", *args)
    assert "Traceback" not in err
    return code, out


def test_findings_about_missing_sections_point_at_the_end_of_the_file(in_root: Path) -> None:
    code, out = check("--format", "json")
    [result] = json.loads(out)["results"]
    places = {(f["rule"], f["line"], f["column"]) for f in result["findings"]}
    assert code == 1 and result["decision"] == "deny"
    assert places == {  # 27 is the last line; 25 is the integration's system
        ("integration.approved_target", 25, 5), ("privacy.dpa_required", 27, 1),
        ("privacy.no_sale_or_share", 27, 1), ("privacy.breach_notice", 27, 1),
        ("security.attestation_current", 27, 1), ("security.encryption_at_rest", 27, 1),
        ("security.mfa_required", 27, 1), ("security.sso_required", 27, 1),
        ("security.pentest_recent", 27, 1), ("privacy.risk_assessment", 27, 1)}
    pastes = {f["rule"]: f.get("fix_yaml") for f in result["findings"]}
    assert pastes == {
        "integration.approved_target": None,  # the field is there: its value is wrong
        "privacy.dpa_required": "privacy:\n  dpa_signed: true",
        "privacy.no_sale_or_share": "privacy:\n  sells_or_shares_data: false",
        "privacy.breach_notice": "privacy:\n  breach_notice_hours:  # a whole number (within "
                                 "how many hours the vendor must tell us about a breach)",
        "security.attestation_current": "security:\n  soc2_type2_period_end:  # a date as "
        "YYYY-MM-DD (end date of the vendor's latest SOC 2 Type II report)",
        "security.encryption_at_rest": "security:\n  encryption_at_rest: true",
        "security.mfa_required": "security:\n  mfa: enforced",
        "security.sso_required": "security:\n  sso: saml",
        "security.pentest_recent": "security:\n  pentest_date:  # a date as YYYY-MM-DD (date "
                                   "of the vendor's latest penetration test)",
        "privacy.risk_assessment": "privacy:\n  risk_assessment_done: true",  # a declared field
    }


def test_an_unknown_system_is_answered_with_the_nearest_in_its_catalog(in_root: Path) -> None:
    _, out = check("--format", "json")
    [target] = [f for f in json.loads(out)["results"][0]["findings"]
                if f["rule"] == "integration.approved_target"]
    assert target["fix"] == (
        "Set `integrations[0].system` to the id of a system in IT's catalog "
        "(policies/data/systems.yaml), or ask IT to add the system to the catalog first. "
        "Did you mean `salesforce` (Salesforce Sales Cloud (CRM))?")


def test_the_yaml_to_paste_is_in_the_text_the_comment_and_the_annotations(
        in_root: Path) -> None:
    _, text = check()
    assert (
        f"  {NO_SECTIONS}:27:1 deny privacy.dpa_required: Minimal Tool would receive personal "
        "data, but there is no signed data processing agreement (DPA) with the vendor.\n"
        "      fix: Ask the vendor for its DPA, have legal sign it, and set "
        "`privacy.dpa_signed: true`.\n"
        "      paste after line 27:\n"
        "        privacy:\n"
        "          dpa_signed: true\n") in text
    _, markdown = check("--format", "markdown")
    assert (
        "  - Fix: Ask the vendor for its DPA, have legal sign it, and set "
        "`privacy.dpa_signed: true`.\n"
        "  - Paste after line 27:\n"
        "    ```yaml\n"
        "    privacy:\n"
        "      dpa_signed: true\n"
        "    ```\n") in markdown
    _, github = check("--format", "github")
    assert ("set `privacy.dpa_signed: true`.%0APaste after line 27:%0Aprivacy:%0A"
            "  dpa_signed: true\n") in github
