"""Output formats of `martechgov inventory`: table (terminal), csv, json, markdown, ics.

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
from typing import TextIO

from martechgov import escape
from martechgov.leadership import summary
from martechgov.leadership.ics import IcsFormatter
from martechgov.leadership.inventory import (
    Inventory,
    InventoryRow,
    cost_text,
    decision_text,
    due_text,
    due_window_end,
    lapse_text,
    status_counts,
    status_text,
    summary_counts,
)
from martechgov.leadership.inventory_json import inventory_json
from martechgov.money import plain_number
from martechgov.rendering import Registry, policy_label

# Key columns first: what it is, where it stands, what it costs, who owns it.
_COLUMNS = ("tool", "status", "decision", "annual cost", "business owner", "team",
            "category", "vendor", "personal data", "stored in", "technical owner",
            "renewal", "cancel by", "next lapse")
_MAX_WIDTH = 40  # table cells are cut here so one long name cannot push the rest away
_FREE_TEXT = frozenset({"tool", "vendor", "business owner", "technical owner", "team"})
_RIGHT = frozenset({"annual cost", "requests"})


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def row_cells(row: InventoryRow) -> list[str]:
    """The display cells of a row, in _COLUMNS order (due first when present)."""
    return [row.tool, status_text(row), decision_text(row), cost_text(row),
            row.business_owner or "", row.team or "", row.category or "", row.vendor or "",
            row.personal_data or "", ", ".join(row.storage_regions),
            row.technical_owner or "", _date(row.renewal), _date(row.cancel_by),
            lapse_text(row)]


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


def _sections(inventory: Inventory) -> list[tuple[str, list[str], list[list[str]], str]]:
    """(heading, headers, rows, lead line) of the money and risk tables, in order."""
    spend, risk = inventory.spend, inventory.risk
    assert spend is not None and risk is not None
    split = ["requests", *summary.SPLIT_HEADERS[1:]]
    sections = [
        ("By status", ["status", "requests", "annual cost"], summary.bucket_rows(spend), ""),
        ("By team", ["team", *split], summary.split_rows(spend.by_team), ""),
        ("By category", ["category", *split], summary.split_rows(spend.by_category), ""),
        ("Risk", ["tool", "status", "business owner", "why"],
         summary.top_risk_rows(risk), summary.risk_line(risk)),
    ]
    if replacements := summary.replacement_rows(inventory):
        sections.append(("What retires when a tool lands", ["tool", "status", "replaces"],
                         replacements, ""))
    if retired := summary.retired_rows(inventory):
        sections.append(("Retired", ["tool", "retired on", "how", "replaced by",
                                     "annual cost it had"], retired, ""))
    return sections


def _money_lines(inventory: Inventory) -> list[str]:
    assert inventory.spend is not None
    return summary.money_lines(inventory.spend)


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
        stream.write(f"{title(inventory)}\n{summary_counts(inventory)}\n"
                     f"status: {status_counts(inventory) or 'nothing'}\n\n")
        if cells:
            stream.write(text_table(headers, cells, _RIGHT, _FREE_TEXT))
        else:
            stream.write("(nothing)\n")
        if inventory.window_days is None:  # a --due list is about dates, not totals
            self._totals(inventory, stream)
        stream.write(f"\n{footer(inventory)}\n")

    @staticmethod
    def _totals(inventory: Inventory, stream: TextIO) -> None:
        stream.write("\n" + "\n".join(_money_lines(inventory)) + "\n")
        for heading, names, rows, lead in _sections(inventory):
            stream.write(f"\n{heading.upper()}\n")
            if lead:
                stream.write(escape.terminal(lead) + "\n")
            if rows:
                stream.write(text_table(names, rows, _RIGHT, _FREE_TEXT))


# --- csv ---------------------------------------------------------------------------

_CSV_COLUMNS = ("file", "id", "tool", "vendor", "category", "team", "business_owner",
                "technical_owner", "personal_data", "storage_regions", "decision", "status",
                "reviewers", "annual_cost", "currency", "renewal_date", "cancel_by",
                "next_lapse", "next_lapse_event", "lapsed", "due", "replaces", "replaced_by",
                "retired_on", "risks")


def csv_row(row: InventoryRow) -> list[str | int | float]:
    text = [row.file, row.id or "", row.tool, row.vendor or "", row.category or "",
            row.team or "", row.business_owner or "", row.technical_owner or "",
            row.personal_data or "", " ".join(row.storage_regions), row.decision or "",
            row.status, " ".join(row.reviewers)]
    lapse = row.lapse
    return [
        *(escape.csv_cell(t) for t in text),
        plain_number(row.cost.amount) if row.cost else "",
        row.cost.currency if row.cost else "",
        _date(row.renewal), _date(row.cancel_by),
        _date(lapse.date) if lapse else "", lapse.kind if lapse else "",
        ("yes" if row.lapsed else "no") if lapse else "",
        "; ".join(f"{e.kind} {e.date.isoformat()}" for e in row.due),
        " ".join(row.replaces), " ".join(row.replaced_by), _date(row.retired_on),
        escape.csv_cell("; ".join(row.risk.reasons) if row.risk else ""),
    ]


class CsvFormatter:
    """One line per request, raw values, no totals (spreadsheets add their own)."""

    def write(self, inventory: Inventory, stream: TextIO) -> None:
        writer = csv.writer(stream)
        writer.writerow(_CSV_COLUMNS)
        writer.writerows(csv_row(row) for row in inventory.rows)


# --- json --------------------------------------------------------------------------

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
        stream.write(f"## {title(inventory)}\n\n{summary_counts(inventory)}; "
                     f"{status_counts(inventory) or 'nothing'}\n\n")
        if cells:
            stream.write(md_table(headers, cells, _RIGHT) + "\n")
        if inventory.window_days is None:  # a --due list is about dates, not totals
            self._totals(inventory, stream)
        text = footer(inventory)
        stream.write(f"<sub>{escape.markdown(text[:1].upper() + text[1:])}.</sub>\n")

    @staticmethod
    def _totals(inventory: Inventory, stream: TextIO) -> None:
        money = _money_lines(inventory)
        stream.write(f"**{escape.markdown(money[0])}** "
                     + " ".join(escape.markdown(line) for line in money[1:]) + "\n\n")
        for heading, names, rows, lead in _sections(inventory):
            stream.write(f"### {heading}\n\n")
            if lead:
                stream.write(escape.markdown(lead) + "\n\n")
            if rows:
                stream.write(md_table(names, rows, _RIGHT) + "\n")


INVENTORY_FORMATS: Registry[Inventory] = {
    "table": lambda ctx: TableFormatter(),
    "csv": lambda ctx: CsvFormatter(),
    "json": lambda ctx: JsonFormatter(),
    "markdown": lambda ctx: MarkdownFormatter(),
    "ics": lambda ctx: IcsFormatter(),
}
