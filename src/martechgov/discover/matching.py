"""Shadow IT: which tools in the exports have no approved request, and how much they are used.

Every app name and merchant string is matched against the tools we know:

- the requests under `requests/` whose current decision is **approve** or **review**
  count as approved (a review means a request exists and named teams are looking: the
  tool is known to IT, not shadow IT). Denied and invalid requests do not count: a
  tool in use whose request was denied is listed, with that request named;
- IT's systems catalog (`policies/data/systems.yaml`: Salesforce, Slack, Okta...) is
  sanctioned by definition.

Matching is by tool name, vendor and website domain, in that order of trust: a domain
or an exact (normalised) name first, then a fuzzy comparison for misspellings. Card
statements are noisy ("SQ *ZOOM.US 888-799", "HUBSPOT *INC", "GOOGLE *ADS1234"), so
every string is normalised first, and each distinct string is matched once: exact keys
are dictionary look-ups, and rapidfuzz compares only the strings left over, never every
row against every tool.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Generic, Literal, TypeVar

from rapidfuzz import fuzz, process

from martechgov.check import CheckOptions, run_check
from martechgov.discover.catalog import CATALOG, CatalogTool, guess_category
from martechgov.discover.exports import BadRow, ExportFile, Kind, UsageRow, read_export
from martechgov.policy import PolicySet
from martechgov.request_model import Category
from martechgov.result import RequestResult
from martechgov.sources import display_path

APPROVED_DECISIONS = ("approve", "review")
FUZZY_CUTOFF = 85  # rapidfuzz ratio (0-100): admits one swapped or wrong letter in 7
FUZZY_MIN_LENGTH = 5  # shorter strings are too alike by chance ("loom" / "zoom")
TOP_USERS = 3
SEEN_AS = 5

# Payment processors and marketplaces that prefix the real merchant: "SQ *ZOOM.US".
_PROCESSOR = re.compile(
    r"^(?:sq|sqsp|tst|sp|pp|paypal|fs|paddle(?:\.net)?|2co(?:\.com)?|dri|stripe|clk|"
    r"cko|pos|ach)\s*\*\s*", re.IGNORECASE)
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|io|us|ai|co|net|org|app|so|me|ly|tv|"
                     r"cc|de|uk|fr|eu))\b")
_PHONE = re.compile(r"\+?\d[\d\- ().]{5,}\d")
# Reference and phone numbers make most card-statement strings unique ("CANVA* 104839201",
# "GOOGLE *ADS4400001"); they never name the tool, so strings that differ only there
# are normalised and matched once.
_REFERENCE = re.compile(r"\b\d{3,}\b|(?<=[A-Za-z]{2})\d{4,}\b")
# Words that say nothing about which tool it is: legal forms, billing words, web noise.
_NOISE = frozenset("""
    inc incorporated llc ltd limited gmbh corp corporation co company sl sa sas sarl bv nv
    plc pty ag ab oy srl spa kk pte lp llp
    subscr subscription subscriptions monthly annual yearly renewal payment purchase bill
    billing recurring charge online help www com https http usd eur gbp
""".split())
# Trailing location codes on card statements ("... CAMBRIDGE MA", "... SYDNEY AUS").
_LOCATION = frozenset("""
    us usa ca can gb gbr uk ie irl au aus nz de deu nl nld fr fra es esp se swe bc qc nsw
    al ak az ar co ct dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh
    nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy
""".split())
# Vendors that sell many unrelated products: their name alone never identifies a tool
# ("GOOGLE *ADS" is not Google Analytics just because both are Google's).
MULTI_PRODUCT = frozenset("""
    google alphabet meta facebook microsoft msft amazon amzn aws apple adobe oracle
    linkedin intuit twilio sap
""".split())
# First words too common to stand for a tool on their own.
_GENERIC = frozenset("""
    the web my get pro app apps data smart cloud digital social marketing sales email mail
    team work tool tools online global
""".split())
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


# --- normalising names ------------------------------------------------------------

@dataclass(frozen=True)
class Name:
    """A merchant or app name reduced to what identifies the tool."""

    raw: str
    words: tuple[str, ...]
    domains: tuple[str, ...]

    @property
    def candidates(self) -> list[str]:
        """Keys to look up, most specific first: all words, the first two, the first."""
        if not self.words:
            return []
        keys = ["".join(self.words), "".join(self.words[:2]), self.words[0]]
        return list(dict.fromkeys(keys))


def normalise(raw: str) -> Name:
    """'SQ *ZOOM.US 888-799' -> words ('zoom',), domains ('zoom.us',)."""
    text = _PROCESSOR.sub("", raw.strip()).lower()
    domains = tuple(dict.fromkeys(_registrable(d) for d in _DOMAIN.findall(text)))
    text = _DOMAIN.sub(lambda m: " " + _registrable(m[1]).split(".")[0] + " ", text)
    text = _PHONE.sub(" ", text)
    words = [re.sub(r"(?<=[a-z]{2})\d{3,}$", "", word)
             for word in re.findall(r"[a-z0-9]+", text.replace("'", ""))]
    words = [w for w in words if w and not w.isdigit() and w not in _NOISE]
    while len(words) > 1 and words[-1] in _LOCATION:
        words.pop()
    return Name(raw, tuple(words), domains)


def _registrable(host: str) -> str:
    """'www.app.hubspot.com' -> 'hubspot.com'; 'foo.co.uk' -> 'foo.co.uk'."""
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and labels[-2] in ("co", "com") and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def website_domain(url: str | None) -> str | None:
    if not url:
        return None
    host = re.sub(r"^https?://", "", url).split("/")[0].split(":")[0]
    return _registrable(host) if "." in host else None


# --- the index --------------------------------------------------------------------

T = TypeVar("T")
How = Literal["domain", "name", "fuzzy"]


@dataclass(frozen=True)
class Match(Generic[T]):
    targets: tuple[T, ...]
    how: How
    key: str


class NameIndex(Generic[T]):
    """Exact keys and domains in dictionaries, fuzzy keys in a list for rapidfuzz."""

    def __init__(self) -> None:
        self.exact: dict[str, list[T]] = {}
        self.domains: dict[str, list[T]] = {}
        self._fuzzy_keys: list[str] | None = None  # sorted by length, for _near
        self._fuzzy_lengths: list[int] = []
        self._fuzzy_seen: dict[str, str | None] = {}  # candidate -> best key (or none)

    def add_name(self, name: str, target: T, brand: bool = True) -> None:
        """A tool's name: all its words as one key, and its first word as its brand."""
        words = normalise(name).words
        if not words:
            return
        self._add(self.exact, "".join(words), target)
        first = words[0]
        if brand and len(first) >= 4 and first not in MULTI_PRODUCT | _GENERIC:
            self._add(self.exact, first, target)

    def add_vendor(self, vendor: str, target: T) -> None:
        words = normalise(vendor).words
        if words and words[0] not in MULTI_PRODUCT:
            self._add(self.exact, "".join(words), target)

    def add_domain(self, domain: str | None, target: T) -> None:
        if not domain:
            return
        label = domain.split(".")[0]
        if label in MULTI_PRODUCT:
            return  # google.com, facebook.com: the domain names the vendor, not a tool
        self._add(self.domains, domain, target)
        if len(label) >= 4 and label not in _GENERIC:
            self._add(self.exact, label, target)

    def _add(self, table: dict[str, list[T]], key: str, target: T) -> None:
        entries = table.setdefault(key, [])
        if not any(entry is target for entry in entries):  # identity: cheap, and enough
            entries.append(target)
        self._fuzzy_keys = None
        self._fuzzy_seen.clear()

    def _near(self, length: int) -> list[str]:
        """The fuzzy keys long enough and short enough to reach the cutoff.

        ratio = 2 * common / (len1 + len2), so a key whose length is too far from the
        candidate's can never score FUZZY_CUTOFF; leaving it out keeps rapidfuzz's work
        to the plausible keys.
        """
        if self._fuzzy_keys is None:
            keys = sorted((k for k in self.exact if len(k) >= FUZZY_MIN_LENGTH),
                          key=lambda k: (len(k), k))
            self._fuzzy_keys, self._fuzzy_lengths = keys, [len(k) for k in keys]
        share = FUZZY_CUTOFF / (200 - FUZZY_CUTOFF)  # shortest / longest that can pass
        low = bisect.bisect_left(self._fuzzy_lengths, math.ceil(length * share))
        high = bisect.bisect_right(self._fuzzy_lengths, math.floor(length / share))
        return self._fuzzy_keys[low:high]

    def match(self, name: Name) -> Match[T] | None:
        for domain in name.domains:
            if domain in self.domains:
                return Match(tuple(self.domains[domain]), "domain", domain)
        for key in name.candidates:
            if key in self.exact:
                return Match(tuple(self.exact[key]), "name", key)
        return self._fuzzy(name)

    def _fuzzy(self, name: Name) -> Match[T] | None:
        for key in name.candidates:
            if len(key) < FUZZY_MIN_LENGTH:
                continue
            if key not in self._fuzzy_seen:
                best = process.extractOne(key, self._near(len(key)), scorer=fuzz.ratio,
                                          score_cutoff=FUZZY_CUTOFF)
                self._fuzzy_seen[key] = None if best is None else str(best[0])
            found = self._fuzzy_seen[key]
            if found is not None:
                return Match(tuple(self.exact[found]), "fuzzy", found)
        return None


# --- what we know -----------------------------------------------------------------

@dataclass(frozen=True)
class KnownTool:
    """A tool with a request (whatever its decision) or in IT's systems catalog."""

    id: str
    name: str
    vendor: str | None
    website: str | None
    decision: str  # approve, review, deny, invalid, or `system` for IT's catalog
    file: str | None = None
    category: Category | None = None

    @property
    def approved(self) -> bool:
        return self.decision in (*APPROVED_DECISIONS, "system")


def known_from_result(result: RequestResult) -> KnownTool | None:
    request = result.request
    if request is not None:
        tool = request.tool
        return KnownTool(request.id, tool.name, tool.vendor, tool.website, result.decision,
                         result.file, tool.category)
    if result.id:  # an invalid request still says which tool it is about
        return KnownTool(result.id, result.name or result.id, None, None, result.decision,
                         result.file)
    return None


def load_known_tools(requests_dir: Path, policies: Path, as_of: dt.date) -> list[KnownTool]:
    """Every request with its decision as of `as_of`, plus IT's systems catalog."""
    report = run_check(CheckOptions(paths=[requests_dir], policies=policies, as_of=as_of,
                                    keep_requests=True))
    known = [tool for tool in map(known_from_result, report.results) if tool is not None]
    for system_id, name in it_systems(policies).items():
        short = re.sub(r"\s*\(.*?\)", "", name)  # "Zendesk (support)" -> "Zendesk"
        known.append(KnownTool(system_id, short, None, None, "system"))
    return known


def it_systems(policies: Path) -> dict[str, str]:
    """IT's systems catalog (`policies/data/systems.yaml`): id -> name, sorted by id."""
    systems = PolicySet.from_directory(policies).data["martech"]["config"].get("systems", {})
    return {system_id: systems[system_id]["name"] for system_id in sorted(systems)}


def build_index(known: Iterable[KnownTool]) -> NameIndex[KnownTool]:
    index: NameIndex[KnownTool] = NameIndex()
    for tool in known:
        index.add_name(tool.name, tool)
        index.add_name(tool.id.replace("-", " "), tool, brand=False)
        if tool.vendor:
            index.add_vendor(tool.vendor, tool)
        index.add_domain(website_domain(tool.website), tool)
    return index


@functools.cache
def catalog_index() -> NameIndex[CatalogTool]:
    """The index of the built-in catalog (built once: it never changes)."""
    index: NameIndex[CatalogTool] = NameIndex()
    for tool in CATALOG:
        index.add_name(tool.name, tool)
        for alias in tool.aliases:
            index.add_name(alias, tool, brand=False)
        index.add_domain(_registrable(tool.domain), tool)
    return index


# --- usage ------------------------------------------------------------------------

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


# --- findings ---------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """A tool in use without an approved request."""

    tool: str
    vendor: str
    website: str | None
    category: Category
    request_id: str | None  # a denied or invalid request for it, when there is one
    request_decision: str | None
    request_file: str | None
    sources: tuple[str, ...]
    users: int
    top_users: tuple[str, ...]
    top_user: tuple[str | None, str] | None  # (name, email) of the most active user
    spend: dict[str, Decimal]
    spend_last_year: dict[str, Decimal]
    first_seen: dt.date
    last_seen: dt.date
    rows: int
    seen_as: tuple[str, ...]


@dataclass(frozen=True)
class InUse:
    """An approved tool seen in the exports (for the reader to trust the matching)."""

    tool: KnownTool
    rows: int
    users: int
    seen_as: tuple[str, ...]


@dataclass(frozen=True)
class ExportSummary:
    file: str
    kind: Kind
    encoding: str
    rows: int
    skipped: int
    columns: dict[str, str]


@dataclass
class DiscoverResult:
    as_of: dt.date
    exports: list[ExportSummary]
    approved_tools: int  # requests approved or in review
    it_systems: int  # entries of IT's systems catalog
    findings: list[Finding]
    in_use: list[InUse]
    bad_rows: list[BadRow]
    notes: list[str]

    @property
    def exit_code(self) -> int:
        return 1 if self.findings else 0


@dataclass(frozen=True)
class DiscoverOptions:
    exports: list[Path]
    requests: Path
    policies: Path
    as_of: dt.date
    kind: str = "auto"
    columns: dict[str, str] = field(default_factory=dict)


def run_discover(options: DiscoverOptions) -> DiscoverResult:
    """Read the exports, load what is approved, and list what is not."""
    exports = [read_export(path, display_path(path), options.kind, options.columns)
               for path in options.exports]
    known = load_known_tools(options.requests, options.policies, options.as_of)
    return discover(exports, known, options.as_of)


def discover(exports: Sequence[ExportFile], known: Sequence[KnownTool],
             as_of: dt.date) -> DiscoverResult:
    """Match every row and add up what has no approved request.

    Two passes: first every distinct name is matched once (names that normalise alike
    share one match), then every row is added to its tool's usage.
    """
    notes = [note for export in exports for note in export.notes]
    rows, ignored = _usage_rows(exports)
    notes.extend(ignored)
    groups, targets = _resolve(Counter(row.name for row in rows), build_index(known))
    usages = _add_up(rows, groups, as_of)
    return _result(exports, known, usages, targets, as_of, notes)


GroupKey = tuple[str, str]  # ("known", request id), ("catalog", name), ("unknown", key)


def _resolve(counts: Counter[str], known_index: NameIndex[KnownTool]
             ) -> tuple[dict[str, GroupKey], dict[GroupKey, object]]:
    """Each distinct raw name -> the tool it is, and each tool -> what we know of it."""
    by_shape: dict[str, list[str]] = {}
    for raw in counts:
        by_shape.setdefault(_REFERENCE.sub("#", raw), []).append(raw)
    by_key: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for shape, raws in by_shape.items():
        name = normalise(shape)
        by_key.setdefault((name.words, name.domains), []).extend(raws)
    catalog = catalog_index()
    groups: dict[str, GroupKey] = {}
    targets: dict[GroupKey, object] = {}
    unknown: dict[str, int] = {}
    unknown_raws: dict[str, list[str]] = {}
    for (words, domains), raws in by_key.items():
        name = Name(raws[0], words, domains)
        group, target = _identify(name, known_index, catalog)
        if group is None:
            key = "".join(words) or raws[0].strip().lower()
            unknown[key] = unknown.get(key, 0) + sum(counts[raw] for raw in raws)
            unknown_raws.setdefault(key, []).extend(raws)
            continue
        targets[group] = target
        groups.update(dict.fromkeys(raws, group))
    for key, cluster in _cluster_unknown(unknown).items():
        group = ("unknown", cluster)
        targets[group] = None
        groups.update(dict.fromkeys(unknown_raws[key], group))
    return groups, targets


def _identify(name: Name, known_index: NameIndex[KnownTool],
              catalog: NameIndex[CatalogTool]) -> tuple[GroupKey | None, object]:
    match = known_index.match(name)
    if match is not None:
        tool = _best_known(match.targets)
        return ("known", tool.id), tool
    entry = catalog.match(name)
    if entry is not None:
        return ("catalog", entry.targets[0].name), entry.targets[0]
    return None, None


def _add_up(rows: Sequence[UsageRow], groups: dict[str, GroupKey],
            as_of: dt.date) -> dict[GroupKey, Usage]:
    emails, names = _people(rows)
    year_start = as_of - dt.timedelta(days=365)
    usages: dict[GroupKey, Usage] = {}
    for row in rows:
        group = groups[row.name]
        usage = usages.get(group)
        if usage is None:
            usage = usages[group] = Usage()
        usage.add(row, _user_key(row, emails), year_start, as_of)
    for usage in usages.values():
        usage.learn(names, emails)
    return usages


def _usage_rows(exports: Sequence[ExportFile]) -> tuple[list[UsageRow], list[str]]:
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


def _people(rows: Iterable[UsageRow]) -> tuple[dict[str, str], dict[str, str]]:
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


def _best_known(targets: Sequence[KnownTool]) -> KnownTool:
    # Several requests can share a name or vendor; one approved request is enough.
    return sorted(targets, key=lambda t: (not t.approved, t.decision != "review", t.id))[0]


def _cluster_unknown(weights: dict[str, int]) -> dict[str, str]:
    """Group keys that are the same unknown tool: "jasper", "jasperai", "jaspre" -> jasper.

    Keys are taken most-used first, so a cluster is named by its commonest spelling. A key
    joins a cluster when one is a prefix of the other (5 letters or more: card statements
    append words) or when rapidfuzz finds it close enough (a misspelling). Look-ups are
    dictionaries; only the keys left over are compared, against cluster names.
    """
    clusters: list[str] = []
    prefixes: dict[str, str] = {}  # every prefix (5+ letters) of a cluster name -> it
    assigned: dict[str, str] = {}
    for key in sorted(weights, key=lambda k: (-weights[k], k)):
        target = _cluster_of(key, clusters, prefixes)
        if target is None:
            target = key
            clusters.append(key)
            for end in range(FUZZY_MIN_LENGTH, len(key) + 1):
                prefixes.setdefault(key[:end], key)
        assigned[key] = target
    return assigned


def _cluster_of(key: str, clusters: list[str], prefixes: dict[str, str]) -> str | None:
    if key in prefixes:  # the key starts a cluster's name (or is one)
        return prefixes[key]
    for end in range(len(key) - 1, FUZZY_MIN_LENGTH - 1, -1):
        cluster = prefixes.get(key[:end])
        if cluster is not None and key.startswith(cluster):  # a cluster's name starts it
            return cluster
    if len(key) >= FUZZY_MIN_LENGTH and clusters:
        best = process.extractOne(key, clusters, scorer=fuzz.ratio,
                                  score_cutoff=FUZZY_CUTOFF)
        if best is not None:
            return str(best[0])
    return None


def _result(exports: Sequence[ExportFile], known: Sequence[KnownTool],
            usages: dict[GroupKey, Usage], targets: dict[GroupKey, object],
            as_of: dt.date, notes: list[str]) -> DiscoverResult:
    findings: list[Finding] = []
    in_use: list[InUse] = []
    for group, usage in usages.items():
        key, target = group[1], targets[group]
        if isinstance(target, KnownTool) and target.approved:
            in_use.append(InUse(target, usage.rows, len(usage.users), _seen_as(usage)))
        else:
            findings.append(_finding(key, usage, target))
    findings.sort(key=lambda f: (-f.users, -f.rows, f.tool.lower()))
    in_use.sort(key=lambda u: (-u.rows, u.tool.name.lower()))
    summaries = [ExportSummary(e.file, e.kind, e.encoding, len(e.rows), len(e.bad_rows),
                               e.columns) for e in exports]
    bad_rows = [bad for export in exports for bad in export.bad_rows]
    approved = sum(1 for tool in known if tool.decision in APPROVED_DECISIONS)
    systems = sum(1 for tool in known if tool.decision == "system")
    return DiscoverResult(as_of, summaries, approved, systems, findings, in_use, bad_rows,
                          notes)


def _seen_as(usage: Usage) -> tuple[str, ...]:
    ranked = sorted(usage.seen_as.items(), key=lambda item: (-item[1], item[0]))
    return tuple(name for name, _ in ranked[:SEEN_AS])


def _finding(key: str, usage: Usage, target: object) -> Finding:
    request: KnownTool | None = target if isinstance(target, KnownTool) else None
    if request is not None:
        tool, vendor, website, category = _describe_known(request)
    elif isinstance(target, CatalogTool):
        tool, vendor, website, category = (target.name, target.vendor,
                                           f"https://{target.domain}", target.category)
    else:
        tool, vendor, website, category = _describe_unknown(key, usage)
    assert usage.first is not None and usage.last is not None
    return Finding(
        tool=tool, vendor=vendor, website=website, category=category,
        request_id=request.id if request else None,
        request_decision=request.decision if request else None,
        request_file=request.file if request else None,
        sources=tuple(k for k in ("okta", "google", "expense") if k in usage.sources),
        users=len(usage.users), top_users=tuple(usage.top_users()),
        top_user=usage.top_user_with_email(),
        spend=dict(sorted(usage.spend.items())),
        spend_last_year=dict(sorted(usage.spend_last_year.items())),
        first_seen=usage.first, last_seen=usage.last, rows=usage.rows,
        seen_as=_seen_as(usage),
    )


def _describe_known(request: KnownTool) -> tuple[str, str, str | None, Category]:
    match = catalog_index().match(normalise(request.name))
    entry = match.targets[0] if match else None
    category = request.category or (entry.category if entry else
                                     guess_category(list(normalise(request.name).words)))
    return (request.name, request.vendor or (entry.vendor if entry else request.name),
            request.website, category)


def _describe_unknown(key: str, usage: Usage) -> tuple[str, str, str | None, Category]:
    """Name, vendor, website and category of a tool nobody knows, from how it was seen."""
    if usage.app_names:
        # SSO and OAuth logs carry the app's real name; card statements mangle it.
        name = sorted(usage.app_names.items(), key=lambda item: (-item[1], item[0]))[0][0]
    else:
        raw = _seen_as(usage)[0]
        name = " ".join(word.capitalize() for word in normalise(raw).words) or raw.strip()
    seen = [normalise(raw) for raw in usage.seen_as]
    domains = sorted(domain for each in seen for domain in each.domains)
    website = f"https://{domains[0]}" if domains else None
    return name, name, website, guess_category([w for each in seen for w in each.words])
