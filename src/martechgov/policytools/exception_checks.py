"""`validate`'s look at IT's exceptions: every mistake in one pass, in plain words.

The file's shape comes from its model (a missing reason, a malformed date, `expires`
before `granted`, more than 365 days). Then each well-formed exception is compared
with the request it names: an unknown request or rule, a file that is not where that
request lives, a grant dated after today, and facts the request no longer states (the
exception then no longer applies: decision.rego checks the same facts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from martechgov.loader import parse_field_path
from martechgov.policy import parse_data_file
from martechgov.policy_data import Exceptions, PolicyException

Locate = Callable[..., str]  # path inside the exception -> "file:line:col"


@dataclass(frozen=True)
class KnownRequest:
    """A valid request file: where it lives and what the policies receive from it."""

    file: str
    values: dict[str, Any]


def exception_problems(raw: bytes, shown: str, requests: Mapping[str, list[KnownRequest]],
                       rule_ids: set[str], as_of: dt.date) -> tuple[int, list[str]]:
    """(number of exceptions, every problem as `file:line:col: message`)."""
    loaded = parse_data_file(raw, shown, Exceptions)
    problems = list(loaded.problems)
    value = loaded.document.value if loaded.document is not None else None
    items = value.get("exceptions") if isinstance(value, dict) else None
    if loaded.document is None or not isinstance(items, list):
        return 0, problems
    document = loaded.document
    valid = [_valid(item) for item in items]
    seen: dict[tuple[str, str, str, str], int] = {}
    for index, exception in enumerate(valid):
        if exception is None:
            continue  # the model's own messages are in `problems` already

        def at(*path: str | int, index: int = index) -> str:
            line, column = document.position(("exceptions", index, *path))
            return f"{shown}:{line}:{column}"

        problems.extend(_problems(exception, at, requests, rule_ids, as_of))
        # With every item well-formed the model reported duplicates itself.
        if exception.key in seen and None in valid:
            problems.append(f"{at('rule')}: a second exception for the same request, file, "
                            f"rule and field as exceptions[{seen[exception.key]}]; keep one")
        seen.setdefault(exception.key, index)
    return len(items), problems


def _valid(item: Any) -> PolicyException | None:
    try:
        return PolicyException.model_validate(item)
    except ValidationError:
        return None


def _problems(exception: PolicyException, at: Locate,
              requests: Mapping[str, list[KnownRequest]], rule_ids: set[str],
              as_of: dt.date) -> list[str]:
    problems = []
    known = requests.get(exception.request, [])
    if not known:
        problems.append(f"{at('request')}: exception for unknown request "
                        f"`{exception.request}` (no such id under the requests)")
    if exception.rule not in rule_ids:
        problems.append(f"{at('rule')}: exception for unknown rule `{exception.rule}` "
                        "(no policy produces it)")
    if exception.granted > as_of:
        problems.append(
            f"{at('granted')}: granted on {exception.granted}, after today ({as_of}): the "
            "exception does not apply before that day; set `granted` to the day IT "
            "approved it")
    request = next((r for r in known if r.file == exception.file), None)
    if known and request is None:
        problems.append(
            f"{at('file')}: request `{exception.request}` is in "
            f"{', '.join(r.file for r in known)}, not in {exception.file}, so the "
            "exception covers nothing; set `file` to the request's file")
    if request is not None:
        problems.extend(_stale_facts(exception, at, request))
    return problems


def _stale_facts(exception: PolicyException, at: Locate,
                 request: KnownRequest) -> list[str]:
    problems = []
    for field, granted in exception.facts.items():
        now = _value_at(request.values, parse_field_path(field))
        if _same(now, granted):
            continue
        problems.append(
            f"{at('facts', field)}: the exception was granted while `{field}` was "
            f"{_say(granted)}; the request now {_now(now)}, so the exception no longer "
            "applies. Check the change, then grant it again with the new facts or remove it")
    return problems


def _value_at(values: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(values, dict) and isinstance(part, str):
            values = values.get(part)
        elif isinstance(values, list) and isinstance(part, int) and part < len(values):
            values = values[part]
        else:
            return None
    return values


def _same(a: Any, b: Any) -> bool:
    """JSON equality as Rego sees it (true is not 1)."""
    return isinstance(a, bool) == isinstance(b, bool) and bool(a == b)


def _say(value: Any) -> str:
    return "left out" if value is None else f"`{value}`"


def _now(value: Any) -> str:
    return "leaves it out" if value is None else f"says `{value}`"
