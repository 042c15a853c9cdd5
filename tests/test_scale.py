"""Many generated requests: the parallel path and both engines agree with the simple one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from martechgov.check import CheckOptions, run_check
from martechgov.formatters.json_ import result_json

from .conftest import AS_OF, ROOT

_spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


@pytest.fixture(scope="module")
def requests_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("generated")
    generate.generate(300, directory)
    return directory


def results(directory: Path, engine: str, jobs: int) -> list[dict]:
    report = run_check(CheckOptions([directory], ROOT / "policies", AS_OF, engine=engine,
                                    jobs=jobs))
    return [result_json(r) for r in report.results]


def test_worker_processes_give_the_same_results_in_the_same_order(requests_dir: Path) -> None:
    single = results(requests_dir, "embedded", 1)
    parallel = results(requests_dir, "embedded", 2)
    assert len(single) == 300
    assert parallel == single
    assert {r["decision"] for r in single} == {"approve", "review", "deny"}


def test_regopy_and_regorus_agree_on_every_generated_request(requests_dir: Path) -> None:
    assert results(requests_dir, "regorus", 1) == results(requests_dir, "regopy", 1)
