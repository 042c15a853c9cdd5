"""`martechgov map`: Mermaid and DOT for a known request set (tests/data/leadership).

acme-crm (review) exchanges contact data with Salesforce both ways and sends content
(not personal) to Snowflake; brand-survey (approve) receives content from the website
CMS; pixel-denied (deny) receives device data from Google Tag Manager; broken is
invalid. Denied and invalid tools appear only with --include-denied, and then every
flow of theirs is grey and dashed. Each tool says its status and where data is stored.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from martechgov.cli import main
from martechgov.leadership.datamap import mermaid_text
from martechgov.leadership.mapformats import dot_string

from ..conftest import DATA

FIXTURES = "tests/data/leadership"


def render(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, ["map", *args, "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_mermaid_is_exact(runner: CliRunner, in_root: Path) -> None:
    assert render(runner, FIXTURES) == """\
flowchart LR
  %% Martech data flows as of 2026-11-23 (denied and invalid tools left out)
  tool_acme_crm["Acme CRM Sync<br/>personal data · review, proposed<br/>stored in us"]
  tool_brand_survey["Brand Survey<br/>no personal data · approved<br/>storage region not stated"]
  system_salesforce[("Salesforce Sales Cloud (CRM)")]
  system_snowflake[("Snowflake data warehouse")]
  system_website_cms[("Corporate website (Contentful CMS)")]
  tool_acme_crm <-->|"bidirectional: contact (personal data)"| system_salesforce
  tool_acme_crm -->|"outbound: content"| system_snowflake
  system_website_cms -->|"inbound: content"| tool_brand_survey
  classDef personal_data fill:#fde8e6,stroke:#b42318,stroke-width:2px,color:#101828
  class tool_acme_crm personal_data
  classDef no_personal_data fill:#ecfdf3,stroke:#067647,stroke-width:2px,color:#101828
  class tool_brand_survey no_personal_data
  classDef it_system fill:#eef4ff,stroke:#3538cd,stroke-width:2px,color:#101828
  class system_salesforce,system_snowflake,system_website_cms it_system
  linkStyle 0 stroke:#b42318,stroke-width:3px,color:#b42318
"""


def test_dot_is_exact_with_denied_included(runner: CliRunner, in_root: Path) -> None:
    assert render(runner, FIXTURES, "--format", "dot", "--include-denied") == """\
digraph martech {
  graph [rankdir=LR, label="Martech data flows as of 2026-11-23", labelloc=t, fontname="Helvetica"];
  node [shape=box, style="rounded,filled", fontname="Helvetica"];
  edge [fontname="Helvetica", fontsize=10];
  subgraph cluster_tools {
    label="Marketing tools";
    tool_acme_crm [fillcolor="#fde8e6", color="#b42318", penwidth=2, style="rounded,filled", label="Acme CRM Sync\\npersonal data · review, proposed\\nstored in us"];
    tool_brand_survey [fillcolor="#ecfdf3", color="#067647", penwidth=2, style="rounded,filled", label="Brand Survey\\nno personal data · approved\\nstorage region not stated"];
    tool_unknown_key [fillcolor="#f2f4f7", color="#667085", penwidth=2, style="rounded,filled,dashed", label="tests/data/leadership/broken.yaml\\ncontents unknown · invalid, proposed\\nstorage unknown"];
    tool_pixel_denied [fillcolor="#f2f4f7", color="#667085", penwidth=2, style="rounded,filled,dashed", label="Retarget Pixel\\npseudonymous data · deny, proposed\\nstored in us"];
  }
  subgraph cluster_systems {
    label="IT systems";
    system_salesforce [fillcolor="#eef4ff", color="#3538cd", penwidth=2, style="rounded,filled", shape=cylinder, label="Salesforce Sales Cloud (CRM)"];
    system_snowflake [fillcolor="#eef4ff", color="#3538cd", penwidth=2, style="rounded,filled", shape=cylinder, label="Snowflake data warehouse"];
    system_website_cms [fillcolor="#eef4ff", color="#3538cd", penwidth=2, style="rounded,filled", shape=cylinder, label="Corporate website (Contentful CMS)"];
    system_google_tag_manager [fillcolor="#eef4ff", color="#3538cd", penwidth=2, style="rounded,filled", shape=cylinder, label="Google Tag Manager"];
  }
  tool_acme_crm -> system_salesforce [label="bidirectional: contact (personal data)", color="#b42318", fontcolor="#b42318", penwidth=3, dir=both];
  tool_acme_crm -> system_snowflake [label="outbound: content", color="#475467", fontcolor="#475467", penwidth=1.2];
  system_website_cms -> tool_brand_survey [label="inbound: content", color="#475467", fontcolor="#475467", penwidth=1.2];
  system_google_tag_manager -> tool_pixel_denied [label="inbound: device (personal data)", color="#98a2b3", fontcolor="#98a2b3", penwidth=1.2, style=dashed];
}
"""  # noqa: E501


def test_denied_and_invalid_tools_are_left_out_unless_asked(runner: CliRunner,
                                                           in_root: Path) -> None:
    for output_format in ("mermaid", "dot"):
        default = render(runner, FIXTURES, "--format", output_format)
        included = render(runner, FIXTURES, "--format", output_format, "--include-denied")
        for hidden in ("Retarget Pixel", "broken.yaml", "Google Tag Manager"):
            assert hidden not in default and hidden in included
    mermaid = render(runner, FIXTURES, "--include-denied")
    assert "class tool_unknown_key,tool_pixel_denied denied" in mermaid
    # The denied tool's flow carries personal data, but it is grey like the tool: red
    # is for flows that happen (or may), not for what IT turned down.
    assert "linkStyle 0 stroke:#b42318," in mermaid
    assert "linkStyle 3 stroke:#98a2b3,stroke-width:1.5px,stroke-dasharray:5 4," in mermaid


def test_repository_map_follows_the_data(runner: CliRunner, in_root: Path) -> None:
    mermaid = render(runner)
    # inbound = system -> tool, outbound = tool -> system, bidirectional both ways
    assert ("system_google_tag_manager -->|\"inbound: device, behavioral (personal data)\"| "
            "tool_google_analytics_4") in mermaid
    assert "tool_twilio_segment -->|\"outbound: contact, behavioral (personal data)\"| " \
           "system_salesforce" in mermaid
    assert "tool_zoominfo <-->|" in mermaid
    assert "tool_mailchimp" not in mermaid and "tool_meta_pixel" not in mermaid  # denied
    edges = [line for line in mermaid.splitlines() if "-->|" in line]
    assert len(edges) == 11
    assert mermaid.splitlines()[-1] == (
        "  linkStyle 0,1,2,3,4,5,6,7,8,9,10 stroke:#b42318,stroke-width:3px,color:#b42318")


def test_a_system_outside_the_catalog_is_marked(runner: CliRunner, tmp_path: Path) -> None:
    text = (DATA / "leadership" / "brand-survey.yaml").read_text()
    (tmp_path / "brand-survey.yaml").write_text(text.replace("system: website-cms",
                                                             "system: homegrown-db"))
    mermaid = render(runner, str(tmp_path), "--include-denied")
    assert """system_homegrown_db[("homegrown-db (not in IT's catalog)")]""" in mermaid
    assert "class system_homegrown_db not_in_catalog" in mermaid
    assert "stroke-dasharray:5 4" in mermaid


def test_hostile_names_cannot_break_out_of_labels(runner: CliRunner, tmp_path: Path) -> None:
    # Checked by rendering with Mermaid 11 in chromium: this label shows exactly as typed.
    name = "<script>alert(1)</script> [x] {y} | #z; #60; `w` %%{init}%% end <br/>"
    text = (DATA / "leadership" / "brand-survey.yaml").read_text()
    (tmp_path / "brand-survey.yaml").write_text(text.replace("Brand Survey", json.dumps(name)))
    mermaid = render(runner, str(tmp_path))
    assert ('  tool_brand_survey["&lt;script&gt;alert(1)&lt;/script&gt; [x] {y} | &num;z; '
            "&num;60; &grave;w&grave; &percnt;&percnt;{init}&percnt;&percnt; end "
            '&lt;br/&gt;<br/>no personal data · approved<br/>storage region not stated"]\n'
            ) in mermaid
    assert "<script" not in mermaid
    dot = render(runner, str(tmp_path), "--format", "dot")
    assert f'label="{name}\\nno personal data' in dot


def test_label_escaping() -> None:
    assert mermaid_text('Acme "Pro" & <b>') == "Acme &quot;Pro&quot; &amp; &lt;b&gt;"
    assert mermaid_text("Société\u202eevil\nnext\tlast") == "Société\ufffdevil next last"
    assert dot_string('say "hi" \\N') == '"say \\"hi\\" \\\\N"'


_DOT_STATEMENT = re.compile(
    r"""^\s*(?:
        (?:digraph\s+\w+|subgraph\s+\w+)\s*\{           # graph or cluster opens
      | \}                                              # closes
      | (?:graph|node|edge)\s*\[.*\];                   # default attributes
      | label="(?:[^"\\]|\\.)*";                        # cluster label
      | \w+\s*\[.*\];                                   # node
      | \w+\s*->\s*\w+\s*\[.*\];                        # edge
    )\s*$""", re.VERBOSE)
_DOT_ATTRIBUTES = re.compile(r'^(?:\s*\w+=(?:"(?:[^"\\]|\\.)*"|[\w.]+)\s*(?:,|$))+$')


def check_dot_shape(text: str) -> None:
    """What Graphviz needs: balanced braces, known statements, well-formed attributes."""
    depth = 0
    for line in text.splitlines():
        assert _DOT_STATEMENT.match(line), line
        depth += line.count("{") - line.count("}") if "label=" not in line else 0
        assert depth >= 0
        attributes = re.search(r"\[(.*)\];\s*$", line)
        if attributes:
            assert _DOT_ATTRIBUTES.match(attributes.group(1)), line
    assert depth == 0


def test_dot_is_valid_graphviz(runner: CliRunner, in_root: Path, tmp_path: Path) -> None:
    name = 'Evil "quote" \\N {brace} -> x; [y]'
    text = (DATA / "leadership" / "brand-survey.yaml").read_text()
    hostile = tmp_path / "requests"
    hostile.mkdir()
    (hostile / "brand-survey.yaml").write_text(text.replace("name: Brand Survey",
                                                            f"name: '{name}'"))
    # regorus: the embedded engine cannot yet judge a name with a double quote.
    sets = [render(runner, "--format", "dot", "--include-denied"),
            render(runner, str(hostile), "--format", "dot", "--engine", "regorus")]
    for dot in sets:
        check_dot_shape(dot)
    if shutil.which("dot") is None:
        return  # Graphviz is optional; the shape check above still ran
    for dot in sets:
        rendered = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True,
                                  text=True, check=False, timeout=30)
        assert rendered.returncode == 0, rendered.stderr
        assert "<svg" in rendered.stdout and rendered.stderr == ""
    assert "Evil &quot;quote&quot; \\N {brace}" in subprocess.run(
        ["dot", "-Tsvg"], input=sets[1], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("output_format", ["mermaid", "dot"])
def test_an_empty_map_is_still_valid(runner: CliRunner, tmp_path: Path,
                                     output_format: str) -> None:
    text = render(runner, str(tmp_path), "--format", output_format)
    if output_format == "mermaid":
        assert text.endswith('  empty["No tools to show"]\n')
    else:
        check_dot_shape(text)
