"""What every "render X as format Y" shares: one registry shape, one JSON envelope, one
policy label and the wordings of decisions and exceptions.

Every report (check, impact, rereview, inventory, map, discover) is rendered the same
way (conftest's `Outputter`, check-jsonschema's `REPORTER_BY_NAME`): a `Registry` maps a
format name to a factory taking the `RenderContext`; the factory's `Renderer` writes the
report to a stream it is given. The names feed `click.Choice`; an unknown name is an
error, never a silent fallback.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TextIO, TypeVar

from martechgov import escape
from martechgov.errors import UsageError
from martechgov.result import Finding, PolicyInfo, RequestResult

JSON_VERSION = 1
T_contra = TypeVar("T_contra", contravariant=True)
T = TypeVar("T")

ICONS = {"approve": "✅", "review": "👀", "deny": "❌", "invalid": "⚠️"}
DECISION_WORDS = {"approve": "approved", "review": "needs review", "deny": "denied",
                  "invalid": "invalid"}


@dataclass(frozen=True)
class RenderContext:
    """What a renderer may depend on besides its report."""

    color: bool = False


class Renderer(Protocol[T_contra]):
    """Writes one report to a stream; decides nothing."""

    def write(self, report: T_contra, stream: TextIO) -> None: ...


Registry = Mapping[str, Callable[[RenderContext], Renderer[T]]]


def render(registry: Registry[T], name: str, report: T, stream: TextIO,
           context: RenderContext | None = None) -> None:
    """Render `report` in format `name` of `registry` to `stream`."""
    try:
        factory = registry[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; choose one of: "
                         f"{', '.join(registry)}") from None
    factory(context or RenderContext()).write(report, stream)


def rendered(registry: Registry[T], name: str, report: T) -> str:
    """`render` into a string."""
    buffer = io.StringIO()
    render(registry, name, report, buffer)
    return buffer.getvalue()


def within(text: str, limit: int, note: str) -> str:
    """`text`, or as many whole lines as fit in `limit` UTF-8 bytes followed by `note`
    (formatted with `lines`, how many were cut): a comment GitHub must accept."""
    if len(text.encode("utf-8")) <= limit:
        return text
    lines = text.splitlines(keepends=True)
    budget = limit - len(note.encode("utf-8")) - 16
    kept: list[str] = []
    for line in lines:
        budget -= len(line.encode("utf-8"))
        if budget < 0:
            break
        kept.append(line)
    return "".join(kept).rstrip("\n") + note.format(lines=len(lines) - len(kept))


def counted(number: int, noun: str) -> str:
    """`1 tool`, `1,234 tools`: a count and its noun (regular plurals only)."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def policy_label(policy: PolicyInfo) -> str:
    """`worktree (revision 1a2b3c4d5e6f)`: which rules judged."""
    return f"{policy.source} (revision {policy.revision[:12]})"


def policy_json(policy: PolicyInfo) -> dict[str, Any]:
    """Which rules judged: the content hash and where they came from."""
    doc: dict[str, Any] = {"revision": policy.revision, "source": policy.source}
    if policy.warning:
        doc["warning"] = policy.warning
    return doc


def envelope(as_of: dt.date, policy: PolicyInfo, **fields: Any) -> dict[str, Any]:
    """The head every JSON document starts with: version, as_of, policy, then fields."""
    return {"version": JSON_VERSION, "as_of": as_of.isoformat(), **fields,
            "policy": policy_json(policy)}


def exception_note(finding: Finding) -> str:
    """`excepted until 2027-01-31 by CISO: reason` or `exception expired on ...`."""
    exc = finding.exception
    if exc is None:
        return ""
    if exc.status == "active":
        return f"excepted until {exc.expires} by {exc.approved_by}: {exc.reason}"
    return f"exception expired on {exc.expires} (was approved by {exc.approved_by})"


def plain_text(text: str, limit: int = escape.LIMIT) -> str:
    """Untrusted text for a plain-text report: cut to `limit`, invisible characters
    shown (`escape.terminal`)."""
    return escape.terminal(escape.truncate(text, limit))


def paste_lines(finding: Finding) -> list[str]:
    """`paste after line 36:` and the YAML to add there, indented by two spaces; none
    when the finding has no YAML to paste. The YAML is martechgov's own (field names
    and values a fix names), still shown escaped."""
    if not finding.fix_yaml:
        return []
    return [f"paste after line {finding.line}:",
            *(f"  {escape.visible(line)}" for line in finding.fix_yaml.split("\n"))]


def finding_lines(result: RequestResult,
                  style: Callable[[str], str] = lambda level: level) -> list[str]:
    """`file:line:col level rule: message`, then the exception and the fix, indented;
    then the reviewers. Shared by the text and JUnit formats (`style` colours levels).
    Untrusted text is shown escaped and cut (`escape.terminal`, `escape.truncate`)."""
    lines = []
    file = plain_text(result.file)
    for f in result.findings:
        lines.append(f"{file}:{f.line}:{f.column} {style(f.level)} {f.rule}: "
                     f"{plain_text(f.message, escape.MESSAGE_LIMIT)}")
        note = exception_note(f)
        if note:
            lines.append(f"    {plain_text(note, escape.MESSAGE_LIMIT)}")
        if f.fix:
            lines.append(f"    fix: {plain_text(f.fix, escape.MESSAGE_LIMIT)}")
        lines.extend(f"    {line}" for line in paste_lines(f))
    if result.reviewers:
        lines.append(f"reviewers: {', '.join(result.reviewers)}")
    return lines
