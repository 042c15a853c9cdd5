"""Merchant and app names reduced to what identifies a tool, and an index to look them up.

Card statements are noisy ("SQ *ZOOM.US 888-799", "HUBSPOT *INC", "GOOGLE *ADS1234"), so
every string is normalised first: payment-processor prefixes, reference and phone
numbers, legal forms, billing words and trailing locations go; domains are kept apart.
The index answers by domain or an exact (normalised) name first, then by a fuzzy
comparison for misspellings: exact keys are dictionary look-ups, and rapidfuzz compares a
candidate only with keys whose length lets it reach the cutoff.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 85  # rapidfuzz ratio (0-100): admits one swapped or wrong letter in 7
FUZZY_MIN_LENGTH = 5  # shorter strings are too alike by chance ("loom" / "zoom")

# Payment processors and marketplaces that prefix the real merchant: "SQ *ZOOM.US",
# "PAYPAL *MAILCHIMP", "DRI*AUTODESK" (Digital River), "FS *ACME" (FastSpring).
_PROCESSOR = re.compile(
    r"^(?:sq|tst|sp|pp|paypal|fs|fsp|paddle(?:\.net)?|2co(?:\.com)?|dri|stripe|clk|"
    r"cko|pos|ach|in|bt|wpy|ls|gum)\s*\*\s*", re.IGNORECASE)
# What stays of a processor-only descriptor ("SQSP* INV123456" is Squarespace itself).
_SELF_BILLED = re.compile(r"^(sqsp)\s*\*\s*", re.IGNORECASE)
_DOMAIN = re.compile(
    r"\b((?:[a-z0-9-]+\.)+(?:com|net|org|io|ai|co|app|so|me|ly|tv|cc|de|uk|fr|eu|ee|fm|gg|"
    r"nl|se|ch|at|be|dk|no|fi|pl|ie|au|ca|nz|jp|sg|br|mx|us|xyz|dev|events|info|in))\b")
_PHONE = re.compile(r"(?<![a-z0-9])\+?\d[\d\- ().]{5,}\d")
# Digit runs of 4 or more are reference, invoice, order or phone numbers ("CANVA*
# 104839201", "LINKEDIN-1234"): they never name the tool. Writing them as zeros (same
# length, so every rule below reads them alike) lets strings that differ only there be
# normalised and matched once; shorter numbers stay ("Microsoft 365", "ON24").
_LONG_NUMBER = re.compile(r"\d{4,}")
# Words that say nothing about which tool it is: legal forms, billing words, web noise.
_NOISE = frozenset("""
    inc incorporated llc ltd limited gmbh corp corporation co company sl sa sas sarl bv nv
    plc pty ag ab oy srl spa kk pte lp llp
    subscr subscription subscriptions monthly annual yearly renewal payment purchase bill
    billing recurring charge online help www com https http usd eur gbp inv invoice pmt
    autopay svc
""".split())
# Trailing location codes on card statements ("... CAMBRIDGE MA", "... SYDNEY AUS").
_LOCATION = frozenset("""
    us usa ca can gb gbr uk ie irl au aus nz de deu nl nld fr fra es esp se swe bc qc nsw
    al ak az ar co ct dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh
    nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy
""".split())
# Cities card statements end with ("... MENLO PARK CA", "... REDMOND WA"): where the
# merchant is, not what it sells. Dropped from the end, after the state or country code.
_CITIES = frozenset(tuple(city.split()) for city in """
    san francisco|menlo park|mountain view|palo alto|redwood city|san mateo|san jose|
    santa monica|los angeles|san diego|seattle|redmond|bellevue|portland|boston|cambridge|
    new york|brooklyn|austin|dallas|houston|denver|chicago|atlanta|miami|washington|
    toronto|vancouver|montreal|dublin|london|manchester|edinburgh|amsterdam|berlin|munich|
    paris|barcelona|madrid|stockholm|copenhagen|oslo|helsinki|tel aviv|sydney|surry hills|
    melbourne|singapore|bangalore|draper|lehi|salt lake city|provo|raleigh|pittsburgh|
    philadelphia|minneapolis|detroit|indianapolis|nashville|phoenix|tempe|scottsdale|
    santa clara|sunnyvale|cupertino|emeryville|oakland|berkeley|irvine|walnut|reston
""".replace("\n", " ").split("|") if city.strip())
_LONGEST_CITY = max(len(city) for city in _CITIES)
# Vendors that sell many unrelated products: their name alone never identifies a tool
# ("GOOGLE *ADS" is not Google Analytics just because both are Google's).
MULTI_PRODUCT = frozenset("""
    google alphabet meta facebook microsoft msft amazon amzn aws apple adobe oracle
    linkedin intuit twilio sap salesforce tiktok snap pinterest reddit zoho freshworks
""".split())
# First words too common to stand for a tool on their own.
_GENERIC = frozenset("""
    the web my get pro app apps data smart cloud digital social marketing sales email mail
    team work tool tools online global
""".split())


# --- normalising names ------------------------------------------------------------

@dataclass(frozen=True)
class Name:
    """A merchant or app name reduced to what identifies the tool.

    `product` holds the words after a vendor's own star ("ADOBE *ADOBE STOCK" ->
    ('adobe', 'stock'), "INTUIT *MAILCHIMP" -> ('mailchimp',)): the product the vendor
    billed, tried before the whole name.
    """

    raw: str
    words: tuple[str, ...]
    domains: tuple[str, ...]
    product: tuple[str, ...] = ()

    @property
    def candidates(self) -> list[str]:
        """Keys to look up, most specific first: all words, the first two, the first."""
        if not self.words:
            return []
        keys = ["".join(self.words), "".join(self.words[:2]), self.words[0]]
        return list(dict.fromkeys(keys))

    @property
    def key(self) -> str:
        return "".join(self.words)


@functools.lru_cache(maxsize=1 << 16)
def normalise(raw: str) -> Name:
    """'SQ *ZOOM.US 888-799' -> words ('zoom',), domains ('zoom.us',).

    Cached: the same names come back (a tool's spellings, each request's name and
    vendor, the catalog's aliases) and Name is immutable.
    """
    text = _PROCESSOR.sub("", raw.strip())
    text = _SELF_BILLED.sub(r"\1 ", text).lower()
    domains = tuple(dict.fromkeys(registrable(d) for d in _DOMAIN.findall(text)))
    vendor, star, product = text.partition("*")
    words = _words(text.replace("*", " "))
    product_words = _words(product) if star and vendor.strip() else ()
    return Name(raw, words, domains, product_words if product_words != words else ())


def _words(text: str) -> tuple[str, ...]:
    # A domain that starts the name is the name ("ZOOM.US"); one after it is the
    # statement's city field, where merchants put a billing site ("... LNKD.IN CA").
    text = _DOMAIN.sub(lambda m: _domain_word(m, text), text)
    text = _PHONE.sub(" ", text)
    words: list[str] = []
    for token in re.findall(r"[a-z0-9]+", text.replace("'", "")):
        token = re.sub(r"(?<=[a-z]{2})\d{3,}$", "", token)  # "ads1234" -> "ads"
        if not token or token in _NOISE or _is_reference(token):
            continue
        if not words or words[-1] != token:  # "ADOBE *ADOBE STOCK" says adobe once
            words.append(token)
    while len(words) > 1 and words[-1] in _LOCATION:
        words.pop()
    for size in range(min(_LONGEST_CITY, len(words) - 1), 0, -1):
        if tuple(words[-size:]) in _CITIES:
            del words[-size:]
            break
    return tuple(words)


def _domain_word(match: re.Match[str], text: str) -> str:
    first = not re.search(r"[a-z0-9]", text[:match.start()])
    return " " + registrable(match[1]).split(".")[0] + " " if first else " "


def _is_reference(token: str) -> bool:
    """A number of 4+ digits, or a code such as 8XK2LMQ3B2, E0300ABCDE or P12345678."""
    if token.isalpha():
        return False  # most words: no digit at all
    digits = sum(map(str.isdigit, token))
    if digits == len(token):
        return digits >= 4
    return len(token) >= 5 and digits >= 3


_RAW_PHONE = re.compile(_PHONE.pattern, re.IGNORECASE)


def _zeros(match: re.Match[str]) -> str:
    return re.sub(r"\d", "0", match[0])


def without_references(raw: str) -> str:
    """'CANVA* 104839201' -> 'CANVA* 000000000': strings that differ only there are one name.

    Only what `normalise` drops is written as zeros (same length, so it drops it alike):
    phone numbers and numbers of 4 digits or more.
    """
    return _LONG_NUMBER.sub(_zeros, _RAW_PHONE.sub(_zeros, raw))


def registrable(host: str) -> str:
    """'www.app.hubspot.com' -> 'hubspot.com'; 'foo.co.uk' -> 'foo.co.uk'."""
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and labels[-2] in ("co", "com") and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def website_domain(url: str | None) -> str | None:
    """'https://www.hubspot.com/products' -> 'hubspot.com'; None without a host."""
    if not url:
        return None
    host = re.sub(r"^https?://", "", url).split("/")[0].split(":")[0]
    return registrable(host) if "." in host else None


def display_name(name: Name) -> str:
    """A readable name for a tool nobody catalogued: 'SQ *ACME WIDGETS #12' -> 'Acme Widgets'."""
    return " ".join(word.capitalize() for word in name.words) or " ".join(name.raw.split())


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
        if len(words) > 2 and words[-1].isdigit():  # "Google Analytics 4": a version
            self._add(self.exact, "".join(words[:-1]), target)
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

