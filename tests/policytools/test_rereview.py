"""`martechgov rereview`: approvals that went stale since each request landed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from martechgov.policytools.rereview import run_rereview

from ..conftest import invoke
from ..gitutil import commit_all, make_repo, replace_in

LANDED = "2026-04-01T10:00:00"


def tighten(repo: Path) -> None:
    thresholds = repo / "policies" / "data" / "thresholds.yaml"
    replace_in(thresholds, "sso_required_above_seats: 10", "sso_required_above_seats: 2")
    replace_in(thresholds, "  USD: 25000", "  USD: 5000")


@pytest.fixture
def hubspot_approved_then_excepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HubSpot lands approved; later IT marks Salesforce a system of record, which
    gives HubSpot a review finding that policies/exceptions.yaml covers."""
    repo = make_repo(tmp_path / "repo", ["hubspot-marketing-hub"], date=LANDED)
    systems = repo / "policies" / "data" / "systems.yaml"
    replace_in(repo / "requests" / "hubspot-marketing-hub.yaml", "annual: 43200", "annual: 20000")
    replace_in(systems, "(CRM)\n  system_of_record: true", "(CRM)\n  system_of_record: false")
    commit_all(repo, "hubspot lands below the cost limit", date=LANDED)
    replace_in(systems, "(CRM)\n  system_of_record: false", "(CRM)\n  system_of_record: true")
    commit_all(repo, "salesforce is a system of record", date="2026-09-01T10:00:00")
    monkeypatch.chdir(repo)
    return repo


def test_a_finding_an_exception_covers_is_not_a_new_look(
        hubspot_approved_then_excepted: Path) -> None:
    report = run_rereview([Path("requests")], Path("policies"), dt.date(2026, 11, 23))
    assert report.total == 1
    assert report.stale == []
    code, out, _ = invoke("rereview", "--as-of", "2026-11-23")
    assert code == 0
    assert "all 1 requests still get the answer they landed with" in out


def test_an_expired_exception_is_a_new_look(hubspot_approved_then_excepted: Path) -> None:
    report = run_rereview([Path("requests")], Path("policies"), dt.date(2027, 2, 1))
    [stale] = report.stale
    assert stale.now.decision == "review"
    assert [(f.rule, f.level) for f in stale.new_findings] == [
        ("integration.system_of_record_write", "review")]


def test_approvals_that_went_stale_are_reported(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", ["zoom-webinars", "typeform"], date=LANDED)
    monkeypatch.chdir(repo)
    code, out, _ = invoke("rereview", "--as-of", "2026-11-23")
    assert code == 0
    assert "all 2 requests still get the answer they landed with" in out
    # Typeform's pen test (2026-02-20) is older than 12 months by 2027-02-25;
    # Zoom's (2026-03-10) is not yet.
    code, out, _ = invoke("rereview", "--as-of", "2027-02-25")
    assert code == 1
    assert out.splitlines()[0] == ("typeform (requests/typeform.yaml): approve when "
                                   "it last changed on 2026-04-01 -> review now")
    assert "security.pentest_recent" in out and "fix:" in out
    assert "1 of 2 requests need a new look" in out


def test_what_a_tightened_policy_flips_is_reported(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", ["semrush", "typeform"], date=LANDED)
    monkeypatch.chdir(repo)
    tighten(repo)
    commit_all(repo, "tighten", date="2026-09-01T10:00:00")
    code, out, _ = invoke("rereview", "--as-of", "2026-11-23", "--format", "markdown")
    assert code == 1
    assert out.startswith("## martechgov re-review: 1 of 2 requests need a new look")
    assert ("### ❌ requests/semrush.yaml (Semrush): approve when it last changed on "
            "2026-04-01 → **deny** now\n") in out


def test_a_request_never_committed_is_judged_on_its_own(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", ["semrush"], date=LANDED)
    (repo / "requests" / "mailchimp.yaml").write_bytes(
        (Path(__file__).parents[2] / "requests" / "mailchimp.yaml").read_bytes())
    monkeypatch.chdir(repo)
    report = run_rereview([Path("requests")], Path("policies"), dt.date(2026, 11, 23))
    assert [(s.now.file, s.then, s.since) for s in report.stale] == [
        ("requests/mailchimp.yaml", None, None)]


def test_a_missing_path_is_exit_2_with_a_message(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(make_repo(tmp_path / "repo", ["semrush"], date=LANDED))
    code, out, err = invoke("rereview", "does/not/exist", "--as-of", "2026-11-23")
    assert code == 2
    assert out == ""
    assert err == "martechgov: error: does/not/exist does not exist\n"


def test_requests_in_folders_with_any_name_are_compared_with_their_landing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # git log quotes such names unless -z is used; a quoted name matched no request,
    # which then had "no earlier answer" and was reported although nothing changed.
    repo = make_repo(tmp_path / "repo", [], date=LANDED)
    for folder in ("équipe", "a\nb"):
        (repo / "requests" / folder).mkdir()
        (repo / "requests" / folder / "mailchimp.yaml").write_bytes(
            (Path(__file__).parents[2] / "requests" / "mailchimp.yaml").read_bytes())
    commit_all(repo, "mailchimp, denied when it lands", date=LANDED)
    monkeypatch.chdir(repo)
    report = run_rereview([Path("requests")], Path("policies"), dt.date(2026, 11, 23))
    assert (report.total, report.stale) == (2, [])
