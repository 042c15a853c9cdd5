"""The tools IT knows: every judged request, and IT's systems catalog.

A request counts as approved when it does not fail (`RequestResult.fails`): approved, or
in review (a request exists and named teams are looking, so the tool is known to IT, not
shadow IT). Denied and invalid requests are known but not approved: a tool in use whose
request was denied is listed, with that request named. A retired request (`retired_on`
has come) is not approved either: a retired tool still in use is shadow IT again. IT's
systems (Salesforce, Slack, Okta...) are approved by definition.

Each known tool carries the lifecycle status it has once seen in use
(`martechgov.lifecycle`): `in use` when approved (or signed off), else `proposed`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from martechgov.discover.names import NameIndex, website_domain
from martechgov.lifecycle import STATUS_WORDS, Evidence, request_status
from martechgov.request_model import Category
from martechgov.result import CheckReport, RequestResult

SYSTEM = "system"  # the decision shown for an entry of IT's systems catalog


@dataclass(frozen=True)
class KnownTool:
    """A tool with a request (whatever its decision) or in IT's systems catalog."""

    id: str
    name: str
    vendor: str | None
    website: str | None
    decision: str  # approve, review, deny, invalid, or `system`: shown, never compared
    approved: bool  # the request does not fail, or the tool is one of IT's systems
    file: str | None = None
    category: Category | None = None
    status: str = "in use"  # the lifecycle status, in words, once seen in use

    @property
    def is_system(self) -> bool:
        return self.decision == SYSTEM


def known_from_result(result: RequestResult, as_of: dt.date,
                      signed_off: Evidence | None = None) -> KnownTool | None:
    # The status it has when discovery sees it in use.
    seen = Evidence(signed_off.signed_off if signed_off else {},
                    frozenset({result.id}) if result.id else frozenset())
    status = request_status(result, as_of, seen)
    approved = not result.fails and status != "retired"
    words = STATUS_WORDS[status]
    request = result.request
    if request is not None:
        tool = request.tool
        return KnownTool(request.id, tool.name, tool.vendor, tool.website, result.decision,
                         approved, result.file, tool.category, words)
    if result.id:  # an invalid request still says which tool it is about
        return KnownTool(result.id, result.name or result.id, None, None, result.decision,
                         approved, result.file, status=words)
    return None


def known_tools(report: CheckReport, signed_off: Evidence | None = None) -> list[KnownTool]:
    """Every request `report` judged, then IT's systems catalog (by id).

    The systems come from the policies that judged the requests (`report.policies`), so
    one run parses policies/ once.
    """
    assert report.policies is not None, "run_check hands on the PolicySet it loaded"
    known = [tool for result in report.results
             if (tool := known_from_result(result, report.as_of, signed_off)) is not None]
    return known + system_tools(report.policies.systems)


def system_tools(systems: dict[str, str]) -> list[KnownTool]:
    """IT's systems catalog (id -> name) as known tools, by id."""
    found = []
    for system_id, name in sorted(systems.items()):
        short = re.sub(r"\s*\(.*?\)", "", name)  # "Zendesk (support)" -> "Zendesk"
        found.append(KnownTool(system_id, short, None, None, SYSTEM, approved=True))
    return found


def build_index(known: Iterable[KnownTool]) -> NameIndex[KnownTool]:
    index: NameIndex[KnownTool] = NameIndex()
    for tool in known:
        index.add_name(tool.name, tool)
        index.add_name(tool.id.replace("-", " "), tool, brand=False)
        if tool.vendor:
            index.add_vendor(tool.vendor, tool)
        index.add_domain(website_domain(tool.website), tool)
    return index
