"""Bounded evaluation: a policy that crashes the engine, runs away or eats memory is exit 2
with a message naming the request (or the compile, or the Rego test): never a signal,
never a hang.

Every case runs the real CLI in a subprocess: before isolation these crashed the process
(exit 134 / 139), hung, or grew past 1.5 GB, which would take pytest down with them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import DATA, ROOT, add_rule_records

REQUEST = DATA / "good" / "minimal-tool.yaml"
HEAD = "package martech.rules.security\n\nimport rego.v1\n\n"
FIRES = '\tf := {"rule": "security.x", "message": "m", "fix": "f", "field": "id"}\n}\n'
RECURSIVE = "loop(n) := loop(n + 1)\n\n"
HUGE = "\tcount(numbers.range(1, 10000000)) > 1\n"  # > 1.5 GB in regopy
# time.now_ns() keeps an engine from working it out while compiling.
SLOW = ("\tn := 4000 + time.now_ns() % 2\n"
        "\tcount([1 | some i in numbers.range(1, n); some j in numbers.range(1, n); "
        "i == j + 99999]) > 1\n")


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)
    return target


def add_rule(policies: Path, source: str, name: str = "broken.rego") -> Path:
    path = policies / "security" / name
    path.write_text(HEAD + source)
    add_rule_records(policies, source)
    return path


def martechgov(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "martechgov", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def check(policies: Path, *args: str | Path, paths: tuple[str | Path, ...] = (REQUEST,)
          ) -> subprocess.CompletedProcess[str]:
    return martechgov("check", *paths, "--policies", policies, "--as-of", "2026-11-23", *args)


def assert_exit_2(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2 (not a signal: a negative return code), no report, and the words said."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


# -- native crashes ------------------------------------------------------------------


def rule_at(policies: Path, line: int) -> str:
    return f"in rule data.martech.rules.security.deny ({policies}/security/broken.rego:{line}, "


def test_a_recursive_function_that_crashes_regorus_is_exit_2(policies: Path) -> None:
    add_rule(policies, RECURSIVE + 'deny contains f if {\n\tloop(1) > 0\n' + FIRES)
    assert_exit_2(check(policies, "--engine", "regorus"),
                  "request 'minimal-tool': the Rego engine crashed (SIGSEGV, segmentation "
                  "fault) " + rule_at(policies, 7))


def test_the_same_recursion_on_regopy_names_the_function(policies: Path) -> None:
    add_rule(policies, RECURSIVE + 'deny contains f if {\n\tloop(1) > 0\n' + FIRES)
    assert_exit_2(check(policies, "--engine", "regopy"), "request 'minimal-tool'",
                  f"{policies}/security/broken.rego:5: data.martech.rules.security.loop calls "
                  "itself (recursion)")


def test_a_two_line_whole_input_with_no_longer_aborts_the_process(policies: Path) -> None:
    # The old text guard looked for `with input as` on one line; regopy aborts compiling it.
    rule = add_rule(policies, 'probe if {\n\tinput.request.tool.seats > 1\n}\n\n'
                              'deny contains f if {\n\tprobe with input\n'
                              '\t\tas {"request": {"tool": {"seats": 5}}}\n' + FIRES)
    assert_exit_2(check(policies, "--engine", "regopy"),
                  "compiling the policies: the Rego engine crashed (SIGABRT",
                  f"{rule.as_posix()}:10: "
                  "`with input as` replaces the whole input")


def test_a_whole_input_with_in_a_rego_test_crashes_only_its_worker(policies: Path) -> None:
    (policies / "security" / "crash_test.rego").write_text(
        "package martech.test.security.crash\n\nimport rego.v1\n\n"
        "test_crash if {\n\tdata.martech.decision with input as {}\n}\n")
    result = martechgov("test", "--policies", policies, "--engine", "regopy")
    assert_exit_2(result, "compiling the policies and their tests: the Rego engine crashed",
                  "crash_test.rego:6: `with input as`")


def test_a_policy_that_crashes_the_compiler_is_exit_2(policies: Path) -> None:
    # Every library is parsed (Rego v1, regorus's parser) before any engine compiles it,
    # in a bounded worker too: this nesting stops the parser there, never martechgov.
    # (regorus's parser takes minutes on this; parsing gets 3 x --eval-timeout)
    rule = add_rule(policies, "deep := " + "[" * 20000 + "1" + "]" * 20000 + "\n")
    assert_exit_2(check(policies, "--eval-timeout", "1"), f"parsing {rule.as_posix()}",
                  "took longer than 3 s")


@pytest.mark.parametrize(("engine", "words"), [
    ("regopy", "broken.rego:5: union: both arguments must be sets "
                 "(in data.martech.rules.security.bad)"),
    ("regorus", "broken.rego:5:8: `union` expects set argument"),
])
def test_a_type_error_is_exit_2_at_its_rule(policies: Path, engine: str, words: str) -> None:
    add_rule(policies, "bad := [1] | [2]\n\ndeny contains f if {\n\tcount(bad) > 5\n" + FIRES)
    assert_exit_2(check(policies, "--engine", engine), "request 'minimal-tool'",
                  f"{policies}/security/{words}")


# -- runaway rules -------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["regopy", "regorus"])
def test_a_runaway_rule_is_stopped_at_the_deadline(policies: Path, engine: str) -> None:
    add_rule(policies, "deny contains f if {\n" + SLOW + FIRES)
    assert_exit_2(check(policies, "--engine", engine, "--eval-timeout", "2"),
                  "request 'minimal-tool': took longer than 2 s (--eval-timeout), so it was "
                  "stopped " + rule_at(policies, 5))


def test_a_policy_that_takes_forever_to_compile_is_stopped(policies: Path) -> None:
    # (regorus's parser refuses a module over 20,000 lines: stay under it)
    add_rule(policies, "".join(f"r{i} if input.request.tool.seats == {i}\n"
                               for i in range(19000)))
    result = check(policies, "--engine", "regopy", "--eval-timeout", "1")
    assert_exit_2(result, "(--eval-timeout), so it was stopped")
    # Stopped while compiling (1 s), or, on a busy machine, already while parsing (the
    # parser's deadline is three times the evaluation's)
    assert re.search(r"compiling the policies: took longer than 1 s|"
                     r"parsing \S+broken\.rego: took longer than 3 s", result.stderr), result.stderr


def test_a_memory_blow_up_is_stopped_at_the_limit(policies: Path) -> None:
    add_rule(policies, "deny contains f if {\n" + HUGE + FIRES)
    assert_exit_2(check(policies, "--engine", "regopy", "--eval-memory", "256"),
                  "request 'minimal-tool': needed more than the memory limit of 256 MB "
                  "(--eval-memory), so it was stopped " + rule_at(policies, 5))


def test_a_rego_test_that_runs_away_is_named(policies: Path) -> None:
    # Compiling the library and its tests is a unit too: leave it time on a busy machine.
    (policies / "security" / "slow_test.rego").write_text(
        "package martech.test.security.slow\n\nimport rego.v1\n\ntest_slow if {\n"
        + SLOW.replace("4000", "8000") + "}\n")
    result = martechgov("test", "--policies", policies, "--eval-timeout", "3")
    assert_exit_2(result, "Rego test test_slow (", "slow_test.rego:5)", "took longer than 3 s")


# -- many requests in parallel workers: the culprit is named -------------------------


def many_requests(tmp_path: Path, count: int = 240) -> Path:
    folder = tmp_path / "requests"
    folder.mkdir()
    text = REQUEST.read_text()
    for index in range(count):
        (folder / f"req-{index:03d}.yaml").write_text(
            text.replace("id: minimal-tool", f"id: req-{index:03d}"))
    return folder


@pytest.mark.parametrize(("engine", "trigger", "words"), [
    ("regorus", '\tloop(1) > 0\n', "the Rego engine crashed (SIGSEGV"),
    ("regopy", HUGE, "memory limit of 256 MB"),
], ids=["crash", "memory"])
def test_in_a_big_run_the_request_that_fails_is_named(
        policies: Path, tmp_path: Path, engine: str, trigger: str, words: str) -> None:
    add_rule(policies, RECURSIVE + 'deny contains f if {\n\tinput.request.id == "req-173"\n'
             + trigger + FIRES)
    result = check(policies, "--engine", engine, "--eval-memory", "256", "--jobs", "2",
                   paths=(many_requests(tmp_path),))
    assert_exit_2(result, "request 'req-173'", words, rule_at(policies, 7))


def test_bounded_workers_give_the_same_answers_as_before(tmp_path: Path) -> None:
    folder = many_requests(tmp_path, 210)
    one = martechgov("check", folder, "--format", "json", "--jobs", "1", "--as-of", "2026-11-23")
    two = martechgov("check", folder, "--format", "json", "--jobs", "2", "--as-of", "2026-11-23")
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr  # duplicates
    assert one.stdout == two.stdout
    assert one.stdout.count('"decision": ') == 210
