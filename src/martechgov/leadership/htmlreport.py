"""`martechgov report`: one self-contained HTML page for leadership (GitHub Pages).

What a CMO or CIO asks, in the order they ask it: what the stack costs now (in use and
approved, never what is in review or denied), what renews and when to cancel, what is
risky, what is used without approval (when discovery's results are given), where each
tool stands in its life and what retires when a replacement lands; then the sortable
inventory, the data-flow map and every decision with its findings and fixes. It loads
nothing from anywhere: CSS and script are inline and pinned by hash in the page's
Content-Security-Policy, which also forbids every network request. All text from the
requests and exports is escaped with the page's one HTML escaper
(`htmlassets.escape`): those files are untrusted input. It reads on a phone: small
tables become cards, the inventory and the map scroll inside their frames.

Like every report: `build_catalog` gathers what the page shows once, and the page is a
renderer of the `rendering.Registry` shape (REPORT_FORMATS) writing to a stream.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from martechgov import __version__
from martechgov.errors import UsageError
from martechgov.leadership import summary
from martechgov.leadership.datamap import DataMap, build_map
from martechgov.leadership.htmlassets import escape, page
from martechgov.leadership.htmlsections import (
    card_table,
    due_section,
    inventory_section,
    map_section,
    requests_section,
)
from martechgov.leadership.inventory import (
    Inventory,
    InventoryRow,
    build_inventory,
    due_rows,
    summary_counts,
)
from martechgov.leadership.portfolio import Portfolio
from martechgov.leadership.shadow import ShadowReport
from martechgov.lifecycle import STATUS_WORDS, STATUSES
from martechgov.money import amounts_text, money_text
from martechgov.rendering import Registry, policy_label, render
from martechgov.result import RequestResult

PAGE = "index.html"


@dataclass(frozen=True)
class Catalog:
    """What the page shows: the inventory, what is due, the map, shadow IT, decisions."""

    inventory: Inventory
    due: list[InventoryRow]
    due_days: int
    data_map: DataMap
    results: list[RequestResult]
    shadow: ShadowReport | None = None


def build_catalog(portfolio: Portfolio, due_days: int = 90,
                  include_denied: bool = False) -> Catalog:
    inventory = build_inventory(portfolio)
    return Catalog(inventory, due_rows(inventory.rows, inventory.as_of, due_days), due_days,
                   build_map(portfolio, include_denied), portfolio.report.results,
                   portfolio.shadow)


def write_report_site(portfolio: Portfolio, directory: Path, due_days: int = 90,
                      include_denied: bool = False) -> Path:
    """Write DIR/index.html (atomically: a reader never sees half a page)."""
    page_path = directory / PAGE
    text = render_report(portfolio, due_days, include_denied)
    temporary: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".index-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; Pages serves it
        os.replace(temporary, page_path)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write the report to {directory}: {exc.strerror}") from None
    return page_path


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
            _header(catalog),
            _money_section(inventory),
            due_section(catalog.due, catalog.due_days, anchors),
            _risk_section(inventory),
            _shadow_section(catalog.shadow),
            _lifecycle_section(inventory),
            inventory_section(inventory, anchors),
            map_section(catalog.data_map, anchors),
            requests_section(catalog.results, anchors),
            _footer(inventory),
        ))
        stream.write(page(f"Martech catalog, {inventory.as_of.isoformat()}", body))


# One format today; the registry keeps the page rendered like every other report.
REPORT_FORMATS: Registry[Catalog] = {"html": lambda ctx: HtmlReport()}

_NAV = (("money", "Money"), ("due", "What is due"), ("risk", "Risk"),
        ("shadow", "Shadow IT"), ("lifecycle", "Lifecycle"), ("inventory", "Inventory"),
        ("map", "Data-flow map"), ("requests", "Decisions"))


def _header(catalog: Catalog) -> str:
    inventory = catalog.inventory
    spend = inventory.spend
    assert spend is not None
    stack = spend.stack.annual
    amounts = "<br>".join(escape(money_text(stack[c], c)) for c in sorted(stack)) or "none"
    cards = [f'<li class="headline"><b>{amounts}</b>per year: what the stack costs '
             f"({spend.stack.count} in use or approved)</li>"]
    proposed, denied = spend.by_bucket["proposed"], spend.by_bucket["denied"]
    cards.append(f"<li><b>{escape(amounts_text(proposed.annual) or '0')}</b>in review, "
                 f"not counted ({proposed.count})</li>")
    cards.append(f"<li><b>{escape(amounts_text(denied.annual) or '0')}</b>denied or "
                 f"invalid, not counted ({denied.count})</li>")
    groups = inventory.totals.by_status
    cards += [f"<li><b>{groups[s].count}</b>{escape(STATUS_WORDS[s])}</li>"
              for s in STATUSES if groups[s].count]
    if catalog.shadow is not None:
        cards.append(f'<li class="alert"><b>{len(catalog.shadow.tools)}</b>tools used '
                     "without approval</li>")
    nav = "".join(f'<a href="#{anchor}">{escape(text)}</a>' for anchor, text in _NAV)
    return (
        "<header>\n<h1>Martech catalog</h1>\n"
        f'<p class="meta">Every marketing tool, IT\'s decision and where it stands, as of '
        f"<b>{inventory.as_of.isoformat()}</b>. {escape(summary_counts(inventory))}.</p>\n"
        f'<ul class="cards">{"".join(cards)}</ul>\n<nav>{nav}</nav>\n</header>\n<main>\n'
    )


def _money_section(inventory: Inventory) -> str:
    spend = inventory.spend
    assert spend is not None
    lines = summary.money_lines(spend)
    cells = [[escape(c) for c in row] for row in summary.bucket_rows(spend)]
    teams = [[escape(c) for c in row] for row in summary.split_rows(spend.by_team)]
    categories = [[escape(c) for c in row] for row in summary.split_rows(spend.by_category)]
    split = summary.SPLIT_HEADERS
    money = ["annual cost", *split[1:]]
    return (
        '<section id="money">\n<h2>What the stack costs</h2>\n'
        + "".join(f"<p>{escape(line)}</p>\n" for line in lines)
        + '<p class="muted">Per year and per currency: amounts in different currencies '
        "are never added up.</p>\n"
        + '<div class="split"><div><h3>By status</h3>'
        + card_table(["status", "requests", "annual cost"], cells, ["requests"])
        + "</div><div><h3>By team</h3>"
        + card_table(["team", *split], teams, money)
        + "</div><div><h3>By category</h3>"
        + card_table(["category", *split], categories, money)
        + "</div></div>\n</section>\n"
    )


def _risk_section(inventory: Inventory) -> str:
    risk = inventory.risk
    assert risk is not None
    rows = [[escape(tool), escape(status), escape(owner), escape(why)]
            for tool, status, owner, why in summary.top_risk_rows(risk)]
    table = (card_table(["tool", "status", "business owner", "why"], rows) if rows
             else "<p>No risks to show.</p>")
    return ('<section id="risk">\n<h2>Risk</h2>\n'
            f"<p>{escape(summary.risk_line(risk))}</p>\n"
            '<p class="muted">The top risks, most serious first: broken rules, lapsed '
            "attestations and exceptions, missing sign-offs, then how sensitive the data "
            f"is.</p>\n{table}\n</section>\n")


def _shadow_section(shadow: ShadowReport | None) -> str:
    heading = '<section id="shadow">\n<h2>Used without approval (shadow IT)</h2>\n'
    if shadow is None:
        return (heading + '<p class="muted">No discovery results were given: run '
                "<code>martechgov discover EXPORT... --format json &gt; shadow.json</code> "
                "and <code>martechgov report --discover shadow.json</code>.</p>\n"
                "</section>\n")
    rows = [[escape(tool.name),
             escape(f"{tool.request_id} ({tool.request_decision})" if tool.request_id
                    else "none"),
             str(tool.users), escape(amounts_text(tool.spend_last_year)),
             escape(tool.category), tool.last_seen.isoformat(),
             escape(", ".join(tool.sources))] for tool in shadow.tools]
    lead = (f"<p>{len(shadow.tools)} tools in use without an approved request, found by "
            f"<code>martechgov discover</code> as of {shadow.as_of.isoformat()} "
            f"(<code>{escape(shadow.file)}</code>).</p>\n")
    table = card_table(["tool", "request", "people", "spend, last 12 months", "category",
                        "last seen", "seen in"], rows, ["people"]) if rows else ""
    return heading + lead + table + "\n</section>\n"


def _lifecycle_section(inventory: Inventory) -> str:
    replacing = [[escape(c) for c in row] for row in summary.replacement_rows(inventory)]
    retired = [[escape(c) for c in row] for row in summary.retired_rows(inventory)]
    parts = ['<section id="lifecycle">\n<h2>Lifecycle</h2>\n'
             '<p class="muted">Each status comes from facts: approved (or review signed '
             "off), in use (seen in the exports or past its start date), retired (deleted "
             "on the default branch or <code>retired_on</code> reached). Everything else "
             "is proposed.</p>\n<h3>What retires when a tool lands</h3>\n"]
    parts.append(card_table(["tool", "status", "replaces"], replacing) if replacing
                 else "<p>No request replaces another.</p>")
    parts.append("<h3>Retired</h3>\n")
    parts.append(card_table(["tool", "retired on", "how", "replaced by",
                             "annual cost it had"], retired, ["annual cost it had"])
                 if retired else "<p>Nothing retired.</p>")
    return "".join(parts) + "\n</section>\n"


def _footer(inventory: Inventory) -> str:
    return (f"<footer>Judged by policy <code>{escape(policy_label(inventory.policy))}"
            f"</code> with the {escape(inventory.engine)} engine, as of "
            f"{inventory.as_of.isoformat()}. "
            f"Generated by martechgov {escape(__version__)}.</footer>\n")
