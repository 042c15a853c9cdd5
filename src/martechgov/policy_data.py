"""Models for IT's policy data files (`policies/data/*.yaml`) and exceptions.

Rules read these values as `data.martech.config.<file stem>.<key>`. A rule reading a
key that does not exist would silently never fire, so every file the shipped rules
read is validated here: a typo in a data key is a PolicyError at file:line:col.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    computed_field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from martechgov.loader import parse_field_path
from martechgov.request_model import Category, Region
from martechgov.request_values import CURRENCY_PATTERN, Date, Slug, Text, Url, name_key

EXCEPTION_MAX_DAYS = 365
MAX_FIELD_DEPTH = 4  # integrations[0].data[1]: the deepest path in a request
RuleId = Annotated[str, Field(pattern=r"^[a-z0-9_]+\.[a-z0-9_]+$")]
FIELD_PATTERN = r"^[a-z_][a-z0-9_]*(\[\d+\])*(\.[a-z_][a-z0-9_]*(\[\d+\])*)*$"


def _request_file(value: str) -> str:
    parts = value.split("/")
    if (value.startswith("/") or "\\" in value or any(p in ("", ".", "..") for p in parts)
            or not value.endswith(".yaml")):
        raise ValueError("`file` is the request's path from the repository root, as "
                         "check prints it (for example `requests/hubspot-marketing-hub.yaml`)")
    return value


# The request's path from the repository root, as every output names it.
RequestFile = Annotated[str, Field(min_length=6, max_length=300), AfterValidator(_request_file)]
# A finding's `field`, as every output names it: `integrations[0].system`.
FieldPath = Annotated[str, Field(pattern=FIELD_PATTERN, max_length=200)]
Currency = Annotated[str, Field(pattern=CURRENCY_PATTERN)]
Amount = Annotated[int | float, Field(ge=0)]


class DataModel(BaseModel):
    """A policy data file's model: strict, and a misspelt key is an error."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Thresholds(DataModel):
    sso_required_above_seats: Annotated[int, Field(ge=0)]
    scim_recommended_above_seats: Annotated[int, Field(ge=0)]
    soc2_valid_months: Annotated[int, Field(ge=1, le=36)]
    pentest_valid_months: Annotated[int, Field(ge=1, le=36)]
    max_retention_days: Annotated[int, Field(ge=1)]
    breach_notice_max_hours: Annotated[int, Field(ge=1)]
    cost_review_annual: dict[Currency, Amount]
    auto_renew_min_notice_days: Annotated[int, Field(ge=0)]
    # (a default, so that libraries written before the key was added still load)
    renewal_warning_days: Annotated[int, Field(ge=0, le=365)] = 60
    agency_min_offboarding_contacts: Annotated[int, Field(ge=0)]


class Regions(DataModel):
    gdpr_subject_regions: list[Region]
    gdpr_storage_regions: list[Region]
    adequacy_regions: list[Region]
    dpf_regions: list[Region]


class System(DataModel):
    name: Text
    system_of_record: bool


class Systems(RootModel[dict[Slug, System]]):
    pass


class BlockedVendor(DataModel):
    vendor: Text
    reason: Text
    aliases: Annotated[list[Text], Field(max_length=50)] = []  # other names it trades as

    @computed_field  # type: ignore[prop-decorator]
    @property
    def keys(self) -> list[str]:
        """The name and aliases as names compare (`request_values.name_key`), which
        vendor.rego matches against the request's `keys.vendor`."""
        return sorted({name_key(name) for name in (self.vendor, *self.aliases)})


class Vendors(DataModel):
    blocked: list[BlockedVendor]
    high_risk_categories: list[Category]


class StackEntry(DataModel):
    tool: Text
    request: Slug


class Stack(RootModel[dict[Category, StackEntry]]):
    pass


class TrackingData(DataModel):
    sensitive_pages: list[Slug]
    ad_categories: list[Category]
    consent_required_categories: list[Category]


# GitHub's rules: letters, digits and single dashes, no dash at either end, at most 39.
_GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
_GITHUB_TEAM = re.compile(r"^([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)/([A-Za-z0-9][A-Za-z0-9_-]*)$")


def _github_login(value: str) -> str:
    if len(value) > 39 or not _GITHUB_LOGIN.match(value):
        raise PydanticCustomError(
            "github_login", "must be a GitHub login: letters, digits and single dashes, "
            "not starting or ending with a dash, at most 39 characters")
    return value


def _github_team(value: str) -> str:
    match = _GITHUB_TEAM.match(value)
    if not match or len(match.group(1)) > 39 or len(value) > 140:
        raise PydanticCustomError(
            "github_team", "must be a GitHub team written organisation/team-slug, as in "
            "the team's address (github.com/orgs/<organisation>/teams/<team-slug>)")
    return value


GithubLogin = Annotated[str, AfterValidator(_github_login)]
GithubTeam = Annotated[str, AfterValidator(_github_team)]


class ReviewTeam(DataModel):
    """Who may sign off for one review team (`teams.yaml`): people and GitHub teams."""

    people: list[GithubLogin] = []
    github_teams: list[GithubTeam] = []
    # working days a review usually takes (review.lead_time); none: no lead-time warning
    review_days: Annotated[int, Field(ge=1, le=250)] | None = None

    @model_validator(mode="after")
    def _someone(self) -> ReviewTeam:
        if not self.people and not self.github_teams:
            raise ValueError("name at least one person (`people`) or GitHub team "
                             "(`github_teams`): otherwise nobody could ever sign off")
        for name, values in (("people", self.people), ("github_teams", self.github_teams)):
            folded = [value.lower() for value in values]
            if len(set(folded)) != len(folded):
                raise ValueError(f"`{name}` lists someone twice")
        return self


class Teams(RootModel[dict[Slug, ReviewTeam]]):
    pass


class Citation(DataModel):
    """Where a rule comes from: a law, guidance or enforcement action, and its address."""

    name: Text  # short: "GDPR Art. 28", "FTC v. GoodRx (2023)"
    url: Url


class RuleRecord(DataModel):
    """One rule id's metadata (`rules.yaml`): what it is called, who owns it, where it
    comes from, from when it applies at its full level, and what usually fixes it.

    The area is the id's first part. The Rego rule decides the message and the fix of
    each finding; `fix` is the general advice SARIF, the README table and
    `martechgov rules` show.
    """

    title: Annotated[str, Field(min_length=3, max_length=120)]
    team: Slug  # the IT team that owns the rule (a team in teams.yaml)
    citations: Annotated[list[Citation], Field(max_length=12)] = []
    # Before this day a deny or review finding of the rule is reported as `warn`,
    # saying "becomes deny on <day>" (decision.rego reads it).
    effective: Annotated[Date | None, Field(strict=False)] = None
    fix: Text


class RuleRecords(RootModel[dict[RuleId, RuleRecord]]):
    pass


class Rates(DataModel):
    """Exchange rates for one leadership total (`rates.yaml`, optional; no rule reads it).

    `rates` gives, for each currency, what one unit is worth in `base`: with base EUR,
    `USD: 0.92`. Without this file amounts stay per currency and are never added up.
    """

    base: Currency
    as_of: Annotated[dt.date, Field(strict=False)]
    source: Text | None = None
    rates: dict[Currency, Annotated[int | float, Field(gt=0)]]


# The registry of declared data files: `policies/data/<name>.yaml` -> its schema. A data
# file not declared here is refused (it would be read with no schema, so a misspelt key
# would make rules quietly read nothing). This is the seam where IT-declared data files
# and their schemas will be added. DATA_MODELS must exist; OPTIONAL_DATA_MODELS may.
DATA_MODELS: dict[str, type[BaseModel]] = {
    "thresholds": Thresholds,
    "regions": Regions,
    "systems": Systems,
    "vendors": Vendors,
    "stack": Stack,
    "tracking": TrackingData,
    "teams": Teams,
    "rules": RuleRecords,
}
# Data files that are validated when present but never required (no rule reads them).
OPTIONAL_DATA_MODELS: dict[str, type[BaseModel]] = {
    "rates": Rates,
}


def data_model(stem: str) -> type[BaseModel] | None:
    """The model of `policies/data/<stem>.yaml`, required or optional; None if neither."""
    return DATA_MODELS.get(stem) or OPTIONAL_DATA_MODELS.get(stem)


class PolicyException(DataModel):
    """One waiver: one finding (rule and field) of one request (id and file), while the
    request still states the `facts` IT saw, from `granted` through `expires`.

    decision.rego checks all of it (the exceptions are data, so OPA gives the same
    answer): a new integration, a changed value or another file claiming the same id is
    not covered.
    """

    request: Slug
    file: RequestFile
    rule: RuleId
    field: FieldPath
    # what the request said when IT granted it (field -> value; null: left out)
    facts: Annotated[dict[FieldPath, Any], Field(min_length=1, max_length=20)]
    reason: Text
    approved_by: Annotated[str, Field(min_length=3, max_length=200)]
    granted: Annotated[dt.date, Field(strict=False)]
    expires: Annotated[dt.date, Field(strict=False)]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def checks(self) -> list[dict[str, Any]]:
        """The facts as paths decision.rego follows into the request."""
        return [{"path": list(parse_field_path(field)), "value": value}
                for field, value in self.facts.items()]

    @model_validator(mode="after")
    def _bounded(self) -> PolicyException:
        for field in self.facts:
            if len(parse_field_path(field)) > MAX_FIELD_DEPTH:
                raise ValueError(f"the fact `{field}` is deeper than any request field")
        days = (self.expires - self.granted).days
        if days < 0:
            raise ValueError(f"`expires` ({self.expires}) is before `granted` "
                             f"({self.granted}): the exception would never apply")
        if days > EXCEPTION_MAX_DAYS:
            raise ValueError(
                f"an exception may last at most {EXCEPTION_MAX_DAYS} days; this one "
                f"runs {days} days from {self.granted} to {self.expires}"
            )
        return self

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.request, self.file, self.rule, self.field)


class Exceptions(DataModel):
    exceptions: list[PolicyException]

    @model_validator(mode="after")
    def _one_per_finding(self) -> Exceptions:
        seen: set[tuple[str, str, str, str]] = set()
        for item in self.exceptions:
            if item.key in seen:
                raise ValueError(
                    f"two exceptions for request `{item.request}` ({item.file}), rule "
                    f"`{item.rule}` and field `{item.field}`; keep one"
                )
            seen.add(item.key)
        return self
