"""IT's data files (policies/data/): one file per declared name, each with a schema.

A second spelling of a data name, or a data file no schema describes, would change
what the rules read without anyone reviewing it: every command refuses such a library.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from martechgov.errors import PolicyError
from martechgov.policy import PolicySet

from .conftest import ROOT, invoke
from .gitutil import commit_all, git, make_repo

EMPTY_BLOCK_LIST = "blocked: []\nhigh_risk_categories: []\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", ["kochava-attribution", "semrush"])
    monkeypatch.chdir(path)
    return path


def kochava_rules(out: str) -> set[str]:
    result = next(r for r in json.loads(out)["results"] if r["id"] == "kochava-attribution")
    return {f["rule"] for f in result["findings"]}


def test_a_yml_beside_the_yaml_is_refused_naming_both(repo: Path) -> None:
    # Before: vendors.yml silently replaced vendors.yaml and emptied the block list.
    (repo / "policies" / "data" / "vendors.yml").write_text(EMPTY_BLOCK_LIST)
    code, out, err = invoke("check", "--format", "json", "--as-of", "2026-11-23")
    assert (code, out) == (2, "")
    assert ("policies/data/vendors.yaml and policies/data/vendors.yml: 2 files for the one "
            "data name `vendors`; keep only policies/data/vendors.yaml") in err


def test_a_pull_request_adding_a_yml_cannot_change_check_base_and_is_refused(
        repo: Path) -> None:
    code, out, _ = invoke("check", "--format", "json", "--as-of", "2026-11-23")
    before = kochava_rules(out)
    assert "vendor.blocked" in before
    git(repo, "checkout", "-q", "-b", "loosen")
    (repo / "policies" / "data" / "vendors.yml").write_text(EMPTY_BLOCK_LIST)
    (repo / "policies" / "data" / "thresholds.yml").write_text("sso_required_above_seats: 9\n")
    (repo / "requests" / "kochava-attribution.yaml").write_text(
        (repo / "requests" / "kochava-attribution.yaml").read_text() + "# touched\n")
    commit_all(repo, "a request and a data file in one pull request")
    code, out, _ = invoke("check", "--base", "main", "--format", "json",
                          "--as-of", "2026-11-23")
    assert code == 1 and kochava_rules(out) == before
    code, out, err = invoke("impact", "--base", "main", "--as-of", "2026-11-23")
    assert code == 2
    assert "policies/data/thresholds.yaml and policies/data/thresholds.yml" in err
    code, out, _ = invoke("validate")
    assert code == 1
    assert "policies/data/vendors.yaml and policies/data/vendors.yml: 2 files" in out
    assert "policies/data/thresholds.yaml and policies/data/thresholds.yml: 2 files" in out


@pytest.mark.parametrize(("name", "expected"), [
    ("vendors.YAML", "policies/data/vendors.YAML and policies/data/vendors.yaml: 2 files"),
    ("extra.yml", "policies/data/extra.yml: policy data files are named `<name>.yaml` "
                  "(lowercase); rename it to policies/data/extra.yaml"),
    ("more/vendors.yaml", "policies/data/more/vendors.yaml: data files live directly in "
                          "policies/data/; files in its subfolders are never read"),
])
def test_other_spellings_of_a_data_file_are_refused(tmp_path: Path, name: str,
                                                    expected: str) -> None:
    policies = copy_policies(tmp_path)
    (policies / "data" / name).parent.mkdir(exist_ok=True)
    (policies / "data" / name).write_text(EMPTY_BLOCK_LIST)
    with pytest.raises(PolicyError) as raised:
        PolicySet.from_directory(policies)
    assert expected.replace("policies/", f"{policies.as_posix()}/") in str(raised.value)


def test_a_data_file_no_schema_describes_is_refused_by_check_and_validate(
        repo: Path) -> None:
    # Before: loaded as data.martech.config.audiences with no validation at all.
    (repo / "policies" / "data" / "audiences.yaml").write_text("lookalike_allowed: yes\n")
    code, out, err = invoke("check", "--as-of", "2026-11-23")
    assert (code, out) == (2, "")
    assert ("policies/data/audiences.yaml: no schema describes the data file `audiences`, so "
            "a misspelt key in it would make a rule quietly read nothing") in err
    assert ("Declare it with a JSON Schema beside it, policies/data/audiences.schema.json"
            in err)
    code, out, _ = invoke("validate")
    assert code == 1 and "policies/data/audiences.yaml: no schema describes" in out


def test_the_shipped_library_has_one_file_per_declared_name() -> None:
    names = sorted(p.name for p in (ROOT / "policies" / "data").iterdir())
    # the core files, and two IT declares with a JSON Schema beside each
    assert names == ["ai.schema.json", "ai.yaml", "health.schema.json", "health.yaml",
                     "regions.yaml", "rules.yaml", "stack.yaml", "systems.yaml", "teams.yaml",
                     "thresholds.yaml", "tracking.yaml", "vendors.yaml"]
    assert set(PolicySet.from_directory(ROOT / "policies").config) == {
        name.removesuffix(".yaml") for name in names if name.endswith(".yaml")}


def copy_policies(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    return tmp_path / "policies"
