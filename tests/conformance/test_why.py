"""The cases of issue 11's "Why" about reading inputs, each giving the safe answer on
real OPA, regopy (`embedded`) and regorus, through the real loader, files and CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main

from . import harness
from .corpus import AS_OF, ROOT, Case

KOCHAVA = (ROOT / "requests" / "kochava-attribution.yaml").read_text()
BOUNDS = ROOT / "tests" / "data" / "bounds"
ENGINES = [harness.ORACLE, *harness.EMBEDDED]

# A blocked vendor written so that regopy's ASCII-only lower/trim_space (or regorus'
# lower("İ")) missed it, and the request was approved where OPA denied it.
VENDOR_SPELLINGS = [
    "Kochava Inc.\u00a0", "\u3000Kochava Inc.", "Kochava\u2003Inc.", "Kochava Inc.\u2028",
    "\u212aochava Inc.", "KOCHAVA \u0130NC.", "\uff2b\uff4f\uff43\uff48\uff41\uff56\uff41 Inc.",
    "Koch\u200bava Inc.", "kochava  INC.",
]


def _answers(cases: list[Case]) -> tuple[list[harness.Judged], dict[str, list[dict]]]:
    judged = harness.prepare(cases)
    assert all(j.input is not None for j in judged), [j.problems for j in judged]
    raw = harness.evaluate_all(judged, ENGINES)
    return judged, {engine: [json.loads(a) for a in values] for engine, values in raw.items()}


def _escaped(text: str) -> str:
    return json.dumps(text)  # a YAML double-quoted scalar


def test_a_blocked_vendor_in_any_spelling_is_denied_on_every_engine() -> None:
    cases = [Case(f"vendor:{i}", "requests/kochava-attribution.yaml",
                  KOCHAVA.replace("vendor: Kochava Inc.", f"vendor: {_escaped(spelling)}"))
             for i, spelling in enumerate(VENDOR_SPELLINGS)]
    _, answers = _answers(cases)
    for engine in ENGINES:
        for spelling, answer in zip(VENDOR_SPELLINGS, answers[engine], strict=True):
            assert answer["decision"] == "deny", (engine, spelling)
            assert "vendor.blocked" in {f["rule"] for f in answer["findings"]}, (engine, spelling)


def test_fractional_money_reads_the_same_on_every_engine() -> None:
    text = KOCHAVA.replace("annual: 24000", "annual: 82283.1")
    big = KOCHAVA.replace("annual: 24000", "annual: 1250000.5")
    _, answers = _answers([Case("money", "requests/kochava-attribution.yaml", text),
                           Case("big", "requests/kochava-attribution.yaml", big)])
    for engine in ENGINES:
        messages = [f["message"] for a in answers[engine] for f in a["findings"]
                    if f["rule"] == "procurement.cost_review"]
        assert messages == [
            "Kochava Attribution costs 82283.10 USD a year, at or above the 25000 USD limit "
            "that finance reviews.",
            "Kochava Attribution costs 1250000.50 USD a year, at or above the 25000 USD limit "
            "that finance reviews.",
        ], engine


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--as-of", AS_OF.isoformat(), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("engine", harness.EMBEDDED)
def test_values_no_engine_holds_are_invalid_and_the_rest_is_still_judged(
        tmp_path: Path, engine: str) -> None:
    for path in BOUNDS.iterdir():
        shutil.copy(path, tmp_path / path.name)
    code, out, err = _check(str(tmp_path), "--format", "json", "--engine", engine)
    assert (code, err) == (1, "")
    report = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    decisions = {r["id"]: r["decision"] for r in report["results"]}
    assert decisions.pop("at-the-limits") == "deny"  # judged: SOC 2 ended in 2199, not current
    assert set(decisions.values()) == {"invalid"}, decisions
    located = {r["id"]: (r["findings"][0]["line"], r["findings"][0]["rule"])
               for r in report["results"] if r["decision"] == "invalid"}
    assert located["pentest-2300"] == (24, "schema.value")
    assert located["annual-inf"] == (31, "schema.value")
    assert located["retention-2-64"] == (19, "schema.value")


def test_a_date_out_of_range_is_that_files_problem_only(tmp_path: Path) -> None:
    shutil.copy(BOUNDS / "pentest-2300.yaml", tmp_path)
    shutil.copy(ROOT / "requests" / "typeform.yaml", tmp_path)
    code, out, err = _check(str(tmp_path))
    assert (code, err) == (1, "")
    assert (f"{tmp_path.as_posix()}/pentest-2300.yaml:24:3 error schema.value: "
            "`security.pentest_date` must be a date from 1900-01-01 to 2199-12-31; it is "
            "2300-01-01") in out
    assert "1 approve, 0 review, 0 deny, 1 invalid" in out


@pytest.mark.parametrize("day", ["2300-01-01", "1899-12-31"])
def test_as_of_outside_the_supported_dates_is_a_usage_error(day: str) -> None:
    result = CliRunner().invoke(main, ["check", "--as-of", day, str(ROOT / "requests")])
    assert result.exit_code == 2 and result.stdout == ""
    assert "outside the dates martechgov judges with (1900-01-01 to 2199-12-31)" in result.stderr


def test_input_of_an_infinite_cost_explains_instead_of_printing_broken_json() -> None:
    result = CliRunner().invoke(main, ["input", str(BOUNDS / "annual-inf.yaml")])
    assert result.exit_code == 1 and result.stdout == ""
    assert "`cost.annual` must be an amount of money" in result.stderr


def test_input_prints_strict_json_with_the_vendor_key() -> None:
    result = CliRunner().invoke(main, ["input", str(BOUNDS / "at-the-limits.yaml")])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert doc["keys"] == {"vendor": "bounded"}  # `Bounded Ltd`, its legal form set aside
    assert doc["request"]["cost"]["annual"] == 1_000_000_000
