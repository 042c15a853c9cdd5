"""Benchmark the leadership reports: inventory, map and report over N generated requests.

    python bench/bench_reports.py                    # N = 10,000, every engine installed
    python bench/bench_reports.py --requests 2000 --engines regorus

For each engine it runs the real CLI as a subprocess (wall time, like a user sees):
`check --format json` as the baseline (judging is most of the work), then `inventory`,
`inventory --format ics`, `map` and `report -o DIR` (with discovery's results for 10% of
the requests, so the lifecycle, money split and shadow-IT sections have work to do).
It then judges once in this process and times only what the reports add on top of
judging (building and rendering), which must stay small.
Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
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
from martechgov.leadership.portfolio import Inputs, Portfolio, load_portfolio  # noqa: E402
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

    def calendar() -> None:
        render(INVENTORY_FORMATS, "ics", build_inventory(portfolio), io.StringIO())

    steps: dict[str, Callable[[], object]] = {
        "inventory": inventory,
        "inventory --format ics": calendar,
        "map": lambda: render_map(build_map(portfolio), "mermaid"),
        "report": lambda: render_report(portfolio),
    }
    timings = {}
    for name, step in steps.items():
        start = time.perf_counter()
        step()
        timings[name] = time.perf_counter() - start
    return timings


def discover_results(path: Path, requests: list[Path]) -> Path:
    """A discovery document that saw every tenth request in use, and 50 shadow tools."""
    seen = [{"id": request.stem, "tool": request.stem, "decision": "approve", "rows": 3,
             "users": 2} for request in requests[::10]]
    findings = [{"tool": f"Shadow tool {i}", "vendor": f"Vendor {i}", "category": "other",
                 "request": None, "sources": ["expense"], "users": {"count": 3, "top": []},
                 "spend": {"USD": 120.0}, "spend_last_12_months": {"USD": 120.0},
                 "first_seen": "2026-01-01", "last_seen": "2026-11-01"} for i in range(50)]
    path.write_text(json.dumps({"version": 1, "as_of": AS_OF, "findings": findings,
                                "approved_in_use": seen}))
    return path


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
        paths = generate(options.requests, directory)
        shadow = discover_results(work / "shadow.json", paths)
        common = [str(directory), "--as-of", AS_OF]
        for engine in engines:
            judged = [*common, "--engine", engine]
            flags = [*judged, "--discover", str(shadow)]
            walls = {
                "check (baseline)": run_cli(["check", *judged, "--format", "json"]),
                "inventory": run_cli(["inventory", *flags, "--format", "json"]),
                "inventory --format ics": run_cli(["inventory", *flags, "--format", "ics"]),
                "map": run_cli(["map", *flags]),
                "report": run_cli(["report", *flags, "-o", str(work / "site")]),
            }
            portfolio = load_portfolio(CheckOptions(
                paths=[directory], policies=ROOT / "policies",
                as_of=dt.date.fromisoformat(AS_OF), engine=engine), Inputs(discover=shadow))
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
