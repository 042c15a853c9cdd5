"""Benchmark `martechgov check` side by side with plain YAML parsing of the same files.

    python bench/bench_check.py                      # 10,000 requests, 3 rounds
    python bench/bench_check.py --sizes 1000 10000 --rounds 5 --engines regorus regopy

Generates N varied valid requests (bench/generate.py) into `requests/` of a scratch
folder and runs the real CLI there, as CI runs it (`martechgov check requests --format
json`), in rounds that interleave with the reference so that a busy machine slows both
alike. Each round measures:

- `yaml`: PyYAML's C loader (`yaml.load(text, Loader=yaml.CSafeLoader)`) reading and
  parsing every file, in one process on one core: the reference the issue sets
  (`check` should take no longer on 2 cores than this on one);
- `check --no-cache`: everything judged afresh (the cold run, and what CI does);
- `check`, cache filling: the first run with an empty decision cache (a scratch
  MARTECHGOV_CACHE_DIR), which judges everything and stores the answers;
- `check`, cache warm: the same run again, every answer from the cache.

For each: wall time (median of the rounds), CPU time (user + system, workers
included) and peak memory (the sum of the resident memory of martechgov and its worker
processes, sampled every 20 ms). The ratio column is check's wall time over the
reference's, per round, median. Cold start (`bench/bench_start.py`), one file's
stages (`bench/bench_stages.py`) and the engines per request (`bench/bench_engines.py`)
have scripts of their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import ROOT, generate  # noqa: E402

AS_OF = "2026-11-23"
YAML_REFERENCE = """
import pathlib, sys, time, yaml
files = sorted(pathlib.Path(sys.argv[1]).glob("*.yaml"))
start = time.perf_counter()
for path in files:
    yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


def tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and all its descendants (Linux /proc), in KiB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                total += next((int(line.split()[1]) for line in status
                               if line.startswith("VmRSS:")), 0)
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as kids:
                todo.extend(int(child) for child in kids.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Wall and CPU seconds and peak memory of one CLI run, workers included."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "martechgov", *args], cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"martechgov {' '.join(args)} failed with exit code {code}: {stderr}")
    return Run(wall, usage.ru_utime + usage.ru_stime, peak / 1024)


def yaml_reference(folder: Path) -> float:
    out = subprocess.run([sys.executable, "-c", YAML_REFERENCE, str(folder)], check=True,
                         capture_output=True, text=True).stdout
    return float(out)


def measure(size: int, engine: str, rounds: int, work: Path) -> list[str]:
    folder = work / f"{size}"
    generate(size, folder / "requests")
    base_args = ["check", "requests", "--policies", str(ROOT / "policies"), "--format", "json",
                 "--engine", engine, "--as-of", AS_OF]
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    runs: dict[str, list[Run]] = {"no-cache": [], "filling": [], "warm": []}
    reference: list[float] = []
    for _ in range(rounds):
        reference.append(yaml_reference(folder / "requests"))
        runs["no-cache"].append(run_cli([*base_args, "--no-cache"], folder, env))
        cache = Path(tempfile.mkdtemp(prefix="martechgov-bench-cache-"))
        cached_env = {**env, "MARTECHGOV_CACHE_DIR": str(cache)}
        runs["filling"].append(run_cli(base_args, folder, cached_env))
        runs["warm"].append(run_cli(base_args, folder, cached_env))
        shutil.rmtree(cache)
    yaml_wall = statistics.median(reference)
    rows = [f"| {engine} | {size:,} | yaml (CSafeLoader, 1 core, reference) | {yaml_wall:.2f} s "
            f"| | | 1.00 |"]
    labels = {"no-cache": "`check --no-cache` (cold)", "filling": "`check`, cache filling",
              "warm": "`check`, cache warm"}
    for name, label in labels.items():
        measured = runs[name]
        ratio = statistics.median(r.wall / y for r, y in zip(measured, reference, strict=True))
        rows.append(f"| {engine} | {size:,} | {label} | "
                    f"{statistics.median(r.wall for r in measured):.2f} s | "
                    f"{statistics.median(r.cpu for r in measured):.2f} s | "
                    f"{max(r.peak_mb for r in measured):.0f} MB | {ratio:.2f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--engines", nargs="+", default=["regorus"])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"{dt.date.today().isoformat()}, load average {load:.1f} at the start")
    rows = []
    work = Path(tempfile.mkdtemp(prefix="martechgov-bench-"))
    try:
        for size in options.sizes:
            for engine in options.engines:
                rows += measure(size, engine, options.rounds, work)
    finally:
        shutil.rmtree(work)
    print(f"load average {os.getloadavg()[0]:.1f} at the end; medians of "
          f"{options.rounds} rounds")
    print("| engine | requests | what | wall | CPU (user+sys) | peak memory | wall / yaml |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
