"""The lifecycle status from facts: the policies' decision, sign-offs, use, dates."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from martechgov.check import CheckOptions, run_check
from martechgov.errors import UsageError
from martechgov.lifecycle import Evidence, read_signoffs, request_status
from martechgov.loader import blob_id
from martechgov.result import RequestResult

from .conftest import AS_OF, DATA, ROOT

PAST = "2026-11-01"  # before AS_OF
FUTURE = "2027-03-01"


def judged(tmp_path: Path, name: str, extra: str = "") -> RequestResult:
    """A fixture request (tests/data/leadership), optionally with extra top-level lines."""
    text = (DATA / "leadership" / f"{name}.yaml").read_text()
    if extra:
        text = text.replace("\nkind: ToolRequest\n", f"\nkind: ToolRequest\n{extra}\n")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    report = run_check(CheckOptions([path], ROOT / "policies", AS_OF, keep_requests=True))
    return report.results[0]


def signed(result: RequestResult, blob: str | None = None) -> Evidence:
    return Evidence({result.id or "": frozenset({blob})})


@pytest.mark.parametrize(("name", "extra", "status"), [
    ("brand-survey", "", "approved"),  # approve, not yet seen in use nor started
    ("brand-survey", f"needed_by: {PAST}", "in-use"),  # past its start
    ("brand-survey", f"needed_by: {FUTURE}", "approved"),
    ("acme-crm", "", "proposed"),  # review without a sign-off
    ("pixel-denied", "", "proposed"),  # deny
    ("brand-survey", f"retired_on: {PAST}", "retired"),
    ("brand-survey", f"retired_on: {FUTURE}", "approved"),  # retires later
    ("pixel-denied", f"retired_on: {PAST}", "retired"),
])
def test_status_from_the_decision_and_dates(tmp_path: Path, name: str, extra: str,
                                            status: str) -> None:
    assert request_status(judged(tmp_path, name, extra), AS_OF, Evidence()) == status


def test_invalid_is_proposed_whatever_it_says(tmp_path: Path) -> None:
    shutil.copy(DATA / "leadership" / "broken.yaml", tmp_path)
    result = run_check(CheckOptions([tmp_path], ROOT / "policies", AS_OF,
                                    keep_requests=True)).results[0]
    assert result.decision == "invalid"
    assert request_status(result, AS_OF, Evidence(seen_in_use=frozenset({result.id or ""}))) \
        == "proposed"


def test_a_signed_off_review_is_approved_and_use_makes_it_in_use(tmp_path: Path) -> None:
    review = judged(tmp_path, "acme-crm")
    assert request_status(review, AS_OF, signed(review)) == "approved"
    seen = Evidence(signed(review).signed_off, frozenset({"acme-crm"}))
    assert request_status(review, AS_OF, seen) == "in-use"
    # Seen in use without a sign-off: still only proposed (used before approval).
    assert request_status(review, AS_OF, Evidence(seen_in_use=frozenset({"acme-crm"}))) \
        == "proposed"


def test_a_sign_off_never_approves_a_denied_request(tmp_path: Path) -> None:
    denied = judged(tmp_path, "pixel-denied")
    evidence = Evidence(signed(denied).signed_off, frozenset({"pixel-denied"}))
    assert request_status(denied, AS_OF, evidence) == "proposed"


def test_a_sign_off_for_a_blob_covers_that_content_only(tmp_path: Path) -> None:
    review = judged(tmp_path, "acme-crm")
    blob = blob_id(Path(review.file).read_bytes())
    assert review.blob == blob
    assert request_status(review, AS_OF, signed(review, blob)) == "approved"
    edited = judged(tmp_path, "acme-crm", "# edited after review")
    assert request_status(edited, AS_OF, signed(review, blob)) == "proposed"


def test_blob_id_is_gits_blob_id() -> None:
    # `printf 'hello\n' | git hash-object --stdin`
    assert blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_read_signoffs(tmp_path: Path) -> None:
    path = tmp_path / "signoffs.json"
    path.write_text(json.dumps({"version": 1, "signed_off": [
        {"request": "acme-crm"}, {"request": "typeform", "blob": "a" * 40},
        {"request": "typeform", "blob": "b" * 40}]}))
    assert read_signoffs(path) == {"acme-crm": frozenset({None}),
                                   "typeform": frozenset({"a" * 40, "b" * 40})}


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "not a sign-off file: Expecting value"),
    ('{"version": 1, "signed_off": [{"request": "Bad Id"}]}',
     "signed_off.0.request: String should match pattern"),
    ('{"version": 2, "signed_off": []}', "version: Input should be 1"),
    ('{"version": 1, "signed_off": [], "approve_all": true}', "approve_all: Extra inputs"),
    ('{"version": 1, "signed_off": [{"request": "x", "blob": "123"}]}',
     "signed_off.0.blob: String should match pattern"),
    ("[" * 100_000, "not a sign-off file: JSON nested too deeply"),
])
def test_a_bad_signoff_file_is_a_usage_error(tmp_path: Path, content: str,
                                             message: str) -> None:
    path = tmp_path / "signoffs.json"
    path.write_text(content)
    with pytest.raises(UsageError, match=message.replace(".", r"\.")):
        read_signoffs(path)


def test_a_missing_signoff_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the sign-offs"):
        read_signoffs(tmp_path / "nope.json")


def test_statuses_are_dated(tmp_path: Path) -> None:
    result = judged(tmp_path, "brand-survey", f"needed_by: {FUTURE}")
    later = dt.date.fromisoformat(FUTURE)
    assert request_status(result, later, Evidence()) == "in-use"


SIGNOFF_COMMAND = DATA / "lifecycle" / "signoff-command.json"


def test_the_signoff_commands_json_is_read_with_its_blobs() -> None:
    # `martechgov signoff --format json`: the check document plus its `signoff` part,
    # in the layout that command writes (the blob of the file each review covered).
    found = read_signoffs(SIGNOFF_COMMAND)
    reviewed = blob_id((DATA / "leadership" / "acme-crm.yaml").read_bytes())
    assert found == {"acme-crm": frozenset({reviewed})}


def test_the_signoff_commands_json_approves_the_reviewed_file_only(tmp_path: Path) -> None:
    evidence = Evidence(read_signoffs(SIGNOFF_COMMAND))
    shutil.copy(DATA / "leadership" / "acme-crm.yaml", tmp_path)
    result = run_check(CheckOptions([tmp_path / "acme-crm.yaml"], ROOT / "policies", AS_OF,
                                    keep_requests=True)).results[0]
    assert request_status(result, AS_OF, evidence) == "approved"
    edited = tmp_path / "acme-crm.yaml"
    edited.write_text(edited.read_text().replace("seats: 5", "seats: 50"))
    result = run_check(CheckOptions([edited], ROOT / "policies", AS_OF,
                                    keep_requests=True)).results[0]
    assert request_status(result, AS_OF, evidence) == "proposed"  # not what was reviewed


def test_a_broken_signoff_command_document_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "signoff.json"
    path.write_text(json.dumps({"results": [], "signoff": {"requests": [
        {"file": "x.yaml", "id": "x", "signed_off": "yes"}]}}))
    with pytest.raises(UsageError, match="signoff.requests.0.signed_off"):
        read_signoffs(path)
