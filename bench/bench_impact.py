"""Benchmark `martechgov impact`: N requests judged under two policy revisions.

    python bench/bench_impact.py                  # N = 10,000, every engine installed
    python bench/bench_impact.py --requests 2000 --engines embedded

A repository holds N generated requests and the real policies on `main`; the working
tree tightens one threshold. Each request file is parsed once and judged by both
revisions. Prints wall time and how many requests flip.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import installed_engines, make_repo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--engines", nargs="+", default=None)
    options = parser.parse_args()
    engines = options.engines or installed_engines()
    work = Path(tempfile.mkdtemp(prefix="martechgov-bench-impact-"))
    try:
        repo = make_repo(work / "repo", options.requests)
        thresholds = repo / "policies" / "data" / "thresholds.yaml"
        thresholds.write_text(thresholds.read_text().replace("sso_required_above_seats: 10",
                                                             "sso_required_above_seats: 4"))
        for engine in engines:
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "martechgov", "impact", "--base", "main", "--format",
                 "json", "--as-of", "2026-11-23", "--engine", engine],
                cwd=repo, capture_output=True, text=True)
            wall = time.perf_counter() - start
            if result.returncode != 0:
                raise SystemExit(result.stderr)
            doc = json.loads(result.stdout)
            print(f"impact, {engine}: {doc['total']:,} requests x 2 revisions in {wall:.1f} s "
                  f"wall; {len(doc['changed']):,} change")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
