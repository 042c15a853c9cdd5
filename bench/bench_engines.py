"""Per-request evaluation time and memory of each Rego engine, side by side, same inputs.

    python bench/bench_engines.py               # 2,000 generated requests, 3 rounds
    python bench/bench_engines.py --n 500 --rounds 1

The inputs are `check`'s input documents for requests from bench/generate.py. Each
engine runs in its own fresh child process (forked before any engine is loaded), loads
the policies once and evaluates every input one at a time; rounds interleave the
engines so that a busy machine slows them alike. Prints, per engine: median and 95th
percentile per request, and the child's peak RSS. `opa` is real OPA's Go evaluator
(opa-golib-python-bindings, the conformance oracle), measured by the same harness: each
engine is called in-process (`check` calls the same code inside its worker processes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conformance import corpus, harness  # noqa: E402

ENGINES = ["regopy", "regorus", "opa"]


def _inputs(count: int) -> list[dict[str, Any]]:
    judged = harness.prepare(corpus.generated(count))
    return [j.input for j in judged if j.input is not None]


def _measure(engine_name: str, inputs: list[dict[str, Any]], channel: Any) -> None:
    from martechgov.engines import ENGINES, EngineSettings
    from martechgov.policy import PolicySet

    policy = PolicySet.from_directory(ROOT / "policies")
    if engine_name == "none":  # the baseline: this process without any engine
        channel.send(([0.0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
        return
    if engine_name == "opa":
        from tests.conformance.oracle import OpaOracle

        engine: Any = OpaOracle()
    else:  # the engine itself, in this (already separate) process: no worker round trip
        engine = ENGINES[engine_name](EngineSettings())
    engine.load(policy)
    times = []
    for doc in inputs:
        start = time.perf_counter()
        engine.evaluate([doc])
        times.append(time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    channel.send((times, rss))


def run(engine: str, inputs: list[dict[str, Any]]) -> tuple[list[float], int]:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_measure, args=(engine, inputs, child))
    process.start()
    times, rss = parent.recv()
    process.join()
    return times, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    inputs = _inputs(args.n)
    results: dict[str, list[tuple[list[float], int]]] = {e: [] for e in ENGINES}
    for round_ in range(args.rounds):
        order = ENGINES[round_ % len(ENGINES):] + ENGINES[:round_ % len(ENGINES)]
        for engine in order:
            results[engine].append(run(engine, inputs))
    _, baseline = run("none", inputs)
    print(f"{len(inputs):,} requests x {args.rounds} rounds, {dt.date.today()}; peak RSS "
          f"of a child without an engine (the inputs and martechgov): {baseline / 1024:.0f} MB")
    print("| engine | median per request | 95th percentile | all requests (1 core) "
          "| peak RSS |")
    print("|---|---|---|---|---|")
    for engine in ENGINES:
        medians = [statistics.median(t) for t, _ in results[engine]]
        p95 = [sorted(t)[int(len(t) * 0.95)] for t, _ in results[engine]]
        totals = [sum(t) for t, _ in results[engine]]
        rss = max(r for _, r in results[engine])
        print(f"| {engine} | {statistics.median(medians) * 1000:.2f} ms | "
              f"{statistics.median(p95) * 1000:.2f} ms | {statistics.median(totals):.1f} s | "
              f"{rss / 1024:.0f} MB |")


if __name__ == "__main__":
    main()
