"""A blocked vendor is blocked however its name is written, on every engine.

Hypothesis writes each block-list name and alias with or without a legal form
(`Inc`, `, Inc.`, `LLC`, `GmbH`, `S.A.`...), in any case, with odd punctuation and
spaces; martechgov folds the request's name once (request_values.name_key) and IT's
names the same way (vendors.yaml `keys`), so regorus, regopy and real OPA all deny.
Before: `Kochava`, `Kochava Inc` and `Kochava, Inc.` were approved while
`Kochava Inc.` was denied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from martechgov.inputdoc import input_document
from martechgov.loader import load_request_text

from . import corpus
from .conftest import POLICY, Judge

NAMES = [name for entry in POLICY.config["vendors"]["blocked"]
         for name in (entry["vendor"], *entry.get("aliases", []))]
FORMS = ["", " Inc", " Inc.", ", Inc.", ",Inc", " LLC", " L.L.C.", " GmbH", " Ltd", " Ltd.",
         " Limited", " S.A.", " Pty Ltd", " Corp.", " Co."]
BASE = yaml.safe_load((corpus.ROOT / "requests" / "typeform.yaml").read_text())


def _bare(name: str) -> str:
    words = name.replace(",", " ").split()
    while len(words) > 1 and words[-1].rstrip(".").lower() in ("inc", "llc", "ltd"):
        words.pop()
    return " ".join(words)


@st.composite
def written(draw: st.DrawFn) -> str:
    name = _bare(draw(st.sampled_from(NAMES))) + draw(st.sampled_from(FORMS))
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title, str.swapcase]))
    space = draw(st.sampled_from([" ", "  ", "\u00a0", "\u3000", "\t"]))
    return draw(st.sampled_from(["", " ", "\u2003"])) + case(name).replace(" ", space)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(vendor=written())
def test_a_blocked_vendor_is_denied_however_it_is_written(engines: dict[str, Judge],
                                                          vendor: str) -> None:
    request: dict[str, Any] = {**BASE, "tool": {**BASE["tool"], "vendor": vendor}}
    loaded = load_request_text(corpus._dump(request), "requests/typeform.yaml",
                               POLICY.request_model)
    assert loaded.request is not None, loaded.problems
    doc = input_document(loaded.request, dt.date(2026, 11, 23), loaded.file)
    for engine, judge in engines.items():
        answer = judge([doc])[0]
        assert "vendor.blocked" in {f["rule"] for f in answer["findings"]}, (engine, vendor)
        assert answer["decision"] == "deny", (engine, vendor)


def test_a_different_vendor_is_not_blocked(engines: dict[str, Judge]) -> None:
    for vendor in ("Kochava Analytics", "Clearview", "Acme Inc."):
        request = {**BASE, "tool": {**BASE["tool"], "vendor": vendor}}
        loaded = load_request_text(corpus._dump(request), "requests/typeform.yaml",
                                   POLICY.request_model)
        assert loaded.request is not None
        doc = input_document(loaded.request, dt.date(2026, 11, 23), loaded.file)
        for engine, judge in engines.items():
            rules = {f["rule"] for f in judge([doc])[0]["findings"]}
            assert "vendor.blocked" not in rules, (engine, vendor)
