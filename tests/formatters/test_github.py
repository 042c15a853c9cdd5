"""The github format: annotations within what GitHub displays, most severe first, with
readable titles; and a step summary that cannot be written never changes the answer."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.formatters.github import GithubFormatter
from martechgov.result import CheckReport, ExceptionDoc, Finding, PolicyInfo, RequestResult

from ..ci.runner import Command, commands
from ..conftest import ROOT

WAIVER = ExceptionDoc(status="active", approved_by="ciso@example.com", reason="pilot",
                      expires="2027-01-31")


def findings(count: int, level: str, team: str | None = None,
             exception: ExceptionDoc | None = None) -> tuple[Finding, ...]:
    return tuple(Finding(f"area.{level}_{i}", level, f"{level} {i}", "fix it",  # type: ignore[arg-type]
                         "tool.name", i + 1, 3, team=team, exception=exception,
                         blocking=level in ("deny", "review", "error") and not exception)
                 for i in range(count))


def report(*results: RequestResult) -> CheckReport:
    return CheckReport(as_of=dt.date(2026, 11, 23), engine="embedded",
                       policy=PolicyInfo("ab" * 32, "main@1a2b3c4"), results=list(results))


def annotate(rep: CheckReport) -> list[Command]:
    stream = io.StringIO()
    GithubFormatter().write(rep, stream)
    return commands(stream.getvalue())


def test_titles_say_what_the_finding_means() -> None:
    result = RequestResult(
        "requests/x.yaml", "x", "deny",
        findings=(*findings(1, "deny"), *findings(1, "review", team="legal"),
                  *findings(1, "warn"), *findings(1, "review", "it", WAIVER)))
    invalid = RequestResult("requests/y.yaml", "y", "invalid", findings=findings(1, "error"))
    assert [(c.name, c.properties["title"]) for c in annotate(report(result, invalid))] == [
        ("error", "Invalid: area.error_0"),
        ("error", "Deny: area.deny_0"),
        ("warning", "Review (legal): area.review_0"),
        ("notice", "Excepted review (it): area.review_0"),
        ("notice", "Advice: area.warn_0"),
    ]


def test_at_most_what_github_shows_most_severe_first_then_one_notice() -> None:
    # 25 advice notes come first in the file, 15 reviews next, 12 denials last: the
    # denials must still be among what GitHub displays.
    many = RequestResult("requests/x.yaml", "x", "deny", findings=(
        *findings(25, "warn"), *findings(15, "review", team="it"), *findings(12, "deny")))
    found = annotate(report(many))
    kinds = [c.name for c in found]
    assert kinds == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 10
    assert [c.data.split("\n")[0] for c in found[:10]] == [f"deny {i}" for i in range(10)]
    assert found[-1].data.startswith("23 more findings are not shown as annotations")
    assert "step summary or the SARIF report" in found[-1].data
    assert len(found) <= 50  # GitHub's limit per job


def test_no_extra_notice_when_everything_fits() -> None:
    found = annotate(report(RequestResult("requests/x.yaml", "x", "review", findings=(
        *findings(10, "warn"), *findings(10, "review", team="it")))))
    assert [c.name for c in found] == ["warning"] * 10 + ["notice"] * 10


def request_folder(tmp_path: Path) -> Path:
    requests = tmp_path / "requests"
    requests.mkdir()
    for name in ("mailchimp", "typeform"):
        (requests / f"{name}.yaml").write_bytes((ROOT / "requests" / f"{name}.yaml").read_bytes())
    return requests


def run_github(requests: Path, summary: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [
        "check", str(requests), "--policies", str(ROOT / "policies"), "--as-of",
        "2026-11-23", "--format", "github"], env={"GITHUB_STEP_SUMMARY": str(summary)})
    return result.exit_code, result.stdout, result.stderr


def test_the_step_summary_gets_the_markdown_report(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n")
    code, out, err = run_github(request_folder(tmp_path), summary)
    assert (code, err) == (1, "")
    text = summary.read_text()
    assert text.startswith("previous step\n## martechgov: 2 requests: 1 approve, 0 review, ")
    assert "security.sso_required" in text


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_step_summary_is_a_warning(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("")
    summary.chmod(stat.S_IRUSR)
    code, out, err = run_github(request_folder(tmp_path), summary)
    assert code == 1 and "deny:" in out
    assert err.startswith("martechgov: warning: the step summary")


def test_an_unwritable_step_summary_is_a_warning_after_the_results(tmp_path: Path) -> None:
    # A directory cannot be appended to, even by root.
    code, out, err = run_github(request_folder(tmp_path), tmp_path)
    assert code == 1  # the judgement's exit code: mailchimp is denied
    assert out.splitlines()[-1].startswith("2 requests: 1 approve, 0 review, 1 deny")
    assert err == (f"martechgov: warning: the step summary ({tmp_path}) could not be "
                   "written: Is a directory; the results above stand.\n")
    assert "internal error" not in err


def test_an_unwritable_step_summary_keeps_exit_0_for_approvals(tmp_path: Path) -> None:
    requests = request_folder(tmp_path)
    (requests / "mailchimp.yaml").unlink()
    code, _, err = run_github(requests, tmp_path / "missing" / "summary.md")
    assert code == 0
    assert "could not be written: No such file or directory" in err
