"""The one result model every output format renders: requests -> findings -> decision.

The decision, the findings and the reviewers come from the Rego entrypoint and are
validated here (`DecisionDoc`), never re-derived. Python adds what only it knows: the
file, and the line and column each finding's `field` points at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from martechgov.policy import PolicySet
from martechgov.request_model import ToolRequest

Decision = Literal["approve", "review", "deny", "invalid"]
Level = Literal["deny", "review", "warn", "error"]

DECISIONS: tuple[Decision, ...] = ("approve", "review", "deny", "invalid")
LEVEL_ORDER = {"error": 0, "deny": 1, "review": 2, "warn": 3}


class ExceptionDoc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["active", "expired"]
    approved_by: str
    reason: str
    expires: str


class FindingDoc(BaseModel):
    """A finding as the policies return it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(pattern=r"^[a-z0-9_]+\.[a-z0-9_]+$")
    level: Literal["deny", "review", "warn"]
    message: str = Field(min_length=1)
    fix: str = Field(min_length=1)
    field: str = Field(min_length=1)
    team: str | None = None
    exception: ExceptionDoc | None = None
    blocking: bool  # holds the request back: a deny or review finding that counts

    @model_validator(mode="after")
    def _review_names_a_team(self) -> FindingDoc:
        if self.level == "review" and not self.team:
            raise ValueError(f"review finding {self.rule} names no team")
        return self


class Facts(BaseModel):
    """What the policies compute about a request for reports to show (not to decide)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    soc2_valid_until: dt.date | None = None  # the last day the SOC 2 report counts


class DecisionDoc(BaseModel):
    """What `data.martech.decision` must return; anything else is an engine error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision: Literal["approve", "review", "deny"]
    findings: list[FindingDoc]
    reviewers: list[str]
    facts: Facts = Field(default_factory=Facts)

    @model_validator(mode="after")
    def _consistent(self) -> DecisionDoc:
        # Not a second decision procedure: a tripwire so that a broken aggregation
        # rule can never turn a blocking finding into an approval.
        counted = {f.level for f in self.findings
                   if f.exception is None or f.exception.status != "active"}
        if self.decision == "approve" and counted & {"deny", "review"}:
            raise ValueError("decision is approve although blocking findings count")
        if self.decision == "review" and "deny" in counted:
            raise ValueError("decision is review although a deny finding counts")
        if any(f.level in counted & {"deny", "review"} and not f.blocking
               for f in self.findings if f.exception is None):
            raise ValueError("a finding that counts is not marked blocking")
        return self


@dataclass(frozen=True)
class Finding:
    """A finding located in its file: a policy finding or a problem with the file."""

    rule: str
    level: Level
    message: str
    fix: str | None
    field: str | None
    line: int
    column: int
    team: str | None = None
    exception: ExceptionDoc | None = None
    # Holds the request back (the policies say so; a problem with the file always does).
    blocking: bool = False
    # YAML to add right after `line` when `field` is absent from the file (the fix shows
    # it: `privacy:\n  dpa_signed: true`), indented to fit there.
    fix_yaml: str | None = None

    @property
    def excepted(self) -> bool:
        """Covered by an active exception: shown, but not counted."""
        return self.exception is not None and self.exception.status == "active"

    @property
    def counts(self) -> bool:
        """Counts toward the decision: not covered by an active exception."""
        return not self.excepted

    @property
    def sort_key(self) -> tuple[int, int, int, str, str]:
        return (self.line, self.column, LEVEL_ORDER[self.level], self.rule,
                self.field or "")


@dataclass(frozen=True)
class RequestResult:
    file: str
    id: str | None
    decision: Decision
    reviewers: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    name: str | None = None
    # The validated request, for reports that show more than the decision (inventory,
    # map); None when the file is invalid. Formatters of the check result ignore it.
    request: ToolRequest | None = field(default=None, compare=False)
    facts: Facts = field(default_factory=Facts)
    # The git blob id of the bytes judged (`git hash-object` of the file): with the
    # policy revision and as_of it reproduces the decision. None when the entry was
    # refused before its content was read (a link, a submodule, too big...).
    blob: str | None = None
    # Where the file writes its id, for problems found across files (a duplicate id).
    id_position: tuple[int, int] = (1, 1)

    @property
    def fails(self) -> bool:
        """Fails CI: denied, or not a valid request (DOMAIN.md's exit code 1)."""
        return self.decision in ("deny", "invalid")

    @property
    def blocking_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)


@dataclass(frozen=True)
class PolicyInfo:
    revision: str
    source: str
    # Set when the policies that judged are not the trusted ones (for example
    # --policies-from-worktree with --base); every format shows it prominently.
    warning: str | None = None


@dataclass
class CheckReport:
    as_of: dt.date
    engine: str
    policy: PolicyInfo
    results: list[RequestResult] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    # The policies that judged, handed on so that no command parses policies/ twice.
    policies: PolicySet | None = field(default=None, compare=False, repr=False)

    @property
    def summary(self) -> dict[Decision, int]:
        counts: dict[Decision, int] = {d: 0 for d in DECISIONS}
        for result in self.results:
            counts[result.decision] += 1
        return counts

    @property
    def exit_code(self) -> int:
        """0 when nothing is denied or invalid, 1 otherwise (DOMAIN.md)."""
        return 1 if any(result.fails for result in self.results) else 0
