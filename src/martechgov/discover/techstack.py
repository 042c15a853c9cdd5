"""`martechgov import tech-stack`: draft requests from a stack list people already keep.

GitLab publishes its tech stack as `data/tech_stack.yml`: a list of systems with
`title`, `description`, `group_owner`, `business_owner`, `technical_owner`,
`data_classification`, `authentication_method` (`integration_method` in older
versions), `saas`, `subprocessor`, `critical_systems_tier`, `collected_data`,
`processing_customer_data`, `external_link`, `handbook_link` and more. Each entry becomes
a draft request (`drafts`): what the entry says fills the fields it answers (the
catalog of well-known tools adds vendor, website and category), what it says that has no
field goes into `notes`, and what nobody wrote down is a TODO. Owners are written by
name in GitLab's file, not by email: the draft names them in the TODO.

The file is untrusted text: it is read with the bounded YAML loader, every value is
checked for its type, and every text reaches the draft through the draft's escapers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from martechgov import yamlsafe
from martechgov.discover.catalog import CatalogTool, NotMartech, catalog, guess_category
from martechgov.discover.drafts import Answer, DraftFacts, category_answer
from martechgov.discover.known import KnownTool
from martechgov.discover.names import normalise
from martechgov.discover.resolve import Resolver
from martechgov.errors import UsageError
from martechgov.request_values import EMAIL_PATTERN, URL_PATTERN

MAX_BYTES = 8 * 1024 * 1024
MAX_NODES = 500_000
WRITTEN_BY = "martechgov import tech-stack"
# GitLab's fields and where they go. Mapped: into a request field.
MAPPED = {
    "title": "tool.name", "description": "tool.purpose", "external_link": "tool.website",
    "group_owner": "requester.team",
    "business_owner": "owners.business (an email; a name goes into the TODO)",
    "technical_owner": "owners.technical (an email; a name goes into the TODO)",
    "authentication_method": "security.sso", "integration_method": "security.sso",
    "saas": "tool.deployment", "processing_customer_data": "data.subjects",
}
# Kept in the draft's notes for the reviewers: facts without a request field.
NOTED = ("data_classification", "subprocessor", "collected_data", "critical_systems_tier",
         "employee_or_customer_facing_app", "access_to", "team_member_baseline_entitlement",
         "compliance_scope", "in_sox_scope", "provisioner", "deprovisioner",
         "group_owner_slack_channel", "google_group", "handbook_link", "need_move_to_okta",
         "notes")
# Bookkeeping of GitLab's own processes: nothing a reviewer of the request needs.
IGNORED = ("now_id", "accessibility", "accessibility_description",
           "date_added_to_sox_scope")
_EMPTY = frozenset({"", "null", "none", "tbd", "unknown", "n/a", "na", "-"})
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_URL = re.compile(r"https?://[^\s)\]\"'<>]+")
_MAX_NOTES = 4500
_MAX_PURPOSE = 1990


@dataclass(frozen=True)
class Entry:
    """One entry of the file: its draft, or why there is none."""

    index: int  # 1-based
    line: int
    title: str | None
    facts: DraftFacts | None = None
    skipped: str | None = None  # a reason not to draft it (a request already exists)
    problem: str | None = None  # the entry cannot be read


@dataclass
class TechStack:
    file: str
    as_of: dt.date
    entries: list[Entry] = field(default_factory=list)
    fields: dict[str, list[int]] = field(default_factory=dict)  # field -> entry indexes


def read_tech_stack(path: Path, display: str, known: Sequence[KnownTool],
                    as_of: dt.date) -> TechStack:
    """Every entry of a tech_stack.yml as a draft (or why not); UsageError if unusable."""
    try:
        document = yamlsafe.load(yamlsafe.read_text(path, MAX_BYTES), MAX_NODES)
    except yamlsafe.YamlProblem as problem:
        raise UsageError(f"{display}:{problem}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {display}: {exc.strerror}") from None
    if not isinstance(document.value, list):
        line, column = document.position(())
        raise UsageError(f"{display}:{line}:{column}: a tech stack is a list of systems "
                         "(`- title: ...`), as in GitLab's data/tech_stack.yml")
    result = TechStack(display, as_of)
    resolver = Resolver(known)
    for index, item in enumerate(document.value, start=1):
        line = document.position((index - 1,))[0]
        if isinstance(item, Mapping):
            for key in item:
                result.fields.setdefault(str(key), []).append(index)
        result.entries.append(_entry(item, index, line, display, as_of, resolver))
    return result


def _entry(item: Any, index: int, line: int, display: str, as_of: dt.date,
           resolver: Resolver) -> Entry:
    if not isinstance(item, Mapping):
        return Entry(index, line, None, problem="not a mapping of fields")
    title = _text(item.get("title"))
    if title is None:
        return Entry(index, line, None, problem="no `title`: the system's name")
    found = resolver.resolve(normalise(title), app=True)
    if isinstance(found, tuple) and found[0] == "known":
        tool = resolver.targets[found]
        assert isinstance(tool, KnownTool)
        where = ("one of IT's systems" if tool.is_system else
                 f"a request already exists ({tool.file or tool.id}, {tool.decision})")
        return Entry(index, line, title, skipped=where)
    product = catalog().identify(normalise(title), app=True)
    if isinstance(product, NotMartech):
        return Entry(index, line, title, skipped=f"not a marketing tool ({product.kind})")
    facts = _facts(item, title, product if isinstance(product, CatalogTool) else None,
                   f"{display}, entry {index} (line {line})", as_of)
    return Entry(index, line, title, facts)


def _facts(item: Mapping[str, Any], title: str, product: CatalogTool | None,
           where: str, as_of: dt.date) -> DraftFacts:
    description = _markdown_text(_text(item.get("description")))
    business, technical = _text(item.get("business_owner")), _text(item.get("technical_owner"))
    words = list(normalise(title).words) + list(normalise(description or "").words)
    category = product.category if product else guess_category(words)
    return DraftFacts(
        name=title,
        header=(f"{title} is in the tech stack ({where}).",),
        notes=_notes(item, where, as_of),
        inferred_from="the tech stack and the catalog of well-known tools",
        needed_by=Answer(as_of, "in the tech stack, so already in use"),
        vendor=Answer(product.vendor if product else None,
                      "from the catalog: the company on the contract or invoice"),
        category=category_answer(category, product is not None),
        deployment=_deployment(item.get("saas")),
        website=Answer(_website(item, product), "from the tech stack" if
                       _website(item, None) else "from the catalog"),
        purpose=Answer(description[:_MAX_PURPOSE] if description else None,
                       "the tech stack's description"),
        requester_name=Answer(todo="who asks for the tool" + _named(business)),
        requester_email=Answer(todo="their work email."),
        team=Answer(_text(item.get("group_owner")), "the tech stack's group owner"),
        business_owner=_owner(business, "who is accountable for the tool"),
        technical_owner=_owner(technical, "whoever administers it (optional)"),
        subjects=Answer(["customers"], "the tech stack: it processes customer data")
        if _flag(item.get("processing_customer_data")) else Answer(),
        sso=_sso(item.get("authentication_method") or item.get("integration_method")),
    )


def _text(value: Any) -> str | None:
    """A field's text, or None for GitLab's ways of saying unknown (null, TBD...)."""
    if value is None or isinstance(value, bool | Mapping | list):
        return None
    text = " ".join(str(value).split())
    return None if text.casefold() in _EMPTY else text


def _flag(value: Any) -> bool:
    return value is True or (_text(value) or "").casefold() in ("yes", "true")


def _markdown_text(text: str | None) -> str | None:
    """'[1Password](https://1password.com/) is a ...' -> '1Password is a ...'."""
    if not text:
        return None
    plain: str = _LINK.sub(lambda m: str(m[1]), text).strip()
    return plain or None


def _website(item: Mapping[str, Any], product: CatalogTool | None) -> str | None:
    for candidate in (_text(item.get("external_link")), _text(item.get("description"))):
        for found in _URL.findall(candidate or ""):
            url = str(found).rstrip(".,;")
            if re.fullmatch(URL_PATTERN, url) and len(url) <= 2048:
                return url
    return product.website if product else None


def _deployment(saas: Any) -> Answer:
    if saas is True or (_text(saas) or "").casefold() in ("yes", "true"):
        return Answer("saas", "the tech stack says SaaS; or tag, browser-extension,")
    if saas is False or (_text(saas) or "").casefold() in ("no", "false"):
        return Answer("self-hosted", "guess: the tech stack says not SaaS; or saas, tag,")
    return Answer("saas", "guess: people log in to it; or tag, browser-extension,")


def _sso(method: Any) -> Answer:
    text = (_text(method) or "").casefold()
    if "saml" in text:
        return Answer("saml", "the tech stack's authentication method")
    if any(word in text for word in ("oidc", "openid", "oauth", "google sso")):
        return Answer("oidc", "the tech stack's authentication method")
    if any(word in text for word in ("swa", "password", "direct access")) or text == "none":
        # Okta SWA stores a password for the user: no single sign-on protocol.
        return Answer("none", "the tech stack's authentication method: no SAML or OIDC")
    return Answer()


def _owner(text: str | None, todo: str) -> Answer:
    emails = re.findall(EMAIL_PATTERN.strip("^$"), text or "")
    if emails:
        return Answer(emails[0].lower(), "from the tech stack")
    return Answer(todo=todo + (f"; the tech stack names {text}: write their work email"
                               if text else ""))


def _named(text: str | None) -> str:
    return f" (the tech stack's business owner: {text})" if text else ""


def _notes(item: Mapping[str, Any], where: str, as_of: dt.date) -> str:
    facts = []
    for key in NOTED:
        value = item.get(key)
        text = _markdown_text(_text(value)) if not isinstance(value, bool) else \
            ("yes" if value else "no")
        if text:
            facts.append(f"{key.replace('_', ' ')}: {text}")
    notes = f"Imported from the tech stack ({where}) on {as_of.isoformat()}."
    if facts:
        notes += " " + "; ".join(facts) + "."
    return notes if len(notes) <= _MAX_NOTES else notes[:_MAX_NOTES - 1] + "…"
