"""`martechgov import tech-stack`: drafts from a GitLab-style tech_stack.yml, and a report.

tests/data/techstack/tech_stack.yml follows GitLab's real field layout (current and
older fields), with a tool already requested (Zoom), one of IT's systems (Salesforce),
cloud hosting (AWS), a stray line, an entry without a title and a hostile entry.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.discover.drafts import HUMAN_ONLY_FIELDS
from martechgov.loader import load_request
from martechgov.request_writer import SCHEMA_LINE

from ..conftest import DATA

STACK = DATA / "techstack" / "tech_stack.yml"
DRAFTED = ["6sense", "allocadia", "drift", "evil-admin-true-id-hijacked", "marketo"]


def run(tmp_path: Path, *args: str, stack: Path = STACK) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["import", "tech-stack", str(stack), "--draft",
                                       str(tmp_path / "drafts"), "--as-of", "2026-11-23",
                                       *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def imported(tmp_path: Path, in_root: Path) -> tuple[Path, str]:
    code, out, err = run(tmp_path)
    assert code == 1, out + err  # two entries cannot be read
    return tmp_path / "drafts", out


def test_the_report_says_what_happened_to_each_entry(imported: tuple[Path, str]) -> None:
    drafts, out = imported
    lines = out.splitlines()
    assert lines[0] == ("Imported 10 entries from tests/data/techstack/tech_stack.yml (as of "
                        "2026-11-23): 5 drafts written")
    assert lines[2:12] == [
        f"   1  line 7      Marketo: draft {drafts / 'marketo.yaml'}",
        f"   2  line 30     6sense: draft {drafts / '6sense.yaml'}",
        f"   3  line 50     Allocadia: draft {drafts / 'allocadia.yaml'}",
        "   4  line 68     Zoom: not drafted: a request already exists "
        "(requests/zoom-webinars.yaml, approve)",
        "   5  line 86     Salesforce: not drafted: one of IT's systems",
        f"   6  line 102    Drift: draft {drafts / 'drift.yaml'}",
        "   7  line 126    AWS Marketing Account xxxxxxxx0347: not drafted: not a marketing "
        "tool (cloud infrastructure)",
        "   8  line 143    (no title): not read: not a mapping of fields",
        "   9  line 145    (no title): not read: no `title`: the system's name",
        f"  10  line 148    Evil admin: true id: hijacked: draft "
        f"{drafts / 'evil-admin-true-id-hijacked.yaml'}",
    ]
    assert sorted(p.stem for p in drafts.iterdir()) == DRAFTED


def test_the_report_says_what_mapped_and_what_did_not(imported: tuple[Path, str]) -> None:
    _, out = imported
    assert "  title -> tool.name (8)" in out
    assert "  authentication_method -> security.sso (7)" in out
    assert "  integration_method -> security.sso (1)" in out  # the older layout
    assert "Kept in each draft's notes: access_to (7), collected_data (8)" in out
    assert "Not used (GitLab's own bookkeeping): accessibility (1), now_id (1)" in out
    assert "Not a tech-stack field we know, not used: made_up_field (1)" in out


def problems(path: Path) -> list[tuple[str, str | None]]:
    return [(p.rule, p.field) for p in load_request(path, path.name).problems]


def test_drafts_validate_except_for_what_only_people_know(
        imported: tuple[Path, str]) -> None:
    drafts, _ = imported
    for path in drafts.iterdir():
        assert path.read_text().splitlines()[0] == SCHEMA_LINE
        found = problems(path)
        assert found and all(rule == "schema.missing" for rule, _ in found), found
        assert {field for _, field in found} <= set(HUMAN_ONLY_FIELDS), (path, found)


def test_every_known_fact_is_filled_in(imported: tuple[Path, str]) -> None:
    drafts, _ = imported
    marketo = yaml.safe_load((drafts / "marketo.yaml").read_text())
    assert marketo["tool"] == {
        "name": "Marketo", "vendor": "Adobe Inc.", "category": "marketing-automation",
        "deployment": "saas",
        "website": "https://business.adobe.com/products/marketo/adobe-marketo.html",
        "purpose": "Marketo is our marketing automation platform: email nurture, lead "
                   "scoring and the sync of leads to Salesforce."}
    assert marketo["requester"] == {"team": "Marketing Operations"}
    assert marketo["owners"] == {"technical": "amir.smith@example.com"}
    assert marketo["security"] == {"sso": "saml"}
    assert "data classification: Red; subprocessor: yes; collected data: Names" \
        in marketo["notes"]
    text = (drafts / "marketo.yaml").read_text()
    assert "# TODO business: who is accountable for the tool; the tech stack names Jane " \
           "Doe: write their work email" in text
    drift = yaml.safe_load((drafts / "drift.yaml").read_text())
    assert drift["security"] == {"sso": "none"}  # "Direct Access": a password login
    assert drift["data"]["subjects"] == ["customers"]  # processing_customer_data: true
    assert "compliance scope: SOX" in drift["notes"]
    assert yaml.safe_load((drafts / "6sense.yaml").read_text())["security"] == {
        "sso": "none"}  # Okta SWA stores a password: no SAML or OIDC
    allocadia = yaml.safe_load((drafts / "allocadia.yaml").read_text())
    assert "security" not in allocadia  # "API through Workato": says nothing about SSO
    assert allocadia["tool"]["category"] == "other"


def test_untrusted_text_cannot_write_lines_into_a_draft(imported: tuple[Path, str]) -> None:
    drafts, _ = imported
    path = drafts / "evil-admin-true-id-hijacked.yaml"
    text = path.read_text()
    document = yaml.safe_load(text)
    assert document["id"] == "evil-admin-true-id-hijacked" and "admin" not in document
    assert "retired_on" not in document and "foo" not in document
    assert document["kind"] == "ToolRequest" and document["requester"] == {
        "team": "Growth kind: Other"}
    assert all(line.startswith(("#", "  ", "apiVersion:", "kind:", "id:", "needed_by:",
                                "notes:", "tool:", "requester:", "owners:", "data:",
                                "security:")) for line in text.splitlines()), text


def test_json_report(tmp_path: Path, in_root: Path) -> None:
    code, out, _ = run(tmp_path, "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert [e["result"].split(":")[0] for e in document["entries"]] == [
        "draft " + str(tmp_path / "drafts" / f"{slug}.yaml") for slug in
        ("marketo", "6sense", "allocadia")] + [
        "not drafted", "not drafted", "draft " + str(tmp_path / "drafts" / "drift.yaml"),
        "not drafted", "not read", "not read",
        "draft " + str(tmp_path / "drafts" / "evil-admin-true-id-hijacked.yaml")]
    assert document["fields"]["mapped"]["title"] == {"entries": 8, "to": "tool.name"}
    assert document["fields"]["unknown"] == {"made_up_field": {"entries": 1}}


def test_existing_drafts_are_kept_without_force(tmp_path: Path, in_root: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "marketo.yaml").write_text("mine\n")
    code, out, _ = run(tmp_path)
    assert "Marketo: not written: " in out and "--force" in out
    assert (tmp_path / "drafts" / "marketo.yaml").read_text() == "mine\n"
    run(tmp_path, "--force")
    assert (tmp_path / "drafts" / "marketo.yaml").read_text().startswith(SCHEMA_LINE)


@pytest.mark.parametrize(("content", "message"), [
    ("title: Marketo\n", "tech_stack.yml:1:1: a tech stack is a list of systems"),
    ("- title: [unclosed\n", "tech_stack.yml:2:1:"),
    ("- &a {title: x}\n- *a\n", "aliases (*name) are not allowed"),
])
def test_an_unusable_file_is_exit_2(tmp_path: Path, in_root: Path, content: str,
                                    message: str) -> None:
    stack = tmp_path / "tech_stack.yml"
    stack.write_text(content)
    code, out, err = run(tmp_path, stack=stack)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_a_clean_stack_is_exit_0_and_needs_no_requests_folder(tmp_path: Path,
                                                             in_root: Path) -> None:
    stack = tmp_path / "tech_stack.yml"
    stack.write_text("- title: Hootsuite\n  description: Social scheduling\n"
                     "  group_owner: Social\n")
    code, out, _ = run(tmp_path, "--requests", str(tmp_path / "none"), stack=stack)
    assert code == 0
    assert yaml.safe_load((tmp_path / "drafts" / "hootsuite.yaml").read_text())["tool"][
        "category"] == "social"
