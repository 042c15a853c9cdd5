"""`martechgov discover` output: table (terminal), markdown, csv and json.

Every format lists the same findings in the same order. Skipped rows and notes are part
of the markdown and json documents; with table and csv they are returned separately so
the command line can put them on stderr and keep stdout clean for the data.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from martechgov.discover.matching import DiscoverResult, Finding
from martechgov.escape import csv_cell

FORMATS = ("table", "markdown", "csv", "json")
JSON_VERSION = 1


def render(result: DiscoverResult, output_format: str) -> str:
    renderers: dict[str, Callable[[DiscoverResult], str]] = {
        "table": table, "markdown": markdown, "csv": csv_text, "json": json_text,
    }
    return renderers[output_format](result)


def side_notes(result: DiscoverResult) -> list[str]:
    """Skipped rows and notes, one line each, for formats that do not carry them."""
    return [*map(str, result.bad_rows), *(f"note: {note}" for note in result.notes)]


# --- cells ----------------------------------------------------------------------------

def money(spend: dict[str, Decimal], thousands: bool = True) -> str:
    if not spend:
        return "-"
    pattern = "{:,.2f} {}" if thousands else "{:.2f} {}"
    return "; ".join(pattern.format(amount, currency) for currency, amount in spend.items())


def request_cell(finding: Finding) -> str:
    if finding.request_id is None:
        return "-"
    return f"{finding.request_id} ({finding.request_decision})"


def _row(finding: Finding) -> list[str]:
    return [
        finding.tool, request_cell(finding), str(finding.users),
        ", ".join(finding.top_users) or "-", money(finding.spend),
        finding.first_seen.isoformat(), finding.last_seen.isoformat(), finding.category,
        ", ".join(finding.sources),
    ]


HEADINGS = ["TOOL", "REQUEST", "USERS", "TOP USERS", "SPEND", "FIRST SEEN", "LAST SEEN",
            "CATEGORY", "SEEN IN"]


def _headline(result: DiscoverResult) -> str:
    count = len(result.findings)
    what = (f"{count} tool{'s' if count != 1 else ''} in use without an approved request"
            if count else "no tools in use without an approved request")
    rows = sum(export.rows for export in result.exports)
    return (f"{what} (as of {result.as_of.isoformat()}; {_count(len(result.exports), 'export')}"
            f", {_count(rows, 'row')} read; {_count(result.approved_tools, 'approved request')}"
            f" and {_count(result.it_systems, 'IT system')})")


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _in_use_line(result: DiscoverResult) -> str:
    return ", ".join(f"{use.tool.name} ({_count(use.rows, 'row')})" for use in result.in_use)


# --- formats --------------------------------------------------------------------------

def table(result: DiscoverResult) -> str:
    lines = [f"Shadow IT: {_headline(result)}", ""]
    if result.findings:
        rows = [HEADINGS, *(_row(finding) for finding in result.findings)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
            lines.append("  ".join(cells).rstrip())
        lines.append("")
    if result.in_use:
        lines.append(f"Approved and in use: {_in_use_line(result)}")
    skipped = sum(export.skipped for export in result.exports)
    if skipped:
        lines.append(f"Skipped {skipped} bad row{'s' if skipped != 1 else ''} (listed on "
                     "stderr with file:line).")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(result: DiscoverResult) -> str:
    lines = [f"## Shadow IT: {_headline(result)}", ""]
    if result.findings:
        lines.append("| " + " | ".join(h.capitalize() for h in HEADINGS) + " |")
        lines.append("|---|---|---:|---|---:|---|---|---|---|")
        for finding in result.findings:
            cells = _row(finding)
            cells[1] = "" if cells[1] == "-" else cells[1]
            lines.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
        lines.append("")
    if result.in_use:
        lines += [f"**Approved and in use:** {_md(_in_use_line(result))}", ""]
    if result.bad_rows:
        lines += [f"### Skipped rows ({len(result.bad_rows)})", ""]
        lines += [f"- {_md(str(bad))}" for bad in result.bad_rows]
        lines.append("")
    if result.notes:
        lines += ["### Notes", ""]
        lines += [f"- {_md(note)}" for note in result.notes]
        lines.append("")
    return "\n".join(lines)


CSV_COLUMNS = ["tool", "vendor", "website", "category", "request", "request_decision",
               "sources", "users", "top_users", "spend", "spend_last_12_months",
               "first_seen", "last_seen", "rows", "seen_as"]


def csv_text(result: DiscoverResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in result.findings:
        cells = [
            f.tool, f.vendor, f.website or "", f.category, f.request_id or "",
            f.request_decision or "", "; ".join(f.sources), str(f.users),
            "; ".join(f.top_users),
            money(f.spend, thousands=False) if f.spend else "",
            money(f.spend_last_year, thousands=False) if f.spend_last_year else "",
            f.first_seen.isoformat(), f.last_seen.isoformat(), str(f.rows),
            "; ".join(f.seen_as),
        ]
        # Names and people come from exports and requests: a spreadsheet must not run them.
        writer.writerow([csv_cell(cell) for cell in cells])
    return out.getvalue()


def _amounts(spend: dict[str, Decimal]) -> dict[str, float]:
    return {currency: float(amount.quantize(Decimal("0.01")))
            for currency, amount in spend.items()}


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "tool": f.tool, "vendor": f.vendor, "website": f.website, "category": f.category,
        "request": ({"id": f.request_id, "decision": f.request_decision,
                     "file": f.request_file} if f.request_id else None),
        "sources": list(f.sources),
        "users": {"count": f.users, "top": list(f.top_users)},
        "spend": _amounts(f.spend), "spend_last_12_months": _amounts(f.spend_last_year),
        "first_seen": f.first_seen.isoformat(), "last_seen": f.last_seen.isoformat(),
        "rows": f.rows, "seen_as": list(f.seen_as),
    }


def json_text(result: DiscoverResult) -> str:
    document = {
        "version": JSON_VERSION,
        "as_of": result.as_of.isoformat(),
        "approved_requests": result.approved_tools,
        "it_systems": result.it_systems,
        "exports": [{"file": e.file, "kind": e.kind, "encoding": e.encoding,
                     "rows": e.rows, "skipped": e.skipped, "columns": e.columns}
                    for e in result.exports],
        "summary": {"findings": len(result.findings),
                    "rows": sum(e.rows for e in result.exports),
                    "skipped": sum(e.skipped for e in result.exports)},
        "findings": [finding_json(f) for f in result.findings],
        "approved_in_use": [{"id": u.tool.id, "tool": u.tool.name,
                             "decision": u.tool.decision, "rows": u.rows, "users": u.users,
                             "seen_as": list(u.seen_as)} for u in result.in_use],
        "skipped": [{"file": bad.file, "line": bad.line, "reason": bad.reason}
                    for bad in result.bad_rows],
        "notes": result.notes,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

