"""Draft requests: every known fact filled in, every unknown a `# TODO` for its owner.

Shared by `discover --draft` (a tool found in use: `shadow_drafts`) and `import
tech-stack` (a tool from an existing stack list: `techstack`). Each builds `DraftFacts`
(one `Answer` per field: a value, or a TODO saying what to write), and this module
writes them as an ordinary request file. Loaded by martechgov, a draft's only problems
are the missing answers, each at its line.

Text from exports and stack lists is untrusted: values go through the YAML dumper
(`request_writer.scalar`), and text inside comments is made one line without control
characters (`comment`), so a tool name with a line break cannot add keys to the file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from martechgov import escape
from martechgov.errors import UsageError
from martechgov.request_model import Category, DataCategory, Region, Subject
from martechgov.request_writer import SCHEMA_LINE, scalar, slugify, write_new_file

# The fields a draft may leave for a person: its only validation problems are these,
# and only as "missing". Requester and owner fields are among them when no email was
# seen for the people using the tool.
HUMAN_ONLY_FIELDS = ("tool.purpose", "requester", "requester.name", "requester.email",
                     "requester.team", "owners", "owners.business", "data.personal_data")
MAX_COMMENT = 300


def comment(text: str) -> str:
    """Untrusted text for a YAML comment: one line, no control characters, bounded."""
    return escape.one_line(escape.terminal(text))[:MAX_COMMENT]


def value(item: Any) -> str:
    """A YAML value on one line: text with a line break or a control character is
    written double-quoted with escapes (JSON's escapes are YAML's), never folded."""
    if isinstance(item, str) and not item.isprintable():
        return json.dumps(item)  # ASCII only: no raw U+2028, which YAML reads as a break
    return scalar(item)


def allowed(literal: object) -> str:
    return ", ".join(get_args(literal))


@dataclass(frozen=True)
class Answer:
    """One field of a draft: its value when known, else what the owner should write."""

    value: Any = None
    note: str = ""  # after a known value: why it may be wrong ("guess: ...")
    todo: str = ""  # when unknown: what to write

    @property
    def known(self) -> bool:
        return self.value is not None

    def lines(self, key: str, indent: str = "  ") -> list[str]:
        if self.known:
            note = f"  # {comment(self.note)}" if self.note else ""
            return [f"{indent}{key}: {value(self.value)}{note}"]
        if self.todo:
            return [f"{indent}# TODO {key}: {comment(self.todo)}"]
        return []


@dataclass(frozen=True)
class DraftFacts:
    """What a draft says about one tool."""

    name: str
    header: tuple[str, ...]  # comment lines under "DRAFT written by ..."
    notes: str
    inferred_from: str = "the exports"  # where the "guess" values come from
    needed_by: Answer = field(default_factory=Answer)
    vendor: Answer = field(default_factory=Answer)
    category: Answer = field(default_factory=Answer)
    deployment: Answer = field(default_factory=Answer)
    website: Answer = field(default_factory=Answer)
    purpose: Answer = field(default_factory=Answer)
    seats: Answer = field(default_factory=Answer)
    requester_name: Answer = field(default_factory=Answer)
    requester_email: Answer = field(default_factory=Answer)
    team: Answer = field(default_factory=Answer)
    business_owner: Answer = field(default_factory=Answer)
    technical_owner: Answer = field(default_factory=Answer)
    personal_data: Answer = field(default_factory=Answer)
    subjects: Answer = field(default_factory=Answer)
    sso: Answer = field(default_factory=Answer)
    cost: tuple[str, ...] = ()  # the cost section's lines, already written


def draft_text(facts: DraftFacts, slug: str, written_by: str, as_of: dt.date) -> str:
    """The YAML text of a draft request."""
    lines = [
        SCHEMA_LINE,
        f"# DRAFT written by `{written_by}` on {as_of.isoformat()}:",
        *(f"# {comment(line)}" for line in facts.header),
        "# Answer every TODO (only you can), delete the TODO comments, run",
        "# `martechgov check` on this file and open a pull request. Values marked",
        f"# \"guess\" were inferred from {comment(facts.inferred_from)}: check them.",
        "apiVersion: martechgov/v1",
        "kind: ToolRequest",
        f"id: {slug}",
        *facts.needed_by.lines("needed_by", ""),
        f"notes: {value(facts.notes)}",
        *_tool(facts),
        *_people(facts),
        *_data(facts),
        *_security(facts),
        *(facts.cost or ("# TODO cost (optional): the yearly price, as `cost: {annual: "
                         "1200, currency: USD}`",)),
    ]
    return "\n".join(lines) + "\n"


def _tool(facts: DraftFacts) -> list[str]:
    purpose_todo = Answer(todo=f"what the team uses {facts.name} for, in a sentence or two.")
    return [
        "tool:",
        f"  name: {value(facts.name)}",
        *(facts.vendor.lines("vendor") if facts.vendor.known else
          [f"  vendor: {value(facts.name)}  # guess: the company on the contract or invoice"]),
        *facts.category.lines("category"),
        *facts.deployment.lines("deployment"),
        "  #   agency-operated, self-hosted (a tag or an agency needs more sections)",
        *facts.website.lines("website"),
        *(facts.purpose if facts.purpose.known else purpose_todo).lines("purpose"),
        *facts.seats.lines("seats"),
    ]


def _section(key: str, answers: Sequence[tuple[str, Answer]], example: Sequence[str]
             ) -> list[str]:
    """A mapping section; when nothing in it is known, a commented-out example instead."""
    if not any(answer.known for _, answer in answers):
        return [f"# TODO {key}: " + comment(answers[0][1].todo or key) + ", as",
                f"# {key}:", *(f"#   {line}" for line in example)]
    lines = [f"{key}:"]
    for name, answer in answers:
        lines += answer.lines(name)
    return lines


def _people(facts: DraftFacts) -> list[str]:
    requester = _section("requester", [("name", facts.requester_name),
                                       ("email", facts.requester_email),
                                       ("team", facts.team)],
                         ["name: Your Name", "email: you@example.com", "team: Your Team"])
    owners = _section("owners", [("business", facts.business_owner),
                                 ("technical", facts.technical_owner)],
                      ["business: name@example.com"])
    if facts.business_owner.known and not facts.technical_owner.known \
            and not facts.technical_owner.todo:
        owners.append("  # technical: the email of whoever administers it (optional)")
    return requester + owners


def _data(facts: DraftFacts) -> list[str]:
    personal = facts.personal_data if facts.personal_data.known else Answer(todo=(
        f"does {facts.name} handle information about people? One of none, pseudonymous "
        "(cookie or device ids), personal (names, emails...), special-category (health, "
        "religion, biometrics...)."))
    subjects = facts.subjects.lines("subjects") if facts.subjects.known else \
        [f"  subjects: []  # TODO whose data: {allowed(Subject)}"]
    return [
        "data:",
        *personal.lines("personal_data"),
        f"  categories: []  # TODO which kinds: {allowed(DataCategory)}",
        *subjects,
        f"  subject_regions: []  # TODO where those people are: {allowed(Region)}",
        "  storage_regions: []  # TODO where the vendor keeps the data (ask the vendor)",
    ]


def _security(facts: DraftFacts) -> list[str]:
    advice = [
        "# Security and contract facts (optional, but a missing fact counts as the unsafe",
        "# case): ask the vendor and add `security:` (sso, mfa, soc2_type2_period_end...)",
        "# and `privacy:` (dpa_signed, breach_notice_hours...). `martechgov new` explains each.",
    ]
    if facts.sso.known:
        return ["security:", *facts.sso.lines("sso"), *advice]
    return advice


# --- writing -------------------------------------------------------------------------

@dataclass(frozen=True)
class Written:
    """What happened to one draft: written to `path`, or why not."""

    name: str
    path: Path | None
    skipped: str | None = None


def write_draft_files(drafts: Sequence[tuple[DraftFacts, str | None]], directory: Path,
                      written_by: str, as_of: dt.date, force: bool = False) -> list[Written]:
    """One file per draft as `directory/<slug>.yaml`; a draft with a reason is skipped."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: not a directory")
    outcomes: list[Written] = []
    used: set[str] = set()
    for facts, skip in drafts:
        if skip is not None:
            outcomes.append(Written(facts.name, None, skip))
            continue
        slug = _unique(slugify(facts.name), used)
        path = directory / f"{slug}.yaml"
        if path.exists() and not force:
            outcomes.append(Written(facts.name, None,
                                    f"{path} already exists (use --force to replace it)"))
            continue
        write_new_file(path, draft_text(facts, slug, written_by, as_of), force=force)
        outcomes.append(Written(facts.name, path))
    return outcomes


def _unique(slug: str, used: set[str]) -> str:
    # Two tools can slugify alike ("Apollo.io" and "Apollo IO"): number the second.
    candidate, number = slug, 2
    while candidate in used:
        candidate, number = f"{slug}-{number}", number + 1
    used.add(candidate)
    return candidate


def category_answer(category: Category, known: bool) -> Answer:
    """The category, said to be a guess unless it came from the catalog."""
    word = "from the catalog of well-known tools" if known else "guess"
    return Answer(category, f"{word}; one of: {allowed(Category)}")
