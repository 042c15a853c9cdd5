"""The tools IT knows: judged requests (approved when they do not fail) and IT's systems."""

from __future__ import annotations

import shutil
from pathlib import Path

from martechgov.check import CheckOptions, run_check
from martechgov.discover.known import known_tools

from ..conftest import AS_OF, ROOT

SYSTEMS = ["salesforce", "sap-s4hana", "workday", "snowflake", "website-cms",
           "google-analytics", "google-tag-manager", "okta", "zendesk", "slack"]


def test_requests_are_approved_exactly_when_they_do_not_fail(tmp_path: Path) -> None:
    requests = tmp_path / "requests"
    requests.mkdir()
    for name in ("hubspot-marketing-hub", "mailchimp", "typeform"):
        shutil.copy(ROOT / "requests" / f"{name}.yaml", requests)
    (requests / "broken.yaml").write_text("apiVersion: martechgov/v1\nkind: ToolRequest\n"
                                          "id: broken\n")
    report = run_check(CheckOptions([requests], ROOT / "policies", AS_OF, keep_requests=True))
    fails = {result.id: result.fails for result in report.results}
    known = {tool.id: tool for tool in known_tools(report) if not tool.is_system}
    assert {tool_id: (tool.decision, tool.approved) for tool_id, tool in known.items()} == {
        "broken": ("invalid", False), "hubspot-marketing-hub": ("review", True),
        "mailchimp": ("deny", False), "typeform": ("approve", True)}
    assert all(tool.approved is not fails[tool_id] for tool_id, tool in known.items())


def test_it_systems_come_from_the_policies_that_judged(tmp_path: Path) -> None:
    # The PolicySet run_check loaded is handed on: nothing reads policies/ again, so the
    # systems are there even when the folder is gone by the time they are listed.
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    report = run_check(CheckOptions([ROOT / "requests" / "typeform.yaml"], policies, AS_OF,
                                    keep_requests=True))
    shutil.rmtree(policies)
    systems = [tool for tool in known_tools(report) if tool.is_system]
    assert [tool.id for tool in systems] == sorted(SYSTEMS)
    assert all(tool.approved and tool.decision == "system" for tool in systems)
    names = {tool.id: tool.name for tool in systems}
    assert names["zendesk"] == "Zendesk"  # "Zendesk (support)": the remark is not a name
    assert names["salesforce"] == "Salesforce Sales Cloud"
