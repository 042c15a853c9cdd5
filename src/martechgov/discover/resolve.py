"""Which tool each merchant or app name is, and which request (if any) it belongs to.

The catalog names the product first (`catalog.Catalog.identify`): "INTUIT *MAILCHIMP"
is Mailchimp, "TIKTOK ADS" is TikTok Ads, "LINKEDIN-1234" is LinkedIn Ads or LinkedIn
Premium by its amount. A product is then linked to the requests that are the same
product (each request's name, or its website, identifies it in the catalog too): the
TikTok Pixel request is not TikTok Ads, and two products of one vendor never share a
request. A request the catalog does not know is linked only by its exact name or
domain. Names the catalog does not know at all are matched against the requests by
name, vendor, domain and spelling (`names.NameIndex`), and what is left is unknown.
Merchants that are not marketing tools (airlines, cafés, cloud hosting) are set aside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from martechgov.discover.catalog import Ambiguous, Catalog, CatalogTool, NotMartech, catalog
from martechgov.discover.known import KnownTool, build_index
from martechgov.discover.names import Name, normalise, website_domain

# What a name resolves to: ("known", request id), ("catalog", product name),
# ("ignored", not-martech name); None is unknown (grouped by spelling afterwards).
GroupKey = tuple[str, str]


@dataclass(frozen=True)
class Pending:
    """A bare descriptor ("LINKEDIN-1234") whose product each row's amount decides."""

    rule: Ambiguous


Resolution = GroupKey | Pending | None


class Resolver:
    """Resolves names against the catalog and the known tools; remembers what it found."""

    def __init__(self, known: Sequence[KnownTool], built_in: Catalog | None = None) -> None:
        self.catalog = built_in or catalog()
        self.index = build_index(known)
        self.by_id = {tool.id: tool for tool in known}
        self.by_product: dict[str, list[KnownTool]] = {}
        self.identified: set[str] = set()  # ids of known tools the catalog names
        for tool in known:
            product = self.identity(tool)
            if product is not None:
                self.by_product.setdefault(product.name, []).append(tool)
                self.identified.add(tool.id)
        self.targets: dict[GroupKey, object] = {}  # what each group key stands for

    def identity(self, tool: KnownTool) -> CatalogTool | None:
        """The catalog product a request (or IT system) is, by its name or its website."""
        entry = self.catalog.identify(normalise(tool.name), app=True, fuzzy=False)
        if isinstance(entry, CatalogTool):
            return entry
        domain = website_domain(tool.website)
        return self.catalog.domains.get(domain) if domain else None

    def resolve(self, name: Name, app: bool) -> Resolution:
        entry = self.catalog.identify(name, app)
        if isinstance(entry, Ambiguous):
            return Pending(entry)
        if isinstance(entry, CatalogTool):
            return self.link(entry, name)
        if isinstance(entry, NotMartech):
            exact = self._exact_known(name)  # IT may still list it (a system, a request)
            return self._known(exact) if exact else self._ignored(entry)
        match = self.index.match(name)
        return self._known(_best(match.targets)) if match else None

    def for_amount(self, pending: Pending, name: Name, amount: Decimal | None) -> GroupKey:
        return self.link(pending.rule.product(amount), name)

    def link(self, product: CatalogTool, name: Name) -> GroupKey:
        """A catalog product: its request when there is one, else the product itself."""
        same = self.by_product.get(product.name)
        if same:
            return self._known(_best(same))
        exact = self._exact_known(name)
        if exact is not None:
            return self._known(exact)
        key = ("catalog", product.name)
        self.targets[key] = product
        return key

    def _exact_known(self, name: Name) -> KnownTool | None:
        """A request the catalog does not know, named exactly so (or at this domain)."""
        match = self.index.match(name)
        if match is None or not (match.how == "domain" or match.key == name.key):
            return None
        candidates = [t for t in match.targets if t.id not in self.identified]
        return _best(candidates) if candidates else None

    def _known(self, tool: KnownTool) -> GroupKey:
        key = ("known", tool.id)
        self.targets[key] = tool
        return key

    def _ignored(self, entry: NotMartech) -> GroupKey:
        key = ("ignored", entry.name)
        self.targets[key] = entry
        return key


def _best(targets: Sequence[KnownTool]) -> KnownTool:
    # Several requests can be one tool. One that does not fail is enough for the tool to
    # be known to IT, so approved ones come first; the id breaks ties, so the answer does
    # not depend on the order the files were read in.
    return min(targets, key=lambda t: (not t.approved, t.id))

