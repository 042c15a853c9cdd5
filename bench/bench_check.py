"""Benchmark `martechgov check`: wall time, requests/s and peak RSS, plus raw engine speed.

    python bench/bench_check.py                 # N = 1,000 and 10,000, every engine installed
    python bench/bench_check.py --sizes 500 --engines embedded

Generates N varied valid requests (bench/generate.py), then for each engine:
- runs the real CLI (`martechgov check DIR --format json`) as a subprocess and reads its
  wall time and peak resident memory (the CLI and its worker processes);
- evaluates the same input documents in this process, one engine, one core, to give the
  raw engine rate the CLI is compared with (the engine itself: the CLI only ever runs
  it in bounded worker processes);
- times a cold start on one request (best of 5).
Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, installed_engines  # noqa: E402

from martechgov.engines import ENGINES, EngineSettings  # noqa: E402
from martechgov.inputdoc import input_document  # noqa: E402
from martechgov.loader import load_request  # noqa: E402
from martechgov.policy import PolicySet  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"


def run_cli(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one CLI run, workers included."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "martechgov", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"martechgov {' '.join(args)} failed with exit code {code}: "
                         f"{process.stderr.read().decode() if process.stderr else ''}")
    return wall, usage.ru_maxrss


def raw_engine_seconds(engine_name: str, directory: Path) -> float:
    files = sorted(directory.glob("*.yaml"))
    as_of = dt.date.fromisoformat(AS_OF)
    inputs = [input_document(item.request, as_of, item.file) for item in map(load_request, files)
              if item.request is not None]
    engine = ENGINES[engine_name](EngineSettings())  # the engine itself, in this process
    engine.load(PolicySet.from_directory(ROOT / "policies"))
    start = time.perf_counter()
    engine.evaluate(inputs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engines", nargs="+", default=None)
    options = parser.parse_args()
    engines = options.engines or installed_engines()
    os.chdir(ROOT)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"{dt.date.today().isoformat()}")
    one = ROOT / "requests" / "hubspot-marketing-hub.yaml"
    rows = []
    work = Path(tempfile.mkdtemp(prefix="martechgov-bench-"))
    try:
        for engine in engines:
            cold = min(run_cli(["check", str(one), "--engine", engine, "--as-of", AS_OF])[0]
                       for _ in range(5))
            rows.append(f"| {engine} | 1 (cold start) | {cold:.2f} s | | | |")
        for size in options.sizes:
            directory = work / str(size)
            generate(size, directory)
            for engine in engines:
                wall, rss = run_cli(["check", str(directory), "--format", "json",
                                     "--engine", engine, "--as-of", AS_OF])
                raw = raw_engine_seconds(engine, directory)
                rows.append(f"| {engine} | {size:,} | {wall:.1f} s | {size / wall:,.0f} | "
                            f"{rss / 1024:.0f} MB | {size / raw:,.0f} req/s "
                            f"({raw:.1f} s, 1 core) |")
    finally:
        shutil.rmtree(work)
    print("| engine | requests | wall | requests/s | peak RSS | raw engine |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
