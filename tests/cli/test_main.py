from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from martechgov.cli import main
from martechgov.loader import blob_id

from ..conftest import DATA, ROOT


def test_check_the_repository_examples(runner: CliRunner, in_root: Path) -> None:
    result = runner.invoke(main, ["check", "--as-of", "2026-11-23", "--format", "json"])
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"version", "as_of", "engine", "policy", "summary", "results"}
    assert report["version"] == 1 and report["as_of"] == "2026-11-23"
    assert report["engine"] == "regorus"  # `embedded`, the default, is regorus
    assert report["policy"]["source"] == "worktree"
    assert len(report["policy"]["revision"]) == 64
    assert report["summary"] == {"approve": 5, "review": 3, "deny": 5, "invalid": 0}
    first = report["results"][0]
    assert set(first) == {"file", "id", "blob", "decision", "reviewers", "findings"}
    assert first["file"] == "requests/google-analytics-4.yaml"
    assert first["blob"] == blob_id((ROOT / first["file"]).read_bytes())
    finding = next(r for r in report["results"] if r["id"] == "mailchimp")["findings"][0]
    assert set(finding) >= {"rule", "level", "message", "fix", "field", "line", "column"}


def test_text_output_is_exact(runner: CliRunner, in_root: Path, tmp_path: Path) -> None:
    shutil.copy(ROOT / "requests" / "semrush.yaml", tmp_path)
    shutil.copy(DATA / "bad" / "unknown-key.yaml", tmp_path)
    result = runner.invoke(main, ["check", str(tmp_path), "--as-of", "2026-11-23"])
    assert result.exit_code == 1
    revision = json.loads(runner.invoke(
        main, ["check", str(tmp_path), "--format", "json"]).stdout)["policy"]["revision"]
    d = tmp_path.as_posix()
    assert result.stdout == (
        f"APPROVE  {d}/semrush.yaml  Semrush\n"
        f"  {d}/semrush.yaml:21:1 warn security.attestation_current: Semrush has no current "
        "security attestation: neither a SOC 2 Type II report whose period ended within the "
        "last 12 months nor an unexpired ISO 27001 certificate.\n"
        "      fix: Ask the vendor for its latest SOC 2 Type II report (or a bridge letter) or "
        "its ISO 27001 certificate, and fill in `security.soc2_type2_period_end` or "
        "`security.iso27001_expires`.\n"
        "      paste after line 21:\n"
        "          soc2_type2_period_end:  # a date as YYYY-MM-DD (end date of the vendor's "
        "latest SOC 2 Type II report)\n"
        f"  {d}/semrush.yaml:30:3 warn procurement.auto_renew_notice: Semrush renews "
        "automatically and the contract gives less than 30 days (or no stated time) to "
        "cancel, so it could renew before anyone decides to keep it.\n"
        "      fix: Negotiate a cancellation notice period of at least 30 days (or turn off "
        "auto-renewal) and set `cost.notice_days` (or `cost.auto_renew: false`).\n"
        f"INVALID  {d}/unknown-key.yaml\n"
        f"  {d}/unknown-key.yaml:19:3 error schema.unknown_field: unknown field "
        "`privacy.dpa_sined` (did you mean `dpa_signed`?)\n"
        "      fix: rename `dpa_sined` to `dpa_signed`\n"
        "\n"
        "2 requests: 1 approve, 0 review, 0 deny, 1 invalid\n"
        f"judged by policy worktree (revision {revision[:12]}) as of 2026-11-23 with the "
        "regorus engine\n"
    )
    assert "\x1b[" not in result.stdout  # no colour when not on a terminal


def test_only_approvals_exit_0(runner: CliRunner, in_root: Path) -> None:
    result = runner.invoke(main, ["check", "requests/typeform.yaml", "requests/semrush.yaml",
                                  "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.stdout
    assert "2 requests: 2 approve, 0 review, 0 deny, 0 invalid" in result.stdout


def test_review_alone_exits_0(runner: CliRunner, in_root: Path) -> None:
    result = runner.invoke(main, ["check", "requests/zoominfo.yaml", "--as-of", "2026-11-23"])
    assert result.exit_code == 0
    assert "reviewers: it, privacy" in result.stdout


def test_as_of_changes_the_answer(runner: CliRunner, in_root: Path) -> None:
    # Zoom's last pen test is from 2026-03-10: recent for 12 months, then stale.
    args = ["check", "requests/zoom-webinars.yaml", "--format", "json", "--as-of"]
    before = json.loads(runner.invoke(main, [*args, "2027-03-10"]).stdout)
    after = json.loads(runner.invoke(main, [*args, "2027-03-11"]).stdout)
    assert before["results"][0]["decision"] == "approve"
    assert after["results"][0]["decision"] == "review"
    findings = after["results"][0]["findings"]
    assert [f["rule"] for f in findings if f["level"] != "warn"] == ["security.pentest_recent"]
    # needed by 2026-12-01, long past: the security review cannot be done in time
    assert [f["rule"] for f in findings if f["level"] == "warn"] == ["review.lead_time"]


def test_usage_errors_exit_2(runner: CliRunner, in_root: Path) -> None:
    assert runner.invoke(main, ["check", "--as-of", "23/11/2026"]).exit_code == 2
    assert runner.invoke(main, ["check", "requests/no-such.yaml"]).exit_code == 2
    assert runner.invoke(main, ["check", "--format", "xml"]).exit_code == 2


def test_input_prints_the_document_the_policies_receive(runner: CliRunner,
                                                        in_root: Path) -> None:
    result = runner.invoke(main, ["input", "requests/semrush.yaml", "--as-of", "2026-11-23"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2026-11-23"
    assert doc["request"]["tool"] == {
        "name": "Semrush", "vendor": "Semrush Inc.", "category": "seo", "deployment": "saas",
        "website": "https://www.semrush.com",
        "purpose": "Keyword research and rank tracking for the public website; no customer "
                   "data goes in.",
        "seats": 3,
    }
    assert "privacy" not in doc["request"]  # absent stays absent


def test_input_of_an_invalid_file_explains_and_exits_1(runner: CliRunner) -> None:
    result = runner.invoke(main, ["input", str(DATA / "bad" / "unknown-key.yaml")])
    assert result.exit_code == 1
    assert "unknown-key.yaml:19:3: unknown field" in result.stderr
    assert "\n    fix: rename `dpa_sined` to `dpa_signed`\n" in result.stderr


def test_committed_schema_is_current(runner: CliRunner, in_root: Path) -> None:
    result = runner.invoke(main, ["schema"])
    committed = (ROOT / "schema" / "toolrequest-v1.schema.json").read_text()
    assert result.stdout == committed, (
        "schema/toolrequest-v1.schema.json is stale: run "
        "`martechgov schema > schema/toolrequest-v1.schema.json`"
    )


def test_policy_tests_pass_with_full_coverage(runner: CliRunner, in_root: Path) -> None:
    result = runner.invoke(main, ["test", "--require-coverage"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith(" passed, 0 failed\n")


def test_a_failing_policy_test_is_named_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    (policies / "security" / "extra_test.rego").write_text(
        "package martech.test.security.extra\n\nimport rego.v1\n\n"
        "test_one_is_two if {\n\t1 == 2\n}\n"
    )
    result = runner.invoke(main, ["test", "--policies", str(policies)])
    assert result.exit_code == 1
    assert f"{policies.as_posix()}/security/extra_test.rego:5: FAIL test_one_is_two " \
           "(expected true, got undefined)" in result.stdout
    assert result.stdout.endswith(" passed, 1 failed\n")


def test_no_policy_tests_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies,
                    ignore=shutil.ignore_patterns("*_test.rego"))
    result = runner.invoke(main, ["test", "--policies", str(policies)])
    assert result.exit_code == 2
    assert "no Rego tests" in result.stderr
