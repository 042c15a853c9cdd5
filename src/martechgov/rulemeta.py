"""Rule metadata: one record per rule id, in `policies/data/rules.yaml`.

The record (title, owning team, citations, effective date, general fix) lives with the
policy data, so that decision.rego reads the effective date (`data.martech.config.rules`)
and every output (SARIF rule help, `martechgov rules`, the README's rule table) shows
the same words. Every rule id the library can emit has a record and every record a
rule: `engines.library` checks that on the parsed modules whenever a library loads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from martechgov import yamlsafe

RULES_DATA = "rules"  # data/rules.yaml -> data.martech.config.rules


@dataclass(frozen=True)
class RuleMeta:
    """A rule id with its record and the levels its findings come at."""

    rule: str
    title: str
    team: str
    fix: str
    citations: tuple[tuple[str, str], ...] = ()  # (name, url)
    effective: str | None = None  # YYYY-MM-DD
    levels: tuple[str, ...] = ()  # deny, review, warn: the sets that emit it

    @property
    def area(self) -> str:
        return self.rule.split(".", 1)[0]

    @property
    def level(self) -> str:
        """The strictest level the rule reports at (once effective)."""
        for level in ("deny", "review", "warn"):
            if level in self.levels:
                return level
        return "warn"


@dataclass(frozen=True)
class RecordIndex:
    """Where each record is written, so problems point at `rules.yaml:line:col`."""

    file: str
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, file: str, records: Mapping[str, Any],
           document: yamlsafe.Document | None) -> RecordIndex:
        return cls(file, {rule: document.position((rule,)) if document else (1, 1)
                          for rule in records})

    def where(self, rule: str) -> str:
        line, column = self.positions.get(rule, (1, 1))
        return f"{self.file}:{line}:{column}"


def team_problems(records: Mapping[str, Any], teams: Mapping[str, Any],
                  index: RecordIndex) -> list[str]:
    """Each record's owning team is a team `teams.yaml` lists (who signs off for it)."""
    return [f"{index.where(rule)}: rule {rule} is owned by team `{record['team']}`, which "
            f"data/teams.yaml does not list; use one of {', '.join(sorted(teams))} or add "
            "the team there" for rule, record in sorted(records.items())
            if record["team"] not in teams]


def catalog(records: Mapping[str, Any],
            levels: Mapping[str, tuple[str, ...]]) -> list[RuleMeta]:
    """Every rule with its record, sorted by id."""
    return [RuleMeta(
        rule=rule, title=record["title"], team=record["team"], fix=record["fix"],
        citations=tuple((c["name"], c["url"]) for c in record.get("citations") or []),
        effective=record.get("effective"), levels=tuple(levels.get(rule, ())),
    ) for rule, record in sorted(records.items())]
