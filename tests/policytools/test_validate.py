"""`martechgov validate`: every mistake on IT's side, each at file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import invoke
from ..gitutil import replace_in

EXCEPTION = ("exceptions:\n  - request: {request}\n    rule: {rule}\n{reason}"
             "    approved_by: ciso@example.com\n    granted: {granted}\n"
             "    expires: {expires}\n    file: requests/{request}.yaml\n"
             "    field: security.sso\n    facts: {{security.sso: none}}\n")


def exception(request: str = "mailchimp", rule: str = "security.sso_required",
              reason: str = "    reason: Waiting for SSO.\n", granted: str = "2026-11-01",
              expires: str = "2027-01-31") -> str:
    return EXCEPTION.format(request=request, rule=rule, reason=reason, granted=granted,
                            expires=expires)


@pytest.mark.parametrize(("file", "content", "expected"), [
    ("policies/data/thresholds.yaml", None,
     "policies/data/thresholds.yaml:15:1: unknown field `max_retension_days` "
     "(did you mean `max_retention_days`?)"),
    ("policies/exceptions.yaml", exception(request="no-such-tool"),
     "policies/exceptions.yaml:2:5: exception for unknown request `no-such-tool`"),
    ("policies/exceptions.yaml", exception(rule="security.no_such_rule"),
     "policies/exceptions.yaml:3:5: exception for unknown rule `security.no_such_rule`"),
    ("policies/exceptions.yaml", exception(reason=""),
     "policies/exceptions.yaml:2:5: `exceptions[0].reason` is required but missing"),
    ("policies/exceptions.yaml", exception(expires="2027-12-01"),
     "an exception may last at most 365 days; this one runs 395 days"),
    ("policies/exceptions.yaml", exception(expires="next spring"),
     "policies/exceptions.yaml:7:5: `exceptions[0].expires` is `next spring`: write dates as "
     "YYYY-MM-DD, e.g. 2027-01-15"),
    ("policies/security/security.rego", "package martech.rules.security\n\ndeny contains {\n",
     "policies/security/security.rego:4:1: expecting expression"),
    ("requests/semrush.yaml", "apiVersion: martechgov/v1\nkind: ToolRequest\nid: semrush\n",
     "requests/semrush.yaml:3:1: `tool` is required but missing"),
])
def test_validate_catches_each_kind_of_mistake(repo: Path, file: str, content: str | None,
                                               expected: str) -> None:
    path = repo / file
    if content is None:
        replace_in(path, "max_retention_days:", "max_retension_days:")
    else:
        path.write_text(content)
    code, out, _ = invoke("validate")
    assert code == 1
    assert expected in out, out


def test_validate_passes_the_shipped_library(in_root: Path) -> None:
    code, out, _ = invoke("validate")
    assert code == 0, out
    assert out.startswith("valid: 10 data files, 1 exceptions,")


def test_validate_lists_a_rule_without_a_record(repo: Path) -> None:
    rules = repo / "policies" / "data" / "rules.yaml"
    rules.write_text(rules.read_text().replace("vendor.blocked:", "vendor.blocke:"))
    code, out, _ = invoke("validate")
    assert code == 1
    assert "policies/vendor/vendor.rego:" in out
    assert "rule vendor.blocked has no record in policies/data/rules.yaml" in out


def test_validate_lists_a_rule_owned_by_an_unknown_team(repo: Path) -> None:
    rules = repo / "policies" / "data" / "rules.yaml"
    rules.write_text(rules.read_text().replace("  team: finance\n", "  team: finanse\n", 1))
    code, out, _ = invoke("validate")
    assert code == 1
    assert ("is owned by team `finanse`, which data/teams.yaml does not list; use one of "
            "finance, it, legal, privacy, security or add the team there") in out
