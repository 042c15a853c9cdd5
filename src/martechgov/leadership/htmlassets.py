"""What the HTML report is made of: its escaper, stylesheet, script and page shell.

The stylesheet and script live here as plain constants so the report stays one
self-contained file and the package needs no data files. The page's
Content-Security-Policy (`page`) allows exactly these two blocks (by hash) and nothing
else: no other script, style or network request.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html

# The one HTML escaper of the page and its SVG map: every text from a request passes
# through it. Cached because rule ids, levels, categories and owners repeat thousands
# of times in a big catalog.
escape = functools.lru_cache(maxsize=1 << 16)(html.escape)

CSS = """
:root { color-scheme: light; --ink: #101828; --muted: #475467; --line: #d0d5dd;
  --bg: #f9fafb; --approve: #067647; --review: #b54708; --deny: #b42318;
  --invalid: #6941c6; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
header, main, footer { max-width: 1480px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h2 { margin: 36px 0 12px; font-size: 21px; border-bottom: 2px solid var(--line);
  padding-bottom: 4px; }
h3 { margin: 0; font-size: 16px; }
.meta, small, .muted { color: var(--muted); }
nav a { margin-right: 16px; }
a { color: #1849a9; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; list-style: none; padding: 0;
  margin: 16px 0; }
.cards li { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 10px 16px; min-width: 120px; }
.cards b { display: block; font-size: 24px; }
.badge { display: inline-block; border-radius: 999px; padding: 0 9px; font-size: 13px;
  font-weight: 600; color: #fff; }
.badge.approve { background: var(--approve); } .badge.review { background: var(--review); }
.badge.deny { background: var(--deny); } .badge.invalid { background: var(--invalid); }
.badge.deleted { background: #667085; }
.status { display: inline-block; border-radius: 999px; padding: 0 8px; font-size: 13px;
  font-weight: 600; border: 1px solid; white-space: nowrap; }
.status.in-use { color: #067647; border-color: #067647; background: #ecfdf3; }
.status.approved { color: #1849a9; border-color: #1849a9; background: #eef4ff; }
.status.proposed { color: #b54708; border-color: #b54708; background: #fffaeb; }
.status.retired { color: #475467; border-color: #98a2b3; background: #f2f4f7; }
.cards li.headline { border-color: var(--approve); border-width: 2px; }
.cards li.alert { border-color: var(--deny); border-width: 2px; }
.split { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.split > div { flex: 1 1 560px; min-width: 0; }
h3 { margin: 16px 0 8px; }
p, li, summary, .fix, .exception { overflow-wrap: anywhere; }
.phone-only { display: none; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line);
  border-radius: 10px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
#inventory-table td:nth-child(n+11) { white-space: nowrap; }
#inventory-table td.tool { font-weight: 600; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #eaecf0;
  vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
thead th { background: #f2f4f7; position: sticky; top: 0; }
th button { all: inherit; cursor: pointer; padding: 0; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
tr[hidden] { display: none; }
.controls { display: flex; flex-wrap: wrap; gap: 16px; align-items: center;
  margin: 8px 0 12px; }
.controls input, .controls select { font: inherit; padding: 4px 8px;
  border: 1px solid var(--line); border-radius: 6px; }
.controls input { width: 320px; max-width: 100%; }
.totals { display: flex; flex-wrap: wrap; gap: 24px; margin-top: 16px;
  align-items: flex-start; }
.totals table { width: auto; background: #fff; border: 1px solid var(--line); }
.lapsed { color: var(--deny); font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 18px; list-style: none; padding: 0;
  font-size: 14px; }
.legend .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px;
  vertical-align: -2px; margin-right: 6px; border: 2px solid; }
.legend .personal-line { display: inline-block; width: 28px; height: 0;
  border-top: 3px solid var(--deny); vertical-align: 4px; margin-right: 6px; }
.legend .plain-line { display: inline-block; width: 28px; height: 0;
  border-top: 1px solid var(--muted); vertical-align: 4px; margin-right: 6px; }
.legend .denied-line { display: inline-block; width: 28px; height: 0;
  border-top: 2px dashed #98a2b3; vertical-align: 4px; margin-right: 6px; }
.legend .sw-none { background: #ecfdf3; border-color: #067647; }
.legend .sw-pseudonymous { background: #fff4e5; border-color: #b54708; }
.legend .sw-personal { background: #fde8e6; border-color: #b42318; }
.legend .sw-special-category { background: #f9d2d0; border-color: #7a0f0b; }
.legend .sw-system { background: #eef4ff; border-color: #3538cd; }
.legend .sw-denied { background: #f2f4f7; border-color: #667085; border-style: dashed; }
.map-wrap { overflow: auto; background: #fff; border: 1px solid var(--line);
  border-radius: 10px; padding: 8px; }
#flow-map text { font-family: inherit; fill: var(--ink); }
#flow-map .n { font-size: 13px; font-weight: 600; }
#flow-map .s { font-size: 11px; fill: var(--muted); }
#flow-map .h { font-size: 14px; font-weight: 700; }
#flow-map a:hover rect { stroke-width: 3; }
details.request { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  margin: 8px 0; padding: 8px 14px; }
details.request summary { cursor: pointer; }
details.request summary h3 { display: inline; }
.findings { padding-left: 18px; }
.findings li { margin: 6px 0; }
.level { font-weight: 700; text-transform: uppercase; font-size: 12px; }
.level.deny, .level.error { color: var(--deny); } .level.review { color: var(--review); }
.level.warn { color: var(--muted); }
.fix { margin-left: 12px; }
.fix::before { content: "Fix: "; font-weight: 600; }
.exception { margin-left: 12px; font-style: italic; color: var(--muted); }
code { font-size: 13px; background: #f2f4f7; padding: 0 4px; border-radius: 4px; }
footer { margin: 40px auto 24px; font-size: 13px; color: var(--muted); }
/* A phone (390 px): small tables become one card per row, each value under its
   column's name; the inventory scrolls sideways with the tool's name pinned; the map
   scrolls inside its frame. Nothing makes the page itself wider than the screen. */
@media (max-width: 640px) {
  header, main, footer { padding: 0 12px; }
  header { padding-top: 12px; }
  h1 { font-size: 23px; }
  .cards li { flex: 1 1 140px; min-width: 0; padding: 8px 12px; }
  .cards b { font-size: 19px; }
  nav a { display: inline-block; margin: 0 12px 6px 0; }
  .controls input { width: 100%; }
  .phone-only { display: inline; }
  table.cardable thead { display: none; }
  table.cardable, table.cardable tbody, table.cardable tr, table.cardable td {
    display: block; width: 100%; }
  table.cardable tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  table.cardable td { display: flex; justify-content: space-between; gap: 12px;
    border: 0; padding: 3px 10px; text-align: right; overflow-wrap: anywhere; }
  table.cardable td::before { content: attr(data-label); font-weight: 600;
    color: var(--muted); text-align: left; flex: 0 0 40%; }
  table.cardable td.num { white-space: normal; }
  table.cardable td:empty { display: none; }
  table.cardable td:first-child { justify-content: flex-start; text-align: left;
    font-weight: 600; font-size: 16px; }
  table.cardable td:first-child::before { content: none; }
  #inventory-table { width: max-content; }
  #inventory-table td.tool, #inventory-table th:first-child { position: sticky; left: 0;
    background: #fff; z-index: 1; min-width: 8em; max-width: 42vw;
    overflow-wrap: break-word; box-shadow: 1px 0 0 var(--line); }
  #inventory-table th:first-child { z-index: 2; background: #f2f4f7; }
  .map-wrap { max-height: 75vh; }
}
"""

# Sorting: a cell's data-sort value when present (dates, a currency then a zero-padded
# amount, the decision's rank), else its text, as text; empty cells always
# last; equal keys keep their previous order (a stable sort), so sorting by decision
# and then by cost groups as a reader expects.
JS = """
(function () {
  "use strict";
  var table = document.getElementById("inventory-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var texts = new Map();
  rows.forEach(function (row) { texts.set(row, row.textContent.toLowerCase()); });
  var filter = document.getElementById("filter");
  var decision = document.getElementById("decision");
  var status = document.getElementById("status");
  var shown = document.getElementById("shown");

  function applyFilter() {
    var query = filter.value.trim().toLowerCase();
    var wanted = decision.value;
    var stage = status.value;
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!wanted || row.getAttribute("data-decision") === wanted) &&
        (!stage || row.getAttribute("data-status") === stage) &&
        (!query || texts.get(row).indexOf(query) !== -1);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " shown";
  }

  function sortKey(row, index) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort")
      : cell.textContent.trim();
    if (raw === "") { return null; }
    return raw.toLowerCase();
  }

  function sortBy(th, index) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (other) {
      other.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows.map(function (row, position) {
      return { row: row, key: sortKey(row, index), position: position };
    });
    keyed.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        return (a.key === null) - (b.key === null) || a.position - b.position;
      }
      var order = a.key < b.key ? -1 : (a.key > b.key ? 1 : 0);
      return (ascending ? order : -order) || a.position - b.position;
    });
    rows = keyed.map(function (item) { return item.row; });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    th.querySelector("button").addEventListener("click", function () { sortBy(th, index); });
  });
  filter.addEventListener("input", applyFilter);
  decision.addEventListener("change", applyFilter);
  status.addEventListener("change", applyFilter);
  applyFilter();
}());
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page(title: str, body: str) -> str:
    """The whole document around `body`: the pinned style and script, nothing else."""
    # default-src 'none': whatever might slip into the page cannot fetch, frame or run
    # anything; only our own style and script, pinned by hash, are allowed.
    policy = (f"default-src 'none'; style-src {_csp_hash(CSS)}; script-src {_csp_hash(JS)}; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        '<link rel="icon" href="data:,">\n'  # no favicon.ico request
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}<script>{JS}</script>\n"
        "</body>\n</html>\n"
    )
