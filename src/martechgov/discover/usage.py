"""Usage added up per tool: rows, people, money and dates.

Which rows are tool usage at all (an expense export also holds travel and meals; the
OAuth log holds refusals and Google's own clients), then, per tool, how many rows and
people, the spend per currency (all of it, and the 12 months up to the as-of date), and
the first and last day seen.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from martechgov.discover.exports import ExportFile, UsageRow
from martechgov.discover.layout import Kind

TOP_USERS = 3
SEEN_AS = 5
K = TypeVar("K", bound=Hashable)

# Google's own clients in the OAuth log: sign-ins from devices, not third-party tools.
GOOGLE_PLATFORM_APPS = frozenset({
    "google chrome", "chrome", "android", "android device", "android device policy",
    "ios account manager", "macos", "google drive for desktop", "gmail",
    "google workspace sync for microsoft outlook", "google calendar",
})
# Expense categories that are (or may be) software; other rows are travel, meals...
_SOFTWARE_SPEND = ("software", "saas", "subscription", "online", "internet", "computer",
                   "cloud", "web service", "advertising", "marketing", "digital", "it ",
                   "technology")


@dataclass
class Usage:
    """Rows of one tool (or one name) added up."""

    rows: int = 0
    users: Counter[str] = field(default_factory=Counter)
    user_names: dict[str, str] = field(default_factory=dict)
    user_emails: dict[str, str] = field(default_factory=dict)
    spend: dict[str, Decimal] = field(default_factory=dict)
    spend_last_year: dict[str, Decimal] = field(default_factory=dict)
    first: dt.date | None = None
    last: dt.date | None = None
    sources: set[Kind] = field(default_factory=set)
    seen_as: Counter[str] = field(default_factory=Counter)
    app_names: Counter[str] = field(default_factory=Counter)  # from SSO and OAuth logs

    def add(self, row: UsageRow, user_key: str | None, year_start: dt.date,
            as_of: dt.date) -> None:
        self.rows += 1
        self.sources.add(row.kind)
        self.seen_as[row.name] = self.seen_as.get(row.name, 0) + 1
        if row.kind != "expense":
            self.app_names[row.name] = self.app_names.get(row.name, 0) + 1
        if self.first is None or row.day < self.first:
            self.first = row.day
        if self.last is None or row.day > self.last:
            self.last = row.day
        if user_key is not None:
            self.users[user_key] = self.users.get(user_key, 0) + 1
            if row.user and "@" not in row.user:
                self.user_names.setdefault(user_key, row.user)
            if row.email:
                self.user_emails.setdefault(user_key, row.email)
        if row.amount is not None and row.currency is not None:
            self.spend[row.currency] = self.spend.get(row.currency, Decimal(0)) + row.amount
            if year_start < row.day <= as_of:
                self.spend_last_year[row.currency] = (
                    self.spend_last_year.get(row.currency, Decimal(0)) + row.amount)

    def learn(self, names: dict[str, str], emails: dict[str, str]) -> None:
        """Fill in the names and emails of users that other rows know."""
        for key in self.users:
            if key not in self.user_names and key in names:
                self.user_names[key] = names[key]
            if key not in self.user_emails:
                email = key if "@" in key else emails.get(key)
                if email:
                    self.user_emails[key] = email

    def top_users(self, count: int = TOP_USERS) -> list[str]:
        ranked = sorted(self.users.items(), key=lambda item: (-item[1], item[0]))
        return [self.display_user(key) for key, _ in ranked[:count]]

    def display_user(self, key: str) -> str:
        return self.user_names.get(key) or self.user_emails.get(key) or key

    def top_user_with_email(self) -> tuple[str | None, str] | None:
        """(name, email) of the most active user whose email is known."""
        ranked = sorted(self.users.items(), key=lambda item: (-item[1], item[0]))
        for key, _ in ranked:
            if key in self.user_emails:
                return self.user_names.get(key), self.user_emails[key]
        return None

    def seen_as_most(self, count: int = SEEN_AS) -> tuple[str, ...]:
        """The raw names it was seen as, most frequent first."""
        ranked = sorted(self.seen_as.items(), key=lambda item: (-item[1], item[0]))
        return tuple(name for name, _ in ranked[:count])


def add_up(rows: Sequence[UsageRow], groups: Mapping[str, K] | Callable[[UsageRow], K],
           as_of: dt.date) -> dict[K, Usage]:
    """Each group's usage: `groups` says which group each raw name (or row) belongs to."""
    emails, names = people(rows)
    year_start = as_of - dt.timedelta(days=365)
    usages: dict[K, Usage] = {}
    key_of = groups if callable(groups) else (lambda row: groups[row.name])
    for row in rows:
        group = key_of(row)
        usage = usages.get(group)
        if usage is None:
            usage = usages[group] = Usage()
        usage.add(row, _user_key(row, emails), year_start, as_of)
    for usage in usages.values():
        usage.learn(names, emails)
    return usages


def usage_rows(exports: Sequence[ExportFile]) -> tuple[list[UsageRow], list[str]]:
    """The rows that are tool usage, and notes on the rows that are not (with counts)."""
    kept: list[UsageRow] = []
    ignored: dict[tuple[str, str], Counter[str]] = {}
    for export in exports:
        has_category = "category" in export.columns
        for row in export.rows:
            reason = _not_usage(row, has_category)
            if reason is None:
                kept.append(row)
            else:
                ignored.setdefault((export.file, reason[0]), Counter())[reason[1]] += 1
    notes = []
    for (file, why), details in sorted(ignored.items()):
        count = sum(details.values())
        detail = ", ".join(f"{name} {number}" for name, number in sorted(details.items()))
        notes.append(f"{file}: {count} row{'s' if count != 1 else ''} not counted: "
                     f"{why} ({detail})")
    return kept, notes


def _not_usage(row: UsageRow, has_category: bool) -> tuple[str, str] | None:
    """Why a row is not tool usage (a reason and its detail), or None when it is."""
    if row.kind == "expense" and has_category:
        category = (row.category or "").lower()
        if not any(word in f"{category} " for word in _SOFTWARE_SPEND):
            return "not software spend", row.category or "no category"
    if row.kind == "google":
        if (row.event or "").strip().lower() == "deny":
            return "the user refused access (Deny events)", row.name
        if " ".join(row.name.lower().split()) in GOOGLE_PLATFORM_APPS:
            return "Google's own clients, device sign-ins rather than tools", row.name
    return None


def people(rows: Iterable[UsageRow]) -> tuple[dict[str, str], dict[str, str]]:
    """name -> email and email -> name, from rows that carry both.

    Card exports name the payer and OAuth logs only give an email; SSO reports give
    both. Learning the pairs counts one person once, shows names rather than addresses,
    and gives drafts an email for a tool seen only on a card statement.
    """
    emails: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in rows:
        if row.user and row.email and "@" not in row.user:
            emails.setdefault(row.user.lower(), row.email)
            names.setdefault(row.email, row.user)
    return emails, names


def _user_key(row: UsageRow, emails: dict[str, str]) -> str | None:
    if row.email:
        return row.email
    if row.user:
        return emails.get(row.user.lower(), row.user.lower())
    return None
