"""Cold start of a one-request `martechgov check`: repeated runs, median and best.

    python bench/bench_start.py              # 15 runs of each, interleaved
    python bench/bench_start.py --runs 30

Each run is a new process, as a pre-commit hook or an editor integration starts one:
`check requests/hubspot-marketing-hub.yaml`, with `--no-cache` (everything from
scratch: imports, the policies parsed and checked, the engine compiled in a worker, the
request judged) and with a warm decision cache (a scratch MARTECHGOV_CACHE_DIR that a
first run filled). `python -c pass` (the interpreter alone) and `import martechgov.cli`
(martechgov's imports) are measured in the same rounds for reference, then the
heaviest imports by `python -X importtime`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE = "requests/hubspot-marketing-hub.yaml"
AS_OF = "2026-11-23"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system, children included) seconds of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def import_times(env: dict[str, str]) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) for `import martechgov.cli`, heaviest first."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import martechgov.cli"],
                         cwd=ROOT, env=env, capture_output=True, text=True).stderr
    found = []
    for line in err.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and len(match.group(2)) <= 5:  # top-level and direct imports only
            found.append((int(match.group(1)), match.group(3)))
    return sorted(found, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    cache = Path(tempfile.mkdtemp(prefix="martechgov-bench-cache-"))
    check = [sys.executable, "-m", "martechgov", "check", ONE, "--as-of", AS_OF]
    commands = {
        "`python -c pass` (the interpreter)": ([sys.executable, "-c", "pass"], env),
        "`import martechgov.cli`": ([sys.executable, "-c", "import martechgov.cli"], env),
        "`check` one request, `--no-cache`": ([*check, "--no-cache"], env),
        "`check` one request, cache warm": (check, {**env, "MARTECHGOV_CACHE_DIR": str(cache)}),
    }
    try:
        timed(*commands["`check` one request, cache warm"])  # fills the cache
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(options.runs):
            for name, (command, command_env) in commands.items():
                results[name].append(timed(command, command_env))
    finally:
        shutil.rmtree(cache)
    print(f"{options.runs} runs of each, interleaved; load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    print("| what | wall, median | wall, best | CPU (user+sys), median |")
    print("|---|---|---|---|")
    for name, runs in results.items():
        walls = [wall for wall, _ in runs]
        print(f"| {name} | {statistics.median(walls):.3f} s | {min(walls):.3f} s | "
              f"{statistics.median(cpu for _, cpu in runs):.3f} s |")
    print("\nheaviest imports of `import martechgov.cli` (python -X importtime, cumulative):")
    for micros, module in import_times(env)[:12]:
        print(f"  {micros / 1000:6.1f} ms  {module}")


if __name__ == "__main__":
    main()
