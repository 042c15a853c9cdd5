"""`discover --draft`: a prefilled request per shadow tool, valid but for what only people know."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from martechgov.check import CheckOptions, run_check
from martechgov.cli import main
from martechgov.discover.drafts import HUMAN_ONLY_FIELDS
from martechgov.discover.matching import DiscoverOptions, run_discover
from martechgov.discover.shadow_drafts import write_drafts
from martechgov.loader import load_request
from martechgov.request_writer import SCHEMA_LINE

from ..conftest import AS_OF, ROOT
from .test_matching import SAMPLES

DRAFTED = ["canva", "chatgpt", "miro", "calendly", "loom", "grammarly", "apollo-io",
           "hootsuite", "google-ads"]


@pytest.fixture(scope="module")
def shadow_tools():  # noqa: ANN201 - the sample exports' shadow tools
    options = DiscoverOptions([ROOT / p for p in SAMPLES], ROOT / "requests",
                              ROOT / "policies", AS_OF)
    return run_discover(options).shadow_tools


@pytest.fixture
def drafts(tmp_path: Path, shadow_tools) -> dict[str, Path]:  # noqa: ANN001
    outcomes = write_drafts(shadow_tools, tmp_path / "requests", AS_OF)
    return {o.path.stem: o.path for o in outcomes if o.path is not None}


def problems(path: Path) -> list[tuple[str, str | None]]:
    return [(p.rule, p.field) for p in load_request(path, path.name).problems]


def test_one_draft_per_shadow_tool_without_a_request(tmp_path: Path, shadow_tools) -> None:  # noqa: ANN001
    outcomes = write_drafts(shadow_tools, tmp_path, AS_OF)
    assert [o.path.stem for o in outcomes if o.path] == DRAFTED
    skipped = {o.name: o.skipped for o in outcomes if o.path is None}
    assert skipped == {
        "Hotjar Observe": "a request already exists (requests/hotjar.yaml, deny): change "
                          "that request instead",
        "Mailchimp Standard": "a request already exists (requests/mailchimp.yaml, deny): "
                              "change that request instead",
    }


def test_drafts_validate_except_for_the_human_only_fields(drafts: dict[str, Path]) -> None:
    for slug, path in drafts.items():
        assert path.read_text().splitlines()[0] == SCHEMA_LINE, slug
        found = problems(path)
        assert found, slug  # a draft is never a finished request
        assert all(rule == "schema.missing" for rule, _ in found), (slug, found)
        assert {field for _, field in found} <= set(HUMAN_ONLY_FIELDS), (slug, found)


def test_with_a_known_email_only_purpose_team_and_personal_data_are_left(
        drafts: dict[str, Path]) -> None:
    assert problems(drafts["canva"]) == [("schema.missing", "tool.purpose"),
                                         ("schema.missing", "requester.team"),
                                         ("schema.missing", "data.personal_data")]


def test_the_draft_content(drafts: dict[str, Path], shadow_tools) -> None:  # noqa: ANN001
    canva = next(f for f in shadow_tools if f.name == "Canva")
    document = yaml.safe_load(drafts["canva"].read_text())
    assert canva.top_user is not None
    name, email = canva.top_user
    assert document == {
        "apiVersion": "martechgov/v1", "kind": "ToolRequest", "id": "canva",
        "needed_by": AS_OF,
        "notes": "Found in use by martechgov discover (as of 2026-11-23): 15 people in the "
                 "okta, google, expense exports, first seen 2025-09-04, last seen 2026-11-20; "
                 'spend 1,109.26 USD. Seen as "Canva", "CANVA* 104839201", '
                 '"CANVA PTY LTD SYDNEY AUS", "CANVA* 104839299".',
        "tool": {"name": "Canva", "vendor": "Canva Pty Ltd", "category": "content",
                 "deployment": "saas", "website": "https://canva.com", "seats": 15},
        "requester": {"name": name, "email": email},
        "owners": {"business": email},
        "data": {"categories": [], "subjects": [], "subject_regions": [],
                 "storage_regions": []},
        "cost": {"annual": 884, "currency": "USD"},  # 884.41 USD in the 12 months to as-of
    }
    text = drafts["canva"].read_text()
    assert "# TODO purpose: what the team uses Canva for" in text
    assert "# TODO personal_data: does Canva handle information about people?" in text


def test_a_card_only_tool_has_no_email_to_guess(tmp_path: Path, in_root: Path) -> None:
    card = tmp_path / "card.csv"
    card.write_text("Date,Merchant,Amount,Currency,Cardholder\n"
                    "2026-05-01,JASPER AI INC,49.00,USD,Pat Doe\n"
                    "2026-06-01,JASPER.AI,49.00,USD,Pat Doe\n")
    shadow_tools = run_discover(DiscoverOptions([card], ROOT / "requests", ROOT / "policies",
                                            AS_OF)).shadow_tools
    [outcome] = write_drafts(shadow_tools, tmp_path / "drafts", AS_OF)
    assert outcome.path is not None and outcome.path.name == "jasper.yaml"
    assert sorted(problems(outcome.path)) == [
        ("schema.missing", "data.personal_data"), ("schema.missing", "owners"),
        ("schema.missing", "requester.email"), ("schema.missing", "requester.team"),
        ("schema.missing", "tool.purpose")]
    document = yaml.safe_load(outcome.path.read_text())
    assert document["requester"] == {"name": "Pat Doe"}
    assert document["tool"]["website"] == "https://jasper.ai"
    assert document["cost"] == {"annual": 98, "currency": "USD"}


def test_a_finished_draft_is_judged_like_any_request(tmp_path: Path,
                                                     drafts: dict[str, Path]) -> None:
    # The owner answers the TODOs; nothing else needs to change for a valid request.
    path = drafts["miro"]
    text = path.read_text().replace(
        "  # TODO purpose:", "  purpose: Whiteboards for campaign planning.\n  # was TODO:")
    text = text.replace("  # TODO team:", "  team: Brand\n  # was TODO:")
    text = text.replace("data:\n", "data:\n  personal_data: none\n")
    path.write_text(text)
    assert problems(path) == []
    report = run_check(CheckOptions([path], ROOT / "policies", AS_OF))
    assert report.results[0].decision in ("approve", "review", "deny")


def test_existing_drafts_are_not_overwritten_without_force(tmp_path: Path,
                                                           shadow_tools) -> None:  # noqa: ANN001
    target = tmp_path / "requests"
    target.mkdir()
    (target / "canva.yaml").write_text("mine\n")
    outcomes = {o.name: o for o in write_drafts(shadow_tools, target, AS_OF)}
    assert outcomes["Canva"].path is None
    assert outcomes["Canva"].skipped == (f"{target / 'canva.yaml'} already exists (use --force "
                                         "to replace it)")
    assert (target / "canva.yaml").read_text() == "mine\n"
    forced = {o.name: o for o in write_drafts(shadow_tools, target, AS_OF, force=True)}
    assert forced["Canva"].path == target / "canva.yaml"
    assert (target / "canva.yaml").read_text().startswith(SCHEMA_LINE)


def test_shadow_tools_that_slugify_alike_get_numbered(tmp_path: Path, shadow_tools) -> None:  # noqa: ANN001
    from dataclasses import replace

    twins = [shadow_tools[0], replace(shadow_tools[0], name="Canva!")]
    outcomes = write_drafts(twins, tmp_path, AS_OF)
    assert [o.path.name for o in outcomes if o.path] == ["canva.yaml", "canva-2.yaml"]
    assert problems(tmp_path / "canva-2.yaml")[0] == ("schema.missing", "tool.purpose")


def test_the_cli_writes_drafts_and_reports_them_on_stderr(runner: CliRunner, in_root: Path,
                                                          tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    result = runner.invoke(main, ["discover", *SAMPLES, "--as-of", "2026-11-23",
                                  "--format", "csv", "--draft", str(drafts)])
    assert result.exit_code == 1
    assert sorted(p.stem for p in drafts.iterdir()) == sorted(DRAFTED)
    assert f"draft: wrote {drafts / 'canva.yaml'}" in result.stderr
    assert ("draft: Mailchimp Standard: not written: a request already exists "
            "(requests/mailchimp.yaml, deny): change that request instead") in result.stderr
    again = runner.invoke(main, ["discover", *SAMPLES, "--as-of", "2026-11-23",
                                 "--format", "csv", "--draft", str(drafts)])
    assert "draft: Canva: not written:" in again.stderr and "--force" in again.stderr


def test_drafts_into_a_copy_of_requests_skip_nothing_approved(tmp_path: Path,
                                                             shadow_tools) -> None:  # noqa: ANN001
    requests = tmp_path / "requests"
    shutil.copytree(ROOT / "requests", requests)
    before = set(requests.iterdir())
    write_drafts(shadow_tools, requests, AS_OF)
    added = sorted(p.stem for p in set(requests.iterdir()) - before)
    assert added == sorted(DRAFTED)


def test_untrusted_names_cannot_write_lines_into_a_draft(tmp_path: Path,
                                                         shadow_tools) -> None:  # noqa: ANN001
    # A name comes from an export: an app name or merchant anyone can choose. Before,
    # "# {name} is already in use" put the second line of the name into the file.
    from dataclasses import replace

    name = "Evil\nadmin: true\nid: hijacked  # \x1b[31m"
    evil = replace(shadow_tools[0], name=name, vendor="V\nkind: Other",
                   top_users=("Pat\nowners: x",), top_user=None,
                   seen_as=("X\nretired_on: 2020-01-01",))
    [outcome] = write_drafts([evil], tmp_path, AS_OF)
    assert outcome.path is not None
    text = outcome.path.read_text()
    document = yaml.safe_load(text)
    assert document["id"] == "evil-admin-true-id-hijacked-31m"
    assert document["kind"] == "ToolRequest" and "admin" not in document
    assert "retired_on" not in document and "\x1b" not in text
    assert document["tool"]["name"] == name  # the value itself is kept, quoted
    assert document["tool"]["vendor"] == "V\nkind: Other"
    # Every line is a comment, an indented value or one of the keys the draft writes.
    assert all(line.startswith(("#", "  ", "apiVersion:", "kind:", "id:", "needed_by:",
                                "notes:", "tool:", "requester:", "owners:", "data:",
                                "cost:", "security:"))
               for line in text.splitlines()), text
    assert {field for _, field in problems(outcome.path)} <= set(HUMAN_ONLY_FIELDS)
