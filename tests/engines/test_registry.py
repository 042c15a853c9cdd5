"""Engines by name: `embedded` is the default engine (regorus, chosen on the evidence in
docs/engines.md); regopy and regorus stay selectable by name."""

from __future__ import annotations

import pytest

from martechgov.engines import DEFAULT_ENGINE, ENGINES, make_engine
from martechgov.errors import UsageError


def test_embedded_is_the_default_and_runs_regorus() -> None:
    assert DEFAULT_ENGINE == "embedded"
    assert make_engine("embedded").name == "regorus"  # reports name the engine that ran


@pytest.mark.parametrize("name", ["regorus", "regopy"])
def test_each_embedded_engine_stays_selectable(name: str) -> None:
    engine = make_engine(name)
    assert (engine.name, engine.runs_tests, engine.forkable) == (name, True, True)


def test_an_unknown_engine_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="choose one of: embedded, regorus, regopy, opa"):
        make_engine("rego-cpp")
    assert set(ENGINES) == {"embedded", "regorus", "regopy", "opa"}
