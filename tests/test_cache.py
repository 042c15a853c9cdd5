"""The decision cache: same answers, never stale, never trusted where it could be planted.

Each test runs the real CLI in a real temporary git repository. Forged entries are made
the way an attacker would: by rewriting the answers a real run stored (with digests
that match), so the tests show both that a forged cache *would* change the answer where
it is read, and that it is never read where a pull request could have put it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from martechgov.cache import _TABLE, CACHE_ENV, NO_CACHE_ENV, DecisionCache, Entry, _digest
from tests.conftest import add_rule_records, invoke
from tests.gitutil import commit_all, git, make_repo

AS_OF = "2026-11-23"
REQUESTS = ["hotjar", "google-analytics-4", "hubspot-marketing-hub"]
APPROVE = json.dumps({"decision": "approve", "findings": [], "reviewers": [],
                      "facts": {"soc2_valid_until": None}})


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_repo(tmp_path / "repo", REQUESTS)
    monkeypatch.chdir(path)
    for name in (NO_CACHE_ENV, "CI", "GITHUB_ACTIONS", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def check(*extra: str) -> tuple[int, dict[str, str]]:
    """Exit code and each file's decision, judged by the real CLI."""
    code, out, err = invoke("check", "requests", "--format", "json", "--as-of", AS_OF, *extra)
    assert code in (0, 1), err
    return code, {r["file"]: r["decision"] for r in json.loads(out)["results"]}


def check_json(*extra: str) -> str:
    code, out, err = invoke("check", "requests", "--format", "json", "--as-of", AS_OF, *extra)
    assert code in (0, 1), err
    return out


def rows(folder: Path) -> int:
    with sqlite3.connect(folder / "decisions.sqlite3") as db:
        return int(db.execute(f"SELECT count(*) FROM {_TABLE}").fetchone()[0])


def forge_approvals(folder: Path) -> None:
    """Rewrite every stored answer to approve, with digests that match."""
    with sqlite3.connect(folder / "decisions.sqlite3") as db:
        for key, meta in db.execute(f"SELECT key, meta FROM {_TABLE}").fetchall():
            db.execute(f"UPDATE {_TABLE} SET decision = ?, digest = ? WHERE key = ?",
                       (APPROVE, _digest(APPROVE, meta), key))


def test_a_warm_run_answers_byte_for_byte_what_the_engine_answers(repo: Path,
                                                                 cache_dir: Path) -> None:
    fresh = check_json("--no-cache")
    assert not cache_dir.exists()  # --no-cache neither reads nor writes
    cold = check_json()
    assert rows(cache_dir) == len(REQUESTS)
    warm = check_json()
    assert fresh == cold == warm
    assert any(r["findings"] for r in json.loads(warm)["results"])  # placed, from the cache


def test_the_cache_is_read_where_it_may_be(repo: Path, cache_dir: Path) -> None:
    """The control for the tests below: a forged entry in a trusted place is read."""
    assert check()[1]["requests/hotjar.yaml"] == "deny"
    forge_approvals(cache_dir)
    assert check()[1]["requests/hotjar.yaml"] == "approve"
    assert check("--no-cache")[1]["requests/hotjar.yaml"] == "deny"


def test_a_cache_planted_in_the_checkout_cannot_change_the_answer(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(outside))
    check()
    forge_approvals(outside)
    assert check()[1]["requests/hotjar.yaml"] == "approve"  # the forgery works outside
    planted = repo / ".martechgov-cache"
    shutil.copytree(outside, planted)
    shutil.copytree(outside, repo / "martechgov")
    commit_all(repo, "a pull request plants caches of approvals")

    monkeypatch.setenv(CACHE_ENV, str(planted))
    assert check() == (1, check("--no-cache")[1])
    assert check()[1]["requests/hotjar.yaml"] == "deny"

    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo))  # -> repo/martechgov
    assert check()[1]["requests/hotjar.yaml"] == "deny"

    monkeypatch.delenv("XDG_CACHE_HOME")
    link = tmp_path / "link-to-planted"
    link.symlink_to(planted)
    monkeypatch.setenv(CACHE_ENV, str(link))
    assert check()[1]["requests/hotjar.yaml"] == "deny"

    monkeypatch.setenv(CACHE_ENV, str(planted))  # run from a folder inside the repository
    monkeypatch.chdir(repo / "requests")
    code, out, err = invoke("check", ".", "--policies", "../policies", "--format", "json",
                            "--as-of", AS_OF)
    assert {r["file"]: r["decision"] for r in json.loads(out)["results"]}["hotjar.yaml"] == (
        "deny"), err


def test_the_gate_and_ci_never_read_the_cache(repo: Path, cache_dir: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    hotjar = repo / "requests" / "hotjar.yaml"
    hotjar.write_text(hotjar.read_text().replace("Hotjar", "Hotjar Business"))
    commit_all(repo, "edit hotjar")
    check()
    forge_approvals(cache_dir)
    assert check()[1]["requests/hotjar.yaml"] == "approve"  # the forgery is readable...
    code, out, err = invoke("check", "requests", "--format", "json", "--as-of", AS_OF,
                            "--base", "main")
    assert {r["file"]: r["decision"] for r in json.loads(out)["results"]} == {
        "requests/hotjar.yaml": "deny"}, err  # ...but not by the gate
    for variable in ("CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(CACHE_ENV)
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache_dir.parent))
        shutil.copytree(cache_dir, cache_dir.parent / "martechgov", dirs_exist_ok=True)
        monkeypatch.setenv(variable, "true")
        assert check()[1]["requests/hotjar.yaml"] == "deny"
        monkeypatch.delenv(variable)
        monkeypatch.setenv(CACHE_ENV, str(cache_dir))


@pytest.mark.parametrize("change", ["policy data", "exceptions", "as-of", "request"])
def test_any_change_the_answer_depends_on_misses(repo: Path, cache_dir: Path,
                                                change: str) -> None:
    check()
    forge_approvals(cache_dir)
    extra: tuple[str, ...] = ()
    if change == "policy data":
        data = repo / "policies" / "data" / "thresholds.yaml"
        data.write_text(data.read_text() + "\n# reviewed again\n")
    elif change == "exceptions":
        exceptions = repo / "policies" / "exceptions.yaml"
        exceptions.write_text(exceptions.read_text() + "\n# reviewed again\n")
    elif change == "as-of":
        extra = ("--as-of", "2026-11-24")
    else:
        hotjar = repo / "requests" / "hotjar.yaml"
        hotjar.write_text(hotjar.read_text() + "\n# a comment is a change of bytes\n")
    code, out, err = invoke("check", "requests", "--format", "json", "--as-of", AS_OF, *extra)
    decisions = {r["file"]: r["decision"] for r in json.loads(out)["results"]}
    assert decisions["requests/hotjar.yaml"] == "deny", err


@pytest.mark.parametrize("damage", ["digest", "malformed", "positions", "database"])
def test_a_corrupt_entry_is_a_miss_never_an_answer(repo: Path, cache_dir: Path,
                                                   damage: str) -> None:
    expected = check_json("--no-cache")
    check()
    database = cache_dir / "decisions.sqlite3"
    if damage == "database":
        database.write_bytes(b"this is not a database" * 100)
        for extra in database.parent.glob("decisions.sqlite3-*"):
            extra.unlink()
    else:
        with sqlite3.connect(database) as db:
            for key, meta in db.execute(f"SELECT key, meta FROM {_TABLE}").fetchall():
                if damage == "digest":  # a flipped answer whose digest no longer matches
                    db.execute(f"UPDATE {_TABLE} SET decision = ? WHERE key = ?",
                               (APPROVE, key))
                    continue
                decision, new_meta = APPROVE, meta
                if damage == "malformed":  # approve despite a blocking finding
                    decision = json.dumps({"decision": "approve", "reviewers": [], "findings": [
                        {"rule": "security.sso", "level": "deny", "message": "m",
                         "fix": "f", "field": "security.sso", "blocking": True}]})
                else:  # the positions no longer say where the fields are
                    new_meta = json.dumps(["x", "y", {}])
                db.execute(f"UPDATE {_TABLE} SET decision = ?, meta = ?, digest = ? "
                           "WHERE key = ?", (decision, new_meta, _digest(decision, new_meta),
                                             key))
    assert check_json() == expected


def test_the_cache_is_refused_where_others_may_write(tmp_path: Path) -> None:
    outside = tmp_path / "shared"
    outside.mkdir(mode=0o777)
    os.chmod(outside, 0o777)
    cache = DecisionCache(outside)
    entry = Entry(APPROVE, "x", "X", {"id": (1, 1)})
    cache.put({"k": entry})
    assert cache.get(["k"]) == {}
    os.chmod(outside, 0o700)
    cache.put({"k": entry})
    assert cache.get(["k"]) == {"k": entry}


def test_where_the_cache_lives(tmp_path: Path) -> None:
    home = tmp_path / "home"
    work = tmp_path / "work"
    (work / ".git").mkdir(parents=True)
    assert DecisionCache.default({"XDG_CACHE_HOME": str(home)}, work).folder == (  # type: ignore[union-attr]
        home / "martechgov")
    assert DecisionCache.default({CACHE_ENV: str(home / "c")}, work).folder == (  # type: ignore[union-attr]
        home / "c")
    assert DecisionCache.default({CACHE_ENV: str(work / "sub" / "c")}, work / "sub") is None
    assert DecisionCache.default({CACHE_ENV: "relative/c"}, work) is None
    assert DecisionCache.default({CACHE_ENV: str(home), NO_CACHE_ENV: "1"}, work) is None
    assert DecisionCache.default({"XDG_CACHE_HOME": str(home), "CI": "true"}, work) is None
    assert DecisionCache.default({"XDG_CACHE_HOME": str(home), "CI": "false"}, work) is not None
    # Naming a cache folder on purpose works under CI too (the benchmarks do).
    assert DecisionCache.default({CACHE_ENV: str(home), "CI": "true"}, work) is not None


def test_reports_and_impact_answer_alike_from_the_cache(repo: Path, cache_dir: Path) -> None:
    """`inventory` keeps each request (every file is parsed) but asks the engine only
    about what the cache lacks; `impact` caches both revisions' answers."""
    inventory = ("inventory", "requests", "--format", "json", "--as-of", AS_OF)
    fresh = invoke(*inventory, "--no-cache")
    assert fresh[0] == 0, fresh[2]
    assert invoke(*inventory) == invoke(*inventory) == fresh
    thresholds = repo / "policies" / "data" / "thresholds.yaml"
    thresholds.write_text(thresholds.read_text().replace("sso_required_above_seats: 10",
                                                         "sso_required_above_seats: 0"))
    impact = ("impact", "--base", "main", "--format", "json", "--as-of", AS_OF)
    fresh_impact = invoke(*impact, "--no-cache")
    assert fresh_impact[0] == 0, fresh_impact[2]
    assert invoke(*impact) == invoke(*impact) == fresh_impact
    forge_approvals(cache_dir)
    decisions = {r["file"]: r["decision"]
                 for r in json.loads(invoke(*inventory)[1])["requests"]}
    assert decisions["requests/hotjar.yaml"] == "approve"  # the cache did answer


def test_runs_at_the_same_time_share_the_cache_safely(repo: Path, cache_dir: Path) -> None:
    """Two real processes fill one cache at once; a third answers from it, identically."""
    import subprocess
    import sys

    env = {**os.environ, CACHE_ENV: str(cache_dir)}
    command = [sys.executable, "-m", "martechgov", "check", "requests", "--format", "json",
               "--as-of", AS_OF]
    running = [subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [process.communicate()[0].decode() for process in running]
    assert [process.returncode for process in running] == [1, 1]
    assert outputs[0] == outputs[1] == check_json("--no-cache") == check_json()
    assert rows(cache_dir) == len(REQUESTS)


def test_no_home_folder_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home(cls: type[Path]) -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", classmethod(no_home))
    assert DecisionCache.default({}, tmp_path) is None  # judged afresh, not an error


def test_bounds_hold_on_the_cached_path(repo: Path, cache_dir: Path) -> None:
    """What the cache does not answer is judged in bounded workers as ever: a runaway rule
    stops the run with exit 2, naming a request and the rule, and stores nothing."""
    check()
    stored = rows(cache_dir)
    (repo / "policies" / "security" / "slow.rego").write_text(
        "package martech.rules.security\n\nimport rego.v1\n\ndeny contains f if {\n"
        "\tn := 4000 + time.now_ns() % 2\n"
        "\tcount([1 | some i in numbers.range(1, n); some j in numbers.range(1, n); "
        "i == j + 99999]) > 1\n"
        '\tf := {"rule": "security.x", "message": "m", "fix": "f", "field": "id"}\n}\n')
    add_rule_records(repo / "policies", '"rule": "security.x"')
    code, out, err = invoke("check", "requests", "--format", "json", "--as-of", AS_OF,
                            "--eval-timeout", "2")
    assert code == 2, err
    assert out == ""
    assert "request '" in err and "took longer than 2 s (--eval-timeout)" in err
    assert "in rule data.martech.rules.security.deny" in err
    assert rows(cache_dir) == stored
