"""`martechgov import tech-stack`: run it, and report what mapped and what did not.

Formats by name (the `rendering.Registry` shape): `text` for a person, `json` for tools.
Titles come from the imported file: each format escapes them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from martechgov import escape
from martechgov.check import CheckOptions, run_check
from martechgov.discover.drafts import Written, write_draft_files
from martechgov.discover.known import KnownTool, known_tools, system_tools
from martechgov.discover.techstack import (
    IGNORED,
    MAPPED,
    NOTED,
    WRITTEN_BY,
    TechStack,
    read_tech_stack,
)
from martechgov.policy import PolicySet
from martechgov.rendering import Registry
from martechgov.sources import display_path


@dataclass(frozen=True)
class ImportOptions:
    file: Path
    drafts: Path  # where the drafts go
    requests: Path  # the requests already there (a tool with one is not drafted again)
    policies: Path
    as_of: dt.date
    force: bool = False


@dataclass(frozen=True)
class ImportReport:
    stack: TechStack
    written: dict[int, Written]  # entry index -> what happened to its draft

    @property
    def exit_code(self) -> int:
        """1 when an entry could not be read, else 0."""
        return 1 if any(entry.problem for entry in self.stack.entries) else 0


def import_tech_stack(options: ImportOptions) -> ImportReport:
    stack = read_tech_stack(options.file, display_path(options.file), _known(options),
                            options.as_of)
    drafted = [entry for entry in stack.entries if entry.facts is not None]
    outcomes = write_draft_files([(entry.facts, None) for entry in drafted if entry.facts],
                                 options.drafts, WRITTEN_BY, options.as_of, options.force)
    return ImportReport(stack, {entry.index: outcome
                                for entry, outcome in zip(drafted, outcomes, strict=True)})


def _known(options: ImportOptions) -> list[KnownTool]:
    """The requests there are (judged once) and IT's systems; just the systems if none."""
    if options.requests.is_dir():
        report = run_check(CheckOptions([options.requests], options.policies, options.as_of,
                                        keep_requests=True))
        return known_tools(report)
    return system_tools(PolicySet.from_directory(options.policies).systems)


def entry_result(report: ImportReport, index: int) -> str:
    entry = report.stack.entries[index - 1]
    if entry.problem:
        return f"not read: {entry.problem}"
    if entry.skipped:
        return f"not drafted: {entry.skipped}"
    written = report.written[index]
    return f"draft {written.path}" if written.path else f"not written: {written.skipped}"


def field_groups(stack: TechStack) -> dict[str, list[tuple[str, int, str]]]:
    """mapped / noted / ignored / unknown -> (field, entries that had it, where it went)."""
    groups: dict[str, list[tuple[str, int, str]]] = {
        "mapped": [], "noted": [], "ignored": [], "unknown": []}
    for name, entries in sorted(stack.fields.items()):
        if name in MAPPED:
            groups["mapped"].append((name, len(entries), MAPPED[name]))
        elif name in NOTED:
            groups["noted"].append((name, len(entries), "notes"))
        elif name in IGNORED:
            groups["ignored"].append((name, len(entries), ""))
        else:
            groups["unknown"].append((name, len(entries), ""))
    return groups


class TextFormat:
    def write(self, report: ImportReport, stream: TextIO) -> None:
        stack, term = report.stack, escape.terminal
        drafted = sum(1 for w in report.written.values() if w.path)
        lines = [f"Imported {len(stack.entries)} entries from {term(stack.file)} (as of "
                 f"{stack.as_of.isoformat()}): {drafted} drafts written", ""]
        for entry in stack.entries:
            title = term(escape.one_line(entry.title or "(no title)"))[:60]
            lines.append(f"{entry.index:>4}  line {entry.line:<6} {title}: "
                         f"{term(entry_result(report, entry.index))}")
        groups = field_groups(stack)
        lines += ["", "What mapped (tech-stack field -> request field, entries):"]
        lines += [f"  {term(n)} -> {where} ({count})" for n, count, where in groups["mapped"]]
        for key, heading in (("noted", "Kept in each draft's notes"),
                             ("ignored", "Not used (GitLab's own bookkeeping)"),
                             ("unknown", "Not a tech-stack field we know, not used")):
            if groups[key]:
                lines.append(f"{heading}: " + ", ".join(
                    f"{term(escape.one_line(n))} ({count})" for n, count, _ in groups[key]))
        lines += ["", "Every draft is a request to finish: answer its TODOs, then "
                      "`martechgov check` it."]
        stream.write("\n".join(lines) + "\n")


class JsonFormat:
    def write(self, report: ImportReport, stream: TextIO) -> None:
        stack = report.stack
        document: dict[str, Any] = {
            "version": 1, "as_of": stack.as_of.isoformat(), "file": stack.file,
            "entries": [{
                "entry": e.index, "line": e.line, "title": e.title,
                "draft": str(report.written[e.index].path)
                if e.index in report.written and report.written[e.index].path else None,
                "result": entry_result(report, e.index)} for e in stack.entries],
            "fields": {key: {name: {"entries": count, **({"to": where} if where else {})}
                             for name, count, where in group}
                       for key, group in field_groups(stack).items()},
        }
        stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


IMPORT_FORMATS: Registry[ImportReport] = {
    "text": lambda ctx: TextFormat(),
    "json": lambda ctx: JsonFormat(),
}
