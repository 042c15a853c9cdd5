"""What a field is, read from the model, and the YAML to paste for one the file does not
have: under its nearest parent, or at the end of the file (fields.py)."""

from __future__ import annotations

import pytest

from martechgov import fields, yamlsafe
from martechgov.policy_data import Systems
from martechgov.request_model import ToolRequest


@pytest.mark.parametrize(("loc", "kind", "values"), [
    (("tool", "category"), "choice", 17), (("apiVersion",), "constant", 1),
    (("privacy", "dpa_signed"), "bool", 0), (("needed_by",), "date", 0),
    (("cost", "annual"), "money", 0), (("tool", "seats"), "count", 0),
    (("tool", "name"), "text", 0), (("data", "categories"), "list", 0),
    (("data", "categories", 3), "choice", 11), (("integrations", 0, "system"), "text", 0),
    (("agency",), "section", 0),
])
def test_the_kind_of_each_field(loc: tuple[str | int, ...], kind: str, values: int) -> None:
    field = fields.field_at(ToolRequest, loc)
    assert field is not None and (field.kind, len(field.values)) == (kind, values)


def test_what_is_not_a_field_has_no_kind() -> None:
    assert fields.field_at(ToolRequest, ("tool", "colour")) is None
    assert fields.field_at(ToolRequest, ("tool", 0)) is None
    assert fields.field_at(Systems, ("okta", "name")) is not None  # a data file's mapping
    assert fields.allowed_keys(ToolRequest, ("owners",)) == ["business", "technical"]


def test_a_pattern_and_a_description_are_read() -> None:
    field = fields.field_at(ToolRequest, ("cost", "currency"))
    assert field is not None and field.pattern == "^[A-Z]{3}$"
    assert field.description.startswith("The currency of the amount")


DOC = yamlsafe.load(
    "# yaml-language-server: $schema=...\n"  # 1
    "apiVersion: martechgov/v1\n"            # 2
    "privacy:\n"                              # 3
    "    tia_done: true\n"                    # 4: indented by four, as written
    "integrations:\n"                         # 5
    "  - system: okta\n"                      # 6
    "    method: api\n"                       # 7
    "security: {sso: saml}\n"                 # 8
    "tracking:\n"                             # 9
    "notes: |\n"                              # 10
    "  last\n"                                # 11
)


@pytest.mark.parametrize(("path", "leaf", "lines"), [
    (("privacy", "dpa_signed"), " true", "    dpa_signed: true"),  # under `privacy:`
    (("cost", "annual"), "  # a plain number", "cost:\n  annual:  # a plain number"),
    (("integrations", 0, "direction"), " inbound", "    direction: inbound"),
    (("tracking", "pages"), " [home]", "  pages: [home]"),  # `tracking:` holds nothing yet
    (("security", "mfa"), " enforced", None),  # written on one line: no line to add
    (("integrations", 1, "system"), " okta", None),  # through an item that is not there
    (("privacy", "tia_done"), " true", None),  # it is there
    (("privacy", "bad key!"), " true", None),
    (("privacy", "dpa_signed"), " true\x1b[31m", None),
])
def test_the_yaml_to_paste(path: tuple[str | int, ...], leaf: str, lines: str | None) -> None:
    assert fields.paste(DOC, path, leaf) == lines


def test_the_end_of_the_file_is_its_last_line_with_a_value() -> None:
    assert DOC.position(("cost", "annual")) == (11, 1)
    assert DOC.position(("privacy", "dpa_signed")) == (3, 1)


def test_placeholders_say_what_goes_there_without_guessing() -> None:
    assert fields.placeholder(fields.field_at(ToolRequest, ("privacy", "dpa_signed"))) == (
        "  # true or false (whether a data processing agreement (DPA) is signed)")
    assert fields.placeholder(fields.field_at(ToolRequest, ("apiVersion",))) == \
        " martechgov/v1"
    assert fields.placeholder(fields.field_at(ToolRequest, ("owners",))) == (
        "\n  business:  # email of the person accountable for the tool")
    pasted = yamlsafe.load("privacy:" + fields.placeholder(
        fields.field_at(ToolRequest, ("privacy",))) + "\n").value
    assert pasted == {"privacy": dict.fromkeys(
        ["dpa_signed", "transfer_mechanism", "tia_done", "dpia_done", "breach_notice_hours",
         "sells_or_shares_data", "subprocessors_url"])}  # every value still "not given"


@pytest.mark.parametrize(("fix", "value"), [
    ("Sign it and set `privacy.dpa_signed: true`.", "true"),
    ("Set `security.sso` to `saml` or `oidc`.", "saml"),
    ("Set `security.pentest_date`; security will review it.", None),
    ("Set `privacy.dpa_signed: true\nx`.", None),
])
def test_the_value_a_fix_names(fix: str, value: str | None) -> None:
    field = "security.sso" if "sso" in fix else fix.split("`")[1].split(":")[0]
    assert fields.value_named(fix, field) == value
