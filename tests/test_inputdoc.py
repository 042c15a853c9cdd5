"""The input document: canonical request, the evaluation date, and the comparison keys."""

from __future__ import annotations

import json

import pytest

from martechgov.inputdoc import input_document
from martechgov.loader import load_request, load_request_text

from .conftest import AS_OF, DATA, ROOT

KOCHAVA = (ROOT / "requests" / "kochava-attribution.yaml").read_text()


@pytest.mark.parametrize("written", [
    "KOCHAVA INC.", "KOCHAVA \\u0130NC.", "\\u212aochava Inc.", "Kochava Inc.\\u00a0",
    "\\u3000Kochava Inc.", "Kochava\\u2003Inc.", "Kochava Inc.\\u2028",
])
def test_the_vendor_key_is_folded_once_for_every_engine(written: str) -> None:
    loaded = load_request_text(KOCHAVA.replace("vendor: Kochava Inc.", f'vendor: "{written}"'),
                               "requests/kochava-attribution.yaml")
    assert loaded.request is not None, loaded.problems
    doc = input_document(loaded.request, AS_OF, loaded.file)
    assert doc["keys"] == {"vendor": "kochava"}
    assert doc["as_of"] == "2026-11-23"


def test_the_document_is_strict_json_for_every_example_and_the_limits() -> None:
    paths = [*sorted((ROOT / "requests").glob("*.yaml")), DATA / "bounds" / "at-the-limits.yaml"]
    for path in paths:
        loaded = load_request(path, f"requests/{path.name}")
        assert loaded.request is not None, path
        text = json.dumps(input_document(loaded.request, AS_OF, loaded.file), allow_nan=False)
        assert json.loads(text)["request"]["id"] == path.stem
