"""The HTML report's sections about each tool: what is due, the inventory, the map and
every decision with its findings. `htmlreport` assembles the page around them.

Every text from a request passes through the page's one escaper (`htmlassets.escape`).
Small tables carry a `data-label` on each cell: on a phone they become one card per
row (see htmlassets.CSS); the inventory, which can be thousands of rows, scrolls
sideways in its frame instead, its key columns first and the tool's name pinned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from martechgov.leadership.datamap import PERSONAL_WORDS, DataMap, caption
from martechgov.leadership.htmlassets import escape
from martechgov.leadership.inventory import (
    Inventory,
    InventoryRow,
    cost_text,
    decision_text,
    due_text,
    lapse_text,
    status_text,
)
from martechgov.leadership.svgmap import render_svg
from martechgov.lifecycle import STATUS_WORDS, STATUSES
from martechgov.rendering import exception_note
from martechgov.result import DECISIONS, Finding, RequestResult

# Presentation only: sorting by decision or status lists them in the order the summary
# does (DECISIONS, STATUSES); nothing is ranked or decided by it.
_DECISION_ORDER = {decision: str(i) for i, decision in enumerate(DECISIONS, start=1)}
_STATUS_ORDER = {status: str(i) for i, status in enumerate(STATUSES, start=1)}


def badge(decision: str | None) -> str:
    word = decision or "deleted"
    return f'<span class="badge {escape(word)}">{escape(word)}</span>'


def status_badge(row: InventoryRow) -> str:
    return f'<span class="status {escape(row.status)}">{escape(status_text(row))}</span>'


def card_table(headers: Sequence[str], rows: Iterable[Sequence[str]],
               numeric: Iterable[str] = (), table_id: str = "") -> str:
    """A table whose rows become cards on a phone; cells are HTML already escaped."""
    numbers = set(numeric)
    head = "".join(f'<th{" class=num" if h in numbers else ""}>{escape(h)}</th>'
                   for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f'<td data-label="{escape(h)}"{" class=num" if h in numbers else ""}>{cell}</td>'
            for h, cell in zip(headers, row, strict=True)) + "</tr>"
        for row in rows)
    ident = f' id="{table_id}"' if table_id else ""
    return (f'<div class="table-wrap"><table class="cardable"{ident}><thead><tr>{head}'
            f"</tr></thead><tbody>{body}</tbody></table></div>")


def tool_link(row: InventoryRow, anchors: dict[str, str]) -> str:
    anchor = anchors.get(row.file) if row.decision is not None else None
    name = escape(row.tool)
    return f'<a href="#{anchor}">{name}</a>' if anchor else name


def _cost_sort(row: InventoryRow) -> str:
    # Amounts only compare within a currency: sort by currency, then amount.
    return f"{row.cost.currency} {row.cost.amount:020.2f}" if row.cost else ""


# --- what is due ---------------------------------------------------------------------

def due_section(rows: list[InventoryRow], days: int, anchors: dict[str, str]) -> str:
    heading = f'<section id="due">\n<h2>What is due in the next {days} days</h2>\n'
    if not rows:
        return (heading + "<p>Nothing renews, needs cancelling or lapses in this "
                "window.</p>\n</section>\n")
    lines = [[escape(due_text(row)), tool_link(row, anchors), escape(cost_text(row)),
              escape(row.business_owner or ""), status_badge(row)] for row in rows]
    return (heading + '<p class="muted">Renewals, cancellation deadlines (renewal date '
            "minus notice days) and security attestation lapses, soonest first.</p>\n"
            + card_table(["due", "tool", "annual cost", "business owner", "status"], lines,
                         ["annual cost"]) + "\n</section>\n")


# --- inventory -----------------------------------------------------------------------

COLUMNS = ("tool", "status", "decision", "annual cost", "owners", "team", "category",
           "vendor", "personal data", "stored in", "renewal", "cancel by", "next lapse")


def _inventory_row(row: InventoryRow, anchors: dict[str, str]) -> str:
    lapse = escape(lapse_text(row))
    lapse_sort = row.lapse.date.isoformat() if row.lapse else ""
    lapse_cell = f'<span class="lapsed">{lapse}</span>' if row.lapsed else lapse
    decision_sort = _DECISION_ORDER[row.decision] if row.decision else "9"
    cells = [
        f"<td class=tool>{tool_link(row, anchors)}</td>",
        f'<td data-sort="{_STATUS_ORDER[row.status]}">{status_badge(row)}</td>',
        f'<td data-sort="{decision_sort}">{badge(row.decision)}</td>',
        f'<td class=num data-sort="{escape(_cost_sort(row))}">{escape(cost_text(row))}</td>',
        _owners_cell(row),
        f"<td>{escape(row.team or '')}</td>",
        f"<td>{escape(row.category or '')}</td>",
        f"<td>{escape(row.vendor or '')}</td>",
        f"<td>{escape(row.personal_data or '')}</td>",
        f"<td>{escape(', '.join(row.storage_regions))}</td>",
        f"<td class=date>{row.renewal.isoformat() if row.renewal else ''}</td>",
        f"<td class=date>{row.cancel_by.isoformat() if row.cancel_by else ''}</td>",
        f'<td class=date data-sort="{lapse_sort}">{lapse_cell}</td>',
    ]
    return (f'<tr data-decision="{escape(decision_text(row))}" '
            f'data-status="{escape(row.status)}">{"".join(cells)}</tr>')


def _owners_cell(row: InventoryRow) -> str:
    """Business owner, and the technical owner below it (one column saves width)."""
    technical = (f'<br><span class="muted">{escape(row.technical_owner)}</span>'
                 if row.technical_owner else "")
    return (f'<td data-sort="{escape(row.business_owner or "")}">'
            f"{escape(row.business_owner or '')}{technical}</td>")


def _controls(inventory: Inventory) -> str:
    groups = inventory.totals.by_decision
    decisions = "".join(f'<option value="{d}">{d} ({groups[d].count})</option>'
                        for d in DECISIONS)
    statuses = inventory.totals.by_status
    status_options = "".join(
        f'<option value="{s}">{STATUS_WORDS[s]} ({statuses[s].count})</option>'
        for s in STATUSES)
    count = len(inventory.rows)
    return (
        '<div class="controls">'
        '<label>Filter <input id="filter" type="search" '
        'placeholder="tool, vendor, owner, team…" autocomplete="off"></label>'
        f'<label>Status <select id="status"><option value="">all</option>{status_options}'
        "</select></label>"
        f'<label>Decision <select id="decision"><option value="">all</option>{decisions}'
        "</select></label>"
        f'<span id="shown" class="muted" aria-live="polite">{count} of {count} shown</span>'
        "</div>\n"
    )


def inventory_section(inventory: Inventory, anchors: dict[str, str]) -> str:
    head = "".join(
        f'<th aria-sort="none"{" class=num" if name == "annual cost" else ""}>'
        f'<button type="button">{escape(name)}</button></th>'
        for name in COLUMNS)
    rows = "".join(_inventory_row(row, anchors) for row in inventory.rows)
    return (
        '<section id="inventory">\n<h2>Inventory</h2>\n'
        '<p class="muted">Every request: where it stands (status), what IT decided, what it '
        "costs per year and who owns it. Click a column header to sort; type to filter. "
        "Costs are per currency, never added across currencies.</p>\n"
        + _controls(inventory)
        + f'<div class="table-wrap"><table id="inventory-table"><thead><tr>{head}</tr>'
        f"</thead><tbody>{rows}</tbody></table></div>\n</section>\n"
    )


# --- map -----------------------------------------------------------------------------

def _legend() -> str:
    swatches = [(style, PERSONAL_WORDS[style]) for style in PERSONAL_WORDS]
    swatches += [("system", "IT system"), ("denied", "denied, invalid or not in IT's catalog")]
    items = "".join(f'<li><span class="swatch sw-{style}"></span>{escape(text)}</li>'
                    for style, text in swatches)
    return (f'<ul class="legend">{items}'
            '<li><span class="personal-line"></span>flow with personal data (red, dot)</li>'
            '<li><span class="plain-line"></span>flow without personal data</li>'
            '<li><span class="denied-line"></span>flow of a denied tool (grey, dashed)</li>'
            "</ul>")


def map_section(data_map: DataMap, anchors: dict[str, str]) -> str:
    files = {tool.key: tool.file for tool in data_map.tools}

    def link(key: str) -> str | None:
        anchor = anchors.get(files.get(key, ""))
        return f"#{anchor}" if anchor else None

    title = caption(data_map)
    return (
        '<section id="map">\n<h2>Data-flow map</h2>\n'
        f'<p class="muted">{escape(title)}. Arrows follow the data; each tool says where '
        "its vendor stores the data. Hover a line for the data categories, click a tool "
        'for its findings.<span class="phone-only"> The map scrolls sideways.</span></p>\n'
        f'{_legend()}\n<div class="map-wrap" tabindex="0">'
        f"{render_svg(data_map, link, title)}</div>\n</section>\n"
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
            f"{badge(result.decision)} <h3>{escape(name)}</h3> "
            f"<small>{escape(result.file)}</small></summary>{reviewers}{listing}</details>")


def requests_section(results: Sequence[RequestResult], anchors: dict[str, str]) -> str:
    items = "".join(_request(result, anchors[result.file]) for result in results)
    return ('<section id="requests">\n<h2>Decisions and findings</h2>\n'
            '<p class="muted">Each request with what the policies found and how to fix '
            f"it.</p>\n{items}\n</section>\n</main>\n")
