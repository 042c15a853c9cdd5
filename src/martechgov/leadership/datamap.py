"""The data-flow map: tools, the IT systems they integrate with, and what flows where.

One graph model (`DataMap`) and two text renderings of it: Mermaid (renders in GitHub
Markdown) and Graphviz DOT. Arrows follow the data: an `inbound` integration is drawn
system -> tool, `outbound` tool -> system, `bidirectional` both ways. Flows that carry
personal data are drawn red and thick and say so in their label, so the marking
survives a black-and-white printout. Tools whose request fails (`RequestResult.fails`:
denied or invalid) are left out unless asked for: the map shows what is (or may
become) in use. Both renderings follow the `rendering.Registry` shape (MAP_FORMATS).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from martechgov.leadership.portfolio import Portfolio
from martechgov.rendering import Registry, render
from martechgov.request_model import Integration, ToolRequest
from martechgov.result import RequestResult

# Everything but free-text content can identify a person (GDPR Art. 4(1)).
NON_PERSONAL_CATEGORIES = frozenset({"content"})
PERSONAL_WORDS = {
    "none": "no personal data",
    "pseudonymous": "pseudonymous data",
    "personal": "personal data",
    "special-category": "special-category data",
}

# One palette for Mermaid, DOT and the HTML report's SVG: (fill, stroke).
STYLES: dict[str, tuple[str, str]] = {
    "none": ("#ecfdf3", "#067647"),
    "pseudonymous": ("#fff4e5", "#b54708"),
    "personal": ("#fde8e6", "#b42318"),
    "special-category": ("#f9d2d0", "#7a0f0b"),
    "denied": ("#f2f4f7", "#667085"),
    "system": ("#eef4ff", "#3538cd"),
    "uncataloged": ("#fffaeb", "#b54708"),
}
PERSONAL_EDGE = "#b42318"
PLAIN_EDGE = "#475467"
# Mermaid's defaults (maxTextSize, maxEdges); GitHub refuses bigger diagrams.
MERMAID_MAX_TEXT = 50_000
MERMAID_MAX_EDGES = 500


@dataclass(frozen=True)
class ToolNode:
    key: str  # a node id safe in Mermaid and DOT
    name: str
    decision: str
    personal_data: str | None  # None for an invalid file
    file: str
    fails: bool  # the request's `RequestResult.fails`: drawn grey and dashed

    @property
    def style(self) -> str:
        if self.fails or self.personal_data is None:
            return "denied"
        return self.personal_data

    @property
    def subtitle(self) -> str:
        data = PERSONAL_WORDS.get(self.personal_data or "", "contents unknown")
        return f"{data} · {self.decision}"


@dataclass(frozen=True)
class SystemNode:
    key: str
    system_id: str
    name: str
    in_catalog: bool  # False: the request names a system IT does not know

    @property
    def style(self) -> str:
        return "system" if self.in_catalog else "uncataloged"


@dataclass(frozen=True)
class Flow:
    tool: str  # ToolNode.key
    system: str  # SystemNode.key
    direction: str  # inbound (system -> tool), outbound (tool -> system), bidirectional
    data: tuple[str, ...]
    personal: bool

    @property
    def label(self) -> str:
        """`inbound: contact, behavioral (personal data)`."""
        text = self.direction + (": " + ", ".join(self.data) if self.data else "")
        return text + (" (personal data)" if self.personal else "")

    @property
    def ends(self) -> tuple[str, str]:
        """(from, to) following the data; a bidirectional flow starts at the tool."""
        if self.direction == "inbound":
            return (self.system, self.tool)
        return (self.tool, self.system)


@dataclass(frozen=True)
class DataMap:
    tools: list[ToolNode]
    systems: list[SystemNode]
    flows: list[Flow]
    as_of: dt.date
    include_denied: bool = False


def build_map(portfolio: Portfolio, include_denied: bool = False) -> DataMap:
    """The graph of the judged requests (without failing ones by default)."""
    catalog = portfolio.systems
    keys = _Keys()
    tools: list[ToolNode] = []
    systems: dict[str, SystemNode] = {}  # by system id, in order of first mention
    flows: list[Flow] = []
    for result in portfolio.report.results:
        if result.fails and not include_denied:
            continue
        tool = _tool_node(result, keys)
        tools.append(tool)
        request = result.request if result.decision != "invalid" else None
        if request is None:
            continue  # an invalid file's integrations are not trusted
        for integration in request.integrations:
            if integration.system not in systems:
                systems[integration.system] = _system_node(integration.system, catalog, keys)
            flows.append(_flow(tool, systems[integration.system], integration, request))
    return DataMap(tools, list(systems.values()), flows, portfolio.report.as_of,
                   include_denied)


class _Keys:
    """Unique node ids built from slugs (`tool_hubspot_marketing_hub`)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, prefix: str, name: str) -> str:
        base = f"{prefix}_{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}"
        key, n = base, 2
        while key in self.used:  # the same id in two folders
            key, n = f"{base}_{n}", n + 1
        self.used.add(key)
        return key


def _tool_node(result: RequestResult, keys: _Keys) -> ToolNode:
    request = result.request if result.decision != "invalid" else None
    if request is None:  # invalid: the file is the only name to trust
        key = keys.make("tool", result.id or Path(result.file).stem)
        return ToolNode(key, result.file, result.decision, None, result.file, result.fails)
    return ToolNode(keys.make("tool", request.id), request.tool.name, result.decision,
                    request.data.personal_data, result.file, result.fails)


def _system_node(system_id: str, catalog: dict[str, str], keys: _Keys) -> SystemNode:
    known = system_id in catalog
    name = catalog[system_id] if known else f"{system_id} (not in IT's catalog)"
    return SystemNode(keys.make("system", system_id), system_id, name, known)


def _flow(tool: ToolNode, system: SystemNode, integration: Integration,
          request: ToolRequest) -> Flow:
    data = tuple(integration.data)
    if data:
        personal = any(c not in NON_PERSONAL_CATEGORIES for c in data)
    else:  # categories not stated: assume what the tool holds may flow
        personal = request.data.personal_data != "none"
    return Flow(tool.key, system.key, integration.direction, data, personal)


def caption(data_map: DataMap) -> str:
    left_out = "" if data_map.include_denied else " (denied and invalid tools left out)"
    return f"Martech data flows as of {data_map.as_of.isoformat()}{left_out}"


# --- Mermaid -----------------------------------------------------------------------

# Inside a quoted Mermaid label only `"` ends the string, and the label is then drawn
# as HTML. HTML entities keep <, >, & and " literal; `#` and backticks are entities too,
# because Mermaid reads `#name;` as its own escape and a leading backtick as Markdown.
# (Mermaid's own `#60;` codes are not decoded by Mermaid 11 in flowchart labels.)
_MERMAID_ENTITIES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "#": "&num;", "`": "&grave;",
    "%": "&percnt;",  # Mermaid drops `%%...` (comments, directives) even inside quotes
})


def mermaid_text(text: str) -> str:
    """Text shown literally inside a quoted Mermaid node label."""
    visible = "".join(ch if ch.isprintable() else "\ufffd" for ch in " ".join(text.split()))
    return visible.translate(_MERMAID_ENTITIES)


_MERMAID_ARROWS = {"inbound": "-->", "outbound": "-->", "bidirectional": "<-->"}


class MermaidRenderer:
    def write(self, data_map: DataMap, stream: TextIO) -> None:
        stream.write("flowchart LR\n")
        stream.write(f"  %% {mermaid_text(caption(data_map))}\n")
        if not data_map.tools:
            stream.write('  empty["No tools to show"]\n')
            return
        # No subgraphs: Mermaid lays a flat graph out far more readably (sources left).
        for tool in data_map.tools:
            stream.write(f'  {tool.key}["{mermaid_text(tool.name)}<br/>'
                         f'{mermaid_text(tool.subtitle)}"]\n')
        for system in data_map.systems:
            stream.write(f'  {system.key}[("{mermaid_text(system.name)}")]\n')
        for flow in data_map.flows:
            start, end = flow.ends
            stream.write(f'  {start} {_MERMAID_ARROWS[flow.direction]}|'
                         f'"{mermaid_text(flow.label)}"| {end}\n')
        self._styles(data_map, stream)

    @staticmethod
    def _styles(data_map: DataMap, stream: TextIO) -> None:
        members: dict[str, list[str]] = {}
        nodes: list[ToolNode | SystemNode] = [*data_map.tools, *data_map.systems]
        for node in nodes:
            members.setdefault(node.style, []).append(node.key)
        for style, keys in members.items():
            fill, stroke = STYLES[style]
            dash = ",stroke-dasharray:5 4" if style in ("denied", "uncataloged") else ""
            stream.write(f"  classDef {_class_name(style)} fill:{fill},stroke:{stroke},"
                         f"stroke-width:2px,color:#101828{dash}\n")
            stream.write(f"  class {','.join(keys)} {_class_name(style)}\n")
        personal = [str(i) for i, flow in enumerate(data_map.flows) if flow.personal]
        if personal:
            stream.write(f"  linkStyle {','.join(personal)} stroke:{PERSONAL_EDGE},"
                         "stroke-width:3px,color:#b42318\n")


# Mermaid class names that read well in the source and cannot clash with keywords.
_MERMAID_CLASSES = {
    "none": "no_personal_data", "pseudonymous": "pseudonymous_data",
    "personal": "personal_data", "special-category": "special_category_data",
    "denied": "denied", "system": "it_system", "uncataloged": "not_in_catalog",
}


def _class_name(style: str) -> str:
    return _MERMAID_CLASSES[style]


def mermaid_limits_note(text: str, data_map: DataMap) -> str | None:
    """A warning when GitHub's Mermaid would refuse to draw the diagram."""
    if len(text) > MERMAID_MAX_TEXT or len(data_map.flows) > MERMAID_MAX_EDGES:
        return (f"the map has {len(data_map.flows)} flows and {len(text):,} characters; "
                f"GitHub's Mermaid draws at most {MERMAID_MAX_EDGES} flows and "
                f"{MERMAID_MAX_TEXT:,} characters. Use --format dot or the HTML report "
                "(martechgov report) for a map this big.")
    return None


# --- Graphviz DOT ------------------------------------------------------------------

def dot_string(text: str) -> str:
    """A double-quoted DOT string; `\\` would start an escape such as \\N, so double it."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + " ".join(text.split()) + '"'


class DotRenderer:
    def write(self, data_map: DataMap, stream: TextIO) -> None:
        stream.write("digraph martech {\n")
        stream.write(f"  graph [rankdir=LR, label={dot_string(caption(data_map))}, "
                     'labelloc=t, fontname="Helvetica"];\n')
        stream.write('  node [shape=box, style="rounded,filled", fontname="Helvetica"];\n')
        stream.write('  edge [fontname="Helvetica", fontsize=10];\n')
        stream.write('  subgraph cluster_tools {\n    label="Marketing tools";\n')
        for tool in data_map.tools:
            stream.write(f"    {tool.key} [{self._node_attributes(tool.style)}, "
                         f"label={_dot_lines(tool.name, tool.subtitle)}];\n")
        stream.write("  }\n")
        stream.write('  subgraph cluster_systems {\n    label="IT systems";\n')
        for system in data_map.systems:
            stream.write(f"    {system.key} [{self._node_attributes(system.style)}, "
                         f"shape=cylinder, label={dot_string(system.name)}];\n")
        stream.write("  }\n")
        for flow in data_map.flows:
            stream.write(self._edge(flow))
        stream.write("}\n")

    @staticmethod
    def _node_attributes(style: str) -> str:
        fill, stroke = STYLES[style]
        dashed = ",dashed" if style in ("denied", "uncataloged") else ""
        return (f'fillcolor="{fill}", color="{stroke}", penwidth=2, '
                f'style="rounded,filled{dashed}"')

    @staticmethod
    def _edge(flow: Flow) -> str:
        start, end = flow.ends
        color = PERSONAL_EDGE if flow.personal else PLAIN_EDGE
        width = 3 if flow.personal else 1.2
        both = ", dir=both" if flow.direction == "bidirectional" else ""
        return (f"  {start} -> {end} [label={dot_string(flow.label)}, color=\"{color}\", "
                f"fontcolor=\"{color}\", penwidth={width}{both}];\n")


def _dot_lines(*lines: str) -> str:
    """Several lines in one DOT label: each escaped, joined with DOT's `\\n`."""
    return '"' + "\\n".join(dot_string(line)[1:-1] for line in lines) + '"'


MAP_FORMATS: Registry[DataMap] = {
    "mermaid": lambda ctx: MermaidRenderer(),
    "dot": lambda ctx: DotRenderer(),
}


def render_map(data_map: DataMap, output_format: str) -> tuple[str, str | None]:
    """The map as text, and a warning when GitHub would refuse to draw it."""
    buffer = io.StringIO()
    render(MAP_FORMATS, output_format, data_map, buffer)
    text = buffer.getvalue()
    note = mermaid_limits_note(text, data_map) if output_format == "mermaid" else None
    return text, note

