"""Reading discovery's JSON for the leadership commands (--discover)."""

from __future__ import annotations

from pathlib import Path

import pytest

from martechgov.errors import UsageError
from martechgov.leadership.shadow import read_shadow_report


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "Expecting value"),
    ("[" * 100_000, "JSON nested too deeply"),
    ('{"version": 1}', "as_of: Field required"),
])
def test_a_file_that_is_not_discoverys_output_is_a_usage_error(
        tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "shadow.json"
    path.write_text(content)
    with pytest.raises(UsageError, match="not the output of `martechgov discover --format "
                                         f"json`: .*{message}"):
        read_shadow_report(path)
