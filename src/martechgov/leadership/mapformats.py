"""The data-flow map's text formats: Mermaid (renders in GitHub Markdown) and Graphviz DOT.

Both render a `datamap.DataMap` (the `rendering.Registry` shape, MAP_FORMATS); Mermaid
warns when GitHub would refuse a diagram this big.
"""

from __future__ import annotations

import io
from typing import TextIO

from martechgov.leadership.datamap import (
    MERMAID_MAX_EDGES,
    MERMAID_MAX_TEXT,
    STYLES,
    DataMap,
    Flow,
    MermaidRenderer,
    caption,
    edge_colour,
)
from martechgov.rendering import Registry, render


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
                         f"label={_dot_lines(tool.name, tool.subtitle, tool.stored)}];\n")
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
        color = edge_colour(flow)
        width = 3 if flow.personal and not flow.denied else 1.2
        both = ", dir=both" if flow.direction == "bidirectional" else ""
        dashed = ", style=dashed" if flow.denied else ""
        return (f"  {start} -> {end} [label={dot_string(flow.label)}, color=\"{color}\", "
                f"fontcolor=\"{color}\", penwidth={width}{both}{dashed}];\n")


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

