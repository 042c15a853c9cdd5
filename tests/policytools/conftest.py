from __future__ import annotations

from pathlib import Path

import pytest

from ..gitutil import make_repo

EXAMPLES = ["semrush", "typeform", "zoom-webinars", "mailchimp", "hubspot-marketing-hub"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository on `main` with the real policies and five example requests."""
    path = make_repo(tmp_path / "repo", EXAMPLES)
    monkeypatch.chdir(path)
    return path
