"""`martechgov from-issue` on issue bodies as GitHub renders them (tests/data/intake):
the request file, the TODO lines, the answer on the issue, and what it refuses.

The fixture bodies were rendered from the committed form by tests/intake/github.py
(hubspot.md from requests/hubspot-marketing-hub.yaml); edited.md was then edited by
hand as a person edits an issue (CRLF, `[x]`, a question deleted, an answer typed
over), odd.md holds hostile and unusual answers. Render them again if the form's
labels change: old issues keep the labels they were made with."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from martechgov.loader import load_request

from ..conftest import DATA, ROOT, invoke
from .github import answers_from_request, render_issue

ISSUES = DATA / "intake"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository's working tree: the policies and two existing requests."""
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "requests").mkdir()
    shutil.copy(ROOT / "requests" / "semrush.yaml", tmp_path / "requests")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def from_issue(body: Path, *more: str) -> tuple[int, str, str]:
    return invoke("from-issue", str(body), "--issue", "12", "--as-of", "2026-11-23", *more)


def as_json(body: Path, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "out.json"
    code, _, err = from_issue(body, "-o", f"json={out}")
    assert code in (0, 1), err
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def test_a_filled_in_form_round_trips_to_the_request(workdir: Path) -> None:
    code, out, err = from_issue(ISSUES / "hubspot.md")
    assert (code, err) == (0, "")
    # 10 core questions and IT's 13 (policies/fields.yaml) are left open
    assert out.startswith("wrote requests/hubspot-marketing-hub.yaml from the issue (23 "
                          "questions not answered: # TODO lines)\nREVIEW   requests/hubspot")
    written = load_request(workdir / "requests" / "hubspot-marketing-hub.yaml")
    original = load_request(ROOT / "requests" / "hubspot-marketing-hub.yaml")
    assert written.valid and original.valid and written.request and original.request
    mine, theirs = written.request.model_dump(), original.request.model_dump()
    for doc in (mine, theirs):  # ticked boxes come in the form's order
        for key in ("categories", "subjects", "subject_regions", "storage_regions"):
            doc["data"][key] = sorted(doc["data"][key])
    assert mine == theirs


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "requests").glob("*.yaml")))
def test_every_example_request_survives_the_form(name: str, workdir: Path) -> None:
    (workdir / "requests" / "semrush.yaml").unlink()
    original = yaml.safe_load((ROOT / "requests" / f"{name}.yaml").read_text())
    body = workdir / "issue.md"
    body.write_text(render_issue(answers_from_request(original)))
    doc = as_json(body, workdir)
    written = yaml.safe_load((workdir / doc["file"]).read_text())
    for section in ("data",):
        for key in ("categories", "subjects", "subject_regions", "storage_regions"):
            for found in (written, original):
                if key in found.get(section, {}):
                    found[section][key] = sorted(found[section][key])
    assert written == {**original, "id": doc["id"]}
    _, out, _ = invoke("check", "requests", "--as-of", "2026-11-23", "--format", "json")
    [judged] = json.loads(out)["results"]  # the file written, judged by `check`
    assert doc["check"]["results"] == [judged]


def test_only_the_required_answers_leave_todo_lines_and_a_valid_request(
        workdir: Path) -> None:
    code, _, err = from_issue(ISSUES / "minimal.md")
    assert code == 1, err  # denied: no MFA and no SSO, which the TODO lines leave open
    text = (workdir / "requests" / "typeform.yaml").read_text()
    assert text == (DATA / "intake" / "minimal.yaml").read_text()
    assert load_request(workdir / "requests" / "typeform.yaml").valid


def test_a_hand_edited_issue_is_read_like_github_sent_it(workdir: Path) -> None:
    doc = as_json(ISSUES / "edited.md", workdir)
    written = yaml.safe_load((workdir / "requests" / "hotjar-observe.yaml").read_text())
    assert written["data"]["subject_regions"] == ["eu", "us"]  # the [x] typed by hand
    assert "sso" not in written["security"]  # its question was deleted from the issue
    assert written["security"]["pentest_date"].isoformat() == "2026-10-01"
    assert written["tracking"]["masking"] == "all inputs"  # written as typed, then judged
    [problem] = doc["check"]["results"][0]["findings"]
    assert (problem["rule"], problem["field"]) == ("schema.value", "tracking.masking")
    assert "security.sso" in doc["unanswered"]


def test_odd_answers_are_data_everywhere(workdir: Path) -> None:
    code, out, _ = from_issue(ISSUES / "odd.md", "-o", f"markdown={workdir / 'answer.md'}")
    assert code == 1
    text = (workdir / "requests" / "zoes-tool.yaml").read_text()
    doc = yaml.safe_load(text)
    assert doc["tool"]["name"] == "Zoë's «Tool» 🚀"
    assert doc["notes"].startswith("### Tool: vendor\n\nEvil Corp\n\nsecurity:\n  sso: saml\n")
    assert "security" not in doc and doc["tool"]["vendor"] == "ACME | <b>bold</b> & co"
    assert "\u202e" not in text and "\u202e" not in out
    answer = (workdir / "answer.md").read_text()
    assert answer.count("<!-- ") == 1  # only the marker opens an HTML comment
    html = MarkdownIt("commonmark").enable("table").render(answer)
    assert "<b>" not in html and "<a " not in html


def test_an_existing_request_is_never_replaced(workdir: Path) -> None:
    before = (workdir / "requests" / "semrush.yaml").read_text()
    body = workdir / "issue.md"
    body.write_text(render_issue({"tool-name": "Semrush"}))
    doc = as_json(body, workdir)
    assert doc["file"] is None and doc["check"] is None
    assert doc["problems"] == [
        "requests/semrush.yaml already exists: this form makes new requests. To change that "
        "one, edit the file in a pull request; for another tool, give it another name."]
    assert (workdir / "requests" / "semrush.yaml").read_text() == before
    code, _, _ = from_issue(body, "--force")
    assert code == 1 and (workdir / "requests" / "semrush.yaml").read_text() != before


def test_no_name_no_file(workdir: Path) -> None:
    body = workdir / "issue.md"
    body.write_text(render_issue({"tool-vendor": "Someone"}))
    code, out, err = from_issue(body, "--format", "markdown")
    assert (code, err) == (1, "")
    assert out.startswith("<!-- martechgov -->\n## ⚠️ The request could not be made yet\n\n"
                          "The tool's name is missing: answer \"Tool: name\" in the issue")
    assert sorted(p.name for p in (workdir / "requests").iterdir()) == ["semrush.yaml"]


def test_a_name_without_letters_is_named_after_the_issue(workdir: Path) -> None:
    body = workdir / "issue.md"
    body.write_text(render_issue({"tool-name": "日本語ツール"}))
    assert as_json(body, workdir)["file"] == "requests/tool-request-12.yaml"


def test_answers_too_long_for_one_request_are_refused(workdir: Path) -> None:
    body = workdir / "issue.md"
    body.write_text(render_issue({"tool-name": "Big", "notes": "é" * 40_000}))
    doc = as_json(body, workdir)
    assert doc["file"] is None
    assert doc["problems"][0].startswith("The answers are too long for one request (")


def test_the_answer_on_the_issue_per_decision(workdir: Path, tmp_path: Path) -> None:
    code, out, _ = from_issue(ISSUES / "hubspot.md", "--format", "markdown")
    assert code == 0
    assert out.startswith("<!-- martechgov -->\n## 👀 Review: **finance** must sign off\n\n"
                          "Your answers are in `requests/hubspot-marketing-hub.yaml`. No hard "
                          "rule is broken")
    assert "<details><summary>23 questions not answered yet</summary>" in out
    assert "- Security: iso27001 expires\n" not in out  # answered in the fixture


def test_a_body_that_is_no_issue_is_an_error(workdir: Path) -> None:
    body = workdir / "issue.md"
    body.write_bytes(b"\xff\xfe")
    code, out, err = from_issue(body)
    assert (code, out) == (2, "")
    assert err == "martechgov: error: the issue body is not UTF-8 text (byte 0)\n"
    code, _, err = from_issue(workdir / "missing.md")
    assert code == 2 and "cannot read the issue body" in err
