"""Benchmark the remote engine: N requests through OpaEngine against the fake OPA server.

    python bench/bench_opa.py                       # 10,000 requests, bundle mode
    python bench/bench_opa.py --n 2000 --mode push --concurrency 8 --verify --cli

The server is tests/fakes/opa_server.py (Python's http.server + regorus) in its own process on
127.0.0.1, serving the bundle of policies/ (bundle mode) or receiving our upload (push
mode). Its own speed is part of the figure: one Python process parsing HTTP and JSON
and evaluating serially, on the same 2 cores as the client. A real OPA (Go, all cores,
compiled policy) answers faster, so on real OPA the client is the limit.

Prints the wall time of OpaEngine.evaluate over all N input documents (the engine as
`check` uses it) and requests per second; --verify compares every answer with regorus
in this process; --cli also times the whole `martechgov check DIR --engine opa` run
(which also reads and validates the N YAML files, in one process: a remote engine is
not forked).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "fakes"))
from generate import generate  # noqa: E402
from opa_server import FakeOpa, wait_until_healthy  # noqa: E402

from martechgov.engines import EngineSettings  # noqa: E402
from martechgov.engines.opa import OpaEngine  # noqa: E402
from martechgov.engines.regorus_engine import RegorusEngine  # noqa: E402
from martechgov.inputdoc import input_document  # noqa: E402
from martechgov.loader import load_request  # noqa: E402
from martechgov.policy import PolicySet  # noqa: E402
from martechgov.policytools.bundle import bundle_bytes  # noqa: E402

AS_OF = dt.date(2026, 11, 23)


def serve(bundle: bytes | None, channel: Connection) -> None:
    """The fake OPA server's process: serve until terminated."""
    server = FakeOpa()
    if bundle is not None:
        server.load_bundle(bundle)
    channel.send(server.url)
    server.serve_forever()


def start_server(bundle: bytes | None) -> tuple[Any, str]:
    """The server in its own (forked) process, so it has a core of its own."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=serve, args=(bundle, child), daemon=True)
    process.start()
    url = str(parent.recv())
    wait_until_healthy(url)
    return process, url


def load_inputs(directory: Path) -> list[dict[str, Any]]:
    items = [load_request(path) for path in sorted(directory.glob("*.yaml"))]
    return [input_document(item.request, AS_OF, item.file) for item in items
            if item.request is not None]


def time_engine(url: str, mode: str, concurrency: int, policy: PolicySet,
                inputs: list[dict[str, Any]]) -> tuple[float, list[Any]]:
    engine = OpaEngine(EngineSettings(opa_url=url, opa_mode=mode,
                                      opa_concurrency=concurrency))
    engine.load(policy)
    start = time.perf_counter()
    answers = engine.evaluate(inputs)
    wall = time.perf_counter() - start
    engine.close()
    return wall, answers


def time_cli(url: str, mode: str, directory: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "martechgov", "check", str(directory),
                           "--engine", "opa", "--opa-url", url, "--opa-mode", mode,
                           "--as-of", AS_OF.isoformat(), "--format", "json"],
                          cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"martechgov check failed ({done.returncode}): {done.stderr}")
    return time.perf_counter() - start


def verify(policy: PolicySet, inputs: list[dict[str, Any]], answers: list[Any]) -> None:
    reference = RegorusEngine()
    reference.load(policy)
    if reference.evaluate(inputs) != answers:
        raise SystemExit("the OPA engine's answers differ from regorus in this process")
    print(f"verified: all {len(answers)} answers equal regorus in-process")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--mode", choices=["push", "bundle"], default="bundle")
    parser.add_argument("--concurrency", type=int, default=EngineSettings().opa_concurrency)
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--cli", action="store_true")
    options = parser.parse_args()
    policy = PolicySet.from_directory(ROOT / "policies")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"{dt.date.today().isoformat()}; fake OPA (http.server + regorus) in its own "
          "process on 127.0.0.1")
    with tempfile.TemporaryDirectory(prefix="martechgov-bench-opa-") as work:
        directory = Path(work)
        generate(options.n, directory)
        inputs = load_inputs(directory)
        process, url = start_server(bundle_bytes(policy) if options.mode == "bundle" else None)
        try:
            wall, answers = time_engine(url, options.mode, options.concurrency, policy, inputs)
            decisions = [a["decision"] for a in answers]
            mix = ", ".join(f"{d} {decisions.count(d)}" for d in ("approve", "review", "deny"))
            print(f"OpaEngine.evaluate, {options.mode} mode, concurrency "
                  f"{options.concurrency}: {len(inputs):,} requests in {wall:.1f} s = "
                  f"{len(inputs) / wall:,.0f} requests/s ({mix})")
            if options.verify:
                verify(policy, inputs, answers)
            if options.cli:
                cli = time_cli(url, options.mode, directory)
                print(f"martechgov check --engine opa (whole CLI, YAML loading included): "
                      f"{cli:.1f} s = {len(inputs) / cli:,.0f} requests/s")
        finally:
            process.terminate()
            process.join()


if __name__ == "__main__":
    main()
