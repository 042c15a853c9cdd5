"""What the GitHub Actions runner reads from a step's log: its workflow commands.

Follows actions/runner (src/Runner.Common/ActionCommand.cs, ActionCommandManager.cs):
a line is split like .NET's ReadLine (at `\\n`, `\\r` or `\\r\\n`); the modern form
`::name props::data` must start the line after leading whitespace; the legacy form
`##[name props]data` is found ANYWHERE in the line; only registered names count; and
`::stop-commands::TOKEN` ignores everything until `::TOKEN::`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

REGISTERED = {"add-mask", "add-path", "add-matcher", "remove-matcher", "debug", "warning",
              "error", "notice", "group", "endgroup", "echo", "set-env", "set-output",
              "save-state", "stop-commands"}


@dataclass(frozen=True)
class Command:
    name: str
    data: str
    properties: dict[str, str] = field(default_factory=dict)


def _unescape(text: str, property_value: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")]
    if property_value:
        pairs += [("%3A", ":"), ("%2C", ",")]
    for escaped, char in [*pairs, ("%25", "%")]:
        text = text.replace(escaped, char)
    return text


def _parse_v2(line: str, registered: set[str]) -> Command | None:
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info = line[2:end]
    name, _, props = info.partition(" ")
    if name not in registered:
        return None
    properties = {}
    for pair in filter(None, props.strip().split(",")):
        key, sep, value = pair.partition("=")
        if sep and key and value:
            properties[key] = _unescape(value, property_value=True)
    return Command(name, _unescape(line[end + 2:], property_value=False), properties)


def _parse_v1(line: str, registered: set[str]) -> Command | None:
    start = line.find("##[")
    if start < 0:
        return None
    end = line.find("]", start)
    if end < 0:
        return None
    name = line[start + 3:end].partition(" ")[0]
    return Command(name, line[end + 1:]) if name in registered else None


def commands(log: str) -> list[Command]:
    """Every workflow command the runner would act on in `log`."""
    registered = set(REGISTERED)
    stop_token: str | None = None
    found = []
    for line in re.split(r"\r\n|\r|\n", log):
        command = _parse_v2(line, registered) or _parse_v1(line, registered)
        if command is None:
            continue
        if stop_token is not None:
            if command.name == stop_token:
                registered.discard(stop_token)
                stop_token = None
            continue
        if command.name == "stop-commands":
            stop_token = command.data
            registered.add(stop_token)
            continue
        found.append(command)
    return found
