"""The built-in catalog of well-known tools: what a merchant or app name is.

Discovery finds names like "INTUIT *MAILCHIMP", "FACEBK *8XK2LMQ3B2" or an OAuth app
called "Apollo.io". To name them right, link them to the right request and draft a
request for them, it needs the product behind the name, its vendor, website and
category. `catalog.yaml` (beside this module, data rather than code) lists about 300
marketing products with the spellings they show up under, the vendor descriptors whose
product depends on the amount, and merchants that are not marketing tools at all.
For anything else a keyword table guesses the category and says `other` when it cannot
tell. These are guesses for a person to confirm, never facts the policies use.

Identification, most trusted first: the product part after a vendor's star ("ADOBE
*ADOBE STOCK"), then the whole name, each by a product domain, then by the longest
alias that the name starts with (an `exact` alias only as the whole name); finally a
fuzzy comparison of the whole name for misspellings. A vendor's name alone never
identifies one of several products it sells.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from rapidfuzz import fuzz, process

from martechgov.discover.names import (
    FUZZY_CUTOFF,
    FUZZY_MIN_LENGTH,
    MULTI_PRODUCT,
    Name,
    normalise,
    registrable,
)
from martechgov.request_model import Category


@dataclass(frozen=True)
class CatalogTool:
    name: str
    vendor: str
    site: str  # host and path, without the scheme
    category: Category
    aliases: tuple[str, ...] = ()  # other names it shows up under (descriptors, apps)
    domains: tuple[str, ...] = ()  # other domains of the product
    exact: bool = False  # an ordinary word: matches only as the whole name

    @property
    def website(self) -> str:
        return f"https://{self.site}"

    @property
    def domain(self) -> str:
        return registrable(self.site.split("/")[0])


@dataclass(frozen=True)
class NotMartech:
    """A merchant that is not a marketing tool (an airline, a café, cloud hosting)."""

    name: str
    kind: str  # travel, meals, supplies, cloud infrastructure...
    aliases: tuple[str, ...]


TRUNCATED_MIN_LENGTH = 8
PRICE_POINT_CENTS = frozenset({"99", "95", "49", "88"})


@dataclass(frozen=True)
class Ambiguous:
    """A bare vendor descriptor that bills two products alike ("LINKEDIN-1234")."""

    descriptor: str
    subscription: CatalogTool  # billed at a price point: 79.99, 1,079.88
    spend: CatalogTool  # billed whatever was spent: ad spend

    def product(self, amount: Decimal | None) -> CatalogTool:
        """Which product a row is: by its amount's pattern (sign-ins: the subscription)."""
        if amount is None:
            return self.subscription
        cents = f"{abs(amount):.2f}"[-2:]
        return self.subscription if cents in PRICE_POINT_CENTS else self.spend


Entry = CatalogTool | NotMartech | Ambiguous


# --- the data file -------------------------------------------------------------------

class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


Text = Annotated[str, Field(min_length=1, max_length=120)]


class _ToolDoc(_Model):
    name: Text
    vendor: Text
    site: Annotated[str, Field(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}(/[\w./-]*)?$")]
    category: Category
    aliases: list[Text] = []
    domains: list[Annotated[str, Field(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")]] = []
    exact: bool = False


class _NotMartechDoc(_Model):
    name: Text
    kind: Text
    aliases: list[Text]


class _DescriptorDoc(_Model):
    """A bare descriptor: one `product`, or a `subscription` and a `spend` product."""

    descriptor: Text
    product: Text | None = None
    subscription: Text | None = None
    spend: Text | None = None

    @model_validator(mode="after")
    def _one_or_two(self) -> _DescriptorDoc:
        if (self.product is None) == (self.subscription is None and self.spend is None):
            raise ValueError("a descriptor names a `product`, or a `subscription` and a "
                             "`spend` product")
        if self.product is None and (self.subscription is None or self.spend is None):
            raise ValueError("an ambiguous descriptor names both `subscription` and `spend`")
        return self


class _CatalogDoc(_Model):
    tools: list[_ToolDoc]
    descriptors: list[_DescriptorDoc]
    not_martech: list[_NotMartechDoc]


# --- the catalog ---------------------------------------------------------------------

class Catalog:
    """The catalog's entries and the keys and domains that identify them."""

    def __init__(self, tools: list[CatalogTool], not_martech: list[NotMartech],
                 descriptors: dict[str, CatalogTool | Ambiguous]) -> None:
        self.tools = tools
        self.not_martech = not_martech
        self.by_name = {tool.name: tool for tool in tools}
        self.keys: dict[str, Entry] = {}
        self.exact_keys: set[str] = set()  # matched only as the whole name
        self.not_fuzzy: set[str] = set()  # keys of ordinary-word tools: never approximate
        self.collisions: list[str] = []
        self.domains: dict[str, CatalogTool] = {}
        self._build(tools, not_martech, descriptors)
        self._fuzzy = sorted(k for k in self.keys if len(k) >= FUZZY_MIN_LENGTH
                             and k not in self.exact_keys and k not in self.not_fuzzy)
        self._sorted_keys = sorted(self.keys)
        self._fuzzy_seen: dict[str, str | None] = {}

    def _build(self, tools: list[CatalogTool], not_martech: list[NotMartech],
               descriptors: dict[str, CatalogTool | Ambiguous]) -> None:
        owners: dict[str, set[str]] = {}
        for tool in tools:
            for domain in (tool.domain, *tool.domains):
                owners.setdefault(domain, set()).add(tool.name)
            for alias in (tool.name, *tool.aliases):
                # "Apollo.io" as a name is its domain: "apollo" alone is another word.
                name = normalise(alias)
                exact = (tool.exact and len(name.words) == 1) or bool(name.domains)
                self._add(name.key, tool, exact)
                if tool.exact:
                    self.not_fuzzy.add(name.key)
        for entry in not_martech:
            for alias in (entry.name, *entry.aliases):
                self._add(normalise(alias).key, entry, False)
        for descriptor, target in descriptors.items():
            self._add(normalise(descriptor).key, target, True)
        for domain, names in owners.items():
            # A domain several products share (google.com) names the vendor, not a tool.
            if len(names) == 1 and domain.split(".")[0] not in MULTI_PRODUCT:
                self.domains[domain] = self.by_name[next(iter(names))]

    def _add(self, key: str, entry: Entry, exact: bool) -> None:
        if not key:
            return
        known = self.keys.get(key)
        if known is not None and known is not entry:
            self.collisions.append(f"{key!r}: {_label(known)} and {_label(entry)}")
            return
        if known is None and exact:
            self.exact_keys.add(key)
        elif not exact:  # an explicit alias "monday" beside the name "monday.com"
            self.exact_keys.discard(key)
        self.keys[key] = entry

    def identify(self, name: Name, app: bool = False, fuzzy: bool = True) -> Entry | None:
        """The catalog entry a normalised merchant or app name is, or None.

        `app`: the name comes from an SSO or OAuth log, where every name is software, so
        an ordinary-word name may start a longer one ("Notion Calendar"). `fuzzy`: also
        try misspellings (a request's own name is written with care: no need).
        """
        for domain in name.domains:
            if domain in self.domains:
                return self.domains[domain]
        for words in (name.product, name.words):
            entry = self._longest_alias(words, app)
            if entry is not None:
                return entry
        found = self._truncated(name.key)
        return found if found is not None or not fuzzy else self._fuzzy_match(name.words)

    def _longest_alias(self, words: tuple[str, ...], app: bool) -> Entry | None:
        for end in range(len(words), 0, -1):
            key = "".join(words[:end])
            entry = self.keys.get(key)
            if entry is not None and (end == len(words) or app
                                      or key not in self.exact_keys):
                return entry
        return None

    def _truncated(self, key: str) -> Entry | None:
        """A descriptor cut short by the card network ("PAYPAL *INTUITMAILC").

        Statements keep 22 to 25 characters, so a long merchant loses its end: a key of
        8 letters or more that starts exactly one catalog key is that key.
        """
        if len(key) < TRUNCATED_MIN_LENGTH:
            return None
        start = bisect.bisect_left(self._sorted_keys, key)
        found = list(itertools.islice(
            (k for k in self._sorted_keys[start:start + 2] if k.startswith(key)), 2))
        return self.keys[found[0]] if len(found) == 1 and found[0] != key else None

    def _fuzzy_match(self, words: tuple[str, ...]) -> Entry | None:
        """A misspelling ("TYPEFROM", "HOOTSUTIE") of a key, by the whole name or its start."""
        if not words or words[0] in MULTI_PRODUCT:
            return None
        for key in dict.fromkeys(("".join(words), "".join(words[:2]), words[0])):
            if len(key) < FUZZY_MIN_LENGTH:
                continue
            if key not in self._fuzzy_seen:
                self._fuzzy_seen[key] = self._closest(key)
            found = self._fuzzy_seen[key]
            if found is not None:
                return self.keys[found]
        return None

    def _closest(self, key: str) -> str | None:
        """The closest key within the cutoff that is not merely a longer or shorter word.

        "canvas" is not a misspelling of "canva", nor "interest" of "pinterest": a
        candidate that contains a key (or is contained in one) is another word.
        """
        for found, _score, _index in process.extract(key, self._fuzzy, scorer=fuzz.ratio,
                                                     score_cutoff=FUZZY_CUTOFF, limit=5):
            if found not in key and key not in found:
                return str(found)
        return None


def _label(entry: Entry) -> str:
    return entry.descriptor if isinstance(entry, Ambiguous) else entry.name


def load_catalog(text: str) -> Catalog:
    """The catalog from the text of a catalog.yaml (validated: a typo is an error)."""
    document = _CatalogDoc.model_validate(yaml.load(text, Loader=_LOADER))
    tools = [CatalogTool(t.name, t.vendor, t.site, t.category, tuple(t.aliases),
                         tuple(t.domains), t.exact) for t in document.tools]
    by_name = {tool.name: tool for tool in tools}
    descriptors: dict[str, CatalogTool | Ambiguous] = {}
    for doc in document.descriptors:
        try:
            descriptors[doc.descriptor] = (
                by_name[doc.product] if doc.product is not None else
                Ambiguous(doc.descriptor, by_name[doc.subscription or ""],
                          by_name[doc.spend or ""]))
        except KeyError as exc:
            raise ValueError(f"descriptor {doc.descriptor!r} names {exc}, which is not a "
                             "tool of the catalog") from None
    others = [NotMartech(n.name, n.kind, tuple(n.aliases)) for n in document.not_martech]
    return Catalog(tools, others, descriptors)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def catalog() -> Catalog:
    """The built-in catalog (read once: it never changes during a run)."""
    text = resources.files("martechgov.discover").joinpath("catalog.yaml").read_text("utf-8")
    return load_catalog(text)


# Whole words in a name -> a category, for tools the catalog does not know. Checked in
# order; the first hit wins. Anything else is `other`: a wrong guess is worse than none.
CATEGORY_KEYWORDS: tuple[tuple[tuple[str, ...], Category], ...] = (
    (("ads", "adwords", "advertising", "dsp"), "ad-platform"),
    (("pixel",), "ad-pixel"),
    (("analytics", "metrics", "insights", "attribution"), "analytics"),
    (("experiment", "experimentation", "abtest", "optimize"), "ab-testing"),
    (("survey", "surveys", "forms", "form", "poll", "feedback"), "survey"),
    (("webinar", "webinars", "events", "livestream"), "webinar"),
    (("seo", "rank", "keywords", "backlinks"), "seo"),
    (("social", "tweet", "instagram"), "social"),
    (("crm",), "crm"),
    (("mail", "email", "newsletter", "smtp"), "email"),
    (("automation", "nurture", "drip"), "marketing-automation"),
    (("replay", "heatmap", "heatmaps", "recordings"), "session-replay"),
    (("tag", "tags", "tagmanager"), "tag-management"),
    (("enrich", "enrichment", "leads", "prospecting", "contacts", "intent"), "enrichment"),
    (("cdp", "segment"), "cdp"),
    (("design", "video", "content", "writer", "copy", "images", "studio"), "content"),
)


def guess_category(words: list[str]) -> Category:
    """A category for a tool known only by its name's words; `other` when unsure."""
    present = set(words)
    for keywords, category in CATEGORY_KEYWORDS:
        if present.intersection(keywords):
            return category
    return "other"
