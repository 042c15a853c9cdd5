"""Draft requests for shadow IT: what discovery knows, filled in; the rest left to the owner.

A draft is an ordinary request file with TODO comments where only a person can answer
(what the tool is for, which team asks, whether it handles personal data, and an email
when none was seen). Everything discovery could see is filled in: the name, a vendor and
a website guess, a category guess, the number of people using it, last year's spend as
the annual cost, and `needed_by` today because the tool is already in use. Loaded by
martechgov, a draft's only problems are those missing answers, each at its line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import get_args

from martechgov.discover.model import ShadowTool
from martechgov.errors import UsageError
from martechgov.money import amounts_text
from martechgov.request_model import Category, DataCategory, Region, Subject
from martechgov.request_writer import SCHEMA_LINE, scalar, slugify, write_new_file

# The fields a draft may leave for a person: its only validation problems are these,
# and only as "missing". Requester and owner fields are among them when no email was
# seen for the people using the tool.
HUMAN_ONLY_FIELDS = ("tool.purpose", "requester", "requester.name", "requester.email",
                     "requester.team", "owners", "data.personal_data")


@dataclass(frozen=True)
class DraftOutcome:
    """What happened to one shadow tool's draft: written to `path`, or why not."""

    tool: ShadowTool
    path: Path | None
    skipped: str | None = None


def write_drafts(shadow_tools: Sequence[ShadowTool], directory: Path, as_of: dt.date,
                 force: bool = False) -> list[DraftOutcome]:
    """One draft per shadow tool without a request, as `directory/<slug>.yaml`."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--draft {directory}: not a directory")
    outcomes: list[DraftOutcome] = []
    used: set[str] = set()
    for shadow in shadow_tools:
        if shadow.request_id is not None:
            outcomes.append(DraftOutcome(shadow, None, (
                f"a request already exists ({shadow.request_file or shadow.request_id}, "
                f"{shadow.request_decision}): change that request instead")))
            continue
        slug = _unique(slugify(shadow.name), used)
        path = directory / f"{slug}.yaml"
        if path.exists() and not force:
            outcomes.append(DraftOutcome(shadow, None,
                                         f"{path} already exists (use --force to replace it)"))
            continue
        write_new_file(path, draft_text(shadow, slug, as_of), force=force)
        outcomes.append(DraftOutcome(shadow, path))
    return outcomes


def _unique(slug: str, used: set[str]) -> str:
    # Two shadow tools can slugify alike ("Apollo.io" and "Apollo IO"): number the second.
    candidate, number = slug, 2
    while candidate in used:
        candidate, number = f"{slug}-{number}", number + 1
    used.add(candidate)
    return candidate


def _allowed(literal: object) -> str:
    return ", ".join(get_args(literal))


def draft_text(shadow: ShadowTool, slug: str, as_of: dt.date) -> str:
    """The YAML text of a shadow tool's draft request."""
    lines = [
        SCHEMA_LINE,
        f"# DRAFT written by `martechgov discover` on {as_of.isoformat()}:",
        f"# {shadow.name} is already in use without an approved request.",
        "# Answer every TODO (only you can), delete the TODO comments, run",
        "# `martechgov check` on this file and open a pull request. Values marked",
        "# \"guess\" were inferred from the exports: check them.",
        "apiVersion: martechgov/v1",
        "kind: ToolRequest",
        f"id: {slug}",
        f"needed_by: {as_of.isoformat()}  # already in use, so as soon as possible",
        f"notes: {scalar(_notes(shadow, as_of))}",
        *_tool(shadow),
        *_people(shadow),
        *_data(shadow),
        "# Security and contract facts (optional, but a missing fact counts as the unsafe",
        "# case): ask the vendor and add `security:` (sso, mfa, soc2_type2_period_end...)",
        "# and `privacy:` (dpa_signed, breach_notice_hours...). `martechgov new` explains each.",
        *_cost(shadow, as_of),
    ]
    return "\n".join(lines) + "\n"


def _notes(shadow: ShadowTool, as_of: dt.date) -> str:
    people = f"{shadow.users} {'person' if shadow.users == 1 else 'people'}"
    spend = f"; spend {amounts_text(shadow.spend)}" if shadow.spend else ""
    seen = ", ".join(f'"{name}"' for name in shadow.seen_as)
    exports = f"{', '.join(shadow.sources)} export{'s' if len(shadow.sources) > 1 else ''}"
    return (f"Found in use by martechgov discover (as of {as_of.isoformat()}): {people} in "
            f"the {exports}, first seen "
            f"{shadow.first_seen.isoformat()}, last seen {shadow.last_seen.isoformat()}"
            f"{spend}. Seen as {seen}.")


def _tool(shadow: ShadowTool) -> list[str]:
    lines = [
        "tool:",
        f"  name: {scalar(shadow.name)}",
        f"  vendor: {scalar(shadow.vendor)}  # guess: the company on the contract or invoice",
        f"  category: {shadow.category}  # guess; one of: {_allowed(Category)}",
        "  deployment: saas  # guess: people log in to it; or tag, browser-extension,",
        "  #   agency-operated, self-hosted (a tag or an agency needs more sections)",
    ]
    if shadow.website:
        lines.append(f"  website: {scalar(shadow.website)}  # guess")
    lines += [
        f"  # TODO purpose: what the team uses {shadow.name} for, in a sentence or two.",
        f"  seats: {shadow.users}  # people seen using it; change to the seats you need",
    ]
    return lines


def _people(shadow: ShadowTool) -> list[str]:
    top = shadow.top_user
    if top is not None:
        name, email = top
        lines = ["requester:"]
        if name:
            lines.append(f"  name: {scalar(name)}  # the person seen using it most: change "
                         "if someone else asks")
        else:
            lines.append("  # TODO name: your name (the person who asks for the tool).")
        lines += [
            f"  email: {scalar(email)}",
            "  # TODO team: the team that asks for it, e.g. Brand.",
            "owners:",
            f"  business: {scalar(email)}  # accountable for the tool: change if that is "
            "someone else",
            "  # technical: the email of whoever administers it (optional)",
        ]
        return lines
    lines = []
    if shadow.top_users:
        lines += ["requester:",
                  f"  name: {scalar(shadow.top_users[0])}  # the person seen paying for it "
                  "most: change if someone else asks",
                  "  # TODO email: their work email."]
    else:
        lines += ["# TODO requester: who asks for the tool, as", "# requester:",
                  "#   name: Your Name", "#   email: you@example.com"]
    lines += [
        "  # TODO team: the team that asks for it, e.g. Brand." if shadow.top_users
        else "#   team: Your Team",
        "# TODO owners: who is accountable for the tool, as",
        "# owners:",
        "#   business: name@example.com",
    ]
    return lines


def _data(shadow: ShadowTool) -> list[str]:
    return [
        "data:",
        f"  # TODO personal_data: does {shadow.name} handle information about people? One",
        "  #   of none, pseudonymous (cookie or device ids), personal (names, emails...),",
        "  #   special-category (health, religion, biometrics...).",
        f"  categories: []  # TODO which kinds: {_allowed(DataCategory)}",
        f"  subjects: []  # TODO whose data: {_allowed(Subject)}",
        f"  subject_regions: []  # TODO where those people are: {_allowed(Region)}",
        "  storage_regions: []  # TODO where the vendor keeps the data (ask the vendor)",
    ]


def _cost(shadow: ShadowTool, as_of: dt.date) -> list[str]:
    spend = {c: a for c, a in shadow.spend_last_year.items() if a > 0}
    if not spend:
        return ["# TODO cost (optional): the yearly price, as `cost: {annual: 1200, "
                "currency: USD}`"]
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
