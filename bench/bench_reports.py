"""Benchmark the leadership reports: inventory, map and report over N generated requests.

    python bench/bench_reports.py                    # N = 10,000, every engine installed
    python bench/bench_reports.py --requests 2000 --engines regorus

For each engine it runs the real CLI as a subprocess (wall time, like a user sees):
`check --format json` as the baseline (judging is most of the work), then `inventory`,
`map` and `report -o DIR`. It then judges once in this process and times only what the
reports add on top of judging (building and rendering), which must stay small.
Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, installed_engines  # noqa: E402

from martechgov.check import CheckOptions  # noqa: E402
from martechgov.leadership.datamap import build_map  # noqa: E402
from martechgov.leadership.htmlreport import render_report  # noqa: E402
from martechgov.leadership.inventory import build_inventory  # noqa: E402
from martechgov.leadership.inventory_formats import INVENTORY_FORMATS  # noqa: E402
from martechgov.leadership.mapformats import render_map  # noqa: E402
from martechgov.leadership.portfolio import Portfolio, load_portfolio  # noqa: E402
from martechgov.rendering import render  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"


def run_cli(args: list[str]) -> float:
    """Wall seconds of one CLI run (exit code 0 or 1 expected)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "martechgov", *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"martechgov {' '.join(args)} failed ({done.returncode}): "
                         f"{done.stderr.decode()}")
    return wall


def own_seconds(portfolio: Portfolio) -> dict[str, float]:
    """Seconds each report spends after judging: building plus rendering."""
    def inventory() -> None:  # the same format as the CLI run above
        render(INVENTORY_FORMATS, "json", build_inventory(portfolio), io.StringIO())

    steps: dict[str, Callable[[], object]] = {
        "inventory": inventory,
        "map": lambda: render_map(build_map(portfolio), "mermaid"),
        "report": lambda: render_report(portfolio),
    }
    timings = {}
    for name, step in steps.items():
        start = time.perf_counter()
        step()
        timings[name] = time.perf_counter() - start
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--engines", nargs="+", default=None)
    options = parser.parse_args()
    engines = options.engines or installed_engines()
    os.chdir(ROOT)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"{dt.date.today().isoformat()}, {options.requests:,} requests")
    rows = []
    work = Path(tempfile.mkdtemp(prefix="martechgov-bench-reports-"))
    try:
        directory = work / "requests"
        generate(options.requests, directory)
        common = [str(directory), "--as-of", AS_OF]
        for engine in engines:
            flags = [*common, "--engine", engine]
            walls = {
                "check (baseline)": run_cli(["check", *flags, "--format", "json"]),
                "inventory": run_cli(["inventory", *flags, "--format", "json"]),
                "map": run_cli(["map", *flags]),
                "report": run_cli(["report", *flags, "-o", str(work / "site")]),
            }
            portfolio = load_portfolio(CheckOptions(
                paths=[directory], policies=ROOT / "policies",
                as_of=dt.date.fromisoformat(AS_OF), engine=engine))
            own = own_seconds(portfolio)
            for command, wall in walls.items():
                extra = f"{own[command]:.2f} s" if command in own else ""
                rows.append(f"| {engine} | {command} | {wall:.1f} s | {extra} |")
        size = (work / "site" / "index.html").stat().st_size
        print(f"report size: {size / 1e6:.1f} MB")
    finally:
        shutil.rmtree(work)
    print("| engine | command | wall | of which building + rendering |")
    print("|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
