"""Shadow IT: which tools in the exports have no approved request, and how much they are used.

Every app name and merchant string is matched against the tools we know (`known`: the
requests that do not fail, and IT's systems catalog), then against the built-in catalog
of well-known tools, and what is left is grouped by spelling. Matching is by tool name,
vendor and website domain, in that order of trust (see `names`). Each distinct string is
matched once: strings that differ only in reference numbers share one match, and rows
are only added up afterwards, never compared against every tool.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from martechgov.check import CheckOptions, run_check
from martechgov.discover.catalog import CatalogTool, catalog_index, guess_category
from martechgov.discover.exports import ExportFile, read_export
from martechgov.discover.known import KnownTool, build_index, known_tools
from martechgov.discover.model import DiscoverResult, ExportSummary, InUse, ShadowTool
from martechgov.discover.names import (
    FUZZY_CUTOFF,
    FUZZY_MIN_LENGTH,
    Name,
    NameIndex,
    normalise,
    without_references,
)
from martechgov.discover.usage import Usage, add_up, usage_rows
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


def run_discover(options: DiscoverOptions) -> DiscoverResult:
    """Read the exports, judge the requests once, and list what is not approved."""
    exports = [read_export(path, display_path(path), options.kind, options.columns)
               for path in options.exports]
    report = run_check(CheckOptions(paths=[options.requests], policies=options.policies,
                                    as_of=options.as_of, keep_requests=True))
    return discover(exports, known_tools(report), options.as_of, report.policy)


def discover(exports: Sequence[ExportFile], known: Sequence[KnownTool], as_of: dt.date,
             policy: PolicyInfo) -> DiscoverResult:
    """Match every row and add up what has no approved request.

    Two passes: first every distinct name is matched once (names that normalise alike
    share one match), then every row is added to its tool's usage.
    """
    notes = [note for export in exports for note in export.notes]
    rows, ignored = usage_rows(exports)
    notes.extend(ignored)
    groups, targets = _resolve(Counter(row.name for row in rows), build_index(known))
    usages = add_up(rows, groups, as_of)
    return _result(exports, known, usages, targets, as_of, policy, notes)


GroupKey = tuple[str, str]  # ("known", request id), ("catalog", name), ("unknown", key)


def _resolve(counts: Counter[str], known_index: NameIndex[KnownTool]
             ) -> tuple[dict[str, GroupKey], dict[GroupKey, object]]:
    """Each distinct raw name -> the tool it is, and each tool -> what we know of it."""
    by_shape: dict[str, list[str]] = {}
    for raw in counts:
        by_shape.setdefault(without_references(raw), []).append(raw)
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


def _best_known(targets: Sequence[KnownTool]) -> KnownTool:
    # Several requests can share a name or vendor. One that does not fail is enough for
    # the tool to be known to IT, so approved ones come first; the id breaks ties, so the
    # answer does not depend on the order the files were read in.
    return min(targets, key=lambda t: (not t.approved, t.id))


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
            as_of: dt.date, policy: PolicyInfo, notes: list[str]) -> DiscoverResult:
    shadow_tools: list[ShadowTool] = []
    in_use: list[InUse] = []
    for group, usage in usages.items():
        key, target = group[1], targets[group]
        if isinstance(target, KnownTool) and target.approved:
            in_use.append(InUse(target, usage.rows, len(usage.users), usage.seen_as_most()))
        else:
            shadow_tools.append(_shadow_tool(key, usage, target))
    shadow_tools.sort(key=lambda s: (-s.users, -s.rows, s.name.lower()))
    in_use.sort(key=lambda u: (-u.rows, u.tool.name.lower()))
    summaries = [ExportSummary(e.file, e.kind, e.encoding, len(e.rows), len(e.bad_rows),
                               e.columns) for e in exports]
    bad_rows = [bad for export in exports for bad in export.bad_rows]
    approved = sum(1 for tool in known if tool.approved and not tool.is_system)
    systems = sum(1 for tool in known if tool.is_system)
    return DiscoverResult(as_of, policy, summaries, approved, systems, shadow_tools, in_use,
                          bad_rows, notes)


def _shadow_tool(key: str, usage: Usage, target: object) -> ShadowTool:
    request: KnownTool | None = target if isinstance(target, KnownTool) else None
    if request is not None:
        name, vendor, website, category = _describe_known(request)
    elif isinstance(target, CatalogTool):
        name, vendor, website, category = (target.name, target.vendor,
                                           f"https://{target.domain}", target.category)
    else:
        name, vendor, website, category = _describe_unknown(key, usage)
    assert usage.first is not None and usage.last is not None
    return ShadowTool(
        name=name, vendor=vendor, website=website, category=category,
        request_id=request.id if request else None,
        request_decision=request.decision if request else None,
        request_file=request.file if request else None,
        sources=tuple(k for k in ("okta", "google", "expense") if k in usage.sources),
        users=len(usage.users), top_users=tuple(usage.top_users()),
        top_user=usage.top_user_with_email(),
        spend=dict(sorted(usage.spend.items())),
        spend_last_year=dict(sorted(usage.spend_last_year.items())),
        first_seen=usage.first, last_seen=usage.last, rows=usage.rows,
        seen_as=usage.seen_as_most(),
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
        raw = usage.seen_as_most()[0]
        name = " ".join(word.capitalize() for word in normalise(raw).words) or raw.strip()
    seen = [normalise(raw) for raw in usage.seen_as]
    domains = sorted(domain for each in seen for domain in each.domains)
    website = f"https://{domains[0]}" if domains else None
    return name, name, website, guess_category([w for each in seen for w in each.words])
