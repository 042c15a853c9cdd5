"""The JSON Schema helps in the editor: the real yaml-language-server (tests/node, as the
VS Code YAML extension runs it) reads a request with the `# yaml-language-server:
$schema=...` line and the committed schema, and says what martechgov says, in the same
words (`plain_words`): a typo'd key, `yes` for a yes/no question, a date or an amount
written another way; completion offers each allowed value with its meaning.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from martechgov.plain_words import HINTS, MEANINGS
from martechgov.policy import PolicySet
from tests.conftest import ROOT
from tests.editor.lsp import SERVER, LanguageServer

SCHEMA = ROOT / "schema" / "toolrequest-v1.schema.json"
TYPEFORM = (ROOT / "requests" / "typeform.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout as an editor sees it: requests/ beside schema/ (the committed one)."""
    root = tmp_path_factory.mktemp("workspace")
    (root / "requests").mkdir()
    (root / "schema").mkdir()
    shutil.copy(SCHEMA, root / "schema")
    return root


@pytest.fixture(scope="module")
def server(workspace: Path) -> Iterator[LanguageServer]:
    if shutil.which("node") is None or not SERVER.exists():
        pytest.fail("node and yaml-language-server are needed (README Quickstart: "
                    "npm ci --prefix tests/node)")
    started = LanguageServer(workspace)
    try:
        started.start()
        yield started
    finally:
        started.close()
    assert started.process.returncode is not None  # it is gone, whatever happened


@contextmanager
def opened(server: LanguageServer, workspace: Path, name: str, text: str) -> Iterator[str]:
    """`text` open in the editor as requests/<name>, closed afterwards."""
    path = workspace / "requests" / name
    path.write_text(text, encoding="utf-8")
    uri = server.open(path, text)
    try:
        yield uri
    finally:
        server.close_document(uri)
        path.unlink()


def messages(diagnostics: list[dict[str, Any]]) -> dict[tuple[int, int], str]:
    """(1-based line, column) -> message, as martechgov numbers lines."""
    return {(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1):
            d["message"] for d in diagnostics}


def with_mistakes(text: str) -> str:
    for old, new in (
        ("  vendor: TYPEFORM SL\n", "  vendr: TYPEFORM SL\n"),
        ("  dpa_signed: true", "  dpa_signed: yes"),
        ("kind: ToolRequest\n", "kind: ToolRequest\nneeded_by: 01/15/2027\n"),
        ("  annual: 1980", '  annual: "$9,000"'),
        ("  currency: EUR", "  currency: usd"),
        ("  email: aisha.okafor@example.com", "  email: aisha"),
        ("  deployment: saas", "  deployment: agency"),
        ("  - system: salesforce", "  - system: sfdc"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_the_editor_flags_each_mistake_in_martechgovs_words(server: LanguageServer,
                                                            workspace: Path) -> None:
    with opened(server, workspace, "mistakes.yaml", with_mistakes(TYPEFORM)) as uri:
        found = messages(server.diagnostics(uri, some=True))
    deployments = MEANINGS["Deployment"]
    systems = PolicySet.from_directory(ROOT / "policies").systems
    assert found == {
        (4, 12): f"{HINTS['date']} (a date from 1900-01-01 to 2199-12-31)",
        (6, 1): 'Missing property "vendor".',
        (8, 3): "Property vendr is not allowed.",
        (10, 15): "write one of: " + ", ".join(
            f"{value} ({deployments[value]})" for value in
            ("saas", "agency-operated", "tag", "browser-extension", "self-hosted")),
        (16, 10): HINTS["email"],
        (38, 15): HINTS["bool"],
        (45, 13): "write one of: " + ", ".join(f"{k} ({v})" for k, v in systems.items()),
        (50, 11): f"{HINTS['money']} (at most 2 decimal places)",
        (51, 13): HINTS["currency"],
    }
    assert HINTS["bool"] == "write true or false"
    assert HINTS["date"] == "write dates as YYYY-MM-DD, e.g. 2027-01-15"


def test_every_example_request_is_clean_in_the_editor(server: LanguageServer,
                                                      workspace: Path) -> None:
    # The schema and the loader agree: what `martechgov check` reads, the editor accepts.
    # First a file it flags, so that an empty answer below means "read with the schema".
    with opened(server, workspace, "probe.yaml", TYPEFORM + "extra: 1\n") as uri:
        assert server.diagnostics(uri, some=True)
    for example in sorted((ROOT / "requests").glob("*.yaml")):
        with opened(server, workspace, example.name,
                    example.read_text(encoding="utf-8")) as uri:
            assert server.diagnostics(uri) == [], example.name


def test_completion_offers_each_category_with_its_meaning(server: LanguageServer,
                                                          workspace: Path) -> None:
    text = TYPEFORM.replace("  category: survey", "  category: ")
    line = text.splitlines().index("  category: ")
    with opened(server, workspace, "category.yaml", text) as uri:
        offered = {item["label"]: item.get("documentation")
                   for item in server.completion(uri, line, len("  category: "))}
    assert offered == MEANINGS["Category"]


def test_completion_offers_its_systems_with_their_names(server: LanguageServer,
                                                        workspace: Path) -> None:
    text = TYPEFORM.replace("  - system: salesforce", "  - system: ")
    line = text.splitlines().index("  - system: ")
    with opened(server, workspace, "system.yaml", text) as uri:
        offered = {item["label"]: item.get("documentation")
                   for item in server.completion(uri, line, len("  - system: "))}
    assert offered == PolicySet.from_directory(ROOT / "policies").systems


def test_hover_shows_what_a_field_is(server: LanguageServer, workspace: Path) -> None:
    line = TYPEFORM.splitlines().index("  dpa_signed: true")
    with opened(server, workspace, "hover.yaml", TYPEFORM) as uri:
        hover = server.hover(uri, line, 4)
    shown = str(hover["contents"]["value"]).replace("\\", "")  # Markdown escapes
    assert "Whether a data processing agreement (DPA) is signed." in shown
