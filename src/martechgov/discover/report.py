"""`martechgov discover` output formats by name (the `rendering.Registry` shape).

Every format lists the same shadow tools in the same order and decides nothing. Skipped
rows and notes are part of the markdown and json documents; table and csv leave them to
`side_notes`, which the command line writes to stderr so that stdout stays clean data.
Names, people and merchants come from exports and requests, so each format passes them
through its language's escaper (`escape`).
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from typing import Any, TextIO

from martechgov import escape
from martechgov.discover.model import DiscoverResult, InUse, ShadowTool
from martechgov.money import amounts_text, plain_number
from martechgov.rendering import DECISION_WORDS, Registry, counted, envelope

FORMATS: Registry[DiscoverResult] = {
    "table": lambda ctx: TableFormat(),
    "markdown": lambda ctx: MarkdownFormat(),
    "csv": lambda ctx: CsvFormat(),
    "json": lambda ctx: JsonFormat(),
}
# Formats whose document has no place for skipped rows and notes: see `side_notes`.
NOTES_ON_STDERR = frozenset({"table", "csv"})


def side_notes(result: DiscoverResult) -> list[str]:
    """Skipped rows and notes, one line each, for formats that do not carry them."""
    return [*map(str, result.bad_rows), *(f"note: {note}" for note in result.notes)]


# --- shared cells ---------------------------------------------------------------------

HEADINGS = ["TOOL", "REQUEST", "USERS", "TOP USERS", "SPEND", "FIRST SEEN", "LAST SEEN",
            "CATEGORY", "SEEN IN"]


def request_cell(tool: ShadowTool) -> str:
    if tool.request_id is None:
        return "-"
    return f"{tool.request_id} ({tool.request_decision})"


def _row(tool: ShadowTool) -> list[str]:
    return [
        tool.name, request_cell(tool), str(tool.users), ", ".join(tool.top_users) or "-",
        amounts_text(tool.spend) or "-", tool.first_seen.isoformat(),
        tool.last_seen.isoformat(), tool.category, ", ".join(tool.sources),
    ]


def _headline(result: DiscoverResult) -> str:
    count = len(result.shadow_tools)
    what = (f"{count} tool{'s' if count != 1 else ''} in use without an approved request"
            if count else "no tools in use without an approved request")
    rows = sum(export.rows for export in result.exports)
    return (f"{what} (as of {result.as_of.isoformat()}; {counted(len(result.exports), 'export')}"
            f", {counted(rows, 'row')} read; {counted(result.approved_tools, 'approved request')}"
            f" and {counted(result.it_systems, 'IT system')})")




def _in_use_line(result: DiscoverResult) -> str:
    """`Zoom Webinars (98 rows), HubSpot Marketing Hub (85 rows; proposed: in review)`."""
    return ", ".join(f"{use.tool.name} ({counted(use.rows, 'row')}{_status_note(use)})"
                     for use in result.in_use)


def _status_note(use: InUse) -> str:
    # An approved tool seen in use is in use; one still in review is only proposed.
    if use.tool.status == "in use" or use.tool.is_system:
        return ""
    return f"; {use.tool.status}: {DECISION_WORDS.get(use.tool.decision, use.tool.decision)}"


# --- formats --------------------------------------------------------------------------

class TableFormat:
    """Aligned columns for a terminal."""

    def write(self, result: DiscoverResult, stream: TextIO) -> None:
        lines = [f"Shadow IT: {_headline(result)}", ""]
        if result.shadow_tools:
            rows = [HEADINGS, *([escape.terminal(cell) for cell in _row(tool)]
                                for tool in result.shadow_tools)]
            widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
            for row in rows:
                cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
                lines.append("  ".join(cells).rstrip())
            lines.append("")
        if result.in_use:
            lines.append(f"Approved and in use: {escape.terminal(_in_use_line(result))}")
        skipped = sum(export.skipped for export in result.exports)
        if skipped:
            lines.append(f"Skipped {skipped} bad row{'s' if skipped != 1 else ''} (listed "
                         "on stderr with file:line).")
        stream.write("\n".join(lines) + "\n")


class MarkdownFormat:
    """A pull-request comment or a step summary: the table, then skipped rows and notes."""

    def write(self, result: DiscoverResult, stream: TextIO) -> None:
        md = escape.markdown
        lines = [f"## Shadow IT: {_headline(result)}", ""]
        if result.shadow_tools:
            lines.append("| " + " | ".join(h.capitalize() for h in HEADINGS) + " |")
            lines.append("|---|---|---:|---|---:|---|---|---|---|")
            for tool in result.shadow_tools:
                cells = _row(tool)
                cells[1] = "" if cells[1] == "-" else cells[1]
                lines.append("| " + " | ".join(md(cell) for cell in cells) + " |")
            lines.append("")
        if result.in_use:
            lines += [f"**Approved and in use:** {md(_in_use_line(result))}", ""]
        if result.bad_rows:
            lines += [f"### Skipped rows ({len(result.bad_rows)})", ""]
            lines += [f"- {md(str(bad))}" for bad in result.bad_rows]
            lines.append("")
        if result.notes:
            lines += ["### Notes", ""]
            lines += [f"- {md(note)}" for note in result.notes]
            lines.append("")
        stream.write("\n".join(lines))


CSV_COLUMNS = ["tool", "vendor", "website", "category", "request", "request_decision",
               "sources", "users", "top_users", "spend", "spend_last_12_months",
               "first_seen", "last_seen", "rows", "seen_as"]


class CsvFormat:
    """One row per shadow tool, for a spreadsheet."""

    def write(self, result: DiscoverResult, stream: TextIO) -> None:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for tool in result.shadow_tools:
            # Names and people come from exports and requests: a spreadsheet must not
            # run them as formulas.
            writer.writerow([escape.csv_cell(cell) for cell in _csv_cells(tool)])


def _csv_cells(tool: ShadowTool) -> list[str]:
    return [
        tool.name, tool.vendor, tool.website or "", tool.category, tool.request_id or "",
        tool.request_decision or "", "; ".join(tool.sources), str(tool.users),
        "; ".join(tool.top_users), amounts_text(tool.spend),
        amounts_text(tool.spend_last_year), tool.first_seen.isoformat(),
        tool.last_seen.isoformat(), str(tool.rows), "; ".join(tool.seen_as),
    ]


class JsonFormat:
    """The machine-readable result, with the head every martechgov JSON document has."""

    def write(self, result: DiscoverResult, stream: TextIO) -> None:
        # "findings" is the document's published key for the shadow tools: kept as is.
        document = envelope(
            result.as_of, result.policy,
            approved_requests=result.approved_tools,
            it_systems=result.it_systems,
            exports=[{"file": e.file, "kind": e.kind, "encoding": e.encoding,
                      "rows": e.rows, "skipped": e.skipped, "columns": e.columns}
                     for e in result.exports],
            summary={"findings": len(result.shadow_tools),
                     "rows": sum(e.rows for e in result.exports),
                     "skipped": sum(e.skipped for e in result.exports)},
            findings=[shadow_tool_json(tool) for tool in result.shadow_tools],
            approved_in_use=[{"id": u.tool.id, "tool": u.tool.name,
                              "decision": u.tool.decision, "status": u.tool.status,
                              "rows": u.rows, "users": u.users,
                              "seen_as": list(u.seen_as)} for u in result.in_use],
            skipped=[{"file": bad.file, "line": bad.line, "reason": bad.reason}
                     for bad in result.bad_rows],
            notes=result.notes,
        )
        stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _amounts(spend: dict[str, Decimal]) -> dict[str, int | float]:
    return {currency: plain_number(amount.quantize(Decimal("0.01")))
            for currency, amount in spend.items()}


def shadow_tool_json(tool: ShadowTool) -> dict[str, Any]:
    return {
        "tool": tool.name, "vendor": tool.vendor, "website": tool.website,
        "category": tool.category,
        "request": ({"id": tool.request_id, "decision": tool.request_decision,
                     "status": tool.request_status, "file": tool.request_file}
                    if tool.request_id else None),
        "sources": list(tool.sources),
        "users": {"count": tool.users, "top": list(tool.top_users)},
        "spend": _amounts(tool.spend), "spend_last_12_months": _amounts(tool.spend_last_year),
        "first_seen": tool.first_seen.isoformat(), "last_seen": tool.last_seen.isoformat(),
        "rows": tool.rows, "seen_as": list(tool.seen_as),
    }
