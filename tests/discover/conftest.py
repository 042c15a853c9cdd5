"""A small card export and request folder, shared by the matching and format tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import ROOT

CARD = ("Transaction Date,Merchant,Amount,Currency,Employee,Category\n"
        '2026-03-01,HUBSPOT *INC,"3,600.00",USD,Priya Raman,Software\n'
        "2026-03-02,CANVA* 104839201,119.99,USD,Ana Ruiz,Software\n"
        "2026-04-02,CANVA PTY LTD SYDNEY,119.99,USD,Ben Okafor,Software\n"
        "2026-04-05,PAYPAL *MAILCHIMP,20.00,EUR,Jonas Berg,Subscriptions\n"
        "2026-04-06,UBER *TRIP,20.00,USD,Jonas Berg,Travel\n"
        "2026-04-07,GOOGLE *ADS1234,12x,USD,Jonas Berg,Advertising\n")


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (tmp_path / "req").mkdir()
    for name in ("hubspot-marketing-hub", "mailchimp", "typeform"):
        shutil.copy(ROOT / "requests" / f"{name}.yaml", tmp_path / "req")
    (tmp_path / "card.csv").write_text(CARD)
    monkeypatch.chdir(tmp_path)
    return ["discover", "card.csv", "--requests", "req", "--policies", str(ROOT / "policies"),
            "--as-of", "2026-11-23"]
