"""The built-in catalog of well-known tools, and category guesses for the rest."""

from __future__ import annotations

import pytest

from martechgov.discover.catalog import catalog_index, guess_category
from martechgov.discover.names import normalise


@pytest.mark.parametrize("raw, tool", [
    ("CANVA* 104839201", "Canva"), ("OPENAI *CHATGPT SUBSCR", "ChatGPT"),
    ("Apollo.io", "Apollo.io"), ("REALTIMEBOARD", "Miro"), ("FACEBK ADS", "Meta Ads"),
])
def test_well_known_tools_are_recognised(raw: str, tool: str) -> None:
    match = catalog_index().match(normalise(raw))
    assert match is not None and match.targets[0].name == tool


def test_a_vendor_of_many_products_alone_is_no_tool() -> None:
    assert catalog_index().match(normalise("GOOGLE *SERVICES")) is None


@pytest.mark.parametrize("words, category", [
    (["acme", "ads"], "ad-platform"), (["survey", "cloud"], "survey"),
    (["acme", "heatmap"], "session-replay"), (["acme"], "other"),
])
def test_category_guesses(words: list[str], category: str) -> None:
    assert guess_category(words) == category
