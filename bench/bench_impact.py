"""Benchmark `martechgov impact`: N requests judged under two policy revisions.

    python bench/bench_impact.py                  # N = 10,000, regorus
    python bench/bench_impact.py --requests 2000 --engines regorus regopy

A repository holds N generated requests and the real policies on `main`; the working
tree tightens one threshold. Each request file is parsed once and judged by both
revisions. Prints wall and CPU time and how many requests flip: with `--no-cache`
(cold), with an empty decision cache (a scratch MARTECHGOV_CACHE_DIR: cold, storing
both revisions' answers), again with it warm, and after editing the policy once more
(the base side answered from the cache, the new head judged): the loop of an IT author
tuning a change.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import make_repo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def impact(repo: Path, engine: str, extra: list[str], env: dict[str, str]
           ) -> tuple[float, float, dict[str, Any]]:
    """Wall and CPU seconds (workers included) and the JSON report of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "martechgov", "impact", "--base", "main", "--format", "json",
         "--as-of", "2026-11-23", "--engine", engine, *extra],
        cwd=repo, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--engines", nargs="+", default=None)
    options = parser.parse_args()
    engines = options.engines or ["regorus"]
    work = Path(tempfile.mkdtemp(prefix="martechgov-bench-impact-"))
    try:
        repo = make_repo(work / "repo", options.requests)
        thresholds = repo / "policies" / "data" / "thresholds.yaml"
        thresholds.write_text(thresholds.read_text().replace("sso_required_above_seats: 10",
                                                             "sso_required_above_seats: 4"))
        env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
        cache = work / "cache"
        for engine in engines:
            for label, extra, run_env in (
                    ("--no-cache", ["--no-cache"], env),
                    ("cache filling", [], {**env, "MARTECHGOV_CACHE_DIR": str(cache)}),
                    ("cache warm", [], {**env, "MARTECHGOV_CACHE_DIR": str(cache)}),
                    ("policy edited again (base warm)", [],
                     {**env, "MARTECHGOV_CACHE_DIR": str(cache)})):
                if label.startswith("policy edited"):  # IT tunes the change: new head
                    thresholds.write_text(thresholds.read_text().replace(
                        "sso_required_above_seats: 4", "sso_required_above_seats: 5"))
                wall, cpu, doc = impact(repo, engine, extra, run_env)
                print(f"impact, {engine}, {label}: {doc['total']:,} requests x 2 revisions in "
                      f"{wall:.1f} s wall, {cpu:.1f} s CPU; {len(doc['changed']):,} change")
            shutil.rmtree(cache)
            thresholds.write_text(thresholds.read_text().replace(
                "sso_required_above_seats: 5", "sso_required_above_seats: 4"))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
