"""CI runs exactly the README's test command: if the two ever differ, CI is lying."""

from __future__ import annotations

import re

from ..conftest import ROOT


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quickstart\n.*?```sh\n(.*?)```", readme, re.DOTALL)
    assert block is not None, "README has no Quickstart code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_quickstart_has_exactly_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert commands[0].endswith("martechgov check")
    assert commands[1].endswith("pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quickstart_commands()[1] in ci.splitlines()
