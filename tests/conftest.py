from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.engines.embedded import EmbeddedEngine
from martechgov.policy import PolicySet

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
AS_OF = dt.date(2026, 11, 23)


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


def add_rule_records(policies: Path, source: str) -> None:
    """The record (data/rules.yaml) each rule id `source` emits needs: a library with a
    rule id and no record is refused before any request is judged."""
    rules = policies / "data" / "rules.yaml"
    known = rules.read_text()
    with rules.open("a") as out:
        for rule in sorted(set(re.findall(r'"rule": "([a-z][a-z0-9_]*\.[a-z0-9_]+)"', source))):
            if f"\n{rule}:" not in known:
                out.write(f"{rule}:\n  title: A test rule\n  team: security\n  fix: Fix it.\n")
