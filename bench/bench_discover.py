"""Benchmark `martechgov discover`: a 100,000-row card export against 1,000 approved tools.

    python bench/bench_discover.py                  # 100,000 rows, 1,000 tools
    python bench/bench_discover.py --rows 20000 --tools 500 --no-cli

Generates (deterministically) 1,000 tools with distinct made-up brand names and a card
export whose merchants are written the way card statements write them ("SQ *ZENTROVA
888-555", "ZENTROVA INC BOSTON MA", "ZENTORVA.COM", typos included), plus unknown SaaS
merchants (the shadow IT to find), real descriptors of well-known tools from the labelled
corpus (tests/data/merchants: named through the built-in catalog, with new reference
numbers on every row) and travel and meal spend. Then it times:

1. the library path in this process, with the 1,000 tools as an in-memory inventory of
   approved requests: read and normalise the CSV, match every row through the real
   matching code (exact and domain indexes, then rapidfuzz on what is left), add up the
   shadow tools and render the table. Target: <= 10 s on the 2-core reference machine.
2. the real command line, end to end, with the same tools written as 1,000 request
   files (bench/generate.py, renamed): judging them with the policies is included.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from martechgov.discover.exports import read_export  # noqa: E402
from martechgov.discover.known import KnownTool  # noqa: E402
from martechgov.discover.matching import discover  # noqa: E402
from martechgov.discover.report import FORMATS  # noqa: E402
from martechgov.rendering import render  # noqa: E402
from martechgov.result import PolicyInfo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 23)
TARGET_SECONDS = 10.0
# Consonant-vowel syllables, three or four to a name: made-up brands that, like real
# ones, are rarely one typo away from each other.
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
CITIES = ["BOSTON MA", "SAN FRANCISCO CA", "NEW YORK NY", "AUSTIN TX", "DUBLIN IE", ""]
# The in-memory inventory is not judged by any policies; the result still names its source.
POLICY = PolicyInfo("bench", "in-memory inventory")


def brands(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))))
    return sorted(names)


def noisy(brand: str, rng: random.Random) -> str:
    """A card-statement spelling of a brand."""
    name = brand.upper()
    if rng.random() < 0.05 and len(name) > 6:  # a typo: two letters swapped
        i = rng.randrange(1, len(name) - 2)
        name = name[:i] + name[i + 1] + name[i] + name[i + 2:]
    form = rng.randrange(6)
    if form == 0:
        return f"SQ *{name} {rng.randrange(200, 999)}-{rng.randrange(100, 999)}"
    if form == 1:
        return f"{name} INC {rng.choice(CITIES)}".strip()
    if form == 2:
        return f"{name}.COM"
    if form == 3:
        return f"PAYPAL *{name}"
    if form == 4:
        return f"{name}* {rng.randrange(10**8, 10**9)}"
    return name


# Card descriptors of well-known tools, as the labelled corpus writes them.
WELL_KNOWN = [row["text"] for row in csv.DictReader(
    (ROOT / "tests" / "data" / "merchants" / "corpus.csv").open(encoding="utf-8"))
    if row["source"] == "card" and row["label"] != "-"]


def write_export(path: Path, approved: list[str], unknown: list[str], rows: int,
                 rng: random.Random) -> int:
    """Write the export; returns how many rows are charges of approved tools."""
    approved_rows = 0
    people = [f"Person {i}" for i in range(400)]
    start = AS_OF - dt.timedelta(days=450)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["Transaction Date", "Merchant", "Amount", "Currency", "Employee",
                         "Category"])
        for _ in range(rows):
            roll = rng.random()
            if roll < 0.5:
                merchant, category = noisy(rng.choice(approved), rng), "Software"
                approved_rows += 1
            elif roll < 0.75:
                merchant, category = noisy(rng.choice(unknown), rng), "Subscriptions"
            elif roll < 0.9:
                merchant = f"{rng.choice(WELL_KNOWN)} {rng.randrange(10**6, 10**7)}"
                category = "Software"
            else:
                merchant = rng.choice(["UBER *TRIP", "DELTA AIR LINES", "STARBUCKS 1234"])
                category = "Travel"
            day = start + dt.timedelta(days=rng.randrange(450))
            writer.writerow([day.isoformat(), merchant, f"{rng.randrange(100, 500_000) / 100:.2f}",
                             rng.choice(["USD", "USD", "EUR"]), rng.choice(people), category])
    return approved_rows


def inventory(approved: list[str]) -> list[KnownTool]:
    return [KnownTool(f"tool-{i:05d}", f"{brand.capitalize()} Cloud", f"{brand.capitalize()} Inc.",
                      f"https://www.{brand}.com", "approve", approved=True)
            for i, brand in enumerate(approved)]


def bench_library(export: Path, known: list[KnownTool]) -> tuple[float, str]:
    start, cpu = time.perf_counter(), time.process_time()
    result = discover([read_export(export, export.name)], known, AS_OF, POLICY)
    stream = io.StringIO()
    render(FORMATS, "table", result, stream)
    table = stream.getvalue()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu  # less sensitive than wall time to a busy machine
    matched = sum(use.rows for use in result.in_use)
    summary = (f"{cpu:.2f} s CPU; "
               f"{sum(e.rows for e in result.exports):,} rows, {len(result.shadow_tools):,} "
               f"shadow tools, {matched:,} rows matched {len(result.in_use):,} approved tools, "
               f"{len(table.splitlines()):,} table lines")
    return wall, summary


def request_files(directory: Path, approved: list[str]) -> None:
    """bench/generate.py's requests, renamed to the benchmark's brands."""
    for path, brand in zip(generate(len(approved), directory), approved, strict=True):
        document = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
        document["tool"].update(name=f"{brand.capitalize()} Cloud",
                                vendor=f"{brand.capitalize()} Inc.",
                                website=f"https://www.{brand}.com")
        path.write_text(yaml.dump(document, Dumper=yaml.CSafeDumper, sort_keys=False))


def bench_cli(export: Path, requests: Path) -> float:
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "martechgov", "discover", str(export), "--requests",
         str(requests), "--policies", str(ROOT / "policies"), "--as-of", AS_OF.isoformat(),
         "--format", "json"], capture_output=True, check=False)
    wall = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"discover failed ({process.returncode}): {process.stderr.decode()}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tools", type=int, default=1_000)
    parser.add_argument("--no-cli", action="store_true", help="Skip the end-to-end CLI run.")
    args = parser.parse_args()
    rng = random.Random(11)
    names = brands(rng, args.tools * 2)
    rng.shuffle(names)
    approved, unknown = sorted(names[:args.tools]), sorted(names[args.tools:])
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "expenses.csv"
        approved_rows = write_export(export, approved, unknown, args.rows, rng)
        wall, summary = bench_library(export, inventory(approved))
        verdict = "OK" if wall <= TARGET_SECONDS else f"SLOWER than {TARGET_SECONDS:.0f} s"
        print(f"discover (library, in-memory inventory of {args.tools:,} approved tools): "
              f"{wall:.2f} s wall [{verdict}]; {summary} (the export has {approved_rows:,} "
              "rows of approved tools)")
        if not args.no_cli:
            requests = Path(tmp) / "requests"
            request_files(requests, approved)
            cli_wall = bench_cli(export, requests)
            print(f"martechgov discover (CLI, {args.tools:,} request files judged first): "
                  f"{cli_wall:.2f} s wall")


if __name__ == "__main__":
    main()
