"""The committed issue form: current, valid against GitHub's issue-forms schema (the
copy check-jsonschema ships), and within the rules GitHub checks beyond the schema
(docs: "Common validation errors when creating issue forms")."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from martechgov.intake.issueform import FILE, LABEL, issue_form, issue_form_yaml
from martechgov.policy import PolicySet

from ..conftest import ROOT, invoke

COMMITTED = ROOT / FILE
INTAKE_WORKFLOW = ROOT / ".github" / "workflows" / "martechgov-intake.yml"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
FORBIDDEN_LABEL_WORDS = ("password",)  # GitHub refuses labels asking for secrets


def github_rule_violations(form: dict[str, Any]) -> list[str]:
    """What GitHub refuses beyond its JSON Schema."""
    found = []
    fields = [item for item in form["body"] if item["type"] != "markdown"]
    if not fields:
        found.append("body must contain at least one non-markdown field")
    labels = [f["attributes"]["label"] for f in fields]
    labels += [o["label"] for f in fields if f["type"] == "checkboxes"
               for o in f["attributes"]["options"]]
    if len(set(labels)) != len(labels):
        found.append("labels (with checkbox labels) must be unique")
    references = [re.sub(r"[^a-z0-9_-]+", "-", label.lower()).strip("-") for label in labels]
    if len(set(references)) != len(references):
        found.append("labels are too similar")
    ids = [f.get("id") for f in fields]
    if len(set(ids)) != len(ids) or not all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids):
        found.append("ids must be unique letters, digits, - and _")
    for field in fields:
        label = field["attributes"]["label"]
        if any(word in label.lower() for word in FORBIDDEN_LABEL_WORDS):
            found.append(f"{label}: label contains a forbidden word")
        options = field["attributes"].get("options", [])
        if field["type"] == "dropdown":
            if len(set(options)) != len(options):
                found.append(f"{label}: options must be unique")
            if any(not isinstance(o, str) for o in options):
                found.append(f"{label}: options must not include booleans")
            if any(str(o).strip().lower() == "none" for o in options):
                found.append(f"{label}: options must not include the reserved word, none")
    return found


# The form asks the core questions and the ones IT declares in policies/fields.yaml.
MODEL = PolicySet.from_directory(ROOT / "policies").request_model


def test_the_committed_form_is_the_generated_one(in_root: Path) -> None:
    assert COMMITTED.read_text(encoding="utf-8") == issue_form_yaml(MODEL), (
        f"{FILE} is stale: run `martechgov issue-form -o {FILE}`")
    code, out, _ = invoke("issue-form")
    assert code == 0 and out == issue_form_yaml(MODEL)


def test_the_committed_form_is_valid_for_github() -> None:
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema",
                             "vendor.github-issue-forms", str(COMMITTED)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert github_rule_violations(yaml.safe_load(COMMITTED.read_text())) == []


def test_the_rules_above_can_fail(tmp_path: Path) -> None:
    form = issue_form()
    broken = {**form, "body": [*form["body"], {"type": "dropdown", "id": "x", "attributes": {
        "label": "Tool: name", "options": ["None", True]}}]}
    assert github_rule_violations(broken) == [
        "labels (with checkbox labels) must be unique", "labels are too similar",
        "Tool: name: options must not include booleans",
        "Tool: name: options must not include the reserved word, none"]
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump({**form, "body": [{"type": "input"}]}))
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema",
                             "vendor.github-issue-forms", str(bad)], capture_output=True,
                            check=False)
    assert result.returncode == 1


def test_yes_no_and_every_choice_are_quoted_strings_in_the_file() -> None:
    text = COMMITTED.read_text()
    assert "    - 'yes'\n    - 'no'\n" in text  # unquoted, YAML 1.1 reads them as booleans


def test_the_intake_workflow_acts_on_the_forms_label() -> None:
    workflow = yaml.safe_load(INTAKE_WORKFLOW.read_text())
    assert issue_form()["labels"] == [LABEL]
    assert f"contains(github.event.issue.labels.*.name, '{LABEL}')" in workflow["jobs"][
        "draft"]["if"]


def test_issue_form_writes_the_file(tmp_path: Path, in_root: Path) -> None:
    target = tmp_path / ".github" / "ISSUE_TEMPLATE" / "tool-request.yml"
    code, out, err = invoke("issue-form", "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_text() == issue_form_yaml(MODEL)
    (tmp_path / "file").write_text("")
    code, _, err = invoke("issue-form", "-o", str(tmp_path / "file" / "x.yml"))
    assert code == 2 and err.startswith("martechgov: error: cannot write")


@pytest.mark.parametrize("field", ["tool-name", "data-personal_data", "security-sso"])
def test_fields_can_be_prefilled_by_id(field: str) -> None:
    # ids are URL query parameters: ?template=tool-request.yml&tool-name=Canva
    assert any(item.get("id") == field for item in issue_form()["body"])
