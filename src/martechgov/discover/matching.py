"""Shadow IT: which tools in the exports have no approved request, and how much they are used.

Every app name and merchant string is resolved once (`resolve`): the built-in catalog
names the product, the product is linked to its request when there is one, and names
the catalog does not know are matched against the requests directly. Strings that
differ only in reference numbers are resolved once; a bare vendor descriptor whose
product depends on the amount ("LINKEDIN-1234") is settled row by row. What is left
unknown is grouped by spelling. Merchants that are not marketing tools are counted in a
note, not listed. Rows are only added up afterwards, never compared against every tool.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from martechgov.check import CheckOptions, run_check
from martechgov.discover.catalog import CatalogTool, NotMartech, guess_category
from martechgov.discover.exports import ExportFile, UsageRow, read_export
from martechgov.discover.known import KnownTool, known_tools
from martechgov.discover.model import DiscoverResult, ExportSummary, InUse, ShadowTool
from martechgov.discover.names import (
    FUZZY_CUTOFF,
    FUZZY_MIN_LENGTH,
    MULTI_PRODUCT,
    Name,
    display_name,
    normalise,
    without_references,
)
from martechgov.discover.resolve import GroupKey, Pending, Resolution, Resolver
from martechgov.discover.usage import Usage, add_up, usage_rows
from martechgov.lifecycle import Evidence, read_signoffs
from martechgov.request_model import Category
from martechgov.result import PolicyInfo
from martechgov.sources import display_path


@dataclass(frozen=True)
class DiscoverOptions:
    exports: list[Path]
    requests: Path
    policies: Path
    as_of: dt.date
    kind: str = "auto"
    columns: dict[str, str] = field(default_factory=dict)
    signoffs: Path | None = None  # reviews signed off: their requests count as approved


def run_discover(options: DiscoverOptions) -> DiscoverResult:
    """Read the exports, judge the requests once, and list what is not approved."""
    exports = [read_export(path, display_path(path), options.kind, options.columns)
               for path in options.exports]
    evidence = Evidence(read_signoffs(options.signoffs)) if options.signoffs else None
    report = run_check(CheckOptions(paths=[options.requests], policies=options.policies,
                                    as_of=options.as_of, keep_requests=True))
    return discover(exports, known_tools(report, evidence), options.as_of, report.policy)


def discover(exports: Sequence[ExportFile], known: Sequence[KnownTool], as_of: dt.date,
             policy: PolicyInfo) -> DiscoverResult:
    """Match every row and add up what has no approved request.

    Two passes: first every distinct name is resolved once (names that normalise alike
    share one resolution), then every row is added to its tool's usage.
    """
    notes = [note for export in exports for note in export.notes]
    rows, ignored = usage_rows(exports)
    notes.extend(ignored)
    resolver = Resolver(known)
    names = _resolve_names(rows, resolver)
    keys = [_row_key(row, names, resolver) for row in rows]
    counted = [(row, key) for row, key in zip(rows, keys, strict=True) if key[0] != "ignored"]
    notes.extend(_not_martech_notes([(row, key) for row, key in zip(rows, keys, strict=True)
                                     if key[0] == "ignored"]))
    group_of = {id(row): key for row, key in counted}
    usages = add_up([row for row, _ in counted], lambda row: group_of[id(row)], as_of)
    return _result(exports, known, usages, resolver, as_of, policy, notes)


NameKey = tuple[str, bool]  # (raw name, seen in an SSO or OAuth log)


def _resolve_names(rows: Sequence[UsageRow], resolver: Resolver
                   ) -> dict[NameKey, tuple[Name, Resolution | GroupKey]]:
    """Each distinct (raw name, app) -> its normalised name and what it resolves to."""
    counts = Counter((row.name, row.kind != "expense") for row in rows)
    by_shape: dict[tuple[str, bool], list[str]] = {}
    for raw, app in counts:
        by_shape.setdefault((without_references(raw), app), []).append(raw)
    resolved: dict[NameKey, tuple[Name, Resolution | GroupKey]] = {}
    unknown: dict[str, int] = {}
    unknown_names: dict[str, list[NameKey]] = {}
    for (shape, app), raws in by_shape.items():
        name = normalise(shape)
        found = resolver.resolve(name, app)
        if found is None:
            key = name.key or raws[0].strip().lower()
            unknown[key] = unknown.get(key, 0) + sum(counts[(raw, app)] for raw in raws)
            unknown_names.setdefault(key, []).extend((raw, app) for raw in raws)
        for raw in raws:
            resolved[(raw, app)] = (name, found)
    for key, cluster in cluster_unknown(unknown).items():
        for name_key in unknown_names[key]:
            resolved[name_key] = (resolved[name_key][0], ("unknown", cluster))
    return resolved


def _row_key(row: UsageRow, names: dict[NameKey, tuple[Name, Resolution | GroupKey]],
             resolver: Resolver) -> GroupKey:
    name, found = names[(row.name, row.kind != "expense")]
    if isinstance(found, Pending):
        return resolver.for_amount(found, name, row.amount)
    assert found is not None  # unknown names were given a cluster
    return found


def _not_martech_notes(rows: list[tuple[UsageRow, GroupKey]]) -> list[str]:
    by_file: dict[str, Counter[str]] = {}
    for row, key in rows:
        by_file.setdefault(row.file, Counter())[key[1]] += 1
    notes = []
    for file, names in sorted(by_file.items()):
        count = sum(names.values())
        detail = ", ".join(f"{name} {n}" for name, n in sorted(names.items()))
        notes.append(f"{file}: {count} row{'s' if count != 1 else ''} not counted: not "
                     f"marketing tools ({detail})")
    return notes


def cluster_unknown(weights: dict[str, int]) -> dict[str, str]:
    """Group keys that are the same unknown tool: "jasper", "jasperai", "jaspre" -> jasper.

    Keys are taken most-used first, so a cluster is named by its commonest spelling. A key
    joins a cluster when one is a prefix of the other (5 letters or more: card statements
    append words) or when rapidfuzz finds it close enough (a misspelling). A vendor of
    many products is never a cluster's prefix: "google..." names are different tools.
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
                if key[:end] not in MULTI_PRODUCT:
                    prefixes.setdefault(key[:end], key)
        assigned[key] = target
    return assigned


def _cluster_of(key: str, clusters: list[str], prefixes: dict[str, str]) -> str | None:
    if key in prefixes:  # the key starts a cluster's name (or is one)
        return prefixes[key]
    for end in range(len(key) - 1, FUZZY_MIN_LENGTH - 1, -1):
        cluster = prefixes.get(key[:end])
        if cluster is not None and key.startswith(cluster) and cluster not in MULTI_PRODUCT:
            return cluster
    if len(key) >= FUZZY_MIN_LENGTH and clusters:
        best = process.extractOne(key, clusters, scorer=fuzz.ratio,
                                  score_cutoff=FUZZY_CUTOFF)
        if best is not None:
            return str(best[0])
    return None


def _result(exports: Sequence[ExportFile], known: Sequence[KnownTool],
            usages: dict[GroupKey, Usage], resolver: Resolver,
            as_of: dt.date, policy: PolicyInfo, notes: list[str]) -> DiscoverResult:
    shadow_tools: list[ShadowTool] = []
    in_use: list[InUse] = []
    for group, usage in usages.items():
        target = resolver.targets.get(group)
        if isinstance(target, KnownTool) and target.approved:
            in_use.append(InUse(target, usage.rows, len(usage.users), usage.seen_as_most()))
        else:
            shadow_tools.append(_shadow_tool(group[1], usage, target, resolver))
    shadow_tools.sort(key=lambda s: (-s.users, -s.rows, s.name.lower()))
    in_use.sort(key=lambda u: (-u.rows, u.tool.name.lower()))
    summaries = [ExportSummary(e.file, e.kind, e.encoding, len(e.rows), len(e.bad_rows),
                               e.columns) for e in exports]
    bad_rows = [bad for export in exports for bad in export.bad_rows]
    approved = sum(1 for tool in known if tool.approved and not tool.is_system)
    systems = sum(1 for tool in known if tool.is_system)
    return DiscoverResult(as_of, policy, summaries, approved, systems, shadow_tools, in_use,
                          bad_rows, notes)


def _shadow_tool(key: str, usage: Usage, target: object, resolver: Resolver) -> ShadowTool:
    request: KnownTool | None = target if isinstance(target, KnownTool) else None
    if request is not None:
        name, vendor, website, category = _describe_known(request, resolver)
    elif isinstance(target, CatalogTool):
        name, vendor, website, category = (target.name, target.vendor, target.website,
                                           target.category)
    else:
        assert not isinstance(target, NotMartech)
        name, vendor, website, category = _describe_unknown(key, usage)
    assert usage.first is not None and usage.last is not None
    return ShadowTool(
        name=name, vendor=vendor, website=website, category=category,
        request_id=request.id if request else None,
        request_decision=request.decision if request else None,
        request_file=request.file if request else None,
        request_status=request.status if request else None,
        sources=tuple(k for k in ("okta", "google", "expense") if k in usage.sources),
        users=len(usage.users), top_users=tuple(usage.top_users()),
        top_user=usage.top_user_with_email(),
        spend=dict(sorted(usage.spend.items())),
        spend_last_year=dict(sorted(usage.spend_last_year.items())),
        first_seen=usage.first, last_seen=usage.last, rows=usage.rows,
        seen_as=usage.seen_as_most(),
        catalogued=isinstance(target, CatalogTool) or (
            request is not None and resolver.identity(request) is not None),
    )


def _describe_known(request: KnownTool, resolver: Resolver
                    ) -> tuple[str, str, str | None, Category]:
    product = resolver.identity(request)
    category = request.category or (product.category if product else
                                     guess_category(list(normalise(request.name).words)))
    return (request.name, request.vendor or (product.vendor if product else request.name),
            request.website or (product.website if product else None), category)


def _describe_unknown(key: str, usage: Usage) -> tuple[str, str, str | None, Category]:
    """Name, vendor, website and category of a tool nobody knows, from how it was seen."""
    if usage.app_names:
        # SSO and OAuth logs carry the app's real name; card statements mangle it.
        name = sorted(usage.app_names.items(), key=lambda item: (-item[1], item[0]))[0][0]
    else:
        name = display_name(normalise(usage.seen_as_most()[0]))
    seen = [normalise(raw) for raw in usage.seen_as]
    domains = sorted(domain for each in seen for domain in each.domains)
    website = f"https://{domains[0]}" if domains else None
    return name, name, website, guess_category([w for each in seen for w in each.words])
