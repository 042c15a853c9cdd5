"""Draft requests for shadow IT: what discovery saw, filled in; the rest left to the owner.

Everything the exports show goes in: the name, a vendor and a website (from the catalog
when it knows the tool), the category, the number of people using it, last year's card
spend as the annual cost, and `needed_by` today because the tool is already in use. What
only a person can answer is a TODO: what it is for, which team asks, whether it handles
personal data, and an email when none was seen. A tool that already has a request (a
denied one) gets no draft: that request is the one to change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from martechgov.discover.drafts import (
    Answer,
    DraftFacts,
    Written,
    category_answer,
    write_draft_files,
)
from martechgov.discover.model import ShadowTool
from martechgov.money import amounts_text

WRITTEN_BY = "martechgov discover"


def shadow_facts(shadow: ShadowTool, as_of: dt.date, catalogued: bool = False) -> DraftFacts:
    people = _people(shadow)
    return DraftFacts(
        name=shadow.name,
        header=(f"{shadow.name} is already in use without an approved request.",),
        notes=_notes(shadow, as_of),
        needed_by=Answer(as_of, "already in use, so as soon as possible"),
        vendor=Answer(shadow.vendor, "guess: the company on the contract or invoice"),
        category=category_answer(shadow.category, catalogued),
        deployment=Answer("saas", "guess: people log in to it; or tag, browser-extension,"),
        website=Answer(shadow.website, "guess"),
        seats=Answer(shadow.users, "people seen using it; change to the seats you need"),
        requester_name=people.get("requester_name", Answer()),
        requester_email=people.get("requester_email", Answer()),
        team=people.get("team", Answer()),
        business_owner=people.get("business_owner", Answer()),
        cost=tuple(_cost(shadow, as_of)),
    )


def _people(shadow: ShadowTool) -> dict[str, Answer]:
    team = Answer(todo="the team that asks for it, e.g. Brand.")
    top = shadow.top_user
    if top is not None:
        name, email = top
        return {
            "requester_name": Answer(name, "the person seen using it most: change if "
                                           "someone else asks")
            if name else Answer(todo="your name (the person who asks for the tool)."),
            "requester_email": Answer(email), "team": team,
            "business_owner": Answer(email, "accountable for the tool: change if that is "
                                            "someone else"),
        }
    if shadow.top_users:
        return {"requester_name": Answer(shadow.top_users[0], "the person seen paying for "
                                                              "it most: change if someone "
                                                              "else asks"),
                "requester_email": Answer(todo="their work email."), "team": team,
                "business_owner": Answer(todo="who is accountable for the tool")}
    return {"requester_name": Answer(todo="who asks for the tool"),
            "business_owner": Answer(todo="who is accountable for the tool")}


def _notes(shadow: ShadowTool, as_of: dt.date) -> str:
    people = f"{shadow.users} {'person' if shadow.users == 1 else 'people'}"
    spend = f"; spend {amounts_text(shadow.spend)}" if shadow.spend else ""
    seen = ", ".join(f'"{name}"' for name in shadow.seen_as)
    exports = f"{', '.join(shadow.sources)} export{'s' if len(shadow.sources) > 1 else ''}"
    return (f"Found in use by martechgov discover (as of {as_of.isoformat()}): {people} in "
            f"the {exports}, first seen "
            f"{shadow.first_seen.isoformat()}, last seen {shadow.last_seen.isoformat()}"
            f"{spend}. Seen as {seen}.")


def _cost(shadow: ShadowTool, as_of: dt.date) -> list[str]:
    spend = {c: a for c, a in shadow.spend_last_year.items() if a > 0}
    if not spend:
        return []
    currency = max(spend, key=lambda c: (spend[c], c))
    annual = int(spend[currency].quantize(Decimal(1), rounding=ROUND_HALF_UP))
    start = as_of - dt.timedelta(days=365)
    lines = [
        "cost:",
        f"  annual: {annual}  # card spend {start.isoformat()} to {as_of.isoformat()}: "
        "change to the contract price",
        f"  currency: {currency}",
    ]
    others = {c: a for c, a in spend.items() if c != currency}
    if others:
        lines.append(f"  # also spent in other currencies: {amounts_text(others)}")
    lines.append("  # TODO term_months, auto_renew, notice_days, renewal_date: from the "
                 "contract (optional)")
    return lines


def write_drafts(shadow_tools: Sequence[ShadowTool], directory: Path, as_of: dt.date,
                 force: bool = False) -> list[Written]:
    """One draft per shadow tool without a request, as `directory/<slug>.yaml`."""
    drafts = []
    for shadow in shadow_tools:
        skip = None
        if shadow.request_id is not None:
            skip = (f"a request already exists ({shadow.request_file or shadow.request_id}, "
                    f"{shadow.request_decision}): change that request instead")
        drafts.append((shadow_facts(shadow, as_of, shadow.catalogued), skip))
    return write_draft_files(drafts, directory, WRITTEN_BY, as_of, force)
