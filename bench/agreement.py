"""How often each embedded engine gives real OPA's answer, on the conformance corpus.

    python bench/agreement.py            # the figures README "Engines and performance" cites
    python bench/agreement.py --show 20  # and the first differences, in full

The corpus (tests/conformance/corpus.py): the example requests, requests from
bench/generate.py and mutants of the examples. Every case goes through `check`'s loader
and input document; OPA is opa-golib-python-bindings (OPA's Go evaluator, in-process).
The conformance test (tests/conformance/test_corpus.py) fails on any difference.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conformance import corpus, harness  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print this many differences")
    args = parser.parse_args()
    start = time.perf_counter()
    cases = corpus.corpus()
    judged = harness.prepare(cases)
    loaded = time.perf_counter()
    answers = harness.evaluate_all(judged, [harness.ORACLE, *harness.EMBEDDED])
    done = time.perf_counter()
    kinds = collections.Counter(case.name.split(":")[0] for case in cases)
    print("corpus: " + ", ".join(f"{n:,} {k}" for k, n in sorted(kinds.items())))
    for line in harness.agreement(judged, answers):
        print(line)
    found = harness.differences(judged, answers)
    by_path = collections.Counter(
        (d.engine, d.case.name.split(":")[2].split("#")[0] if d.case.name.startswith("mutant")
         else d.case.name.split(":")[0]) for d in found)
    for (engine, path), count in sorted(by_path.items()):
        print(f"  {engine:9} {path}: {count}")
    for difference in found[:args.show]:
        print(difference)
    print(f"load + input documents {loaded - start:.1f} s; three engines on 2 processes "
          f"{done - loaded:.1f} s")


if __name__ == "__main__":
    main()
