"""policies/fields.yaml: request fields IT declares, and the model built from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from martechgov.errors import PolicyError
from martechgov.loader import load_request_text
from martechgov.policy import PolicySet
from martechgov.request_schema import policy_choices, policy_schema

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


# -- declared fields get the core fields' words (messages, editor schema) ------------

SHIPPED = PolicySet.from_directory(ROOT / "policies")
OPT_OUT = {"opted-out": "we opted out (or the contract forbids training)",
           "not-opted-out": "an opt-out exists but is not used",
           "not-offered": "the vendor offers no opt-out"}


def test_a_declared_value_gets_its_meanings_and_a_did_you_mean() -> None:
    text = BASE + "ai:\n  generative: false\n  training_opt_out: Opted-Out\n"
    loaded = load_request_text(text, "requests/typeform.yaml", SHIPPED.request_model,
                               policy_choices(SHIPPED))
    [problem] = loaded.problems
    assert (problem.rule, problem.field) == ("schema.value", "ai.training_opt_out")
    assert problem.message == (
        "`ai.training_opt_out` is `Opted-Out`, which is not an allowed value; allowed: "
        + ", ".join(f"`{value}` ({meaning})" for value, meaning in OPT_OUT.items()))
    assert problem.fix == "did you mean `opted-out`? Write `training_opt_out: opted-out`"


def test_a_field_required_when_another_is_set_is_missing_where_it_belongs() -> None:
    text = BASE + "ai:\n  generative: true\n"
    loaded = load_request_text(text, "requests/typeform.yaml", SHIPPED.request_model)
    [problem] = loaded.problems
    ai_line = text.splitlines().index("ai:") + 1
    assert (problem.rule, problem.field, problem.line) == ("schema.missing",
                                                          "ai.customer_facing", ai_line)
    assert problem.message.startswith("`ai.customer_facing` is required when `ai.generative` "
                                      "is true: Will customers or website visitors")
    assert problem.fix == f"add `customer_facing:` under `ai:` (line {ai_line})"
    assert problem.fix_yaml is not None
    assert problem.fix_yaml.startswith("  customer_facing:  # true or false (will customers")


def test_a_field_in_a_section_the_file_lacks_says_to_add_the_section(policies: Path) -> None:
    policy = declare(policies, {"ai.generative": {
        "type": "bool", "description": "Generates content with AI?",
        "required_when": {"field": "tool.category", "equals": "survey"}}})
    [problem] = load_request_text(BASE, "requests/typeform.yaml", policy.request_model).problems
    assert (problem.rule, problem.field) == ("schema.missing", "ai.generative")
    assert problem.fix == "add `generative:` in a new `ai:` section at the end of the file"
    assert problem.fix_yaml is not None and problem.fix_yaml.startswith("ai:\n  generative:")
    quiet = BASE.replace("category: survey", "category: content")
    assert load_request_text(quiet, "requests/typeform.yaml", policy.request_model).valid


def test_the_editor_schema_describes_declared_fields_and_their_values() -> None:
    schema = policy_schema(SHIPPED)
    ai_ref = schema["properties"]["ai"]
    assert ai_ref["description"].startswith("Questions IT adds to the request format")
    ai = schema["$defs"]["AiWithFields"]["properties"]
    opt_out = next(o for o in ai["training_opt_out"]["anyOf"] if o != {"type": "null"})
    assert opt_out["enum"] == list(OPT_OUT)
    assert opt_out["enumDescriptions"] == list(OPT_OUT.values())
    assert ai["training_opt_out"]["description"] == (
        "Can we stop the vendor from training its AI models on our data?")
    privacy = schema["$defs"]["PrivacyWithFields"]
    assert privacy["properties"]["risk_assessment_done"]["description"].startswith(
        "Is a privacy risk assessment (CPRA) on record")
    assert schema["properties"]["privacy"]["description"] == (
        "The contract terms about personal data (ask the vendor or legal).")
