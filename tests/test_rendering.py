"""The wordings every report shares (rendering)."""

from __future__ import annotations

from martechgov.rendering import counted


def test_a_count_carries_its_noun_and_thousands_separator() -> None:
    assert counted(1, "tool") == "1 tool"
    assert counted(0, "tool") == "0 tools"
    assert counted(1234, "request") == "1,234 requests"
