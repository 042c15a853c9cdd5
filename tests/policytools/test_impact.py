"""`martechgov impact`: which existing requests a policy change would flip."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..conftest import invoke
from ..gitutil import commit_all, git, replace_in


def tighten(repo: Path) -> None:
    thresholds = repo / "policies" / "data" / "thresholds.yaml"
    replace_in(thresholds, "sso_required_above_seats: 10", "sso_required_above_seats: 2")
    replace_in(thresholds, "  USD: 25000", "  USD: 5000")


def test_impact_lists_exactly_the_requests_a_tighter_threshold_flips(repo: Path) -> None:
    tighten(repo)  # in the working tree
    code, out, err = invoke("impact", "--base", "main", "--as-of", "2026-11-23")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:2] == [
        "semrush: approve -> deny (+security.sso_required (deny))",
        "zoom-webinars: approve -> review; reviewers none -> finance "
        "(+procurement.cost_review (review))",
    ]
    assert lines[3] == "2 of 5 requests change: 1 approve -> deny, 1 approve -> review"
    sha = git(repo, "rev-parse", "--short=7", "main")
    assert lines[4].startswith(f"policy main@{sha} (revision ")
    assert " -> worktree (revision " in lines[4] and lines[4].endswith(", as of 2026-11-23")


def test_impact_between_two_refs_as_json_and_markdown(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "tighter")
    tighten(repo)
    tighter = commit_all(repo, "tighten thresholds")
    git(repo, "checkout", "-q", "main")
    code, out, _ = invoke("impact", "--base", "main", "--head", "tighter", "--format",
                          "json", "--as-of", "2026-11-23")
    doc = json.loads(out)
    assert code == 0
    # The shared JSON head (rendering.envelope): `policy` is the policies after the change.
    assert list(doc) == ["version", "as_of", "engine", "before", "total", "changed", "policy"]
    assert (doc["version"], doc["as_of"], doc["engine"], doc["total"]) == (
        1, "2026-11-23", "regorus", 5)
    assert doc["policy"]["source"] == f"tighter@{tighter[:7]}"
    assert doc["before"]["source"].startswith("main@")
    assert doc["before"]["revision"] != doc["policy"]["revision"]
    assert [(c["id"], c["before"]["decision"], c["after"]["decision"]) for c in
            doc["changed"]] == [("semrush", "approve", "deny"),
                                ("zoom-webinars", "approve", "review")]
    assert doc["changed"][1]["added"] == [{"rule": "procurement.cost_review",
                                           "level": "review", "field": "cost.annual",
                                           "team": "finance", "exception": None}]
    code, out, _ = invoke("impact", "--base", "main", "--head", "tighter", "--format",
                          "markdown", "--as-of", "2026-11-23")
    assert out.startswith("## martechgov policy impact: 2 of 5 requests change")
    assert "| semrush | ✅ approve | ❌ deny |  | `+security.sso_required (deny)` |" in out


def test_impact_without_a_change_lists_nothing(repo: Path) -> None:
    code, out, _ = invoke("impact", "--base", "main", "--as-of", "2026-11-23")
    assert code == 0
    assert "no request changes (of 5)" in out


def test_impact_on_a_missing_path_is_exit_2(repo: Path) -> None:
    code, out, err = invoke("impact", "does/not/exist", "--base", "main")
    assert (code, out) == (2, "")
    assert err == "martechgov: error: does/not/exist does not exist\n"


def test_impact_offers_exactly_the_registered_formats(repo: Path) -> None:
    code, _, err = invoke("impact", "--base", "main", "--format", "sarif")
    assert code == 2
    assert "'sarif' is not one of 'text', 'markdown', 'json'" in err


def test_links_and_odd_names_among_the_requests_do_not_stop_impact(
        repo: Path, tmp_path: Path) -> None:
    # A link used to be followed (to /dev/zero: read without end; out of the
    # repository: exit 2); now it is an invalid entry under both policies, which no
    # policy change flips.
    os.symlink("/dev/zero", repo / "requests" / "zero.yaml")
    os.symlink(tmp_path, repo / "requests" / "out.yaml")
    (repo / "requests" / "notes\n:1.md").write_text("notes\n")
    commit_all(repo, "odd entries")
    tighten(repo)
    code, out, err = invoke("impact", "--base", "main", "--as-of", "2026-11-23")
    assert (code, err) == (0, "")
    assert out.splitlines()[3] == "2 of 8 requests change: 1 approve -> deny, 1 approve -> review"
    git(repo, "checkout", "-q", "-b", "tighter")
    (repo / "requests" / "huge.yaml").write_text("notes: " + "x" * (1024 * 1024 + 10))
    git(repo, "add", "-A")
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},requests/vendor.yaml")
    git(repo, "commit", "-q", "-m", "tighten; a submodule and a huge file among the requests")
    git(repo, "checkout", "-q", "main")
    code, out, err = invoke("impact", "--base", "main", "--head", "tighter", "--as-of",
                            "2026-11-23")
    assert (code, err) == (0, "")
    assert out.splitlines()[3] == ("2 of 10 requests change: 1 approve -> deny, "
                                   "1 approve -> review")
