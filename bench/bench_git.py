"""Benchmark `martechgov check --base`: a repository with N requests, 3 of them changed.

    python bench/bench_git.py            # N = 10,000

Only the changed files are read and parsed, and the policies come from the base
commit's tree, so the figure should not grow with N. Prints wall time (best of 5).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import git, make_repo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="martechgov-bench-git-"))
    try:
        repo = make_repo(work / "repo", options.requests)
        git(repo, "checkout", "-q", "-b", "feature")
        for path in sorted((repo / "requests").glob("*.yaml"))[:3]:
            path.write_text(path.read_text().replace("seats: ", "seats: 1"))
        git(repo, "commit", "-qam", "change three requests")
        times = []
        for _ in range(5):
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "martechgov", "check", "--base",
                                     "main", "--format", "json", "--as-of", "2026-11-23"],
                                    cwd=repo, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if result.returncode not in (0, 1):
                raise SystemExit(result.stderr)
        checked = result.stdout.count('"file":')
        print(f"check --base main: {options.requests:,} requests in the repository, "
              f"{checked} checked, best of 5: {min(times):.2f} s wall")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
