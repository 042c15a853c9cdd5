"""Output formats of `martechgov inventory`: table (terminal), csv, json, markdown.

Like the check formatters (the `rendering.Registry` shape): small classes that render
an Inventory to an injected stream and decide nothing. Every text cell comes from a
request file someone typed, so each format passes it through its language's escaper
(`martechgov.escape`): terminal control characters, spreadsheet formulas, Markdown.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TextIO

from martechgov import escape
from martechgov.leadership.inventory import (
    Group,
    Inventory,
    InventoryRow,
    cost_text,
    due_text,
    due_window_end,
    lapse_text,
    summary_counts,
)
from martechgov.money import amounts_text, plain_number
from martechgov.rendering import Registry, envelope, policy_label

_COLUMNS = ("tool", "vendor", "category", "decision", "personal data", "business owner",
            "technical owner", "annual cost", "renewal", "cancel by", "next lapse")
_MAX_WIDTH = 40  # table cells are cut here so one long name cannot push the rest away
_FREE_TEXT = frozenset({"tool", "vendor", "business owner", "technical owner"})


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def row_cells(row: InventoryRow) -> list[str]:
    """The display cells of a row, in _COLUMNS order (due first when present)."""
    return [row.tool, row.vendor or "", row.category or "", row.decision,
            row.personal_data or "", row.business_owner or "", row.technical_owner or "",
            cost_text(row), _date(row.renewal), _date(row.cancel_by), lapse_text(row)]


def title(inventory: Inventory) -> str:
    as_of = inventory.as_of.isoformat()
    if inventory.window_days is None:
        return f"Martech inventory as of {as_of}"
    end = due_window_end(inventory.as_of, inventory.window_days).isoformat()
    return (f"Due within {inventory.window_days} days of {as_of} (by {end}): renewals, "
            "cancellation deadlines and attestation lapses, soonest first")


def footer(inventory: Inventory) -> str:
    return (f"judged by policy {policy_label(inventory.policy)} as of "
            f"{inventory.as_of.isoformat()} with the {inventory.engine} engine")


def _headers_and_cells(inventory: Inventory) -> tuple[list[str], list[list[str]]]:
    headers = list(_COLUMNS)
    cells = [row_cells(row) for row in inventory.rows]
    if inventory.window_days is not None:
        headers.insert(0, "due")
        for row, line in zip(inventory.rows, cells, strict=True):
            line.insert(0, due_text(row))
    return headers, cells


def _group_lines(groups: dict[str, Group]) -> list[list[str]]:
    return [[name, str(group.count), amounts_text(group.annual)]
            for name, group in groups.items()]


# --- table -------------------------------------------------------------------------

def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]],
               right: frozenset[str] = frozenset(),
               cut: frozenset[str] = frozenset()) -> str:
    """A plain-text table: upper-case headers, columns two spaces apart.

    Cells of the `cut` columns (free text such as names) are shortened to _MAX_WIDTH.
    """
    cells = [[_cut(escape.terminal(c), _MAX_WIDTH) if h in cut else escape.terminal(c)
              for h, c in zip(headers, row, strict=True)] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]
    lines = []
    for row in [[h.upper() for h in headers], *cells]:
        parts = [cell.rjust(width) if header in right else cell.ljust(width)
                 for cell, width, header in zip(row, widths, headers, strict=True)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


class TableFormatter:
    def write(self, inventory: Inventory, stream: TextIO) -> None:
        headers, cells = _headers_and_cells(inventory)
        stream.write(f"{title(inventory)}\n{summary_counts(inventory)}\n\n")
        if cells:
            stream.write(text_table(headers, cells, frozenset({"annual cost"}), _FREE_TEXT))
        else:
            stream.write("(nothing)\n")
        totals = inventory.totals
        stream.write(f"\nannual cost: {amounts_text(totals.all.annual) or 'none stated'}\n\n")
        right = frozenset({"requests"})
        stream.write(text_table(["by decision", "requests", "annual cost"],
                                _group_lines(totals.by_decision), right))
        stream.write("\n")
        stream.write(text_table(["by category", "requests", "annual cost"],
                                _group_lines(totals.by_category), right))
        stream.write(f"\n{footer(inventory)}\n")


# --- csv ---------------------------------------------------------------------------

_CSV_COLUMNS = ("file", "id", "tool", "vendor", "category", "business_owner",
                "technical_owner", "personal_data", "decision", "reviewers", "annual_cost",
                "currency", "renewal_date", "cancel_by", "next_lapse", "next_lapse_event",
                "lapsed", "due")


def csv_row(row: InventoryRow) -> list[str | int | float]:
    text = [row.file, row.id or "", row.tool, row.vendor or "", row.category or "",
            row.business_owner or "", row.technical_owner or "", row.personal_data or "",
            row.decision, " ".join(row.reviewers)]
    lapse = row.lapse
    return [
        *(escape.csv_cell(t) for t in text),
        plain_number(row.cost.amount) if row.cost else "",
        row.cost.currency if row.cost else "",
        _date(row.renewal), _date(row.cancel_by),
        _date(lapse.date) if lapse else "", lapse.kind if lapse else "",
        ("yes" if row.lapsed else "no") if lapse else "",
        "; ".join(f"{e.kind} {e.date.isoformat()}" for e in row.due),
    ]


class CsvFormatter:
    """One line per request, raw values, no totals (spreadsheets add their own)."""

    def write(self, inventory: Inventory, stream: TextIO) -> None:
        writer = csv.writer(stream)
        writer.writerow(_CSV_COLUMNS)
        writer.writerows(csv_row(row) for row in inventory.rows)


# --- json --------------------------------------------------------------------------

def _annual_json(annual: dict[str, Decimal]) -> dict[str, int | float]:
    return {currency: plain_number(annual[currency]) for currency in sorted(annual)}


def _group_json(group: Group) -> dict[str, Any]:
    return {"requests": group.count, "annual_cost": _annual_json(group.annual)}


def row_json(row: InventoryRow) -> dict[str, Any]:
    lapse = row.lapse
    return {
        "file": row.file, "id": row.id, "tool": row.tool, "vendor": row.vendor,
        "category": row.category,
        "owners": {"business": row.business_owner, "technical": row.technical_owner},
        "personal_data": row.personal_data, "decision": row.decision,
        "reviewers": list(row.reviewers),
        "annual_cost": ({"amount": plain_number(row.cost.amount),
                         "currency": row.cost.currency} if row.cost else None),
        "renewal_date": _date(row.renewal) or None,
        "cancel_by": _date(row.cancel_by) or None,
        "next_lapse": ({"event": lapse.kind, "date": lapse.date.isoformat(),
                        "lapsed": row.lapsed} if lapse else None),
        "due": [{"event": e.kind, "date": e.date.isoformat()} for e in row.due],
    }


def inventory_json(inventory: Inventory) -> dict[str, Any]:
    totals = inventory.totals
    return envelope(
        inventory.as_of, inventory.policy,
        engine=inventory.engine,
        due_within_days=inventory.window_days,
        requests=[row_json(row) for row in inventory.rows],
        totals={
            **_group_json(totals.all),
            "by_decision": {k: _group_json(g) for k, g in totals.by_decision.items()},
            "by_category": {k: _group_json(g) for k, g in totals.by_category.items()},
        },
    )


class JsonFormatter:
    def write(self, inventory: Inventory, stream: TextIO) -> None:
        # Compact and through json.dumps: only its one-shot path uses the C encoder
        # (json.dump and indent take the pure-Python one, seconds on 10,000 rows).
        # Pipe through `python -m json.tool` to read it.
        stream.write(json.dumps(inventory_json(inventory), ensure_ascii=False) + "\n")


# --- markdown ----------------------------------------------------------------------

def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]],
             right: frozenset[str] = frozenset()) -> str:
    rule = ["---:" if h in right else "---" for h in headers]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(escape.markdown(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


class MarkdownFormatter:
    def write(self, inventory: Inventory, stream: TextIO) -> None:
        headers, cells = _headers_and_cells(inventory)
        stream.write(f"## {title(inventory)}\n\n{summary_counts(inventory)}\n\n")
        if cells:
            stream.write(md_table(headers, cells, frozenset({"annual cost"})) + "\n")
        totals = inventory.totals
        stream.write(f"**Annual cost:** {amounts_text(totals.all.annual) or 'none stated'}"
                     " (per currency, never added across currencies)\n\n")
        right = frozenset({"requests"})
        stream.write(md_table(["decision", "requests", "annual cost"],
                              _group_lines(totals.by_decision), right) + "\n")
        stream.write(md_table(["category", "requests", "annual cost"],
                              _group_lines(totals.by_category), right) + "\n")
        text = footer(inventory)
        stream.write(f"<sub>{escape.markdown(text[:1].upper() + text[1:])}.</sub>\n")


INVENTORY_FORMATS: Registry[Inventory] = {
    "table": lambda ctx: TableFormatter(),
    "csv": lambda ctx: CsvFormatter(),
    "json": lambda ctx: JsonFormatter(),
    "markdown": lambda ctx: MarkdownFormatter(),
}
