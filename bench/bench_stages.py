"""Where a cold `check` spends its time, per request file, stage by stage, on one core.

    python bench/bench_stages.py              # 2,000 generated requests, best of 5 rounds

Each stage runs over the same files in this one process and is timed in CPU seconds
(best of the rounds, which a busy machine disturbs least), beside PyYAML's C loader on
the same texts as the reference. The stages are those `check`'s workers run for each
file: reading it safely, the positioned YAML walk, validating the request, the input
document, the engine (regorus itself, as the workers call it), and validating the
decision and placing the findings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import ROOT, generate  # noqa: E402

from martechgov import yamlsafe  # noqa: E402
from martechgov.check import judge  # noqa: E402
from martechgov.engines import ENGINES, EngineSettings  # noqa: E402
from martechgov.inputdoc import input_document  # noqa: E402
from martechgov.loader import load_request  # noqa: E402
from martechgov.policy import PolicySet  # noqa: E402
from martechgov.request_model import ToolRequest  # noqa: E402

AS_OF = dt.date(2026, 11, 23)


def best_ms(run: Callable[[], object], count: int, rounds: int) -> float:
    """Best CPU milliseconds per file of `run` over the rounds."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best * 1000 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--engine", default="regorus")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="martechgov-bench-") as work:
        paths = generate(options.n, Path(work))
        texts = [path.read_text() for path in paths]
        documents = [yamlsafe.load(text) for text in texts]
        loaded = [load_request(path) for path in paths]
        inputs = [input_document(item.request, AS_OF, item.file)  # type: ignore[arg-type]
                  for item in loaded]
        engine = ENGINES[options.engine](EngineSettings())
        engine.load(PolicySet.from_directory(ROOT / "policies"))
        stages: dict[str, Callable[[], object]] = {
            "reference: yaml.load(text, CSafeLoader)":
                lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts],
            "positioned YAML walk (yamlsafe.load)": lambda: [yamlsafe.load(t) for t in texts],
            "request validation (pydantic)":
                lambda: [ToolRequest.model_validate(d.value) for d in documents],
            "whole loader (read, YAML, validation, checks)":
                lambda: [load_request(p) for p in paths],
            "input document": lambda: [input_document(i.request, AS_OF, i.file)  # type: ignore[arg-type]
                                       for i in loaded],
            f"engine ({options.engine})": lambda: engine.evaluate(inputs),
            "judging: input, engine, decision validated and placed":
                lambda: judge(loaded, engine, AS_OF, False),
        }
        print(f"{options.n:,} requests, best of {options.rounds} rounds, CPU time per file")
        print("| stage | per file |")
        print("|---|---|")
        for name, run in stages.items():
            print(f"| {name} | {best_ms(run, options.n, options.rounds):.3f} ms |")


if __name__ == "__main__":
    main()
