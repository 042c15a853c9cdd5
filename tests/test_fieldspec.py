"""policies/fields.yaml: request fields IT declares, and the model built from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from martechgov.errors import PolicyError
from martechgov.loader import load_request_text
from martechgov.policy import PolicySet

from .conftest import ROOT

BASE = (ROOT / "requests" / "typeform.yaml").read_text()


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    return tmp_path / "policies"


def declare(policies: Path, fields: dict[str, object]) -> PolicySet:
    (policies / "fields.yaml").write_text(yaml.safe_dump({"fields": fields}))
    return PolicySet.from_directory(policies)


def refused(policies: Path, fields: dict[str, object]) -> str:
    with pytest.raises(PolicyError) as raised:
        declare(policies, fields)
    return str(raised.value)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"privacy.dpa_signed": {"type": "bool", "description": "Signed?"}},
     "`privacy.dpa_signed` is a core field of the request format; IT fields can add to it, "
     "never redefine it"),
    ({"integrations.extra": {"type": "bool", "description": "x"}},
     "`integrations` is not a section fields can be added to"),
    ({"ai.seats": {"type": "int", "description": "How many?"}},
     "a `int` field needs `maximum`, `minimum`"),
    ({"ai.mode": {"type": "enum", "description": "Which?"}}, "a `enum` field needs `values`"),
    ({"ai.flag": {"type": "bool", "description": "x", "values": {"a": "b"}}},
     "a `bool` field takes no `values`"),
    ({"ai.flag": {"type": "boolean", "description": "x"}}, "fields.ai.flag.type"),
    ({"ai.flag": {"type": "bool", "description": "x",
                  "required_when": {"field": "ai.nothing", "equals": True}}},
     "required_when names `ai.nothing`, which is not a field"),
    ({"AI.Flag": {"type": "bool", "description": "x"}}, "AI.Flag"),
])
def test_a_bad_declaration_is_refused_at_its_file(policies: Path, fields: dict[str, object],
                                                  expected: str) -> None:
    message = refused(policies, fields)
    assert "fields.yaml:" in message and expected in message, message


def test_declared_fields_validate_like_core_fields(policies: Path) -> None:
    policy = declare(policies, {
        "ai.generative": {"type": "bool", "description": "Generates content with AI?"},
        "ai.seats": {"type": "int", "description": "AI seats", "minimum": 0, "maximum": 500},
        "ai.vendor_terms": {"type": "string", "description": "Terms", "max_length": 10},
        "ai.reviewed": {"type": "date", "description": "Reviewed on"},
        "ai.uses": {"type": "list", "description": "Uses", "values": {"chat": "a chatbot",
                                                                       "images": "images"}},
        "privacy.gpc_honoured": {"type": "bool", "description": "Honours GPC?"},
    })
    model = policy.request_model
    good = BASE + "ai:\n  generative: true\n  seats: 5\n  reviewed: 2026-11-01\n" \
                  "  uses: [chat]\n"
    loaded = load_request_text(good.replace("  dpa_signed: true",
                                            "  dpa_signed: true\n  gpc_honoured: true"),
                               "requests/typeform.yaml", model)
    assert loaded.valid, loaded.problems
    assert loaded.request is not None
    dumped = loaded.request.model_dump(mode="json", exclude_none=True)
    assert dumped["ai"] == {"generative": True, "seats": 5, "reviewed": "2026-11-01",
                            "uses": ["chat"]}
    assert dumped["privacy"]["gpc_honoured"] is True
    for bad, words in (("  seats: 5", "`ai.seats`"), ("  generative: true", "`ai.generative`"),
                       ("  uses: [chat]", "`ai.uses[0]`")):
        wrong = {"  seats: 5": "  seats: 501", "  generative: true": '  generative: "true"',
                 "  uses: [chat]": "  uses: [chatbot]"}[bad]
        loaded = load_request_text(good.replace(bad, wrong), "requests/typeform.yaml", model)
        assert not loaded.valid and words in loaded.problems[0].message, loaded.problems


def test_without_fields_the_core_model_judges(policies: Path) -> None:
    (policies / "fields.yaml").unlink()
    policy = PolicySet.from_directory(policies)
    loaded = load_request_text(BASE + "ai:\n  generative: true\n", "requests/typeform.yaml",
                               policy.request_model)
    assert not loaded.valid
    assert loaded.problems[0].rule == "schema.unknown_field"
