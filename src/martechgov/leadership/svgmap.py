"""The data-flow map as an inline SVG, laid out here: no layout engine, no script.

Tools stand in a left column and IT systems in a right one, joined by curved edges.
The order in each column follows the other column's (a barycentre pass), which keeps
most curves from crossing; each system sits level with the tools it talks to.
Personal-data flows are red, thick and carry a dot in the middle, so they stay
visible without colour; every flow of a denied or invalid tool is grey and dashed.
Each tool says its decision, its lifecycle status and where its vendor stores data.
Every text is escaped: it comes from request files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from martechgov.leadership.datamap import (
    DENIED_EDGE,
    PERSONAL_EDGE,
    PLAIN_EDGE,
    STYLES,
    DataMap,
    Flow,
    edge_colour,
)
from martechgov.leadership.htmlassets import escape

NODE_WIDTH = 290
NODE_HEIGHT = 50
ROW = 60  # node height plus the gap below it
GAP = 300  # between the columns, room for the curves
MARGIN = 24
TOP = 40  # room for the column titles
NAME_CHARS = 34  # a name longer than this is cut (the full name is in the tooltip)


@dataclass(frozen=True)
class Placed:
    key: str
    name: str
    subtitle: str
    style: str
    x: float
    y: float  # top edge
    link: str | None = None  # an anchor in the page (`#req-3`)
    detail: str = ""  # a third line: where the vendor stores the data

    @property
    def middle(self) -> float:
        return self.y + NODE_HEIGHT / 2


def order_columns(data_map: DataMap) -> tuple[list[str], list[str]]:
    """Tool keys and system keys, each ordered by the mean position of its partners."""
    partners: dict[str, list[str]] = {}
    for flow in data_map.flows:
        partners.setdefault(flow.tool, []).append(flow.system)
        partners.setdefault(flow.system, []).append(flow.tool)
    systems = sorted((s.key for s in data_map.systems),
                     key=lambda k: (-len(partners.get(k, [])), k))
    tools = [t.key for t in data_map.tools]
    for _ in range(2):  # two passes settle small maps; more changes little
        tools = _by_barycentre(tools, systems, partners)
        systems = _by_barycentre(systems, tools, partners)
    return tools, systems


def _by_barycentre(keys: list[str], other: list[str],
                   partners: dict[str, list[str]]) -> list[str]:
    position = {key: index for index, key in enumerate(other)}

    def centre(item: tuple[int, str]) -> tuple[float, int]:
        index, key = item
        linked = [position[p] for p in partners.get(key, []) if p in position]
        # Unconnected nodes keep their relative order, after the connected ones.
        return (sum(linked) / len(linked) if linked else float(len(other)), index)

    return [key for _, key in sorted(enumerate(keys), key=centre)]


def _spread(wanted: Sequence[float], bottom: float) -> list[float]:
    """Tops as close to `wanted` as possible, one ROW apart, within [TOP, bottom]."""
    tops: list[float] = []
    for y in wanted:
        tops.append(max(y, tops[-1] + ROW) if tops else max(y, TOP))
    overflow = (tops[-1] + NODE_HEIGHT - bottom) if tops else 0
    if overflow > 0:  # push back up, still one ROW apart
        tops = [max(TOP + i * ROW, y - overflow) for i, y in enumerate(tops)]
    return tops


def layout(data_map: DataMap, link: Callable[[str], str | None]) -> list[Placed]:
    tool_keys, system_keys = order_columns(data_map)
    tools = {t.key: t for t in data_map.tools}
    systems = {s.key: s for s in data_map.systems}
    placed = [Placed(key, tools[key].name, tools[key].subtitle, tools[key].style, MARGIN,
                     TOP + i * ROW, link(key), tools[key].stored)
              for i, key in enumerate(tool_keys)]
    tool_y = {p.key: p.y for p in placed}
    bottom = TOP + max(len(tool_keys), len(system_keys)) * ROW
    linked: dict[str, list[float]] = {}
    for flow in data_map.flows:
        linked.setdefault(flow.system, []).append(tool_y[flow.tool])
    wanted = [sum(ys) / len(ys) if (ys := linked.get(key)) else bottom
              for key in system_keys]
    for key, y in zip(system_keys, _spread(wanted, bottom), strict=True):
        system = systems[key]
        subtitle = "IT system" if system.in_catalog else "not in IT's catalog"
        placed.append(Placed(key, system.name, subtitle, system.style,
                             MARGIN + NODE_WIDTH + GAP, y))
    return placed


def _cut(text: str) -> str:
    return text if len(text) <= NAME_CHARS else text[:NAME_CHARS - 1] + "…"


def _node(node: Placed) -> str:
    fill, stroke = STYLES[node.style]
    dash = ' stroke-dasharray="5 4"' if node.style in ("denied", "uncataloged") else ""
    detail = (f'<text x="{node.x + 10}" y="{node.y + 43}" class="s">'
              f'{escape(node.detail)}</text>' if node.detail else "")
    body = (
        f'<title>{escape(node.name)}: {escape(node.subtitle)}'
        f'{"; " + escape(node.detail) if node.detail else ""}</title>'
        f'<rect x="{node.x}" y="{node.y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" '
        f'rx="7" fill="{fill}" stroke="{stroke}" stroke-width="2"{dash}/>'
        f'<text x="{node.x + 10}" y="{node.y + 15}" class="n">{escape(_cut(node.name))}</text>'
        f'<text x="{node.x + 10}" y="{node.y + 29}" class="s">{escape(node.subtitle)}</text>'
        f"{detail}"
    )
    if node.link:
        body = f'<a href="{escape(node.link)}">{body}</a>'
    return f'<g class="node {escape(node.style)}">{body}</g>'


def _edge(flow: Flow, tool: Placed, system: Placed) -> str:
    x1, y1 = tool.x + NODE_WIDTH, tool.middle
    x2, y2 = system.x, system.middle
    bend = (x2 - x1) / 2
    path = f"M{x1} {y1:.1f} C{x1 + bend} {y1:.1f} {x2 - bend} {y2:.1f} {x2} {y2:.1f}"
    colour = edge_colour(flow)
    kind = "denied" if flow.denied else "personal" if flow.personal else "plain"
    # The path always runs tool -> system; the arrowheads show where data goes.
    heads = ""
    if flow.direction in ("outbound", "bidirectional"):
        heads += f' marker-end="url(#arrow-{kind})"'
    if flow.direction in ("inbound", "bidirectional"):
        heads += f' marker-start="url(#arrow-{kind})"'
    title = f"{tool.name} / {system.name}: {flow.label}"
    dot = ""
    if kind == "personal":
        dot = (f'<circle cx="{(x1 + x2) / 2}" cy="{(y1 + y2) / 2:.1f}" r="4.5" '
               f'fill="{colour}"/>')
    width = 2.6 if kind == "personal" else 1.3
    dash = ' stroke-dasharray="6 4"' if kind == "denied" else ""
    return (f'<g class="edge {kind}"><title>{escape(title)}</title>'
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{width}"'
            f'{dash}{heads}/>{dot}</g>')


def _markers() -> str:
    return "".join(
        f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="11" '
        'markerHeight="11" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0 0L10 5L0 10z" fill="{colour}"/></marker>'
        for kind, colour in (("personal", PERSONAL_EDGE), ("plain", PLAIN_EDGE),
                             ("denied", DENIED_EDGE)))


def render_svg(data_map: DataMap, link: Callable[[str], str | None],
               caption: str) -> str:
    """The map as one `<svg>` element, sized to its content."""
    nodes = layout(data_map, link)
    by_key = {node.key: node for node in nodes}
    rows = max(len(data_map.tools), len(data_map.systems), 1)
    width = 2 * MARGIN + 2 * NODE_WIDTH + GAP
    height = TOP + rows * ROW + MARGIN
    edges = "".join(_edge(f, by_key[f.tool], by_key[f.system]) for f in data_map.flows)
    headings = (
        f'<text x="{MARGIN}" y="22" class="h">Marketing tools ({len(data_map.tools)})</text>'
        f'<text x="{MARGIN + NODE_WIDTH + GAP}" y="22" class="h">IT systems '
        f'({len(data_map.systems)})</text>'
    )
    empty = ("" if data_map.tools else
             f'<text x="{MARGIN}" y="{TOP + 20}" class="s">No tools to show.</text>')
    return (
        # No xmlns: inside HTML the parser puts <svg> in the SVG namespace itself.
        f'<svg id="flow-map" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(caption)}"><title>{escape(caption)}</title>'
        f"<defs>{_markers()}</defs>{headings}{edges}"
        f'{"".join(_node(n) for n in nodes)}{empty}</svg>'
    )
