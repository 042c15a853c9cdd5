"""The data-flow map: tools, the IT systems they integrate with, and what flows where.

One graph model (`DataMap`) and two text renderings of it: Mermaid (renders in GitHub
Markdown) and Graphviz DOT. Arrows follow the data: an `inbound` integration is drawn
system -> tool, `outbound` tool -> system, `bidirectional` both ways. Flows that carry
personal data are drawn red and thick and say so in their label, so the marking
survives a black-and-white printout. Each tool says where its vendor stores the data
and its lifecycle status. Tools whose request fails (`RequestResult.fails`: denied or
invalid) are left out unless asked for, and then they and every flow of theirs are
grey and dashed: the map shows what is (or may become) in use. Retired tools are left
out. Both renderings follow the `rendering.Registry` shape (MAP_FORMATS).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from martechgov.leadership.portfolio import Portfolio
from martechgov.lifecycle import STATUS_WORDS
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
DENIED_EDGE = "#98a2b3"  # every flow of a denied or invalid tool
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
    status: str = "proposed"  # lifecycle status, in words
    storage_regions: tuple[str, ...] = ()

    @property
    def style(self) -> str:
        if self.fails or self.personal_data is None:
            return "denied"
        return self.personal_data

    @property
    def subtitle(self) -> str:
        """`personal data · in use`, `personal data · review, proposed`."""
        data = PERSONAL_WORDS.get(self.personal_data or "", "contents unknown")
        if self.status in ("approved", "in use"):
            signed = "" if self.decision == "approve" else f"{self.decision} signed off, "
            return f"{data} · {signed}{self.status}"
        return f"{data} · {self.decision}, {self.status}"

    @property
    def stored(self) -> str:
        """`stored in eu, us` (where the vendor keeps the data)."""
        if self.personal_data is None:
            return "storage unknown"
        if not self.storage_regions:
            return "storage region not stated"
        return "stored in " + ", ".join(self.storage_regions)


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
    denied: bool = False  # the tool's request fails: drawn grey, whatever it carries

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
        status = portfolio.status(result)
        if (result.fails and not include_denied) or status == "retired":
            continue
        tool = _tool_node(result, keys, STATUS_WORDS[status])
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


def _tool_node(result: RequestResult, keys: _Keys, status: str) -> ToolNode:
    request = result.request if result.decision != "invalid" else None
    if request is None:  # invalid: the file is the only name to trust
        key = keys.make("tool", result.id or Path(result.file).stem)
        return ToolNode(key, result.file, result.decision, None, result.file, result.fails,
                        status)
    return ToolNode(keys.make("tool", request.id), request.tool.name, result.decision,
                    request.data.personal_data, result.file, result.fails, status,
                    tuple(request.data.storage_regions))


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
    return Flow(tool.key, system.key, integration.direction, data, personal, tool.fails)


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
                         f'{mermaid_text(tool.subtitle)}<br/>{mermaid_text(tool.stored)}"]\n')
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
        personal = [str(i) for i, flow in enumerate(data_map.flows)
                    if flow.personal and not flow.denied]
        if personal:
            stream.write(f"  linkStyle {','.join(personal)} stroke:{PERSONAL_EDGE},"
                         "stroke-width:3px,color:#b42318\n")
        denied = [str(i) for i, flow in enumerate(data_map.flows) if flow.denied]
        if denied:
            stream.write(f"  linkStyle {','.join(denied)} stroke:{DENIED_EDGE},"
                         f"stroke-width:1.5px,stroke-dasharray:5 4,color:{DENIED_EDGE}\n")


# Mermaid class names that read well in the source and cannot clash with keywords.
_MERMAID_CLASSES = {
    "none": "no_personal_data", "pseudonymous": "pseudonymous_data",
    "personal": "personal_data", "special-category": "special_category_data",
    "denied": "denied", "system": "it_system", "uncataloged": "not_in_catalog",
}


def _class_name(style: str) -> str:
    return _MERMAID_CLASSES[style]


def edge_colour(flow: Flow) -> str:
    """Grey for a denied tool's flow, red for personal data, else the plain colour."""
    if flow.denied:
        return DENIED_EDGE
    return PERSONAL_EDGE if flow.personal else PLAIN_EDGE
