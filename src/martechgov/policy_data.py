"""Models for IT's policy data files (`policies/data/*.yaml`) and exceptions.

Rules read these values as `data.martech.config.<file stem>.<key>`. A rule reading a
key that does not exist would silently never fire, so every file the shipped rules
read is validated here: a typo in a data key is a PolicyError at file:line:col.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from martechgov.request_model import Category, Region, Slug, Text

EXCEPTION_MAX_DAYS = 365
RuleId = Annotated[str, Field(pattern=r"^[a-z0-9_]+\.[a-z0-9_]+$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
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


class Rates(DataModel):
    """Exchange rates for one leadership total (`rates.yaml`, optional; no rule reads it).

    `rates` gives, for each currency, what one unit is worth in `base`: with base EUR,
    `USD: 0.92`. Without this file amounts stay per currency and are never added up.
    """

    base: Currency
    as_of: Annotated[dt.date, Field(strict=False)]
    source: Text | None = None
    rates: dict[Currency, Annotated[int | float, Field(gt=0)]]


# file stem under policies/data/ -> model. Other data files are loaded unvalidated.
DATA_MODELS: dict[str, type[BaseModel]] = {
    "thresholds": Thresholds,
    "regions": Regions,
    "systems": Systems,
    "vendors": Vendors,
    "stack": Stack,
    "tracking": TrackingData,
}
# Data files that are validated when present but never required (no rule reads them).
OPTIONAL_DATA_MODELS: dict[str, type[BaseModel]] = {
    "rates": Rates,
}


def data_model(stem: str) -> type[BaseModel] | None:
    """The model of `policies/data/<stem>.yaml`, required or optional; None if neither."""
    return DATA_MODELS.get(stem) or OPTIONAL_DATA_MODELS.get(stem)


class PolicyException(DataModel):
    request: Slug
    rule: RuleId
    reason: Text
    approved_by: Annotated[str, Field(min_length=3, max_length=200)]
    granted: Annotated[dt.date, Field(strict=False)]
    expires: Annotated[dt.date, Field(strict=False)]

    @model_validator(mode="after")
    def _bounded(self) -> PolicyException:
        days = (self.expires - self.granted).days
        if days < 0:
            raise ValueError("`expires` is before `granted`")
        if days > EXCEPTION_MAX_DAYS:
            raise ValueError(
                f"an exception may last at most {EXCEPTION_MAX_DAYS} days; this one "
                f"runs {days} days from {self.granted} to {self.expires}"
            )
        return self


class Exceptions(DataModel):
    exceptions: list[PolicyException]

    @model_validator(mode="after")
    def _one_per_request_and_rule(self) -> Exceptions:
        seen: set[tuple[str, str]] = set()
        for item in self.exceptions:
            key = (item.request, item.rule)
            if key in seen:
                raise ValueError(
                    f"two exceptions for request `{item.request}` and rule `{item.rule}`; "
                    "keep one"
                )
            seen.add(key)
        return self

