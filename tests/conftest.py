from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli.main import main
from martechgov.engines.embedded import EmbeddedEngine
from martechgov.policy import PolicySet

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _no_decision_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test judges afresh and leaves the user's cache alone; the cache's own tests
    (tests/test_cache.py) point MARTECHGOV_CACHE_DIR at a temporary folder."""
    monkeypatch.setenv("MARTECHGOV_NO_CACHE", "1")


@pytest.fixture(scope="session")
def policy() -> PolicySet:
    return PolicySet.from_directory(ROOT / "policies")


@pytest.fixture(scope="session")
def engine(policy: PolicySet) -> EmbeddedEngine:
    loaded = EmbeddedEngine()
    loaded.load(policy)
    return loaded


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, as a user following the README would."""
    monkeypatch.chdir(ROOT)
    return ROOT


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    from martechgov.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _go_stays_out_of_pytest() -> Iterator[None]:
    """A test that starts OPA's Go runtime in pytest's own process fails (later forks of
    the engines' workers could hang): OPA runs in a child, see tests/opa_child.py."""
    yield
    engine = sys.modules.get("opa_bindings.engine")
    assert engine is None or getattr(engine, "_lib", None) is None, (
        "OPA's Go runtime was loaded into pytest's process: use tests/opa_child.py")


def add_rule_records(policies: Path, source: str) -> None:
    """The record (data/rules.yaml) each rule id `source` emits needs: a library with a
    rule id and no record is refused before any request is judged."""
    rules = policies / "data" / "rules.yaml"
    known = rules.read_text()
    with rules.open("a") as out:
        for rule in sorted(set(re.findall(r'"rule": "([a-z][a-z0-9_]*\.[a-z0-9_]+)"', source))):
            if f"\n{rule}:" not in known:
                out.write(f"{rule}:\n  title: A test rule\n  team: security\n  fix: Fix it.\n")


def check_json(*args: str) -> tuple[int, dict, str]:
    """`martechgov check --format json` as of AS_OF, in-process: exit code, the report
    (empty when none was printed) and stderr, never a traceback."""
    result = CliRunner().invoke(main, ["check", "--format", "json", "--as-of",
                                       AS_OF.isoformat(), *args])
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout) if result.stdout.startswith("{") else {}
    return result.exit_code, report, result.stderr


def results_by_file(report: dict) -> dict[str, dict]:
    return {r["file"]: r for r in report["results"]}
