"""`martechgov report`: one self-contained HTML page for leadership (GitHub Pages).

The page holds the inventory (sortable, filterable), what is due, the data-flow map
(an inline SVG) and every request's decision with its findings and fixes. It loads
nothing from anywhere: CSS and script are inline and pinned by hash in the page's
Content-Security-Policy, which also forbids every network request. All text from the
requests is escaped with the page's one HTML escaper (`htmlassets.escape`): request
files are untrusted input.

Like every report: `build_catalog` gathers what the page shows once, and the page is a
renderer of the `rendering.Registry` shape (REPORT_FORMATS) writing to a stream.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from martechgov import __version__
from martechgov.errors import UsageError
from martechgov.leadership.datamap import PERSONAL_WORDS, DataMap, build_map, caption
from martechgov.leadership.htmlassets import escape, page
from martechgov.leadership.inventory import (
    Group,
    Inventory,
    InventoryRow,
    build_inventory,
    cost_text,
    due_rows,
    due_text,
    lapse_text,
    summary_counts,
)
from martechgov.leadership.portfolio import Portfolio
from martechgov.leadership.svgmap import render_svg
from martechgov.money import amounts_text, money_text
from martechgov.rendering import Registry, exception_note, policy_label, render
from martechgov.result import DECISIONS, Finding, RequestResult

PAGE = "index.html"
# Presentation only: sorting the inventory by decision lists them in the order the
# summary does (DECISIONS); nothing is ranked or decided by it.
_DECISION_ORDER = {decision: str(i) for i, decision in enumerate(DECISIONS, start=1)}


@dataclass(frozen=True)
class Catalog:
    """What the page shows: the inventory, what is due, the map and every decision."""

    inventory: Inventory
    due: list[InventoryRow]
    due_days: int
    data_map: DataMap
    results: list[RequestResult]


def build_catalog(portfolio: Portfolio, due_days: int = 90,
                  include_denied: bool = False) -> Catalog:
    inventory = build_inventory(portfolio)
    return Catalog(inventory, due_rows(inventory.rows, inventory.as_of, due_days), due_days,
                   build_map(portfolio, include_denied), portfolio.report.results)


def write_report_site(portfolio: Portfolio, directory: Path, due_days: int = 90,
                      include_denied: bool = False) -> Path:
    """Write DIR/index.html (atomically: a reader never sees half a page)."""
    page = directory / PAGE
    text = render_report(portfolio, due_days, include_denied)
    temporary: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".index-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; Pages serves it
        os.replace(temporary, page)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write the report to {directory}: {exc.strerror}") from None
    return page


def render_report(portfolio: Portfolio, due_days: int = 90,
                  include_denied: bool = False) -> str:
    """The page as text."""
    buffer = io.StringIO()
    render(REPORT_FORMATS, "html", build_catalog(portfolio, due_days, include_denied),
           buffer)
    return buffer.getvalue()


class HtmlReport:
    def write(self, catalog: Catalog, stream: TextIO) -> None:
        inventory = catalog.inventory
        anchors = {result.file: f"req-{index}"
                   for index, result in enumerate(catalog.results)}
        body = "".join((
            _header(inventory),
            _due_section(catalog.due, catalog.due_days, anchors),
            _inventory_section(inventory, anchors),
            _map_section(catalog.data_map, anchors),
            _requests_section(catalog.results, anchors),
            _footer(inventory),
        ))
        stream.write(page(f"Martech catalog, {inventory.as_of.isoformat()}", body))


# One format today; the registry keeps the page rendered like every other report.
REPORT_FORMATS: Registry[Catalog] = {"html": lambda ctx: HtmlReport()}


def _badge(decision: str) -> str:
    return f'<span class="badge {escape(decision)}">{escape(decision)}</span>'


def _table(headers: Sequence[str], rows: Iterable[str], numeric: Iterable[str] = ()) -> str:
    numbers = set(numeric)
    head = "".join(f'<th{" class=num" if h in numbers else ""}>{escape(h)}</th>'
                   for h in headers)
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _tool_link(row: InventoryRow, anchors: dict[str, str]) -> str:
    anchor = anchors.get(row.file)
    name = escape(row.tool)
    return f'<a href="#{anchor}">{name}</a>' if anchor else name


def _cost_sort(row: InventoryRow) -> str:
    # Amounts only compare within a currency: sort by currency, then amount.
    return f"{row.cost.currency} {row.cost.amount:020.2f}" if row.cost else ""


# --- header --------------------------------------------------------------------------

def _header(inventory: Inventory) -> str:
    groups = inventory.totals.by_decision
    cards = [f"<li><b>{inventory.totals.all.count}</b>requests</li>"]
    cards += [f"<li><b>{groups[d].count}</b>{_badge(d)}</li>" for d in DECISIONS]
    annual = inventory.totals.all.annual
    cards += [f"<li><b>{escape(money_text(annual[c], c))}</b>per year</li>"
              for c in sorted(annual)]
    return (
        "<header>\n<h1>Martech catalog</h1>\n"
        f'<p class="meta">Every marketing tool request and IT\'s decision as of '
        f"<b>{inventory.as_of.isoformat()}</b>. {escape(summary_counts(inventory))}.</p>\n"
        f'<ul class="cards">{"".join(cards)}</ul>\n'
        '<nav><a href="#due">What is due</a><a href="#inventory">Inventory</a>'
        '<a href="#map">Data-flow map</a><a href="#requests">Decisions and findings</a>'
        "</nav>\n</header>\n<main>\n"
    )


# --- what is due ---------------------------------------------------------------------

def _due_section(rows: list[InventoryRow], days: int, anchors: dict[str, str]) -> str:
    heading = f'<section id="due">\n<h2>What is due in the next {days} days</h2>\n'
    if not rows:
        return (heading + "<p>Nothing renews, needs cancelling or lapses in this "
                "window.</p>\n</section>\n")
    lines = [
        f"<tr><td>{escape(due_text(row))}</td><td>{_tool_link(row, anchors)}</td>"
        f"<td>{_badge(row.decision)}</td><td class=num>{escape(cost_text(row))}</td>"
        f"<td>{escape(row.business_owner or '')}</td></tr>"
        for row in rows
    ]
    return (heading + '<p class="muted">Renewals, cancellation deadlines (renewal date '
            "minus notice days) and security attestation lapses, soonest first.</p>\n"
            + _table(["due", "tool", "decision", "annual cost", "business owner"], lines,
                     ["annual cost"]) + "\n</section>\n")


# --- inventory -----------------------------------------------------------------------

_COLUMNS = ("tool", "vendor", "category", "decision", "personal data", "owners",
            "annual cost", "renewal", "cancel by", "next lapse")


def _inventory_row(row: InventoryRow, anchors: dict[str, str]) -> str:
    lapse = escape(lapse_text(row))
    lapse_sort = row.lapse.date.isoformat() if row.lapse else ""
    lapse_cell = f'<span class="lapsed">{lapse}</span>' if row.lapsed else lapse
    cells = [
        f"<td>{_tool_link(row, anchors)}</td>",
        f"<td>{escape(row.vendor or '')}</td>",
        f"<td>{escape(row.category or '')}</td>",
        f'<td data-sort="{_DECISION_ORDER[row.decision]}">{_badge(row.decision)}</td>',
        f"<td>{escape(row.personal_data or '')}</td>",
        _owners_cell(row),
        f'<td class=num data-sort="{escape(_cost_sort(row))}">{escape(cost_text(row))}</td>',
        f"<td class=date>{row.renewal.isoformat() if row.renewal else ''}</td>",
        f"<td class=date>{row.cancel_by.isoformat() if row.cancel_by else ''}</td>",
        f'<td class=date data-sort="{lapse_sort}">{lapse_cell}</td>',
    ]
    return f'<tr data-decision="{escape(row.decision)}">{"".join(cells)}</tr>'


def _owners_cell(row: InventoryRow) -> str:
    """Business owner, and the technical owner below it (one column saves width)."""
    technical = (f'<br><span class="muted">{escape(row.technical_owner)}</span>'
                 if row.technical_owner else "")
    return (f'<td data-sort="{escape(row.business_owner or "")}">'
            f"{escape(row.business_owner or '')}{technical}</td>")


def _controls(inventory: Inventory) -> str:
    groups = inventory.totals.by_decision
    options = "".join(f'<option value="{d}">{d} ({groups[d].count})</option>'
                      for d in DECISIONS)
    return (
        '<div class="controls">'
        '<label>Filter <input id="filter" type="search" '
        'placeholder="tool, vendor, owner, category…" autocomplete="off"></label>'
        '<label>Decision <select id="decision"><option value="">all</option>'
        f"{options}</select></label>"
        f'<span id="shown" class="muted" aria-live="polite">{len(inventory.rows)} of '
        f"{len(inventory.rows)} shown</span></div>\n"
    )


def _group_table(title: str, groups: dict[str, Group]) -> str:
    rows = [f"<tr><td>{escape(name)}</td><td class=num>{group.count}</td>"
            f"<td>{escape(amounts_text(group.annual))}</td></tr>"
            for name, group in groups.items()]
    return (f"<table><thead><tr><th>{escape(title)}</th><th class=num>requests</th>"
            f"<th>annual cost</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _inventory_section(inventory: Inventory, anchors: dict[str, str]) -> str:
    head = "".join(
        f'<th aria-sort="none"{" class=num" if name == "annual cost" else ""}>'
        f'<button type="button">{escape(name)}</button></th>'
        for name in _COLUMNS)
    rows = "".join(_inventory_row(row, anchors) for row in inventory.rows)
    totals = inventory.totals
    return (
        '<section id="inventory">\n<h2>Inventory</h2>\n'
        '<p class="muted">Click a column header to sort; type to filter. Costs are per '
        "year and per currency, never added across currencies.</p>\n"
        + _controls(inventory)
        + f'<div class="table-wrap"><table id="inventory-table"><thead><tr>{head}</tr>'
        f"</thead><tbody>{rows}</tbody></table></div>\n"
        f'<div class="totals">{_group_table("decision", totals.by_decision)}'
        f'{_group_table("category", totals.by_category)}</div>\n</section>\n'
    )


# --- map -----------------------------------------------------------------------------

def _legend() -> str:
    swatches = [(style, PERSONAL_WORDS[style]) for style in PERSONAL_WORDS]
    swatches += [("system", "IT system"), ("denied", "denied, invalid or not in IT's catalog")]
    items = "".join(f'<li><span class="swatch sw-{style}"></span>{escape(text)}</li>'
                    for style, text in swatches)
    return (f'<ul class="legend">{items}'
            '<li><span class="personal-line"></span>flow with personal data (red, dot)</li>'
            '<li><span class="plain-line"></span>flow without personal data</li></ul>')


def _map_section(data_map: DataMap, anchors: dict[str, str]) -> str:
    files = {tool.key: tool.file for tool in data_map.tools}

    def link(key: str) -> str | None:
        anchor = anchors.get(files.get(key, ""))
        return f"#{anchor}" if anchor else None

    title = caption(data_map)
    return (
        '<section id="map">\n<h2>Data-flow map</h2>\n'
        f'<p class="muted">{escape(title)}. Arrows follow the data; hover a line for the '
        "data categories, click a tool for its findings.</p>\n"
        f'{_legend()}\n<div class="map-wrap">{render_svg(data_map, link, title)}</div>\n'
        "</section>\n"
    )


# --- decisions and findings ----------------------------------------------------------

_BACKTICKS = re.compile(r"`([^`]+)`")


def _prose(text: str) -> str:
    """Escaped text with `field names` in code style, as the policies write them."""
    return _BACKTICKS.sub(r"<code>\1</code>", escape(text))


def _finding(finding: Finding) -> str:
    team = f" ({escape(finding.team)})" if finding.team else ""
    parts = [f'<span class="level {escape(finding.level)}">{escape(finding.level)}</span>'
             f"{team} <code>{escape(finding.rule)}</code> line {finding.line}: "
             f"{_prose(finding.message)}"]
    note = exception_note(finding)
    if note:
        parts.append(f'<div class="exception">{escape(note)}</div>')
    if finding.fix:
        parts.append(f'<div class="fix">{_prose(finding.fix)}</div>')
    return f"<li>{''.join(parts)}</li>"


def _request(result: RequestResult, anchor: str) -> str:
    name = result.name or result.id or result.file
    # Open what something holds back (the policies mark those findings blocking).
    open_attribute = " open" if result.blocking_findings else ""
    reviewers = (f"<p>Reviews needed from: {escape(', '.join(result.reviewers))}</p>"
                 if result.reviewers else "")
    findings = ("".join(_finding(f) for f in result.findings) if result.findings else "")
    listing = (f'<ul class="findings">{findings}</ul>' if findings
               else '<p class="muted">No findings.</p>')
    return (f'<details class="request" id="{anchor}"{open_attribute}><summary>'
            f"{_badge(result.decision)} <h3>{escape(name)}</h3> "
            f"<small>{escape(result.file)}</small></summary>{reviewers}{listing}</details>")


def _requests_section(results: Sequence[RequestResult], anchors: dict[str, str]) -> str:
    items = "".join(_request(result, anchors[result.file]) for result in results)
    return ('<section id="requests">\n<h2>Decisions and findings</h2>\n'
            '<p class="muted">Each request with what the policies found and how to fix '
            f"it.</p>\n{items}\n</section>\n</main>\n")


def _footer(inventory: Inventory) -> str:
    return (f"<footer>Judged by policy <code>{escape(policy_label(inventory.policy))}"
            f"</code> with the {escape(inventory.engine)} engine, as of "
            f"{inventory.as_of.isoformat()}. "
            f"Generated by martechgov {escape(__version__)}.</footer>\n")
